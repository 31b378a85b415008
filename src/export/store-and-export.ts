// One call for the demo (and scripts): ingest into the database, check, export the 汇总表.
import { join } from 'node:path';
import { type IngestRunResult, runIngest } from '../cli/ingest.js';
import { openStore } from '../store/sqlite.js';
import type { StoreCounts } from '../store/types.js';
import { type ExportFormat, type ExportResult, exportCopyNote, exportStore } from './index.js';

export interface StoreAndExportOptions {
  /** Files or folders to ingest first; none: export what the database already holds. */
  inputs?: readonly string[];
  /** The SQLite file (created if missing). */
  db: string;
  /** Export folder: 汇总表.xlsx, <form>.csv, records.json. */
  out: string;
  /** Where ingest writes records.json and crops (default: <out>/ingest). */
  ingestOut?: string;
  formats?: readonly ExportFormat[];
  referenceDate?: string;
  /** No progress bar on stderr. */
  quiet?: boolean;
}

export interface StoreAndExportResult {
  ingest?: IngestRunResult;
  export: ExportResult;
  counts: StoreCounts;
  db: string;
}

export async function storeAndExport(options: StoreAndExportOptions): Promise<StoreAndExportResult> {
  const ingest =
    options.inputs && options.inputs.length > 0
      ? await runIngest([...options.inputs], {
          out: options.ingestOut ?? join(options.out, 'ingest'),
          db: options.db,
          referenceDate: options.referenceDate,
          quiet: options.quiet ?? true,
        })
      : undefined;
  const store = await openStore(options.db);
  try {
    const exported = await exportStore(store, {
      outDir: options.out,
      formats: options.formats,
      check: options.referenceDate ? { referenceDate: options.referenceDate } : {},
    });
    await store.noteCopy(exportCopyNote(exported, options.out, options.referenceDate));
    return { ingest, export: exported, counts: await store.counts(), db: store.location };
  } finally {
    await store.close();
  }
}
