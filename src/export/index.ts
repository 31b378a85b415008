// Export: the stored records as the bureau's 汇总表 — one .xlsx with a sheet per form, a CSV per
// form, and JSON in the record format of README.md with corrections applied and each record's history beside
// it. Issues come from the same check as `xietong check`, so the spreadsheet and the command agree.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CheckReport, checkRecords } from '../check/index.js';
import type { CheckContext } from '../domain/rules.js';
import { currentRecord } from '../store/index.js';
import type { CopyNote, HistoryEvent, RecordStatus, RecordStore } from '../store/types.js';
import type { FormKind, SubmissionRecord } from '../types.js';
import { writeCsv } from './csv.js';
import { planSheets, type SheetPlan } from './plan.js';
import { writeXlsx } from './xlsx.js';

export { parseCsv, sheetCsv } from './csv.js';
export { planSheets, type SheetPlan } from './plan.js';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const XLSX_NAME = '汇总表.xlsx';
export const JSON_NAME = 'records.json';

export interface ExportOptions {
  outDir: string;
  formats?: readonly ExportFormat[];
  /** Rule context, as for `xietong check`. */
  check?: CheckContext;
  /** Timestamp written into the files (tests pin it). */
  now?: Date;
  /** Only these records (an erasure rewrites an export with the records it held, less the erased). */
  ids?: readonly string[];
}

export interface ExportedFile {
  format: ExportFormat;
  path: string;
  form?: FormKind;
  rows?: number;
}

export interface ExportResult {
  files: ExportedFile[];
  sheets: SheetPlan[];
  report: CheckReport;
  /** The records exported: remembered with the folder, so an erasure knows whom the copy holds. */
  recordIds: string[];
}

/** A record as exported to JSON: the record format of README.md, current values, and what happened to it. */
export type ExportedRecord = SubmissionRecord & {
  status: RecordStatus;
  verified?: { by: string; at: string };
  /** Re-readings, corrections and reviews, oldest first. */
  history: HistoryEvent[];
};

export async function exportStore(store: RecordStore, options: ExportOptions): Promise<ExportResult> {
  const formats = new Set(options.formats ?? EXPORT_FORMATS);
  const now = options.now ?? new Date();
  const stored = await store.listRecords(options.ids ? { ids: options.ids } : {});
  const report = checkRecords(stored, options.check);
  const sheets = planSheets(stored, report);
  const files: ExportedFile[] = [];
  await mkdir(options.outDir, { recursive: true });

  if (formats.has('xlsx')) {
    const path = join(options.outDir, XLSX_NAME);
    await writeXlsx(sheets, path, { now });
    files.push({ format: 'xlsx', path, rows: sheets.reduce((n, s) => n + s.rows.length, 0) });
  }
  if (formats.has('csv')) {
    for (const sheet of sheets) {
      const path = join(options.outDir, `${sheet.name}.csv`);
      await writeCsv(sheet, path);
      files.push({ format: 'csv', path, form: sheet.form, rows: sheet.rows.length });
    }
  }
  if (formats.has('json')) {
    const issues = new Map(report.records.map((r) => [r.id, r.issues]));
    const submissions: ExportedRecord[] = [];
    for (const s of stored) {
      const out: ExportedRecord = {
        ...currentRecord(s),
        issues: issues.get(s.id) ?? [],
        status: s.status,
        // What changed since the first reading; the first readings are the fields themselves.
        history: (await store.history(s.id)).filter((e) => e.kind !== 'read'),
      };
      if (s.status === 'verified' && s.review) out.verified = { by: s.review.by, at: s.review.at };
      submissions.push(out);
    }
    const path = join(options.outDir, JSON_NAME);
    await writeFile(
      path,
      `${JSON.stringify({ exportedAt: now.toISOString(), summary: report.summary, submissions }, null, 2)}\n`,
    );
    files.push({ format: 'json', path, rows: submissions.length });
  }
  return { files, sheets, report, recordIds: stored.map((r) => r.id) };
}

/** What the store remembers of an export (folder, formats, records), so `store erase` can rewrite it. */
export function exportCopyNote(result: ExportResult, outDir: string, referenceDate?: string): CopyNote {
  return {
    kind: 'export',
    dir: outDir,
    formats: [...new Set(result.files.map((f) => f.format))],
    recordIds: result.recordIds,
    ...(referenceDate ? { referenceDate } : {}),
  };
}

/** Parses `xlsx,csv` into formats; unknown names are returned for the caller to refuse. */
export function parseFormats(text: string): { formats: ExportFormat[]; unknown: string[] } {
  const names = text
    .split(/[,\s]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const known = new Set<string>(EXPORT_FORMATS);
  return {
    formats: [...new Set(names.filter((n) => known.has(n)))] as ExportFormat[],
    unknown: names.filter((n) => !known.has(n)),
  };
}
