// Use cases of 项目: list the projects, show one with its history, edit its terms, move its state.
// An edit and a move name the version of the project the person saw: a project changed since (by
// another clerk, or by `scores import` writing back the evaluation) is refused as a conflict rather
// than overwritten. `xietong project` and the workbench's 项目 both call these.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NEXT_STATES } from '../projects/state.js';
import {
  DUTIES,
  DUTY_NAMES,
  FUNDING_MAX,
  FUNDING_MIN,
  type Project,
  ProjectSchema,
  type ProjectState,
  STATE_NAMES,
} from '../projects/types.js';
import { type Readiness, readiness, type SourceRecordState } from '../projects/verify.js';
import {
  type ProjectChange,
  type ProjectHistoryEntry,
  type SqliteRecordStore,
  StoreError,
  titleOf,
} from '../store/index.js';

/** What the person saw: a hash of the stored project, named back by an edit or a move. */
export const projectVersion = (p: Project): string =>
  createHash('sha256').update(JSON.stringify(p)).digest('hex').slice(0, 16);

export interface NextState {
  state: ProjectState;
  name: string;
}

export interface ProjectSummary {
  project: Project;
  version: string;
  stateName: string;
  /** The states the programme allows next (none once accepted or not accepted). */
  next: NextState[];
}

const summary = (p: Project): ProjectSummary => ({
  project: p,
  version: projectVersion(p),
  stateName: STATE_NAMES[p.state],
  next: NEXT_STATES[p.state].map((s) => ({ state: s, name: STATE_NAMES[s] })),
});

export async function listProjectSummaries(
  store: SqliteRecordStore,
  filter: { state?: ProjectState } = {},
): Promise<ProjectSummary[]> {
  return (await store.listProjects(filter)).map(summary);
}

export interface ProjectDetail extends ProjectSummary {
  history: ProjectHistoryEntry[];
  changes: ProjectChange[];
  /** What keeps the agreement from being signed: unapproved records, empty terms. */
  agreement: Readiness;
}

/** The state of every record the database holds, for the legal-document checks. */
export async function recordStates(store: SqliteRecordStore): Promise<Map<string, SourceRecordState>> {
  return new Map(
    (await store.listRecords()).map((r) => [
      r.id,
      { id: r.id, form: r.form, verified: r.status === 'verified', title: titleOf(r) },
    ]),
  );
}

export async function projectDetail(store: SqliteRecordStore, id: string): Promise<ProjectDetail> {
  const project = await store.getProject(id);
  if (!project) throw new StoreError('record_not_found', `找不到项目 ${id}。`, `No project ${id}.`);
  return {
    ...summary(project),
    history: await store.projectHistory(id),
    changes: await store.projectChanges(id),
    agreement: readiness(project, 'agreement', await recordStates(store)),
  };
}

const text = z.string().trim().max(2000);
const optionalText = text.nullable().optional();
const amount = z.number().min(0).max(1000).nullable().optional();

/**
 * The terms a clerk fills in on the page: the parties' details, title, goals, period, mode, days and
 * money. Identity (id, sources) and state are not terms: state moves by moveProject only.
 */
export const ProjectTermsSchema = z.strictObject({
  title: text.min(1).optional(),
  enterprise: z
    .strictObject({
      name: text.min(1).optional(),
      legalRepresentative: optionalText,
      contactPerson: optionalText,
      contactPhone: optionalText,
      address: optionalText,
    })
    .optional(),
  professional: z
    .strictObject({
      name: text.min(1).optional(),
      professionalTitle: optionalText,
      employerAndPosition: optionalText,
      phone: optionalText,
    })
    .optional(),
  dispatchingUnit: z
    .strictObject({
      name: text.min(1).optional(),
      legalRepresentative: optionalText,
      contactPerson: optionalText,
      contactPhone: optionalText,
      address: optionalText,
    })
    .optional(),
  tasks: z.array(z.enum(DUTIES)).max(DUTIES.length).optional(),
  goals: z.array(text.min(1)).max(20).optional(),
  position: optionalText,
  term: z.strictObject({ start: optionalText, end: optionalText }).optional(),
  fullTime: z.boolean().optional(),
  daysPerMonth: z.number().int().nullable().optional(),
  daysPerYear: z.number().int().nullable().optional(),
  funding: z.strictObject({ requested: amount, granted: amount, enterprise: amount }).optional(),
});
export type ProjectTerms = z.infer<typeof ProjectTermsSchema>;

/** Chinese names of the terms, for the messages that name a bad value. */
export const TERM_LABELS: Record<string, string> = {
  title: '项目名称',
  'enterprise.name': '甲方企业名称',
  'professional.name': '乙方姓名',
  'dispatchingUnit.name': '丙方派出单位',
  tasks: '合作任务',
  goals: '考核指标',
  position: '协同创新岗位',
  'term.start': '开始日期',
  'term.end': '结束日期',
  fullTime: '入企方式',
  daysPerMonth: '每月在企天数',
  daysPerYear: '每年在企天数',
  'funding.requested': '申请资助经费',
  'funding.granted': '核定资助经费',
  'funding.enterprise': '企业配套经费',
  term: '合作期限',
  'enterprise.address': '甲方地址',
  'enterprise.legalRepresentative': '甲方法定代表人',
  'professional.gender': '乙方性别',
  'professional.teamSize': '团队入企人数',
  'dispatchingUnit.legalRepresentative': '丙方法定代表人',
  'dispatchingUnit.contactPerson': '丙方联系人',
  'dispatchingUnit.address': '丙方地址',
};

/** A term's Chinese name for the clerk, with its key for scripts: 甲方地址（enterprise.address）. */
export const termLabel = (path: string): string =>
  TERM_LABELS[path] ? `${TERM_LABELS[path]}（${path}）` : path;

/** Empty text is "not filled": null, as the project file writes it. */
const blankToNull = <T extends Record<string, unknown>>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, v === '' ? null : v])) as Partial<T>;

/** The project with the terms applied; the whole is checked by the project schema afterwards. */
export function withTerms(p: Project, t: ProjectTerms): unknown {
  const tasks = t.tasks?.map((duty) => p.tasks.find((x) => x.duty === duty) ?? { duty });
  return {
    ...p,
    ...(t.title !== undefined ? { title: t.title } : {}),
    enterprise: { ...p.enterprise, ...blankToNull(t.enterprise) },
    professional: { ...p.professional, ...blankToNull(t.professional) },
    dispatchingUnit: { ...p.dispatchingUnit, ...blankToNull(t.dispatchingUnit) },
    ...(tasks !== undefined ? { tasks } : {}),
    ...(t.goals !== undefined ? { goals: t.goals } : {}),
    ...(t.position !== undefined ? { position: t.position || null } : {}),
    term: { ...p.term, ...blankToNull(t.term) },
    ...(t.fullTime !== undefined ? { fullTime: t.fullTime } : {}),
    ...(t.daysPerMonth !== undefined ? { daysPerMonth: t.daysPerMonth } : {}),
    ...(t.daysPerYear !== undefined ? { daysPerYear: t.daysPerYear } : {}),
    funding: { ...p.funding, ...(t.funding ?? {}) },
  };
}

/** A schema message in Chinese for the clerk: which term, and what it must be. */
function termProblem(issue: z.core.$ZodIssue): string {
  const path = issue.path.filter((k) => typeof k === 'string').join('.');
  const label = TERM_LABELS[path] ?? path;
  if (path.startsWith('funding.') && path !== 'funding.enterprise') {
    return `${label}须在 ${FUNDING_MIN}–${FUNDING_MAX} 万元之间（通知 四（二）2）`;
  }
  if (path.startsWith('term.')) return `${label}须为日期，例如 2020-07-01`;
  if (path === 'tasks') return `${label}至少选一项：${DUTIES.map((d) => DUTY_NAMES[d]).join('、')}`;
  if (path === 'daysPerMonth') return `${label}须为 1–31 的整数`;
  if (path === 'daysPerYear') return `${label}须为 1–366 的整数`;
  return `${label}：${issue.message}`;
}

export type EditOutcome =
  | { ok: true; outcome: 'updated' | 'unchanged'; detail: ProjectDetail }
  | { ok: false; reason: 'invalid'; problems: string[] };

/** Saves the terms (every changed value kept with who and when), or says which term is wrong. */
export async function editProjectTerms(
  store: SqliteRecordStore,
  id: string,
  input: { version: string; terms: ProjectTerms; by: string; note?: string },
): Promise<EditOutcome> {
  const current = await seen(store, id, input.version);
  const candidate = withTerms(current, input.terms);
  const parsed = ProjectSchema.safeParse(candidate);
  if (!parsed.success)
    return { ok: false, reason: 'invalid', problems: parsed.error.issues.map(termProblem) };
  const { start, end } = parsed.data.term;
  if (start && end && end < start) {
    return { ok: false, reason: 'invalid', problems: ['结束日期早于开始日期'] };
  }
  const outcome = await store.putProject(parsed.data, {
    by: input.by,
    note: input.note ?? '工作台录入项目条款',
  });
  return {
    ok: true,
    outcome: outcome === 'unchanged' ? 'unchanged' : 'updated',
    detail: await projectDetail(store, id),
  };
}

/** Moves a project one step on; a move the programme does not allow is refused (StoreError). */
export async function moveProject(
  store: SqliteRecordStore,
  id: string,
  to: ProjectState,
  input: { by: string; note?: string; version?: string },
): Promise<{ entry: ProjectHistoryEntry; detail: ProjectDetail }> {
  if (input.version !== undefined) await seen(store, id, input.version);
  const entry = await store.setProjectState(id, to, { by: input.by, note: input.note });
  return { entry, detail: await projectDetail(store, id) };
}

/** The stored project, if it is still the version the person saw. */
async function seen(store: SqliteRecordStore, id: string, version: string): Promise<Project> {
  const current = await store.getProject(id);
  if (!current) throw new StoreError('record_not_found', `找不到项目 ${id}。`, `No project ${id}.`);
  if (projectVersion(current) !== version) {
    throw new StoreError(
      'conflict',
      `项目 ${id} 在您打开后已被修改（可能是其他人或评分导入）。请刷新后再改。`,
      `Project ${id} changed since you loaded it: reload and edit again.`,
    );
  }
  return current;
}
