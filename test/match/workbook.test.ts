// suggestions.xlsx round trip: write the suggestions, mark some rows as a clerk would, read the
// confirmed pairs back — also after the clerk reorders columns and sorts rows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { defaultMatchConfig } from '../../src/match/config.js';
import { writeMatchOutput } from '../../src/match/index.js';
import { type MatchResult, rankMatches } from '../../src/match/rank.js';
import {
  CONFIRM_HEADER,
  DEMAND_SHEET,
  PROBLEM_SHEET,
  readConfirmations,
  suggestionsWorkbook,
} from '../../src/match/workbook.js';
import { sampleRecords } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-match-xlsx-'));
let result: MatchResult;
let xlsx: string;

beforeAll(async () => {
  result = rankMatches(sampleRecords(), { config: defaultMatchConfig(), top: 3 });
  ({ xlsx } = await writeMatchOutput(result, dir));
});

async function open(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

const headers = (sheet: ExcelJS.Worksheet): string[] => {
  const out: string[] = [];
  sheet.getRow(1).eachCell((c, col) => {
    out[col - 1] = c.text;
  });
  return out;
};

/** The row of a (demand or problem, registration) pair, found through the headers. */
function rowOf(sheet: ExcelJS.Worksheet, idHeader: string, id: string, registrationId: string): ExcelJS.Row {
  const h = headers(sheet);
  const idCol = h.indexOf(idHeader) + 1;
  const regCol = h.indexOf('报名编号') + 1;
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row, r) => {
    if (r > 1 && row.getCell(idCol).text === id && row.getCell(regCol).text === registrationId) found = row;
  });
  if (!found) throw new Error(`no row for ${id} ↔ ${registrationId}`);
  return found;
}

const mark = (sheet: ExcelJS.Worksheet, row: ExcelJS.Row, value: string) => {
  row.getCell(headers(sheet).indexOf(CONFIRM_HEADER) + 1).value = value;
};

describe('suggestions.xlsx', () => {
  it('has one row per (demand, rank) with the columns a clerk needs, and 是/否 validation on 确认', async () => {
    const wb = await open(xlsx);
    const sheet = wb.getWorksheet(DEMAND_SHEET) as ExcelJS.Worksheet;
    expect(headers(sheet)).toEqual([
      '需求编号',
      '企业',
      '排名',
      '人才（团队）',
      '报名编号',
      '单位',
      '职称',
      '得分',
      '共同词语〔需求方字段 → 人才方字段〕',
      '确认',
    ]);
    expect(sheet.rowCount - 1).toBe(
      result.demands.reduce((n, d) => n + Math.max(1, d.suggestions.length), 0),
    );
    const first = sheet.getRow(2);
    expect(first.getCell(1).text).toBe('dem-01');
    expect(first.getCell(2).text).toBe('景德镇市瓷韵日用陶瓷有限公司');
    expect(first.getCell(3).value).toBe(1);
    expect(first.getCell(4).text).toBe('程立新（陶瓷窑炉节能与烧成技术团队）');
    expect(first.getCell(6).text).toBe('景德镇陶瓷大学');
    expect(typeof first.getCell(8).value).toBe('number');
    expect(first.getCell(9).text).toMatch(/隧道窑〔[^〕]*难题[^〕]*→[^〕]*擅长领域[^〕]*〕/);
    expect(first.getCell(10).dataValidation).toMatchObject({ type: 'list', formulae: ['"是,√,Y,否"'] });
    const problems = wb.getWorksheet(PROBLEM_SHEET) as ExcelJS.Worksheet;
    expect(headers(problems).slice(0, 3)).toEqual(['难题编号', '难题名称', '提出单位']);
    expect(problems.rowCount - 1).toBe(
      result.problems.reduce((n, p) => n + Math.max(1, p.suggestions.length), 0),
    );
    expect(wb.getWorksheet('说明')).toBeDefined();
  });

  it('reads nothing back from an unmarked workbook', async () => {
    const read = await readConfirmations(xlsx);
    expect(read.stubs).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.rowsRead).toBe(
      result.demands.reduce((n, d) => n + d.suggestions.length, 0) +
        result.problems.reduce((n, p) => n + p.suggestions.length, 0),
    );
  });

  it('reads back the rows marked 是 as project stubs, and warns about marks it does not know', async () => {
    const wb = await open(xlsx);
    const demands = wb.getWorksheet(DEMAND_SHEET) as ExcelJS.Worksheet;
    const problems = wb.getWorksheet(PROBLEM_SHEET) as ExcelJS.Worksheet;
    mark(demands, rowOf(demands, '需求编号', 'dem-01', 'reg-01'), '是');
    mark(demands, rowOf(demands, '需求编号', 'dem-04', 'reg-04'), ' 是 ');
    const second = result.demands[1]?.suggestions[1];
    mark(demands, rowOf(demands, '需求编号', 'dem-02', second?.registrationId ?? ''), '否');
    const odd = result.demands[2]?.suggestions[1];
    const oddRow = rowOf(demands, '需求编号', 'dem-03', odd?.registrationId ?? '');
    mark(demands, oddRow, '好的');
    // A tick and a Y are yes too, as clerks write them.
    const tick = result.demands[4]?.suggestions[0];
    mark(demands, rowOf(demands, '需求编号', 'dem-05', tick?.registrationId ?? ''), '✓');
    mark(problems, rowOf(problems, '难题编号', 'prob-03', 'reg-06'), '是');
    const marked = join(dir, 'marked.xlsx');
    await wb.xlsx.writeFile(marked);

    const read = await readConfirmations(marked);
    const score = (id: string, reg: string) =>
      [
        ...result.demands.map((d) => ({ id: d.demandId, s: d.suggestions })),
        ...result.problems.map((p) => ({ id: p.problemId, s: p.suggestions })),
      ]
        .find((x) => x.id === id)
        ?.s.find((s) => s.registrationId === reg)?.score;
    expect(read.stubs).toEqual([
      {
        kind: 'demand',
        demandId: 'dem-01',
        registrationId: 'reg-01',
        score: score('dem-01', 'reg-01'),
        enterprise: '景德镇市瓷韵日用陶瓷有限公司',
        professional: '程立新（陶瓷窑炉节能与烧成技术团队）',
        at: { sheet: DEMAND_SHEET, row: 2 },
      },
      expect.objectContaining({
        kind: 'demand',
        demandId: 'dem-04',
        registrationId: 'reg-04',
        score: score('dem-04', 'reg-04'),
      }),
      expect.objectContaining({ kind: 'demand', demandId: 'dem-05', registrationId: tick?.registrationId }),
      expect.objectContaining({
        kind: 'problem',
        problemId: 'prob-03',
        registrationId: 'reg-06',
        score: score('prob-03', 'reg-06'),
      }),
    ]);
    expect(read.warnings).toEqual([
      expect.objectContaining({ code: 'unknown_confirm_value', sheet: DEMAND_SHEET, row: oddRow.number }),
    ]);
  });

  it('finds its columns by header: the clerk may reorder columns and sort rows', async () => {
    const wb = await suggestionsWorkbook(result);
    const sheet = wb.getWorksheet(DEMAND_SHEET) as ExcelJS.Worksheet;
    mark(sheet, rowOf(sheet, '需求编号', 'dem-06', 'reg-06'), '是');
    // Rebuild the sheet with the columns reversed and the rows in reverse order, as a clerk's sort would.
    const width = headers(sheet).length;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => {
      rows.push(Array.from({ length: width }, (_, i) => row.getCell(i + 1).value).reverse());
    });
    const [head, ...body] = rows;
    wb.removeWorksheet(sheet.id);
    const moved = wb.addWorksheet(DEMAND_SHEET);
    moved.addRow(head as unknown[]);
    for (const r of body.reverse()) moved.addRow(r);
    const file = join(dir, 'reordered.xlsx');
    await wb.xlsx.writeFile(file);
    const read = await readConfirmations(file);
    expect(read.stubs).toEqual([expect.objectContaining({ demandId: 'dem-06', registrationId: 'reg-06' })]);
    expect(read.warnings).toEqual([]);
    let markedRow = 0;
    moved.eachRow((row, r) => {
      if (row.getCell(1).value === '是') markedRow = r;
    });
    expect(read.stubs[0]?.at).toEqual({ sheet: DEMAND_SHEET, row: markedRow });
  });

  it('accepts a loaded workbook or the file’s bytes as well as a path', async () => {
    const wb = await suggestionsWorkbook(result);
    const sheet = wb.getWorksheet(DEMAND_SHEET) as ExcelJS.Worksheet;
    mark(sheet, rowOf(sheet, '需求编号', 'dem-07', 'reg-07'), '是');
    expect((await readConfirmations(wb)).stubs).toHaveLength(1);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await readConfirmations(bytes)).stubs).toHaveLength(1);
  });

  it('rejects a workbook without the suggestion sheets, or without its id columns, naming the fix', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['a']);
    await expect(readConfirmations(other)).rejects.toThrow(/对接建议/);
    const renamed = await suggestionsWorkbook(result);
    (renamed.getWorksheet(DEMAND_SHEET) as ExcelJS.Worksheet).getRow(1).getCell(5).value = '编号';
    await expect(readConfirmations(renamed)).rejects.toThrow(/报名编号/);
    await expect(readConfirmations(join(dir, 'missing.xlsx'))).rejects.toSatisfy(
      (e: unknown) => e instanceof RunError && e.exit === 'inputNotFound',
    );
  });

  it('writes suggestions.json with every shared word', async () => {
    const { readFile } = await import('node:fs/promises');
    const json = JSON.parse(await readFile(join(dir, 'suggestions.json'), 'utf8')) as MatchResult;
    expect(json.demands[0]?.suggestions[0]?.sharedTerms[0]).toHaveProperty('contribution');
    expect(json).toEqual(JSON.parse(JSON.stringify(result)));
  });
});
