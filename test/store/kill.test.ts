// A run killed half-way and started again ends where one clean run ends: the CLI ingests a folder
// of many .docx forms into a database and is sent SIGKILL once some records are in; the database
// holds only whole records; a second run completes, and the records, their readings and 一式二份
// links are those of a clean run — none twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../../src/forms/index.js';
import { renderFormDocx } from '../../src/render/forms.js';
import type { FormKind } from '../../src/types.js';
import { sampleRecords, valuesOf } from './helpers.js';

const COPIES = 130;
const KILL_AFTER = 30;
const LONG_TEXT: Record<FormKind, string> = {
  registration: 'profile',
  demand: 'techStatus',
  problem: 'description',
};

const dir = mkdtempSync(join(tmpdir(), 'xietong-kill-'));
const forms = join(dir, 'forms');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(forms);
  const samples = sampleRecords();
  for (let i = 0; i < COPIES; i++) {
    const r = samples[i % samples.length];
    if (!r) continue;
    // Different content → a different file hash → a different record; the identity fields stay,
    // so later copies of a sample are linked to the first as 一式二份 copies.
    const values = valuesOf(r);
    values[LONG_TEXT[r.form]] = `${values[LONG_TEXT[r.form]] ?? ''}（第${i + 1}份）`;
    writeFileSync(
      join(forms, `${String(i).padStart(3, '0')}-${r.id}.docx`),
      await renderFormDocx(r.form, values),
    );
  }
});

function runIngest(db: string, out: string): ChildProcess {
  return spawn(process.execPath, ['bin/xietong.js', 'ingest', forms, '--db', db, '--out', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, XIETONG_DB: '' },
  });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.on('exit', (code, signal) => resolve({ code, signal }));
  });

/** Records stored so far, or -1 while the file or its tables do not exist yet. */
function countIn(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT count(*) AS n FROM submissions').get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return -1;
  }
}

interface Snapshot {
  ids: string[];
  copies: [string, string | null][];
  readings: number;
  sources: number;
  duplicateReadings: number;
  incomplete: string[];
}

function snapshot(db: string): Snapshot {
  const conn = new Database(db, { readonly: true });
  try {
    const subs = conn.prepare('SELECT id, form, copy_of FROM submissions ORDER BY id').all() as {
      id: string;
      form: FormKind;
      copy_of: string | null;
    }[];
    const keys = new Map(
      (
        conn.prepare('SELECT record_id, count(DISTINCT key) AS n FROM readings GROUP BY record_id').all() as {
          record_id: string;
          n: number;
        }[]
      ).map((r) => [r.record_id, r.n]),
    );
    return {
      ids: subs.map((s) => s.id),
      copies: subs.map((s) => [s.id, s.copy_of]),
      readings: (conn.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n,
      sources: (conn.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n,
      duplicateReadings: (
        conn
          .prepare(
            'SELECT count(*) AS n FROM (SELECT record_id, key, value FROM readings GROUP BY record_id, key, value HAVING count(*) > 1)',
          )
          .get() as { n: number }
      ).n,
      // A record is whole when every field of its form has a reading.
      incomplete: subs.filter((s) => keys.get(s.id) !== FORMS[s.form].fields.length).map((s) => s.id),
    };
  } finally {
    conn.close();
  }
}

describe('ingest killed half-way and run again', () => {
  it('ends with the records of a clean run, none twice', { timeout: 180_000 }, async () => {
    const clean = join(dir, 'clean.db');
    const cleanRun = await exited(runIngest(clean, join(dir, 'out-clean')));
    expect(cleanRun.code).toBe(0);
    const expected = snapshot(clean);
    expect(expected.ids).toHaveLength(COPIES);
    expect(expected.incomplete).toEqual([]);
    expect(expected.copies.filter(([, c]) => c !== null).length).toBeGreaterThan(0);

    // Killed once KILL_AFTER records are in.
    const db = join(dir, 'killed.db');
    const child = runIngest(db, join(dir, 'out-killed'));
    const end = exited(child);
    let seen = -1;
    const deadline = Date.now() + 120_000;
    while (child.exitCode === null && Date.now() < deadline) {
      seen = countIn(db);
      if (seen >= KILL_AFTER) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    const killed = await end;
    expect(killed.signal, 'the run finished before it could be killed: raise COPIES').toBe('SIGKILL');

    const half = snapshot(db);
    expect(half.ids.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(half.ids.length).toBeLessThan(COPIES);
    expect(half.incomplete).toEqual([]);
    const check = new Database(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(
      (
        check.prepare('SELECT count(*) AS n FROM ingest_runs WHERE finished_at IS NULL').get() as {
          n: number;
        }
      ).n,
    ).toBe(1);
    check.close();

    // Started again: completes, and matches the clean run.
    const again = await exited(runIngest(db, join(dir, 'out-again')));
    expect(again.code).toBe(0);
    const final = snapshot(db);
    expect(final.ids).toEqual(expected.ids);
    expect(new Set(final.ids).size).toBe(final.ids.length);
    expect(final.readings).toBe(expected.readings);
    expect(final.sources).toBe(expected.sources);
    expect(final.duplicateReadings).toBe(0);
    expect(final.incomplete).toEqual([]);
    expect(final.copies).toEqual(expected.copies);
  });
});
