// The SQLite store: records keyed by stable id, readings never overwritten, corrections and reviews
// append-only, current value = latest correction or else the reading, approvals that go stale, the
// review queue, 一式二份 links, and rows checked on the way out.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { reviewQueue } from '../../src/review/queue.js';
import { currentRecord, openStore, type SqliteRecordStore, StoreError } from '../../src/store/index.js';
import { valueFromText } from '../../src/store/values.js';
import { sample, steppingClock, variant } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let store: SqliteRecordStore;
let n = 0;
let path: string;
beforeEach(async () => {
  path = join(dir, `t${n++}.db`);
  store = await openStore(path, { now: steppingClock() });
});
afterEach(async () => {
  await store.close();
});

const reg01 = () => sample('reg-01');

describe('putIngestResult', () => {
  it('stores a submission with its sources and each field read, with provenance', async () => {
    const r = reg01();
    r.sources = [{ file: 'docx/reg-01.docx', sha256: 'abc123' }];
    const summary = await store.putIngestResult({ submissions: [r] });
    expect(summary).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
    const got = await store.getRecord('reg-01');
    expect(got?.form).toBe('registration');
    expect(got?.sources).toEqual([{ file: 'docx/reg-01.docx', sha256: 'abc123' }]);
    expect(got?.fields.name?.value).toBe('程立新');
    expect(got?.fields.birthMonth?.read).toMatchObject({
      value: '1978-04',
      raw: '1978年4月',
      confidence: 1,
      sourceFile: 'docx/reg-01.docx',
      sourceSha256: 'abc123',
      engine: { engine: 'docx', model: 'table-cells' },
    });
    expect(got?.status).toBe('pending');
    expect(Object.keys(got?.fields ?? {})[0]).toBe('fillingUnit');
  });

  it('records the OCR engine for scanned records, and page, box and crop per field', async () => {
    const r = variant(reg01(), 'reg-scan', {});
    r.sources = [
      { file: 'scans/a.pdf', page: 3, sha256: 'pdf' },
      { file: 'scans/a.pdf', page: 4, sha256: 'pdf' },
    ];
    r.fields.name = {
      value: '程立新',
      raw: '程 立 新',
      confidence: 0.71,
      page: 3,
      box: { x: 1, y: 2, w: 3, h: 4 },
      crop: 'crops/x.png',
    };
    r.fields.plannedWork = { value: '…', raw: '…', confidence: 0.95, page: 4 };
    await store.putIngestResult(
      { submissions: [r] },
      { ocr: { engine: 'tesseract.js', version: '7.0.0', model: '4.0.0' } },
    );
    const got = await store.getRecord('reg-scan');
    expect(got?.fields.name?.read).toMatchObject({
      page: 3,
      box: { x: 1, y: 2, w: 3, h: 4 },
      crop: 'crops/x.png',
      engine: { engine: 'tesseract.js', version: '7.0.0', model: '4.0.0' },
    });
    expect(got?.fields.plannedWork?.read?.page).toBe(4);
    expect(got?.fields.name?.needsReview).toBe(true);
  });

  it('keeps the second reader’s reading beside the first, until a person decides the value', async () => {
    const r = reg01();
    const name = r.fields.name as NonNullable<(typeof r.fields)['name']>;
    r.fields.name = { ...name, confidence: 0.6, other: '王建固' };
    await store.putIngestResult({ submissions: [r] });
    const got = await store.getRecord('reg-01');
    expect(got?.fields.name?.read?.other).toBe('王建固');
    expect(currentRecord(got as NonNullable<typeof got>).fields.name?.other).toBe('王建固');
    // The same reading again with another second reading is a new reading, not the same.
    r.fields.name = { ...name, confidence: 0.6, other: '王建国' };
    expect((await store.putIngestResult({ submissions: [r] })).updated).toBe(1);
    await store.correctField('reg-01', 'name', { value: String(name.value), by: '张三' });
    const decided = await store.getRecord('reg-01');
    expect(currentRecord(decided as NonNullable<typeof decided>).fields.name?.other).toBeUndefined();
  });

  it('adds nothing when the same submission comes again, and keeps first-seen order', async () => {
    await store.putIngestResult({ submissions: [reg01(), sample('dem-01')] });
    const again = await store.putIngestResult({ submissions: [sample('dem-01'), reg01()] });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const list = await store.listRecords();
    expect(list.map((r) => [r.id, r.seq, r.ingestCount])).toEqual([
      ['reg-01', 1, 2],
      ['dem-01', 2, 2],
    ]);
    expect((await store.history('reg-01', 'name')).map((e) => e.kind)).toEqual(['read']);
  });
});

describe('corrections', () => {
  beforeEach(async () => {
    await store.putIngestResult({ submissions: [reg01()] });
  });

  it('makes the latest correction the current value and keeps what was read', async () => {
    const c = await store.correctField('reg-01', 'birthMonth', {
      value: '1978-05',
      by: '张三',
      reason: '对照原件',
    });
    expect(c).toMatchObject({
      field: 'birthMonth',
      oldValue: '1978-04',
      newValue: '1978-05',
      by: '张三',
      reason: '对照原件',
    });
    await store.correctField('reg-01', 'birthMonth', { value: '1978-06', by: '李四' });
    const got = await store.getRecord('reg-01');
    expect(got?.fields.birthMonth?.value).toBe('1978-06');
    expect(got?.fields.birthMonth?.read?.value).toBe('1978-04');
    expect(got?.fields.birthMonth?.correction?.by).toBe('李四');
    expect(got?.corrections).toBe(2);
    const history = await store.history('reg-01', 'birthMonth');
    expect(history.map((e) => e.kind)).toEqual(['read', 'correction', 'correction']);
    expect(history[2]).toMatchObject({ oldValue: '1978-05', newValue: '1978-06' });
    // In the DOMAIN.md shape: the corrected value, confidence 1, raw as on paper.
    expect(currentRecord(got as never).fields.birthMonth).toMatchObject({
      value: '1978-06',
      raw: '1978年4月',
      confidence: 1,
    });
  });

  it('a same-value correction confirms a low-confidence field', async () => {
    const r = variant(reg01(), 'reg-low', { phone: { value: '13900000131', confidence: 0.4 } });
    await store.putIngestResult({ submissions: [r] });
    expect((await store.getRecord('reg-low'))?.fields.phone?.needsReview).toBe(true);
    await store.correctField('reg-low', 'phone', { value: '13900000131', by: '张三', reason: '确认' });
    expect((await store.getRecord('reg-low'))?.fields.phone?.needsReview).toBe(false);
  });

  it('refuses unknown records and fields, values not in normal form, and a missing name', async () => {
    const refused = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreError);
      return (err as StoreError).code;
    };
    expect(await refused(store.correctField('reg-99', 'name', { value: 'x', by: 'a' }))).toBe(
      'record_not_found',
    );
    expect(await refused(store.correctField('reg-01', 'nickname', { value: 'x', by: 'a' }))).toBe(
      'unknown_field',
    );
    expect(await refused(store.correctField('reg-01', 'birthMonth', { value: '1985年3月', by: 'a' }))).toBe(
      'invalid_value',
    );
    expect(await refused(store.correctField('reg-01', 'teamSize', { value: '3', by: 'a' }))).toBe(
      'invalid_value',
    );
    expect(await refused(store.correctField('reg-01', 'name', { value: '程立', by: ' ' }))).toBe(
      'invalid_input',
    );
    expect((await store.getRecord('reg-01'))?.corrections).toBe(0);
  });

  it('refuses a correction made on a value that has changed since (conflict)', async () => {
    await store.correctField('reg-01', 'name', { value: '程立心', by: '张三' });
    await expect(
      store.correctField('reg-01', 'name', { value: '陈立新', by: '李四', expected: '程立新' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await store.correctField('reg-01', 'name', { value: '陈立新', by: '李四', expected: '程立心' });
    expect((await store.getRecord('reg-01'))?.fields.name?.value).toBe('陈立新');
  });

  it('is append-only in the database itself', async () => {
    await store.correctField('reg-01', 'name', { value: '程立心', by: '张三' });
    await store.approveRecord('reg-01', { by: '张三' });
    await store.close();
    const db = new Database(path);
    expect(() => db.prepare('UPDATE corrections SET new_value = \'"x"\'').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM readings').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM reviews').run()).toThrow(/append-only/);
    db.close();
    store = await openStore(path);
  });

  it('survives a re-ingest, which adds a new reading only when the reading changed', async () => {
    await store.correctField('reg-01', 'name', { value: '程立心', by: '张三' });
    expect((await store.putIngestResult({ submissions: [reg01()] })).unchanged).toBe(1);
    // The same file read again by a better engine: another reading, the correction still wins.
    const reread = reg01();
    reread.fields.name = { value: '程立新', raw: '程立新', confidence: 0.99 };
    reread.fields.gender = { value: '女', raw: '女', confidence: 0.8 };
    expect((await store.putIngestResult({ submissions: [reread] })).updated).toBe(1);
    const got = await store.getRecord('reg-01');
    expect(got?.fields.name?.value).toBe('程立心');
    expect(got?.fields.name?.read?.confidence).toBe(0.99);
    expect(got?.fields.gender?.value).toBe('女');
    expect((await store.history('reg-01', 'name')).map((e) => e.kind)).toEqual([
      'read',
      'correction',
      'reread',
    ]);
    expect(
      (await store.history('reg-01', 'gender')).map((e) => [e.kind, 'value' in e ? e.value : null]),
    ).toEqual([
      ['read', '男'],
      ['reread', '女'],
    ]);
  });

  it('parses what a reviewer types into the normal form', () => {
    expect(valueFromText('registration', 'birthMonth', '1985年3月')).toMatchObject({
      ok: true,
      value: '1985-03',
    });
    expect(valueFromText('registration', 'teamSize', '三人')).toMatchObject({ ok: true, value: 3 });
    expect(valueFromText('registration', 'phone', '0798—8576556')).toMatchObject({
      ok: true,
      value: '0798-8576556',
    });
    expect(valueFromText('registration', 'name', '')).toMatchObject({ ok: true, value: null });
    expect(valueFromText('registration', 'birthMonth', '去年')).toMatchObject({ ok: false });
    expect(valueFromText('registration', 'nickname', 'x')).toMatchObject({ ok: false });
  });
});

describe('approval', () => {
  beforeEach(async () => {
    await store.putIngestResult({ submissions: [reg01()] });
  });

  it('marks a record verified with who and when; a later correction makes it pending again', async () => {
    await store.correctField('reg-01', 'name', { value: '程立心', by: '张三' });
    const review = await store.approveRecord('reg-01', { by: '王科长', note: '已对照原件' });
    let got = await store.getRecord('reg-01');
    expect(got?.status).toBe('verified');
    expect(got?.review).toMatchObject({ action: 'approve', by: '王科长', note: '已对照原件', at: review.at });
    expect(await store.listRecords({ status: 'verified' })).toHaveLength(1);

    await store.correctField('reg-01', 'gender', { value: '女', by: '张三' });
    got = await store.getRecord('reg-01');
    expect(got?.status).toBe('pending');
    await store.approveRecord('reg-01', { by: '王科长' });
    await store.reopenRecord('reg-01', { by: '王科长', note: '电话需再核' });
    expect((await store.getRecord('reg-01'))?.status).toBe('pending');
    const kinds = (await store.history('reg-01')).map((e) => e.kind).filter((k) => k !== 'read');
    expect(kinds).toEqual(['correction', 'approve', 'correction', 'approve', 'reopen']);
  });

  it('goes stale when a re-reading changes a value nobody corrected', async () => {
    await store.approveRecord('reg-01', { by: '王科长' });
    await store.putIngestResult({ submissions: [reg01()] });
    expect((await store.getRecord('reg-01'))?.status).toBe('verified');
    const reread = reg01();
    reread.fields.gender = { value: '女', raw: '女', confidence: 0.8 };
    await store.putIngestResult({ submissions: [reread] });
    expect((await store.getRecord('reg-01'))?.status).toBe('pending');
  });

  it('needs a name', async () => {
    await expect(store.approveRecord('reg-01', { by: '' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.approveRecord('nope', { by: 'x' })).rejects.toMatchObject({
      code: 'record_not_found',
    });
  });
});

describe('review queue', () => {
  it('lists pending records with uncertain fields, worst first', async () => {
    const a = variant(reg01(), 'reg-a', { name: { value: '程立新', confidence: 0.5 } });
    const b = variant(reg01(), 'reg-b', {
      name: { value: '程立新', confidence: 0.8 },
      phone: { value: '13900000132', confidence: 0.85 },
    });
    const c = variant(reg01(), 'reg-c', { name: { value: '程立新', confidence: 0.3 } });
    const d = variant(reg01(), 'reg-d', { name: { value: '程立新', confidence: 0.2 } });
    await store.putIngestResult({ submissions: [reg01(), a, b, c, d] });
    await store.approveRecord('reg-d', { by: '张三' });
    const queue = await reviewQueue(store);
    expect(queue.map((q) => q.id)).toEqual(['reg-b', 'reg-c', 'reg-a']);
    expect(queue[0]?.fields.map((f) => f.key)).toEqual(['name', 'phone']);
    expect(queue[1]).toMatchObject({ title: '程立新', minConfidence: 0.3 });
    expect(await reviewQueue(store, { limit: 1 })).toHaveLength(1);
    await store.correctField('reg-c', 'name', { value: '程立新', by: '张三' });
    expect((await reviewQueue(store)).map((q) => q.id)).toEqual(['reg-b', 'reg-a']);
    expect(await store.counts()).toMatchObject({ records: 5, verified: 1, needingReview: 2, corrections: 1 });
  });
});

describe('一式二份 links', () => {
  it('links the later of two identical registrations to the first, from current values', async () => {
    const first = reg01();
    const second = variant(reg01(), 'reg-01b', { profile: { value: '另一份的简介' } });
    await store.putIngestResult({ submissions: [first, second, sample('reg-02')] });
    expect((await store.getRecord('reg-01b'))?.copyOf).toBe('reg-01');
    expect((await store.getRecord('reg-01'))?.copyOf).toBeUndefined();
    expect((await store.listRecords({ withoutCopies: true })).map((r) => r.id)).toEqual(['reg-01', 'reg-02']);
    // A misread phone corrected on one of them: no longer the same person's form, then again.
    await store.correctField('reg-01b', 'phone', { value: '13900000999', by: '张三' });
    expect((await store.getRecord('reg-01b'))?.copyOf).toBeUndefined();
    await store.correctField('reg-01b', 'phone', { value: '13900000131', by: '张三' });
    expect((await store.getRecord('reg-01b'))?.copyOf).toBe('reg-01');
    expect((await store.counts()).byForm.registration).toBe(2);
  });
});

describe('opening', () => {
  it('refuses a file that is not a database, with a hint', async () => {
    const bad = join(dir, 'notes.db');
    writeFileSync(bad, 'these are not the records you are looking for '.repeat(50));
    const err = await openStore(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err).toMatchObject({ exit: 'storeFailed' });
    expect((err as RunError).hint).toMatch(/not an xietong database/);
  });

  it('checks rows on the way out', async () => {
    await store.putIngestResult({ submissions: [reg01()] });
    await store.close();
    const db = new Database(path);
    db.prepare(`UPDATE submissions SET read_issues = '[{"code":"Bad Code","severity":"loud"}]'`).run();
    db.close();
    store = await openStore(path);
    await expect(store.listRecords()).rejects.toMatchObject({ code: 'invalid_row' });
  });

  it('works in memory', async () => {
    const mem = await openStore(':memory:');
    await mem.putIngestResult({ submissions: [reg01()] });
    expect(await mem.listRecords()).toHaveLength(1);
    await mem.close();
  });
});
