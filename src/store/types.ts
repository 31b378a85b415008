// The store as the rest of xietong sees it: records with their provenance, the append-only history
// of readings, corrections and reviews, and the review queue. The review web page, `check`,
// `export` and `ingest` talk to this interface only, so SQLite (src/store/sqlite.ts) could be
// swapped for another database. Every method is async for that reason, even though SQLite is not.
import { z } from 'zod';
import { BoxSchema, FormKindSchema, IssueSchema, SourceSchema, type SubmissionRecord } from '../types.js';

export const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** A field's value in its normal form (README: the record); blank on paper is null. */
export type Scalar = z.infer<typeof ScalarSchema>;

/** Which reader produced a value: 'docx' for typed forms, the OCR engine for scans. */
export const EngineInfoSchema = z.object({
  engine: z.string().min(1),
  version: z.string().optional(),
  model: z.string().optional(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const DOCX_ENGINE: EngineInfo = { engine: 'docx', model: 'table-cells' };

/** One reading of a field, as the machine read it. Never overwritten: a re-read adds another. */
export const ReadingSchema = z.object({
  id: z.number().int(),
  value: ScalarSchema,
  raw: z.string().optional(),
  /** The second OCR reader's reading, where the two readers disagree. */
  other: z.string().optional(),
  confidence: z.number().min(0).max(1),
  page: z.number().int().positive().optional(),
  box: BoxSchema.optional(),
  crop: z.string().optional(),
  sourceFile: z.string().optional(),
  sourceSha256: z.string().optional(),
  engine: EngineInfoSchema,
  readAt: z.string(),
  runId: z.number().int().optional(),
});
export type Reading = z.infer<typeof ReadingSchema>;

export const CorrectionSchema = z.object({
  id: z.number().int(),
  recordId: z.string(),
  field: z.string(),
  oldValue: ScalarSchema,
  newValue: ScalarSchema,
  at: z.string(),
  by: z.string().min(1),
  reason: z.string().optional(),
});
export type Correction = z.infer<typeof CorrectionSchema>;

export const ReviewSchema = z.object({
  id: z.number().int(),
  recordId: z.string(),
  action: z.enum(['approve', 'reopen']),
  at: z.string(),
  by: z.string().min(1),
  note: z.string().optional(),
});
export type Review = z.infer<typeof ReviewSchema>;

export const RecordStatusSchema = z.enum(['pending', 'verified']);
/** pending 待审核; verified 已核对 (approved by a person, and not corrected since). */
export type RecordStatus = z.infer<typeof RecordStatusSchema>;

export const StoredFieldSchema = z.object({
  /** The current value: the latest correction, or else the latest reading. */
  value: ScalarSchema,
  /** What the machine read (absent only for a field that was never read, then corrected). */
  read: ReadingSchema.optional(),
  /** The latest correction, when a person has corrected or confirmed the field. */
  correction: CorrectionSchema.optional(),
  /** Read with low confidence and not yet corrected or confirmed by a person. */
  needsReview: z.boolean(),
});
export type StoredField = z.infer<typeof StoredFieldSchema>;

export const StoredRecordSchema = z.object({
  id: z.string(),
  form: FormKindSchema,
  /** Order the store first saw the record in (1, 2, …): decides which of two copies is the first. */
  seq: z.number().int().positive(),
  copyOf: z.string().optional(),
  sources: z.array(SourceSchema),
  fields: z.record(z.string(), StoredFieldSchema),
  /** Issues found when the record was read (parsing, confidence, missing pages …). */
  readIssues: z.array(IssueSchema),
  status: RecordStatusSchema,
  /** The latest approval or reopening. */
  review: ReviewSchema.optional(),
  corrections: z.number().int().nonnegative(),
  firstIngestedAt: z.string(),
  lastIngestedAt: z.string(),
  ingestCount: z.number().int().positive(),
});
export type StoredRecord = z.infer<typeof StoredRecordSchema>;

export type HistoryEvent =
  | ({ kind: 'read' | 'reread'; field: string } & Reading)
  | ({ kind: 'correction' } & Correction)
  | ({ kind: 'approve' | 'reopen' } & Omit<Review, 'action'>);

/** Who does something, and why: every correction and review names a person. */
export const ActorSchema = z.object({
  by: z.string().trim().min(1, '需要填写操作人 / who made the change is required'),
  reason: z.string().trim().min(1).optional(),
});
export type Actor = z.infer<typeof ActorSchema>;

/** A correction as a web page posts it: schema at the trust boundary. */
/** The longest value a person may type: a long text field is a few thousand characters. */
export const MAX_VALUE_CHARS = 20_000;

export const CorrectionInputSchema = ActorSchema.extend({
  // Corrections are kept forever (append-only): an oversize one would be too.
  value: z.union([z.string().max(MAX_VALUE_CHARS), z.number(), z.boolean(), z.null()]),
  /**
   * The value the person saw when they made the correction: when given and the field has changed
   * since, the correction is refused (conflict) instead of silently overwriting someone else's.
   */
  expected: ScalarSchema.optional(),
});
export type CorrectionInput = z.infer<typeof CorrectionInputSchema>;

export interface ReviewItem {
  id: string;
  form: SubmissionRecord['form'];
  /** Name, company or problem title: what a reviewer recognises the record by. */
  title: string;
  fields: { key: string; label: string; value: Scalar; raw?: string; confidence: number; crop?: string }[];
  minConfidence: number;
  errors: number;
}

export interface PutOutcome {
  id: string;
  outcome: 'inserted' | 'updated' | 'unchanged';
}

export interface PutSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  outcomes: PutOutcome[];
}

export interface IngestMeta {
  /** Engine that read the scanned records; .docx records are always DOCX_ENGINE. */
  ocr?: EngineInfo;
  runId?: number;
  /**
   * Folder the records' crop paths are relative to (ingest's --out): crops are stored as absolute
   * paths, so the review page finds them whatever folder it runs in.
   */
  cropBase?: string;
  /** Recompute 一式二份 links afterwards (default true; batch callers do it once at the end). */
  relink?: boolean;
}

export interface RecordFilter {
  form?: SubmissionRecord['form'];
  status?: RecordStatus;
  ids?: readonly string[];
  /** Leave out second copies (copyOf set), as the 汇总表 does. */
  withoutCopies?: boolean;
}

export interface StoreCounts {
  records: number;
  byForm: Record<SubmissionRecord['form'], number>;
  copies: number;
  verified: number;
  needingReview: number;
  corrections: number;
}

export interface RecordStore {
  /** Where the data lives (a file path for SQLite). */
  readonly location: string;
  schemaVersion(): Promise<number>;
  /** Saves each submission in its own transaction, keyed by its stable id; re-ingest keeps corrections. */
  putIngestResult(
    result: { submissions: readonly SubmissionRecord[] },
    meta?: IngestMeta,
  ): Promise<PutSummary>;
  /** Recomputes which records are second copies (一式二份) from current values, first seen first. */
  relinkCopies(): Promise<void>;
  listRecords(filter?: RecordFilter): Promise<StoredRecord[]>;
  getRecord(id: string): Promise<StoredRecord | undefined>;
  /** Appends a correction (a person's value for the field); a same-value correction confirms it. */
  correctField(id: string, key: string, input: CorrectionInput): Promise<Correction>;
  approveRecord(id: string, actor: { by: string; note?: string }): Promise<Review>;
  reopenRecord(id: string, actor: { by: string; note?: string }): Promise<Review>;
  /** Every reading, correction and review of the record (or of one field), oldest first. */
  history(id: string, key?: string): Promise<HistoryEvent[]>;
  counts(): Promise<StoreCounts>;
  close(): Promise<void>;
}

/** Remembers page readings of an unfinished ingest run, so a restarted run does not OCR them again. */
export interface IngestJournal {
  startRun(info: { paths: readonly string[]; engine?: EngineInfo }): Promise<number>;
  /** Marks the run finished; `engine` is the OCR engine if one was started. */
  finishRun(runId: number, stats: Record<string, number>, engine?: EngineInfo): Promise<void>;
  journalGet(sha256: string, page: number, model: string): Promise<unknown | undefined>;
  journalPut(sha256: string, page: number, model: string, reading: unknown): Promise<void>;
  journalClear(sha256s: readonly string[]): Promise<void>;
}

export type StoreErrorCode =
  | 'record_not_found'
  | 'unknown_field'
  | 'invalid_value'
  | 'invalid_input'
  | 'conflict'
  | 'invalid_row';

/** A request the store refuses (a web page maps these to 404 / 400 / 409); zh and en messages. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly messageEn: string;
  constructor(code: StoreErrorCode, message: string, messageEn: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.messageEn = messageEn;
  }
}

/**
 * A copy of records written outside the database: an ingest's output folder (records.json and its
 * crops) or an export's folder. Remembered so that `store erase` can rewrite it.
 */
export interface CopyNote {
  kind: 'ingest' | 'export';
  /** The folder, absolute. */
  dir: string;
  /** For an export, the formats written (xlsx, csv, json); for an ingest, ['json'] (records.json). */
  formats: string[];
  /** The records the copy holds. */
  recordIds: string[];
  /** The export's rule date, so a rewrite checks the records as the export did. */
  referenceDate?: string;
  runId?: number;
}

/** The copies noted for one folder, merged over every time it was written. */
export interface KnownCopy extends CopyNote {
  /** When the folder was last written. */
  at: string;
}
