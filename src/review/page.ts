// The review page: one HTML document with its style and script inline (the CSP allows only these,
// by nonce), no framework and nothing fetched from outside. The script is the checked TypeScript of
// ./client.ts, sent as its compiled text.
import { reviewClientScript } from './client.js';

export interface PageOptions {
  nonce: string;
  /** Prefills 核对人. */
  by: string;
  /** The workbench's address: a link back to it (the page served alone has none). */
  home?: string;
  /** The workbench's steps as tabs, and their style: served by the workbench, review is one of its views. */
  tabs?: { html: string; style: string };
}

export const escapeAttr = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** The review page inside the workbench: its header holds the steps, so everything is kept on one line. */
const WITH_TABS = `
.top { gap: .8rem; }
.top h1 { font-size: 1.1rem; white-space: nowrap; }
.tabs { flex: none; }
.tabs a { white-space: nowrap; padding: .3rem .55rem; font-size: .85rem; }
.top .progress { font-size: .8rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.who small { display: none; }
.who input { width: 6em; }
`;

export function reviewPage({ nonce, by, home, tabs }: PageOptions): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>人工核对 · 协同 xietong</title>
<style nonce="${nonce}">${STYLE}${tabs ? `${tabs.style}${WITH_TABS}` : ''}</style>
</head>
<body data-by="${escapeAttr(by)}">
<header class="top">
  ${home && !tabs ? `<a class="home" href="${escapeAttr(home)}">← 工作台</a>` : ''}
  <h1>${tabs ? '协同 <small>工作台</small>' : '人工核对 <small>Review</small>'}</h1>
  ${tabs ? tabs.html : ''}
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
  <span><kbd>Alt</kbd>+<kbd>Z</kbd> 放大原图</span>
  <span><kbd>Alt</kbd>+<kbd>1</kbd> 看整页</span>
</footer>
<div id="large" class="large" role="dialog" aria-label="原图 / scan" hidden></div>
<div id="toast" class="toast" role="status"></div>
<script nonce="${nonce}">${reviewClientScript()}</script>
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
.crop img { cursor: zoom-in; }
.pages { display: inline-flex; gap: .4rem; margin-left: auto; }
.page-btn { font: inherit; font-size: .85rem; padding: .15rem .6rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.large { position: fixed; inset: 0; z-index: 10; background: rgba(20, 24, 28, .82); overflow: auto; padding: 1rem; cursor: zoom-out; text-align: center; }
.large[hidden] { display: none; }
.large img { background: #fff; max-width: none; width: min(96vw, 1600px); min-width: 40vw; image-rendering: auto; }
.large .hint { color: #fff; margin: 0 0 .5rem; }
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
