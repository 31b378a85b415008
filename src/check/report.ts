// The check report for people: issues grouped by record, in Chinese (or English), then a count
// summary. The same report is also printed as JSON (`xietong check --json`).
import { FORMS } from '../forms/index.js';
import { FORM_KINDS, type Issue, type Severity } from '../types.js';
import type { CheckReport } from './index.js';

export type Lang = 'zh' | 'en';

const SEVERITY_TEXT: Record<Lang, Record<Severity, string>> = {
  zh: { error: '✗ 错误', warning: '! 警告', info: '· 提示' },
  en: { error: '✗ error', warning: '! warning', info: '· info' },
};
const STATUS_TEXT: Record<Lang, Record<'pending' | 'verified', string>> = {
  zh: { pending: '待审核', verified: '已核对' },
  en: { pending: 'pending', verified: 'verified' },
};
const FORM_EN = { registration: 'registration', demand: 'demand', problem: 'problem' } as const;

export const issueText = (issue: Issue, lang: Lang): string =>
  lang === 'en' ? (issue.messageEn ?? issue.message) : issue.message;

export function reportText(report: CheckReport, lang: Lang = 'zh', options: { all?: boolean } = {}): string {
  const lines: string[] = [];
  for (const r of report.records) {
    if (r.issues.length === 0 && !options.all) continue;
    const form = lang === 'en' ? FORM_EN[r.form] : FORMS[r.form].shortName;
    const copy = r.copyOf ? (lang === 'en' ? ` (copy of ${r.copyOf})` : `（${r.copyOf} 的另一份）`) : '';
    lines.push(`${form} ${r.id} ${r.title || '—'} · ${STATUS_TEXT[lang][r.status]}${copy}`);
    if (r.issues.length === 0) lines.push(lang === 'en' ? '  (no issues)' : '  （无问题）');
    for (const i of r.issues)
      lines.push(`  ${SEVERITY_TEXT[lang][i.severity]}  ${issueText(i, lang)} [${i.code}]`);
    lines.push('');
  }
  lines.push(summaryText(report, lang));
  return lines.join('\n');
}

export function summaryText(report: CheckReport, lang: Lang = 'zh'): string {
  const s = report.summary;
  const forms = FORM_KINDS.map((k) =>
    lang === 'en' ? `${s.byForm[k]} ${FORM_EN[k]}` : `${FORMS[k].shortName} ${s.byForm[k]}`,
  );
  const codes = Object.entries(s.byCode)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  if (lang === 'en') {
    return [
      `Checked ${s.records} records (${forms.join(', ')}; ${s.copies} second copies), ${s.recordsWithIssues} with issues: ` +
        `${s.bySeverity.error} errors, ${s.bySeverity.warning} warnings, ${s.bySeverity.info} info.`,
      ...(codes ? [`By code: ${codes}`] : []),
    ].join('\n');
  }
  return [
    `共检查 ${s.records} 份记录（${forms.join('、')}；一式二份副本 ${s.copies}），其中 ${s.recordsWithIssues} 份有问题：` +
      `错误 ${s.bySeverity.error} 条，警告 ${s.bySeverity.warning} 条，提示 ${s.bySeverity.info} 条。`,
    ...(codes ? [`按类型 / by code: ${codes}`] : []),
  ].join('\n');
}
