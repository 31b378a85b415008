// The review page's script, written as checked TypeScript and sent as the compiled text of one
// function (as the workbench's ../web/client.ts): tsc and biome check it like any other file, and
// nothing is built or fetched at run time. The function runs in the browser, so it must be
// self-contained: only type imports, which vanish. It renders with textContent only, so a value
// read off paper can never become markup.
// Over 400 lines because it is one function by necessity: the browser receives it whole.
import type { FieldView, IssueView, QueueEntry, RecordView } from './view.js';

/** The script as the page inlines it. */
export function reviewClientScript(): string {
  // tsx (the CLI's loader) keeps function names by wrapping them in __name(…): give the browser one.
  return `"use strict";var __name=function(f){return f};(${reviewClient.toString()})();`;
}

/** What the server answers, loosely: each call reads the members it asked for. */
interface ApiData {
  message?: string;
  records?: QueueEntry[];
  field?: FieldView;
  status?: RecordView['status'];
  version?: string;
  notes?: string[];
  correction?: { oldValue: unknown; newValue: unknown };
  current?: FieldView['value'];
}

interface ApiAnswer {
  ok: boolean;
  status: number;
  data: ApiData;
}

function reviewClient(): void {
  const $ = (id: string): HTMLElement | null => document.getElementById(id);
  const state: {
    queue: QueueEntry[];
    index: number;
    record: RecordView | null;
    approved: number;
    approveArmed: boolean;
  } = { queue: [], index: 0, record: null, approved: 0, approveArmed: false };
  const byInput = $('by') as HTMLInputElement;
  // The name typed in the workbench (same tab) carries over: one person, typed once.
  byInput.value = document.body.dataset.by || sessionStorage.getItem('xietong-by') || '';
  byInput.addEventListener('change', () => sessionStorage.setItem('xietong-by', byInput.value.trim()));

  function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    cls?: string,
    text?: string | null,
  ): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  const pct = (c: number) => `${Math.round(c * 100)}%`;
  const enc = encodeURIComponent;

  async function api(method: string, url: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    const init: RequestInit = { method, credentials: 'same-origin', headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch {
      return {
        ok: false,
        status: 0,
        data: { message: '无法连接核对服务（命令是否已停止？）/ server unreachable' },
      };
    }
    let data: ApiData;
    try {
      data = (await res.json()) as ApiData;
    } catch {
      data = { message: `${res.status} ${res.statusText}` };
    }
    return { ok: res.ok, status: res.status, data };
  }

  let toastTimer = 0;
  function toast(text: string, isError?: boolean): void {
    const t = $('toast');
    if (!t) return;
    t.textContent = text;
    t.className = `toast show${isError ? ' error' : ''}`;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => {
      t.className = 'toast';
    }, 2500);
  }

  function who() {
    const by = byInput.value.trim();
    byInput.classList.toggle('missing', !by);
    if (!by) {
      toast('请先填写核对人姓名 / enter your name first', true);
      byInput.focus();
    }
    return by;
  }

  // --- queue ------------------------------------------------------------------------------------

  async function loadQueue(keepId: string | null): Promise<void> {
    const res = await api('GET', '/api/queue');
    if (!res.ok) {
      showEmpty(res.data.message);
      return;
    }
    state.queue = res.data.records ?? [];
    const at = state.queue.findIndex((q) => q.id === keepId);
    state.index = at >= 0 ? at : Math.min(state.index, Math.max(0, state.queue.length - 1));
    renderQueue();
    if (state.queue.length === 0) {
      state.record = null;
      showEmpty();
      return;
    }
    await loadRecord();
  }

  function renderQueue(): void {
    const nav = $('queue');
    const progress = $('progress');
    if (!nav || !progress) return;
    nav.replaceChildren();
    state.queue.forEach((q, i) => {
      const b = el('button', i === state.index ? 'current' : '');
      b.type = 'button';
      b.tabIndex = -1;
      b.append(el('span', 'q-title', q.title || q.id));
      b.append(
        el(
          'span',
          'q-meta',
          q.formName +
            ' · ' +
            (q.flagged > 0
              ? `${q.flagged} 项待核对 · 最低 ${pct(q.minConfidence)}`
              : '字段已处理，待核对通过'),
        ),
      );
      b.addEventListener('click', () => go(i));
      nav.append(b);
    });
    progress.textContent = state.queue.length
      ? `第 ${state.index + 1} / ${state.queue.length} 份 · 本次已核对 ${state.approved} 份`
      : `本次已核对 ${state.approved} 份`;
  }

  function showEmpty(message?: string): void {
    const main = $('record');
    if (!main) return;
    main.replaceChildren(el('p', 'empty', message || '没有待人工核对的记录。 / Nothing needs review.'));
    renderQueue();
  }

  async function go(i: number): Promise<void> {
    if (i < 0 || i >= state.queue.length) {
      toast(i < 0 ? '已是第一份 / first record' : '已是最后一份 / last record');
      return;
    }
    state.index = i;
    renderQueue();
    await loadRecord();
  }

  // --- one record -------------------------------------------------------------------------------

  async function loadRecord(): Promise<void> {
    const q = state.queue[state.index];
    if (!q) return;
    const res = await api('GET', `/api/records/${enc(q.id)}`);
    if (!res.ok) {
      showEmpty(res.data.message);
      return;
    }
    state.record = res.data as unknown as RecordView;
    state.approveArmed = false;
    renderRecord();
    focusNext(null);
  }

  function renderRecord(): void {
    const r = state.record;
    const main = $('record');
    if (!r || !main) return;
    main.replaceChildren();
    const head = el('div', 'rec-head');
    head.append(el('h2', '', r.title || r.id));
    head.append(el('span', `status ${r.status}`, r.status === 'verified' ? '已核对' : '待审核'));
    head.append(
      el(
        'span',
        'meta',
        `${r.formName} · ${r.id}${r.sources.length ? ` · 来源 ${r.sources.join('，')}` : ''}`,
      ),
    );
    if (r.pages.length) {
      const pages = el('span', 'pages');
      for (const p of r.pages) {
        const b = el('button', 'page-btn', p.label);
        b.type = 'button';
        b.tabIndex = -1; // Tab stays on the fields; the page is for the mouse, or Alt+1…
        b.addEventListener('click', () =>
          showLarge(`/page/${enc(r.id)}/${p.index}`, `${r.title} ${p.label}`),
        );
        pages.append(b);
      }
      head.append(pages);
    }
    main.append(head);
    if (r.issues.length) main.append(issueList(r.issues, 'rec-issues'));

    const flagged = r.fields.filter((f) => f.flagged);
    const others = r.fields.filter((f) => !f.flagged);
    main.append(el('h3', '', `待核对字段 / fields to check（${flagged.length}）`));
    for (const f of flagged) main.append(flaggedRow(f));

    const actions = el('div', 'actions');
    const approve = el('button', 'primary', '核对通过 / Approve（Ctrl+Enter）');
    approve.id = 'approve';
    approve.type = 'button';
    approve.tabIndex = -1;
    approve.addEventListener('click', () => approveRecord());
    const next = el('button', '', '下一份 / Next（Ctrl+→）');
    next.type = 'button';
    next.tabIndex = -1;
    next.addEventListener('click', () => go(state.index + 1));
    const hint = el('span', 'hint', '');
    hint.id = 'approve-hint';
    actions.append(approve, next, hint);
    main.append(actions);

    if (others.length) {
      main.append(el('h3', '', '其他字段 / other fields'));
      const box = el('div', 'others');
      for (const f of others) box.append(plainRow(f));
      main.append(box);
    }
  }

  function issueList(issues: readonly IssueView[], cls: string): HTMLUListElement {
    const ul = el('ul', cls);
    for (const i of issues) {
      const tag = i.severity === 'error' ? '【错误】' : i.severity === 'warning' ? '【警告】' : '【提示】';
      ul.append(el('li', `sev-${i.severity}`, tag + i.message));
    }
    return ul;
  }

  function editor(f: FieldView): HTMLInputElement | HTMLTextAreaElement {
    const input = f.multiline ? el('textarea', 'value') : el('input', 'value');
    if (input instanceof HTMLInputElement) input.type = 'text';
    input.id = `f-${f.key}`;
    input.value = f.text;
    input.dataset.key = f.key;
    input.spellcheck = false;
    input.autocomplete = 'off';
    return input;
  }

  function flaggedRow(f: FieldView): HTMLDivElement {
    const row = el('div', `field${f.needsReview ? '' : ' done'}`);
    row.dataset.key = f.key;
    const crop = el('div', 'crop');
    if (f.hasCrop) {
      const img = el('img');
      img.alt = `${f.label} 原图 / scan`;
      img.src = `/crop/${enc(state.record?.id ?? '')}/${enc(f.key)}`;
      img.title = '点击放大 / click to zoom';
      img.addEventListener('click', () => showLarge(img.src, `${f.label} 原图`));
      crop.append(img);
    } else crop.append(el('span', 'nocrop', '无原图 / no crop'));
    const edit = el('div', 'edit');
    const label = el('label', 'label');
    label.htmlFor = `f-${f.key}`;
    label.append(el('span', '', f.label));
    if (f.confidence !== undefined) label.append(el('span', 'conf', `识别把握 ${pct(f.confidence)}`));
    label.append(el('span', 'badge', badgeText(f)));
    edit.append(label, editor(f));
    if (f.raw !== undefined && f.raw !== f.text) edit.append(el('div', 'raw', `识别原文 / read: ${f.raw}`));
    if (f.other !== undefined) {
      // Both readings side by side: one click puts the second reader's into the box, to confirm.
      const other = el('div', 'raw other');
      other.append(`另一识别引擎读作 / second reader: ${f.other || '（空）'} `);
      const take = el('button', 'take', '采用 / use');
      take.type = 'button';
      take.addEventListener('click', () => {
        const input = document.getElementById(`f-${f.key}`) as HTMLInputElement | HTMLTextAreaElement | null;
        if (!input) return;
        input.value = f.other ?? '';
        input.focus();
      });
      other.append(take);
      edit.append(other);
    }
    if (f.reason) edit.append(el('div', 'reason', `⚠ ${f.reason}`));
    if (f.issues.length) edit.append(issueList(f.issues, 'issues'));
    const msg = el('div', 'msg');
    msg.setAttribute('role', 'status');
    edit.append(msg);
    row.append(crop, edit);
    return row;
  }

  function badgeText(f: FieldView): string {
    if (f.needsReview) return '待核对';
    if (f.correction && f.correction.oldText === f.correction.newText) return `已确认 · ${f.correction.by}`;
    if (f.correction) return `已更正 · ${f.correction.by}`;
    return '已处理';
  }

  function plainRow(f: FieldView): HTMLDivElement {
    const row = el('div', `row${f.correction ? ' corrected' : ''}`);
    row.dataset.key = f.key;
    const label = el('label', '', f.label);
    label.htmlFor = `f-${f.key}`;
    row.append(label, editor(f));
    if (f.issues.length) row.append(issueList(f.issues, 'issues'));
    const msg = el('div', 'msg');
    msg.setAttribute('role', 'status');
    row.append(msg);
    return row;
  }

  const fieldOf = (key: string | undefined) => state.record?.fields.find((f) => f.key === key);
  const rowOf = (key: string) =>
    document.querySelector<HTMLElement>(
      `[data-key="${CSS.escape(key)}"].field, [data-key="${CSS.escape(key)}"].row`,
    );

  function setMsg(key: string, text: string, kind: string): void {
    const row = rowOf(key);
    if (!row) return;
    const msg = row.querySelector('.msg');
    if (msg) {
      msg.textContent = text || '';
      msg.className = `msg${kind ? ` ${kind}` : ''}`;
    }
    row.querySelector('.value')?.classList.toggle('invalid', kind === 'error');
  }

  // Enter: a flagged field is confirmed as shown or saved as typed; another field is saved only
  // when changed. Then on to the next field still needing review.
  async function save(input: HTMLInputElement | HTMLTextAreaElement): Promise<void> {
    const f = fieldOf(input.dataset.key);
    const record = state.record;
    if (!f || !record) return;
    const typed = input.value;
    const unchanged = typed === f.text;
    if (unchanged && !f.needsReview) {
      focusNext(f.key);
      return;
    }
    const by = who();
    if (!by) return;
    // Unchanged: post the stored value itself, so "accept" never re-parses it into something else.
    const body = { value: unchanged ? f.value : typed, expected: f.value, by };
    input.disabled = true;
    const res = await api('POST', `/api/records/${enc(record.id)}/fields/${enc(f.key)}`, body);
    input.disabled = false;
    if (res.ok) {
      Object.assign(f, res.data.field);
      if (res.data.status) record.status = res.data.status;
      if (res.data.version) record.version = res.data.version;
      const q = state.queue[state.index];
      if (q && q.id === record.id) {
        q.flagged = record.fields.filter((x) => x.needsReview).length;
        renderQueue();
      }
      const row = rowOf(f.key);
      const fresh = f.flagged ? flaggedRow(f) : plainRow(f);
      row?.replaceWith(fresh);
      const c = res.data.correction;
      const done =
        c && c.oldValue === c.newValue ? '✓ 已确认 / confirmed' : `✓ 已保存 / saved：${f.text || '（空）'}`;
      const notes = res.data.notes || [];
      setMsg(f.key, done + (notes.length ? `　${notes.join('；')}` : ''), notes.length ? 'note' : 'ok');
      const status = document.querySelector('.rec-head .status');
      if (status) {
        status.className = `status ${record.status}`;
        status.textContent = record.status === 'verified' ? '已核对' : '待审核';
      }
      focusNext(f.key);
      return;
    }
    if (res.status === 409 && res.data && 'current' in res.data) {
      // Someone else changed it: show their value, and let the reviewer decide with a fresh Enter.
      const current = res.data.current ?? null;
      f.value = current;
      f.text =
        current === null ? '' : typeof current === 'boolean' ? (current ? '是' : '否') : String(current);
      input.value = f.text;
      setMsg(f.key, `冲突 / conflict：${res.data.message ?? ''}`, 'error');
      input.focus();
      return;
    }
    setMsg(f.key, res.data?.message || '保存失败 / not saved', 'error');
    input.focus();
    input.select();
  }

  function inputs(): (HTMLInputElement | HTMLTextAreaElement)[] {
    return Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('#record .value'));
  }

  function focusNext(fromKey: string | null): void {
    if (!state.record) return;
    const all = inputs();
    const pendingKeys = state.record.fields.filter((f) => f.needsReview).map((f) => f.key);
    const start = fromKey === null ? -1 : all.findIndex((i) => i.dataset.key === fromKey);
    const after = all.slice(start + 1).concat(all.slice(0, start + 1));
    const next = after.find((i) => pendingKeys.includes(i.dataset.key ?? ''));
    const hint = $('approve-hint');
    if (next) {
      next.focus();
      next.select();
      if (hint) hint.textContent = `还有 ${pendingKeys.length} 个字段待核对`;
      return;
    }
    if (hint) hint.textContent = '字段已全部处理：按 Enter 或 Ctrl+Enter 核对通过';
    const approve = $('approve');
    if (approve) approve.focus();
  }

  async function approveRecord(): Promise<void> {
    const r = state.record;
    if (!r) return;
    const left = r.fields.filter((f) => f.needsReview).length;
    const hint = $('approve-hint');
    if (left > 0 && !state.approveArmed) {
      state.approveArmed = true;
      if (hint) hint.textContent = `还有 ${left} 个字段未核对，按原样通过？再按一次 Ctrl+Enter 确认`;
      toast(`还有 ${left} 个字段未核对 / ${left} fields unchecked`, true);
      return;
    }
    const by = who();
    if (!by) return;
    const res = await api('POST', `/api/records/${enc(r.id)}/approve`, { by, version: r.version });
    if (res.status === 409) {
      // Someone changed a value meanwhile: show the record as it is now, to be looked at again.
      toast(res.data.message ?? '', true);
      await go(state.index);
      return;
    }
    if (!res.ok) {
      toast(res.data?.message || '核对失败 / not approved', true);
      return;
    }
    state.approved += 1;
    toast(`✓ 已核对 / approved：${r.title || r.id}`);
    await loadQueue(null);
  }

  /** A crop enlarged, or a whole page, over the record; Esc or a click closes it. */
  function showLarge(src: string, alt: string): void {
    const box = $('large');
    if (!box) return;
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const img = el('img');
    img.alt = alt;
    img.src = src;
    img.addEventListener('error', () =>
      box.replaceChildren(el('p', 'nocrop', '原图无法显示：原件可能已移动或删除。')),
    );
    box.replaceChildren(el('p', 'hint', `${alt} · Esc 或点击关闭`), img);
    box.hidden = false;
    const close = () => {
      box.hidden = true;
      box.replaceChildren();
      document.removeEventListener('keydown', onKey, true);
      back?.focus();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
      }
    };
    box.onclick = close;
    document.addEventListener('keydown', onKey, true);
  }

  function typing(e: Event): boolean {
    const t = e.target;
    return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
  }

  document.addEventListener('keydown', (e) => {
    if (e.altKey && /^[1-9]$/.test(e.key) && state.record) {
      const p = state.record.pages[Number(e.key) - 1];
      if (p) {
        e.preventDefault();
        showLarge(`/page/${enc(state.record.id)}/${p.index}`, `${state.record.title} ${p.label}`);
      }
      return;
    }
    if (e.altKey && (e.key === 'z' || e.key === 'Z')) {
      const img = document.activeElement?.closest('.field')?.querySelector<HTMLImageElement>('.crop img');
      if (img) {
        e.preventDefault();
        showLarge(img.src, img.alt);
      }
      return;
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void approveRecord();
      return;
    }
    if ((e.ctrlKey && e.key === 'ArrowRight') || (!typing(e) && e.key === 'n')) {
      e.preventDefault();
      void go(state.index + 1);
      return;
    }
    if ((e.ctrlKey && e.key === 'ArrowLeft') || (!typing(e) && e.key === 'p')) {
      e.preventDefault();
      void go(state.index - 1);
      return;
    }
    const t = e.target;
    if (
      !(t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement) ||
      !t.classList.contains('value')
    )
      return;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      // Enter that ends an IME composition (拼音) is the IME's, not ours.
      e.preventDefault();
      void save(t);
    } else if (e.key === 'Escape') {
      const f = fieldOf(t.dataset.key);
      if (f) {
        t.value = f.text;
        setMsg(f.key, '', '');
      }
    }
  });

  document.addEventListener('focusin', (e) => {
    for (const x of document.querySelectorAll('.field.active')) x.classList.remove('active');
    const row = e.target instanceof HTMLElement ? e.target.closest('.field') : null;
    if (row) {
      row.classList.add('active');
      row.scrollIntoView({ block: 'nearest' });
    }
  });

  byInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      byInput.classList.toggle('missing', !byInput.value.trim());
      if (state.record) focusNext(null);
    }
  });

  void loadQueue(null);
}
