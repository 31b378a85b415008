// End to end: the match workbook marked 是 → `match confirm --create` → projects in the store →
// `project state | show | list | export`, and the demo's confirmTopSuggestions.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { confirmCommand } from '../../src/cli/match.js';
import { exportCommand, listCommand, showCommand, stateCommand } from '../../src/cli/project.js';
import { RunError } from '../../src/errors.js';
import { defaultMatchConfig } from '../../src/match/config.js';
import { writeMatchOutput } from '../../src/match/index.js';
import { type MatchResult, rankMatches } from '../../src/match/rank.js';
import { CONFIRM_HEADER, DEMAND_SHEET, PROBLEM_SHEET } from '../../src/match/workbook.js';
import { confirmTopSuggestions } from '../../src/projects/confirm.js';
import { loadProjects } from '../../src/projects/types.js';
import { openStore } from '../../src/store/index.js';
import { SAMPLE_RECORD_FILES, sampleRecords } from '../match/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-project-cli-'));
let result: MatchResult;
let marked: string;
const sink = () => {
  const chunks: string[] = [];
  return { out: { write: (t: string) => chunks.push(t) }, text: () => chunks.join('') };
};

const headers = (sheet: ExcelJS.Worksheet): string[] => {
  const out: string[] = [];
  sheet.getRow(1).eachCell((c, col) => {
    out[col - 1] = c.text;
  });
  return out;
};

function mark(sheet: ExcelJS.Worksheet, idHeader: string, id: string, registrationId: string): void {
  const h = headers(sheet);
  sheet.eachRow((row, r) => {
    if (
      r > 1 &&
      row.getCell(h.indexOf(idHeader) + 1).text === id &&
      row.getCell(h.indexOf('报名编号') + 1).text === registrationId
    ) {
      row.getCell(h.indexOf(CONFIRM_HEADER) + 1).value = '是';
    }
  });
}

beforeAll(async () => {
  result = rankMatches(sampleRecords(), { config: defaultMatchConfig(), top: 5 });
  const { xlsx } = await writeMatchOutput(result, dir);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  const demands = wb.getWorksheet(DEMAND_SHEET) as ExcelJS.Worksheet;
  mark(demands, '需求编号', 'dem-01', 'reg-01');
  mark(demands, '需求编号', 'dem-04', 'reg-04');
  const d9 = result.demands.find((d) => d.demandId === 'dem-09')?.suggestions[0];
  if (d9) mark(demands, '需求编号', 'dem-09', d9.registrationId);
  mark(wb.getWorksheet(PROBLEM_SHEET) as ExcelJS.Worksheet, '难题编号', 'prob-03', 'reg-06');
  marked = join(dir, 'marked.xlsx');
  await wb.xlsx.writeFile(marked);
});

describe('match confirm --create', () => {
  it('stores a project per confirmed demand pair, reading the records from the store', async () => {
    const db = join(dir, 'store.db');
    const store = await openStore(db);
    await store.putIngestResult({ submissions: sampleRecords() });
    await store.close();
    const { out, text } = sink();
    const r = await confirmCommand(
      marked,
      { create: true, db, by: '张三', start: '2020-07-01', funding: 10 },
      out,
    );
    expect(r.projects?.created.map((c) => c.project.id)).toEqual(['2020-XT-001', '2020-XT-002']);
    // dem-09 fills no needs, and problem pairs are not projects yet: both reported, not stored.
    expect(r.projects?.skipped.map((s) => s.pair.split(' ')[0])).toEqual(
      expect.arrayContaining([
        'prob-03',
        ...(result.demands.find((d) => d.demandId === 'dem-09')?.suggestions.length ? ['dem-09'] : []),
      ]),
    );
    expect(text()).toMatch(/新建项目 2 个/);
    expect(text()).toMatch(/2020-XT-001 {2}已对接（matched） {2}景德镇市瓷韵日用陶瓷有限公司/);

    // A second run finds the projects already there and leaves them be.
    const again = await confirmCommand(marked, { create: true, db, by: '张三' }, sink().out);
    expect(again.projects?.created).toEqual([]);
    expect(again.projects?.existing.length).toBe(2);

    const listed = await listCommand({ db }, sink().out);
    expect(listed.map((p) => p.id)).toEqual(['2020-XT-001', '2020-XT-002']);
    await stateCommand('2020-XT-001', 'agreed', { db, by: '李四', note: '协议已签订' }, sink().out);
    const refused = await stateCommand('2020-XT-002', 'accepted', { db, by: '李四' }, sink().out).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(RunError);
    expect((refused as RunError).message).toMatch(/不能从「已对接」改为「验收通过」/);
    const shown = sink();
    const { history } = await showCommand('2020-XT-001', { db }, shown.out);
    expect(history.map((h) => h.to)).toEqual(['matched', 'agreed']);
    expect(shown.text()).toMatch(/李四 {2}已对接（matched） → 已签订三方协议（agreed） {2}协议已签订/);
    await expect(showCommand('nope', { db }, sink().out)).rejects.toThrow(/找不到项目/);

    const file = join(dir, 'out', 'projects.json');
    await exportCommand(file, { db }, sink().out);
    const loaded = await loadProjects(file);
    expect(loaded.map((p) => [p.id, p.state])).toEqual([
      ['2020-XT-001', 'agreed'],
      ['2020-XT-002', 'matched'],
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8')).note).toMatch(/project export/);
  });

  it('takes the records from --records files, creating the database', async () => {
    const db = join(dir, 'fresh.db');
    const r = await confirmCommand(
      marked,
      { create: true, db, records: SAMPLE_RECORD_FILES, by: '张三', json: true },
      sink().out,
    );
    expect(r.projects?.created.length).toBe(2);
    expect(r.projects?.created[0]?.missing).toEqual(expect.arrayContaining(['term', 'funding.requested']));
  });
});

describe('confirmTopSuggestions', () => {
  it("stores each demand's top suggestion as a project, and is idempotent", async () => {
    const store = await openStore(join(dir, 'demo.db'));
    try {
      const records = sampleRecords();
      const projects = await confirmTopSuggestions(result, records, store, { start: '2020-07-01' });
      const pairs = result.demands
        .filter((d) => d.suggestions.length > 0 && d.demandId !== 'dem-09')
        .map((d) => `${d.demandId}_${d.suggestions[0]?.registrationId}`);
      // Readable numbers, one per pair, in the order the pairs were confirmed.
      const expected = pairs.map((_, i) => `2020-XT-${String(i + 1).padStart(3, '0')}`);
      expect(projects.map((p) => `${p.sources.demand}_${p.sources.registration}`).sort()).toEqual(
        pairs.sort(),
      );
      expect(projects.map((p) => p.id).sort()).toEqual(expected.sort());
      expect((await store.listProjects()).length).toBe(expected.length);
      const again = await confirmTopSuggestions(result, records, store);
      expect(again.map((p) => p.id).sort()).toEqual(expected.sort());
      expect((await store.projectHistory(expected[0] ?? ''))[0]?.by).toBe('xietong demo');
    } finally {
      await store.close();
    }
  });
});
