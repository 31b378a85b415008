// `xietong render scoresheets | agreements | certificates <projects.json>`: the official documents of
// a project after the match. Each subcommand is a plain exported function (tests call them) and a
// registrar that src/cli/render.ts adds to the `render` group. Stamping and the print file are
// src/cli/stamp-options.ts, shared with `render notice`.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { recordStates } from '../app/projects.js';
import { RunError } from '../errors.js';
import { loadProjects, type Project, STATE_NAMES } from '../projects/types.js';
import { type LegalDocument, type Readiness, readiness, type SourceRecordState } from '../projects/verify.js';
import { loadAgreementConfig, renderAgreements } from '../render/agreements.js';
import {
  CERTIFICATE_STATES,
  type RenderCertificatesResult,
  renderCertificates,
} from '../render/certificates.js';
import { DOCUMENT_NAMES, type RenderDocumentsSummary } from '../render/documents.js';
import { type RenderScoreSheetsResult, renderScoreSheets } from '../render/scoresheets.js';
import { loadScoringConfig } from '../scores/config.js';
import { anonymousExperts, loadExperts, type PanelExpert } from '../scores/experts.js';
import { defaultDbPath } from '../store/index.js';
import { withPdfConverter } from './converter.js';
import { withProjectStore } from './project.js';
import {
  addStampOptions,
  checkStampOptions,
  type StampCommandOptions,
  type StampInput,
  type StampRun,
  stampDocuments,
} from './stamp-options.js';
import { DB_OPTION_HELP } from './store.js';

interface Output {
  write(chunk: string): unknown;
}

const rel = (p: string) => relative(process.cwd(), p) || '.';

/** `--only a,b`: keeps those projects, and names any id the file does not hold. */
export function selectProjects(projects: Project[], only: string | undefined): Project[] {
  if (!only) return projects;
  const ids = only
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !projects.some((p) => p.id === id));
  if (unknown.length > 0) {
    throw new RunError(
      'usage',
      `--only: 项目文件中没有 ${unknown.join(', ')} / no such project(s) in the file.`,
      `Known ids: ${projects.map((p) => p.id).join(', ')}`,
    );
  }
  return projects.filter((p) => ids.includes(p.id));
}

export interface ProjectSource {
  /** A projects.json file; without it, the projects of the database. */
  file?: string;
  db?: string;
}

/**
 * The projects to render, from the file or the store, with the state of their records. A
 * projects file is checked against the database too: its parties are only as verified as the
 * records they came from (none, when the database does not hold them).
 */
export async function loadProjectsAndRecords(
  source: ProjectSource,
): Promise<{ projects: Project[]; records: Map<string, SourceRecordState> }> {
  if (!source.file) {
    return withProjectStore(source.db, async (s) => ({
      projects: await s.listProjects(),
      records: await recordStates(s),
    }));
  }
  const projects = await loadProjects(source.file);
  const dbPath = source.db ?? defaultDbPath();
  const records = existsSync(dbPath) ? await withProjectStore(dbPath, recordStates) : new Map();
  return { projects, records };
}

/** Readiness of each project for a legal document. */
export const readinessOf = (
  projects: readonly Project[],
  doc: LegalDocument,
  records: ReadonlyMap<string, SourceRecordState>,
): Map<string, Readiness> => new Map(projects.map((p) => [p.id, readiness(p, doc, records)]));

/** A refusal ends the run non-zero (after the others were written), pointing at --draft. */
function checkRefusals(summary: RenderDocumentsSummary, draft: boolean | undefined): void {
  const refused = summary.failures.filter((f) => f.code === 'plan_failed');
  if (draft || refused.length === 0 || summary.written.length === 0) return;
  throw new RunError(
    'badDataFile',
    `${refused.length} 个项目未生成${DOCUMENT_NAMES[summary.kind]}（原因见上）/ ${refused.length} project(s) refused, listed above.`,
    'Approve the records named above (xietong review) and fill in the terms (xietong project export --xlsx / import); --draft renders them anyway, marked 草稿.',
  );
}

/** The per-document report: written files, missing values, warnings, failures. */
export function describeDocuments(summary: RenderDocumentsSummary, out: Output): void {
  const name = DOCUMENT_NAMES[summary.kind];
  const formats = summary.written.some((w) => w.pdf) ? '.docx + .pdf' : '.docx';
  out.write(
    `${name} ${summary.written.length} 份 / ${summary.written.length} document(s) (${formats}) → ${rel(summary.outDir)}\n`,
  );
  for (const w of summary.written) {
    out.write(`  ✓ ${rel(w.docx)}${w.pdf ? '  +pdf' : ''}\n`);
    if (w.missing.length > 0) {
      out.write(
        `    ! 缺少 / missing (printed empty): ${w.missing.map((m) => (m.label === m.key ? m.key : `${m.label} (${m.path ?? m.key})`)).join('，')}\n`,
      );
    }
    for (const warning of w.warnings) out.write(`    ! ${warning}\n`);
  }
  for (const p of summary.templateProblems) out.write(`  ! 模板 / template: ${p.message}\n`);
  if (summary.failures.length > 0) {
    out.write(`失败 ${summary.failures.length} 项 / ${summary.failures.length} failure(s):\n`);
    for (const f of summary.failures) out.write(`  ✗ ${f.id} ${f.code}: ${f.message}\n`);
  }
}

/** Ends the run when nothing could be written: otherwise failures are listed and the rest stands. */
export function checkOutcome(summary: RenderDocumentsSummary, pdf: boolean): void {
  if (summary.written.length === 0 && summary.failures.length > 0) {
    throw new RunError(
      'badDataFile',
      `没有生成任何${DOCUMENT_NAMES[summary.kind]} / no document could be written (${summary.failures.length} failure(s), listed above).`,
      'Approve the records named above (xietong review), fill in the terms (xietong project export --xlsx, then import) or fix the projects file; --draft writes marked drafts meanwhile.',
    );
  }
  if (pdf && summary.written.length > 0 && summary.written.every((w) => !w.pdf)) {
    throw new RunError(
      'converterFailed',
      '所有 PDF 转换均失败 / every PDF conversion failed; the .docx files were written.',
      'Try `soffice --headless --convert-to pdf` on one of the .docx files to see why, or rerun with --no-pdf.',
    );
  }
}

/** The PDFs of a batch, for stamping and the print file. */
const pdfsOf = (summary: RenderDocumentsSummary): StampInput[] =>
  summary.written.flatMap((w) => (w.pdf ? [{ id: w.id, pdf: w.pdf }] : []));

const SEAL_NOTE =
  '  盖章、签字处留空，由各方手工签章；PDF 中的印章图片不是合法的电子签章。\n' +
  '  Seal and signature areas are blank for ink: a seal image in a PDF is not a legally valid electronic seal.\n';

// ---- scoresheets -----------------------------------------------------------------------------------

export interface ScoreSheetsCommandOptions extends StampCommandOptions {
  out: string;
  db?: string;
  pdf: boolean;
  experts?: number;
  expertsFile?: string;
  config?: string;
  template?: string;
  only?: string;
  /** Include projects still in state `matched` (no agreement yet). */
  all?: boolean;
}

export async function renderScoreSheetsCommand(
  projectsFile: string | undefined,
  options: ScoreSheetsCommandOptions,
  out: Output = process.stdout,
): Promise<RenderScoreSheetsResult & { stamping?: StampRun }> {
  await checkStampOptions(options, 'none');
  if (options.experts !== undefined && options.expertsFile) {
    throw new RunError(
      'usage',
      '--experts 与 --experts-file 只能二选一 / give one of --experts and --experts-file.',
      'Use --experts N for anonymous sheets, or --experts-file for named experts.',
    );
  }
  const config = await loadScoringConfig(options.config);
  const all = selectProjects(
    projectsFile
      ? await loadProjects(projectsFile)
      : await withProjectStore(options.db, (s) => s.listProjects()),
    options.only,
  );
  const projects = options.all || options.only ? all : all.filter((p) => p.state !== 'matched');
  for (const p of all.filter((x) => !projects.includes(x))) {
    out.write(
      `  - ${p.id} 跳过 / skipped: ${STATE_NAMES[p.state]} (${p.state}), 尚未签订三方协议 — --all to include it\n`,
    );
  }
  let panel: PanelExpert[] | undefined;
  if (options.expertsFile) panel = await loadExperts(options.expertsFile);
  else if (options.experts !== undefined) panel = anonymousExperts(options.experts);
  const result = await withPdfConverter(options.pdf, (converter) =>
    renderScoreSheets(projects, {
      outDir: options.out,
      pdf: options.pdf,
      config,
      experts: panel,
      template: options.template,
      converter,
    }),
  );
  if (!result.workbook) {
    throw new RunError(
      'usage',
      '没有评审专家，无法生成打分表 / no experts: nothing to write.',
      'Give --experts N (anonymous sheets) or --experts-file experts.yaml, or list evaluation.experts in the projects.',
    );
  }
  for (const p of result.panelProblems) out.write(`  ✗ ${p.message}\n`);
  describeDocuments(result.sheets, out);
  out.write(
    `评分录入表 / score workbook: ${rel(result.workbook)} (${result.meta?.sheets.length ?? 0} expert sheet(s))\n`,
  );
  out.write(
    `  → 专家评分录入后 / when filled: xietong scores import ${rel(result.workbook)}${projectsFile ? ` --projects ${projectsFile}` : ''}\n`,
  );
  checkOutcome(result.sheets, options.pdf);
  const stamping = await stampDocuments(pdfsOf(result.sheets), options, 'none', out);
  return { ...result, stamping };
}

const positiveInt = (max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
  return n;
};

function registerScoreSheets(render: Command): void {
  const command = render
    .command('scoresheets')
    .summary('评审打分表: a sheet per project and expert, and the score workbook')
    .description(
      '生成评审打分表（每个项目、每位专家一份 .docx/PDF，供现场考察填写）和评分录入表（.xlsx，每位专家一张工作表）。\n\n' +
        "Writes a score sheet per project and expert (project facts, the notice's criteria with points and bands, " +
        'an empty score column, total, opinion, signature) and one workbook to type the scores into. Criteria, ' +
        'weights and bands come from config/scoring.yaml. Projects still `matched` (no agreement) are skipped unless --all.',
    )
    .argument('[projects.json]', 'a projects file instead of the database (see samples/projects.json)')
    .option('--db <file>', DB_OPTION_HELP)
    .option(
      '--experts <n>',
      'number of anonymous experts per project (names written by hand)',
      positiveInt(30),
    )
    .option('--experts-file <file>', 'named experts (YAML or JSON), e.g. samples/scores/experts.yaml')
    .option('--out <dir>', 'output folder / 输出目录', 'output/scoresheets')
    .option('--no-pdf', 'write .docx only (no LibreOffice needed)')
    .option('--config <scoring.yaml>', 'scoring configuration', undefined)
    .option('--only <ids>', 'only these project ids, comma-separated')
    .option('--all', 'include projects in state matched')
    .option('--template <file.docx>', 'another template (default templates/scoresheet.docx)');
  addStampOptions(command, 'none').action(
    async (file: string | undefined, opts: ScoreSheetsCommandOptions) => {
      await renderScoreSheetsCommand(file, opts);
    },
  );
}

// ---- agreements ------------------------------------------------------------------------------------

export interface AgreementsCommandOptions extends StampCommandOptions {
  out: string;
  db?: string;
  pdf: boolean;
  config?: string;
  template?: string;
  only?: string;
}

export async function renderAgreementsCommand(
  projectsFile: string | undefined,
  options: AgreementsCommandOptions,
  out: Output = process.stdout,
): Promise<RenderDocumentsSummary & { stamping?: StampRun }> {
  await checkStampOptions(options, 'party');
  const config = await loadAgreementConfig(options.config);
  const loaded = await loadProjectsAndRecords({ file: projectsFile, db: options.db });
  const projects = selectProjects(loaded.projects, options.only);
  const summary = await withPdfConverter(options.pdf, (converter) =>
    renderAgreements(projects, {
      outDir: options.out,
      pdf: options.pdf,
      config,
      template: options.template,
      converter,
      readiness: readinessOf(projects, 'agreement', loaded.records),
      draft: options.draft,
    }),
  );
  describeDocuments(summary, out);
  out.write(SEAL_NOTE);
  checkOutcome(summary, options.pdf);
  const stamping = await stampDocuments(pdfsOf(summary), options, 'party', out);
  checkRefusals(summary, options.draft);
  return { ...summary, stamping };
}

function registerAgreements(render: Command): void {
  const command = render
    .command('agreements')
    .summary('三方协议: an agreement draft per project')
    .description(
      '生成三方协议草稿（甲方企业、乙方入企人才或团队、丙方派出单位），每个项目一份 .docx/PDF。\n\n' +
        "Tasks come from the notice's four duties, written out from the demand's needs and the planned work; the " +
        'intellectual-property variant, confidentiality and other clauses from config/agreement.yaml. A term shorter ' +
        'than half a year is an error for that project (no draft is written); missing values are listed per document.',
    )
    .argument('[projects.json]', 'a projects file instead of the database (see samples/projects.json)')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--out <dir>', 'output folder / 输出目录', 'output/agreements')
    .option('--no-pdf', 'write .docx only (no LibreOffice needed)')
    .option('--config <agreement.yaml>', 'agreement configuration', undefined)
    .option('--only <ids>', 'only these project ids, comma-separated')
    .option('--template <file.docx>', 'another template (default templates/agreement.docx)');
  addStampOptions(command, 'party').action(
    async (file: string | undefined, opts: AgreementsCommandOptions) => {
      await renderAgreementsCommand(file, opts);
    },
  );
}

// ---- certificates ----------------------------------------------------------------------------------

export interface CertificatesCommandOptions extends StampCommandOptions {
  out: string;
  db?: string;
  pdf: boolean;
  template?: string;
  only?: string;
  all?: boolean;
}

export async function renderCertificatesCommand(
  projectsFile: string | undefined,
  options: CertificatesCommandOptions,
  out: Output = process.stdout,
): Promise<RenderCertificatesResult & { stamping?: StampRun }> {
  await checkStampOptions(options, 'party');
  const loaded = await loadProjectsAndRecords({ file: projectsFile, db: options.db });
  const projects = selectProjects(loaded.projects, options.only);
  const result = await withPdfConverter(options.pdf, (converter) =>
    renderCertificates(projects, {
      outDir: options.out,
      pdf: options.pdf,
      template: options.template,
      all: options.all || Boolean(options.only),
      converter,
      readiness: readinessOf(projects, 'certificate', loaded.records),
      draft: options.draft,
    }),
  );
  for (const s of result.skipped) {
    out.write(`  - ${s.id} 跳过 / skipped: ${STATE_NAMES[s.state]} (${s.state})，${s.reason}\n`);
  }
  describeDocuments(result.summary, out);
  out.write(SEAL_NOTE);
  if (result.summary.written.length === 0 && result.summary.failures.length === 0) {
    out.write('  (没有处于验收阶段的项目 / no project is at acceptance yet)\n');
  }
  checkOutcome(result.summary, options.pdf);
  const stamping = await stampDocuments(pdfsOf(result.summary), options, 'party', out);
  checkRefusals(result.summary, options.draft);
  return { ...result, stamping };
}

function registerCertificates(render: Command): void {
  const command = render
    .command('certificates')
    .summary('验收证书: an acceptance certificate per project')
    .description(
      '生成验收证书：项目、三方、实施期限、目标与完成情况对照表、专家组意见、验收结论（通过 / 需要复议 / 不通过）、专家签字和市科技局盖章处。\n\n' +
        `Only projects under way or accepted (states ${CERTIFICATE_STATES.join(', ')}) ` +
        'or with an acceptance block, unless --all.',
    )
    .argument('[projects.json]', 'a projects file instead of the database (see samples/projects.json)')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--out <dir>', 'output folder / 输出目录', 'output/certificates')
    .option('--no-pdf', 'write .docx only (no LibreOffice needed)')
    .option('--only <ids>', 'only these project ids, comma-separated')
    .option('--all', 'every project, blank where acceptance data is missing')
    .option('--template <file.docx>', 'another template (default templates/certificate.docx)');
  addStampOptions(command, 'party').action(
    async (file: string | undefined, opts: CertificatesCommandOptions) => {
      await renderCertificatesCommand(file, opts);
    },
  );
}

export const DOCUMENT_SUBCOMMANDS: ReadonlyArray<(render: Command) => void> = [
  registerScoreSheets,
  registerAgreements,
  registerCertificates,
];
