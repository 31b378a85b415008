// The review page: one HTML document with its style and script inline (the CSP allows only these,
// by nonce), no framework and nothing fetched from outside. The script renders with textContent
// only, so a value read off paper can never become markup.

export interface PageOptions {
  nonce: string;
  /** Prefills 核对人. */
  by: string;
  /** The workbench's address: a link back to it (the page served alone has none). */
  home?: string;
}

export const escapeAttr = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

export function reviewPage({ nonce, by, home }: PageOptions): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>人工核对 · 协同 xietong</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body data-by="${escapeAttr(by)}">
<header class="top">
  ${home ? `<a class="home" href="${escapeAttr(home)}">← 工作台</a>` : ''}
  <h1>人工核对 <small>Review</small></h1>
  <span id="progress" class="progress"></span>
  <label class="who">核对人 <small>Reviewer</small>
    <input id="by" autocomplete="name" placeholder="请填写姓名" tabindex="-1">
  </label>
</header>
<div class="layout">
  <nav id="queue" class="queue" aria-label="待核对记录 / queue"></nav>
  <main id="record" class="record" aria-live="polite"><p class="empty">正在加载… / Loading…</p></main>
</div>
<footer class="keys" aria-label="快捷键 / keys">
  <span><kbd>Enter</kbd> 确认或保存本字段，到下一个待核对字段</span>
  <span><kbd>Tab</kbd> / <kbd>Shift</kbd>+<kbd>Tab</kbd> 在字段间移动</span>
  <span><kbd>Esc</kbd> 还原</span>
  <span><kbd>Shift</kbd>+<kbd>Enter</kbd> 长文本换行</span>
  <span><kbd>Ctrl</kbd>+<kbd>Enter</kbd> 整份核对通过</span>
  <span><kbd>Ctrl</kbd>+<kbd>→</kbd> / <kbd>Ctrl</kbd>+<kbd>←</kbd> 下一份 / 上一份</span>
</footer>
<div id="toast" class="toast" role="status"></div>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

/** Colours, type and the page's frame, shared with the workbench so the two look like one program. */
export const BASE_STYLE = `
:root {
  --ink: #1f2328; --muted: #5b636d; --line: #d6dae0; --bg: #f4f5f7; --card: #fff;
  --warn: #b35c00; --warn-bg: #fff6e5; --ok: #1a7f37; --ok-bg: #eaf7ee; --err: #c62828; --err-bg: #fdecec;
  --focus: #0b63ce;
}
* { box-sizing: border-box; }
body {
  margin: 0; color: var(--ink); background: var(--bg); line-height: 1.5;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", system-ui, sans-serif;
}
small { color: var(--muted); font-weight: normal; font-size: .75em; }
.toast {
  position: fixed; right: 1.2rem; bottom: 3.5rem; padding: .6rem 1rem; border-radius: 6px; background: var(--ok);
  color: #fff; font-weight: 600; opacity: 0; transition: opacity .2s; pointer-events: none;
}
.toast.show { opacity: 1; }
.toast.error { background: var(--err); }
`;

const STYLE = `${BASE_STYLE}
html { font-size: 18px; }
.top {
  position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 1.5rem;
  padding: .6rem 1.2rem; background: #fff; border-bottom: 1px solid var(--line);
}
.top h1 { font-size: 1.3rem; margin: 0; }
.top .home { color: var(--focus); text-decoration: none; font-weight: 600; }
.progress { color: var(--muted); flex: 1; }
.who { display: flex; align-items: center; gap: .5rem; font-weight: 600; }
.who input { font: inherit; width: 9em; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
.who input.missing { border-color: var(--err); background: var(--err-bg); }
.layout { display: grid; grid-template-columns: 16rem 1fr; gap: 1rem; padding: 1rem 1.2rem 5rem; }
.queue { display: flex; flex-direction: column; gap: .35rem; align-self: start; position: sticky; top: 4.5rem; }
.queue button {
  font: inherit; text-align: left; padding: .45rem .7rem; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; cursor: pointer; color: var(--ink);
}
.queue button.current { border-color: var(--focus); box-shadow: inset 4px 0 0 var(--focus); }
.queue button.approved { opacity: .55; }
.queue .q-title { display: block; font-weight: 600; }
.queue .q-meta { display: block; font-size: .8rem; color: var(--muted); }
.record { min-width: 0; }
.rec-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .4rem 1rem; margin-bottom: .6rem; }
.rec-head h2 { margin: 0; font-size: 1.5rem; }
.rec-head .meta { color: var(--muted); font-size: .85rem; }
.status { padding: .1rem .6rem; border-radius: 99px; font-size: .85rem; font-weight: 600; }
.status.pending { background: var(--warn-bg); color: var(--warn); }
.status.verified { background: var(--ok-bg); color: var(--ok); }
.rec-issues { margin: 0 0 .8rem; padding: .5rem .8rem .5rem 2rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
h3 { font-size: 1rem; color: var(--muted); margin: 1.2rem 0 .5rem; }
.field {
  display: grid; grid-template-columns: minmax(12rem, 26rem) 1fr; gap: 1rem; padding: .8rem 1rem;
  margin-bottom: .7rem; background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--warn);
  border-radius: 6px;
}
.field.done { border-left-color: var(--ok); }
.field.active { outline: 3px solid var(--focus); outline-offset: 1px; }
.crop { display: flex; align-items: center; justify-content: center; align-self: start; background: #fafafa; border: 1px solid var(--line); min-height: 4rem; }
.crop img { max-width: 100%; max-height: 14rem; object-fit: contain; display: block; }
.crop .nocrop { color: var(--muted); font-size: .85rem; }
.label { display: flex; flex-wrap: wrap; align-items: baseline; gap: .6rem; font-weight: 700; font-size: 1.05rem; margin-bottom: .3rem; }
.conf { font-weight: 600; font-size: .85rem; color: var(--warn); }
.badge { font-size: .75rem; font-weight: 600; padding: 0 .5rem; border-radius: 99px; background: var(--warn-bg); color: var(--warn); }
.done .badge { background: var(--ok-bg); color: var(--ok); }
.value {
  font: inherit; font-size: 1.25rem; width: 100%; padding: .35rem .6rem; border: 2px solid var(--line); border-radius: 5px;
  background: #fff; color: var(--ink);
}
textarea.value { min-height: 4.5em; resize: vertical; font-size: 1.05rem; }
.value:focus { outline: none; border-color: var(--focus); box-shadow: 0 0 0 3px rgba(11, 99, 206, .2); }
.value.invalid { border-color: var(--err); background: var(--err-bg); }
.raw { color: var(--muted); font-size: .85rem; margin-top: .25rem; overflow-wrap: anywhere; }
.reason { color: var(--warn); margin-top: .3rem; }
.issues { margin: .3rem 0 0; padding-left: 1.2rem; }
.sev-error { color: var(--err); }
.sev-warning { color: var(--warn); }
.sev-info { color: var(--muted); }
.msg:empty { display: none; }
.msg { margin-top: .35rem; padding: .3rem .6rem; border-radius: 4px; }
.msg.error { background: var(--err-bg); color: var(--err); font-weight: 600; }
.msg.ok { background: var(--ok-bg); color: var(--ok); }
.msg.note { background: var(--warn-bg); color: var(--warn); }
.actions { display: flex; gap: .8rem; align-items: center; margin: 1rem 0; }
.actions button {
  font: inherit; padding: .5rem 1.2rem; border-radius: 6px; border: 1px solid var(--line); background: #fff; cursor: pointer;
}
.actions button.primary { background: var(--ok); border-color: var(--ok); color: #fff; font-weight: 700; }
.actions button:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.actions .hint { color: var(--muted); }
.others { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .4rem 1rem; }
.row { display: grid; grid-template-columns: 12rem 1fr; gap: .2rem 1rem; padding: .35rem 0; border-bottom: 1px solid #eef0f2; align-items: start; }
.row:last-child { border-bottom: 0; }
.row label { color: var(--muted); padding-top: .3rem; }
.row .value { font-size: 1rem; border-width: 1px; }
.row .msg, .row .issues { grid-column: 2; }
.row.corrected label::after { content: " ✎"; color: var(--ok); }
.empty { font-size: 1.2rem; color: var(--muted); padding: 3rem; text-align: center; }
.keys {
  position: fixed; bottom: 0; left: 0; right: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.4rem;
  padding: .5rem 1.2rem; background: #23292f; color: #e6e8eb; font-size: .85rem;
}
kbd {
  font: inherit; font-size: .8rem; padding: 0 .35rem; border-radius: 3px; background: #fff; color: #23292f;
  border: 1px solid #9aa3ad; box-shadow: inset 0 -1px 0 #9aa3ad;
}
`;

// Plain ES2020 for the browser, inside a template literal: no backticks, dollar-brace or backslashes.
const SCRIPT = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const state = { queue: [], index: 0, record: null, approved: 0, approveArmed: false };
  const byInput = $('by');
  byInput.value = document.body.dataset.by || '';

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  const pct = (c) => Math.round(c * 100) + '%';
  const enc = encodeURIComponent;

  async function api(method, url, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(url, init);
    } catch (e) {
      return { ok: false, status: 0, data: { message: '无法连接核对服务（命令是否已停止？）/ server unreachable' } };
    }
    let data = null;
    try { data = await res.json(); } catch (e) { data = { message: res.status + ' ' + res.statusText }; }
    return { ok: res.ok, status: res.status, data };
  }

  let toastTimer = 0;
  function toast(text, isError) {
    const t = $('toast');
    t.textContent = text;
    t.className = 'toast show' + (isError ? ' error' : '');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.className = 'toast'; }, 2500);
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

  async function loadQueue(keepId) {
    const res = await api('GET', '/api/queue');
    if (!res.ok) { showEmpty(res.data.message); return; }
    state.queue = res.data.records;
    const at = state.queue.findIndex((q) => q.id === keepId);
    state.index = at >= 0 ? at : Math.min(state.index, Math.max(0, state.queue.length - 1));
    renderQueue();
    if (state.queue.length === 0) { state.record = null; showEmpty(); return; }
    await loadRecord();
  }

  function renderQueue() {
    const nav = $('queue');
    nav.replaceChildren();
    state.queue.forEach((q, i) => {
      const b = el('button', i === state.index ? 'current' : '');
      b.type = 'button';
      b.tabIndex = -1;
      b.append(el('span', 'q-title', q.title || q.id));
      b.append(el('span', 'q-meta', q.formName + ' · ' +
        (q.flagged > 0 ? q.flagged + ' 项待核对 · 最低 ' + pct(q.minConfidence) : '字段已处理，待核对通过')));
      b.addEventListener('click', () => go(i));
      nav.append(b);
    });
    $('progress').textContent = state.queue.length
      ? '第 ' + (state.index + 1) + ' / ' + state.queue.length + ' 份 · 本次已核对 ' + state.approved + ' 份'
      : '本次已核对 ' + state.approved + ' 份';
  }

  function showEmpty(message) {
    const main = $('record');
    main.replaceChildren(el('p', 'empty', message || '没有待人工核对的记录。 / Nothing needs review.'));
    renderQueue();
  }

  async function go(i) {
    if (i < 0 || i >= state.queue.length) {
      toast(i < 0 ? '已是第一份 / first record' : '已是最后一份 / last record');
      return;
    }
    state.index = i;
    renderQueue();
    await loadRecord();
  }

  // --- one record -------------------------------------------------------------------------------

  async function loadRecord() {
    const q = state.queue[state.index];
    const res = await api('GET', '/api/records/' + enc(q.id));
    if (!res.ok) { showEmpty(res.data.message); return; }
    state.record = res.data;
    state.approveArmed = false;
    renderRecord();
    focusNext(null);
  }

  function renderRecord() {
    const r = state.record;
    const main = $('record');
    main.replaceChildren();
    const head = el('div', 'rec-head');
    head.append(el('h2', '', r.title || r.id));
    head.append(el('span', 'status ' + r.status, r.status === 'verified' ? '已核对' : '待审核'));
    head.append(el('span', 'meta', r.formName + ' · ' + r.id + (r.sources.length ? ' · 来源 ' + r.sources.join('，') : '')));
    main.append(head);
    if (r.issues.length) main.append(issueList(r.issues, 'rec-issues'));

    const flagged = r.fields.filter((f) => f.flagged);
    const others = r.fields.filter((f) => !f.flagged);
    main.append(el('h3', '', '待核对字段 / fields to check（' + flagged.length + '）'));
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
    actions.append(approve, next, el('span', 'hint', ''));
    actions.lastChild.id = 'approve-hint';
    main.append(actions);

    if (others.length) {
      main.append(el('h3', '', '其他字段 / other fields'));
      const box = el('div', 'others');
      for (const f of others) box.append(plainRow(f));
      main.append(box);
    }
  }

  function issueList(issues, cls) {
    const ul = el('ul', cls);
    for (const i of issues) {
      const tag = i.severity === 'error' ? '【错误】' : i.severity === 'warning' ? '【警告】' : '【提示】';
      ul.append(el('li', 'sev-' + i.severity, tag + i.message));
    }
    return ul;
  }

  function editor(f) {
    const input = el(f.multiline ? 'textarea' : 'input', 'value');
    if (!f.multiline) input.type = 'text';
    input.id = 'f-' + f.key;
    input.value = f.text;
    input.dataset.key = f.key;
    input.spellcheck = false;
    input.autocomplete = 'off';
    return input;
  }

  function flaggedRow(f) {
    const row = el('div', 'field' + (f.needsReview ? '' : ' done'));
    row.dataset.key = f.key;
    const crop = el('div', 'crop');
    if (f.hasCrop) {
      const img = el('img');
      img.alt = f.label + ' 原图 / scan';
      img.src = '/crop/' + enc(state.record.id) + '/' + enc(f.key);
      crop.append(img);
    } else crop.append(el('span', 'nocrop', '无原图 / no crop'));
    const edit = el('div', 'edit');
    const label = el('label', 'label');
    label.htmlFor = 'f-' + f.key;
    label.append(el('span', '', f.label));
    if (f.confidence !== undefined) label.append(el('span', 'conf', '识别把握 ' + pct(f.confidence)));
    label.append(el('span', 'badge', badgeText(f)));
    edit.append(label, editor(f));
    if (f.raw !== undefined && f.raw !== f.text) edit.append(el('div', 'raw', '识别原文 / read: ' + f.raw));
    if (f.reason) edit.append(el('div', 'reason', '⚠ ' + f.reason));
    if (f.issues.length) edit.append(issueList(f.issues, 'issues'));
    const msg = el('div', 'msg');
    msg.setAttribute('role', 'status');
    edit.append(msg);
    row.append(crop, edit);
    return row;
  }

  function badgeText(f) {
    if (f.needsReview) return '待核对';
    if (f.correction && f.correction.oldText === f.correction.newText) return '已确认 · ' + f.correction.by;
    if (f.correction) return '已更正 · ' + f.correction.by;
    return '已处理';
  }

  function plainRow(f) {
    const row = el('div', 'row' + (f.correction ? ' corrected' : ''));
    row.dataset.key = f.key;
    const label = el('label', '', f.label);
    label.htmlFor = 'f-' + f.key;
    row.append(label, editor(f));
    if (f.issues.length) row.append(issueList(f.issues, 'issues'));
    const msg = el('div', 'msg');
    msg.setAttribute('role', 'status');
    row.append(msg);
    return row;
  }

  const fieldOf = (key) => state.record.fields.find((f) => f.key === key);
  const rowOf = (key) => document.querySelector('[data-key="' + CSS.escape(key) + '"].field, [data-key="' + CSS.escape(key) + '"].row');

  function setMsg(key, text, kind) {
    const row = rowOf(key);
    if (!row) return;
    const msg = row.querySelector('.msg');
    msg.textContent = text || '';
    msg.className = 'msg' + (kind ? ' ' + kind : '');
    row.querySelector('.value').classList.toggle('invalid', kind === 'error');
  }

  // Enter: a flagged field is confirmed as shown or saved as typed; another field is saved only
  // when changed. Then on to the next field still needing review.
  async function save(input) {
    const f = fieldOf(input.dataset.key);
    if (!f) return;
    const typed = input.value;
    const unchanged = typed === f.text;
    if (unchanged && !f.needsReview) { focusNext(f.key); return; }
    const by = who();
    if (!by) return;
    // Unchanged: post the stored value itself, so "accept" never re-parses it into something else.
    const body = { value: unchanged ? f.value : typed, expected: f.value, by };
    input.disabled = true;
    const res = await api('POST', '/api/records/' + enc(state.record.id) + '/fields/' + enc(f.key), body);
    input.disabled = false;
    if (res.ok) {
      Object.assign(f, res.data.field);
      state.record.status = res.data.status;
      state.record.version = res.data.version;
      const q = state.queue[state.index];
      if (q && q.id === state.record.id) {
        q.flagged = state.record.fields.filter((x) => x.needsReview).length;
        renderQueue();
      }
      const row = rowOf(f.key);
      const fresh = f.flagged ? flaggedRow(f) : plainRow(f);
      row.replaceWith(fresh);
      const c = res.data.correction;
      const done = c.oldValue === c.newValue ? '✓ 已确认 / confirmed' : '✓ 已保存 / saved：' + (f.text || '（空）');
      const notes = res.data.notes || [];
      setMsg(f.key, done + (notes.length ? '　' + notes.join('；') : ''), notes.length ? 'note' : 'ok');
      const status = document.querySelector('.rec-head .status');
      if (status) { status.className = 'status ' + state.record.status; status.textContent = state.record.status === 'verified' ? '已核对' : '待审核'; }
      focusNext(f.key);
      return;
    }
    if (res.status === 409 && res.data && 'current' in res.data) {
      // Someone else changed it: show their value, and let the reviewer decide with a fresh Enter.
      f.value = res.data.current;
      f.text = res.data.current === null ? '' : typeof res.data.current === 'boolean' ? (res.data.current ? '是' : '否') : String(res.data.current);
      input.value = f.text;
      setMsg(f.key, '冲突 / conflict：' + res.data.message, 'error');
      input.focus();
      return;
    }
    setMsg(f.key, (res.data && res.data.message) || '保存失败 / not saved', 'error');
    input.focus();
    input.select();
  }

  function inputs() {
    return Array.from(document.querySelectorAll('#record .value'));
  }

  function focusNext(fromKey) {
    const all = inputs();
    const pendingKeys = state.record.fields.filter((f) => f.needsReview).map((f) => f.key);
    const start = fromKey === null ? -1 : all.findIndex((i) => i.dataset.key === fromKey);
    const after = all.slice(start + 1).concat(all.slice(0, start + 1));
    const next = after.find((i) => pendingKeys.includes(i.dataset.key));
    const hint = $('approve-hint');
    if (next) {
      next.focus();
      if (next.select) next.select();
      if (hint) hint.textContent = '还有 ' + pendingKeys.length + ' 个字段待核对';
      return;
    }
    if (hint) hint.textContent = '字段已全部处理：按 Enter 或 Ctrl+Enter 核对通过';
    const approve = $('approve');
    if (approve) approve.focus();
  }

  async function approveRecord() {
    const r = state.record;
    if (!r) return;
    const left = r.fields.filter((f) => f.needsReview).length;
    const hint = $('approve-hint');
    if (left > 0 && !state.approveArmed) {
      state.approveArmed = true;
      if (hint) hint.textContent = '还有 ' + left + ' 个字段未核对，按原样通过？再按一次 Ctrl+Enter 确认';
      toast('还有 ' + left + ' 个字段未核对 / ' + left + ' fields unchecked', true);
      return;
    }
    const by = who();
    if (!by) return;
    const res = await api('POST', '/api/records/' + enc(r.id) + '/approve', { by, version: r.version });
    if (res.status === 409) {
      // Someone changed a value meanwhile: show the record as it is now, to be looked at again.
      toast(res.data.message, true);
      await go(state.index);
      return;
    }
    if (!res.ok) { toast((res.data && res.data.message) || '核对失败 / not approved', true); return; }
    state.approved += 1;
    toast('✓ 已核对 / approved：' + (r.title || r.id));
    await loadQueue(null);
  }

  function typing(e) {
    const t = e.target;
    return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      approveRecord();
      return;
    }
    if ((e.ctrlKey && e.key === 'ArrowRight') || (!typing(e) && e.key === 'n')) {
      e.preventDefault();
      go(state.index + 1);
      return;
    }
    if ((e.ctrlKey && e.key === 'ArrowLeft') || (!typing(e) && e.key === 'p')) {
      e.preventDefault();
      go(state.index - 1);
      return;
    }
    const t = e.target;
    if (!(t instanceof HTMLElement) || !t.classList.contains('value')) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      // Enter that ends an IME composition (拼音) is the IME's, not ours.
      e.preventDefault();
      save(t);
    } else if (e.key === 'Escape') {
      const f = fieldOf(t.dataset.key);
      if (f) { t.value = f.text; setMsg(f.key, '', ''); }
    }
  });

  document.addEventListener('focusin', (e) => {
    document.querySelectorAll('.field.active').forEach((x) => x.classList.remove('active'));
    const row = e.target instanceof HTMLElement ? e.target.closest('.field') : null;
    if (row) {
      row.classList.add('active');
      row.scrollIntoView({ block: 'nearest' });
    }
  });

  byInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); byInput.classList.toggle('missing', !byInput.value.trim()); if (state.record) focusNext(null); }
  });

  loadQueue(null);
})();
`;
