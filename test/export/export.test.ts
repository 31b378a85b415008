// `xietong export`: the 汇总表 as .xlsx (a sheet per form, Chinese headers, frozen header row,
// autofilter, widths, status and issues columns), CSV per form (UTF-8 with BOM) and JSON with
// corrections and history. The workbook is opened by LibreOffice, headless, and its cells read back
// as CSV must be the values exported.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../src/cli/export.js';
import { findSoffice, LibreOfficeConverter } from '../../src/convert/index.js';
import { csvField, parseCsv } from '../../src/export/csv.js';
import {
  type ExportResult,
  exportStore,
  JSON_NAME,
  parseFormats,
  XLSX_NAME,
} from '../../src/export/index.js';
import type { Cell, SheetPlan } from '../../src/export/plan.js';
import { FORMS } from '../../src/forms/index.js';
import { openStore } from '../../src/store/index.js';
import { SubmissionRecordSchema } from '../../src/types.js';
import { sample, sampleRecords, steppingClock, variant } from '../store/helpers.js';
import { skipWithout } from '../tools.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-export-'));
const out = join(dir, 'out');
const db = join(dir, 'x.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let result: ExportResult;
beforeAll(async () => {
  const store = await openStore(db, { now: steppingClock() });
  try {
    const copy = variant(sample('reg-01'), 'reg-01-copy', { professionalTitle: { value: '教授' } });
    const low = variant(sample('reg-05'), 'reg-05-scan', {
      phone: { value: '13700000528', confidence: 0.55 },
    });
    // A value that would start a formula in a spreadsheet.
    const formula = variant(sample('prob-01'), 'prb-formula', {
      title: { value: '另一个难题' },
      address: { value: '=HYPERLINK("http://x")' },
    });
    await store.putIngestResult({ submissions: [...sampleRecords(), copy, low, formula] });
    await store.correctField('reg-10', 'teamSize', { value: 3, by: '张三', reason: '电话核实' });
    await store.approveRecord('reg-10', { by: '王科长' });
    result = await exportStore(store, { outDir: out, now: new Date('2020-06-30T08:00:00Z') });
  } finally {
    await store.close();
  }
});

const sheet = (name: string): SheetPlan => {
  const s = result.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}`);
  return s;
};
const col = (s: SheetPlan, header: string) => s.columns.findIndex((c) => c.header === header);
const rowOf = (s: SheetPlan, id: string) => s.rows.find((r) => r.id === id);
const asText = (c: Cell | undefined) => (c === null || c === undefined ? '' : String(c));

describe('the sheet plans', () => {
  it('have one sheet per form with the Chinese headers of the field definitions', () => {
    expect(result.sheets.map((s) => s.name)).toEqual(['报名表', '企业需求表', '难题征集表']);
    for (const s of result.sheets) {
      const headers = s.columns.map((c) => c.header);
      expect(headers[0]).toBe('序号');
      for (const f of FORMS[s.form].fields) {
        if (f.kind !== 'photo') expect(headers, f.key).toContain(f.header);
      }
      expect(headers).toEqual(
        expect.arrayContaining(['状态', '核对人', '核对时间', '问题', '记录编号', '来源文件']),
      );
      for (const c of s.columns) expect(c.width).toBeGreaterThanOrEqual(6);
    }
    expect(col(sheet('报名表'), '姓名')).toBe(1);
  });

  it('list each submission once (second copies left out), with status, issues and corrections', () => {
    const reg = sheet('报名表');
    expect(reg.rows).toHaveLength(13);
    expect(rowOf(reg, 'reg-01-copy')).toBeUndefined();
    const reg10 = rowOf(reg, 'reg-10');
    expect(reg10?.cells[col(reg, '状态')]).toBe('已核对');
    expect(reg10?.cells[col(reg, '核对人')]).toBe('王科长');
    expect(reg10?.cells[col(reg, '团队入企人数')]).toBe(3);
    expect(reg10?.notes).toEqual([
      expect.objectContaining({
        column: col(reg, '团队入企人数'),
        kind: 'corrected',
        text: expect.stringMatching(/^已更正：原识别「空」（张三，.*电话核实）$/),
      }),
    ]);
    expect(rowOf(reg, 'reg-01')?.cells[col(reg, '状态')]).toBe('待审核');
    expect(rowOf(reg, 'reg-01')?.cells[col(reg, '问题')]).toBe(
      '【警告】一式二份不一致：「专业技术职称」本份为 副教授，另一份 reg-01-copy 为 教授，请核对原件',
    );
    expect(rowOf(reg, 'reg-09')?.hasErrors).toBe(true);
    expect(rowOf(reg, 'reg-05-scan')?.notes.map((n) => n.kind)).toEqual(['review']);
    // Long text wraps, and the row is as tall as its tallest cell.
    expect(reg.columns[col(reg, '擅长专业技术领域')]?.wrap).toBe(true);
    expect(Math.max(...reg.rows.map((r) => r.lines))).toBeGreaterThan(2);
  });
});

describe('the workbook', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, XLSX_NAME));
  });

  it('has the sheets, frozen header row, autofilter and widths of the plan', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['报名表', '企业需求表', '难题征集表']);
    for (const plan of result.sheets) {
      const ws = wb.getWorksheet(plan.name);
      expect(ws?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 2 });
      expect(ws?.autoFilter).toBeTruthy();
      expect(ws?.getRow(1).values).toEqual([undefined, ...plan.columns.map((c) => c.header)]);
      plan.columns.forEach((c, i) => {
        expect(ws?.getColumn(i + 1).width).toBe(c.width);
      });
    }
  });

  it('holds the values of the plan, typed: numbers as numbers, phones and dates as text', () => {
    for (const plan of result.sheets) {
      const ws = wb.getWorksheet(plan.name);
      plan.rows.forEach((row, r) => {
        row.cells.forEach((cell, c) => {
          const got = ws?.getRow(r + 2).getCell(c + 1).value;
          expect(got ?? null, `${plan.name} ${row.id} ${plan.columns[c]?.header}`).toEqual(cell);
        });
      });
    }
    const reg = wb.getWorksheet('报名表');
    const plan = sheet('报名表');
    const r = plan.rows.findIndex((x) => x.id === 'reg-10') + 2;
    expect(reg?.getRow(r).getCell(col(plan, '团队入企人数') + 1).note).toBeTruthy();
    expect(typeof reg?.getRow(r).getCell(col(plan, '联系电话') + 1).value).toBe('string');
  });
});

describe('the CSV files', () => {
  it('are UTF-8 with a BOM and hold the plan, one per form', () => {
    for (const plan of result.sheets) {
      const text = readFileSync(join(out, `${plan.name}.csv`), 'utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const rows = parseCsv(text);
      expect(rows[0]).toEqual(plan.columns.map((c) => c.header));
      expect(rows.slice(1).map((r) => r[col(plan, '记录编号')])).toEqual(plan.rows.map((r) => r.id));
      plan.rows.forEach((row, i) => {
        const unguarded = rows[i + 1]?.map((v) => v.replace(/^'(?=[=+\-@])/, ''));
        expect(unguarded).toEqual(row.cells.map(asText));
      });
    }
  });

  it('keep a spreadsheet from running a formula that came in on a form', () => {
    const text = readFileSync(join(out, '难题征集表.csv'), 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5)).toBe('-5');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('第一行\n第二行')).toBe('"第一行\n第二行"');
  });
});

describe('the JSON', () => {
  it('is the DOMAIN.md shape with corrections applied, status and history beside', () => {
    const json = JSON.parse(readFileSync(join(out, JSON_NAME), 'utf8'));
    expect(json.exportedAt).toBe('2020-06-30T08:00:00.000Z');
    expect(json.submissions).toHaveLength(29);
    for (const s of json.submissions) expect(SubmissionRecordSchema.safeParse(s).success, s.id).toBe(true);
    const reg10 = json.submissions.find((s: { id: string }) => s.id === 'reg-10');
    expect(reg10.fields.teamSize).toEqual({ value: 3, confidence: 1 });
    expect(reg10.status).toBe('verified');
    expect(reg10.verified.by).toBe('王科长');
    expect(reg10.history.map((e: { kind: string }) => e.kind)).toEqual(['correction', 'approve']);
    expect(reg10.history[0]).toMatchObject({ field: 'teamSize', oldValue: null, newValue: 3, by: '张三' });
    expect(reg10.issues).toEqual([]);
    expect(json.submissions.find((s: { id: string }) => s.id === 'reg-01-copy').copyOf).toBe('reg-01');
  });
});

describe('the command', () => {
  it('writes only the formats asked for, and refuses unknown ones', async () => {
    const only = join(dir, 'only-csv');
    const lines: string[] = [];
    await runExport({ db, out: only, format: 'csv' }, { write: (s: string) => lines.push(s) });
    expect(readdirSync(only).sort()).toEqual(['企业需求表.csv', '报名表.csv', '难题征集表.csv']);
    expect(lines.join('')).toMatch(/报名表\.csv（13 行 rows）/);
    await expect(
      runExport({ db, out: only, format: 'xlsx,pdf' }, { write: () => true }),
    ).rejects.toMatchObject({
      exit: 'usage',
    });
    expect(parseFormats('XLSX, json')).toEqual({ formats: ['xlsx', 'json'], unknown: [] });
  });
});

describe.skipIf(skipWithout(!!findSoffice()))('the workbook in LibreOffice', () => {
  it('opens, and every sheet read back as CSV holds the exported values', { timeout: 120_000 }, async () => {
    const csvDir = join(dir, 'lo-csv');
    // Filter options: comma, double quote, UTF-8 (76), from line 1, …, cells as shown, all sheets (-1).
    await new LibreOfficeConverter().convert(
      [join(out, XLSX_NAME)],
      csvDir,
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
    );
    const written = readdirSync(csvDir);
    for (const plan of result.sheets) {
      const file = written.find((f) => f.endsWith(`-${plan.name}.csv`));
      expect(file, `LibreOffice wrote ${written.join(', ')}`).toBeDefined();
      const rows = parseCsv(readFileSync(join(csvDir, file as string), 'utf8'));
      expect(rows[0]).toEqual(plan.columns.map((c) => c.header));
      expect(rows).toHaveLength(plan.rows.length + 1);
      plan.rows.forEach((row, i) => {
        expect(rows[i + 1], row.id).toEqual(row.cells.map(asText));
      });
    }
  });
});
