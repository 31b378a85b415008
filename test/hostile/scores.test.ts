// `scores import` takes nothing on trust from the expert's workbook: formulas, a tampered hidden
// sheet, amounts typed into the sheet, junk rows, inflated containers; and a failed import leaves
// an existing summary as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoresImportCommand } from '../../src/cli/scores.js';
import { EXIT_CODES } from '../../src/errors.js';
import { type Project, parseProjects } from '../../src/projects/types.js';
import { DEFAULT_SCORING_CONFIG, parseScoringConfig } from '../../src/scores/config.js';
import { anonymousExperts, assignPanel } from '../../src/scores/experts.js';
import { readScoreWorkbook } from '../../src/scores/import.js';
import { importScores } from '../../src/scores/index.js';
import { buildScoreWorkbook, finishXlsx, LAYOUT, META_SHEET } from '../../src/scores/workbook.js';
import { openStore } from '../../src/store/index.js';
import { bombPart, part, runCli, zipOf } from './build.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/projects.json');
const projects = parseProjects(readFileSync(SAMPLE, 'utf8'), SAMPLE);
const config = parseScoringConfig(readFileSync(DEFAULT_SCORING_CONFIG, 'utf8'), 'scoring.yaml');
const DATE = new Date('2020-09-15T00:00:00Z');
const tmp = mkdtempSync(join(tmpdir(), 'xietong-hostile-scores-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const one = projects.filter((p) => p.id === '2020-XT-001');
let blank: Buffer;
beforeAll(async () => {
  ({ buffer: blank } = await buildScoreWorkbook({
    assignments: assignPanel(one, anonymousExperts(3)).assignments,
    config,
    date: DATE,
  }));
});

const R = LAYOUT.firstRow;
const FULL = [22, 18, 12, 12, 20];

async function edited(edit: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(blank as unknown as ArrayBuffer);
  edit(wb);
  return finishXlsx(Buffer.from(await wb.xlsx.writeBuffer()), DATE);
}

const score = (ws: ExcelJS.Worksheet, values: ExcelJS.CellValue[], r = R) =>
  values.forEach((v, j) => {
    ws.getRow(r).getCell(LAYOUT.firstScoreColumn + j).value = v;
  });

const sheet = (wb: ExcelJS.Workbook, name = 'E01') => wb.getWorksheet(name) as ExcelJS.Worksheet;

describe('scores import', () => {
  it('refuses a formula in a score cell, naming the cell, whatever its cached result', async () => {
    const book = await edited((wb) => {
      score(sheet(wb), FULL);
      sheet(wb).getCell(`G${R}`).value = { formula: '20+2', result: 22 };
    });
    const { entries, issues } = await readScoreWorkbook(book, 'f.xlsx', config);
    expect(entries).toEqual([]);
    expect(issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.cell])).toEqual([
      ['formula', `G${R}`],
    ]);
  });

  it('takes no cached result for the name, date or opinion either', async () => {
    const book = await edited((wb) => {
      const ws = sheet(wb);
      score(ws, FULL);
      ws.getCell(LAYOUT.expertNameCell).value = { formula: '"王"&"五"', result: '王五' };
      ws.getCell(LAYOUT.dateCell).value = { formula: 'TODAY()', result: '2020-09-15' };
      ws.getRow(R).getCell(LAYOUT.firstScoreColumn + FULL.length + 1).value = {
        formula: '"好"',
        result: '好',
      };
    });
    const { entries, issues } = await readScoreWorkbook(book, 'n.xlsx', config);
    expect(entries.map((e) => [e.expertName, e.date, e.opinion])).toEqual([[null, null, null]]);
    expect(issues.filter((i) => i.code === 'formula').map((i) => i.cell)).toEqual([
      LAYOUT.expertNameCell,
      LAYOUT.dateCell,
    ]);
  });

  it.each([
    ['an empty object', () => ({})],
    ['a step of 0', (m: Record<string, unknown>) => ({ ...m, step: 0 })],
    ['another first row', (m: Record<string, unknown>) => ({ ...m, firstRow: 1 })],
  ])('validates the hidden sheet: %s is not a score workbook', async (_, change) => {
    const book = await edited((wb) => {
      const meta = sheet(wb, META_SHEET);
      meta.getCell('B2').value = JSON.stringify(change(JSON.parse(String(meta.getCell('B2').value))));
      score(sheet(wb), [22.37, 18, 12, 12, 20]);
    });
    const { entries, issues } = await readScoreWorkbook(book, 'm.xlsx', config);
    expect(entries).toEqual([]);
    expect(issues.map((i) => i.code)).toEqual(['not_a_score_workbook']);
  });

  it('takes the requested amount from the projects, never from the sheet', async () => {
    const book = await edited((wb) => {
      for (const name of ['E01', 'E02', 'E03']) {
        score(sheet(wb, name), FULL);
        sheet(wb, name).getRow(R).getCell(6).value = -5;
      }
    });
    const file = join(tmp, 'amount.xlsx');
    writeFileSync(file, book);
    const bare = await importScores([file], { config });
    expect(bare.aggregation.projects[0]?.requested).toBeNull();
    expect(bare.aggregation.projects[0]?.proposed).toBeGreaterThanOrEqual(3);
    const withProjects = await importScores([file], { config, projects: one });
    expect(withProjects.aggregation.projects[0]?.requested).toBe(one[0]?.funding.requested ?? null);
  });

  it("without --projects, takes the amounts from the database's projects", async () => {
    const file = join(tmp, 'amount-db.xlsx');
    writeFileSync(
      file,
      await edited((wb) => {
        for (const name of ['E01', 'E02', 'E03']) {
          score(sheet(wb, name), FULL);
          sheet(wb, name).getRow(R).getCell(6).value = -5;
        }
      }),
    );
    const db = join(tmp, 'projects.db');
    const store = await openStore(db);
    await store.putProject(one[0] as Project, { by: '甲' });
    await store.close();
    const result = await scoresImportCommand(
      [file],
      { db, out: join(tmp, 'db.xlsx'), json: true },
      { write: () => 0 },
    );
    expect(result.aggregation.projects[0]?.requested).toBe(one[0]?.funding.requested);
    expect(result.aggregation.projects[0]?.requested).toBeGreaterThan(0);
  });

  const junk = (rows: number) =>
    edited((wb) => {
      score(sheet(wb), FULL);
      const ws = sheet(wb);
      for (let r = 0; r < rows; r++) ws.getRow(R + 10 + r).getCell(2).value = 'x';
    });

  it('sets aside 20 000 junk rows below the projects with one warning', async () => {
    const { entries, issues } = await readScoreWorkbook(await junk(20_000), 'junk.xlsx', config);
    expect(entries).toHaveLength(1);
    expect(issues.filter((i) => i.code === 'too_many_rows')).toHaveLength(1);
    expect(issues.length).toBeLessThan(100);
  });

  it('names a workbook of 200 000 junk rows instead of crashing', async () => {
    const { entries, issues } = await readScoreWorkbook(await junk(200_000), 'junk.xlsx', config);
    expect(entries).toEqual([]);
    expect(issues.map((i) => i.code)).toEqual(['archive_too_large']);
  });

  it('refuses an .xlsx that inflates far beyond a workbook', async () => {
    const bomb = zipOf([
      part('[Content_Types].xml', '<Types/>'),
      bombPart('xl/worksheets/sheet1.xml', '<worksheet>', ' '.repeat(1 << 20), 1024, '</worksheet>'),
    ]);
    const { issues } = await readScoreWorkbook(bomb, 'bomb.xlsx', config);
    expect(issues.map((i) => i.code)).toEqual(['archive_too_large']);
  });

  it('a failed import leaves an existing summary untouched and exits badDataFile', () => {
    const out = join(tmp, 'summary.xlsx');
    writeFileSync(out, 'the summary of yesterday');
    writeFileSync(join(tmp, 'not.xlsx'), 'not a workbook');
    const run = runCli(['scores', 'import', join(tmp, 'not.xlsx'), '--out', out]);
    expect(run.status).toBe(EXIT_CODES.badDataFile);
    expect(readFileSync(out, 'utf8')).toBe('the summary of yesterday');
  });

  it('exits badDataFile, not internal, on a tampered hidden sheet', async () => {
    const file = join(tmp, 'empty-meta.xlsx');
    writeFileSync(
      file,
      await edited((wb) => {
        sheet(wb, META_SHEET).getCell('B2').value = '{}';
      }),
    );
    expect(runCli(['scores', 'import', file, '--out', join(tmp, 'x.xlsx')]).status).toBe(
      EXIT_CODES.badDataFile,
    );
  });
});
