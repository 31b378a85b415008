// `xietong match`: suggests professionals for every enterprise demand and technical problem and
// writes suggestions.xlsx for the bureau to mark; `xietong match confirm` reads the marks back.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { approvedRecords as approvedInStore, createProjectsInStore } from '../app/match.js';
import { termLabel } from '../app/projects.js';
import { RunError } from '../errors.js';
import {
  type Confirmations,
  displayTerm,
  loadMatchConfig,
  type MatchResult,
  match,
  readConfirmations,
  type Suggestion,
  writeMatchOutput,
} from '../match/index.js';
import type { CreateProjectsResult } from '../projects/confirm.js';
import { defaultDbPath, openStore } from '../store/index.js';
import type { SubmissionRecord } from '../types.js';
import { readRecordsFile } from './forms.js';
import { projectLine, withProjectStore } from './project.js';
import { currentUser } from './store.js';

export const DEFAULT_RECORDS_FILE = 'output/ingest/records.json';

export interface MatchCommandOptions {
  /** Records files, merged; without them, the approved records of the database. */
  records?: string[];
  /** The database whose approved (已核对) records are matched (default $XIETONG_DB or ./xietong.db). */
  db?: string;
  out: string;
  top: number;
  /** Matching config (default: config/match.yaml). */
  config?: string;
  json?: boolean;
}

export interface Output {
  write(text: string): unknown;
}

const SHOWN_PER_ITEM = 3;
const SHOWN_WORDS = 6;

// The terminal shows the words only; where each came from is in the workbook and the JSON.
const wordsOf = (s: Suggestion, max: number): string => {
  const words = s.sharedTerms
    .slice(0, max)
    .map((t) => displayTerm(t.via === 'same' ? t.term : `${t.term}≈${t.matched[0]}`));
  return `${words.join('、')}${s.sharedTerms.length > max ? '…' : ''}`;
};

/** Reads and merges records files; a record id seen twice keeps its first occurrence. */
export async function readRecordsFiles(paths: readonly string[]): Promise<{
  records: SubmissionRecord[];
  duplicates: string[];
}> {
  const records: SubmissionRecord[] = [];
  const duplicates: string[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    if (!existsSync(path)) {
      throw new RunError(
        'inputNotFound',
        `找不到记录文件 ${path} / cannot find the records file ${path}`,
        path === DEFAULT_RECORDS_FILE
          ? 'Run `xietong ingest <scans>` first, or name records files: ' +
              '--records samples/records/registration.json samples/records/demand.json samples/records/problem.json'
          : 'Check the paths given to --records.',
      );
    }
    for (const r of await readRecordsFile(path)) {
      if (seen.has(r.id)) {
        duplicates.push(r.id);
        continue;
      }
      seen.add(r.id);
      records.push(r);
    }
  }
  return { records, duplicates };
}

/** The command as a plain function: tests call it directly. */
export async function matchCommand(
  options: MatchCommandOptions,
  out: Output = process.stdout,
): Promise<{ result: MatchResult; xlsx: string; json: string }> {
  if (!Number.isInteger(options.top) || options.top < 1) {
    throw new RunError(
      'usage',
      `--top 须为正整数 / --top must be a positive integer`,
      'For example: --top 5',
    );
  }
  const config = options.config ? loadMatchConfig(options.config) : undefined;
  const fromFiles = options.records && options.records.length > 0;
  const { records, duplicates, pending } = fromFiles
    ? { ...(await readRecordsFiles(options.records ?? [])), pending: 0 }
    : await approvedRecords(options.db);
  const started = performance.now();
  const result = match(records, { config, top: options.top });
  const ms = performance.now() - started;
  const written = await writeMatchOutput(result, options.out);
  if (options.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    out.write(describe(result, written, duplicates, ms));
    if (pending > 0) {
      out.write(
        `  数据库中还有 ${pending} 份记录未核对，未参与对接（xietong review 核对后再运行）/ ${pending} record(s) not yet approved were left out\n`,
      );
    }
  }
  return { result, ...written };
}

/** The approved records of the database (src/app/match.ts); an empty database is an error here. */
export async function approvedRecords(
  db: string | undefined,
): Promise<{ records: SubmissionRecord[]; duplicates: string[]; pending: number }> {
  return withProjectStore(db, async (s) => {
    const approved = await approvedInStore(s);
    if (approved.total === 0) {
      throw new RunError(
        'inputNotFound',
        `数据库 ${s.location} 中没有记录 / the database holds no records`,
        'Run `xietong ingest <scans or .docx>` first, or name records files with --records.',
      );
    }
    return { records: approved.records, duplicates: [], pending: approved.pending };
  });
}

function describe(
  result: MatchResult,
  written: { xlsx: string; json: string },
  duplicates: string[],
  ms: number,
): string {
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  const lines: string[] = [
    `对接建议 / match suggestions: ${result.demands.length} 份需求表、${result.problems.length} 项难题、` +
      `${result.professionals} 名人才（团队） (${Math.round(ms)} ms)`,
  ];
  const item = (head: string, suggestions: Suggestion[], note?: string) => {
    lines.push(`  ${head}`);
    if (suggestions.length === 0) lines.push(`      ${note ?? '没有建议'}`);
    for (const s of suggestions.slice(0, SHOWN_PER_ITEM)) {
      const who = s.team ? `${s.professional}（${s.team}）` : s.professional;
      lines.push(
        `    ${s.rank}. ${String(s.score).padStart(3)}  ${who} ${s.registrationId}  ${wordsOf(s, SHOWN_WORDS)}`,
      );
    }
  };
  if (result.demands.length > 0) lines.push('企业需求 / demands:');
  for (const d of result.demands) item(`${d.demandId} ${d.enterprise}`, d.suggestions, d.note);
  if (result.problems.length > 0) lines.push('重大技术难题 / problems:');
  for (const p of result.problems) item(`${p.problemId} ${p.title}`, p.suggestions, p.note);
  for (const s of result.skipped) lines.push(`  未参与匹配 / skipped ${s.id} (${s.form}): ${s.reason}`);
  if (duplicates.length > 0) {
    lines.push(`  重复的记录编号，只用第一条 / duplicate record ids, first kept: ${duplicates.join(', ')}`);
  }
  lines.push(
    `  → ${rel(written.xlsx)}（在「确认」列填「是」后运行 xietong match confirm ${rel(written.xlsx)}）`,
  );
  lines.push(`  → ${rel(written.json)}`);
  return `${lines.join('\n')}\n`;
}

export interface ConfirmCommandOptions {
  json?: boolean;
  /** Store a project for every confirmed demand pair. */
  create?: boolean;
  db?: string;
  /** Records files to build projects from; default: the records in the database. */
  records?: string[];
  by?: string;
  /** Term start (YYYY-MM-DD) and length, and the funding asked for, for the new projects. */
  start?: string;
  months?: number;
  funding?: number;
  /** Programme year of the new projects' numbers (default: the start's year, else this year). */
  year?: number;
}

/** `xietong match confirm` as a plain function. */
export async function confirmCommand(
  workbook: string,
  options: ConfirmCommandOptions,
  out: Output = process.stdout,
): Promise<Confirmations & { projects?: CreateProjectsResult }> {
  const result = await readConfirmations(workbook);
  const projects = options.create ? await createProjects(result, options) : undefined;
  if (options.json) {
    out.write(`${JSON.stringify(projects ? { ...result, projects } : result, null, 2)}\n`);
    return projects ? { ...result, projects } : result;
  }
  const lines: string[] = [
    `已确认的对接 ${result.stubs.length} 对 / ${result.stubs.length} confirmed pair(s) (${result.rowsRead} suggestion rows read):`,
  ];
  for (const s of result.stubs) {
    const score = s.score === null ? '—' : String(s.score);
    lines.push(
      s.kind === 'demand'
        ? `  需求 ${s.demandId} ${s.enterprise} ↔ ${s.registrationId} ${s.professional}  得分 ${score}`
        : `  难题 ${s.problemId} ${s.title} ↔ ${s.registrationId} ${s.professional}  得分 ${score}`,
    );
  }
  if (result.stubs.length === 0) lines.push(`  （没有标「是」的行 / no row is marked 是）`);
  for (const w of result.warnings) lines.push(`  ! ${w.sheet} ${w.message}`);
  if (projects) lines.push(...createdLines(projects));
  out.write(`${lines.join('\n')}\n`);
  return projects ? { ...result, projects } : result;
}

async function createProjects(
  confirmations: Confirmations,
  options: ConfirmCommandOptions,
): Promise<CreateProjectsResult> {
  const build = {
    by: options.by ?? currentUser(),
    start: options.start,
    months: options.months,
    funding: options.funding,
    year: options.year,
  };
  if (options.records && options.records.length > 0) {
    // Records from files: the database may be new, so it is created rather than required.
    const { records } = await readRecordsFiles(options.records);
    const store = await openStore(options.db ?? defaultDbPath());
    await store.close();
    return withProjectStore(options.db, (s) => createProjectsInStore(s, confirmations.stubs, build, records));
  }
  return withProjectStore(options.db, (s) => createProjectsInStore(s, confirmations.stubs, build));
}

function createdLines(r: CreateProjectsResult): string[] {
  const lines = [
    `新建项目 ${r.created.length} 个 / ${r.created.length} project(s) created` +
      (r.existing.length > 0
        ? `，已有 ${r.existing.length} 个未改动 / ${r.existing.length} already stored`
        : ''),
  ];
  for (const c of r.created) {
    lines.push(`  + ${projectLine(c.project)}`);
    if (c.missing.length > 0) {
      lines.push(`      待补充 / to fill in: ${c.missing.map(termLabel).join('，')}`);
    }
    for (const n of c.notes) lines.push(`      注 / note: ${n}`);
  }
  for (const p of r.existing) lines.push(`  = ${projectLine(p)}`);
  for (const s of r.skipped) lines.push(`  ! ${s.pair}: ${s.problems.join('; ')}`);
  if (r.created.some((c) => c.missing.length > 0)) {
    lines.push(
      '  → 在工作台「项目」中逐项填写（xietong serve），或 xietong project export --xlsx terms.xlsx 填好后 import',
    );
  }
  return lines;
}

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('须为正整数 / must be a positive integer');
  return n;
};

export function register(program: Command): void {
  const cmd = program
    .command('match')
    .summary('suggest professionals for enterprise demands and technical problems / 人才与企业需求对接建议')
    .description(
      '为每份企业需求表和每项重大技术难题推荐最合适的报名人才（团队），生成供科技局确认的 suggestions.xlsx。\n\n' +
        'Ranks the registered professionals (and teams) for every enterprise demand and every major ' +
        "technical problem: the professional's expertise, profile and planned work against the demand's " +
        'needs, main products and technical status (BM25 over jieba words, with the domain dictionary, ' +
        'synonyms and field weights of config/match.yaml). Each suggestion shows its score (0–100) and ' +
        'the shared words with the fields they came from.\n\n' +
        '  <out>/suggestions.xlsx  sheets 对接建议 and 难题对接建议, with a 确认 column (是/否) to mark\n' +
        '  <out>/suggestions.json  the same, with every shared word and its contribution',
    )
    .option(
      '--records <files...>',
      'records JSON files, merged: an array or { "submissions": [...] } (default: the approved records of the database)',
    )
    .option(
      '--db <file>',
      'SQLite database whose approved records are matched (default: $XIETONG_DB or ./xietong.db)',
    )
    .option('-o, --out <dir>', 'output folder / 输出目录', 'output/match')
    .option('--top <n>', 'suggestions per demand or problem / 每项列出的人选数', positiveInt, 5)
    .option('--config <file>', 'matching config / 匹配配置 (default: config/match.yaml)')
    .option('--json', 'print the suggestions as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples / 示例:
  $ xietong match --records samples/records/registration.json samples/records/demand.json samples/records/problem.json
  $ xietong match --records output/ingest/records.json --top 3 --out output/match
  $ xietong match confirm output/match/suggestions.xlsx
  $ xietong match confirm output/match/suggestions.xlsx --create --by 张三 --start 2020-07-01 --db xietong.db`,
    )
    .action(async (opts: MatchCommandOptions) => {
      await matchCommand(opts);
    });

  cmd
    .command('confirm')
    .summary('read the confirmed pairs from a marked suggestions.xlsx / 读取已确认的对接')
    .description(
      '读取科技局在 suggestions.xlsx「确认」列标「是」的行，列出确认的对接（项目雏形）。\n' +
        'Reads the rows marked 是 in the 确认 column and prints them as project stubs: ' +
        'demand (or problem) id, registration id, score.',
    )
    .argument('<workbook>', 'the marked suggestions.xlsx')
    .option('--json', 'print { stubs, warnings } as JSON on stdout')
    .option('--create', 'store a project (state matched) for every confirmed demand pair')
    .option('--db <file>', 'SQLite database (default: $XIETONG_DB or ./xietong.db)')
    .option('--by <name>', 'who confirmed (default: $XIETONG_USER or the login name)')
    .option('--start <date>', 'term start of the new projects, YYYY-MM-DD (term: 12 months)')
    .option('--months <n>', 'term length in months', positiveInt)
    .option('--funding <万元>', 'funding requested, 3-20 万元', Number)
    .option(
      '--year <yyyy>',
      'programme year of the new project numbers, e.g. 2020 → 2020-XT-001',
      positiveInt,
    )
    .action(async (workbook: string, _opts: ConfirmCommandOptions, self: Command) => {
      // `match confirm x --json`: commander gives --json (and --records) to match (the program
      // does not use positional options), so read them from either.
      await confirmCommand(workbook, self.optsWithGlobals<ConfirmCommandOptions>());
    });
}
