// Use cases of 对接: suggest professionals for the enterprises' demands and the technical problems
// from the records a person approved, and turn the pairs the bureau confirms into projects. `xietong
// match` (which also writes the workbook to mark) and the workbench's 对接 both call these.
import { type MatchConfig, type MatchResult, match, type ProjectStub } from '../match/index.js';
import { type CreateProjectsResult, createProjectsFromStubs } from '../projects/confirm.js';
import { currentRecord, type SqliteRecordStore } from '../store/index.js';
import type { SubmissionRecord } from '../types.js';

export interface ApprovedRecords {
  records: SubmissionRecord[];
  /** Every record stored (copies included). */
  total: number;
  /** First copies not yet approved: left out of the match. */
  pending: number;
}

/**
 * The records a person has approved (已核对), as they read now: only these are matched, so no
 * pair — and no agreement after it — starts from a value nobody checked.
 */
export async function approvedRecords(store: SqliteRecordStore): Promise<ApprovedRecords> {
  const all = await store.listRecords();
  return {
    records: all.filter((r) => r.status === 'verified').map(currentRecord),
    total: all.length,
    pending: all.filter((r) => r.status !== 'verified' && !r.copyOf).length,
  };
}

export interface SuggestOptions {
  /** Suggestions per demand or problem (default 5). */
  top?: number;
  config?: MatchConfig;
}

/** A confirmed pair, as the page and the workbook name it. */
export type MatchPair =
  | { kind: 'demand'; demandId: string; registrationId: string }
  | { kind: 'problem'; problemId: string; registrationId: string };

export interface Suggestions extends ApprovedRecords {
  result: MatchResult;
  /** "demandId registrationId" of the pairs that already have a project, with its id. */
  projects: Record<string, string>;
}

export const pairKey = (a: string, b: string): string => `${a} ${b}`;

export async function suggestMatches(
  store: SqliteRecordStore,
  options: SuggestOptions = {},
): Promise<Suggestions> {
  const approved = await approvedRecords(store);
  const result = match(approved.records, { config: options.config, top: options.top ?? 5 });
  const projects: Record<string, string> = {};
  for (const p of await store.listProjects()) {
    const { demand, problem, registration } = p.sources;
    if (registration && (demand ?? problem)) projects[pairKey(demand ?? problem ?? '', registration)] = p.id;
  }
  return { ...approved, result, projects };
}

export interface ConfirmOptions extends SuggestOptions {
  /** Who confirmed: kept in each new project's history. */
  by: string;
  /** Term start of the new projects (YYYY-MM-DD), its length in months and the funding asked. */
  start?: string;
  months?: number;
  funding?: number;
  year?: number;
  note?: string;
}

export interface ConfirmOutcome extends CreateProjectsResult {
  /** Pairs that are no longer among the suggestions (a record changed or was reopened since). */
  unknown: MatchPair[];
}

/**
 * Confirmed pairs → stored projects (state 已对接). A pair is looked up among the suggestions as
 * they stand now, so its score and names are today's; one that is no longer suggested is named
 * back rather than made into a project from a value nobody approved.
 */
export async function confirmMatches(
  store: SqliteRecordStore,
  pairs: readonly MatchPair[],
  options: ConfirmOptions,
): Promise<ConfirmOutcome> {
  const { result } = await suggestMatches(store, { top: options.top ?? 50, config: options.config });
  const stubs: ProjectStub[] = [];
  const unknown: MatchPair[] = [];
  for (const [i, pair] of pairs.entries()) {
    const at = { sheet: '工作台', row: i + 1 };
    if (pair.kind === 'demand') {
      const d = result.demands.find((x) => x.demandId === pair.demandId);
      const s = d?.suggestions.find((x) => x.registrationId === pair.registrationId);
      if (!d || !s) unknown.push(pair);
      else
        stubs.push({
          kind: 'demand',
          demandId: d.demandId,
          registrationId: s.registrationId,
          score: s.score,
          enterprise: d.enterprise,
          professional: s.professional,
          at,
        });
    } else {
      const p = result.problems.find((x) => x.problemId === pair.problemId);
      const s = p?.suggestions.find((x) => x.registrationId === pair.registrationId);
      if (!p || !s) unknown.push(pair);
      else
        stubs.push({
          kind: 'problem',
          problemId: p.problemId,
          registrationId: s.registrationId,
          score: s.score,
          title: p.title,
          professional: s.professional,
          at,
        });
    }
  }
  const created = await createProjectsInStore(store, stubs, options);
  return { ...created, unknown };
}

/** Stubs (from the page, or read off the marked workbook) → projects, built from the stored records. */
export async function createProjectsInStore(
  store: SqliteRecordStore,
  stubs: readonly ProjectStub[],
  options: ConfirmOptions,
  records?: readonly SubmissionRecord[],
): Promise<CreateProjectsResult> {
  return createProjectsFromStubs(stubs, records ?? (await store.listRecords()).map(currentRecord), store, {
    by: options.by,
    start: options.start,
    months: options.months,
    requestedFunding: options.funding,
    year: options.year,
    note: options.note,
  });
}
