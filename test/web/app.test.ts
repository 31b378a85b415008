// The workbench's boundary and actions, through createApp() and app.request() — no port, no
// browser: the token traded for a cookie, the Origin check on every state change, body limits, a
// busy database answered with 503, approve-all refused as a whole when a record changed since the
// page showed it, uploads kept inside their batch, an ingest that reports a missing path, the export.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import { createApp, type Workbench } from '../../src/web/index.js';
import { REVIEW_ID, reviewStore } from '../review/fixture.js';
import { sample } from '../store/helpers.js';

const PORT = 4321;
const HOST = `127.0.0.1:${PORT}`;
const TOKEN = 'a'.repeat(64);
const dir = mkdtempSync(join(tmpdir(), 'xietong-web-'));
let store: SqliteRecordStore;
let wb: Workbench;
let cookie: string;

/** Two typed records (nothing uncertain) beside the review fixture's two scanned ones. */
const TYPED = ['reg-01', 'prob-01'];

beforeAll(async () => {
  store = await reviewStore(dir);
  await store.putIngestResult({ submissions: TYPED.map((id) => sample(id)) }, {});
  wb = createApp({ store, dataDir: join(dir, 'files'), port: () => PORT, token: TOKEN, by: '审核员甲' });
  const first = await call(`/?token=${TOKEN}`, { cookie: false });
  cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface CallInit {
  method?: string;
  body?: BodyInit;
  headers?: Record<string, string>;
  cookie?: boolean;
  app?: Workbench;
}

function call(path: string, init: CallInit = {}): Promise<Response> {
  const headers: Record<string, string> = { host: HOST, ...init.headers };
  if (init.cookie !== false && cookie) headers.cookie = cookie;
  return Promise.resolve(
    (init.app ?? wb).app.request(`http://${HOST}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body,
    }),
  );
}

const postJson = (path: string, body: unknown, init: CallInit = {}) =>
  call(path, {
    ...init,
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', origin: `http://${HOST}`, ...init.headers },
  });

const approvable = async (app?: Workbench) =>
  ((await (await call('/api/approvable', { app })).json()) as { records: { id: string; version: string }[] })
    .records;

describe('access', () => {
  it('refuses everything without the token, and trades the token for an HttpOnly cookie', async () => {
    for (const path of ['/', '/review', '/api/overview', '/api/check', '/api/export/xlsx', '/api/queue']) {
      expect((await call(path, { cookie: false })).status, path).toBe(403);
      expect((await call(`${path}?token=${'b'.repeat(64)}`, { cookie: false })).status, path).toBe(403);
    }
    const first = await call(`/?token=${TOKEN}`, { cookie: false });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(first.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/^xietong_serve_4321=/);
  });

  it('refuses another Host name (DNS rebinding)', async () => {
    const res = await call('/api/overview', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(403);
  });

  it('serves the page in Chinese under a strict CSP, with nothing from outside', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[^']+'(;|$)/);
    expect(csp).not.toContain('unsafe');
    const html = await res.text();
    for (const word of ['导入', '核对', '检查', '汇总', '先导入表格', 'data-by="审核员甲"']) {
      expect(html).toContain(word);
    }
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    // 核对 is the review page itself, with a way back.
    const review = await call('/review');
    expect(review.status).toBe(200);
    expect(await review.text()).toContain('工作台');
  });

  it('one-time addresses work once', async () => {
    const path = wb.access.oneTimePath('/');
    expect((await call(path, { cookie: false })).status).toBe(303);
    expect((await call(path, { cookie: false })).status).toBe(403);
  });
});

describe('every state change checks where it comes from', () => {
  it('refuses another origin, a cross-site fetch and a form post, even with the cookie or the token', async () => {
    const versions = Object.fromEntries((await approvable()).map((r) => [r.id, r.version]));
    const body = { by: '坏人', versions };
    const refused = [
      await postJson('/api/approve-all', body, { headers: { origin: 'http://evil.example' } }),
      await postJson('/api/approve-all', body, { headers: { 'sec-fetch-site': 'cross-site' } }),
      await postJson(`/api/approve-all?token=${TOKEN}`, body, {
        cookie: false,
        headers: { origin: 'http://evil.example' },
      }),
      await postJson('/api/ingest', { paths: ['/etc'] }, { headers: { origin: 'http://evil.example' } }),
      await postJson('/api/uploads', {}, { headers: { origin: 'null' } }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    // A simple (no-preflight) form body is refused as well.
    const form = await call('/api/approve-all', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'text/plain' },
    });
    expect(form.status).toBe(415);
    expect(wb.jobs.current).toBeUndefined();
    for (const id of TYPED) expect((await store.getRecord(id))?.status).toBe('pending');
  });
});

describe('body limits', () => {
  it('refuses a JSON body over 64 KB', async () => {
    const res = await postJson('/api/approve-all', { by: '甲', versions: { x: 'y'.repeat(70_000) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toContain('过长');
  });

  it('refuses an upload over its limit, and keeps nothing of it', async () => {
    const small = createApp({
      store,
      dataDir: join(dir, 'small'),
      port: () => PORT,
      token: TOKEN,
      maxUploadBytes: 1024,
    });
    const { batch } = (await (await postJson('/api/uploads', {}, { app: small })).json()) as {
      batch: string;
    };
    const res = await call(`/api/uploads/${batch}/files?name=big.pdf`, {
      app: small,
      method: 'POST',
      body: new Uint8Array(4096),
      headers: { 'content-type': 'application/octet-stream', origin: `http://${HOST}` },
    });
    expect(res.status).toBe(413);
    expect(existsSync(join(dir, 'small', 'uploads', batch, 'big.pdf'))).toBe(false);
  });
});

describe('uploads', () => {
  const upload = (batch: string, name: string, type = 'application/octet-stream') =>
    call(`/api/uploads/${batch}/files?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      body: new Uint8Array([80, 75, 3, 4]),
      headers: { 'content-type': type, origin: `http://${HOST}` },
    });

  it('keeps a file inside its batch under its own name, and only form files', async () => {
    const { batch } = (await (await postJson('/api/uploads', {})).json()) as { batch: string };
    expect(batch).toMatch(/^[0-9a-f]{16}$/);
    const saved = await upload(batch, '../../../etc/报名表.docx');
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { saved: string }).saved).toBe('报名表.docx');
    expect(readdirSync(join(dir, 'files', 'uploads', batch))).toContain('报名表.docx');
    expect((await upload(batch, 'run.sh')).status).toBe(400);
    expect((await upload(batch, '.docx')).status).toBe(400);
    // The bytes of a file are sent as they are: a JSON or form content type is not one.
    expect((await upload(batch, 'a.docx', 'application/json')).status).toBe(415);
    expect((await upload(batch, 'a.docx', 'multipart/form-data; boundary=x')).status).toBe(415);
    // A batch this server never handed out.
    expect((await upload('0123456789abcdef', 'a.docx')).status).toBe(404);
  });
});

describe('ingest', () => {
  it('reads what it can, says which path is missing, and never reports that as a plain success', async () => {
    const res = await postJson('/api/ingest', { paths: ['samples/docx/dem-01.docx', join(dir, 'no-such')] });
    expect(res.status).toBe(202);
    await expect
      .poll(async () => ((await (await call('/api/ingest')).json()) as { job: { state: string } }).job.state)
      .toBe('done');
    const { job } = (await (await call('/api/ingest')).json()) as {
      job: { summary: { records: number; missing: string[]; failures: unknown[]; inserted: number } };
    };
    expect(job.summary).toMatchObject({
      records: 1,
      inserted: 1,
      missing: [join(dir, 'no-such')],
      failures: [],
    });
  });

  it('runs one batch at a time', async () => {
    let finish: () => void = () => {};
    const waiting = new Promise<void>((done) => {
      finish = done;
    });
    const slow = createApp({
      store,
      dataDir: join(dir, 'slow'),
      port: () => PORT,
      token: TOKEN,
      runBatch: async (paths, onProgress) => {
        onProgress({ phase: 'page', pagesDone: 1, pagesTotal: 3, file: paths[0] });
        await waiting;
        return {
          submissions: [],
          failures: [],
          pages: [],
          stats: { files: 0, pages: 0, seconds: 0 },
          missing: [],
        };
      },
    });
    expect((await postJson('/api/ingest', { paths: ['a'] }, { app: slow })).status).toBe(202);
    const progress = (await (await call('/api/ingest', { app: slow })).json()) as { job: unknown };
    expect(progress.job).toMatchObject({ state: 'running', pagesDone: 1, pagesTotal: 3, file: 'a' });
    const second = await postJson('/api/ingest', { paths: ['b'] }, { app: slow });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { message: string }).message).toContain('正在导入');
    finish();
    await expect
      .poll(
        async () =>
          ((await (await call('/api/ingest', { app: slow })).json()) as { job: { state: string } }).job.state,
      )
      .toBe('done');
    const done = (await (await call('/api/ingest', { app: slow })).json()) as {
      job: { summary: { records: number } };
    };
    expect(done.job.summary.records).toBe(0);
  });

  it('refuses a request that names neither paths nor an upload batch', async () => {
    for (const body of [{}, { paths: [] }, { batch: '../x' }, { paths: ['a'], batch: '0123456789abcdef' }]) {
      expect((await postJson('/api/ingest', body)).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('approve-all', () => {
  it('lists the pending records with nothing uncertain, never one in the review queue', async () => {
    const ids = (await approvable()).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(TYPED));
    expect(ids).not.toContain(REVIEW_ID);
  });

  it('approves none when one changed since the page showed it, then all once looked at again', async () => {
    const seen = await approvable();
    const versions = Object.fromEntries(seen.map((r) => [r.id, r.version]));
    // Another reviewer corrects one of them meanwhile.
    const before = (await store.getRecord('reg-01'))?.fields.phone?.value ?? null;
    await store.correctField('reg-01', 'phone', { value: '13800000000', by: '审核员乙', expected: before });
    const refused = await postJson('/api/approve-all', { by: '审核员甲', versions });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { changed: string[]; message: string };
    expect(body.changed).toEqual(['reg-01']);
    expect(body.message).toMatch(/修改/);
    for (const r of seen) expect((await store.getRecord(r.id))?.status).toBe('pending');

    // A record that needs review cannot be slipped in with its version either.
    const queued = await postJson('/api/approve-all', {
      by: '审核员甲',
      versions: { [REVIEW_ID]: 'whatever' },
    });
    expect(queued.status).toBe(409);

    const again = await approvable();
    const ok = await postJson('/api/approve-all', {
      by: '审核员甲',
      versions: Object.fromEntries(again.map((r) => [r.id, r.version])),
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { approved: string[] }).approved.sort()).toEqual(
      again.map((r) => r.id).sort(),
    );
    const record = await store.getRecord('reg-01');
    expect(record?.status).toBe('verified');
    expect(record?.review).toMatchObject({ action: 'approve', by: '审核员甲' });
    expect((await store.getRecord(REVIEW_ID))?.status).toBe('pending');
  });

  it('answers 503 with a retry message while another process holds the write lock', async () => {
    const busyStore = await openStore(store.location, { busyTimeoutMs: 50 });
    const busy = createApp({ store: busyStore, dataDir: join(dir, 'busy'), port: () => PORT, token: TOKEN });
    const locker = new Database(store.location);
    try {
      // A record to approve: reopen one approved above.
      await store.reopenRecord('prob-01', { by: '审核员甲' });
      const versions = Object.fromEntries((await approvable(busy)).map((r) => [r.id, r.version]));
      locker.exec('BEGIN EXCLUSIVE');
      const res = await postJson('/api/approve-all', { by: '审核员甲', versions }, { app: busy });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(((await res.json()) as { message: string }).message).toMatch(/稍后重试/);
    } finally {
      if (locker.inTransaction) locker.exec('ROLLBACK');
      locker.close();
      await busyStore.close();
    }
  });
});

describe('check and export', () => {
  it('lists rule problems apart from OCR doubts', async () => {
    const res = (await (await call('/api/check')).json()) as {
      problems: { issues: { code: string }[] }[];
      doubts: number;
    };
    expect(res.doubts).toBeGreaterThan(0);
    for (const p of res.problems) {
      expect(p.issues.map((i) => i.code)).not.toContain('low_confidence');
    }
  });

  it('sends the workbook as a download', async () => {
    const res = await call('/api/export/xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toMatch(/attachment;.*filename\*=UTF-8''/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['报名表', '企业需求表', '难题征集表']);
  });
});

describe('an empty database', () => {
  it('says to import first', async () => {
    const empty = await openStore(join(dir, 'empty.db'));
    try {
      const app = createApp({ store: empty, dataDir: join(dir, 'empty'), port: () => PORT, token: TOKEN });
      const overview = (await (await call('/api/overview', { app })).json()) as {
        counts: { records: number };
        approvable: number;
        job: unknown;
      };
      expect(overview).toMatchObject({ counts: { records: 0 }, approvable: 0, job: null });
      expect(await (await call('/', { app })).text()).toContain('先导入表格');
    } finally {
      await empty.close();
    }
  });
});
