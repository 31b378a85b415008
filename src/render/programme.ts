// The rest of the programme's paper, each from the store's projects: the experts' sign-in sheet with
// their 回避承诺 (one for a review session), the panel's 专家组综合意见表, the 验收申请表 and the
// 甲方评价意见表 (one per project). The wording and layout are in templates/ (made by
// scripts/make-programme-templates.ts, edited in Word); the plans here only decide what each line
// says. A value the store does not have prints as a line to write on (＿＿＿＿), never as nothing.
import type { PdfConverter } from '../convert/index.js';
import { formatChineseDate, type Project, type ProjectState, termMonths } from '../projects/types.js';
import type { PanelExpert } from '../scores/experts.js';
import {
  BLANK,
  blankNulls,
  type DocumentJob,
  type DocumentPlan,
  dateOrBlank,
  documentName,
  formatAmount,
  printData,
  type RenderDocumentsSummary,
  renderDocuments,
} from './documents.js';
import { professionalLine, termLine, workModeOf } from './scoresheets.js';

const CHECKED = '■';
const UNCHECKED = '□';
/** Rows for experts whose names are written on the day, when the panel is not known. */
const BLANK_EXPERT_ROWS = 7;

/** Projects that went before the panel: signed, not merely matched. */
export const EVALUATED_STATES: readonly ProjectState[] = [
  'agreed',
  'evaluated',
  'funded',
  'underway',
  'accepted',
  'notAccepted',
];
/** Projects that were funded and so are accepted at the end of their term. */
export const FUNDED_STATES: readonly ProjectState[] = ['funded', 'underway', 'accepted', 'notAccepted'];

const amount = (wan: number | null | undefined): string | null =>
  wan === null || wan === undefined ? null : `${formatAmount(wan)}万元`;

/** The term with its length, as the agreement counts it: 2020年9月1日至2021年8月31日（共12个月）. */
function termWithMonths(p: Project): string | null {
  const line = termLine(p);
  if (!line || !p.term.start || !p.term.end) return line;
  return `${line}（共${termMonths(p.term.start, p.term.end)}个月）`;
}

const workMode = (p: Project): string =>
  p.fullTime
    ? workModeOf(p)
    : `${workModeOf(p)}${p.daysPerYear ? `，每年在企业工作不少于${p.daysPerYear}天` : ''}`;

/** What every per-project form starts with. */
function projectFacts(p: Project): Record<string, string | null> {
  return {
    'project.id': p.id,
    'project.title': p.title,
    'enterprise.name': p.enterprise.name,
    'enterprise.district': p.enterprise.district ?? null,
    professional: professionalLine(p),
    'unit.name': p.dispatchingUnit.name,
    term: termWithMonths(p),
    workMode: workMode(p),
  };
}

/** 航空零部件制造技术团队（戴明远）, or the person's name: short enough for a list's cell. */
export const teamOrPerson = (p: Project): string =>
  p.professional.teamName ? `${p.professional.teamName}（${p.professional.name}）` : p.professional.name;

const finish = (data: Record<string, unknown>, warnings: string[] = []): DocumentPlan => ({
  data: printData(blankNulls(data)),
  missing: [],
  warnings,
});

// ---- 专家评审签到表 --------------------------------------------------------------------------------

/**
 * The sign-in sheet of one review session: the projects reviewed (so each expert sees whom the
 * 回避承诺 is about) and a row per expert. `experts` empty: rows to write names in on the day.
 */
export function planSignIn(
  projects: readonly Project[],
  experts: readonly PanelExpert[],
  date: string | null,
): DocumentPlan {
  const rows = experts.length
    ? experts.map((e, i) => ({
        no: String(i + 1),
        name: e.name ?? '',
        employer: e.name ? (e.employer ?? null) : '',
        title: e.name ? (e.title ?? null) : '',
        phone: '',
        time: '',
        signature: '',
      }))
    : Array.from({ length: BLANK_EXPERT_ROWS }, (_, i) => ({
        no: String(i + 1),
        name: '',
        employer: '',
        title: '',
        phone: '',
        time: '',
        signature: '',
      }));
  return finish({
    date: date ? formatChineseDate(date) : dateOrBlank(null),
    place: BLANK,
    projects: projects.map((p, i) => ({
      no: String(i + 1),
      id: p.id,
      title: p.title,
      enterprise: p.enterprise.name,
      professional: teamOrPerson(p),
      unit: p.dispatchingUnit.name,
    })),
    experts: rows,
  });
}

// ---- 专家组综合意见表 ------------------------------------------------------------------------------

/** The panel's overall opinion on one project: facts, scores and the proposal, boxes for the panel. */
export function planGroupOpinion(
  p: Project,
  count: number,
  experts: readonly PanelExpert[],
  sessionDate: string | null = null,
): DocumentPlan {
  const e = p.evaluation;
  const proposed = e.proposed ?? null;
  const decided = e.rank !== null && e.rank !== undefined;
  // The project's own panel (scores import records it), with what the panel file knows of each;
  // the panel file alone when the store has none.
  const known = (x: { id?: string; name: string }) =>
    experts.find((e) => e.key === (x.id ?? x.name) || e.name === x.name);
  const own = (e.experts ?? []).map((x) => ({
    name: x.name,
    employer: x.employer ?? known(x)?.employer ?? null,
    title: x.title ?? known(x)?.title ?? null,
  }));
  const panel = (
    own.length ? own : experts.map((x) => ({ name: x.name, employer: x.employer, title: x.title }))
  ).map((x, i) => ({
    no: String(i + 1),
    name: x.name ?? '',
    employer: x.name ? x.employer : '',
    title: x.name ? x.title : '',
  }));
  const doubts = [...p.doubts];
  return finish({
    ...projectFacts(p),
    requested: amount(p.funding.requested),
    date: dateOrBlank(e.date ?? sessionDate),
    expertCount: panel.length ? `${panel.length}人` : null,
    mean: e.mean !== null && e.mean !== undefined ? e.mean.toFixed(2) : null,
    rank: decided ? `第${e.rank}名（共${count}个项目）` : e.note ? `未能排序：${e.note}` : null,
    doubts: doubts.length ? doubts.join('；') : '无',
    opinion: '',
    'box.recommend': decided && proposed !== null && proposed > 0 ? CHECKED : UNCHECKED,
    'box.notRecommend': decided && (proposed === null || proposed === 0) ? CHECKED : UNCHECKED,
    proposed: proposed !== null && proposed > 0 ? `${formatAmount(proposed)}万元` : decided ? '不资助' : null,
    experts: panel.length
      ? panel
      : Array.from({ length: 5 }, (_, i) => ({ no: String(i + 1), name: '', employer: '', title: '' })),
  });
}

// ---- 验收申请表 ------------------------------------------------------------------------------------

/** What 乙方 hands in at the end of the term: the agreed goals to report on, the money to account for. */
export function planAcceptanceApplication(p: Project): DocumentPlan {
  const acc = p.acceptance;
  const pro = p.professional;
  return finish({
    ...projectFacts(p),
    contact: pro.phone ? `${pro.name}　${pro.phone}` : `${pro.name}　联系电话：${BLANK}`,
    goals: p.goals.length
      ? p.goals.map((goal, i) => ({
          no: String(i + 1),
          goal,
          result: acc?.results.find((r) => r.goal === i + 1)?.result ?? '',
        }))
      : [{ no: '1', goal: BLANK, result: '' }],
    granted: p.funding.granted != null ? formatAmount(p.funding.granted) : BLANK,
    enterpriseFunding: p.funding.enterprise != null ? formatAmount(p.funding.enterprise) : BLANK,
    fundingUse: acc?.fundingUse ?? '',
    summary: '',
  });
}

// ---- 甲方评价意见表 --------------------------------------------------------------------------------

/** The enterprise's evaluation of the professional's work, for the acceptance. */
export function planEnterpriseEvaluation(p: Project): DocumentPlan {
  const contact = p.enterprise.contactPerson
    ? `${p.enterprise.contactPerson}${p.enterprise.contactPhone ? `　${p.enterprise.contactPhone}` : ''}`
    : null;
  return finish({
    ...projectFacts(p),
    opinion: p.acceptance?.enterpriseOpinion ?? '',
    'enterprise.contact': contact,
  });
}

/**
 * The panel as the store knows it (scores import writes each project's experts back): every expert
 * of the projects, once, in the order met. Employer and title only when some project has them.
 */
export function panelOf(projects: readonly Project[]): PanelExpert[] {
  const out: PanelExpert[] = [];
  for (const p of projects) {
    for (const e of p.evaluation.experts ?? []) {
      const key = e.id ?? e.name;
      const known = out.find((x) => x.key === key);
      if (known) {
        known.title ??= e.title ?? null;
        known.employer ??= e.employer ?? null;
      } else out.push({ key, name: e.name, title: e.title ?? null, employer: e.employer ?? null });
    }
  }
  return out;
}

// ---- rendering -----------------------------------------------------------------------------------

export interface RenderProgrammeOptions {
  outDir: string;
  pdf: boolean;
  converter?: PdfConverter;
  template?: string;
}

export const signInName = (date: string | null): string =>
  `专家评审签到表${date ? `-${formatChineseDate(date)}` : ''}`;

/** One sign-in sheet for the session that reviews `projects`. */
export function renderSignIn(
  projects: readonly Project[],
  experts: readonly PanelExpert[],
  date: string | null,
  options: RenderProgrammeOptions,
): Promise<RenderDocumentsSummary> {
  const job: DocumentJob = {
    id: 'signin',
    name: signInName(date),
    outcome: { ok: true, plan: planSignIn(projects, experts, date) },
  };
  return renderDocuments('signin', [job], options);
}

/** `date`: the review session's, for projects whose own evaluation date the store lacks. */
export function renderGroupOpinions(
  projects: readonly Project[],
  experts: readonly PanelExpert[],
  options: RenderProgrammeOptions & { date?: string | null },
): Promise<RenderDocumentsSummary> {
  const jobs = projects.map((p) => ({
    id: p.id,
    name: documentName(p, '专家组综合意见表'),
    outcome: { ok: true as const, plan: planGroupOpinion(p, projects.length, experts, options.date ?? null) },
  }));
  return renderDocuments('groupopinion', jobs, options);
}

export function renderAcceptanceApplications(
  projects: readonly Project[],
  options: RenderProgrammeOptions,
): Promise<RenderDocumentsSummary> {
  const jobs = projects.map((p) => ({
    id: p.id,
    name: documentName(p, '验收申请表'),
    outcome: { ok: true as const, plan: planAcceptanceApplication(p) },
  }));
  return renderDocuments('acceptanceapp', jobs, options);
}

export function renderEnterpriseEvaluations(
  projects: readonly Project[],
  options: RenderProgrammeOptions,
): Promise<RenderDocumentsSummary> {
  const jobs = projects.map((p) => ({
    id: p.id,
    name: documentName(p, '甲方评价意见表'),
    outcome: { ok: true as const, plan: planEnterpriseEvaluation(p) },
  }));
  return renderDocuments('enterpriseeval', jobs, options);
}
