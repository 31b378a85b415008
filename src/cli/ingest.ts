// `xietong ingest`: scans, photos, feeder PDFs and filled .docx forms → records.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { type Command, Option } from 'commander';
import { type IngestBatchResult, type IngestProgress, ingestBatch } from '../app/index.js';
import { EXIT_CODES, RunError } from '../errors.js';
import type { IngestResult } from '../ingest/index.js';
import { summaryText } from '../ingest/output.js';
import type { TesseractModel } from '../ocr/types.js';
import { defaultDbPath, openStore, type PutSummary, type SqliteRecordStore } from '../store/index.js';
import { createProgress } from './progress.js';
import { REFERENCE_DATE_HELP } from './store.js';

export interface IngestCommandOptions {
  out: string;
  json?: boolean;
  model?: TesseractModel;
  workers?: number;
  referenceDate?: string;
  quiet?: boolean;
  /** SQLite file the records are saved into (default: XIETONG_DB, else ./xietong.db); false: none. */
  db?: string | boolean;
  /** Re-read costly and unsure fields with PaddleOCR (default true; commander's --no-second-reader). */
  secondReader?: boolean;
}

export type IngestRunResult = IngestBatchResult;

export async function runIngest(paths: string[], options: IngestCommandOptions): Promise<IngestRunResult> {
  const progress = options.quiet ? undefined : createProgress('导入 ingest');
  const onProgress = (p: IngestProgress) =>
    progress?.update(p.pagesDone, p.pagesTotal, p.file ? relative(process.cwd(), p.file) : undefined);
  const dbPath =
    options.db === false ? undefined : typeof options.db === 'string' ? options.db : defaultDbPath();
  const run = (store?: SqliteRecordStore) =>
    ingestBatch(paths, {
      store,
      out: options.out,
      model: options.model,
      workers: options.workers,
      referenceDate: options.referenceDate,
      secondReader: options.secondReader,
      onProgress,
    });
  if (!dbPath) return run();
  const store = await openStore(dbPath);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/**
 * A batch that read nothing, or was given a path that is not there, must not look like success to
 * a script: outputs are written first, then the run ends with its own exit code.
 */
export function runOutcome(paths: readonly string[], result: IngestResult): void {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0)
    throw new RunError(
      'inputNotFound',
      `找不到文件或文件夹：${missing.join('、')} / no such file or folder`,
      '检查路径是否拼写正确 / check the path (other paths given were read; see the summary above).',
    );
  if (result.submissions.length === 0)
    throw new RunError(
      'nothingRead',
      `没有读出任何记录（${result.stats.files} 个文件，${result.failures.length} 个无法读取）/ nothing was read into a record`,
      '查看上面列出的失败原因，修正文件后重新导入 / see the failures listed above, fix the files and ingest again.',
    );
}

function storedText(s: PutSummary & { db: string }): string {
  return (
    `  → 数据库 / database ${relative(process.cwd(), s.db) || s.db}: ` +
    `新增 ${s.inserted} new, 更新 ${s.updated} updated, 未变 ${s.unchanged} unchanged（人工更正均保留 / corrections kept）`
  );
}

export function register(program: Command): void {
  program
    .command('ingest')
    .summary('read scans, photos, PDFs and filled .docx forms into records / 导入表格')
    .description(
      '读取扫描件（PNG/JPEG/TIFF）、手机照片、扫描仪 PDF 和填好的 Word 表格，生成记录。\n' +
        'Reads scans, phone photos, feeder PDFs and filled .docx forms into records: one per submission,\n' +
        'each field with its value, confidence and source box. Fields the machine is unsure of are\n' +
        'flagged for review. A file that cannot be read is listed as a failure; the batch goes on.',
    )
    .argument('<paths...>', 'files or folders (folders are searched recursively)')
    .option('-o, --out <dir>', 'output folder: records.json, crops/, summary.txt', 'output/ingest')
    .option('--json', 'print { submissions, failures } as JSON on stdout')
    .addOption(
      new Option(
        '--model <name>',
        'tesseract model: 4.0.0 (accurate) or 4.0.0_best_int (faster, less accurate)',
      )
        .choices(['4.0.0', '4.0.0_best_int'])
        .default('4.0.0'),
    )
    .option('--workers <n>', 'OCR workers (default: one per core)', (v) => Number.parseInt(v, 10))
    .option('--reference-date <YYYY-MM-DD>', REFERENCE_DATE_HELP)
    .option(
      '--db <file>',
      'SQLite database the records are saved into (default: $XIETONG_DB or ./xietong.db)',
    )
    .option('--no-db', 'do not save into the database (records.json only)')
    .option(
      '--no-second-reader',
      'read with tesseract alone (faster); by default PaddleOCR re-reads names, units, phones, dates\n' +
        'and the rows tesseract is unsure of, and a field the two read differently goes to review',
    )
    .addHelpText(
      'after',
      `
Exit status / 退出码: 0 when at least one record was read; ${EXIT_CODES.nothingRead} (nothingRead) when none was —
every file failed, or the folders held no input; ${EXIT_CODES.inputNotFound} (inputNotFound) when a path given does not exist.
records.json and summary.txt are written in every case.

Examples / 示例:
  xietong ingest samples/scans samples/docx
  xietong ingest scans/batch-03.pdf --json > batch-03.json
  xietong ingest ~/扫描件 --out output/2020-05 --workers 2`,
    )
    .action(async (paths: string[], opts: IngestCommandOptions) => {
      const result = await runIngest(paths, { ...opts, quiet: Boolean(opts.json) });
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ submissions: result.submissions, failures: result.failures }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(`${summaryText(result)}\n  → ${opts.out}/records.json, ${opts.out}/crops/\n`);
        if (result.stored) process.stdout.write(`${storedText(result.stored)}\n`);
      }
      runOutcome(paths, result);
    });
}
