// Ingest into the store: the same records as a plain ingest, saved file by file; a second run adds
// nothing and keeps corrections; scanned pages read before a crash are taken from the page journal
// instead of being read again.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageReading } from '../../src/ingest/assemble.js';
import { ingest, type ScanReader } from '../../src/ingest/index.js';
import { renderFormDocx } from '../../src/render/forms.js';
import { ingestIntoStore, openStore } from '../../src/store/index.js';
import { sampleRecords, valuesOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-store-ingest-'));
const docx = join(dir, 'docx');
const scans = join(dir, 'scans');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(docx);
  mkdirSync(scans);
  for (const r of sampleRecords().filter((_, i) => i % 4 === 0)) {
    writeFileSync(join(docx, `${r.id}.docx`), await renderFormDocx(r.form, valuesOf(r)));
  }
  writeFileSync(join(docx, 'zz-broken.docx'), Buffer.from('PK\u0003\u0004 not really'));
  const white = { create: { width: 200, height: 280, channels: 3 as const, background: '#ffffff' } };
  await sharp(white).png().toFile(join(scans, 'problem-page.png'));
});

const fakeReading = (file: string, sha256: string): PageReading => ({
  file,
  sha256,
  page: 1,
  form: 'problem',
  formPage: 1,
  fields: [
    { key: 'title', raw: '高白瓷烧成变形控制', confidence: 0.96, crop: 'crops/p1/title.png' },
    { key: 'industry', raw: '陶瓷', confidence: 0.93 },
    { key: 'contactPerson', raw: '王建', confidence: 0.6 },
    { key: 'contactPhone', raw: '139 0000 0201', confidence: 0.95 },
  ],
});

describe('ingestIntoStore on .docx forms', () => {
  it('stores what a plain ingest finds, and a second run adds nothing and keeps corrections', async () => {
    const store = await openStore(join(dir, 'docx.db'));
    try {
      const plain = await ingest([docx]);
      const first = await ingestIntoStore([docx], { store });
      expect(first.submissions.map((s) => s.id).sort()).toEqual(plain.submissions.map((s) => s.id).sort());
      expect(first.failures.map((f) => f.code)).toEqual(plain.failures.map((f) => f.code));
      expect(first.failures).toHaveLength(1);
      expect(first.stored).toMatchObject({ inserted: plain.submissions.length, updated: 0, unchanged: 0 });
      const id = first.submissions[0]?.id as string;
      const key = first.submissions[0]?.form === 'registration' ? 'name' : 'fillingUnit';
      await store.correctField(id, key, { value: '更正后的值', by: '张三' });

      const second = await ingestIntoStore([docx], { store });
      expect(second.stored).toMatchObject({ inserted: 0, updated: 0, unchanged: plain.submissions.length });
      expect((await store.listRecords()).map((r) => r.id).sort()).toEqual(
        first.submissions.map((s) => s.id).sort(),
      );
      expect((await store.getRecord(id))?.fields[key]?.value).toBe('更正后的值');
      expect(await store.counts()).toMatchObject({ records: plain.submissions.length, corrections: 1 });
    } finally {
      await store.close();
    }
  });
});

describe('ingestIntoStore on scans', () => {
  it('takes pages read before a crash from the journal, and clears it once the records are saved', async () => {
    const store = await openStore(join(dir, 'scans.db'));
    try {
      let reads = 0;
      const reader: ScanReader = {
        async readPage(page) {
          reads++;
          return fakeReading(page.file, page.sha256);
        },
      };
      // First run: the page is read, then the process "dies" before the records are saved.
      const dying = Object.create(store) as typeof store;
      dying.putIngestResult = async () => {
        throw new Error('killed');
      };
      await expect(ingestIntoStore([scans], { store: dying, reader, readerModel: 'fake:1' })).rejects.toThrow(
        'killed',
      );
      expect(reads).toBe(1);
      expect(await store.listRecords()).toHaveLength(0);

      // Second run: the page is not read again.
      const refusing: ScanReader = {
        async readPage() {
          throw new Error('the page should come from the journal');
        },
      };
      const again = await ingestIntoStore([scans], {
        store,
        reader: refusing,
        readerModel: 'fake:1',
        ocrInfo: () => ({ engine: 'fake', model: '1' }),
        cropBase: join(dir, 'out'),
      });
      expect(again.failures).toEqual([]);
      expect(again.submissions).toHaveLength(1);
      const [r] = await store.listRecords();
      expect(r?.form).toBe('problem');
      expect(r?.fields.title?.value).toBe('高白瓷烧成变形控制');
      expect(r?.fields.title?.read?.engine).toEqual({ engine: 'fake', model: '1' });
      expect(r?.fields.contactPerson?.needsReview).toBe(true);
      expect(r?.fields.title?.read?.crop).toBe(join(dir, 'out', 'crops/p1/title.png'));
      expect(r?.fields.title?.read?.runId).toBe(again.runId);

      // The journal is empty now: another model, or the same one, reads afresh.
      reads = 0;
      await ingestIntoStore([scans], { store, reader, readerModel: 'fake:1' });
      expect(reads).toBe(1);
      expect(await store.listRecords()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
