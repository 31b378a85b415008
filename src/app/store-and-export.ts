// Use case for the demo (and scripts): ingest into the database, check, export the 汇总表 — one
// call, on the same ingestBatch and exportAll the CLI and the workbench use.
import { join } from 'node:path';
import type { ExportFormat, ExportResult } from '../export/index.js';
import { openStore, type StoreCounts } from '../store/index.js';
import { exportAll, exportCopy } from './export.js';
import { type IngestBatchResult, type IngestProgress, ingestBatch } from './ingest.js';

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
  onProgress?: (p: IngestProgress) => void;
}

export interface StoreAndExportResult {
  ingest?: IngestBatchResult;
  export: ExportResult;
  counts: StoreCounts;
  db: string;
}

export async function storeAndExport(options: StoreAndExportOptions): Promise<StoreAndExportResult> {
  const store = await openStore(options.db);
  try {
    const ingest =
      options.inputs && options.inputs.length > 0
        ? await ingestBatch([...options.inputs], {
            store,
            out: options.ingestOut ?? join(options.out, 'ingest'),
            referenceDate: options.referenceDate,
            onProgress: options.onProgress,
          })
        : undefined;
    const exportOptions = {
      out: options.out,
      formats: options.formats,
      referenceDate: options.referenceDate,
    };
    const exported = await exportAll(store, exportOptions);
    await store.noteCopy(exportCopy(exported, exportOptions));
    return { ingest, export: exported, counts: await store.counts(), db: store.location };
  } finally {
    await store.close();
  }
}
