import type Database from 'better-sqlite3';
import { z } from 'zod';
import { FORMS, fieldDef } from '../forms/index.js';
import { IDENTITY } from '../ingest/copies.js';
import {
  BoxSchema,
  type FieldValue,
  type FormKind,
  FormKindSchema,
  IssueSchema,
  type Source,
  type SubmissionRecord,
} from '../types.js';
import {
  type Correction,
  type EngineInfo,
  type Reading,
  type RecordFilter,
  type Review,
  type Scalar,
  ScalarSchema,
  type StoredField,
  type StoredRecord,
  StoreError,
} from './types.js';

/** What the storage modules share of the store: its connection, clock and a few record helpers. */
export interface StoreCore {
  readonly db: Database.Database;
  readonly location: string;
  /** Now, as the timestamps are written. */
  stamp(): string;
  /** Links the 一式二份 copies again after identity fields changed. */
  relink(): void;
  /** A record's form; a StoreError when there is no such record. */
  formOf(id: string): FormKind;
  listRecords(filter?: RecordFilter): Promise<StoredRecord[]>;
  /** Confidence under which a reading needs review (src/domain/review-rule.ts). */
  readonly threshold: number;
}

// --- rows -----------------------------------------------------------------------------------------

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
const opt = <T extends z.ZodType>(schema: T) => schema.nullable().transform((v) => v ?? undefined);

export const SubmissionRow = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  form: FormKindSchema,
  copy_of: opt(z.string()),
  read_issues: json(z.array(IssueSchema)),
  first_ingested_at: z.string(),
  last_ingested_at: z.string(),
  ingest_count: z.number().int().positive(),
});
export const SourceRow = z.object({
  record_id: z.string(),
  ord: z.number().int(),
  file: z.string(),
  page: opt(z.number().int().positive()),
  sha256: opt(z.string()),
});
export const ReadingRow = z.object({
  id: z.number().int(),
  record_id: z.string(),
  key: z.string(),
  value: json(ScalarSchema),
  raw: opt(z.string()),
  other: opt(z.string()),
  confidence: z.number().min(0).max(1),
  page: opt(z.number().int().positive()),
  box: opt(json(BoxSchema)),
  crop: opt(z.string()),
  source_file: opt(z.string()),
  source_sha256: opt(z.string()),
  engine: z.string(),
  engine_version: opt(z.string()),
  model: opt(z.string()),
  read_at: z.string(),
  run_id: opt(z.number().int()),
});
export const CorrectionRow = z.object({
  id: z.number().int(),
  record_id: z.string(),
  key: z.string(),
  old_value: json(ScalarSchema),
  new_value: json(ScalarSchema),
  at: z.string(),
  actor: z.string().min(1),
  reason: opt(z.string()),
});
export const ReviewRow = z.object({
  id: z.number().int(),
  record_id: z.string(),
  action: z.enum(['approve', 'reopen']),
  at: z.string(),
  actor: z.string().min(1),
  note: opt(z.string()),
  last_correction_id: opt(z.number().int()),
});

export function parseRows<T extends z.ZodType>(schema: T, rows: unknown[], table: string): z.infer<T>[] {
  return rows.map((row) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      const where = `${table} ${JSON.stringify((row as { id?: unknown; record_id?: unknown }).id ?? (row as { record_id?: unknown }).record_id)}`;
      throw new StoreError(
        'invalid_row',
        `数据库中的一行无效（${where}：${problem?.path.join('.')} ${problem?.message}）。数据库文件可能被手工改动过。`,
        `Invalid row in ${where}: ${problem?.path.join('.')} ${problem?.message}. The database file may have been edited by hand.`,
      );
    }
    return parsed.data;
  });
}

export type ReadingRowT = z.infer<typeof ReadingRow>;
export type CorrectionRowT = z.infer<typeof CorrectionRow>;
export type ReviewRowT = z.infer<typeof ReviewRow>;

export const toReading = (r: ReadingRowT): Reading => {
  const engine: EngineInfo = { engine: r.engine };
  if (r.engine_version !== undefined) engine.version = r.engine_version;
  if (r.model !== undefined) engine.model = r.model;
  return stripUndefined({
    id: r.id,
    value: r.value,
    raw: r.raw,
    other: r.other,
    confidence: r.confidence,
    page: r.page,
    box: r.box,
    crop: r.crop,
    sourceFile: r.source_file,
    sourceSha256: r.source_sha256,
    engine,
    readAt: r.read_at,
    runId: r.run_id,
  });
};
export const toCorrection = (c: CorrectionRowT): Correction =>
  stripUndefined({
    id: c.id,
    recordId: c.record_id,
    field: c.key,
    oldValue: c.old_value,
    newValue: c.new_value,
    at: c.at,
    by: c.actor,
    reason: c.reason,
  });
export const toReview = (r: ReviewRowT): Review =>
  stripUndefined({ id: r.id, recordId: r.record_id, action: r.action, at: r.at, by: r.actor, note: r.note });

export function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Which source a field was read from: its form page's source when the pages line up. */
export function sourceOf(record: SubmissionRecord, key: string, fv: FieldValue): Source | undefined {
  const formPage = fieldDef(record.form, key)?.page ?? 1;
  const byOrder = record.sources[formPage - 1];
  if (byOrder && (fv.page === undefined || byOrder.page === undefined || byOrder.page === fv.page))
    return byOrder;
  return record.sources.find((s) => s.page === fv.page) ?? record.sources[0];
}

export const isDocx = (record: SubmissionRecord) =>
  record.sources.length > 0 && record.sources.every((s) => /\.docx$/i.test(s.file));

const IDENTITY_TITLE: Record<FormKind, string> = {
  registration: 'name',
  demand: 'companyName',
  problem: 'title',
};

/** Text of the field a reviewer recognises a record by. */
export function titleOf(record: Pick<StoredRecord, 'form' | 'fields'>): string {
  const v = record.fields[IDENTITY_TITLE[record.form]]?.value;
  return v === null || v === undefined ? '' : String(v);
}

/** The record in the record format of README.md with corrections applied (confidence 1 where a person said so). */
export function currentRecord(stored: StoredRecord): SubmissionRecord {
  const fields: Record<string, FieldValue> = {};
  const corrected = new Set<string>();
  for (const [key, f] of Object.entries(stored.fields)) {
    const fv: FieldValue = { value: f.value, confidence: f.correction ? 1 : (f.read?.confidence ?? 0) };
    if (f.read?.raw !== undefined) fv.raw = f.read.raw;
    if (f.read?.page !== undefined) fv.page = f.read.page;
    if (f.read?.box !== undefined) fv.box = f.read.box;
    if (f.read?.crop !== undefined) fv.crop = f.read.crop;
    // The second reading matters until a person has decided the value.
    if (f.read?.other !== undefined && !f.correction) fv.other = f.read.other;
    fields[key] = fv;
    if (f.correction) corrected.add(key);
  }
  const record: SubmissionRecord = {
    id: stored.id,
    form: stored.form,
    sources: stored.sources,
    fields,
    // Issues about what was read no longer apply to a value a person has corrected.
    issues: stored.readIssues.filter((i) => i.field === undefined || !corrected.has(i.field)),
  };
  if (stored.copyOf) record.copyOf = stored.copyOf;
  return record;
}

/** Fields that name a person: what `store erase <person>` looks for. */
export const PERSON_KEYS = ['name', 'contactPerson'];

/** What an erased record's path becomes in the ingest journal. */
export const ERASED_PATH = '（已删除 erased）';

// Fields that decide whether two records are copies of each other: a correction to one of them
// may link or unlink copies.
export const IDENTITY_KEYS = new Set(Object.values(IDENTITY).flat());

export const READING_COLUMNS = [
  'value',
  'raw',
  'other',
  'confidence',
  'page',
  'box',
  'crop',
  'source_sha256',
  'engine',
  'engine_version',
  'model',
] as const;

// Values and boxes are compared as the JSON text they were stored as, made by the same JSON.stringify.
export function sameReading(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return READING_COLUMNS.every((c) => (before[c] ?? null) === (after[c] ?? null));
}

export const sameScalar = (a: Scalar, b: Scalar) => a === b;

/** Fields in the form's paper order, then any the form does not define (kept, not dropped). */
export function orderFields(
  form: FormKind,
  fields: Record<string, StoredField>,
): Record<string, StoredField> {
  const out: Record<string, StoredField> = {};
  for (const def of FORMS[form].fields) {
    const f = fields[def.key];
    if (f) out[def.key] = f;
  }
  for (const [k, f] of Object.entries(fields)) if (!(k in out)) out[k] = f;
  return out;
}
