// The workbench page's script, written as checked TypeScript and sent as the compiled text of one
// function: tsc and biome check it like any other file, and nothing is built or fetched at run time.
// So the function must be self-contained — it runs in the browser, where no import of this module
// exists. It renders with textContent only: a value read off paper never becomes markup.
// Over 400 lines because it is one function by necessity: the browser receives it whole.

/** The script as the page inlines it. */
export function clientScript(): string {
  // tsx (the CLI's loader) keeps function names by wrapping them in __name(…): give the browser one.
  return `"use strict";var __name=function(f){return f};(${workbenchClient.toString()})();`;
}

interface Job {
  state: 'running' | 'done' | 'failed';
  inputs: string[];
  pagesDone: number;
  pagesTotal?: number;
  file?: string;
  error?: string;
  summary?: {
    records: number;
    byForm: { name: string; count: number }[];
    copies: number;
    toReview: number;
    inserted: number;
    updated: number;
    unchanged: number;
    failures: { file: string; page?: number; code: string; message: string }[];
    missing: string[];
  };
}

interface Overview {
  counts: { records: number; copies: number; verified: number; needingReview: number };
  approvable: number;
  job: Job | null;
}

function workbenchClient(): void {
  const VIEWS = ['import', 'review', 'check', 'export', 'match', 'projects', 'scores', 'documents'] as const;
  type View = (typeof VIEWS)[number];
  const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
    const e = document.getElementById(id);
    if (!e) throw new Error(`missing #${id}`);
    return e as T;
  };
  const byInput = $<HTMLInputElement>('by');
  // Kept for this tab, so the review page (and a reload) knows who is working.
  byInput.value = document.body.dataset.by || sessionStorage.getItem('xietong-by') || '';
  byInput.addEventListener('change', () => sessionStorage.setItem('xietong-by', byInput.value.trim()));
  let overview: Overview | undefined;
  let approvable: { id: string; formName: string; title: string; version: string }[] = [];

  function el(tag: string, text?: string, cls?: string): HTMLElement {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(text: string, href: string): HTMLAnchorElement {
    const a = document.createElement('a');
    a.textContent = text;
    a.href = href;
    return a;
  }
  /** "下一步" line: words and links, so every result says what comes next. */
  function next(...parts: (string | HTMLElement)[]): HTMLElement {
    const p = el('p', undefined, 'next');
    p.append('下一步：', ...parts);
    return p;
  }
  let toastTimer: number | undefined;
  function toast(text: string, error = false): void {
    const t = $('toast');
    t.textContent = text;
    t.className = `toast show${error ? ' error' : ''}`;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => {
      t.className = 'toast';
    }, 4000);
  }

  async function api<T>(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ ok: boolean; status: number; data: T & { message?: string } }> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      toast('连不上 xietong：命令行里的 xietong serve 是否已关闭？', true);
      throw new Error('offline');
    }
    const data = (await res.json().catch(() => ({}))) as T & { message?: string };
    if (res.status === 503) toast(data.message ?? '数据库忙，请稍后重试。', true);
    return { ok: res.ok, status: res.status, data };
  }

  // ---- overview and navigation ----

  async function refreshOverview(): Promise<Overview> {
    const { data } = await api<Overview>('GET', '/api/overview');
    overview = data;
    const c = data.counts;
    const pending = c.records - c.verified;
    $('status').textContent =
      c.records === 0
        ? '数据库里还没有记录 —— 先导入表格。'
        : `共 ${c.records} 份记录${c.copies ? `（其中一式二份副本 ${c.copies} 份）` : ''} · ` +
          `已核对 ${c.verified} 份 · 待核对 ${pending} 份` +
          (c.needingReview ? `，其中 ${c.needingReview} 份有识别存疑的字段` : '');
    $('badge-review').textContent = pending > 0 ? String(pending) : '';
    $('import-empty').hidden = c.records > 0;
    return data;
  }

  function current(): View {
    const h = location.hash.slice(1);
    return (VIEWS as readonly string[]).includes(h) ? (h as View) : 'import';
  }

  async function show(): Promise<void> {
    const view = current();
    for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
    for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
      a.classList.toggle('current', a.dataset.view === view);
    }
    const o = await refreshOverview();
    if (view === 'review') await showReview(o);
    else if (view === 'check') await showCheck(o);
    else if (view === 'export') showExport(o);
    // The programme's later steps are drawn by the page's second script (client-programme.ts).
    else
      document.dispatchEvent(
        new CustomEvent('xietong:view', { detail: { view, records: o.counts.records } }),
      );
  }

  /** A view with nothing to show yet says what to do first, never an empty page. */
  function emptyHint(into: HTMLElement): void {
    into.replaceChildren(el('strong', '还没有记录。'), '先到「导入」导入表格：', link('去导入', '#import'));
  }

  // ---- 导入 ----

  const filesInput = $<HTMLInputElement>('files');
  const drop = $('drop');
  let chosen: File[] = [];
  function choose(files: FileList | null): void {
    chosen = files ? Array.from(files) : [];
    $('chosen').textContent = chosen.length
      ? `已选 ${chosen.length} 个文件：${chosen
          .slice(0, 4)
          .map((f) => f.name)
          .join('、')}${chosen.length > 4 ? ' 等' : ''}`
      : '点击这里选择文件，或把文件拖进来';
    $<HTMLButtonElement>('upload').disabled = chosen.length === 0;
  }
  filesInput.addEventListener('change', () => choose(filesInput.files));
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    choose(e.dataTransfer?.files ?? null);
  });

  function setBusy(busy: boolean): void {
    $<HTMLButtonElement>('upload').disabled = busy || chosen.length === 0;
    $<HTMLButtonElement>('from-paths').disabled = busy;
  }

  function jobBox(): HTMLElement {
    const box = $('job');
    box.hidden = false;
    box.className = 'job';
    return box;
  }

  $('upload').addEventListener('click', async () => {
    if (chosen.length === 0) return;
    setBusy(true);
    const box = jobBox();
    try {
      const made = await api<{ batch: string }>('POST', '/api/uploads', {});
      if (!made.ok) throw new Error(made.data.message ?? '无法开始上传');
      const bar = document.createElement('progress');
      bar.max = chosen.length;
      const line = el('p');
      box.replaceChildren(el('p', '正在上传…', 'result'), bar, line);
      for (const [i, file] of chosen.entries()) {
        line.textContent = `上传第 ${i + 1} / ${chosen.length} 个文件：${file.name}`;
        const res = await fetch(
          `/api/uploads/${made.data.batch}/files?name=${encodeURIComponent(file.name)}`,
          { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file },
        );
        if (!res.ok) {
          const d = (await res.json().catch(() => ({}))) as { message?: string };
          throw new Error(`${file.name}：${d.message ?? `上传失败（${res.status}）`}`);
        }
        bar.value = i + 1;
      }
      await startIngest({ batch: made.data.batch });
    } catch (e) {
      box.className = 'job bad';
      box.replaceChildren(
        el('p', `上传没有完成：${(e as Error).message}`, 'result bad'),
        next('检查文件后重新选择并导入。'),
      );
      setBusy(false);
    }
  });

  $('from-paths').addEventListener('click', async () => {
    const paths = $<HTMLTextAreaElement>('paths')
      .value.split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    if (paths.length === 0) {
      toast('请先填写文件或文件夹的路径，每行一个。', true);
      $('paths').focus();
      return;
    }
    setBusy(true);
    jobBox();
    await startIngest({ paths });
  });

  async function startIngest(body: { batch: string } | { paths: string[] }): Promise<void> {
    const started = await api<{ job: Job }>('POST', '/api/ingest', body);
    if (!started.ok) {
      const box = jobBox();
      box.className = 'job bad';
      box.replaceChildren(el('p', started.data.message ?? '无法开始导入', 'result bad'));
      setBusy(false);
      return;
    }
    await follow();
  }

  /** Polls the run until it ends: the page shows each page read as it goes. */
  async function follow(): Promise<void> {
    setBusy(true);
    for (;;) {
      const { data } = await api<{ job: Job | null }>('GET', '/api/ingest');
      const job = data.job;
      if (!job) break;
      renderJob(job);
      if (job.state !== 'running') break;
      // Typed forms are saved one by one as they are read: the counts above grow with the run.
      await refreshOverview();
      await new Promise((r) => window.setTimeout(r, 400));
    }
    setBusy(false);
    await refreshOverview();
  }

  function renderJob(job: Job): void {
    const box = jobBox();
    if (job.state === 'running') {
      const bar = document.createElement('progress');
      if (job.pagesTotal) {
        bar.max = job.pagesTotal;
        bar.value = job.pagesDone;
      }
      box.replaceChildren(
        el('p', '正在导入…', 'result'),
        bar,
        el(
          'p',
          `已读 ${job.pagesDone}${job.pagesTotal ? ` / ${job.pagesTotal}` : ''} 页${job.file ? `：${job.file}` : ''}`,
        ),
        el('p', '扫描件每页要识别十几秒；Word 表格很快。可以离开本页，回来时进度还在。'),
      );
      return;
    }
    if (job.state === 'failed' || !job.summary) {
      box.className = 'job bad';
      box.replaceChildren(
        el('p', job.error ?? '导入中断', 'result bad'),
        next('稍后重新导入；已读完的文件不会重复保存。'),
      );
      return;
    }
    const s = job.summary;
    const parts: HTMLElement[] = [];
    if (s.records === 0) {
      box.className = 'job bad';
      parts.push(el('p', '没有读出任何记录。', 'result bad'));
    } else if (s.missing.length > 0 || s.failures.length > 0) {
      box.className = 'job bad';
      parts.push(el('p', `读出 ${s.records} 份记录，但有文件没有读成。`, 'result warn'));
    } else {
      box.className = 'job done';
      parts.push(el('p', `导入完成：读出 ${s.records} 份记录。`, 'result ok'));
    }
    if (s.records > 0) {
      parts.push(
        el(
          'p',
          `${s.byForm.map((f) => `${f.name} ${f.count} 份`).join('，')}；一式二份副本 ${s.copies} 份。` +
            `数据库：新增 ${s.inserted}，更新 ${s.updated}，未变 ${s.unchanged}（人工更正都保留）。`,
        ),
      );
    }
    if (s.missing.length > 0) {
      parts.push(el('p', `找不到这些文件或文件夹：${s.missing.join('、')}`, 'fail'));
    }
    if (s.failures.length > 0) {
      parts.push(el('p', `${s.failures.length} 处无法读取：`, 'fail'));
      const ul = el('ul', undefined, 'list');
      for (const f of s.failures) {
        ul.append(el('li', `${f.file}${f.page ? ` 第 ${f.page} 页` : ''}：${f.message}`, 'fail'));
      }
      parts.push(ul);
    }
    if (s.toReview > 0) {
      parts.push(
        next(`${s.toReview} 份记录有识别存疑的字段，到 `, link('「核对」', '#review'), ' 逐项核对。'),
      );
    } else if (s.records > 0) {
      parts.push(next('没有识别存疑的字段。到 ', link('「核对」', '#review'), ' 看过清单后一次核对通过。'));
    } else if (s.missing.length > 0) {
      parts.push(next('检查路径的拼写，改正后重新导入。'));
    } else {
      parts.push(next('看上面列出的原因，修正文件后重新导入。'));
    }
    if (s.records > 0 && (s.failures.length > 0 || s.missing.length > 0)) {
      parts.push(el('p', '修正没有读成的文件后可再导入一次：已导入的记录不会重复。'));
    }
    box.replaceChildren(...parts);
  }

  // ---- 核对 ----

  async function showReview(o: Overview): Promise<void> {
    const text = $('review-text');
    const open = $('open-review');
    if (o.counts.records === 0) {
      emptyHint(text);
      open.hidden = true;
    } else {
      open.hidden = o.counts.needingReview === 0;
      text.textContent =
        o.counts.needingReview > 0
          ? `${o.counts.needingReview} 份记录有识别把握不足的字段：核对页面里原图与识别值并排，按 Enter 确认或保存，Ctrl+Enter 整份核对通过。`
          : '没有需要逐项核对的字段。';
      if (o.counts.needingReview === 0 && o.approvable === 0) {
        text.append(next('到 ', link('「检查」', '#check'), ' 看规则问题。'));
      }
    }
    const { data } = await api<{ records: typeof approvable }>('GET', '/api/approvable');
    approvable = data.records;
    const ul = $('approvable');
    ul.replaceChildren(...approvable.map((r) => el('li', `${r.formName} · ${r.title}`)));
    if (approvable.length === 0) {
      ul.replaceChildren(el('li', o.counts.records === 0 ? '还没有记录。' : '没有待核对通过的记录。'));
    }
    $('approve-all').hidden = approvable.length === 0;
    $('approve-all').textContent = `全部核对通过（${approvable.length} 份）`;
  }

  $('approve-all').addEventListener('click', async () => {
    const by = byInput.value.trim();
    const msg = $('approve-msg');
    if (!by) {
      byInput.classList.add('missing');
      byInput.focus();
      msg.className = 'msg error';
      msg.textContent = '请先在右上角填写核对人姓名。';
      return;
    }
    byInput.classList.remove('missing');
    const versions: Record<string, string> = {};
    for (const r of approvable) versions[r.id] = r.version;
    const res = await api<{ approved?: string[]; changed?: string[] }>('POST', '/api/approve-all', {
      by,
      versions,
    });
    if (res.ok) {
      msg.className = 'msg ok';
      msg.replaceChildren(
        `已核对通过 ${res.data.approved?.length ?? 0} 份。`,
        next(
          '到 ',
          link('「检查」', '#check'),
          ' 看规则问题，或到 ',
          link('「汇总」', '#export'),
          ' 下载汇总表。',
        ),
      );
    } else {
      msg.className = 'msg error';
      msg.textContent = `${res.data.message ?? `核对失败（${res.status}）`}${res.status === 409 ? ' 清单已刷新。' : ''}`;
    }
    const o = await refreshOverview();
    const keep = msg.cloneNode(true);
    await showReview(o);
    msg.replaceWith(keep);
  });

  // ---- 检查 ----

  interface Problems {
    records: number;
    doubts: number;
    problems: {
      id: string;
      title: string;
      form: string;
      status: string;
      issues: { severity: 'error' | 'warning' | 'info'; message: string }[];
    }[];
  }
  const FORM_NAMES: Record<string, string> = {
    registration: '报名表',
    demand: '企业需求表',
    problem: '难题征集表',
  };
  const SEVERITY: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };

  async function showCheck(o: Overview): Promise<void> {
    const text = $('check-text');
    const list = $('problems');
    if (o.counts.records === 0) {
      emptyHint(text);
      list.replaceChildren();
      $('badge-check').textContent = '';
      return;
    }
    text.textContent = '正在检查…';
    const { data } = await api<Problems>('GET', '/api/check');
    $('badge-check').textContent = data.problems.length ? String(data.problems.length) : '';
    const doubts = data.doubts > 0 ? `另有 ${data.doubts} 处识别存疑的字段不在此列，在「核对」中处理。` : '';
    if (data.problems.length === 0) {
      text.replaceChildren(
        `${data.records} 份记录都没有发现填写规范或申报条件方面的问题。${doubts}`,
        next('到 ', link('「汇总」', '#export'), ' 下载汇总表。'),
      );
      list.replaceChildren();
      return;
    }
    text.replaceChildren(
      `${data.records} 份记录中有 ${data.problems.length} 份发现填写规范、申报条件或跨记录（重复申报、一式二份不一致）方面的问题。${doubts}`,
      next(
        '核实下列问题：字段填错的，在 ',
        link('核对页面', '/review'),
        ' 或用 xietong store correct 更正；确属申报人情况的，在审核意见中说明。之后到 ',
        link('「汇总」', '#export'),
        ' 下载汇总表（问题也列在表中）。',
      ),
    );
    list.replaceChildren(
      ...data.problems.map((r) => {
        const box = el('div', undefined, 'problem');
        const h = el('h3', r.title);
        h.append(
          el('small', `${FORM_NAMES[r.form] ?? r.form} · ${r.status === 'verified' ? '已核对' : '待核对'}`),
        );
        const ul = el('ul');
        for (const i of r.issues) {
          const li = el('li');
          li.append(el('span', SEVERITY[i.severity] ?? i.severity, `sev ${i.severity}`), i.message);
          ul.append(li);
        }
        box.append(h, ul);
        return box;
      }),
    );
  }

  // ---- 汇总 ----

  function showExport(o: Overview): void {
    const text = $('export-text');
    const download = $('download');
    if (o.counts.records === 0) {
      emptyHint(text);
      download.hidden = true;
      return;
    }
    download.hidden = false;
    const pending = o.counts.records - o.counts.verified;
    text.textContent =
      `汇总表是一个 Excel 工作簿：报名表、企业需求表、难题征集表各一页，中文表头，含状态和问题列；一式二份的副本不另列。` +
      (pending > 0 ? `现在还有 ${pending} 份没有核对通过，表中状态为「待审核」。` : '全部记录都已核对。');
  }
  $('download').addEventListener('click', () => {
    const msg = $('export-msg');
    msg.className = 'msg ok';
    msg.replaceChildren(
      '汇总表正在下载（浏览器的下载栏里可以找到）。',
      next('到 ', link('「对接」', '#match'), ' 为企业需求确认人才。'),
    );
  });

  window.addEventListener('hashchange', () => {
    void show();
  });
  void show().then(async () => {
    // A run started earlier (or from another tab) is followed again on load.
    if (overview?.job?.state === 'running') {
      jobBox();
      await follow();
    } else if (overview?.job && current() === 'import') renderJob(overview.job);
  });
}
