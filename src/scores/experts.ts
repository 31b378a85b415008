// Who scores which project. The panel comes from the command line (`--experts N` for anonymous
// sheets the experts sign by hand, `--experts-file` for named ones) or, failing that, from each
// project's own `evaluation.experts`.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { yamlData } from '../config-file.js';
import { RunError } from '../errors.js';
import { type Expert, ExpertSchema, type Project } from '../projects/types.js';
import { formatPath } from './config.js';

/** An expert as the score sheets know them: a stable key, and a name when it is known in advance. */
export interface PanelExpert {
  /** Stable across workbooks: the id, else the name, else E01, E02 … */
  key: string;
  /** Null for an anonymous sheet: the expert writes the name by hand. */
  name: string | null;
  title: string | null;
  employer: string | null;
}

export interface PanelAssignment {
  expert: PanelExpert;
  projects: Project[];
}

export interface PanelProblem {
  projectId: string;
  message: string;
}

export const anonymousExperts = (count: number): PanelExpert[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `E${String(i + 1).padStart(2, '0')}`,
    name: null,
    title: null,
    employer: null,
  }));

export function panelExpert(e: Expert): PanelExpert {
  return { key: e.id ?? e.name, name: e.name, title: e.title ?? null, employer: e.employer ?? null };
}

/**
 * Which expert scores which project: everyone scores everything when a panel is given; otherwise each
 * project's own panel. A project with no panel at all is a problem (no sheet can be made for it).
 */
export function assignPanel(
  projects: readonly Project[],
  panel: readonly PanelExpert[] | undefined,
): { assignments: PanelAssignment[]; problems: PanelProblem[] } {
  if (panel && panel.length > 0) {
    return { assignments: panel.map((expert) => ({ expert, projects: [...projects] })), problems: [] };
  }
  const byKey = new Map<string, PanelAssignment>();
  const problems: PanelProblem[] = [];
  for (const project of projects) {
    const experts = project.evaluation.experts ?? [];
    if (experts.length === 0) {
      problems.push({
        projectId: project.id,
        message: `项目 ${project.id} 没有评审专家 / no experts: give --experts N or --experts-file, or list evaluation.experts in the project`,
      });
      continue;
    }
    for (const e of experts) {
      const expert = panelExpert(e);
      const entry = byKey.get(expert.key) ?? { expert, projects: [] };
      entry.projects.push(project);
      byKey.set(expert.key, entry);
    }
  }
  return { assignments: [...byKey.values()], problems };
}

const ExpertsFileSchema = z
  .union([z.array(ExpertSchema), z.strictObject({ experts: z.array(ExpertSchema) })])
  .transform((v) => (Array.isArray(v) ? v : v.experts));

/** Reads an experts file: YAML or JSON, a list of experts or `{ experts: [...] }`. */
export async function loadExperts(file: string): Promise<PanelExpert[]> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `Cannot read the experts file ${file}. 无法读取专家名单文件 ${file}。`,
      'Check the path given to --experts-file; samples/scores/experts.yaml is an example.',
      { cause: err },
    );
  }
  const { data, problems } = yamlData(source);
  let experts: Expert[] = [];
  if (problems.length === 0) {
    const parsed = ExpertsFileSchema.safeParse(data);
    if (parsed.success) experts = parsed.data;
    else problems.push(...parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  }
  if (problems.length === 0 && experts.length === 0) problems.push('the file lists no experts');
  const panel = experts.map(panelExpert);
  const keys = new Set<string>();
  for (const e of panel) {
    if (keys.has(e.key)) problems.push(`two experts share the key ${e.key}: give each an id`);
    keys.add(e.key);
  }
  if (problems.length > 0) {
    throw new RunError(
      'badDataFile',
      `专家名单 ${file} 有错误 / experts file ${file} has problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      'Each expert needs a name (and optionally id, title, employer); see samples/scores/experts.yaml.',
    );
  }
  return panel;
}
