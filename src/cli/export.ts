// `xietong export`: the 汇总表 from the database — .xlsx (a sheet per form), CSV per form, JSON.
import { relative } from 'node:path';
import type { Command } from 'commander';
import { exportAll, exportCopy } from '../app/index.js';
import { RunError } from '../errors.js';
import { EXPORT_FORMATS, type ExportFormat, type ExportResult, parseFormats } from '../export/index.js';
import type { CopyNote } from '../store/index.js';
import {
  DB_OPTION_HELP,
  type Output,
  openExistingStore,
  REFERENCE_DATE_HELP,
  withStoreReadOnly,
} from './store.js';

export interface ExportCommandOptions {
  db?: string;
  out: string;
  /** Comma-separated, e.g. 'xlsx,csv'. */
  format?: string | readonly ExportFormat[];
  referenceDate?: string;
}

export async function runExport(
  options: ExportCommandOptions,
  out: Output = process.stdout,
): Promise<ExportResult> {
  let formats: readonly ExportFormat[] = EXPORT_FORMATS;
  if (typeof options.format === 'string') {
    const parsed = parseFormats(options.format);
    if (parsed.unknown.length > 0 || parsed.formats.length === 0) {
      throw new RunError(
        'usage',
        `不支持的导出格式 / unknown export format: ${parsed.unknown.join(', ') || options.format}`,
        `Choose from ${EXPORT_FORMATS.join(', ')}, e.g. --format xlsx,csv`,
      );
    }
    formats = parsed.formats;
  } else if (options.format) formats = options.format;
  const exportOptions = { out: options.out, formats, referenceDate: options.referenceDate };
  const result = await withStoreReadOnly(options.db, (store) => exportAll(store, exportOptions));
  await noteExport(options.db, exportCopy(result, exportOptions), out);
  for (const f of result.files) {
    out.write(
      `✓ ${relative(process.cwd(), f.path) || f.path}${f.rows !== undefined ? `（${f.rows} 行 rows）` : ''}\n`,
    );
  }
  const s = result.report.summary;
  out.write(
    `  ${s.records - s.copies} 份记录 records（一式二份副本 ${s.copies} 份不另列 second copies not listed）；` +
      `问题 issues: 错误 ${s.bySeverity.error}，警告 ${s.bySeverity.warning}，提示 ${s.bySeverity.info}\n`,
  );
  return result;
}

/**
 * The export read the database read-only (it never waits for an ingest); the folder it wrote is
 * then noted in one short write, so that `store erase` can rewrite these files later. If that write
 * cannot be made (the file is read-only to this user, or stays locked), the export stands and says
 * that an erasure will not find it.
 */
async function noteExport(db: string | undefined, note: CopyNote, out: Output): Promise<void> {
  try {
    const store = await openExistingStore(db, { busyTimeoutMs: NOTE_WAIT_MS });
    try {
      await store.noteCopy(note);
    } finally {
      await store.close();
    }
  } catch (err) {
    out.write(
      `  ! 未能在数据库中记下此次导出的位置（${err instanceof Error ? err.message : String(err)}）：\n` +
        '    日后 `xietong store erase` 不会改写这些文件，删除个人信息时请手工处理。\n' +
        '    The database could not note this export: `xietong store erase` will not rewrite these files.\n',
    );
  }
}

/** How long the note of an export waits for an ingest's write lock (an ingest holds it per record). */
const NOTE_WAIT_MS = 2000;

export function register(program: Command): void {
  program
    .command('export')
    .summary('the 汇总表 as .xlsx, CSV and JSON / 导出汇总表')
    .description(
      '从数据库导出汇总表：Excel 工作簿（报名表、企业需求表、难题征集表各一页，含状态和问题列）、\n' +
        '每种表格一个 CSV（UTF-8，Excel 可直接打开）、JSON（含人工更正和修改记录）。\n' +
        'Exports the summary tables from the database: one workbook with a sheet per form (status and\n' +
        'issues columns), a CSV per form (UTF-8 with BOM), and JSON with corrections and history.',
    )
    .option('--db <file>', DB_OPTION_HELP)
    .option('-o, --out <dir>', 'output folder', 'output/export')
    .option('--format <list>', `comma-separated: ${EXPORT_FORMATS.join(',')}`, EXPORT_FORMATS.join(','))
    .option('--reference-date <YYYY-MM-DD>', REFERENCE_DATE_HELP)
    .addHelpText(
      'after',
      `
Examples / 示例:
  xietong export
  xietong export --out 汇总 --format xlsx
  xietong export --db output/xietong.db --format csv,json`,
    )
    .action(async (opts: ExportCommandOptions) => {
      await runExport(opts);
    });
}
