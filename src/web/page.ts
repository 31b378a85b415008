// The workbench page: one HTML document, its style and script inline (the CSP allows only these, by
// nonce), nothing fetched from outside — the bureau's machines may be offline. The script is the
// checked TypeScript of ./client.ts, sent as its compiled text.
import { BASE_STYLE, escapeAttr } from '../review/page.js';
import { clientScript } from './client.js';
import { programmeScript } from './client-programme.js';
import { PROGRAMME_STYLE, PROGRAMME_VIEWS } from './page-programme.js';

export interface WorkbenchPageOptions {
  nonce: string;
  /** Prefills 核对人. */
  by: string;
}

const ACCEPT = '.docx,.pdf,.png,.jpg,.jpeg,.tif,.tiff';

const STEPS: readonly [string, string][] = [
  ['import', '导入'],
  ['review', '核对'],
  ['check', '检查'],
  ['export', '汇总'],
  ['match', '对接'],
  ['projects', '项目'],
  ['scores', '评审'],
  ['documents', '文书'],
];

/** The tabs' look, for the workbench and the review page it serves. */
export const TABS_STYLE = `.tabs { display: flex; gap: .3rem; flex: 1; }
.tabs a {
  padding: .4rem .9rem; border-radius: 6px; color: var(--ink); text-decoration: none; font-weight: 600;
  border: 1px solid transparent;
}
.tabs a b { display: inline-block; width: 1.4em; height: 1.4em; line-height: 1.4em; text-align: center;
  border-radius: 50%; background: var(--line); font-size: .8em; margin-right: .2em; }
.tabs a.current { border-color: var(--focus); background: #eef4fc; }
.tabs a.current b { background: var(--focus); color: #fff; }
.badge { background: var(--warn); color: #fff; border-radius: 1em; padding: 0 .5em; font-size: .8em; }
.badge:empty { display: none; }`;

/**
 * The steps as tabs. On the workbench the script marks the current one; the review page, served by
 * the workbench, shows them too (with 核对 current and links back), so review is one of its views.
 */
export function workbenchTabs(current?: string, base = ''): string {
  const tab = ([view, name]: [string, string], i: number) =>
    `<a href="${base}#${view}" data-view="${view}"${view === current ? ' class="current" aria-current="page"' : ''}><b>${i + 1}</b> ${name}${
      view === 'review' || view === 'check' ? ` <span class="badge" id="badge-${view}"></span>` : ''
    }</a>`;
  return `<nav class="tabs" aria-label="步骤">\n    ${STEPS.map(tab).join('\n    ')}\n  </nav>`;
}

export function workbenchPage({ nonce, by }: WorkbenchPageOptions): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>工作台 · 协同 xietong</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body data-by="${escapeAttr(by)}">
<header class="top">
  <h1>协同 <small>工作台</small></h1>
  ${workbenchTabs()}
  <label class="who">核对人 <input id="by" autocomplete="name" placeholder="请填写姓名"></label>
</header>
<p id="status" class="status" aria-live="polite">正在读取数据库… / Loading…</p>
<main>
<section id="view-import" class="view" hidden>
  <h2>导入表格</h2>
  <div id="import-empty" class="first" hidden>
    <strong>数据库里还没有记录，先导入表格。</strong>
    扫描件、手机照片、扫描仪 PDF 和填好的 Word 表格都可以，一次可导入很多份；读完后到「核对」逐项确认。
  </div>
  <div class="cards">
    <div class="card">
      <h3>上传文件</h3>
      <p>从这台电脑选择文件（可多选），或把文件拖到下面的方框里。</p>
      <label id="drop" class="drop">
        <input type="file" id="files" multiple accept="${ACCEPT}">
        <span id="chosen">点击这里选择文件，或把文件拖进来</span>
      </label>
      <button id="upload" class="primary" disabled>导入所选文件</button>
    </div>
    <div class="card">
      <h3>按路径导入</h3>
      <p>运行 xietong 的电脑上的文件或文件夹，每行一个；文件夹里的表格会逐层找出。</p>
      <textarea id="paths" rows="4" placeholder="例如 /home/kjj/扫描件/第一批"></textarea>
      <button id="from-paths">从路径导入</button>
    </div>
  </div>
  <div id="job" class="job" hidden></div>
</section>
<section id="view-review" class="view" hidden>
  <h2>核对</h2>
  <div class="card">
    <h3>逐项核对</h3>
    <p id="review-text"></p>
    <a id="open-review" class="button primary" href="/review">打开核对页面</a>
  </div>
  <div class="card">
    <h3>无需逐项核对的记录</h3>
    <p>这些记录没有识别存疑的字段（例如填好的 Word 表格）。看过下面的清单后，可由核对人一次核对通过。</p>
    <ul id="approvable" class="list cols"></ul>
    <button id="approve-all" class="primary" hidden>全部核对通过</button>
    <p id="approve-msg" class="msg"></p>
  </div>
</section>
<section id="view-check" class="view" hidden>
  <h2>检查</h2>
  <p id="check-text"></p>
  <div id="problems"></div>
</section>
<section id="view-export" class="view" hidden>
  <h2>汇总</h2>
  <div class="card">
    <h3>汇总表</h3>
    <p id="export-text"></p>
    <a id="download" class="button primary" href="/api/export/xlsx" download>下载汇总表（Excel）</a>
    <p id="export-msg" class="msg"></p>
  </div>
</section>
${PROGRAMME_VIEWS}
</main>
<div id="toast" class="toast" role="status"></div>
<script nonce="${nonce}">${clientScript()}</script>
<script nonce="${nonce}">${programmeScript()}</script>
</body>
</html>`;
}

const STYLE = `${BASE_STYLE}
html { font-size: 17px; }
[hidden] { display: none !important; }
.top {
  position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 1.5rem;
  padding: .5rem 1.2rem; background: #fff; border-bottom: 1px solid var(--line);
}
.top h1 { font-size: 1.3rem; margin: 0; white-space: nowrap; }
${TABS_STYLE}
.who { display: flex; align-items: center; gap: .5rem; font-weight: 600; white-space: nowrap; }
.who input { font: inherit; width: 8em; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
.who input.missing { border-color: var(--err); background: var(--err-bg); }
.status { margin: 0; padding: .45rem 1.2rem; color: var(--muted); background: #fafbfc; border-bottom: 1px solid var(--line); }
main { padding: .8rem 1.2rem 3rem; max-width: 72rem; }
h2 { font-size: 1.25rem; margin: .2rem 0 .8rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
.first {
  padding: 1rem 1.2rem; margin-bottom: 1rem; border-radius: 8px; background: #eef4fc;
  border: 1px solid #b8d0f0; font-size: 1.05rem;
}
.first strong { display: block; font-size: 1.2rem; margin-bottom: .3rem; }
.cards { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin-bottom: 1rem; }
.card p { margin: .2rem 0 .7rem; color: var(--muted); }
.drop {
  position: relative; display: block; border: 2px dashed var(--line); border-radius: 8px; padding: 1rem; text-align: center;
  cursor: pointer; margin-bottom: .7rem; color: var(--muted);
}
.drop.over { border-color: var(--focus); background: #eef4fc; }
.drop input { position: absolute; width: 1px; height: 1px; opacity: 0; }
.drop:focus-within { outline: 3px solid var(--focus); outline-offset: 2px; }
.drop span { font-size: 1.05rem; }
textarea { font: inherit; width: 100%; padding: .4rem .6rem; border: 1px solid var(--line); border-radius: 4px; margin-bottom: .7rem; }
button, .button {
  display: inline-block; font: inherit; padding: .45rem 1.1rem; border-radius: 6px; border: 1px solid var(--line);
  background: #fff; color: var(--ink); cursor: pointer; text-decoration: none;
}
button.primary, .button.primary { background: var(--ok); border-color: var(--ok); color: #fff; font-weight: 700; }
button:disabled { opacity: .5; cursor: default; }
button:focus-visible, .button:focus-visible, .tabs a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.job { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; }
.job progress { width: 100%; height: 1.1rem; }
.job.done { border-color: var(--ok); }
.job.bad { border-color: var(--err); }
.result { font-weight: 700; font-size: 1.1rem; margin: 0 0 .4rem; }
.result.ok { color: var(--ok); }
.result.bad { color: var(--err); }
.result.warn { color: var(--warn); }
.next { margin: .7rem 0 0; padding: .5rem .8rem; background: var(--ok-bg); border-radius: 6px; }
.next a { color: var(--focus); font-weight: 700; }
.list { margin: .3rem 0 .8rem; padding-left: 1.2rem; max-height: 18rem; overflow: auto; }
.list.cols { columns: 2; column-gap: 2.5rem; }
.fail { color: var(--err); }
.msg { margin: .6rem 0 0; }
.msg.error { color: var(--err); }
.msg.ok { color: var(--ok); }
.problem { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem; margin-bottom: .6rem; }
.problem h3 small { margin-left: .5rem; }
.problem ul { margin: .2rem 0; padding-left: 1.2rem; }
.sev { display: inline-block; min-width: 2.6em; text-align: center; border-radius: 4px; font-size: .8em; margin-right: .4em; padding: 0 .3em; }
.sev.error { background: var(--err-bg); color: var(--err); }
.sev.warning { background: var(--warn-bg); color: var(--warn); }
.sev.info { background: #eef4fc; color: var(--focus); }
.toast { bottom: 1.2rem; }
${PROGRAMME_STYLE}`;
