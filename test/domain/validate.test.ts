import { describe, expect, it } from 'vitest';
import { validateRecord, valuesOf } from '../../src/domain/index.js';
import type { FieldValues, FormKind, SubmissionRecord } from '../../src/types.js';

function record(form: FormKind, values: FieldValues): SubmissionRecord {
  return {
    id: `test-${form}`,
    form,
    sources: [{ file: 'scans/batch-01.pdf', page: 1 }],
    fields: Object.fromEntries(
      Object.entries(values).map(([k, value]) => [k, { value, raw: String(value ?? ''), confidence: 0.9 }]),
    ),
    issues: [],
  };
}

const registration = record('registration', {
  fillingUnit: '景德镇陶瓷大学',
  fillingDate: '2020-05-12',
  name: '王建国',
  gender: '男',
  birthMonth: '1985-03',
  photo: 'crops/0001-photo.png',
  workStart: '2010-07',
  education: '硕士研究生',
  professionalTitle: '讲师',
  teamName: '陶瓷釉料创新团队',
  teamSize: 3,
  phone: '13807981234',
  employerAndPosition: '景德镇陶瓷大学 讲师',
  expertise: '陶瓷釉料配方设计',
  'recommendation.opinion': '同意推荐。',
  'recommendation.stamped': true,
  'recommendation.date': '2020-05-15',
  'approval.stamped': null,
});

const demand = record('demand', {
  companyName: '景德镇某陶瓷有限公司',
  district: '高新区',
  contactPerson: '李明',
  contactPhone: '0798-8576556-123',
  annualOutput: 12000,
  'needs.rdPlatform': '组建市级企业技术中心。',
});

const problem = record('problem', {
  fillingDate: '2020-06-01',
  title: '日用瓷釉面针孔缺陷',
  industry: '陶瓷',
  contactPerson: '李明',
  contactPhone: '13907981234',
  description: '需要解决的问题及预期效果。',
});

const codes = (r: SubmissionRecord, referenceDate?: string) =>
  validateRecord(r, referenceDate ? { referenceDate } : {}).map((i) => `${i.code}@${i.field ?? ''}`);

const withValues = (r: SubmissionRecord, values: FieldValues): SubmissionRecord => {
  const fields = { ...r.fields };
  for (const [k, value] of Object.entries(values)) fields[k] = { value, confidence: 0.9 };
  return { ...r, fields };
};

describe('valuesOf', () => {
  it('keeps only the values, keyed by field', () => {
    expect(valuesOf(problem)).toEqual({
      fillingDate: '2020-06-01',
      title: '日用瓷釉面针孔缺陷',
      industry: '陶瓷',
      contactPerson: '李明',
      contactPhone: '13907981234',
      description: '需要解决的问题及预期效果。',
    });
  });
});

describe('validateRecord', () => {
  it.each([registration, demand, problem])('passes a good $form record', (r) => {
    expect(validateRecord(r, { referenceDate: '2020-06-30' })).toEqual([]);
  });

  it('reports values not in normal form as invalid_format naming the field, never throwing', () => {
    const r = withValues(registration, {
      birthMonth: '1985年3月',
      teamSize: 2.5,
      gender: 'M',
      fillingDate: 20200512,
    });
    const issues = validateRecord(r);
    expect(issues.map((i) => `${i.code}@${i.field}`).sort()).toEqual([
      'invalid_format@birthMonth',
      'invalid_format@fillingDate',
      'invalid_format@gender',
      'invalid_format@teamSize',
    ]);
    const birth = issues.find((i) => i.field === 'birthMonth');
    expect(birth?.message).toContain('出生年月');
    expect(birth?.message).toContain('1985年3月');
    expect(birth?.severity).toBe('error');
  });

  it('reports unknown field keys', () => {
    const r = withValues(problem, { titel: 'x', 'needs.problems': 'y' });
    expect(codes(r)).toEqual(['unknown_field@titel', 'unknown_field@needs.problems']);
  });

  it('reports one issue, the specific one, for a badly written phone', () => {
    expect(codes(withValues(demand, { contactPhone: '0798 8576556' }))).toEqual([
      'invalid_phone@contactPhone',
    ]);
  });

  it('reports a blank required text once', () => {
    expect(codes(withValues(problem, { title: '' }))).toEqual(['required_missing@title']);
  });

  it('adds the programme rules per form', () => {
    expect(
      codes(withValues(registration, { education: '本科', professionalTitle: '助教', teamSize: null })),
    ).toEqual(['not_eligible_title_or_degree@professionalTitle', 'team_size_missing@teamSize']);
    expect(codes(withValues(registration, { workStart: '2019-09' }))).toEqual([
      'service_under_two_years@workStart',
    ]);
    expect(codes(withValues(demand, { 'needs.rdPlatform': null }))).toEqual([
      'no_needs_filled@needs.problems',
    ]);
  });

  it('uses ctx.referenceDate when the record has no filling date', () => {
    const r = withValues(registration, { fillingDate: null, workStart: '2019-09' });
    expect(codes(r, '2020-06-30')).toEqual(['service_under_two_years@workStart']);
    expect(codes(r, '2022-06-30')).toEqual([]);
  });

  it('survives a record full of wrong types', () => {
    const r = withValues(registration, {
      name: 42,
      birthMonth: true,
      workStart: 2010,
      teamSize: '三',
      phone: 13807981234,
      education: false,
      'needs.x': null,
    });
    const issues = validateRecord(r);
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
  });
});
