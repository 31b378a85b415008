// The evaluation's outcome written back into the projects of the store: who scored, the mean, the
// rank, the proposed funding and, for a project that could not be ranked, why. The store keeps
// each changed value with who imported it and when, so the proposal in a project can be traced to
// the workbooks it came from. Only the evaluation block changes: the funding decision (granted) is
// the bureau's, entered in the project terms workbook.
import type { Expert, Project } from '../projects/types.js';
import type { ProjectRepository } from '../store/projects.js';
import type { Aggregation } from './aggregate.js';

export interface WriteBackResult {
  updated: string[];
  unchanged: string[];
  /** Ranked project ids the store does not hold. */
  unknown: string[];
}

/** The project with the evaluation outcome of `aggregation` (pure). */
export function withEvaluation(project: Project, result: Aggregation['projects'][number]): Project {
  const panel: Expert[] = result.experts.map((e) => {
    const known = project.evaluation.experts?.find((x) => (x.id ?? x.name) === e.expertKey);
    return (
      known ?? {
        id: /^[A-Za-z0-9_-]{1,20}$/.test(e.expertKey) ? e.expertKey : undefined,
        name: e.expertName ?? e.expertKey,
      }
    );
  });
  return {
    ...project,
    evaluation: {
      ...project.evaluation,
      ...(panel.length > 0 ? { experts: panel } : {}),
      mean: result.mean,
      rank: result.rank,
      proposed: result.proposed,
      note: result.rank === null ? result.note || '无有效评分' : null,
    },
  };
}

export async function writeBackEvaluation(
  aggregation: Aggregation,
  store: ProjectRepository,
  actor: { by: string; note?: string },
): Promise<WriteBackResult> {
  const out: WriteBackResult = { updated: [], unchanged: [], unknown: [] };
  for (const r of aggregation.projects) {
    const project = await store.getProject(r.projectId);
    if (!project) {
      out.unknown.push(r.projectId);
      continue;
    }
    const outcome = await store.putProject(withEvaluation(project, r), actor);
    (outcome === 'updated' ? out.updated : out.unchanged).push(r.projectId);
  }
  return out;
}
