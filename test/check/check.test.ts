// `xietong check`: programme rules over stored records with corrections applied, and the rules
// across records — one person twice or in two teams, one enterprise twice, 一式二份 copies that
// disagree. Issues are data: exit 0 unless --strict.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRecords, crossRecordIssues, normalizeCompanyName } from '../../src/check/index.js';
import { reportText } from '../../src/check/report.js';
import { runCheck } from '../../src/cli/check.js';
import { RunError } from '../../src/errors.js';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import type { Issue } from '../../src/types.js';
import { sample, sampleRecords, steppingClock, variant } from '../store/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codes = (issues: readonly Issue[]) => issues.map((i) => i.code).sort();

describe('check on the samples', () => {
  it('finds exactly the programme-rule issues each sample is built to trigger', async () => {
    const store = await openStore(':memory:');
    await store.putIngestResult({ submissions: sampleRecords() });
    const report = checkRecords(await store.listRecords());
    await store.close();
    const expected = JSON.parse(readFileSync('samples/expected-issues.json', 'utf8')).issues as Record<
      string,
      string[]
    >;
    const got = Object.fromEntries(report.records.map((r) => [r.id, codes(r.issues)]));
    expect(got).toEqual(Object.fromEntries(Object.entries(expected).map(([id, c]) => [id, [...c].sort()])));
    expect(report.summary).toMatchObject({
      records: 26,
      byForm: { registration: 12, demand: 9, problem: 5 },
      recordsWithIssues: 4,
    });
  });
});

describe('check with corrections and across records', () => {
  let store: SqliteRecordStore;
  const db = join(dir, 'cross.db');

  beforeAll(async () => {
    store = await openStore(db, { now: steppingClock() });
    const reg01 = sample('reg-01');
    const reg06 = sample('reg-06');
    const reg10 = sample('reg-10');
    const submissions = [
      reg01,
      // A 一式二份 copy of reg-01: same identity, another title and planned work.
      variant(reg01, 'reg-01-copy', {
        plannedWork: { value: '另写的工作计划' },
        professionalTitle: { value: '教授' },
      }),
      reg06,
      // The same person as reg-06 (name and birth month) in another team.
      variant(reg06, 'reg-06-again', {
        phone: { value: '13900000999' },
        teamName: { value: '另一个团队' },
        teamSize: { value: 2 },
      }),
      reg10,
      // A misread birth month the reading flagged.
      variant(sample('reg-04'), 'reg-04-scan', { birthMonth: { value: null, confidence: 0.3 } }),
      sample('dem-01'),
      sample('dem-09'),
      variant(sample('dem-01'), 'dem-01-again', {
        companyName: {
          value: `${String(sample('dem-01').fields.companyName?.value).replace('有限公司', '')}股份有限公司`,
        },
      }),
    ];
    const scan = submissions.find((s) => s.id === 'reg-04-scan');
    scan?.issues.push({
      code: 'invalid_year_month',
      severity: 'error',
      field: 'birthMonth',
      message: '无法识别的年月「l9八5年」',
      messageEn: 'Cannot read year-month "l9八5年"',
    });
    await store.putIngestResult({ submissions });
  });
  afterAll(async () => {
    await store.close();
  });

  const issuesOf = async (id: string) => {
    const report = checkRecords(await store.listRecords());
    return report.records.find((r) => r.id === id)?.issues ?? [];
  };

  it('reports a 一式二份 copy whose values differ, field by field, on both copies', async () => {
    const copy = await issuesOf('reg-01-copy');
    expect(copy.filter((i) => i.code === 'copy_disagrees').map((i) => i.field)).toEqual([
      'professionalTitle',
      'plannedWork',
    ]);
    expect(copy.find((i) => i.field === 'professionalTitle')?.message).toBe(
      '一式二份不一致：「专业技术职称」本份为 教授，另一份 reg-01 为 副教授，请核对原件',
    );
    expect(copy.some((i) => i.code === 'duplicate_copy')).toBe(true);
    const first = await issuesOf('reg-01');
    expect(first.filter((i) => i.code === 'copy_disagrees').map((i) => i.field)).toEqual([
      'professionalTitle',
      'plannedWork',
    ]);
  });

  it('reports the same person in two teams, on both records', async () => {
    const a = await issuesOf('reg-06');
    const b = await issuesOf('reg-06-again');
    expect(a.find((i) => i.code === 'person_in_two_teams')?.message).toMatch(/reg-06-again 为「另一个团队」/);
    expect(b.find((i) => i.code === 'person_in_two_teams')?.message).toMatch(/本表「另一个团队」/);
  });

  it('reports the same person applying twice when the teams agree', async () => {
    await store.correctField('reg-06-again', 'teamName', {
      value: sample('reg-06').fields.teamName?.value ?? null,
      by: '张三',
    });
    const b = await issuesOf('reg-06-again');
    expect(b.map((i) => i.code)).toContain('duplicate_person');
    expect(b.find((i) => i.code === 'duplicate_person')?.message).toMatch(/出生年月相同/);
    expect(b.map((i) => i.code)).not.toContain('person_in_two_teams');
  });

  it('reports the same enterprise twice, company names normalised', async () => {
    const a = await issuesOf('dem-01');
    expect(a.filter((i) => i.code === 'duplicate_enterprise')).toHaveLength(1);
    expect(normalizeCompanyName('景德镇 华瓷科技（有限公司）')).toBe(
      normalizeCompanyName('景德镇华瓷科技股份有限公司'),
    );
  });

  it('applies corrections: a corrected field clears its rule and reading issues', async () => {
    expect(codes(await issuesOf('reg-10'))).toContain('team_size_missing');
    await store.correctField('reg-10', 'teamSize', { value: 3, by: '张三' });
    expect(codes(await issuesOf('reg-10'))).not.toContain('team_size_missing');

    const before = codes(await issuesOf('reg-04-scan'));
    expect(before).toContain('invalid_year_month');
    expect(before).toContain('required_missing');
    await store.correctField('reg-04-scan', 'birthMonth', { value: '1969-02', by: '张三' });
    const after = codes(await issuesOf('reg-04-scan'));
    expect(after).not.toContain('invalid_year_month');
    expect(after).not.toContain('required_missing');
  });

  it('drops low-confidence warnings once a person has approved the record', async () => {
    const r = variant(sample('reg-05'), 'reg-05-scan', { name: { value: '某某', confidence: 0.5 } });
    r.issues.push({
      code: 'low_confidence',
      severity: 'warning',
      field: 'name',
      message: '姓名：识别把握不足（50%）',
    });
    await store.putIngestResult({ submissions: [r] });
    expect(codes(await issuesOf('reg-05-scan'))).toContain('low_confidence');
    await store.approveRecord('reg-05-scan', { by: '王科长' });
    expect(codes(await issuesOf('reg-05-scan'))).not.toContain('low_confidence');
  });

  it('groups issues by record in Chinese, or in English, with a count summary', async () => {
    const report = checkRecords(await store.listRecords());
    const zh = reportText(report, 'zh');
    expect(zh).toMatch(/^报名表 reg-01 程立新 · 待审核$/m);
    expect(zh).toMatch(/^ {2}! 警告 {2}一式二份不一致/m);
    expect(zh).toMatch(/共检查 \d+ 份记录（报名表 \d+、企业需求表 \d+、难题征集表 \d+；一式二份副本 1）/);
    const en = reportText(report, 'en');
    expect(en).toMatch(/^registration reg-01 程立新 · pending$/m);
    expect(en).toMatch(/The two copies disagree on "专业技术职称"/);
    expect(en).toMatch(/^Checked \d+ records/m);
  });

  it('runs as a command: exit 0 with issues, RunError with --strict when errors exist; --json', async () => {
    let text = '';
    const out = { write: (s: string) => (text += s) };
    const report = await runCheck({ db, json: true }, out);
    expect(JSON.parse(text).summary).toEqual(report.summary);
    expect(report.summary.bySeverity.error).toBeGreaterThan(0);
    const err = await runCheck({ db, strict: true }, { write: () => true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    await expect(runCheck({ db: join(dir, 'none.db') }, out)).rejects.toMatchObject({
      exit: 'inputNotFound',
    });
  });
});

describe('a yes/no field in a message', () => {
  it('reads 是/否 in Chinese and yes/no in English, not true/false', () => {
    const first = sample('reg-01');
    const key = Object.entries(first.fields).find(([, f]) => typeof f.value === 'boolean')?.[0] ?? '';
    const copy = variant(first, 'reg-01-copy', { [key]: { value: !first.fields[key]?.value } });
    copy.copyOf = 'reg-01';
    const issue = crossRecordIssues([first, copy])
      .get('reg-01-copy')
      ?.find((i) => i.code === 'copy_disagrees');
    expect(issue?.message).toMatch(/本份为 [是否]，另一份 reg-01 为 [是否]/);
    expect(issue?.messageEn).toMatch(/: (yes|no) here, (yes|no) in reg-01/);
  });
});
