// Office mode's boundary (`xietong serve --lan`): in place of loopback mode's token (../../review/
// guard.ts), accounts. Every request but the login page needs a live session; every state change
// must come from the page's own origin (Origin must be present and match: a browser always sends it
// on a POST); every request is one action of ../../auth/permissions.ts and the account's role must
// allow it. The gate also serves 登录, 修改密码 and 退出 itself, and adds the account bar (and the
// unencrypted-connection warning) to every page — so the workbench's own routes need not know
// office mode exists beyond naming the account in the history (../../auth/context.ts).
import type { IncomingMessage } from 'node:http';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { hashPassword, passwordProblem, type ScryptCost, verifyPassword } from '../../auth/password.js';
import type { Action } from '../../auth/permissions.js';
import { ACTION_NAMES, actionOf, allows, routeOf } from '../../auth/permissions.js';
import {
  DEFAULT_SESSION_LIMITS,
  DEFAULT_THROTTLE,
  LoginThrottle,
  type SessionLimits,
  Sessions,
  type ThrottleLimits,
} from '../../auth/sessions.js';
import { err, limitBody, MAX_BODY_BYTES, pageNonce } from '../../review/guard.js';
import { type Account, actorOf, LoginSchema, ROLE_NAMES, type SqliteUsers } from '../../store/users.js';
import { ACCOUNT_PATHS, addAccountRoutes } from './accounts.js';
import { BAR_STYLE, loginPage, messagePage, officeBar, passwordPage } from './pages.js';

export interface OfficeOptions {
  users: SqliteUsers;
  /** Served over TLS: the cookie is Secure (and __Host-), origins are https. */
  tls: boolean;
  /** Clock in ms (tests move it: session expiry, login throttle). */
  now?: () => number;
  sessionLimits?: Partial<SessionLimits>;
  throttle?: Partial<ThrottleLimits>;
  /** Cost of the passwords people choose (tests make it cheap). */
  passwordCost?: ScryptCost;
  /** The client's address, for the per-address throttle (default: the socket's peer). */
  clientAddress?: (c: Context) => string;
}

/** What the workbench tells the gate about its routes (the same as its loopback guard is told). */
export interface GateRoutes {
  /** Requests whose body is the raw file (uploads), not JSON. */
  rawBodyPaths?: (path: string) => boolean;
}

export interface OfficeGate {
  /** For createApp's `gate`: the middleware in place of the loopback token. */
  gate: (routes: GateRoutes) => MiddlewareHandler;
  sessions: Sessions;
  throttle: LoginThrottle;
}

const peekLimit = limitBody(MAX_BODY_BYTES);

/** Where the app's CSP nonce travels to the gate's own pages (see own.fetch below). */
const NONCE_ENV = 'xietongNonce';
const nonceOf = (c: Context): string =>
  pageNonce(c) || String((c.env as Record<string, unknown> | undefined)?.[NONCE_ENV] ?? '');

const OWN_PATHS = new Set(['/login', '/logout', '/password', ...ACCOUNT_PATHS]);
const LOGIN_FAILED = '登录名或密码不对。';

const peerAddress = (c: Context): string =>
  (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';

/**
 * A state change must come from this site's own pages. The browser says so in Sec-Fetch-Site (a
 * header no page can set) or in Origin. Under the pages' `Referrer-Policy: no-referrer` a form post
 * carries `Origin: null`, so a null Origin is taken only with Sec-Fetch-Site: same-origin; a browser
 * too old for Sec-Fetch-Site must name the origin. No header at all is refused.
 */
function sameOrigin(c: Context, tls: boolean): boolean {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  const ours = `${tls ? 'https' : 'http'}://${c.req.header('host') ?? ''}`;
  if (site !== undefined)
    return site === 'same-origin' && (origin === undefined || origin === 'null' || origin === ours);
  return origin === ours;
}

const wantsPage = (c: Context) => c.req.method === 'GET' && !c.req.path.startsWith('/api/');

/** For a route whose action depends on its body: 403 unless the account may do `action`. */
export function requireAction(c: Context, action: Action): Response | undefined {
  const account = c.get('account') as Account | undefined;
  if (!account || allows(account.role, action)) return undefined;
  return refused(c, account, action);
}

function refused(c: Context, account: Account, action: Action): Response {
  const role = ROLE_NAMES[account.role];
  return c.json(
    err(
      'forbidden_role',
      `您的角色（${role}）不能${ACTION_NAMES[action]}，请找有权限的同事。`,
      `Your role (${account.role}) may not ${action}.`,
    ),
    403,
  );
}

export function createOfficeGate(options: OfficeOptions): OfficeGate {
  const { users, tls } = options;
  const now = options.now ?? Date.now;
  const sessions = new Sessions(now, { ...DEFAULT_SESSION_LIMITS, ...options.sessionLimits });
  const throttle = new LoginThrottle(now, { ...DEFAULT_THROTTLE, ...options.throttle });
  const addressOf = options.clientAddress ?? peerAddress;
  const insecure = !tls;
  const COOKIE = tls ? 'xietong' : 'xietong_lan';
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: tls,
    ...(tls ? { prefix: 'host' as const } : {}),
  } as const;
  const sessionId = (c: Context) => getCookie(c, COOKIE, tls ? 'host' : undefined);

  const page = (c: Context, html: (nonce: string) => string, status: 200 | 400 | 401 | 403 | 429 = 200) => {
    // The CSP itself is the app's (safeHeaders): its nonce is this answer's.
    return c.html(html(nonceOf(c)), status);
  };

  /** The session's account, still allowed in: not disabled, password unchanged since the login. */
  const current = (c: Context): { id: string; account: Account } | undefined => {
    const id = sessionId(c);
    const session = sessions.touch(id);
    if (!id || !session) return undefined;
    const account = users.get(session.login);
    if (!account || account.disabled || account.passwordSetAt !== session.passwordSetAt) {
      sessions.close(id);
      return undefined;
    }
    return { id, account };
  };

  const form = async (c: Context): Promise<Record<string, string>> => {
    const type = c.req.header('content-type') ?? '';
    const raw: Record<string, unknown> = /^application\/json\b/i.test(type)
      ? ((await c.req.json().catch(() => ({}))) as Record<string, unknown>)
      : /^application\/x-www-form-urlencoded\b/i.test(type)
        ? await c.req.parseBody()
        : {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw ?? {})) if (typeof v === 'string') out[k] = v;
    return out;
  };

  const own = new Hono();
  own.use('*', limitBody(8 * 1024));
  own.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameOrigin(c, tls))
      return c.json(err('forbidden', '来源不符', 'Bad origin'), 403);
    return next();
  });

  own.get('/login', (c) =>
    current(c) ? c.redirect('/', 303) : page(c, (nonce) => loginPage({ nonce, insecure })),
  );

  own.post('/login', async (c) => {
    const fields = await form(c);
    const login = (fields.login ?? '').trim().toLowerCase();
    const address = addressOf(c);
    const held = throttle.heldFor(login, address);
    if (held > 0) {
      const minutes = Math.ceil(held / 60_000);
      c.header('Retry-After', String(Math.ceil(held / 1000)));
      return page(
        c,
        (nonce) =>
          loginPage({
            nonce,
            insecure,
            login,
            error: `登录失败次数过多，请 ${minutes} 分钟后再试，或请管理员重设密码。`,
          }),
        429,
      );
    }
    const valid = LoginSchema.safeParse(login).success;
    const account = valid ? users.get(login) : undefined;
    const ok = await verifyPassword(fields.password ?? '', valid ? users.passwordHash(login) : undefined);
    if (!ok || !account || account.disabled) {
      throttle.fail(login, address);
      return page(c, (nonce) => loginPage({ nonce, insecure, login, error: LOGIN_FAILED }), 401);
    }
    throttle.succeed(login);
    // A new id at every login: a cookie planted before it (session fixation) is worth nothing.
    sessions.close(sessionId(c));
    const id = sessions.open(account.login, account.passwordSetAt, account.mustChange);
    setCookie(c, COOKIE, id, cookieOptions);
    return c.redirect(account.mustChange ? '/password' : '/', 303);
  });

  addAccountRoutes(own, {
    users,
    sessions,
    insecure,
    passwordCost: options.passwordCost,
    current,
    page,
    form,
  });

  own.get('/logout', (c) =>
    page(c, (nonce) =>
      messagePage({
        nonce,
        insecure,
        title: '退出登录',
        html: '<form method="post" action="/logout"><button type="submit">退出登录</button></form>',
      }),
    ),
  );

  own.post('/logout', (c) => {
    sessions.close(sessionId(c));
    deleteCookie(c, COOKIE, cookieOptions);
    return c.redirect('/login', 303);
  });

  own.get('/password', (c) => {
    const who = current(c);
    if (!who) return c.redirect('/login', 303);
    return page(c, (nonce) =>
      passwordPage({ nonce, insecure, account: who.account, forced: who.account.mustChange }),
    );
  });

  own.post('/password', async (c) => {
    const who = current(c);
    if (!who) return c.redirect('/login', 303);
    const { account } = who;
    const fields = await form(c);
    const again = (error: string, status: 401 | 200 = 200) =>
      page(
        c,
        (nonce) => passwordPage({ nonce, insecure, account, forced: account.mustChange, error }),
        status,
      );
    const address = addressOf(c);
    if (throttle.heldFor(account.login, address) > 0) return again('尝试次数过多，请稍后再试。');
    if (!(await verifyPassword(fields.current ?? '', users.passwordHash(account.login)))) {
      throttle.fail(account.login, address);
      return again('当前密码不对。', 401);
    }
    const next = fields.next ?? '';
    if (next !== (fields.repeat ?? '')) return again('两次输入的新密码不一样。');
    if (next === fields.current) return again('新密码不能与当前密码相同。');
    const problem = passwordProblem(next, account.login);
    if (problem) return again(problem);
    users.setPassword(account.login, await hashPassword(next, options.passwordCost), actorOf(account), {
      temporary: false,
    });
    // Every other session of this account ends; this one goes on with the new password.
    sessions.closeAll(account.login);
    const changed = users.get(account.login) as Account;
    setCookie(c, COOKIE, sessions.open(changed.login, changed.passwordSetAt, false), cookieOptions);
    return c.redirect('/', 303);
  });

  const gate =
    (routes: GateRoutes): MiddlewareHandler =>
    async (c, next) => {
      // The gate's own pages answer in a context of their own: the app's CSP nonce goes with them.
      if (OWN_PATHS.has(c.req.path))
        return own.fetch(c.req.raw, { ...(c.env ?? {}), [NONCE_ENV]: pageNonce(c) });
      const who = current(c);
      if (!who) {
        if (wantsPage(c)) return c.redirect('/login', 303);
        return c.json(
          err(
            'unauthenticated',
            '未登录或登录已过期，请重新登录。',
            'Not logged in, or the session expired.',
          ),
          401,
        );
      }
      const { account } = who;
      if (account.mustChange) {
        if (wantsPage(c)) return c.redirect('/password', 303);
        return c.json(err('password_change', '请先修改密码。', 'Choose a new password first.'), 403);
      }
      const method = c.req.method;
      if (method !== 'GET' && method !== 'HEAD') {
        if (!sameOrigin(c, tls)) return c.json(err('forbidden', '来源不符', 'Bad origin'), 403);
        const type = c.req.header('content-type') ?? '';
        const raw = routes.rawBodyPaths?.(c.req.path) ?? false;
        if (raw ? !/^application\/octet-stream\b/i.test(type) : !/^application\/json\b/i.test(type)) {
          return c.json(err('bad_request', '请求类型不符', 'Wrong request body type'), 415);
        }
      }
      const action = actionOf(method, c.req.path);
      if (!action) {
        // Fail closed: a route that changes something and declared no action is nobody's to use.
        return c.json(
          err(
            'forbidden_undeclared',
            '此操作未声明权限，已拒绝。',
            `No action declared for ${method} ${c.req.path}.`,
          ),
          403,
        );
      }
      if (!allows(account.role, action)) return refused(c, account, action);
      const route = routeOf(method, c.req.path);
      if (route?.bodyAction) {
        // Read under the JSON size limit, then put back as a fresh body for the route (and the
        // route's own limit) to read as if untouched.
        let body: unknown;
        const tooLarge = await peekLimit(c, async () => {
          const text = await c.req.raw.text();
          c.req.raw = new Request(c.req.raw, { body: text });
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            body = undefined;
          }
        });
        if (tooLarge) return tooLarge;
        const more = route.bodyAction(body);
        if (more && !allows(account.role, more)) return refused(c, account, more);
      }
      c.set('account', account);
      await next();
      await decorate(c, account);
    };

  /** The account bar (and the warning when unencrypted) on every HTML page; 核对人 is the account. */
  const decorate = async (c: Context, account: Account) => {
    const res = c.res;
    if (!(res.headers.get('content-type') ?? '').startsWith('text/html') || res.status !== 200) return;
    const nonce = pageNonce(c);
    let html = await res.text();
    const style = nonce ? `<style nonce="${nonce}">${BAR_STYLE}</style>` : '';
    html = html
      .replace(/<\/head>/, `${style}</head>`)
      .replace(/<body([^>]*)>/, (_m, attrs: string) => `<body${attrs}>\n${officeBar(account, insecure)}`)
      .replace(/data-by="[^"]*"/, `data-by="${actorOf(account).replace(/[&"<>]/g, '')}"`)
      .replace(/<input id="by"/g, '<input id="by" readonly title="登录账号"');
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    c.res = undefined as unknown as Response;
    c.res = new Response(html, { status: res.status, headers });
  };

  return { gate, sessions, throttle };
}
