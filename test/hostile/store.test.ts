// The database as personal data at rest and as a shared file: commands that only look open it
// read-only (no write lock, not a byte changed); files and folders are created owner-only.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { REVIEW_ID, reviewStore, SECOND_ID } from '../review/fixture.js';
import { sampleRecords } from '../store/helpers.js';
import { runCli } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-hostile-store-'));
const db = join(dir, 'data', 'x.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const store = await openStore(db);
  await store.putIngestResult({ submissions: sampleRecords().slice(0, 4) });
  await store.close();
});

const digest = (f: string) =>
  existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : '';

describe('read-only commands', () => {
  it('list, show, check and export while an ingest holds the write lock, changing nothing', () => {
    const before = [db, `${db}-wal`].map(digest);
    const writer = new Database(db);
    writer.exec('BEGIN IMMEDIATE');
    try {
      for (const args of [
        ['store', 'list'],
        ['store', 'info'],
        ['check'],
        ['export', '--out', join(dir, 'export'), '--format', 'json'],
        ['project', 'list'],
      ]) {
        const run = runCli([...args, '--db', db]);
        expect(run.stderr, args.join(' ')).not.toMatch(/writable|内部错误/);
        expect(run.status, args.join(' ')).toBe(0);
      }
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    expect([db, `${db}-wal`].map(digest)).toEqual(before);
  });
});

describe('files at rest', () => {
  it('creates the database and its folder owner-only', () => {
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
  });
});

describe('files a command writes', () => {
  it('are owner-only whatever the umask: records.json, summary, output folder, database, exports', () => {
    const out = join(dir, 'ingest-out');
    const db2 = join(dir, 'private', 'y.db');
    const old = process.umask(0o022);
    try {
      expect(runCli(['ingest', 'samples/docx/prob-01.docx', '--db', db2, '--out', out]).status).toBe(0);
      expect(
        runCli(['export', '--db', db2, '--out', join(dir, 'exp'), '--format', 'xlsx,csv,json']).status,
      ).toBe(0);
    } finally {
      process.umask(old);
    }
    for (const f of [join(out, 'records.json'), join(out, 'summary.txt'), db2])
      expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    for (const d of [out, join(dir, 'private'), join(dir, 'exp')])
      expect((statSync(d).mode & 0o777).toString(8), d).toBe('700');
    for (const f of readdirSync(join(dir, 'exp')))
      expect((statSync(join(dir, 'exp', f)).mode & 0o777).toString(8), f).toBe('600');
  });
});

describe('store erase', () => {
  it("deletes a person's records, history and crops, keeps one audit line, and changes nothing else", async () => {
    const home = join(dir, 'erase');
    const store = await reviewStore(home);
    const other = await store.getRecord(SECOND_ID);
    const otherHistory = await store.history(SECOND_ID);
    const crops = Object.values((await store.getRecord(REVIEW_ID))?.fields ?? {})
      .map((f) => f.read?.crop)
      .filter((c): c is string => Boolean(c));
    await store.correctField(REVIEW_ID, 'name', { value: '王建国', by: '甲', reason: '对照原件' });
    await store.approveRecord(REVIEW_ID, { by: '甲' });
    await store.close();
    expect(crops.length).toBeGreaterThan(0);
    const db3 = join(home, 'xietong.db');

    const dry = runCli(['store', 'erase', '王建国', '--db', db3]);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(REVIEW_ID);
    expect(runCli(['store', 'erase', '王建国', '--db', db3, '--yes']).status).toBe(EXIT_CODES.usage); // no reason
    const run = runCli([
      'store',
      'erase',
      '王建国',
      '--db',
      db3,
      '--yes',
      '--by',
      '管理员',
      '--reason',
      '本人申请删除',
    ]);
    expect(run.status).toBe(0);

    const after = await openStore(db3);
    try {
      expect(await after.getRecord(REVIEW_ID)).toBeUndefined();
      expect(await after.getRecord(SECOND_ID)).toEqual(other);
      expect(await after.history(SECOND_ID)).toEqual(otherHistory);
      expect(await after.erasures()).toEqual([
        {
          id: 1,
          at: expect.any(String),
          by: '管理员',
          reason: '本人申请删除',
          recordIds: [REVIEW_ID],
          // No copy outside the database was noted for this store: none to change.
          copiesChanged: 0,
          copiesFailed: 0,
        },
      ]);
    } finally {
      await after.close();
    }
    for (const c of crops) expect(existsSync(c), c).toBe(false);
    const raw = new Database(db3);
    try {
      for (const t of ['readings', 'corrections', 'reviews', 'sources'])
        expect(raw.prepare(`SELECT count(*) AS n FROM ${t} WHERE record_id = ?`).get(REVIEW_ID)).toEqual({
          n: 0,
        });
      // Still append-only for everything else.
      expect(() => raw.prepare('DELETE FROM readings WHERE record_id = ?').run(SECOND_ID)).toThrow(
        /append-only/,
      );
      expect(() => raw.prepare('DELETE FROM erasures').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    // The name is gone from the file's bytes, not just from its tables.
    const bytes = Buffer.concat([db3, `${db3}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    expect(bytes.includes(Buffer.from('王建国'))).toBe(false);
  });
});
