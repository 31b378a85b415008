// `store erase` and the copies outside the database: after erasing a person, their name is in none
// of the files xietong wrote — ingest's records.json, the exported workbook, CSV and JSON — while the
// other records stay; a file gone is skipped and said so; a file that cannot be rewritten is named,
// and the database erasure stands.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from './build.js';

const root = mkdtempSync(join(tmpdir(), 'xietong-hostile-erase-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Fictional people of samples/docx: the first is erased, the second must stay.
const ERASED = '程立新';
const KEPT = '潘慧敏';
const INPUTS = ['samples/docx/reg-01.docx', 'samples/docx/reg-02.docx', 'samples/docx/dem-01.docx'];

/** A database with the samples ingested, and an export of every format: the folders erase must find. */
function setUp(name: string): { db: string; ingestOut: string; exportOut: string } {
  const home = join(root, name);
  const db = join(home, 'x.db');
  const ingestOut = join(home, 'ingest');
  const exportOut = join(home, 'export');
  const ingest = runCli(['ingest', ...INPUTS, '--db', db, '--out', ingestOut]);
  expect(ingest.status, ingest.stderr).toBe(0);
  const exported = runCli(['export', '--db', db, '--out', exportOut, '--format', 'xlsx,csv,json']);
  expect(exported.status, exported.stderr).toBe(0);
  return { db, ingestOut, exportOut };
}

/** Every cell of the workbook as text: the name must not be in any sheet. */
async function workbookText(path: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const cells: string[] = [];
  wb.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        cells.push(String(cell.text));
      }),
    ),
  );
  return cells.join('\n');
}

const erase = (db: string, ...more: string[]) =>
  runCli(['store', 'erase', ERASED, '--db', db, ...more, '--by', '管理员', '--reason', '本人申请删除']);

/** The bytes of every file written beside records.json and the exports (not the workbook: zipped). */
function textFiles(dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of dirs)
    for (const f of readdirSync(d))
      if (/\.(json|csv)$/.test(f)) out.set(join(d, f), readFileSync(join(d, f), 'utf8'));
  return out;
}

describe('store erase and the copies outside the database', () => {
  it('lists the files without --yes, changing none', () => {
    const { db, ingestOut, exportOut } = setUp('dry');
    const before = textFiles([ingestOut, exportOut]);
    const dry = runCli(['store', 'erase', ERASED, '--db', db]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(join('ingest', 'records.json'));
    expect(dry.stdout).toContain('汇总表.xlsx');
    expect(dry.stdout).toMatch(/将改写 would rewrite/);
    expect(textFiles([ingestOut, exportOut])).toEqual(before);
  });

  it('rewrites records.json and every export without the person; the others stay; the audit line has no name', async () => {
    const { db, ingestOut, exportOut } = setUp('yes');
    const files = [join(ingestOut, 'records.json'), ...readdirSync(exportOut).map((f) => join(exportOut, f))];
    // Before: the person is in every copy (else the test proves nothing).
    for (const [f, text] of textFiles([ingestOut, exportOut]))
      if (/records\.json|报名表\.csv/.test(f)) expect(text, f).toContain(ERASED);
    expect(await workbookText(join(exportOut, '汇总表.xlsx'))).toContain(ERASED);

    const run = erase(db, '--yes');
    expect(run.status, run.stderr).toBe(0);
    for (const f of files) expect(run.stdout, f).toContain(f.slice(f.lastIndexOf('/') + 1));

    for (const [f, text] of textFiles([ingestOut, exportOut])) expect(text, f).not.toContain(ERASED);
    const ingested = JSON.parse(readFileSync(join(ingestOut, 'records.json'), 'utf8')) as {
      submissions: { form: string }[];
    };
    expect(ingested.submissions.map((r) => r.form).sort()).toEqual(['demand', 'registration']);
    expect(readFileSync(join(ingestOut, 'records.json'), 'utf8')).toContain(KEPT);
    expect(readFileSync(join(exportOut, 'records.json'), 'utf8')).toContain(KEPT);
    const sheets = await workbookText(join(exportOut, '汇总表.xlsx'));
    expect(sheets).not.toContain(ERASED);
    expect(sheets).toContain(KEPT);
    // No leftovers of the rewrite in the folders (temporary files hold the data too).
    for (const d of [ingestOut, exportOut])
      expect(
        readdirSync(d).filter((f) => f.startsWith('.')),
        d,
      ).toEqual([]);

    const store = await openStore(db);
    try {
      const [line] = await store.erasures();
      expect(line).toMatchObject({ by: '管理员', reason: '本人申请删除', copiesFailed: 0 });
      expect(line?.copiesChanged).toBe(files.length);
      expect(JSON.stringify(await store.erasures())).not.toContain(ERASED);
    } finally {
      await store.close();
    }
    // The ingest journal no longer names the erased record's file.
    const raw = new Database(db);
    try {
      const paths = (raw.prepare('SELECT paths FROM ingest_runs').all() as { paths: string }[]).map(
        (r) => r.paths,
      );
      expect(paths.join('\n')).not.toContain('reg-01.docx');
      expect(paths.join('\n')).toContain('reg-02.docx');
      // The counts are set once, when the copies are done; then the line is append-only again.
      expect(() => raw.prepare('UPDATE erasures SET copies_changed = 0').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });

  it('skips a file that is gone and says so; names one it cannot rewrite, and the erasure stands', async () => {
    const { db, exportOut } = setUp('broken');
    rmSync(join(exportOut, '报名表.csv'));
    // A folder where the workbook was: it cannot be replaced (root ignores permissions, not this).
    rmSync(join(exportOut, '汇总表.xlsx'));
    mkdirSync(join(exportOut, '汇总表.xlsx'));

    const run = erase(db, '--yes');
    expect(run.status).toBe(EXIT_CODES.storeFailed);
    expect(run.stdout).toMatch(/已不存在，跳过 no longer exists, skipped: .*报名表\.csv/);
    expect(run.stdout).toMatch(/无法改写 cannot rewrite: .*汇总表\.xlsx/);
    expect(run.stderr).toMatch(/汇总表\.xlsx/);
    const store = await openStore(db);
    try {
      expect(await store.findPerson(ERASED)).toEqual([]);
      const [line] = await store.erasures();
      expect(line?.copiesFailed).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
