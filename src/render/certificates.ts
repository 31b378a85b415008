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
import type { Party, Readiness } from '../projects/verify.js';
import type { PlanLegalOptions } from './agreements.js';
import {
  type DocumentJob,
  type DocumentPlan,
  dateOrBlank,
  documentName,
  formatAmount,
  MissingCollector,
  markForReview,
  printData,
  type RenderDocumentsSummary,
  renderDocuments,
  watermarkDrafts,
} from './documents.js';
import { professionalLine, termLine } from './scoresheets.js';

const CHECKED = '■';
const UNCHECKED = '□';
/** Rows left for hand-written names when the panel is not known yet. */
const BLANK_EXPERT_ROWS = 5;

/** States in which a certificate makes sense; others are skipped unless asked for. */
export const CERTIFICATE_STATES: readonly ProjectState[] = ['underway', 'accepted', 'notAccepted'];

/** Data keys whose values come from each party's form. */
const CERTIFICATE_PARTY_KEYS: Record<Party, readonly string[]> = {
  enterprise: ['enterprise.name'],
  professional: ['professional', 'unit.name'],
};

/** The template data of one certificate. Pure. */
export function planCertificate(project: Project, legal: PlanLegalOptions = {}): DocumentPlan {
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
  const enterpriseFunding = project.funding.enterprise;
  const data: Record<string, unknown> = {
    draftNote:
      legal.draft && legal.readiness?.problems.length ? '草稿（含未经核对或尚未填写的内容，不得签署）' : '',
    enterpriseFunding:
      enterpriseFunding != null && enterpriseFunding > 0 ? `${formatAmount(enterpriseFunding)}万元` : '无',
    fundingUse: m.take(acc?.fundingUse, 'fundingUse', '经费使用情况', 'acceptance.fundingUse'),
    enterpriseOpinion: m.take(
      acc?.enterpriseOpinion,
      'enterpriseOpinion',
      '甲方意见',
      'acceptance.enterpriseOpinion',
    ),
    unitOpinion: m.take(acc?.unitOpinion, 'unitOpinion', '派出单位意见', 'acceptance.unitOpinion'),
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
  // Without any acceptance data the certificate is a blank to fill by hand: say that once (the
  // other missing values are still listed by key). Every blank prints as a line to write on.
  const missing = acc ? m.list : m.list.filter((x) => !(x.path ?? x.key).startsWith('acceptance.'));
  const plan = markForReview(printData(data), missing, project, legal, CERTIFICATE_PARTY_KEYS);
  return { ...plan, warnings };
}

export interface RenderCertificatesOptions {
  outDir: string;
  pdf: boolean;
  /** Per project id: what keeps it from being issued (see projects/verify.ts). */
  readiness?: ReadonlyMap<string, Readiness>;
  draft?: boolean;
  converter?: PdfConverter;
  template?: string;
  /** Also projects not yet under way or accepted (a blank certificate to fill by hand). */
  all?: boolean;
}

export interface RenderCertificatesResult {
  summary: RenderDocumentsSummary;
  /** Projects left out: not at acceptance yet, or their 验收 did not pass. */
  skipped: { id: string; state: ProjectState; reason: string }[];
}

/**
 * A certificate certifies a passed 验收: a project whose conclusion is 需要复议 or 不通过 gets
 * none (the reason is listed); `all` asks for blank certificates of projects not accepted yet.
 */
function certificateWanted(p: Project, all: boolean | undefined): string | null {
  const conclusion = p.acceptance?.conclusion;
  if (conclusion && conclusion !== 'passed')
    return `验收结论为「${CONCLUSION_NAMES[conclusion]}」，不出具验收证书`;
  if (p.state === 'notAccepted') return '项目验收未通过，不出具验收证书';
  if (all || conclusion === 'passed') return null;
  return CERTIFICATE_STATES.includes(p.state) ? '尚无验收结论' : '尚未到验收阶段';
}

/** Writes `<outDir>/2020-XT-001 企业-乙方-验收证书.docx` (+ .pdf). */
export async function renderCertificates(
  projects: readonly Project[],
  options: RenderCertificatesOptions,
): Promise<RenderCertificatesResult> {
  const skipped: RenderCertificatesResult['skipped'] = [];
  const chosen = projects.filter((p) => {
    const reason = certificateWanted(p, options.all);
    if (reason) skipped.push({ id: p.id, state: p.state, reason });
    return reason === null;
  });
  const jobs: DocumentJob[] = chosen.map((p) => {
    const readiness = options.readiness?.get(p.id);
    return {
      id: p.id,
      name: documentName(p, '验收证书'),
      outcome:
        readiness && readiness.problems.length > 0 && !options.draft
          ? { ok: false, errors: readiness.problems.map((x) => x.message) }
          : { ok: true, plan: planCertificate(p, { readiness, draft: options.draft }) },
    };
  });
  const summary = await renderDocuments('certificate', jobs, options);
  if (options.draft) await watermarkDrafts(summary, options.readiness);
  return { summary, skipped };
}
