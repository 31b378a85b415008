// The project terms workbook: export → the clerk fills columns (with data validation) → import;
// a bad cell keeps its project unchanged and is named; every change is kept with who and when.
// And `match` on the database: only approved records, nobody ineligible, no score-0 pair.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchCommand } from '../../src/cli/match.js';
import { exportCommand, importCommand } from '../../src/cli/project.js';
import { RunError } from '../../src/errors.js';
import { loadProjects, type Project } from '../../src/projects/types.js';
import { GOAL_SHEET, MEMBER_SHEET, PROJECT_SHEET } from '../../src/projects/workbook.js';
import { openStore } from '../../src/store/index.js';
import { sampleRecords } from '../store/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'xietong-terms-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'x.db');
const silent = { write: () => true };

beforeAll(async () => {
  const sample = await loadProjects(join(ROOT, 'samples/projects.json'));
  const store = await openStore(db);
  await store.putIngestResult({ submissions: sampleRecords() });
  for (const p of sample.slice(0, 2)) {
    // As confirmed from a match: the terms the forms do not hold are still empty.
    const bare: Project = {
      ...p,
      state: 'matched',
      goals: [],
      term: {},
      enterprise: { ...p.enterprise, address: null },
      professional: { ...p.professional, members: [] },
      dispatchingUnit: { name: p.dispatchingUnit.name },
      agreement: {},
      evaluation: {},
      acceptance: undefined,
      funding: {},
    };
    await store.putProject(bare, { by: '对接' });
  }
  await store.close();
});

const columnOf = (ws: ExcelJS.Worksheet, header: string): number => {
  let found = 0;
  ws.getRow(1).eachCell((c, n) => {
    if (c.value === header) found = n;
  });
  if (!found) throw new Error(`no column ${header}`);
  return found;
};

describe('project export --xlsx / project import', () => {
  it('round-trips the terms the clerk types, refusing a bad cell by name and keeping who and when', async () => {
    const file = join(tmp, 'terms.xlsx');
    await exportCommand(file, { db, xlsx: true }, silent);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet(PROJECT_SHEET) as ExcelJS.Worksheet;
    // Data validation tells Excel what each column takes.
    expect(ws.getRow(2).getCell(columnOf(ws, '工作方式')).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"全职,兼职"'],
    });
    expect(ws.getRow(2).getCell(columnOf(ws, '开始日期')).dataValidation?.type).toBe('date');
    expect(ws.getRow(2).getCell(columnOf(ws, '申请经费（万元）')).dataValidation?.type).toBe('decimal');

    const set = (row: number, header: string, value: ExcelJS.CellValue) => {
      ws.getRow(row).getCell(columnOf(ws, header)).value = value;
    };
    set(2, '甲方地址', '景德镇市陶瓷工业园区兴业路18号');
    set(2, '开始日期', new Date(Date.UTC(2020, 6, 1)));
    set(2, '结束日期', '2021年6月30日');
    set(2, '工作方式', '兼职');
    set(2, '每年在企业工作天数', 120);
    set(2, '申请经费（万元）', 15);
    set(3, '开始日期', '下个月'); // not a date: project 2 stays as it was
    const goals = wb.getWorksheet(GOAL_SHEET) as ExcelJS.Worksheet;
    goals.addRow(['2020-XT-001', '单位产品燃耗降低15%以上']);
    goals.addRow(['2020-XT-001', '烧成合格率提高到92%以上']);
    const members = wb.getWorksheet(MEMBER_SHEET) as ExcelJS.Worksheet;
    members.addRow(['2020-XT-001', '孔令杰', '副教授', '热平衡测试']);
    const filled = join(tmp, 'filled.xlsx');
    await wb.xlsx.writeFile(filled);

    const said: string[] = [];
    const err = await importCommand(filled, { db, by: '李四' }, { write: (s: string) => said.push(s) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunError);
    expect(said.join('')).toMatch(/项目条款 N3 2020-XT-002：开始日期：「下个月」不是日期/);

    const store = await openStore(db);
    try {
      const one = (await store.getProject('2020-XT-001')) as Project;
      expect(one.term).toEqual({ start: '2020-07-01', end: '2021-06-30' });
      expect(one.daysPerYear).toBe(120);
      expect(one.fullTime).toBe(false);
      expect(one.goals).toEqual(['单位产品燃耗降低15%以上', '烧成合格率提高到92%以上']);
      expect(one.professional.members?.map((m) => m.name)).toEqual(['孔令杰']);
      const two = (await store.getProject('2020-XT-002')) as Project;
      expect(two.term).toEqual({});
      const changes = await store.projectChanges('2020-XT-001');
      expect(changes.find((c) => c.path === 'enterprise.address')).toMatchObject({
        by: '李四',
        from: null,
        to: '景德镇市陶瓷工业园区兴业路18号',
      });
      expect(changes.every((c) => c.at.length > 0)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('match on the database', () => {
  it('matches the approved records only, leaving out the ineligible and pairs with nothing in common', async () => {
    const store = await openStore(db);
    for (const id of ['dem-01', 'dem-02', 'reg-01', 'reg-02', 'reg-09'])
      await store.approveRecord(id, { by: '张三' });
    await store.close();
    const said: string[] = [];
    const { result } = await matchCommand(
      { db, out: join(tmp, 'match'), top: 5 },
      { write: (s: string) => said.push(s) },
    );
    expect(result.demands.map((d) => d.demandId)).toEqual(['dem-01', 'dem-02']);
    const suggested = new Set(result.demands.flatMap((d) => d.suggestions.map((s) => s.registrationId)));
    expect([...suggested].every((id) => id === 'reg-01' || id === 'reg-02')).toBe(true);
    expect(result.skipped.find((s) => s.id === 'reg-09')?.reason).toMatch(/^不符合申报条件/);
    for (const d of result.demands) for (const s of d.suggestions) expect(s.score).toBeGreaterThan(0);
    expect(said.join('')).toMatch(/还有 \d+ 份记录未核对，未参与对接/);
  });
});
