// Office mode (`xietong serve --lan`) through createApp() and app.request(): accounts in place of the
// token. Login (wrong password 401, then 429 per account and per address), the first-login password
// change, roles (a clerk may correct but not approve; a reviewer may), session expiry on an injected
// clock, the Origin check on every state change, the history naming the account whatever name the
// page sent, and every state-changing route of the workbench declared in the permission table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOf } from '../../src/auth/permissions.js';
import type { SqliteRecordStore } from '../../src/store/index.js';
import { openUsers, type SqliteUsers } from '../../src/store/users.js';
import { createApp, type Workbench } from '../../src/web/index.js';
import { createOfficeGate, type OfficeGate } from '../../src/web/office/gate.js';
import { REVIEW_ID, reviewStore } from '../review/fixture.js';
import { addAccount, CHEAP, PASSWORD } from './office-helpers.js';

const HOST = '192.168.1.20:8443';
const ORIGIN = `https://${HOST}`;
const dir = mkdtempSync(join(tmpdir(), 'xietong-office-'));
let store: SqliteRecordStore;
let users: SqliteUsers;
let wb: Workbench;
let office: OfficeGate;
let clock = 1_000_000;
let address = '192.168.1.31';
const ingested: string[] = [];

beforeAll(async () => {
  store = await reviewStore(dir);
  users = await openUsers(store.location);
  await addAccount(users, 'wang', '王芳', 'clerk');
  await addAccount(users, 'li', '李强', 'reviewer');
  await addAccount(users, 'zhao', '赵敏', 'admin', { temporary: true });
  office = createOfficeGate({
    users,
    tls: true,
    now: () => clock,
    passwordCost: CHEAP,
    throttle: { perAccount: 3, perAddress: 6, windowMs: 15 * 60_000 },
    sessionLimits: { idleMs: 30 * 60_000 },
    clientAddress: () => address,
  });
  wb = createApp({
    store,
    dataDir: join(dir, 'files'),
    port: () => 8443,
    gate: office.gate,
    // Ingests here only show who may start one: what was asked is kept, nothing is read.
    runBatch: async (paths) => {
      ingested.push(...paths);
      return {
        submissions: [],
        failures: [],
        pages: [],
        stats: { files: 0, pages: 0, seconds: 0 },
        missing: [],
      };
    },
  });
});
afterAll(async () => {
  users?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Init {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  cookie?: string;
}

function call(path: string, init: Init = {}): Promise<Response> {
  const headers: Record<string, string> = { host: HOST, ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  return Promise.resolve(
    wb.app.request(`${ORIGIN}${path}`, { method: init.method ?? 'GET', headers, body: init.body }),
  );
}

const post = (path: string, body: unknown, cookie?: string, headers: Record<string, string> = {}) =>
  call(path, {
    method: 'POST',
    cookie,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
  });

const loginForm = (login: string, password: string, headers: Record<string, string> = {}) =>
  call('/login', {
    method: 'POST',
    body: new URLSearchParams({ login, password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
  });

async function logIn(login: string, password = PASSWORD): Promise<string> {
  const res = await loginForm(login, password);
  expect(res.status, await res.clone().text()).toBe(303);
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
}

const record = async (cookie: string) =>
  (await (await call(`/api/records/${REVIEW_ID}`, { cookie })).json()) as {
    version: string;
    fields: { key: string; value: unknown }[];
  };

describe('logging in', () => {
  it('sends every page to the login page and answers every API call 401 without a session', async () => {
    for (const path of ['/', '/review']) {
      const res = await call(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    }
    for (const path of ['/api/overview', '/api/queue', `/api/records/${REVIEW_ID}`]) {
      expect((await call(path)).status, path).toBe(401);
    }
    expect((await post('/api/approve-all', { by: 'x', versions: {} })).status).toBe(401);
    const page = await call('/login');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('登录名');
    expect(html).toContain('密码');
    expect(html).not.toContain('未加密');
  });

  it('sets a Secure, HttpOnly, SameSite=Strict __Host- cookie', async () => {
    const res = await loginForm('wang', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^__Host-xietong=/);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/Secure/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).not.toMatch(/Max-Age|Expires/i);
  });

  it('answers a wrong password 401, then holds the account after 3 tries — even the right password', async () => {
    address = '192.168.1.40';
    for (let i = 0; i < 3; i++) {
      const res = await loginForm('li', 'wrong password!');
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('登录名或密码不对');
    }
    const held = await loginForm('li', PASSWORD);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await held.text()).toContain('分钟后再试');
    // From another address too: the hold is on the account.
    address = '192.168.1.41';
    expect((await loginForm('li', PASSWORD)).status).toBe(429);
    clock += 15 * 60_000 + 1;
    expect((await loginForm('li', PASSWORD)).status).toBe(303);
    address = '192.168.1.31';
  });

  it('holds an address that tries many accounts, and says nothing about which logins exist', async () => {
    address = '10.9.9.9';
    const statuses: number[] = [];
    for (const login of ['a1', 'a2', 'nobody', 'wang', 'bb', 'cc']) {
      statuses.push((await loginForm(login, 'not the password')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expect((await loginForm('li', PASSWORD)).status).toBe(429);
    clock += 15 * 60_000 + 1;
    address = '192.168.1.31';
  });

  it('refuses a login posted from another origin', async () => {
    expect((await loginForm('wang', PASSWORD, { origin: 'https://evil.example' })).status).toBe(403);
    const noOrigin = await call('/login', {
      method: 'POST',
      body: new URLSearchParams({ login: 'wang', password: PASSWORD }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noOrigin.status).toBe(403);
    // Under Referrer-Policy: no-referrer a browser's form post says Origin: null; only its
    // Sec-Fetch-Site (which no page can set) vouches for it then.
    expect((await loginForm('wang', PASSWORD, { origin: 'null' })).status).toBe(403);
    expect(
      (await loginForm('wang', PASSWORD, { origin: 'null', 'sec-fetch-site': 'same-site' })).status,
    ).toBe(403);
    expect(
      (await loginForm('wang', PASSWORD, { origin: 'null', 'sec-fetch-site': 'same-origin' })).status,
    ).toBe(303);
    expect(
      (await loginForm('wang', PASSWORD, { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }))
        .status,
    ).toBe(403);
  });

  it('makes the first login choose a new password before anything else', async () => {
    const res = await loginForm('zhao', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/password');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const home = await call('/', { cookie });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/password');
    expect((await call('/api/overview', { cookie })).status).toBe(403);
    const form = (fields: Record<string, string>) =>
      call('/password', {
        method: 'POST',
        cookie,
        body: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      });
    expect(await (await form({ current: PASSWORD, next: 'short', repeat: 'short' })).text()).toContain(
      '至少 10 个字符',
    );
    const changed = await form({ current: PASSWORD, next: '新的密码 2026 年', repeat: '新的密码 2026 年' });
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe('/');
    const next = (changed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await call('/api/overview', { cookie: next })).status).toBe(200);
    // The old session ended with the temporary password.
    expect((await call('/api/overview', { cookie })).status).toBe(401);
    expect(users.get('zhao')?.mustChange).toBe(false);
    expect((await loginForm('zhao', '新的密码 2026 年')).status).toBe(303);
  });

  it('ends a session at logout, after 30 minutes unused, and when the account is disabled', async () => {
    const a = await logIn('wang');
    expect((await call('/api/overview', { cookie: a })).status).toBe(200);
    expect((await post('/logout', {}, a)).status).toBe(303);
    expect((await call('/api/overview', { cookie: a })).status).toBe(401);

    const b = await logIn('wang');
    clock += 29 * 60_000;
    expect((await call('/api/overview', { cookie: b })).status).toBe(200);
    clock += 29 * 60_000;
    // Still alive: each request restarts the inactivity clock.
    expect((await call('/api/overview', { cookie: b })).status).toBe(200);
    clock += 30 * 60_000 + 1;
    expect((await call('/api/overview', { cookie: b })).status).toBe(401);
    const page = await call('/', { cookie: b });
    expect(page.headers.get('location')).toBe('/login');

    await addAccount(users, 'temp', '临时工', 'clerk');
    const c = await logIn('temp');
    expect((await call('/api/overview', { cookie: c })).status).toBe(200);
    users.setDisabled('temp', true, 'test');
    expect((await call('/api/overview', { cookie: c })).status).toBe(401);
    expect((await loginForm('temp', PASSWORD)).status).toBe(401);
  });
});

describe('roles', () => {
  it('lets a clerk correct but not approve (403); a reviewer approves; the history names the accounts', async () => {
    const clerk = await logIn('wang');
    const reviewer = await logIn('li');
    const seen = await record(clerk);
    const phone = seen.fields.find((f) => f.key === 'phone');
    const corrected = await post(
      `/api/records/${REVIEW_ID}/fields/phone`,
      { value: '13807981234', expected: phone?.value ?? null, by: '随便写的名字' },
      clerk,
    );
    expect(corrected.status, await corrected.clone().text()).toBe(200);
    const version = (await record(clerk)).version;

    const denied = await post(`/api/records/${REVIEW_ID}/approve`, { by: '王芳', version }, clerk);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toContain('办事员');
    expect((await post('/api/approve-all', { by: '王芳', versions: {} }, clerk)).status).toBe(403);

    // The reviewer reloads, sees the clerk's value, and approves what they saw.
    const now = await record(reviewer);
    expect(now.fields.find((f) => f.key === 'phone')?.value).toBe('13807981234');
    const approved = await post(
      `/api/records/${REVIEW_ID}/approve`,
      { by: '冒名', version: now.version },
      reviewer,
    );
    expect(approved.status, await approved.clone().text()).toBe(200);

    const history = await store.history(REVIEW_ID);
    const correction = history.find((e) => e.kind === 'correction');
    const approval = history.find((e) => e.kind === 'approve');
    expect(correction && 'by' in correction ? correction.by : undefined).toBe('王芳（wang）');
    expect(approval && 'by' in approval ? approval.by : undefined).toBe('李强（li）');
    expect(JSON.stringify(history)).not.toMatch(/随便写的名字|冒名/);
  });

  it('refuses an approval of a version someone changed since (409)', async () => {
    const clerk = await logIn('wang');
    const reviewer = await logIn('li');
    const stale = (await record(reviewer)).version;
    const name = (await record(clerk)).fields.find((f) => f.key === 'name');
    expect(
      (
        await post(
          `/api/records/${REVIEW_ID}/fields/name`,
          { value: '王建民', expected: name?.value ?? null, by: 'x' },
          clerk,
        )
      ).status,
    ).toBe(200);
    expect(
      (await post(`/api/records/${REVIEW_ID}/approve`, { by: 'x', version: stale }, reviewer)).status,
    ).toBe(409);
  });

  it('lets a clerk import uploads, but only an administrator import a path on the server', async () => {
    const clerk = await logIn('wang');
    const reviewer = await logIn('li');
    const admin = await logIn('zhao', '新的密码 2026 年');
    for (const who of [clerk, reviewer]) {
      const res = await post('/api/ingest', { paths: ['/etc'] }, who);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toContain('请改用上传');
    }
    expect((await post('/api/ingest', { paths: ['x'.repeat(70 * 1024)] }, admin)).status).toBe(413);
    expect(ingested).toEqual([]);
    const { batch } = (await (await post('/api/uploads', {}, clerk)).json()) as { batch: string };
    expect((await post('/api/ingest', { batch }, clerk)).status).toBe(202);
    await expect.poll(() => ingested.length).toBe(1);
    await expect
      .poll(
        async () =>
          ((await (await call('/api/ingest', { cookie: clerk })).json()) as { job: { state: string } }).job
            .state,
      )
      .toBe('done');
    expect((await post('/api/ingest', { paths: ['/srv/scans'] }, admin)).status).toBe(202);
    await expect.poll(() => ingested).toContain('/srv/scans');
  });

  it('shows the account on every page, 核对人 fixed to it, with a way to log out', async () => {
    const clerk = await logIn('wang');
    for (const path of ['/', '/review']) {
      const res = await call(path, { cookie: clerk });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('王芳（wang）· 办事员');
      expect(html).toContain('data-by="王芳（wang）"');
      expect(html).toContain('<input id="by" readonly');
      expect(html).toContain('action="/logout"');
      expect(html).not.toContain('未加密');
      expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    }
  });

  it('declares an action for every state-changing route of the workbench', () => {
    const changing = wb.app.routes.filter((r) => !['GET', 'HEAD', 'ALL', 'OPTIONS'].includes(r.method));
    expect(changing.length).toBeGreaterThan(3);
    const undeclared = changing.filter(
      (r) => actionOf(r.method, r.path.replace(/:(\w+)/g, 'x')) === undefined,
    );
    expect(undeclared.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});

describe('账号管理 on the page', () => {
  const adminForm = (path: string, cookie: string, fields: Record<string, string>) =>
    call(path, {
      method: 'POST',
      cookie,
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    });

  it('is for administrators only', async () => {
    const clerk = await logIn('wang');
    expect((await call('/users', { cookie: clerk })).status).toBe(403);
    expect((await adminForm('/users/add', clerk, { login: 'x1', name: 'X', role: 'admin' })).status).toBe(
      403,
    );
    expect(users.get('x1')).toBeUndefined();
    expect(await (await call('/', { cookie: clerk })).text()).not.toContain('账号管理');
  });

  it('adds an account with a first password shown once, resets it and disables it', async () => {
    const admin = await logIn('zhao', '新的密码 2026 年');
    expect(await (await call('/', { cookie: admin })).text()).toContain('href="/users"');
    const added = await adminForm('/users/add', admin, { login: 'Sun', name: '孙丽', role: 'reviewer' });
    expect(added.status).toBe(200);
    const first = /<code id="new-password">([^<]+)<\/code>/.exec(await added.text())?.[1] ?? '';
    expect(users.get('sun')).toMatchObject({ name: '孙丽', role: 'reviewer', mustChange: true });
    const sun = await loginForm('sun', first);
    expect(sun.headers.get('location')).toBe('/password');
    const sunCookie = (sun.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    const reset = await adminForm('/users/passwd', admin, { login: 'sun' });
    const second = /<code id="new-password">([^<]+)<\/code>/.exec(await reset.text())?.[1] ?? '';
    expect(second).not.toBe(first);
    expect((await call('/password', { cookie: sunCookie })).headers.get('location')).toBe('/login');
    expect((await loginForm('sun', first)).status).toBe(401);
    expect((await loginForm('sun', second)).status).toBe(303);

    expect((await adminForm('/users/disable', admin, { login: 'sun', enable: '0' })).status).toBe(200);
    expect((await loginForm('sun', second)).status).toBe(401);
    expect((await adminForm('/users/disable', admin, { login: 'zhao', enable: '0' })).status).toBe(400);
    expect(users.events('sun').map((e) => [e.event, e.actor])).toEqual([
      ['add', '赵敏（zhao）'],
      ['password_reset', '赵敏（zhao）'],
      ['disable', '赵敏（zhao）'],
    ]);
  });
});

describe('every state change must come from the page itself', () => {
  it('refuses another origin, a missing origin, a cross-site fetch and a form body — for each role', async () => {
    const reviewer = await logIn('li');
    const versions = {};
    const tries = [
      await post('/api/approve-all', { by: 'x', versions }, reviewer, { origin: 'https://evil.example' }),
      await post('/api/approve-all', { by: 'x', versions }, reviewer, { origin: `http://${HOST}` }),
      await post('/api/approve-all', { by: 'x', versions }, reviewer, { 'sec-fetch-site': 'cross-site' }),
      await call('/api/approve-all', {
        method: 'POST',
        cookie: reviewer,
        body: JSON.stringify({ by: 'x', versions }),
        headers: { 'content-type': 'application/json' },
      }),
      await post('/api/uploads', {}, reviewer, { origin: 'null' }),
      await post('/api/ingest', { paths: ['/etc'] }, reviewer, { origin: 'https://evil.example' }),
      await post(
        `/api/records/${REVIEW_ID}/fields/phone`,
        { value: '1', expected: null, by: 'x' },
        reviewer,
        {
          origin: 'https://evil.example',
        },
      ),
      await post('/logout', {}, reviewer, { origin: 'https://evil.example' }),
    ];
    expect(tries.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    const form = await call('/api/approve-all', {
      method: 'POST',
      cookie: reviewer,
      body: 'by=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    });
    expect(form.status).toBe(415);
    // Every state-changing route the workbench has, whatever it is: another origin is refused.
    const changing = wb.app.routes.filter((r) => !['GET', 'HEAD', 'ALL', 'OPTIONS'].includes(r.method));
    for (const r of changing) {
      const path = r.path.replace(/:(\w+)/g, (_m, name: string) =>
        name === 'batch' ? '0123456789abcdef' : 'x',
      );
      const res = await call(path, {
        method: r.method,
        cookie: reviewer,
        body: '{}',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      });
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
    }
    // The refused logout did not end the session.
    expect((await call('/api/overview', { cookie: reviewer })).status).toBe(200);
  });
});
