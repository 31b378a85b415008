// The review page under requests a careful attacker (or a second reviewer) would send: the token in
// the URL does not skip the origin and JSON checks; the browser's command line holds a one-time
// code, not the token; approving what someone changed meanwhile is refused; a locked database
// answers 503; oversize bodies are refused before they reach the append-only tables.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, type ReviewServer, startReviewServer } from '../../src/review/index.js';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import { MAX_VALUE_CHARS } from '../../src/store/types.js';
import { REVIEW_ID, reviewStore, SECOND_ID } from '../review/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-hostile-review-'));
let store: SqliteRecordStore;
let server: ReviewServer;
let base: string;
let cookie: string;

beforeAll(async () => {
  store = await reviewStore(dir);
  server = await startReviewServer({ store, by: '甲' });
  base = `http://127.0.0.1:${server.port}`;
  const res = await fetch(server.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const versionOf = async (id: string) =>
  ((await (await fetch(`${base}/api/records/${id}`, { headers: { cookie } })).json()) as { version: string })
    .version;

describe('state-changing requests', () => {
  it('a cross-site text/plain form with ?token= in its action approves nothing', async () => {
    const version = await versionOf(SECOND_ID);
    const res = await fetch(`${base}/api/records/${SECOND_ID}/approve?token=${server.token}`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: 'http://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: JSON.stringify({ by: 'x', version }),
    });
    expect(res.status).toBe(403);
    const noOrigin = await fetch(`${base}/api/records/${SECOND_ID}/approve?token=${server.token}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ by: 'x', version }),
    });
    expect(noOrigin.status).toBe(415);
    expect((await store.getRecord(SECOND_ID))?.status).toBe('pending');
  });

  it('refuses JSON from another origin even with the cookie', async () => {
    const res = await fetch(`${base}/api/records/${SECOND_ID}/approve`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ by: 'x', version: await versionOf(SECOND_ID) }),
    });
    expect(res.status).toBe(403);
    expect((await store.getRecord(SECOND_ID))?.status).toBe('pending');
  });

  it('opens the browser on a one-time address that trades itself for the cookie once', async () => {
    const once = server.oneTimeUrl();
    expect(once).not.toContain(server.token);
    const first = await fetch(once, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toContain(server.token);
    expect((await fetch(once, { redirect: 'manual' })).status).toBe(403);
  });

  it('refuses an approval of a version the reviewer did not see', async () => {
    const seen = await versionOf(REVIEW_ID);
    await store.correctField(REVIEW_ID, 'name', { value: '王建军', by: '乙' });
    const res = await fetch(`${base}/api/records/${REVIEW_ID}/approve`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ by: '甲', version: seen }),
    });
    expect(res.status).toBe(409);
    expect((await store.getRecord(REVIEW_ID))?.status).toBe('pending');
    const missing = await fetch(`${base}/api/records/${REVIEW_ID}/approve`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ by: '甲' }),
    });
    expect(missing.status).toBe(400);
  });

  it('refuses a correction that does not say which value it replaces', async () => {
    const res = await fetch(`${base}/api/records/${REVIEW_ID}/fields/name`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ by: '甲', value: '王建民' }),
    });
    expect(res.status).toBe(400);
    expect((await store.getRecord(REVIEW_ID))?.fields.name?.value).toBe('王建军');
  });

  it('refuses a body over the limit and keeps nothing of it', async () => {
    const before = (await store.history(REVIEW_ID)).length;
    const res = await fetch(`${base}/api/records/${REVIEW_ID}/fields/employerAndPosition`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ by: '甲', value: '景'.repeat(5_000_000), expected: null }),
    });
    expect(res.status).toBe(413);
    expect(MAX_BODY_BYTES).toBeLessThan(1 << 20);
    expect((await store.history(REVIEW_ID)).length).toBe(before);
  });

  it('refuses an oversize value from the command line too (the store checks it)', async () => {
    await expect(
      store.correctField(REVIEW_ID, 'employerAndPosition', {
        value: 'x'.repeat(MAX_VALUE_CHARS + 1),
        by: '甲',
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('answers 503 with a retry message while another process holds the write lock', async () => {
    const busyStore = await openStore(store.location, { busyTimeoutMs: 50 });
    const busyServer = await startReviewServer({ store: busyStore, by: '甲' });
    const b = `http://127.0.0.1:${busyServer.port}`;
    const c = ((await fetch(busyServer.url, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(
      ';',
    )[0] as string;
    const version = (
      (await (await fetch(`${b}/api/records/${SECOND_ID}`, { headers: { cookie: c } })).json()) as {
        version: string;
      }
    ).version;
    const locker = new Database(store.location);
    locker.exec('BEGIN EXCLUSIVE');
    try {
      const res = await fetch(`${b}/api/records/${SECOND_ID}/approve`, {
        method: 'POST',
        headers: { cookie: c, 'content-type': 'application/json' },
        body: JSON.stringify({ by: '甲', version }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(((await res.json()) as { message: string }).message).toMatch(/稍后重试/);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
      await busyServer.close();
      await busyStore.close();
    }
    expect((await store.getRecord(SECOND_ID))?.status).toBe('pending');
  });
});
