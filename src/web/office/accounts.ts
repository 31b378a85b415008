// 账号管理 on the page, for administrators (action 'manage_users'): the same four things as
// `xietong user` at the server — list, add (a first password shown once), reset a password (a
// temporary one, shown once), disable or enable. Served by the office gate next to its login pages;
// plain forms, the gate's Origin check applies.
import type { Context, Hono } from 'hono';
import { hashPassword, type ScryptCost, temporaryPassword } from '../../auth/password.js';
import { allows } from '../../auth/permissions.js';
import type { Sessions } from './../../auth/sessions.js';
import { escapeAttr } from '../../review/page.js';
import {
  type Account,
  actorOf,
  LoginSchema,
  PersonNameSchema,
  ROLE_NAMES,
  ROLES,
  RoleSchema,
  type SqliteUsers,
  UserError,
} from '../../store/users.js';
import { messagePage } from './pages.js';

export interface AccountRoutesContext {
  users: SqliteUsers;
  sessions: Sessions;
  insecure: boolean;
  passwordCost?: ScryptCost;
  current: (c: Context) => { account: Account } | undefined;
  page: (
    c: Context,
    html: (nonce: string) => string,
    status?: 200 | 400 | 403,
  ) => Response | Promise<Response>;
  form: (c: Context) => Promise<Record<string, string>>;
}

export const ACCOUNT_PATHS = ['/users', '/users/add', '/users/passwd', '/users/disable'];

function listHtml(accounts: Account[], self: Account, notice?: string, error?: string): string {
  const rows = accounts
    .map((a) => {
      const state = a.disabled ? '已停用' : a.mustChange ? '待改密码' : '正常';
      const reset = `<form method="post" action="/users/passwd"><input type="hidden" name="login" value="${escapeAttr(a.login)}"><button type="submit">重设密码</button></form>`;
      const toggle =
        a.login === self.login
          ? ''
          : `<form method="post" action="/users/disable"><input type="hidden" name="login" value="${escapeAttr(a.login)}"><input type="hidden" name="enable" value="${a.disabled ? '1' : '0'}"><button type="submit">${a.disabled ? '恢复' : '停用'}</button></form>`;
      return `<tr><td>${escapeAttr(a.login)}</td><td>${escapeAttr(a.name)}</td><td>${ROLE_NAMES[a.role]}</td><td>${state}</td><td>${reset}${toggle}</td></tr>`;
    })
    .join('\n');
  return `${notice ? `<p class="notice" role="status">${notice}</p>` : ''}
${error ? `<p class="error" role="alert">${escapeAttr(error)}</p>` : ''}
<table><thead><tr><th>登录名</th><th>姓名</th><th>角色</th><th>状态</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>添加账号</h2>
<form method="post" action="/users/add">
  <label for="login">登录名（小写字母、数字）</label><input id="login" name="login" required>
  <label for="name">姓名</label><input id="name" name="name" required>
  <label for="role">角色</label>
  <select id="role" name="role">${ROLES.map((r) => `<option value="${r}">${ROLE_NAMES[r]} ${r}</option>`).join('')}</select>
  <button type="submit">添加</button>
</form>
<p class="note">初始密码只显示一次，请当面交给本人；首次登录须改为自己的密码。<a href="/">返回工作台</a></p>`;
}

export function addAccountRoutes(own: Hono, ctx: AccountRoutesContext): void {
  const { users } = ctx;
  const admin = async (c: Context): Promise<Account | Response> => {
    const who = ctx.current(c);
    if (!who) return c.redirect('/login', 303);
    if (who.account.mustChange) return c.redirect('/password', 303);
    if (!allows(who.account.role, 'manage_users')) {
      return ctx.page(
        c,
        (nonce) =>
          messagePage({
            nonce,
            insecure: ctx.insecure,
            title: '账号管理',
            html: `<p class="error">您的角色（${ROLE_NAMES[who.account.role]}）不能管理账号。</p><p><a href="/">返回工作台</a></p>`,
          }),
        403,
      );
    }
    return who.account;
  };
  const show = (c: Context, self: Account, notice?: string, error?: string, status: 200 | 400 = 200) =>
    ctx.page(
      c,
      (nonce) =>
        messagePage({
          nonce,
          insecure: ctx.insecure,
          title: '账号管理',
          html: listHtml(users.list(), self, notice, error),
        }),
      status,
    );

  own.get('/users', async (c) => {
    const self = await admin(c);
    return self instanceof Response ? self : show(c, self);
  });

  own.post('/users/add', async (c) => {
    const self = await admin(c);
    if (self instanceof Response) return self;
    const f = await ctx.form(c);
    const login = LoginSchema.safeParse((f.login ?? '').toLowerCase());
    const name = PersonNameSchema.safeParse(f.name ?? '');
    const role = RoleSchema.safeParse(f.role ?? '');
    if (!login.success || !name.success || !role.success) {
      const why = [login, name, role]
        .flatMap((r) => (r.success ? [] : [r.error.issues[0]?.message ?? '']))
        .join('；');
      return show(c, self, undefined, `无法添加：${why || '角色无效'}`, 400);
    }
    const password = temporaryPassword();
    try {
      users.add(
        {
          login: login.data,
          name: name.data,
          role: role.data,
          passwordHash: await hashPassword(password, ctx.passwordCost),
        },
        actorOf(self),
      );
    } catch (e) {
      if (e instanceof UserError) return show(c, self, undefined, e.message, 400);
      throw e;
    }
    return show(
      c,
      self,
      `已添加 ${escapeAttr(name.data)}（${escapeAttr(login.data)}，${ROLE_NAMES[role.data]}）。初始密码：<code id="new-password">${password}</code>`,
    );
  });

  own.post('/users/passwd', async (c) => {
    const self = await admin(c);
    if (self instanceof Response) return self;
    const login = (await ctx.form(c)).login ?? '';
    const password = temporaryPassword();
    try {
      users.setPassword(login, await hashPassword(password, ctx.passwordCost), actorOf(self), {
        temporary: true,
      });
    } catch (e) {
      if (e instanceof UserError) return show(c, self, undefined, e.message, 400);
      throw e;
    }
    ctx.sessions.closeAll(login);
    return show(
      c,
      self,
      `已重设 ${escapeAttr(login)} 的密码，临时密码：<code id="new-password">${password}</code>（下次登录须修改）`,
    );
  });

  own.post('/users/disable', async (c) => {
    const self = await admin(c);
    if (self instanceof Response) return self;
    const f = await ctx.form(c);
    const login = f.login ?? '';
    if (login === self.login) return show(c, self, undefined, '不能停用自己的账号。', 400);
    const enable = f.enable === '1';
    try {
      users.setDisabled(login, !enable, actorOf(self));
    } catch (e) {
      if (e instanceof UserError) return show(c, self, undefined, e.message, 400);
      throw e;
    }
    if (!enable) ctx.sessions.closeAll(login);
    return show(c, self, `${enable ? '已恢复' : '已停用'} ${escapeAttr(login)}。`);
  });
}
