// The database as personal data at rest and as a shared file: commands that only look open it
// read-only (no write lock, not a byte changed); files and folders are created owner-only.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
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
