// Scores: from filled score workbooks to a ranking, a funding proposal and a summary workbook.
// read (per workbook, problems become issues) → merge (one score per expert and project) →
// aggregate (pure) → summary workbook.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { writeFileAtomic } from '../files.js';
import type { Project } from '../projects/types.js';
import { type Aggregation, aggregateScores, type ProjectInfo } from './aggregate.js';
import type { ScoringConfig } from './config.js';
import { mergeEntries, readScoreWorkbook, type ScoreEntry, type ScoreIssue } from './import.js';
import { buildSummaryWorkbook } from './summary.js';

export { type Aggregation, aggregateScores, FLAG_NAMES, type ProjectResult } from './aggregate.js';
export { loadScoringConfig, parseScoringConfig, type ScoringConfig } from './config.js';
export { mergeEntries, readScoreWorkbook, type ScoreEntry, type ScoreIssue } from './import.js';
export { buildSummaryWorkbook } from './summary.js';
export { buildScoreWorkbook } from './workbook.js';

export interface ImportScoresOptions {
  config: ScoringConfig;
  /** The projects being scored: checks ids and supplies titles and requested funding. */
  projects?: readonly Project[];
  /** Where to write the summary workbook; nothing is written without it. */
  out?: string;
  date?: Date;
}

export interface ImportScoresResult {
  aggregation: Aggregation;
  entries: ScoreEntry[];
  issues: ScoreIssue[];
  summary?: string;
}

export const projectInfo = (p: Project): ProjectInfo => ({
  id: p.id,
  title: p.title,
  enterprise: p.enterprise.name,
  professional: p.professional.teamName ?? p.professional.name,
  requested: p.funding.requested ?? null,
});

export async function importScores(
  files: readonly string[],
  options: ImportScoresOptions,
): Promise<ImportScoresResult> {
  const projectIds = options.projects ? new Set(options.projects.map((p) => p.id)) : undefined;
  const readings = [];
  const issues: ScoreIssue[] = [];
  for (const file of files) {
    const name = basename(file);
    let buffer: Buffer;
    try {
      buffer = await readFile(file);
    } catch (err) {
      issues.push({
        code: 'not_a_score_workbook',
        severity: 'error',
        workbook: name,
        message: `无法读取 ${file} / cannot read the file: ${(err as Error).message}`,
      });
      continue;
    }
    const reading = await readScoreWorkbook(buffer, name, options.config, { projectIds });
    readings.push(reading);
    for (const issue of reading.issues) issues.push(issue);
  }
  const merged = mergeEntries(readings);
  for (const issue of merged.issues) issues.push(issue);
  // The projects the workbooks were made for: each appears in the ranking, scored or not. The
  // projects file only adds titles and requested amounts (and catches unknown ids on import).
  const scored = new Set(readings.flatMap((r) => r.projectIds));
  const infos = (options.projects ?? []).filter((p) => scored.has(p.id)).map(projectInfo);
  const aggregation = aggregateScores(merged.entries, options.config, infos);
  const result: ImportScoresResult = { aggregation, entries: merged.entries, issues };
  // An import that counted nothing failed: it leaves any earlier summary where it was.
  if (options.out && merged.entries.length > 0) {
    const out = resolve(options.out);
    await writeFileAtomic(
      out,
      await buildSummaryWorkbook({
        aggregation,
        issues,
        config: options.config,
        sources: files.map((f) => basename(f)),
        date: options.date,
      }),
    );
    result.summary = out;
  }
  return result;
}
