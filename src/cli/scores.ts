// `xietong scores import <workbooks…>`: reads filled score workbooks, checks every score, averages
// (dropping the highest and lowest when enough experts scored), flags disagreement, ranks, proposes
// funding within 3–20 万元 and writes a summary workbook.
import { existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Command } from 'commander';
import { importScoreWorkbooks } from '../app/scores.js';
import { RunError } from '../errors.js';
import { loadProjects } from '../projects/types.js';
import { loadScoringConfig } from '../scores/config.js';
import { FLAG_NAMES, type ImportScoresResult, importScores } from '../scores/index.js';
import { defaultDbPath } from '../store/index.js';
import { withProjectStore } from './project.js';
import { currentUser, DB_OPTION_HELP } from './store.js';

interface Output {
  write(chunk: string): unknown;
}

export interface ScoresImportOptions {
  out: string;
  projects?: string;
  /** The database whose projects were scored: read for titles, written back with the outcome. */
  db?: string;
  by?: string;
  config?: string;
  json?: boolean;
}

const MAX_ISSUES = 30;
const SEVERITY = { error: '✗', warning: '!', info: '·' } as const;

export async function scoresImportCommand(
  files: string[],
  options: ScoresImportOptions,
  out: Output = process.stdout,
): Promise<ImportScoresResult> {
  const config = await loadScoringConfig(options.config);
  // The database is where the outcome goes back to (the same use case as the workbench's 评审);
  // without one (and no --projects) the workbooks alone still give a ranking.
  const fromStore = !options.projects && (options.db !== undefined || existsSync(defaultDbPath()));
  let result: ImportScoresResult;
  if (fromStore) {
    const by = options.by ?? currentUser();
    const outcome = await withProjectStore(options.db, (s) =>
      importScoreWorkbooks(s, files, { out: dirname(options.out), summary: options.out, by, config }),
    );
    result = outcome;
    if (!options.json && outcome.entries.length > 0) {
      out.write(
        `写回项目 / written back: ${outcome.updated.length} 个项目的评审专家、平均分、排名和建议经费（${by}）\n`,
      );
    }
  } else {
    const projects = options.projects ? await loadProjects(options.projects) : undefined;
    result = await importScores(files, { config, projects, out: options.out });
  }
  if (options.json) {
    out.write(`${JSON.stringify({ ranking: result.aggregation, issues: result.issues }, null, 2)}\n`);
  } else {
    describe(result, out);
  }
  if (result.entries.length === 0) {
    throw new RunError(
      'badDataFile',
      '没有读到任何有效评分 / no valid score in the workbooks (problems listed above).',
      'Import the workbooks written by `xietong render scoresheets` after the experts filled them in.',
    );
  }
  return result;
}

function describe(result: ImportScoresResult, out: Output): void {
  const { aggregation, issues, entries } = result;
  const experts = new Set(entries.map((e) => e.expertKey));
  out.write(
    `读入评分 ${entries.length} 条，专家 ${experts.size} 位 / ${entries.length} score(s) from ${experts.size} expert(s)\n`,
  );
  if (aggregation.dropExtremesFrom !== null) {
    out.write(`  ${aggregation.dropExtremesFrom} 位及以上专家评分的项目去掉最高分和最低分\n`);
  }
  out.write('\n排名  项目编号      平均分  专家(计分)  极差   申请   建议资助  说明\n');
  for (const r of aggregation.projects) {
    const cols = [
      String(r.rank ?? '—').padStart(3),
      `  ${r.projectId.padEnd(12)}`,
      (r.mean === null ? '—' : r.mean.toFixed(2)).padStart(7),
      `  ${String(r.experts.length).padStart(3)}(${r.used})`.padEnd(11),
      (r.spread === null ? '—' : String(r.spread)).padStart(5),
      (r.requested === null ? '—' : String(r.requested)).padStart(6),
      (r.proposed === null ? '—' : `${r.proposed}万元`).padStart(9),
      `  ${r.title ?? ''}${r.note ? `  [${r.note}]` : ''}`,
    ];
    out.write(`${cols.join(' ')}\n`);
  }
  out.write(
    `\n建议资助合计 / proposed in total: ${aggregation.totalProposed} 万元${aggregation.budget !== null ? `（预算 ${aggregation.budget} 万元）` : ''}\n`,
  );
  const flagged = aggregation.projects.filter((r) => r.flags.length > 0);
  for (const r of flagged) out.write(`  ! ${r.projectId}: ${r.flags.map((f) => FLAG_NAMES[f]).join('，')}\n`);
  if (issues.length > 0) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    out.write(
      `\n问题 ${issues.length} 项（错误 ${errors}）/ ${issues.length} problem(s), ${errors} error(s); rows with errors are not counted:\n`,
    );
    for (const i of issues.slice(0, MAX_ISSUES)) {
      out.write(
        `  ${SEVERITY[i.severity]} ${i.workbook}${i.sheet ? ` «${i.sheet}»` : ''}${i.cell ? ` ${i.cell}` : ''}: ${i.message}\n`,
      );
    }
    if (issues.length > MAX_ISSUES)
      out.write(`  … and ${issues.length - MAX_ISSUES} more (all in the summary workbook, sheet 问题)\n`);
  }
  if (result.summary)
    out.write(`\n汇总表 / summary workbook: ${relative(process.cwd(), result.summary) || result.summary}\n`);
}

export function register(program: Command): void {
  const scores = program
    .command('scores')
    .description('expert scores: import, rank, propose funding / 专家评分汇总');
  scores
    .command('import')
    .summary('read filled score workbooks, rank projects, propose funding')
    .description(
      '读取专家填写的评分录入表（可多个文件，每位专家填自己的一份），校验分数（超出范围、缺项、未知项目），' +
        '计算平均分（专家数达到配置人数时去掉最高分和最低分）、标出分歧较大的项目、排名，并按档次提出 3–20 万元的资助建议，写出汇总表。\n\n' +
        'Reads the workbooks written by `xietong render scoresheets` once filled in, checks every score, averages, ' +
        'flags disagreement, ranks, proposes funding by tier (config/scoring.yaml) and writes a summary workbook.',
    )
    .argument('<workbooks...>', 'filled score workbooks (.xlsx)')
    .option(
      '--projects <projects.json>',
      'the projects from a file instead of the database (then nothing is written back)',
    )
    .option('--db <file>', `${DB_OPTION_HELP}; the outcome is written back into its projects`)
    .option('--by <name>', 'who imports (default: $XIETONG_USER or the login name)')
    .option('--out <file.xlsx>', 'summary workbook', 'output/scores/评审汇总.xlsx')
    .option('--config <scoring.yaml>', 'scoring configuration', undefined)
    .option('--json', 'print the ranking and problems as JSON')
    .addHelpText(
      'after',
      `
Example / 示例:
  $ xietong scores import samples/scores/scores-a.xlsx samples/scores/scores-b.xlsx --projects samples/projects.json`,
    )
    .action(async (files: string[], opts: ScoresImportOptions) => {
      await scoresImportCommand(files, opts);
    });
}
