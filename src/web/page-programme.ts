// The workbench's views after the records are checked — 对接, 项目, 评审, 文书: their fixed markup
// and style. What fills them comes from ./client-programme.ts.

export const PROGRAMME_VIEWS = `
<section id="view-match" class="view" hidden>
  <h2>对接</h2>
  <p id="match-text"></p>
  <div id="match-list"></div>
  <div id="match-confirm" class="card" hidden>
    <h3>确认勾选的对接</h3>
    <p>每对确认的企业需求与人才建立一个项目（状态「已对接」），三方条款随后在「项目」中填写。</p>
    <div class="row">
      <label>合作开始日期 <input type="date" id="match-start"></label>
      <label>合作期限（月） <input type="number" id="match-months" min="1" max="60" value="12"></label>
      <button id="match-go" class="primary" disabled>确认勾选的对接</button>
    </div>
    <div id="match-msg" class="msg"></div>
  </div>
</section>
<section id="view-projects" class="view" hidden>
  <h2>项目</h2>
  <p id="projects-text"></p>
  <div class="split">
    <nav id="project-list" class="plist" aria-label="项目"></nav>
    <div id="project" class="pdetail" hidden>
      <div class="card">
        <h3 id="p-head"></h3>
        <p class="state-line">当前状态：<strong id="p-state"></strong></p>
        <div id="p-next" class="row"></div>
        <label class="note">变更说明 <input id="p-note" placeholder="例如 三方协议已签订"></label>
        <div id="p-state-msg" class="msg"></div>
      </div>
      <form id="p-form" class="card terms" novalidate>
        <h3>项目条款</h3>
        <div id="p-ready" class="msg"></div>
        <div id="p-fields"></div>
        <button type="submit" id="p-save" class="primary">保存条款</button>
        <div id="p-msg" class="msg"></div>
      </form>
      <div class="card">
        <h3>变更记录</h3>
        <ul id="p-history" class="list"></ul>
      </div>
    </div>
  </div>
</section>
<section id="view-scores" class="view" hidden>
  <h2>评审</h2>
  <p id="scores-text"></p>
  <div class="cards">
    <div class="card">
      <h3>1. 下载评分录入表</h3>
      <p>已签订三方协议的项目，每位专家一张工作表；专家现场打分后录入。</p>
      <div class="row">
        <label>专家人数 <input type="number" id="s-experts" min="1" max="30" value="3"></label>
        <a id="s-workbook" class="button primary" href="/api/scores/workbook?experts=3" download>下载评分录入表</a>
      </div>
      <div id="s-workbook-msg" class="msg"></div>
    </div>
    <div class="card">
      <h3>2. 上传专家填好的评分表</h3>
      <p>可一次选多个文件；同名文件会替换先前上传的一份。上传后自动汇总。</p>
      <label class="drop"><input type="file" id="s-files" multiple accept=".xlsx"><span id="s-chosen">点击这里选择评分表（.xlsx）</span></label>
      <button id="s-upload" class="primary" disabled>上传并汇总</button>
      <p id="s-received" class="hint"></p>
      <div id="s-msg" class="msg"></div>
    </div>
  </div>
  <div class="card">
    <h3>3. 排名与经费建议</h3>
    <div id="s-ranking"></div>
    <a id="s-summary" class="button" href="/api/scores/summary" download hidden>下载评审汇总表（Excel）</a>
  </div>
</section>
<section id="view-documents" class="view" hidden>
  <h2>文书</h2>
  <p id="docs-text"></p>
  <div class="cards">
    <div class="card">
      <h3>选择文书</h3>
      <div id="d-kinds" class="checks"></div>
      <h3>项目</h3>
      <div id="d-projects" class="checks scroll"></div>
    </div>
    <div class="card">
      <h3>稿别与盖章</h3>
      <fieldset class="checks">
        <label><input type="radio" name="d-draft" value="draft" checked> 草稿（加“草稿”字样，供三方核对）</label>
        <label><input type="radio" name="d-draft" value="final"> 正式稿（记录须已核对、条款须填全）</label>
      </fieldset>
      <label class="line"><input type="checkbox" id="d-pdf"> 同时生成 PDF（需要本机装有 LibreOffice）</label>
      <label class="line">印章 <select id="d-seal"><option value="">留空，打印后手工盖章</option></select></label>
      <label class="drop small"><input type="file" id="d-seal-file" accept=".png,.jpg,.jpeg"><span>添加印章图片…</span></label>
      <p class="hint">印章图片为透明背景 PNG，文件名为单位名称（与文书中印的名称一致）。PDF 中的印章图片不是合法的电子签章。</p>
      <label class="line"><input type="checkbox" id="d-print"> 合并为一个打印文件（双面打印时每份从正面开始）</label>
      <button id="d-go" class="primary">生成文书</button>
    </div>
  </div>
  <div id="d-result" class="job" hidden></div>
</section>`;

export const PROGRAMME_STYLE = `
.row { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem 1rem; margin: .4rem 0; }
.row label, label.line, label.note { display: flex; align-items: center; gap: .4rem; }
label.line { margin: .5rem 0; }
label.note { margin-top: .6rem; color: var(--muted); }
input[type=text], input[type=date], input[type=number], input:not([type]), select {
  font: inherit; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: #fff;
}
input[type=number] { width: 6em; }
label.note input { flex: 1; }
.hint { color: var(--muted); font-size: .9em; }
.drop.small { display: inline-block; padding: .3rem .8rem; margin: .2rem 0; }
.demand { margin-bottom: .8rem; }
.demand h3 small { margin-left: .6rem; }
table.sugg, table.rank { width: 100%; border-collapse: collapse; font-size: .92rem; }
table.sugg td, table.sugg th, table.rank td, table.rank th { border-bottom: 1px solid var(--line); padding: .3rem .4rem; text-align: left; vertical-align: top; }
table.sugg th, table.rank th { color: var(--muted); font-weight: 600; }
td.score, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.why { color: var(--muted); font-size: .88em; }
td.pick { width: 2.5rem; text-align: center; }
td.pick input { width: 1.1rem; height: 1.1rem; }
.made { color: var(--ok); font-weight: 600; white-space: nowrap; }
.split { display: grid; grid-template-columns: 19rem 1fr; gap: 1rem; align-items: start; }
.plist { display: flex; flex-direction: column; gap: .35rem; position: sticky; top: 4rem; }
.plist button { font: inherit; text-align: left; padding: .45rem .7rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
.plist button.current { border-color: var(--focus); box-shadow: inset 4px 0 0 var(--focus); }
.plist button small { display: block; }
.state-line { margin: .2rem 0 .5rem; }
.terms fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .8rem; padding: .5rem .8rem .7rem; }
.terms legend { font-weight: 700; padding: 0 .3rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .5rem 1rem; }
.grid label { display: flex; flex-direction: column; font-size: .9rem; color: var(--muted); }
.grid label input, .grid label select { color: var(--ink); }
.grid label.wide { grid-column: 1 / -1; }
.terms textarea { margin: 0; }
.checks { display: flex; flex-direction: column; gap: .3rem; border: 0; padding: 0; margin: 0 0 .8rem; }
.checks.scroll { max-height: 12rem; overflow: auto; }
.checks small { margin-left: .4rem; }
.files { margin: .4rem 0; padding-left: 1.2rem; }
.files a { color: var(--focus); font-weight: 600; }
.msg ul { margin: .3rem 0; padding-left: 1.2rem; }
`;
