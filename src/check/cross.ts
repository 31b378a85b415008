// Rules across records: what no single form can show. The same person applying twice (or with two
// teams), the same enterprise handing in two demand forms, and a 一式二份 second copy whose values
// differ from its first copy. Each finding is attached to every record it concerns, naming the other,
// so a reviewer looking at either sees it. Second copies are not compared as applicants: they are
// the same submission, and their differences are what copy_disagrees reports.
import { FORMS } from '../forms/index.js';
import type { Issue, Severity, SubmissionRecord } from '../types.js';

interface CrossSpec {
  readonly severity: Severity;
  readonly zh: string;
  readonly en: string;
}

export const CROSS_CATALOGUE = {
  duplicate_copy: {
    severity: 'info',
    zh: '这是 {other} 的另一份（一式二份），不重复计数',
    en: 'Second copy of {other} (handed in twice); not counted again',
  },
  copy_disagrees: {
    severity: 'warning',
    zh: '一式二份不一致：「{label}」本份为 {value}，另一份 {other} 为 {otherValue}，请核对原件',
    en: 'The two copies disagree on "{label}": {valueEn} here, {otherValueEn} in {other}; check the paper',
  },
  duplicate_person: {
    severity: 'warning',
    zh: '与 {other} 可能是同一人重复报名（姓名「{name}」相同，{basis}相同）',
    en: 'Possibly the same person as in {other} (same name "{name}" and same {basisEn})',
  },
  person_in_two_teams: {
    severity: 'warning',
    zh: '{name} 在两份报名表中属于不同团队：本表「{team}」，{other} 为「{otherTeam}」',
    en: '{name} is in two teams: "{team}" here and "{otherTeam}" in {other}',
  },
  duplicate_enterprise: {
    severity: 'warning',
    zh: '同一企业重复提交需求表：{other}（单位名称「{otherName}」）',
    en: 'The same enterprise handed in another demand form: {other} ("{otherName}")',
  },
} as const satisfies Record<string, CrossSpec>;

export type CrossCode = keyof typeof CROSS_CATALOGUE;
export const CROSS_CODES = Object.keys(CROSS_CATALOGUE) as CrossCode[];

export function crossIssue(
  code: CrossCode,
  field: string | undefined,
  params: Record<string, string>,
): Issue {
  const spec: CrossSpec = CROSS_CATALOGUE[code];
  const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
  const issue: Issue = { code, severity: spec.severity, message: fill(spec.zh), messageEn: fill(spec.en) };
  if (field !== undefined) issue.field = field;
  return issue;
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.normalize('NFKC').replace(/\s+/g, '') : null;

/**
 * 景德镇华瓷科技有限公司, 景德镇 华瓷科技（有限公司） and 景德镇华瓷科技股份有限公司 are one enterprise:
 * NFKC, no spaces or punctuation, no company-form suffix.
 */
export function normalizeCompanyName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s·.,;:'"()[\]{}<>《》「」『』【】、，。；：“”‘’\-—_]/g, '')
    .replace(/(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司|厂)$/, '');
}

// Long text is cut: the message says where the copies differ; the cells show the whole text.
// A yes/no field (a seal, a box ticked) reads 是/否 to the clerk, not JavaScript's true/false.
const showEn = (v: unknown): string =>
  typeof v === 'boolean'
    ? v
      ? 'yes'
      : 'no'
    : v === null || v === undefined || v === ''
      ? '(blank)'
      : show(v);
const show = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '（空）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  const chars = [...String(v)];
  return chars.length > 24 ? `${chars.slice(0, 24).join('')}…` : chars.join('');
};

export function crossRecordIssues(records: readonly SubmissionRecord[]): Map<string, Issue[]> {
  const out = new Map<string, Issue[]>();
  const add = (id: string, issue: Issue) => {
    const list = out.get(id);
    if (list) list.push(issue);
    else out.set(id, [issue]);
  };
  const byId = new Map(records.map((r) => [r.id, r]));
  const value = (r: SubmissionRecord, key: string) => r.fields[key]?.value ?? null;

  // 一式二份: the copy is linked; what differs between the two is worth a look at the paper.
  for (const copy of records) {
    if (!copy.copyOf) continue;
    const original = byId.get(copy.copyOf);
    if (!original) continue;
    add(copy.id, crossIssue('duplicate_copy', undefined, { other: original.id }));
    for (const def of FORMS[copy.form].fields) {
      if (def.kind === 'photo') continue;
      const a = value(copy, def.key);
      const b = value(original, def.key);
      if (a === b || (text(a) !== null && text(a) === text(b))) continue;
      add(
        copy.id,
        crossIssue('copy_disagrees', def.key, {
          label: def.label,
          value: show(a),
          valueEn: showEn(a),
          other: original.id,
          otherValue: show(b),
          otherValueEn: showEn(b),
        }),
      );
      add(
        original.id,
        crossIssue('copy_disagrees', def.key, {
          label: def.label,
          value: show(b),
          valueEn: showEn(b),
          other: copy.id,
          otherValue: show(a),
          otherValueEn: showEn(a),
        }),
      );
    }
  }

  const originals = records.filter((r) => !r.copyOf);

  // The same person: same name, and the same birth month or the same phone.
  const people = groupBy(
    originals.filter((r) => r.form === 'registration'),
    (r) => text(value(r, 'name')),
  );
  for (const group of people.values()) {
    pairs(group, (a, b) => {
      const sameBirth =
        text(value(a, 'birthMonth')) !== null && value(a, 'birthMonth') === value(b, 'birthMonth');
      const samePhone = text(value(a, 'phone')) !== null && value(a, 'phone') === value(b, 'phone');
      if (!sameBirth && !samePhone) return;
      const name = String(value(a, 'name'));
      const teamA = text(value(a, 'teamName'));
      const teamB = text(value(b, 'teamName'));
      if (teamA !== null && teamB !== null && teamA !== teamB) {
        const team = (r: SubmissionRecord) => String(value(r, 'teamName'));
        add(
          a.id,
          crossIssue('person_in_two_teams', 'teamName', {
            name,
            team: team(a),
            other: b.id,
            otherTeam: team(b),
          }),
        );
        add(
          b.id,
          crossIssue('person_in_two_teams', 'teamName', {
            name,
            team: team(b),
            other: a.id,
            otherTeam: team(a),
          }),
        );
        return;
      }
      const basis = sameBirth && samePhone ? '出生年月和联系电话' : sameBirth ? '出生年月' : '联系电话';
      const basisEn = sameBirth && samePhone ? 'birth month and phone' : sameBirth ? 'birth month' : 'phone';
      add(a.id, crossIssue('duplicate_person', 'name', { other: b.id, name, basis, basisEn }));
      add(b.id, crossIssue('duplicate_person', 'name', { other: a.id, name, basis, basisEn }));
    });
  }

  // The same enterprise: company names equal once spacing, punctuation and 有限公司 are set aside.
  const enterprises = groupBy(
    originals.filter((r) => r.form === 'demand'),
    (r) => {
      const name = value(r, 'companyName');
      return typeof name === 'string' && name.trim() !== '' ? normalizeCompanyName(name) : null;
    },
  );
  for (const group of enterprises.values()) {
    pairs(group, (a, b) => {
      add(
        a.id,
        crossIssue('duplicate_enterprise', 'companyName', {
          other: b.id,
          otherName: String(value(b, 'companyName')),
        }),
      );
      add(
        b.id,
        crossIssue('duplicate_enterprise', 'companyName', {
          other: a.id,
          otherName: String(value(a, 'companyName')),
        }),
      );
    });
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null || k === '') continue;
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

function pairs<T>(items: readonly T[], f: (a: T, b: T) => void): void {
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) f(items[i] as T, items[j] as T);
}
