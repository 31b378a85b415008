// The one catalogue of data-problem codes. Every Issue the domain (and, later, other stages) attaches
// to a record is built here, so a code always carries the same severity and the same wording in
// Chinese (for the bureau's reviewers) and English (for developers and logs).
import type { Issue, Severity } from '../types.js';

interface IssueSpec {
  readonly severity: Severity;
  /** Chinese message; `{name}` placeholders are filled from the params. */
  readonly zh: string;
  readonly en: string;
}

export const ISSUE_CATALOGUE = {
  // --- schema and presence -------------------------------------------------------------------
  required_missing: {
    severity: 'error',
    zh: '必填项「{label}」未填写',
    en: 'Required field "{label}" is blank',
  },
  invalid_format: {
    severity: 'error',
    zh: '「{label}」的值不符合规定格式：{detail}',
    en: 'Value of "{label}" is not in its normal form: {detail}',
  },
  unknown_field: {
    severity: 'error',
    zh: '记录中有表格未定义的字段「{key}」',
    en: 'The record has a field "{key}" that the form does not define',
  },
  // --- parsing into normal forms --------------------------------------------------------------
  invalid_year_month: {
    severity: 'error',
    zh: '无法识别的年月「{raw}」（应为如 1985年3月）{detail}',
    en: 'Cannot read year-month "{raw}" (expected e.g. 1985年3月){detailEn}',
  },
  year_month_missing_month: {
    severity: 'warning',
    zh: '「{raw}」只写了年份，缺少月份，请补全',
    en: '"{raw}" gives a year but no month; please complete it',
  },
  ambiguous_two_digit_year: {
    severity: 'warning',
    zh: '「{raw}」年份只写了两位，已按 {year} 年理解，请核对',
    en: '"{raw}" has a two-digit year, read as {year}; please check',
  },
  invalid_date: {
    severity: 'error',
    zh: '无法识别的日期「{raw}」（应为如 2020年5月12日）{detail}',
    en: 'Cannot read date "{raw}" (expected e.g. 2020年5月12日){detailEn}',
  },
  incomplete_date: {
    severity: 'warning',
    zh: '日期「{raw}」未填写完整（缺年、月或日），请补全',
    en: 'Date "{raw}" is incomplete (year, month or day missing); please complete it',
  },
  invalid_phone: {
    severity: 'error',
    zh: '无法识别的电话号码「{raw}」（应为 11 位手机号或如 0798-8576556 的固定电话）',
    en: 'Cannot read phone number "{raw}" (expected an 11-digit mobile or a landline like 0798-8576556)',
  },
  landline_without_area_code: {
    severity: 'warning',
    zh: '固定电话「{raw}」未写区号，已按景德镇区号 0798 补全，请核对',
    en: 'Landline "{raw}" has no area code; assumed Jingdezhen (0798), please check',
  },
  multiple_phones: {
    severity: 'warning',
    zh: '「{raw}」含多个电话号码，只保留了第一个 {kept}',
    en: '"{raw}" holds several phone numbers; only the first, {kept}, was kept',
  },
  invalid_integer: {
    severity: 'error',
    zh: '无法识别的整数「{raw}」',
    en: 'Cannot read whole number "{raw}"',
  },
  invalid_amount: {
    severity: 'error',
    zh: '无法识别的金额「{raw}」（应为如 3500万元、1.2亿元）',
    en: 'Cannot read amount "{raw}" (expected e.g. 3500万元, 1.2亿元)',
  },
  amount_unit_assumed: {
    severity: 'warning',
    zh: '金额「{raw}」未写单位，已按万元理解，请核对',
    en: 'Amount "{raw}" has no unit; read as 万元 (10,000 yuan), please check',
  },
  invalid_gender: {
    severity: 'error',
    zh: '无法识别的性别「{raw}」（应为 男 或 女）',
    en: 'Cannot read gender "{raw}" (expected 男 or 女)',
  },
  invalid_stamp: {
    severity: 'error',
    zh: '无法识别的盖章状态「{raw}」',
    en: 'Cannot read stamp state "{raw}"',
  },
  // --- programme rules (景科字〔2020〕14 号) ---------------------------------------------------
  service_under_two_years: {
    severity: 'warning',
    zh: '参加工作时间 {workStart} 至 {reference} 不满 2 年（通知要求原则上工作 2 年以上）',
    en: 'Service from {workStart} to {reference} is under 2 years (the notice asks for 2 years as a rule)',
  },
  work_start_too_early: {
    severity: 'error',
    zh: '参加工作时间 {workStart} 早于出生年月 {birthMonth} 后满 16 周岁',
    en: 'Work start {workStart} is before the age of 16 (born {birthMonth})',
  },
  date_in_future: {
    severity: 'error',
    zh: '「{label}」{value} 晚于填表日期 {reference}',
    en: '"{label}" {value} is after the filling date {reference}',
  },
  not_eligible_title_or_degree: {
    severity: 'error',
    zh: '不符合条件：须有中级及以上职称或研究生学历（职称：{title}；学历：{education}）',
    en: 'Not eligible: needs a title of 中级 (intermediate) or above, or graduate education (title: {title}; education: {education})',
  },
  title_level_unknown: {
    severity: 'warning',
    zh: '无法判断职称「{title}」的级别（初级/中级/副高级/正高级），资格条件需人工核对',
    en: 'Cannot tell the level of title "{title}"; check eligibility by hand',
  },
  not_in_vocabulary: {
    severity: 'warning',
    zh: '「{label}」的值「{value}」不在常用词表中，请核对',
    en: '"{label}" value "{value}" is not in the vocabulary; please check',
  },
  team_size_missing: {
    severity: 'warning',
    zh: '填写了团队名称「{teamName}」，但未填写团队入企人数',
    en: 'Team "{teamName}" is named but the number of members going into the enterprise is blank',
  },
  team_size_invalid: {
    severity: 'error',
    zh: '团队入企人数 {teamSize} 无效（应至少为 1）',
    en: 'Team size {teamSize} is invalid (must be at least 1)',
  },
  team_name_missing: {
    severity: 'info',
    zh: '团队入企人数为 {teamSize}，但未填写所属团队名称',
    en: 'Team size is {teamSize} but no team name is given',
  },
  no_needs_filled: {
    severity: 'error',
    zh: '技术人才需求六项均未填写（至少应填写一项）',
    en: 'None of the six needs is filled (at least one is required)',
  },
  invalid_id_number: {
    severity: 'error',
    zh: '「{label}」中的身份证号码「{value}」无效：{detail}',
    en: 'Resident ID number "{value}" in "{label}" is invalid: {detailEn}',
  },
  invalid_credit_code: {
    severity: 'error',
    zh: '「{label}」中的统一社会信用代码「{value}」无效：{detail}',
    en: 'Unified social credit code "{value}" in "{label}" is invalid: {detailEn}',
  },
} as const satisfies Record<string, IssueSpec>;

export type IssueCode = keyof typeof ISSUE_CATALOGUE;
export const ISSUE_CODES = Object.keys(ISSUE_CATALOGUE) as IssueCode[];

// The placeholder names of a template, so that params are checked against the message at compile time.
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;
export type IssueParams<C extends IssueCode> = {
  [K in Placeholders<(typeof ISSUE_CATALOGUE)[C]['zh'] | (typeof ISSUE_CATALOGUE)[C]['en']>]?:
    | string
    | number;
};

const fill = (template: string, params: Record<string, string | number | undefined>): string =>
  template
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = params[name];
      return v === undefined ? '' : String(v);
    })
    .replace(/\s+$/, '');

export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(ISSUE_CATALOGUE, code);
}

/** Builds an Issue from the catalogue; placeholders without a param are left empty. */
export function makeIssue<C extends IssueCode>(code: C, field?: string, params: IssueParams<C> = {}): Issue {
  const spec: IssueSpec = ISSUE_CATALOGUE[code];
  const p = params as Record<string, string | number | undefined>;
  const issue: Issue = {
    code,
    severity: spec.severity,
    message: fill(spec.zh, p),
    messageEn: fill(spec.en, p),
  };
  if (field !== undefined) issue.field = field;
  return issue;
}
