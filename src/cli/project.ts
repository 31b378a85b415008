// `xietong project list | show | state | export`: the projects kept in the database, from the
// confirmed match to acceptance. State moves one step at a time and names who moved it; `export`
// writes the projects.json the render commands read.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { moveProject } from '../app/projects.js';
import { RunError } from '../errors.js';
import {
  DUTY_NAMES,
  PROJECT_STATES,
  type Project,
  type ProjectState,
  STATE_NAMES,
} from '../projects/types.js';
import { type ProjectWorkbookIssue, projectsWorkbook, readProjectsWorkbook } from '../projects/workbook.js';
import type { ProjectChange, ProjectHistoryEntry, SqliteRecordStore } from '../store/index.js';
import { StoreError } from '../store/index.js';
import { currentUser, DB_OPTION_HELP, withStore } from './store.js';

export interface Output {
  write(text: string): unknown;
}

/** Runs `f` with the store open; a refused request becomes a RunError with a project hint. */
export function withProjectStore<T>(
  db: string | undefined,
  f: (store: SqliteRecordStore) => Promise<T>,
  open: { readOnly?: boolean } = {},
): Promise<T> {
  return withStore(db, f, projectHint, open);
}

/** withProjectStore for the commands that only look: the database is opened read-only. */
const readProjectStore = <T>(db: string | undefined, f: (store: SqliteRecordStore) => Promise<T>) =>
  withProjectStore(db, f, { readOnly: true });

const projectHint = (err: StoreError): string =>
  err.code === 'record_not_found'
    ? 'List the project ids with `xietong project list`.'
    : err.code === 'conflict'
      ? `States go ${PROJECT_STATES.slice(0, 5).join(' → ')} → accepted | notAccepted, one step at a time.`
      : 'See `xietong project --help`.';

const stateText = (s: ProjectState) => `${STATE_NAMES[s]}（${s}）`;

export function projectLine(p: Project): string {
  const who = p.professional.teamName
    ? `${p.professional.name}（${p.professional.teamName}）`
    : p.professional.name;
  return `${p.id}  ${stateText(p.state)}  ${p.enterprise.name} ↔ ${who}`;
}

export function projectText(
  p: Project,
  history: readonly ProjectHistoryEntry[],
  changes: readonly ProjectChange[] = [],
): string {
  const blank = '—';
  const lines = [
    `${p.id}  ${p.title}`,
    `  状态 / state: ${stateText(p.state)}`,
    `  甲方 企业: ${p.enterprise.name}（${p.enterprise.district ?? blank}）法定代表人 ${p.enterprise.legalRepresentative ?? blank}，联系人 ${p.enterprise.contactPerson ?? blank} ${p.enterprise.contactPhone ?? ''}`.trimEnd(),
    `  乙方 人才: ${p.professional.name}${p.professional.teamName ? `（${p.professional.teamName}，${p.professional.teamSize ?? '?'}人）` : ''}，${p.professional.professionalTitle ?? blank}，${p.professional.employerAndPosition ?? blank}`,
    `  丙方 派出单位: ${p.dispatchingUnit.name}`,
    `  任务 / tasks: ${p.tasks.map((t) => DUTY_NAMES[t.duty]).join('、')}`,
    `  期限 / term: ${p.term.start ?? blank} … ${p.term.end ?? blank}`,
    `  申请经费 / requested: ${p.funding.requested ?? blank} 万元${p.funding.granted != null ? `，资助 ${p.funding.granted} 万元` : ''}`,
    `  来源 / sources: ${Object.entries(p.sources)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '  历史 / history:',
  ];
  for (const h of history) {
    const move = h.from === null ? `创建为 ${stateText(h.to)}` : `${stateText(h.from)} → ${stateText(h.to)}`;
    lines.push(`    ${h.at}  ${h.by}  ${move}${h.note ? `  ${h.note}` : ''}`);
  }
  if (changes.length > 0) lines.push('  修改记录 / changes:');
  for (const c of changes) {
    lines.push(`    ${c.at}  ${c.by}  ${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`);
  }
  return lines.join('\n');
}

export async function listCommand(
  opts: { db?: string; state?: ProjectState; json?: boolean },
  out: Output = process.stdout,
): Promise<Project[]> {
  return readProjectStore(opts.db, async (s) => {
    const projects = await s.listProjects(opts.state ? { state: opts.state } : {});
    if (opts.json) out.write(`${JSON.stringify(projects, null, 2)}\n`);
    else if (projects.length === 0) out.write('（没有项目 / no projects）\n');
    else out.write(`${projects.map(projectLine).join('\n')}\n`);
    return projects;
  });
}

export async function showCommand(
  id: string,
  opts: { db?: string; json?: boolean },
  out: Output = process.stdout,
): Promise<{ project: Project; history: ProjectHistoryEntry[] }> {
  return readProjectStore(opts.db, async (s) => {
    const project = await s.getProject(id);
    if (!project) throw new StoreError('record_not_found', `找不到项目 ${id}。`, `No project ${id}.`);
    const history = await s.projectHistory(id);
    const changes = await s.projectChanges(id);
    out.write(
      opts.json
        ? `${JSON.stringify({ project, history, changes }, null, 2)}\n`
        : `${projectText(project, history, changes)}\n`,
    );
    return { project, history };
  });
}

export async function stateCommand(
  id: string,
  to: ProjectState,
  opts: { db?: string; by?: string; note?: string },
  out: Output = process.stdout,
): Promise<ProjectHistoryEntry> {
  return withProjectStore(opts.db, async (s) => {
    const { entry } = await moveProject(s, id, to, { by: opts.by ?? currentUser(), note: opts.note });
    out.write(`${id}: ${stateText(entry.from ?? to)} → ${stateText(entry.to)}（${entry.by}）\n`);
    return entry;
  });
}

export async function exportCommand(
  file: string,
  opts: { db?: string; state?: ProjectState; xlsx?: boolean },
  out: Output = process.stdout,
): Promise<Project[]> {
  return readProjectStore(opts.db, async (s) => {
    const projects = await s.listProjects(opts.state ? { state: opts.state } : {});
    await mkdir(dirname(file), { recursive: true });
    if (opts.xlsx || /\.xlsx$/i.test(file)) {
      await writeFile(file, await projectsWorkbook(projects));
      out.write(
        `${projects.length} 个项目 → ${relative(process.cwd(), file) || file}（填好后：xietong project import ${relative(process.cwd(), file) || file} --by 姓名）\n`,
      );
      return projects;
    }
    const note = `Exported from ${s.location} by xietong project export; edit goals, address and position before rendering.`;
    await writeFile(file, `${JSON.stringify({ note, projects }, null, 2)}\n`);
    out.write(`${projects.length} 个项目 → ${relative(process.cwd(), file) || file}\n`);
    return projects;
  });
}

export interface ImportResult {
  updated: string[];
  unchanged: string[];
  issues: ProjectWorkbookIssue[];
}

/**
 * `project import <workbook>`: the clerk's terms back into the store. Each project is saved whole
 * (putProject keeps every changed value with who and when); a project with a bad cell is left as
 * it was and the cell is named. A workbook with problems still imports the good projects, and the
 * command then exits non-zero so a script notices.
 */
export async function importCommand(
  file: string,
  opts: { db?: string; by?: string; note?: string },
  out: Output = process.stdout,
): Promise<ImportResult> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `找不到工作簿 ${file} / cannot read ${file}`,
      'Write one with `xietong project export --xlsx <file>`.',
      {
        cause: err,
      },
    );
  }
  return withProjectStore(opts.db, async (s) => {
    const stored = await s.listProjects();
    let reading: Awaited<ReturnType<typeof readProjectsWorkbook>>;
    try {
      reading = await readProjectsWorkbook(buffer, stored);
    } catch (err) {
      throw new RunError(
        'badDataFile',
        `${file} 不是可读的 .xlsx 工作簿 / not a readable workbook`,
        'Save it as .xlsx and try again.',
        {
          cause: err,
        },
      );
    }
    const by = opts.by ?? currentUser();
    const result: ImportResult = { updated: [], unchanged: [], issues: reading.issues };
    for (const p of reading.projects) {
      const outcome = await s.putProject(p, { by, note: opts.note ?? `项目条款录入表 ${basename(file)}` });
      (outcome === 'updated' ? result.updated : result.unchanged).push(p.id);
    }
    out.write(
      `项目条款 / project terms: 更新 ${result.updated.length} 个，未变 ${result.unchanged.length} 个（${by}）\n`,
    );
    for (const id of result.updated) out.write(`  ✓ ${id}\n`);
    for (const i of result.issues) {
      out.write(
        `  ✗ ${i.sheet}${i.cell ? ` ${i.cell}` : ''}${i.projectId ? ` ${i.projectId}` : ''}：${i.message}\n`,
      );
    }
    if (result.issues.length > 0) {
      throw new RunError(
        'badDataFile',
        `${result.issues.length} 处错误，相关项目未导入 / ${result.issues.length} problem(s): those projects were not changed`,
        'Fix the cells named above and import the workbook again; the other projects are saved.',
      );
    }
    return result;
  });
}

const stateArg = (v: string): ProjectState => {
  if (!(PROJECT_STATES as readonly string[]).includes(v)) {
    throw new InvalidArgumentError(
      `须为 / must be one of ${PROJECT_STATES.map((s) => `${s}（${STATE_NAMES[s]}）`).join(', ')}`,
    );
  }
  return v as ProjectState;
};

export function register(program: Command): void {
  const cmd = program
    .command('project')
    .summary('projects from the confirmed match to acceptance / 项目台账')
    .description(
      '数据库中的入企协同创新项目：列表、详情、状态变更（留痕）和导出 projects.json。\n' +
        'Projects kept in the database: list, show with history, move the state one step ' +
        `(${PROJECT_STATES.slice(0, 5).join(' → ')} → accepted | notAccepted), export projects.json ` +
        'for the render commands. Projects are created by `xietong match confirm <workbook> --create`.',
    );

  cmd
    .command('list')
    .description('every project with its state')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--state <state>', 'only projects in this state', stateArg)
    .option('--json', 'as JSON')
    .action(async (opts: { db?: string; state?: ProjectState; json?: boolean }) => {
      await listCommand(opts);
    });

  cmd
    .command('show')
    .description('a project and its state history')
    .argument('<id>')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--json', 'as JSON')
    .action(async (id: string, opts: { db?: string; json?: boolean }) => {
      await showCommand(id, opts);
    });

  cmd
    .command('state')
    .description('move a project to its next state; the change is kept with who and why')
    .argument('<id>')
    .argument('<state>', PROJECT_STATES.join(' | '), stateArg)
    .option('--by <name>', 'who (default: $XIETONG_USER or the login name)')
    .option('--note <text>', 'why, e.g. 协议已签订')
    .option('--db <file>', DB_OPTION_HELP)
    .action(async (id: string, to: ProjectState, opts: { db?: string; by?: string; note?: string }) => {
      await stateCommand(id, to, opts);
    });

  cmd
    .command('import')
    .description(
      'read a filled 项目条款录入表 (from export --xlsx) back; every change kept with who and when',
    )
    .argument('<workbook.xlsx>')
    .option('--by <name>', 'who (default: $XIETONG_USER or the login name)')
    .option('--note <text>', 'why, e.g. 三方商定的条款')
    .option('--db <file>', DB_OPTION_HELP)
    .action(async (file: string, opts: { db?: string; by?: string; note?: string }) => {
      await importCommand(file, opts);
    });

  cmd
    .command('export')
    .description(
      'write the projects as the 项目条款录入表 workbook (--xlsx, or a .xlsx name) or as projects.json',
    )
    .argument('<file>', 'terms.xlsx or projects.json')
    .option('--xlsx', 'the workbook for the clerk to fill in (data validation on every column)')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--state <state>', 'only projects in this state', stateArg)
    .action(async (file: string, opts: { db?: string; state?: ProjectState; xlsx?: boolean }) => {
      await exportCommand(file, opts);
    })
    .addHelpText(
      'after',
      `
Examples / 示例:
  $ xietong match confirm output/match/suggestions.xlsx --create --by 张三 --start 2020-07-01
  $ xietong project list
  $ xietong project state dem-01_reg-01 agreed --by 张三 --note 三方协议已签订
  $ xietong project export output/projects.json && xietong render agreements output/projects.json`,
    );
}
