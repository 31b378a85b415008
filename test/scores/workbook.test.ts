// The score workbook round trip: what `render scoresheets` writes (locked structure, editable score
// cells only, validation per criterion, formula totals, the hidden record of what it was made
// for), what `scores import` makes of it when filled — well or badly — and the sample workbooks.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { scoresImportCommand } from '../../src/cli/scores.js';
import { type Project, parseProjects } from '../../src/projects/types.js';
import { DEFAULT_SCORING_CONFIG, parseScoringConfig } from '../../src/scores/config.js';
import { anonymousExperts, assignPanel, loadExperts } from '../../src/scores/experts.js';
import { mergeEntries, readScoreWorkbook } from '../../src/scores/import.js';
import { importScores } from '../../src/scores/index.js';
import {
  buildScoreWorkbook,
  finishXlsx,
  GUIDE_SHEET,
  LAYOUT,
  META_SHEET,
  type WorkbookMeta,
} from '../../src/scores/workbook.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/projects.json');
const projects = parseProjects(readFileSync(SAMPLE, 'utf8'), SAMPLE);
const config = parseScoringConfig(readFileSync(DEFAULT_SCORING_CONFIG, 'utf8'), 'scoring.yaml');
const DATE = new Date('2020-09-15T00:00:00Z');
const tmp = mkdtempSync(join(tmpdir(), 'xietong-scores-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const three = projects.filter((p) => ['2020-XT-001', '2020-XT-002', '2020-XT-004'].includes(p.id));
let blank: Buffer;
let meta: WorkbookMeta;
beforeAll(async () => {
  ({ buffer: blank, meta } = await buildScoreWorkbook({
    assignments: assignPanel(three, anonymousExperts(3)).assignments,
    config,
    date: DATE,
  }));
});

const load = async (buffer: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
};

/** A copy of the blank workbook with cells set: sheet name → A1 ref → value. */
async function filled(cells: Record<string, Record<string, ExcelJS.CellValue>>): Promise<Buffer> {
  const wb = await load(blank);
  for (const [sheet, refs] of Object.entries(cells)) {
    const ws = wb.getWorksheet(sheet) as ExcelJS.Worksheet;
    for (const [ref, v] of Object.entries(refs)) ws.getCell(ref).value = v;
  }
  return finishXlsx(Buffer.from(await wb.xlsx.writeBuffer()), DATE);
}

/** Row `r` (0-based project index) of a sheet scored with these five values. */
const row = (r: number, values: ExcelJS.CellValue[]): Record<string, ExcelJS.CellValue> =>
  Object.fromEntries(
    values.map((v, j) => [
      `${String.fromCharCode(64 + LAYOUT.firstScoreColumn + j)}${LAYOUT.firstRow + r}`,
      v,
    ]),
  );

describe('buildScoreWorkbook', () => {
  it('has a guide, a sheet per expert and a very hidden record of what it was made for', async () => {
    const wb = await load(blank);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      [GUIDE_SHEET, 'visible'],
      ['E01', 'visible'],
      ['E02', 'visible'],
      ['E03', 'visible'],
      [META_SHEET, 'veryHidden'],
    ]);
    expect(meta.sheets.map((s) => s.projects)).toEqual([
      ['2020-XT-001', '2020-XT-002', '2020-XT-004'],
      ['2020-XT-001', '2020-XT-002', '2020-XT-004'],
      ['2020-XT-001', '2020-XT-002', '2020-XT-004'],
    ]);
    expect(meta.criteria.map((c) => c.points)).toEqual([25, 20, 15, 15, 25]);
  });

  it('locks everything but the score, opinion, name and date cells, and the structure', async () => {
    const wb = await load(blank);
    const ws = wb.getWorksheet('E01') as ExcelJS.Worksheet;
    expect((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
    const r = LAYOUT.firstRow;
    expect(ws.getCell(r, 2).value).toBe('2020-XT-001');
    expect(ws.getCell(r, 2).protection?.locked).not.toBe(false);
    expect(ws.getCell(r, 3).value).toBe('日用瓷隧道窑节能降耗与烧成缺陷控制');
    for (let j = 0; j < 5; j++)
      expect(ws.getCell(r, LAYOUT.firstScoreColumn + j).protection?.locked).toBe(false);
    expect(ws.getCell(r, LAYOUT.firstScoreColumn + 6).protection?.locked).toBe(false); // opinion
    expect(ws.getCell(LAYOUT.expertNameCell).protection?.locked).toBe(false); // anonymous: typed in
    expect(ws.getCell(LAYOUT.dateCell).protection?.locked).toBe(false);
    const xml = new PizZip(blank).file('xl/workbook.xml')?.asText() ?? '';
    // In the schema's order: after workbookPr, before the sheets.
    expect(xml).toMatch(/<workbookPr [^>]*\/><workbookProtection lockStructure="1"\/>(<bookViews>|<sheets>)/);
  });

  it('validates each score cell against its criterion and totals by formula', async () => {
    const ws = (await load(blank)).getWorksheet('E02') as ExcelJS.Worksheet;
    const r = LAYOUT.firstRow + 1;
    const v = ws.getCell(r, LAYOUT.firstScoreColumn + 1).dataValidation;
    expect(v).toMatchObject({
      type: 'whole',
      operator: 'between',
      formulae: [0, 20],
      showErrorMessage: true,
    });
    expect(v.error).toContain('创新程度的得分应在 0 到 20 分之间');
    const total = ws.getCell(r, LAYOUT.firstScoreColumn + 5).value as { formula: string };
    expect(total.formula).toBe(`IF(COUNT(G${r}:K${r})=5,SUM(G${r}:K${r}),"")`);
  });

  it('writes the same bytes twice', async () => {
    const again = await buildScoreWorkbook({
      assignments: assignPanel(three, anonymousExperts(3)).assignments,
      config,
      date: DATE,
    });
    expect(again.buffer.equals(blank)).toBe(true);
  });
});

describe('readScoreWorkbook', () => {
  it('reads a well-filled sheet: scores, total, typed name, date, opinion', async () => {
    const book = await filled({
      E01: {
        C2: '王专家',
        I2: DATE,
        ...row(0, [20, 16, 12, 12, 20]),
        ...row(1, [18, 15, 11, 10, 19]),
        ...row(2, [24, 18, '14', 13, 23]),
        [`M${LAYOUT.firstRow}`]: '基础好',
      },
    });
    const { entries, issues, filledSheets } = await readScoreWorkbook(book, 'a.xlsx', config);
    expect(issues).toEqual([]);
    expect(filledSheets).toEqual(['E01']);
    expect(entries.map((e) => [e.projectId, e.total])).toEqual([
      ['2020-XT-001', 80],
      ['2020-XT-002', 73],
      ['2020-XT-004', 92],
    ]);
    expect(entries[0]).toMatchObject({
      expertKey: 'E01',
      expertName: '王专家',
      date: '2020-09-15',
      opinion: '基础好',
    });
  });

  it('names out-of-range, missing, non-numeric and off-step scores by cell, and leaves those rows out', async () => {
    const book = await filled({
      E02: {
        ...row(0, [26, 16, 12, 12, 20]),
        ...row(1, [18, null, 11, 10, 19]),
        ...row(2, [24, 'abc', 14, 12.5, 23]),
      },
    });
    const { entries, issues } = await readScoreWorkbook(book, 'b.xlsx', config);
    expect(entries).toEqual([]);
    expect(issues.map((i) => [i.code, i.cell, i.projectId])).toEqual([
      ['out_of_range', 'G5', '2020-XT-001'],
      ['missing_score', 'H6', '2020-XT-002'],
      ['not_a_number', 'H7', '2020-XT-004'],
      ['off_step', 'J7', '2020-XT-004'],
      ['missing_name', 'C2', undefined],
    ]);
    expect(issues[0]?.message).toContain('超出 0–25');
  });

  it('names an unknown project and a project left blank by an expert who scored others', async () => {
    const book = await filled({
      E03: { B6: '2020-XT-99', ...row(0, [20, 16, 12, 12, 20]), ...row(1, [18, 15, 11, 10, 19]) },
    });
    // The sheet is locked, but a clerk may paste a row over it after unprotecting.
    const { entries, issues } = await readScoreWorkbook(book, 'c.xlsx', config, {
      projectIds: new Set(projects.map((p) => p.id)),
    });
    expect(entries.map((e) => e.projectId)).toEqual(['2020-XT-001']);
    expect(issues.map((i) => [i.code, i.projectId])).toEqual([
      ['unknown_project', '2020-XT-99'],
      ['not_scored', '2020-XT-002'],
      ['not_scored', '2020-XT-004'],
      ['missing_name', undefined],
    ]);
  });

  it('refuses a workbook it did not make, one made with other criteria, and a file that is not .xlsx', async () => {
    const plain = new ExcelJS.Workbook();
    plain.addWorksheet('Sheet1').getCell('A1').value = 1;
    const foreign = await readScoreWorkbook(Buffer.from(await plain.xlsx.writeBuffer()), 'x.xlsx', config);
    expect(foreign.issues.map((i) => i.code)).toEqual(['not_a_score_workbook']);
    const other = structuredClone(config);
    (other.criteria[0] as { points: number }).points = 30;
    const mismatch = await readScoreWorkbook(blank, 'y.xlsx', other);
    expect(mismatch.issues.map((i) => i.code)).toEqual(['config_mismatch']);
    const junk = await readScoreWorkbook(Buffer.from('not a zip'), 'z.xlsx', config);
    expect(junk.issues.map((i) => i.code)).toEqual(['not_a_score_workbook']);
  });

  it('counts identical copies once and leaves out copies that disagree', async () => {
    const a = await readScoreWorkbook(await filled({ E01: row(0, [20, 16, 12, 12, 20]) }), 'a.xlsx', config);
    const b = await readScoreWorkbook(await filled({ E01: row(0, [20, 16, 12, 12, 20]) }), 'b.xlsx', config);
    const c = await readScoreWorkbook(await filled({ E01: row(0, [21, 16, 12, 12, 20]) }), 'c.xlsx', config);
    const same = mergeEntries([a, b]);
    expect(same.entries).toHaveLength(1);
    expect(same.issues.map((i) => i.code)).toEqual(['duplicate']);
    const conflict = mergeEntries([a, c]);
    expect(conflict.entries).toEqual([]);
    expect(conflict.issues.map((i) => [i.code, i.projectId])).toEqual([['conflict', '2020-XT-001']]);
  });
});

describe('the sample score workbooks', () => {
  const files = ['scores-a.xlsx', 'scores-b.xlsx'].map((f) => join(ROOT, 'samples/scores', f));

  it('are the workbook `render scoresheets` writes for samples/scores/experts.yaml, filled by five experts', async () => {
    const experts = await loadExperts(join(ROOT, 'samples/scores/experts.yaml'));
    expect(experts.map((e) => e.key)).toEqual(['E01', 'E02', 'E03', 'E04', 'E05']);
    const result = await importScores(files, {
      config,
      projects,
      out: join(tmp, 'summary.xlsx'),
      date: DATE,
    });
    expect(result.issues).toEqual([]);
    expect(result.entries).toHaveLength(40); // 8 projects past `matched` × 5 experts
    const ranking = result.aggregation.projects;
    expect(ranking.map((r) => r.projectId)).toEqual([
      '2020-XT-004',
      '2020-XT-001',
      '2020-XT-002',
      '2020-XT-005',
      '2020-XT-006',
      '2020-XT-003',
      '2020-XT-007',
      '2020-XT-009',
    ]);
    expect(ranking.every((r) => r.used === 3)).toBe(true);
    expect(ranking.find((r) => r.projectId === '2020-XT-003')?.flags).toEqual(['disagreement']);
    for (const r of ranking) {
      expect(r.proposed).not.toBeNull();
      expect(r.proposed as number).toBeGreaterThanOrEqual(3);
      expect(r.proposed as number).toBeLessThanOrEqual(Math.min(20, r.requested ?? 20));
    }
    const summary = await load(readFileSync(result.summary as string));
    expect(summary.worksheets.map((w) => w.name)).toEqual(['汇总', '明细', '问题']);
    const top = summary.getWorksheet('汇总')?.getRow(2);
    expect([top?.getCell(1).value, top?.getCell(2).value]).toEqual([1, '2020-XT-004']);
    expect(summary.getWorksheet('明细')?.rowCount).toBe(41);
  });

  it('import through the CLI, which prints the ranking and writes the summary', async () => {
    const lines: string[] = [];
    const result = await scoresImportCommand(
      files,
      { projects: SAMPLE, out: join(tmp, 'cli.xlsx') },
      { write: (s: string) => lines.push(s) },
    );
    const text = lines.join('');
    expect(text).toContain('读入评分 40 条，专家 5 位');
    expect(text).toMatch(/1\s+2020-XT-004\s+9\d\.\d\d/);
    expect(text).toContain('2020-XT-003: 专家分歧较大，建议复核');
    expect(result.summary).toBe(join(tmp, 'cli.xlsx'));

    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main([
        'node',
        'xietong',
        'scores',
        'import',
        join(ROOT, 'samples/projects.json'),
        '--out',
        join(tmp, 'x.xlsx'),
      ]);
      expect(code).toBe(13); // not a workbook: no valid score
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});

it('assigns each project its own panel when none is given', () => {
  const p = (id: string, experts?: Project['evaluation']['experts']): Project => ({
    ...(projects[0] as Project),
    id,
    evaluation: experts ? { experts } : {},
  });
  const { assignments, problems } = assignPanel(
    [p('A', [{ name: '甲' }, { name: '乙' }]), p('B', [{ name: '乙' }]), p('C')],
    undefined,
  );
  expect(assignments.map((a) => [a.expert.key, a.projects.map((x) => x.id)])).toEqual([
    ['甲', ['A']],
    ['乙', ['A', 'B']],
  ]);
  expect(problems.map((x) => x.projectId)).toEqual(['C']);
});
