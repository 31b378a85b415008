import { describe, expect, it } from 'vitest';
import { ISSUE_CATALOGUE, ISSUE_CODES, isIssueCode, makeIssue } from '../../src/domain/issues.js';
import { checkValues } from '../../src/domain/rules.js';
import { NEEDS_KEYS } from '../../src/forms/index.js';
import type { FieldValues } from '../../src/types.js';

// Check characters for fictional identifiers, computed by the published algorithm (see ids.test.ts).
const idCheck = (b: string) =>
  '10X98765432'.charAt(
    [...b].reduce(
      (s, c, i) => s + Number(c) * ([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i] ?? 0),
      0,
    ) % 11,
  );

const registration: FieldValues = {
  fillingUnit: '景德镇陶瓷大学',
  fillingDate: '2020-05-12',
  name: '王建国',
  gender: '男',
  birthMonth: '1985-03',
  workStart: '2010-07',
  education: '博士研究生',
  professionalTitle: '副教授',
  teamName: null,
  teamSize: null,
  phone: '13807981234',
  employerAndPosition: '景德镇陶瓷大学材料科学与工程学院 副院长',
  expertise: '陶瓷釉料配方设计与烧成工艺',
  profile: '主持省级项目三项。',
  plannedWork: '帮助企业改进釉料配方。',
};

const demand: FieldValues = {
  fillingUnit: '景德镇某陶瓷有限公司',
  fillingDate: '2020-05-20',
  companyName: '景德镇某陶瓷有限公司',
  district: '昌江区',
  contactPerson: '李明',
  contactPhone: '0798-8576556',
  annualOutput: 3500,
  'needs.problems': '高温釉面针孔缺陷。',
};

const problem: FieldValues = {
  title: '日用瓷釉面针孔缺陷',
  industry: '陶瓷',
  contactPerson: '李明',
  contactPhone: '13907981234',
  description: '现状……需要解决的问题……预期效果……',
};

const codes = (form: 'registration' | 'demand' | 'problem', values: FieldValues, referenceDate?: string) =>
  checkValues(form, values, referenceDate ? { referenceDate } : {}).map((i) => `${i.code}@${i.field ?? ''}`);

describe('the hand-made good records pass', () => {
  it.each([
    ['registration', registration],
    ['demand', demand],
    ['problem', problem],
  ] as const)('%s', (form, values) => expect(checkValues(form, values)).toEqual([]));
});

describe('required fields', () => {
  it('reports each blank required field with its label', () => {
    // expertise is absent altogether, name and phone are present but blank.
    const withoutExpertise = Object.fromEntries(
      Object.entries(registration).filter(([k]) => k !== 'expertise'),
    );
    const issues = checkValues('registration', { ...withoutExpertise, name: null, phone: '  ' });
    expect(issues.filter((i) => i.code === 'required_missing').map((i) => i.field)).toEqual([
      'name',
      'phone',
      'expertise',
    ]);
    expect(issues[0]?.message).toContain('姓名');
  });

  it('covers every form', () => {
    expect(codes('problem', { ...problem, title: null })).toEqual(['required_missing@title']);
    expect(codes('demand', { ...demand, companyName: null })).toEqual(['required_missing@companyName']);
  });
});

describe('service ≥ 2 years (原则上: a warning)', () => {
  it('fires under 24 months to the filling date', () => {
    const issues = checkValues('registration', { ...registration, workStart: '2018-06' });
    expect(issues).toEqual([
      expect.objectContaining({ code: 'service_under_two_years', severity: 'warning' }),
    ]);
  });

  it('does not fire at exactly 24 months', () => {
    expect(codes('registration', { ...registration, workStart: '2018-05' })).toEqual([]);
  });

  it('counts to ctx.referenceDate when the filling date is blank', () => {
    const values = { ...registration, fillingDate: null, workStart: '2019-01' };
    expect(codes('registration', values, '2020-06-30')).toEqual(['service_under_two_years@workStart']);
    expect(codes('registration', values, '2021-01')).toEqual([]);
    // Neither date: nothing to count to, nothing claimed.
    expect(codes('registration', values)).toEqual([]);
  });

  it('reports a work start after the filling date as an error instead', () => {
    expect(codes('registration', { ...registration, workStart: '2021-01' })).toEqual([
      'date_in_future@workStart',
    ]);
  });

  it('reports a birth month after the filling date', () => {
    expect(codes('registration', { ...registration, birthMonth: '2021-01', workStart: null })).toEqual([
      'required_missing@workStart',
      'date_in_future@birthMonth',
    ]);
  });
});

describe('work start after birth + 16 years', () => {
  it('fires a month before the 16th birthday', () => {
    const issues = checkValues('registration', {
      ...registration,
      birthMonth: '1985-03',
      workStart: '2001-02',
    });
    expect(issues.map((i) => i.code)).toEqual(['work_start_too_early']);
    expect(issues[0]?.severity).toBe('error');
  });

  it('does not fire from the 16th birthday on', () => {
    expect(codes('registration', { ...registration, birthMonth: '1985-03', workStart: '2001-03' })).toEqual(
      [],
    );
  });

  it('skips values that are not in normal form (the schema reports them)', () => {
    expect(codes('registration', { ...registration, workStart: '2001年2月' })).toEqual([]);
  });
});

describe('中级 title or graduate education', () => {
  const with_ = (education: string | null, professionalTitle: string | null) =>
    codes('registration', { ...registration, education, professionalTitle });

  it.each([
    ['本科', '讲师'],
    ['本科', '副教授（副高）'],
    ['大专', '高级工艺美术师'],
    ['硕士', null],
    ['博士研究生', '助教'],
    ['研究生', '助理工程师'],
    ['本科', '教授级高级工程师'],
  ])('eligible: %s, %s', (education, title) => expect(with_(education, title)).toEqual([]));

  it.each([
    ['本科', '助教'],
    ['本科', '助理工程师'],
    ['大专', null],
    ['本科', '实验员'],
  ])('not eligible: %s, %s', (education, title) => {
    expect(with_(education, title)).toEqual(['not_eligible_title_or_degree@professionalTitle']);
  });

  it('says so when neither is filled in', () => {
    expect(with_(null, null)).toEqual([
      'required_missing@education',
      'not_eligible_title_or_degree@professionalTitle',
    ]);
  });

  it('does not judge a title it cannot read', () => {
    expect(with_('本科', '高级技师')).toEqual(['title_level_unknown@professionalTitle']);
    expect(with_('自学', null)).toEqual(['not_in_vocabulary@education']);
  });
});

describe('team size', () => {
  it.each([
    [null, null, []],
    ['釉料创新团队', 3, []],
    ['釉料创新团队', 1, []],
    ['釉料创新团队', null, ['team_size_missing@teamSize']],
    ['釉料创新团队', 0, ['team_size_invalid@teamSize']],
    [null, -2, ['team_size_invalid@teamSize']],
    [null, 0, []],
    [null, 4, ['team_name_missing@teamName']],
  ] as const)('team %s, size %s', (teamName, teamSize, expected) => {
    expect(codes('registration', { ...registration, teamName, teamSize })).toEqual(expected);
  });
});

describe('demand: at least one need', () => {
  it('fires when all six are blank', () => {
    const values = { ...demand, 'needs.problems': null };
    expect(codes('demand', values)).toEqual(['no_needs_filled@needs.problems']);
  });

  it.each(NEEDS_KEYS)('does not fire when only %s is filled', (key) => {
    expect(codes('demand', { ...demand, 'needs.problems': null, [key]: '需要。' })).toEqual([]);
  });
});

describe('phones', () => {
  it.each(['13807981234', '0798-8576556', '0798-8576556-123', '400-123-4567', null])(
    'accepts %s',
    (phone) => {
      expect(
        codes('problem', { ...problem, contactPhone: phone }).filter((c) => c.startsWith('invalid')),
      ).toEqual([]);
    },
  );

  it.each(['12807981234', '138 0798 1234', '0798 8576556', '8576556'])('rejects %s', (phone) => {
    expect(codes('demand', { ...demand, legalRepresentativePhone: phone })).toEqual([
      'invalid_phone@legalRepresentativePhone',
    ]);
  });
});

describe('identifiers in text fields', () => {
  const base = '36020319850312991';
  const valid = base + idCheck(base);
  const invalid = base + (idCheck(base) === '0' ? '1' : '0');

  it('passes a valid ID and reports a wrong check digit', () => {
    expect(codes('registration', { ...registration, profile: `身份证号：${valid}` })).toEqual([]);
    expect(codes('registration', { ...registration, profile: `身份证号：${invalid}` })).toEqual([
      'invalid_id_number@profile',
    ]);
  });

  it('checks opinion cells and long texts of every form', () => {
    expect(codes('demand', { ...demand, techStatus: `统一社会信用代码 91360200MA35XT0K1A` })).toEqual([
      'invalid_credit_code@techStatus',
    ]);
    expect(codes('problem', { ...problem, description: `联系人身份证 ${invalid}` })).toEqual([
      'invalid_id_number@description',
    ]);
  });

  it('does not look into phone fields', () => {
    expect(codes('problem', { ...problem, contactPhone: invalid })).toEqual(['invalid_phone@contactPhone']);
  });
});

describe('vocabulary fields', () => {
  it('accepts names and aliases, and each item of a list', () => {
    expect(codes('demand', { ...demand, district: '景德镇高新区' })).toEqual([]);
    expect(codes('problem', { ...problem, industry: '陶瓷、新材料' })).toEqual([]);
  });

  it('warns about values outside the vocabulary', () => {
    const issues = checkValues('demand', { ...demand, district: '南昌市' });
    expect(issues).toEqual([expect.objectContaining({ code: 'not_in_vocabulary', severity: 'warning' })]);
    expect(codes('problem', { ...problem, industry: '陶瓷、房地产' })).toEqual([
      'not_in_vocabulary@industry',
    ]);
  });
});

describe('issue catalogue', () => {
  it('has stable snake_case codes, both languages and a severity', () => {
    expect(ISSUE_CODES.length).toBeGreaterThanOrEqual(25);
    for (const code of ISSUE_CODES) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      const spec = ISSUE_CATALOGUE[code];
      expect(['error', 'warning', 'info']).toContain(spec.severity);
      expect(spec.zh).toMatch(/\p{Script=Han}/u);
      expect(spec.en).toMatch(/[a-z]/);
    }
  });

  it('fills every placeholder', () => {
    for (const code of ISSUE_CODES) {
      const names = [...`${ISSUE_CATALOGUE[code].zh}${ISSUE_CATALOGUE[code].en}`.matchAll(/\{(\w+)\}/g)].map(
        (m) => m[1] ?? '',
      );
      const params = Object.fromEntries(names.map((n) => [n, 'X']));
      const issue = makeIssue(code, 'f', params);
      expect(issue.message).not.toMatch(/[{}]/);
      expect(issue.messageEn).not.toMatch(/[{}]/);
      expect(issue).toMatchObject({ code, field: 'f', severity: ISSUE_CATALOGUE[code].severity });
    }
  });

  it('omits field when none is given', () => {
    expect(makeIssue('no_needs_filled')).not.toHaveProperty('field');
    expect(isIssueCode('no_needs_filled')).toBe(true);
    expect(isIssueCode('nope')).toBe(false);
  });
});
