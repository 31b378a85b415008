// The pages of office mode the gate serves itself: 登录, 修改密码 and 退出; and what it adds to every
// page of the workbench — a bar with the account, its role and 退出, and a red warning when the
// connection is not encrypted. No script: plain forms posting to the same origin.
import { escapeAttr } from '../../review/page.js';
import type { Account } from '../../store/users.js';
import { ROLE_NAMES } from '../../store/users.js';

export const INSECURE_WARNING =
  '警告：此连接未加密（--insecure-http），同一网络中的他人可以看到密码和表格内容。请改用 HTTPS。';

const STYLE = `
body{font:15px/1.6 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f4f5f7;margin:0;color:#222}
main{max-width:380px;margin:10vh auto;background:#fff;padding:28px 32px;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:20px;margin:0 0 16px}
label{display:block;margin:12px 0 4px}
input{width:100%;box-sizing:border-box;padding:8px;font:inherit;border:1px solid #bbb;border-radius:4px}
button{margin-top:18px;width:100%;padding:9px;font:inherit;background:#1d5fbf;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{color:#b00020;background:#fde8ea;padding:8px 10px;border-radius:4px}
.note{color:#555;font-size:13px}
.insecure{background:#b00020;color:#fff;padding:8px 16px;font-weight:bold;text-align:center;margin:0}
.notice{background:#e6f4ea;padding:8px 10px;border-radius:4px}
main:has(table){max-width:760px}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left}
td form{display:inline;margin-right:6px}
td button{width:auto;margin:0;padding:3px 10px;font-size:13px}
select{width:100%;padding:8px;font:inherit}
`;

/** The bar's own style, added to each workbench page under the page's style nonce. */
export const BAR_STYLE = `
#xt-office{display:flex;gap:12px;align-items:center;justify-content:flex-end;font:13px system-ui,sans-serif;background:#eef2f8;padding:4px 16px;margin:0}
#xt-office form{margin:0}
#xt-office button{font:inherit;background:none;border:1px solid #889;border-radius:3px;padding:1px 8px;cursor:pointer}
.xt-insecure{background:#b00020;color:#fff;padding:6px 16px;font:bold 14px system-ui,sans-serif;text-align:center;margin:0}
`;

function frame(nonce: string, title: string, body: string, insecure: boolean): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 协同 xietong</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${insecure ? `<p class="insecure" role="alert">${INSECURE_WARNING}</p>` : ''}
<main>
${body}
</main>
</body>
</html>`;
}

export function loginPage(o: { nonce: string; insecure: boolean; error?: string; login?: string }): string {
  return frame(
    o.nonce,
    '登录',
    `<h1>协同 · 登录</h1>
${o.error ? `<p class="error" role="alert">${escapeAttr(o.error)}</p>` : ''}
<form method="post" action="/login">
  <label for="login">登录名</label>
  <input id="login" name="login" autocomplete="username" required autofocus value="${escapeAttr(o.login ?? '')}">
  <label for="password">密码</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">登录</button>
</form>
<p class="note">没有账号或忘记密码，请找管理员（在服务器上运行 <code>xietong user add</code> 或 <code>xietong user passwd</code>）。</p>`,
    o.insecure,
  );
}

export function passwordPage(o: {
  nonce: string;
  insecure: boolean;
  account: Account;
  forced: boolean;
  error?: string;
}): string {
  return frame(
    o.nonce,
    '修改密码',
    `<h1>修改密码</h1>
<p>${escapeAttr(o.account.name)}（${escapeAttr(o.account.login)}，${ROLE_NAMES[o.account.role]}）</p>
${o.forced ? '<p class="note">这是管理员设置的临时密码，请先设置您自己的密码（至少 10 个字符）。</p>' : '<p class="note"><a href="/">返回工作台</a></p>'}
${o.error ? `<p class="error" role="alert">${escapeAttr(o.error)}</p>` : ''}
<form method="post" action="/password">
  <label for="current">当前密码</label>
  <input id="current" name="current" type="password" autocomplete="current-password" required autofocus>
  <label for="next">新密码</label>
  <input id="next" name="next" type="password" autocomplete="new-password" required minlength="10">
  <label for="repeat">再输入一次新密码</label>
  <input id="repeat" name="repeat" type="password" autocomplete="new-password" required minlength="10">
  <button type="submit">保存新密码</button>
</form>`,
    o.insecure,
  );
}

export function messagePage(o: { nonce: string; insecure: boolean; title: string; html: string }): string {
  return frame(o.nonce, o.title, `<h1>${o.title}</h1>\n${o.html}`, o.insecure);
}

/** What goes at the top of every workbench page: who is logged in, and a way out. */
export function officeBar(account: Account, insecure: boolean): string {
  return `${insecure ? `<p class="xt-insecure" role="alert">${INSECURE_WARNING}</p>` : ''}
<div id="xt-office"><span>${escapeAttr(account.name)}（${escapeAttr(account.login)}）· ${ROLE_NAMES[account.role]}</span>
${account.role === 'admin' ? '<a href="/users">账号管理</a>' : ''}
<a href="/password">修改密码</a>
<form method="post" action="/logout"><button type="submit">退出登录</button></form></div>`;
}
