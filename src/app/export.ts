// Use case: export the 汇总表. `xietong export` writes the formats asked for into a folder; the
// workbench asks for the workbook alone into a fresh folder and sends it as a download.
import {
  type ExportFormat,
  type ExportResult,
  exportCopyNote,
  exportStore,
  XLSX_NAME,
} from '../export/index.js';
import type { CopyNote, RecordStore } from '../store/types.js';

export interface ExportOptions {
  out: string;
  formats?: readonly ExportFormat[];
  referenceDate?: string;
}

export function exportAll(store: RecordStore, options: ExportOptions): Promise<ExportResult> {
  return exportStore(store, {
    outDir: options.out,
    formats: options.formats,
    check: options.referenceDate ? { referenceDate: options.referenceDate } : {},
  });
}

/** What the store remembers of an export, so that `store erase` can rewrite it later. */
export function exportCopy(result: ExportResult, options: ExportOptions): CopyNote {
  return exportCopyNote(result, options.out, options.referenceDate);
}

/** The workbook's path in an export's files (the workbook is always asked for by the workbench). */
export function workbookOf(result: ExportResult): string | undefined {
  return result.files.find((f) => f.format === 'xlsx')?.path;
}

export { XLSX_NAME };
