// The programme's rules (景科字〔2020〕14 号 and the forms' own logic) as pure functions over a
// record's normal-form values. Values that are not in normal form are skipped here: the schema
// check in validateRecord reports them, so one bad value yields one issue, not two.
import { type FieldDef, FORMS, NEEDS_KEYS } from '../forms/index.js';
import type { FieldValues, FormKind, Issue } from '../types.js';
import { scanIdentifiers } from './ids.js';
import { makeIssue } from './issues.js';
import {
  defaultVocabularies,
  educationOf,
  snap,
  TITLE_LEVELS,
  titleLevel,
  type Vocabularies,
} from './vocabulary.js';

export interface CheckContext {
  /**
   * Date (YYYY-MM-DD or YYYY-MM) service is counted to when the record has no filling date,
   * e.g. the call's deadline.
   */
  referenceDate?: string;
  /** Vocabularies to check against; default config/vocabularies.yaml. */
  vocabularies?: Vocabularies;
}

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-[2-9]\d{6,7}(-\d{1,6})?|[48]00-\d{3}-\d{4})$/;

/** Months since year 0, so that differences are whole months. */
const monthIndex = (ym: string): number | null => {
  const m = ym.match(YEAR_MONTH) ?? ym.match(DATE);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : null;
};

/** The record's filling date when it is in normal form, else ctx.referenceDate. */
const referenceDateOf = (values: FieldValues, ctx: CheckContext): string | null => {
  const filling = values.fillingDate;
  if (typeof filling === 'string' && DATE.test(filling)) return filling;
  return ctx.referenceDate !== undefined && monthIndex(ctx.referenceDate) !== null ? ctx.referenceDate : null;
};

const MIN_SERVICE_MONTHS = 24;
const MIN_WORKING_AGE_MONTHS = 16 * 12;
const ELIGIBLE_TITLE_LEVEL = TITLE_LEVELS.indexOf('中级');

const isFilled = (v: unknown): boolean =>
  v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

type Rule = (
  values: FieldValues,
  fields: readonly FieldDef[],
  ctx: Required<Pick<CheckContext, 'vocabularies'>> & CheckContext,
) => Issue[];

const requiredFields: Rule = (values, fields) =>
  fields
    .filter((f) => f.required && !isFilled(values[f.key]))
    .map((f) => makeIssue('required_missing', f.key, { label: f.label }));

const phones: Rule = (values, fields) =>
  fields
    .filter((f) => f.kind === 'phone')
    .flatMap((f) => {
      const v = str(values[f.key]);
      return v !== null && !PHONE.test(v) ? [makeIssue('invalid_phone', f.key, { raw: v })] : [];
    });

const identifiers: Rule = (values, fields, ctx) =>
  fields
    .filter((f) => f.kind === 'text' || f.kind === 'longText' || f.kind === 'opinion')
    .flatMap((f) => {
      const v = str(values[f.key]);
      const referenceDate = referenceDateOf(values, ctx);
      return v === null
        ? []
        : scanIdentifiers(v, f.key, { label: f.label, ...(referenceDate ? { referenceDate } : {}) });
    });

// District and industry are free text on paper; a value outside the vocabulary is usually a
// misreading or a name the bureau has not listed yet. Titles and education are checked by eligibility.
const vocabularyValues: Rule = (values, fields, ctx) =>
  fields
    .filter(
      (f) =>
        f.vocabulary === 'district' || f.vocabulary === 'industry' || f.vocabulary === 'recommendingUnit',
    )
    .flatMap((f) => {
      const v = str(values[f.key]);
      const vocabulary = f.vocabulary;
      if (v === null || vocabulary === undefined) return [];
      // 陶瓷、新材料: each listed item is checked on its own.
      const unknown = v
        .split(/[、,;/]/)
        .map((part) => part.trim())
        .filter(
          (part) =>
            part !== '' && !snap(vocabulary, part, { vocabularies: ctx.vocabularies, maxDistance: 0 }),
        );
      return unknown.length > 0
        ? [makeIssue('not_in_vocabulary', f.key, { label: f.label, value: unknown.join('、') })]
        : [];
    });

/** Service and age: counted in whole months to the filling date, else to ctx.referenceDate. */
const serviceAndAge: Rule = (values, _fields, ctx) => {
  const issues: Issue[] = [];
  const birthText = str(values.birthMonth);
  const workText = str(values.workStart);
  const birth = birthText ? monthIndex(birthText) : null;
  const work = workText ? monthIndex(workText) : null;
  const refText = referenceDateOf(values, ctx);
  const ref = refText ? monthIndex(refText) : null;

  if (ref !== null && refText !== null) {
    if (birth !== null && birth > ref) {
      issues.push(
        makeIssue('date_in_future', 'birthMonth', {
          label: '出生年月',
          value: birthText ?? '',
          reference: refText,
        }),
      );
    }
    if (work !== null && work > ref) {
      issues.push(
        makeIssue('date_in_future', 'workStart', {
          label: '参加工作时间',
          value: workText ?? '',
          reference: refText,
        }),
      );
    } else if (work !== null && ref - work < MIN_SERVICE_MONTHS) {
      issues.push(
        makeIssue('service_under_two_years', 'workStart', { workStart: workText ?? '', reference: refText }),
      );
    }
  }
  if (birth !== null && work !== null && work < birth + MIN_WORKING_AGE_MONTHS) {
    issues.push(
      makeIssue('work_start_too_early', 'workStart', {
        workStart: workText ?? '',
        birthMonth: birthText ?? '',
      }),
    );
  }
  return issues;
};

/** 有中级及以上职称或研究生学历: either one is enough. */
const eligibility: Rule = (values, _fields, ctx) => {
  const title = str(values.professionalTitle);
  const education = str(values.education);
  const level = title ? titleLevel(title, ctx.vocabularies) : null;
  const edu = education ? educationOf(education, ctx.vocabularies) : null;
  if ((level !== null && TITLE_LEVELS.indexOf(level) >= ELIGIBLE_TITLE_LEVEL) || edu?.graduate) return [];
  const issues: Issue[] = [];
  // What cannot be read cannot be judged: say so instead of declaring the person ineligible.
  if (title !== null && level === null)
    issues.push(makeIssue('title_level_unknown', 'professionalTitle', { title }));
  if (education !== null && edu === null) {
    issues.push(makeIssue('not_in_vocabulary', 'education', { label: '学历', value: education }));
  }
  if (issues.length > 0) return issues;
  return [
    makeIssue('not_eligible_title_or_degree', 'professionalTitle', {
      title: title ?? '未填',
      education: education ?? '未填',
    }),
  ];
};

const team: Rule = (values) => {
  const teamName = str(values.teamName);
  const teamSize = values.teamSize;
  if (typeof teamSize === 'number' && Number.isInteger(teamSize)) {
    if (teamSize < 1 && (teamName !== null || teamSize < 0))
      return [makeIssue('team_size_invalid', 'teamSize', { teamSize })];
    if (teamSize >= 2 && teamName === null) return [makeIssue('team_name_missing', 'teamName', { teamSize })];
    return [];
  }
  if (teamName !== null && (teamSize === null || teamSize === undefined)) {
    return [makeIssue('team_size_missing', 'teamSize', { teamName })];
  }
  return [];
};

/** 可选其中一项或多: at least one of the six needs. */
const needs: Rule = (values) =>
  NEEDS_KEYS.some((k) => isFilled(values[k])) ? [] : [makeIssue('no_needs_filled', NEEDS_KEYS[0])];

const COMMON_RULES: Rule[] = [requiredFields, phones, identifiers, vocabularyValues];
const FORM_RULES: Record<FormKind, Rule[]> = {
  registration: [serviceAndAge, eligibility, team],
  demand: [needs],
  problem: [],
};

/** Programme rules for one form's normal-form values. Never throws on bad data. */
export function checkValues(form: FormKind, values: FieldValues, ctx: CheckContext = {}): Issue[] {
  const full = { ...ctx, vocabularies: ctx.vocabularies ?? defaultVocabularies() };
  const fields = FORMS[form].fields;
  return [...COMMON_RULES, ...FORM_RULES[form]].flatMap((rule) => rule(values, fields, full));
}
