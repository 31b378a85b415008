// The whole page on demand: the review routes draw the page of a record's own source — an image as
// it is, a PDF page rasterised — and nothing else (a typed form has no page; a name is no path).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import { createApp, type Workbench } from '../../src/web/index.js';
import { sample } from '../store/helpers.js';

const PORT = 4323;
const HOST = `127.0.0.1:${PORT}`;
const TOKEN = 'c'.repeat(64);
const dir = mkdtempSync(join(tmpdir(), 'xietong-page-image-'));
let store: SqliteRecordStore;
let wb: Workbench;

beforeAll(async () => {
  store = await openStore(join(dir, 'xietong.db'));
  const scanned = sample('reg-05');
  scanned.sources = [
    { file: resolve('samples/scans/reg-05-p1.png'), page: 1, sha256: 'a' },
    { file: resolve('samples/scans/feeder-batch-01.pdf'), page: 2, sha256: 'b' },
  ];
  await store.putIngestResult({ submissions: [scanned, sample('dem-01')] }, {});
  wb = createApp({ store, dataDir: join(dir, 'files'), port: () => PORT, token: TOKEN });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string) =>
  Promise.resolve(wb.app.request(`http://${HOST}${path}?token=${TOKEN}`, { headers: { host: HOST } }));

describe('/page/<record>/<n>', () => {
  it('draws an image page and a PDF page as PNGs a laptop can show', async () => {
    for (const n of [0, 1]) {
      const res = await get(`/page/reg-05/${n}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(meta.width).toBeGreaterThan(800);
      expect(meta.width).toBeLessThanOrEqual(1600);
    }
  });

  it('has no page for a typed form, a source it does not hold, or a record it does not know', async () => {
    for (const path of ['/page/dem-01/0', '/page/reg-05/2', '/page/reg-05/-1', '/page/nobody/0']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});
