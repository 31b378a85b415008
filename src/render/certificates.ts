// 验收证书: at the end of the term the bureau and an expert panel check the agreed goals against
// the results (notice 四（三）). The certificate records the project, the parties, the period, each
// goal with its result, the panel's opinion and conclusion (通过 / 需要复议 / 不通过), the panel's
// signatures and the bureau's seal — the seal and signatures as blank areas for ink.
import type { PdfConverter } from '../convert/index.js';
import {
  ASSESSMENT_NAMES,
  CONCLUSION_NAMES,
  CONCLUSIONS,
  type Project,
  type ProjectState,
} from '../projects/types.js';
import {
  type DocumentJob,
  type DocumentPlan,
  dateOrBlank,
  formatAmount,
  MissingCollector,
  printData,
  type RenderDocumentsSummary,
  renderDocuments,
} from './documents.js';
import { professionalLine, termLine } from './scoresheets.js';

const CHECKED = '■';
const UNCHECKED = '□';
/** Rows left for hand-written names when the panel is not known yet. */
const BLANK_EXPERT_ROWS = 5;

/** States in which a certificate makes sense; others are skipped unless asked for. */
export const CERTIFICATE_STATES: readonly ProjectState[] = ['underway', 'accepted', 'notAccepted'];

/** The template data of one certificate. Pure. */
export function planCertificate(project: Project): DocumentPlan {
  const m = new MissingCollector();
  const warnings: string[] = [];
  const acc = project.acceptance;
  if (!acc) m.add('acceptance', '验收信息（acceptance）');

  const results: { no: string; goal: string; result: string | null; assessment: string | null }[] = [];
  project.goals.forEach((goal, i) => {
    const found = acc?.results.find((r) => r.goal === i + 1);
    results.push({
      no: String(i + 1),
      goal,
      result: m.take(found?.result, `acceptance.results[goal ${i + 1}].result`, `目标 ${i + 1} 的完成情况`),
      assessment: found?.assessment
        ? ASSESSMENT_NAMES[found.assessment]
        : m.take(null, `acceptance.results[goal ${i + 1}].assessment`, `目标 ${i + 1} 的完成评价`),
    });
  });
  for (const extra of acc?.results.filter((r) => r.goal === undefined) ?? []) {
    results.push({
      no: String(results.length + 1),
      goal: '（协议外成果）',
      result: extra.result ?? '',
      assessment: extra.assessment ? ASSESSMENT_NAMES[extra.assessment] : '',
    });
  }
  if (project.goals.length === 0) m.add('goals', '协议约定的工作目标');
  if (results.length === 0) results.push({ no: '', goal: '', result: '', assessment: '' });

  const conclusion = acc?.conclusion ?? null;
  if (!conclusion) m.add('conclusion', '验收结论', 'acceptance.conclusion');
  if (conclusion === 'passed' && project.state === 'notAccepted') {
    warnings.push('验收结论为「通过」，但项目状态为 notAccepted（验收未通过）：请核对');
  }
  if ((conclusion === 'failed' || conclusion === 'reconsider') && project.state === 'accepted') {
    warnings.push(`验收结论为「${CONCLUSION_NAMES[conclusion]}」，但项目状态为 accepted（验收通过）：请核对`);
  }
  if (conclusion === 'passed' && results.some((r) => r.assessment === ASSESSMENT_NAMES.notMet)) {
    warnings.push('有目标未完成，但验收结论为「通过」：请核对专家组意见');
  }

  const panel = acc?.experts ?? [];
  if (panel.length === 0) m.add('acceptance.experts', '验收专家组名单');
  const experts =
    panel.length > 0
      ? panel.map((e, i) => ({
          no: String(i + 1),
          name: e.name,
          employer: e.employer ?? '',
          title: e.title ?? '',
          role: e.role ?? (i === 0 ? '组长' : '成员'),
        }))
      : Array.from({ length: BLANK_EXPERT_ROWS }, (_, i) => ({
          no: String(i + 1),
          name: '',
          employer: '',
          title: '',
          role: '',
        }));

  const granted = project.funding.granted;
  const data: Record<string, unknown> = {
    certificateNo: m.take(acc?.certificateNo, 'certificateNo', '证书编号', 'acceptance.certificateNo'),
    'project.id': project.id,
    'project.title': project.title,
    'enterprise.name': project.enterprise.name,
    professional: professionalLine(project),
    'unit.name': project.dispatchingUnit.name,
    period: m.take(termLine(project), 'period', '实施期限', 'term'),
    workMode: project.fullTime ? '全职入企' : '兼职入企',
    funding:
      granted != null
        ? `${formatAmount(granted)}万元`
        : m.take(null, 'funding', '市科技局支持经费', 'funding.granted'),
    'acceptance.date': acc?.date ? dateOrBlank(acc.date) : m.take(null, 'acceptance.date', '验收日期'),
    'acceptance.method': acc?.method ?? '现场考察、质询',
    results,
    opinion: m.take(acc?.opinion, 'opinion', '验收专家组意见', 'acceptance.opinion'),
    ...Object.fromEntries(CONCLUSIONS.map((c) => [`box.${c}`, conclusion === c ? CHECKED : UNCHECKED])),
    conclusion: conclusion ? CONCLUSION_NAMES[conclusion] : '',
    experts,
  };
  if (acc) return { data: printData(data), missing: m.list, warnings };
  // Without any acceptance data the certificate is a blank to fill by hand: say that once, and
  // print its blanks as blanks (the other missing values are still listed by key).
  const missing = m.list.filter((x) => !(x.path ?? x.key).startsWith('acceptance.'));
  return { data: printData(blankNulls(data)), missing, warnings };
}

function blankNulls<T>(value: T): T {
  if (value === null) return '' as T;
  if (Array.isArray(value)) return value.map(blankNulls) as T;
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, blankNulls(v)])) as T;
  }
  return value;
}

export interface RenderCertificatesOptions {
  outDir: string;
  pdf: boolean;
  converter?: PdfConverter;
  template?: string;
  /** Also projects not yet under way or accepted (a blank certificate to fill by hand). */
  all?: boolean;
}

export interface RenderCertificatesResult {
  summary: RenderDocumentsSummary;
  /** Projects left out: not at acceptance yet. */
  skipped: { id: string; state: ProjectState }[];
}

/** Writes `<outDir>/<project id>-验收证书.docx` (+ .pdf). */
export async function renderCertificates(
  projects: readonly Project[],
  options: RenderCertificatesOptions,
): Promise<RenderCertificatesResult> {
  const chosen = projects.filter(
    (p) => options.all || CERTIFICATE_STATES.includes(p.state) || p.acceptance !== undefined,
  );
  const skipped = projects.filter((p) => !chosen.includes(p)).map((p) => ({ id: p.id, state: p.state }));
  const jobs: DocumentJob[] = chosen.map((p) => ({
    id: p.id,
    name: `${p.id}-验收证书`,
    outcome: { ok: true, plan: planCertificate(p) },
  }));
  return { summary: await renderDocuments('certificate', jobs, options), skipped };
}
