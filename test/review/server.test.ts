// The review server's boundary: 127.0.0.1 only, nothing without the token, crops only of fields the
// store knows, and posted bodies checked by the store's schemas with the message in Chinese.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReviewServer, startReviewServer } from '../../src/review/index.js';
import type { SqliteRecordStore } from '../../src/store/index.js';
import { REVIEW_ID, reviewStore, SECOND_ID } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-review-'));
let store: SqliteRecordStore;
let server: ReviewServer;
let base: string;
let cookie: string;

beforeAll(async () => {
  store = await reviewStore(dir);
  server = await startReviewServer({ store, by: '审核员甲' });
  base = `http://127.0.0.1:${server.port}`;
  const res = await fetch(server.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, withCookie = true) =>
  fetch(base + path, { headers: withCookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, body: string, type = 'application/json') =>
  fetch(base + path, { method: 'POST', headers: { cookie, 'content-type': type }, body });

describe('access', () => {
  it('listens on 127.0.0.1 only, with the token in the URL', async () => {
    expect(server.address).toBe('127.0.0.1');
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toContain(`token=${server.token}`);
    // Another interface of this machine does not answer.
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) {
      await expect(fetch(`http://${other.address}:${server.port}/`)).rejects.toThrow();
    }
  });

  it('refuses every request without the right token with 403', async () => {
    for (const path of ['/', '/api/queue', `/api/records/${REVIEW_ID}`, `/crop/${REVIEW_ID}/birthMonth`]) {
      expect((await get(path, false)).status, path).toBe(403);
      expect((await get(`${path}${path.includes('?') ? '&' : '?'}token=wrong`, false)).status, path).toBe(
        403,
      );
    }
    const res = await fetch(`${base}/api/records/${REVIEW_ID}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${cookie.split('=')[0]}=nope` },
      body: JSON.stringify({ by: 'x' }),
    });
    expect(res.status).toBe(403);
    expect((await store.getRecord(REVIEW_ID))?.status).toBe('pending');
  });

  it('refuses another Host name (DNS rebinding)', async () => {
    const status = await new Promise<number | undefined>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/queue',
          headers: { host: 'evil.example', cookie },
        },
        (res) => {
          res.resume();
          done(res.statusCode);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('swaps the token in the URL for an HttpOnly cookie and serves the page with a strict CSP', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(first.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    const page = await get('/');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[^']+'(;|$)/);
    expect(csp).not.toContain('unsafe');
    const html = await page.text();
    expect(html).toContain('核对人');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).toContain('data-by="审核员甲"');
  });
});

describe('the queue and records', () => {
  it('lists records with fields needing review, worst first, with Chinese labels and reasons', async () => {
    const queue = (await (await get('/api/queue')).json()) as { records: { id: string; flagged: number }[] };
    expect(queue.records.map((r) => [r.id, r.flagged])).toEqual([
      [REVIEW_ID, 4],
      [SECOND_ID, 1],
    ]);
    const view = (await (await get(`/api/records/${REVIEW_ID}`)).json()) as {
      fields: { key: string; label: string; flagged: boolean; reason?: string; hasCrop: boolean }[];
    };
    const birth = view.fields.find((f) => f.key === 'birthMonth');
    expect(birth).toMatchObject({ label: '出生年月', flagged: true, hasCrop: true });
    expect(birth?.reason).toContain('识别把握不足');
    expect(view.fields.find((f) => f.key === 'photo')).toBeUndefined();
  });

  it('serves the crop of a field the store knows, and nothing else', async () => {
    const crop = await get(`/crop/${REVIEW_ID}/birthMonth`);
    expect(crop.status).toBe(200);
    expect(crop.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await crop.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    for (const path of [
      `/crop/${REVIEW_ID}/fillingUnit`, // a field without a crop
      `/crop/${REVIEW_ID}/nope`,
      '/crop/no-such-record/name',
      `/crop/${encodeURIComponent('../../../etc/passwd')}/name`,
      `/crop/${REVIEW_ID}/${encodeURIComponent('../../xietong.db')}`,
      '/crop?path=/etc/passwd',
      `/crop/${REVIEW_ID}/birthMonth/../../../../etc/passwd`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('root:');
    }
  });
});

describe('posting corrections', () => {
  const url = `/api/records/${SECOND_ID}/fields/contactPerson`;

  it('refuses a body that is not JSON with 400 and a message', async () => {
    const res = await post(url, '{"value": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_json', message: expect.stringContaining('JSON') });
    expect((await post(url, 'value=x', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('refuses a body the schema refuses, in Chinese', async () => {
    const noName = await post(url, JSON.stringify({ value: '李明' }));
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as { message: string }).message).toMatch(/更正内容无效.*by/);
    const blankName = await post(url, JSON.stringify({ value: '李明', by: '  ' }));
    expect(((await blankName.json()) as { message: string }).message).toContain('需要填写操作人');
    const object = await post(url, JSON.stringify({ value: { a: 1 }, by: '甲' }));
    expect(object.status).toBe(400);
  });

  it('refuses an invalid value with the parser message in Chinese', async () => {
    const res = await post(
      `/api/records/${REVIEW_ID}/fields/birthMonth`,
      JSON.stringify({ value: '1985年13月', by: '甲', expected: null }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_value');
    expect(body.message).toMatch(/[\u4e00-\u9fff]/);
    const unknown = await post(
      `/api/records/${REVIEW_ID}/fields/nope`,
      JSON.stringify({ value: 'x', by: '甲', expected: null }),
    );
    expect(unknown.status).toBe(400);
    const missing = await post(
      '/api/records/nope/fields/name',
      JSON.stringify({ value: 'x', by: '甲', expected: null }),
    );
    expect(missing.status).toBe(404);
  });

  it('saves typed text in the normal form, and reports a conflict instead of overwriting', async () => {
    const ok = await post(url, JSON.stringify({ value: ' 李 明 ', by: '甲', expected: '李明' }));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { field: { value: string } }).field.value).toBe('李明');
    const stale = await post(url, JSON.stringify({ value: '李鸣', by: '乙', expected: '李铭' }));
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: 'conflict', current: '李明' });
    expect((await store.getRecord(SECOND_ID))?.fields.contactPerson?.value).toBe('李明');
  });

  it('keeps a record whose flagged fields are all done in the queue until it is approved', async () => {
    const queue = (await (await get('/api/queue')).json()) as { records: { id: string; flagged: number }[] };
    expect(queue.records.find((r) => r.id === SECOND_ID)?.flagged).toBe(0);
    const { version } = (await (await get(`/api/records/${SECOND_ID}`)).json()) as { version: string };
    const bad = await post(`/api/records/${SECOND_ID}/approve`, JSON.stringify({ by: '', version }));
    expect(bad.status).toBe(400);
    const res = await post(`/api/records/${SECOND_ID}/approve`, JSON.stringify({ by: '甲', version }));
    expect(res.status).toBe(200);
    expect((await store.getRecord(SECOND_ID))?.status).toBe('verified');
    const after = (await (await get('/api/queue')).json()) as { records: { id: string }[] };
    expect(after.records.map((r) => r.id)).toEqual([REVIEW_ID]);
  });
});
