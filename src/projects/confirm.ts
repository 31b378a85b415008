// Confirmed pairs → stored projects. Shared by `xietong match confirm --create` (pairs the bureau
// marked 是) and the demo (each demand's top suggestion taken as confirmed). A pair whose project
// is already stored is left alone: it may have moved on (signed, funded) since it was created.
import type { MatchResult, ProjectStub } from '../match/index.js';
import type { ProjectRepository } from '../store/projects.js';
import type { SubmissionRecord } from '../types.js';
import { type DemandStub, type FromMatchOptions, projectFromMatch } from './from-match.js';
import type { Project } from './types.js';

export interface CreateProjectsOptions extends FromMatchOptions {
  /** Who confirmed the pairs: recorded in each project's history. */
  by: string;
  /** Programme year of the new projects' numbers (default: the term's start year, else this year). */
  year?: number;
  note?: string;
}

export interface CreatedProject {
  project: Project;
  missing: string[];
  notes: string[];
}

export interface CreateProjectsResult {
  created: CreatedProject[];
  /** Pairs whose project was stored before: not touched. */
  existing: Project[];
  /** Pairs no project could be built for, with the reasons. */
  skipped: { pair: string; problems: string[] }[];
}

const pairOf = (s: ProjectStub): string =>
  s.kind === 'demand' ? `${s.demandId} ↔ ${s.registrationId}` : `${s.problemId} ↔ ${s.registrationId}`;

/** Builds and stores a project for each confirmed demand pair; problems are reported, not stored. */
export async function createProjectsFromStubs(
  stubs: readonly ProjectStub[],
  records: readonly SubmissionRecord[],
  store: ProjectRepository,
  options: CreateProjectsOptions,
): Promise<CreateProjectsResult> {
  const { by, note, ...build } = options;
  const result: CreateProjectsResult = { created: [], existing: [], skipped: [] };
  for (const stub of stubs) {
    if (stub.kind !== 'demand') {
      // 难题征集表 carries no enterprise block the agreement needs; its pairs wait for a person.
      result.skipped.push({
        pair: pairOf(stub),
        problems: ['重大技术难题的对接暂不自动生成项目 / problem pairs are not turned into projects yet'],
      });
      continue;
    }
    // A pair is found again by its two records, so confirming a workbook twice adds nothing; a new
    // pair takes the next readable number of the programme year, kept from then on.
    const stored = build.id
      ? await store.getProject(build.id)
      : await store.findProjectBySources({ demand: stub.demandId, registration: stub.registrationId });
    if (stored) {
      result.existing.push(stored);
      continue;
    }
    const year = build.year ?? Number((build.start ?? new Date().toISOString()).slice(0, 4));
    const id = build.id ?? (await store.nextProjectId(year));
    const built = projectFromMatch(stub, records, { ...build, id });
    if (!built.ok) {
      result.skipped.push({ pair: pairOf(stub), problems: built.problems });
      continue;
    }
    await store.putProject(built.project, {
      by,
      note: note ?? `对接确认（得分 ${stub.score ?? '—'}） / confirmed match`,
    });
    result.created.push({ project: built.project, missing: built.missing, notes: built.notes });
  }
  return result;
}

/** Each demand's first suggestion as a confirmed pair (the demo stands in for the bureau's marks). */
export function topSuggestionStubs(matchResult: MatchResult): DemandStub[] {
  return matchResult.demands.flatMap((d, i): DemandStub[] => {
    const top = d.suggestions[0];
    if (!top) return [];
    return [
      {
        kind: 'demand',
        demandId: d.demandId,
        registrationId: top.registrationId,
        score: top.score,
        enterprise: d.enterprise,
        professional: top.professional,
        at: { sheet: 'top', row: i + 1 },
      },
    ];
  });
}

/**
 * The demo's step from suggestions to projects: the top suggestion of each demand is treated as
 * confirmed and stored. Returns the projects now stored for those pairs (new or already there);
 * demands whose pair cannot be built (e.g. no needs filled) are left out of the list.
 */
export async function confirmTopSuggestions(
  matchResult: MatchResult,
  records: readonly SubmissionRecord[],
  store: ProjectRepository,
  options: Partial<CreateProjectsOptions> = {},
): Promise<Project[]> {
  const result = await createProjectsFromStubs(topSuggestionStubs(matchResult), records, store, {
    ...options,
    by: options.by ?? 'xietong demo',
    note: options.note ?? '演示：取每份需求的第一推荐 / demo: top suggestion taken as confirmed',
  });
  return [...result.created.map((c) => c.project), ...result.existing];
}
