// Schema migrations: a database written by version 1 of the schema opens with the current code,
// is migrated in place and keeps its records and corrections; a database from a newer xietong is
// refused rather than damaged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { LATEST_VERSION, MIGRATIONS, migrate, openStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database as schema version 1 left it, with one record and one correction. */
function makeV1(path: string): void {
  const db = new Database(path);
  migrate(db, MIGRATIONS, 1);
  const at = '2020-05-20T02:00:00.000Z';
  db.prepare(
    `INSERT INTO submissions (id, seq, form, read_issues, first_ingested_at, last_ingested_at)
     VALUES ('prb-000000000001', 1, 'problem', '[]', ?, ?)`,
  ).run(at, at);
  db.prepare(
    "INSERT INTO sources (record_id, ord, file, sha256) VALUES ('prb-000000000001', 0, 'docx/prob-01.docx', 'aa')",
  ).run();
  const reading = db.prepare(
    `INSERT INTO readings (record_id, key, value, raw, confidence, engine, model, read_at)
     VALUES ('prb-000000000001', ?, ?, ?, 1, 'docx', 'table-cells', ?)`,
  );
  reading.run('title', '"高白瓷烧成变形"', '高白瓷烧成变形', at);
  reading.run('contactPhone', '"13900000201"', '139 0000 0201', at);
  db.prepare(
    `INSERT INTO corrections (record_id, key, old_value, new_value, at, actor, reason)
     VALUES ('prb-000000000001', 'title', '"高白瓷烧成变形"', '"高白瓷烧成变形控制"', ?, '张三', '对照原件')`,
  ).run(at);
  db.close();
}

describe('migrations', () => {
  it('are numbered 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring a version 1 database up to date, keeping its records and corrections', async () => {
    const path = join(dir, 'v1.db');
    makeV1(path);
    const before = new Database(path);
    expect(before.pragma('user_version', { simple: true })).toBe(1);
    expect(before.prepare("SELECT name FROM sqlite_master WHERE name = 'ingest_runs'").get()).toBeUndefined();
    before.close();

    const store = await openStore(path);
    try {
      expect(await store.schemaVersion()).toBe(LATEST_VERSION);
      const r = await store.getRecord('prb-000000000001');
      expect(r?.fields.title).toMatchObject({
        value: '高白瓷烧成变形控制',
        read: { value: '高白瓷烧成变形' },
      });
      expect(r?.fields.title?.read?.runId).toBeUndefined();
      expect(r?.fields.title?.correction).toMatchObject({ by: '张三', reason: '对照原件' });
      // What version 2 added works on the migrated file.
      const run = await store.startRun({ paths: ['docx'] });
      await store.finishRun(run, { files: 1 });
      await store.correctField('prb-000000000001', 'contactPhone', { value: '13900000202', by: '李四' });
      expect((await store.history('prb-000000000001')).map((e) => e.kind)).toEqual([
        'read',
        'read',
        'correction',
        'correction',
      ]);
    } finally {
      await store.close();
    }
    // Opening again does nothing more.
    const again = await openStore(path);
    expect(await again.schemaVersion()).toBe(LATEST_VERSION);
    await again.close();
  });

  it('refuse a database written by a newer xietong', async () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    migrate(db);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const err = await openStore(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).exit).toBe('storeFailed');
    expect((err as RunError).message).toMatch(/newer/);
  });
});
