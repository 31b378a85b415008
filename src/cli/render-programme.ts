// `xietong render signin | group-opinions | funding-notice | acceptance-applications |
// enterprise-evaluations`: the rest of the programme's paper, from the store (or a projects file).
// Each subcommand is a plain exported function (tests and the demo call them) and a registrar that
// src/cli/render.ts adds to the `render` group, as src/cli/render-documents.ts does for the others.
import { relative } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { RunError } from '../errors.js';
import { isIsoDate, loadProjects, type Project, type ProjectState } from '../projects/types.js';
import type { RenderDocumentsSummary } from '../render/documents.js';
import { loadFundingNoticeConfig, renderFundingNotice } from '../render/funding-notice.js';
import {
  EVALUATED_STATES,
  FUNDED_STATES,
  panelOf,
  renderAcceptanceApplications,
  renderEnterpriseEvaluations,
  renderGroupOpinions,
  renderSignIn,
} from '../render/programme.js';
import { loadExperts, type PanelExpert } from '../scores/experts.js';
import { withPdfConverter } from './converter.js';
import { withProjectStore } from './project.js';
import { checkOutcome, describeDocuments, selectProjects } from './render-documents.js';
import { DB_OPTION_HELP } from './store.js';

interface Output {
  write(chunk: string): unknown;
}

export interface ProgrammeCommandOptions {
  out: string;
  db?: string;
  pdf: boolean;
  only?: string;
  expertsFile?: string;
  date?: string;
  year?: number;
  config?: string;
}

const rel = (p: string) => relative(process.cwd(), p) || '.';

async function projectsFor(
  file: string | undefined,
  options: ProgrammeCommandOptions,
  states: readonly ProjectState[],
  out: Output,
): Promise<Project[]> {
  const all = selectProjects(
    file ? await loadProjects(file) : await withProjectStore(options.db, (s) => s.listProjects()),
    options.only,
  );
  if (options.only) return all;
  const chosen = all.filter((p) => states.includes(p.state));
  if (all.length > chosen.length) {
    out.write(
      `  - 跳过 ${all.length - chosen.length} 个尚未到此阶段的项目 / skipped, not at this stage: ${all
        .filter((p) => !chosen.includes(p))
        .map((p) => p.id)
        .join(', ')}（--only 可指定）\n`,
    );
  }
  return chosen;
}

function checkDate(date: string | undefined): string | null {
  if (date === undefined) return null;
  if (!isIsoDate(date)) {
    throw new RunError(
      'usage',
      `--date ${date}: 日期格式应为 2020-08-20 / must be a date like 2020-08-20.`,
      'Give the date as YYYY-MM-DD.',
    );
  }
  return date;
}

async function expertsFor(projects: readonly Project[], file: string | undefined): Promise<PanelExpert[]> {
  return file ? loadExperts(file) : panelOf(projects);
}

function finishDocuments(summary: RenderDocumentsSummary, pdf: boolean, out: Output): RenderDocumentsSummary {
  describeDocuments(summary, out);
  checkOutcome(summary, pdf);
  return summary;
}

export async function renderSignInCommand(
  file: string | undefined,
  options: ProgrammeCommandOptions,
  out: Output = process.stdout,
): Promise<RenderDocumentsSummary> {
  const date = checkDate(options.date);
  const projects = await projectsFor(file, options, EVALUATED_STATES, out);
  if (projects.length === 0) {
    throw new RunError(
      'badDataFile',
      '没有待评审的项目 / no project to review.',
      'Projects are reviewed once their agreement is signed (state agreed).',
    );
  }
  const experts = await expertsFor(projects, options.expertsFile);
  const summary = await withPdfConverter(options.pdf, (converter) =>
    renderSignIn(
      projects,
      experts,
      date ?? projects.find((p) => p.evaluation.date)?.evaluation.date ?? null,
      {
        outDir: options.out,
        pdf: options.pdf,
        converter,
      },
    ),
  );
  if (experts.length === 0)
    out.write('  ! 未指定评审专家，签到表留空行手写 / no experts known: rows left blank for names.\n');
  return finishDocuments(summary, options.pdf, out);
}

export async function renderGroupOpinionsCommand(
  file: string | undefined,
  options: ProgrammeCommandOptions,
  out: Output = process.stdout,
): Promise<RenderDocumentsSummary> {
  const projects = await projectsFor(file, options, EVALUATED_STATES, out);
  const experts = options.expertsFile ? await loadExperts(options.expertsFile) : [];
  const summary = await withPdfConverter(options.pdf, (converter) =>
    renderGroupOpinions(projects, experts, {
      outDir: options.out,
      pdf: options.pdf,
      converter,
      date: checkDate(options.date),
    }),
  );
  return finishDocuments(summary, options.pdf, out);
}

/** A command rendering one document per funded project (验收申请表, 甲方评价意见表). */
const perFundedProject =
  (render: typeof renderAcceptanceApplications) =>
  async (
    file: string | undefined,
    options: ProgrammeCommandOptions,
    out: Output = process.stdout,
  ): Promise<RenderDocumentsSummary> => {
    const projects = await projectsFor(file, options, FUNDED_STATES, out);
    const summary = await withPdfConverter(options.pdf, (converter) =>
      render(projects, { outDir: options.out, pdf: options.pdf, converter }),
    );
    return finishDocuments(summary, options.pdf, out);
  };

export const renderAcceptanceApplicationsCommand = perFundedProject(renderAcceptanceApplications);
export const renderEnterpriseEvaluationsCommand = perFundedProject(renderEnterpriseEvaluations);

/** The programme's year: given, or that of the project numbers (2020-XT-001), or this year. */
export const programmeYear = (projects: readonly Project[], given?: number): number =>
  given ?? Number(/^(\d{4})-/.exec(projects[0]?.id ?? '')?.[1] ?? new Date().getFullYear());

export async function renderFundingNoticeCommand(
  file: string | undefined,
  options: ProgrammeCommandOptions,
  out: Output = process.stdout,
) {
  const date = checkDate(options.date);
  const projects = selectProjects(
    file ? await loadProjects(file) : await withProjectStore(options.db, (s) => s.listProjects()),
    options.only,
  );
  const config = loadFundingNoticeConfig(options.config);
  const result = await withPdfConverter(options.pdf, (converter) =>
    renderFundingNotice(projects, {
      outDir: options.out,
      pdf: options.pdf,
      converter,
      year: programmeYear(projects, options.year),
      date,
      config,
    }),
  );
  out.write(
    `立项及经费通知 / funding notice: ${result.funded.length} 个项目，合计 ${result.total} 万元\n  ✓ ${rel(result.docx)}${result.pdf ? `\n  ✓ ${rel(result.pdf)}` : ''}\n`,
  );
  for (const w of result.warnings) out.write(`  ! ${w}\n`);
  if (!config.number)
    out.write('  ! 发文字号留空待填 / the document number is left blank: set number in the configuration.\n');
  if (!date) out.write('  ! 成文日期留空待填 / no --date: the date is left blank to write by hand.\n');
  return result;
}

const yearOption = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2000 || n > 2100)
    throw new InvalidArgumentError('must be a year like 2020');
  return n;
};

function common(command: Command, out: string): Command {
  return command
    .argument('[projects.json]', 'a projects file instead of the database (see samples/projects.json)')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--out <dir>', 'output folder / 输出目录', out)
    .option('--no-pdf', 'write .docx only (no LibreOffice needed)')
    .option('--only <ids>', 'only these project ids, comma-separated (whatever their state)');
}

type Action = (file: string | undefined, options: ProgrammeCommandOptions) => Promise<unknown>;
const run = (f: Action) => async (file: string | undefined, options: ProgrammeCommandOptions) => {
  await f(file, options);
};

export const PROGRAMME_SUBCOMMANDS: ReadonlyArray<(render: Command) => void> = [
  (render) =>
    common(
      render
        .command('signin')
        .summary('专家评审签到表（含回避承诺）: one for the review session')
        .description(
          '生成专家评审签到表：评审项目一览、专家回避与保密承诺、专家签到栏（姓名、单位、职称预印，签字手写）。\n\n' +
            'Projects signed and not merely matched; experts from --experts-file, else those scores import recorded.',
        ),
      'output/signin',
    )
      .option('--experts-file <file>', 'the panel (YAML or JSON), e.g. samples/scores/experts.yaml')
      .option('--date <YYYY-MM-DD>', '评审日期 (default: the projects’ evaluation date, else blank)')
      .action(run(renderSignInCommand)),
  (render) =>
    common(
      render
        .command('group-opinions')
        .summary('专家组综合意见表: one per project reviewed')
        .description(
          '生成专家组综合意见表：项目概况、平均分与排序、资格提示、综合意见栏、评审结论与建议资助经费（依评分汇总预填）、专家组成员签字、组长签字。',
        ),
      'output/opinions',
    )
      .option(
        '--experts-file <file>',
        'the panel (YAML or JSON); default: the experts scores import recorded',
      )
      .option('--date <YYYY-MM-DD>', '评审日期 for projects without one in the store (default: blank)')
      .action(run(renderGroupOpinionsCommand)),
  (render) =>
    common(
      render
        .command('funding-notice')
        .summary('立项及经费通知 (GB/T 9704): the funded projects and amounts as its attachment')
        .description(
          '生成立项及经费通知（GB/T 9704-2012 版式）：正文取自 config/funding-notice.yaml，附件《项目及经费安排表》列出已立项资助的项目与金额（来自数据库），附件另面编排、页码连续。',
        ),
      'output/funding-notice',
    )
      .option('--year <yyyy>', 'the programme year (default: from the project numbers)', yearOption)
      .option('--date <YYYY-MM-DD>', '成文日期 (default: blank, written by hand)')
      .option('--config <file.yaml>', 'the wording (default config/funding-notice.yaml)')
      .action(run(renderFundingNoticeCommand)),
  (render) =>
    common(
      render
        .command('acceptance-applications')
        .summary('验收申请表: one per funded project')
        .description(
          '生成验收申请表：项目概况、协议约定的目标与考核指标及完成情况、经费使用情况（到位经费预填，支出科目手填）、工作总结、乙方承诺签字、甲方和派出单位意见。',
        ),
      'output/acceptance',
    ).action(run(renderAcceptanceApplicationsCommand)),
  (render) =>
    common(
      render
        .command('enterprise-evaluations')
        .summary('甲方评价意见表: one per funded project')
        .description(
          '生成甲方评价意见表：项目概况、分项评价（优秀/良好/合格/不合格）、综合评价意见、甲方盖章和签字。',
        ),
      'output/evaluations',
    ).action(run(renderEnterpriseEvaluationsCommand)),
];
