// `xietong forms`: the three attachments as .docx and PDF, blank (to hand out with the notice) or
// pre-filled from records (to print what was read, or what a person typed into the review page).
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { RunError } from '../errors.js';
import { FORMS } from '../forms/index.js';
import { type RenderFormsSummary, renderForms } from '../render/forms.js';
import { FORM_KINDS, type FormKind, type SubmissionRecord, SubmissionRecordSchema } from '../types.js';
import { withPdfConverter } from './converter.js';

export interface FormsCommandOptions {
  /** JSON file: an array of records or `{ "submissions": [...] }`. Without it: blank forms. */
  data?: string;
  out: string;
  pdf: boolean;
  form?: FormKind;
}

export interface Output {
  write(text: string): unknown;
}

const MAX_PROBLEMS = 5;
const MAX_LISTED = 20;

/** Reads and validates a records file; any problem is a RunError('badDataFile') naming the file. */
export async function readRecordsFile(path: string): Promise<SubmissionRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `Cannot read the data file ${path}. 无法读取数据文件 ${path}。`,
      'Check the path given to --data.',
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw badData(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  const wrapped = json !== null && typeof json === 'object' && !Array.isArray(json) && 'submissions' in json;
  const list = wrapped ? (json as { submissions: unknown }).submissions : json;
  if (!Array.isArray(list)) {
    throw badData(path, ['expected an array of records, or an object { "submissions": [...] }']);
  }
  const parsed = z.array(SubmissionRecordSchema).safeParse(list);
  if (!parsed.success) {
    const prefix = wrapped ? 'submissions' : '';
    const problems = parsed.error.issues.map((issue) => {
      const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return `${(prefix + at).replace(/^\./, '') || '(top level)'}: ${issue.message}`;
    });
    throw badData(path, problems);
  }
  return parsed.data;
}

function badData(path: string, problems: string[]): RunError {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `  - ${p}`);
  if (problems.length > MAX_PROBLEMS) shown.push(`  … and ${problems.length - MAX_PROBLEMS} more`);
  return new RunError(
    'badDataFile',
    `数据文件 ${path} 不是有效的记录文件 / ${path} is not a valid records file:\n${shown.join('\n')}`,
    'Each record needs id, form (registration | demand | problem), sources, fields ({ value, confidence }) and issues; ' +
      'see docs/record-format.md (记录格式 / the record format).',
  );
}

/** The command as a plain function: tests call it directly. */
export async function formsCommand(
  options: FormsCommandOptions,
  out: Output = process.stdout,
): Promise<RenderFormsSummary> {
  const records = options.data ? await readRecordsFile(options.data) : undefined;
  const forms = options.form ? [options.form] : undefined;
  const summary = await withPdfConverter(options.pdf, (converter) =>
    renderForms({ records, outDir: options.out, pdf: options.pdf, forms, converter }),
  );
  out.write(describe(summary, options, records));
  if (summary.written.length === 0 && summary.failures.length > 0) {
    throw new RunError(
      'templateInvalid',
      `没有生成任何表格 / no form could be rendered (${summary.failures.length} failure(s), listed above).`,
      'Check the templates in templates/ (npm test lints them) and the records named above.',
    );
  }
  if (options.pdf && summary.written.length > 0 && summary.written.every((w) => !w.pdf)) {
    throw new RunError(
      'converterFailed',
      '所有 PDF 转换均失败 / every PDF conversion failed; the .docx files were written.',
      'Try `soffice --headless --convert-to pdf` on one of the .docx files to see why, or rerun with --no-pdf.',
    );
  }
  return summary;
}

function describe(
  summary: RenderFormsSummary,
  options: FormsCommandOptions,
  records?: SubmissionRecord[],
): string {
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  const lines: string[] = [];
  const blank = summary.written.filter((w) => !w.filled);
  const filled = summary.written.filter((w) => w.filled);
  const formats = options.pdf ? '.docx + .pdf' : '.docx';
  if (blank.length > 0) {
    lines.push(`空白表格 ${blank.length} 份 / ${blank.length} blank form(s) (${formats}):`);
    for (const w of blank) {
      const def = FORMS[w.form];
      lines.push(
        `  附件${def.attachment} ${def.shortName} (${w.form})  ${rel(w.docx)}${w.pdf ? `  ${rel(w.pdf)}` : ''}`,
      );
    }
  }
  if (records) {
    const skipped =
      records.length - filled.length - summary.failures.filter((f) => f.code !== 'pdf_failed').length;
    lines.push(
      `填好的表格 ${filled.length} 份 / ${filled.length} filled form(s) (${formats}) → ${rel(summary.outDir)}/filled`,
    );
    for (const w of filled.slice(0, MAX_LISTED)) {
      lines.push(`  ${w.id}  ${FORMS[w.form].shortName}  ${rel(w.docx)}${w.pdf ? '  +pdf' : ''}`);
    }
    if (filled.length > MAX_LISTED) lines.push(`  … and ${filled.length - MAX_LISTED} more`);
    if (options.form && skipped > 0)
      lines.push(`  (${skipped} record(s) of other forms skipped: --form ${options.form})`);
    if (records.length === 0) lines.push('  (the data file holds no records / 数据文件中没有记录)');
  }
  if (summary.templateProblems.length > 0) {
    lines.push(`模板问题 / template problems (npm test lints the templates):`);
    for (const p of summary.templateProblems) lines.push(`  ${p.code}: ${p.message}`);
  }
  if (summary.failures.length > 0) {
    lines.push(`失败 ${summary.failures.length} 项 / ${summary.failures.length} failure(s):`);
    for (const f of summary.failures.slice(0, MAX_LISTED))
      lines.push(`  ${f.id} (${f.form}) ${f.code}: ${f.message}`);
    if (summary.failures.length > MAX_LISTED)
      lines.push(`  … and ${summary.failures.length - MAX_LISTED} more`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('forms')
    .summary('print the attachment forms, blank or pre-filled / 生成报名表、需求表、难题征集表')
    .description(
      '生成通知的三个附件表格（.docx 与 PDF）：空白表格，或用记录预先填好的表格。\n\n' +
        'Writes the three attachment forms of the notice as .docx and PDF: blank by default, or pre-filled ' +
        'from a JSON file of records. The layouts come from templates/*.docx, which can be edited in Word ' +
        '(keep each {tag} intact).\n\n' +
        '  blank:   <out>/blank/registration|demand|problem.docx (.pdf)\n' +
        '  filled:  <out>/filled/<record id>.docx (.pdf)',
    )
    .option('--data <records.json>', 'records to pre-fill: an array of records or { "submissions": [...] }')
    .option('--out <dir>', 'output folder / 输出目录', 'output/forms')
    .option('--no-pdf', 'write .docx only (no LibreOffice needed) / 只生成 .docx')
    .addOption(new Option('--form <kind>', 'only this form / 只生成这一种表格').choices(FORM_KINDS))
    .addHelpText(
      'after',
      `
Examples / 示例:
  $ xietong forms                                   # 3 blank forms in output/forms/blank
  $ xietong forms --form registration --no-pdf      # blank 报名表 as .docx only
  $ xietong forms --data records.json --out printed # pre-filled forms in printed/filled`,
    )
    .action(async (opts: { data?: string; out: string; pdf: boolean; form?: FormKind }) => {
      await formsCommand(opts);
    });
}
