// `xietong export`: the 汇总表 from the database — .xlsx (a sheet per form), CSV per form, JSON.
import { relative } from 'node:path';
import type { Command } from 'commander';
import { exportAll } from '../app/index.js';
import { RunError } from '../errors.js';
import { EXPORT_FORMATS, type ExportFormat, type ExportResult, parseFormats } from '../export/index.js';
import { DB_OPTION_HELP, type Output, REFERENCE_DATE_HELP, withStoreReadOnly } from './store.js';

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
  const result = await withStoreReadOnly(options.db, (store) =>
    exportAll(store, { out: options.out, formats, referenceDate: options.referenceDate }),
  );
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
