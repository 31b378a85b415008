// Use cases of 评审: the score workbook for the experts, the filled workbooks read back (ranking,
// funding proposal, written back into the projects), and the ranking as it stands. `xietong scores
// import` and the workbench's 评审 both call these.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Project } from '../projects/types.js';
import { renderScoreSheets } from '../render/scoresheets.js';
import { loadScoringConfig, type ScoringConfig } from '../scores/config.js';
import { anonymousExperts, type PanelExpert } from '../scores/experts.js';
import { type Aggregation, type ImportScoresResult, importScores } from '../scores/index.js';
import { writeBackEvaluation } from '../scores/writeback.js';
import type { SqliteRecordStore } from '../store/index.js';

/** The last import's ranking, kept beside its summary workbook: the proposal document is made from it. */
export const AGGREGATION_FILE = '评审结果.json';
export const SUMMARY_FILE = '评审汇总.xlsx';

/** Projects ready to be scored: the agreement is signed (a project still 已对接 waits). */
export const toScore = (projects: readonly Project[]): Project[] =>
  projects.filter((p) => p.state !== 'matched');

export interface ScoreWorkbookOptions {
  out: string;
  /** Anonymous experts per project (names written by hand), or a named panel. */
  experts: number | readonly PanelExpert[];
  config?: ScoringConfig;
}

export interface ScoreWorkbook {
  /** The workbook the experts' scores are typed into; null when no project is ready. */
  workbook: string | null;
  projects: string[];
  /** Projects still 已对接, left out. */
  waiting: string[];
}

/** Writes 评分录入表.xlsx (one sheet per expert) for the projects ready to be scored. */
export async function writeScoreWorkbook(
  store: SqliteRecordStore,
  options: ScoreWorkbookOptions,
): Promise<ScoreWorkbook> {
  const all = await store.listProjects();
  const projects = toScore(all);
  const waiting = all.filter((p) => !projects.includes(p)).map((p) => p.id);
  if (projects.length === 0) return { workbook: null, projects: [], waiting };
  const result = await renderScoreSheets(projects, {
    outDir: options.out,
    pdf: false,
    config: options.config ?? (await loadScoringConfig()),
    experts: typeof options.experts === 'number' ? anonymousExperts(options.experts) : options.experts,
  });
  return { workbook: result.workbook, projects: projects.map((p) => p.id), waiting };
}

export interface ImportOptions {
  /** Folder for the summary workbook and the ranking. */
  out: string;
  by: string;
  config?: ScoringConfig;
  /** Names of the workbooks as the experts sent them (default: the files' own names). */
  names?: readonly string[];
  /** The summary workbook (default <out>/评审汇总.xlsx). */
  summary?: string;
}

export interface ImportOutcome extends ImportScoresResult {
  /** Projects whose evaluation (experts, mean, rank, proposed funding) was written back. */
  updated: string[];
}

/** Reads filled score workbooks, ranks, proposes funding and writes the outcome into the projects. */
export async function importScoreWorkbooks(
  store: SqliteRecordStore,
  files: readonly string[],
  options: ImportOptions,
): Promise<ImportOutcome> {
  const config = options.config ?? (await loadScoringConfig());
  const projects = await store.listProjects();
  await mkdir(options.out, { recursive: true });
  const result = await importScores(files, {
    config,
    projects,
    out: options.summary ?? join(options.out, SUMMARY_FILE),
  });
  let updated: string[] = [];
  if (result.entries.length > 0) {
    const names = options.names ?? files.map((f) => basename(f));
    updated = (
      await writeBackEvaluation(result.aggregation, store, {
        by: options.by,
        note: `评分导入 ${names.join('、')}`,
      })
    ).updated;
    await writeFile(join(options.out, AGGREGATION_FILE), `${JSON.stringify(result.aggregation, null, 2)}\n`);
  }
  return { ...result, updated };
}

/** The ranking of the last import, if there was one. */
export async function lastRanking(out: string): Promise<Aggregation | undefined> {
  const file = join(out, AGGREGATION_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as Aggregation;
}
