// RecordStore on an embedded SQLite file (better-sqlite3). WAL mode, so the review page can read
// while an ingest writes; one IMMEDIATE transaction per submission, so a run killed half-way leaves
// whole records only, and a restarted run (same files → same ids) adds nothing twice. Rows coming
// back out are parsed with zod: the file may have been edited by hand or by an older version.

import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { RunError } from '../errors.js';
import { REVIEW_THRESHOLD } from '../extract/index.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../files.js';
import { valueSchemaOf } from '../forms/fields.js';
import { FORMS, fieldDef } from '../forms/index.js';
import { IDENTITY, linkCopies } from '../ingest/copies.js';
import { SYNC_NOTE, syncFromRecord } from '../projects/sync.js';
import type { Project, ProjectState } from '../projects/types.js';
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
  type ProjectActor,
  type ProjectChange,
  type ProjectHistoryEntry,
  type ProjectRepository,
  type PutProjectOutcome,
  SqliteProjects,
} from './projects.js';
import { LATEST_VERSION, migrate, SchemaTooNewError, userVersion } from './schema.js';
import {
  type CopyNote,
  type Correction,
  type CorrectionInput,
  CorrectionInputSchema,
  DOCX_ENGINE,
  type EngineInfo,
  EngineInfoSchema,
  type HistoryEvent,
  type IngestJournal,
  type IngestMeta,
  type KnownCopy,
  type PutOutcome,
  type PutSummary,
  type Reading,
  type RecordFilter,
  type RecordStore,
  type Review,
  type ReviewItem,
  type Scalar,
  ScalarSchema,
  type StoreCounts,
  type StoredField,
  type StoredRecord,
  StoreError,
} from './types.js';

export interface OpenStoreOptions {
  /** Clock for timestamps (tests pin it). */
  now?: () => Date;
  /** Fields read below this confidence need review (default: extract's REVIEW_THRESHOLD). */
  reviewThreshold?: number;
  /**
   * Commands that only look (list, show, check, export) open the file read-only: they never wait
   * for an ingest's write lock, and cannot change a byte. A file an older xietong wrote is migrated
   * first, in a write transaction of its own. (Export then notes the folder it wrote in a short
   * write of its own, for `store erase`; see src/cli/export.ts.)
   */
  readOnly?: boolean;
  /** How long a statement waits for another process's lock before SQLITE_BUSY (default 10 s). */
  busyTimeoutMs?: number;
}

/** XIETONG_DB, or xietong.db in the working folder. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env.XIETONG_DB?.trim();
  return resolve(cwd, fromEnv ? fromEnv : 'xietong.db');
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

const SubmissionRow = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  form: FormKindSchema,
  copy_of: opt(z.string()),
  read_issues: json(z.array(IssueSchema)),
  first_ingested_at: z.string(),
  last_ingested_at: z.string(),
  ingest_count: z.number().int().positive(),
});
const SourceRow = z.object({
  record_id: z.string(),
  ord: z.number().int(),
  file: z.string(),
  page: opt(z.number().int().positive()),
  sha256: opt(z.string()),
});
const ReadingRow = z.object({
  id: z.number().int(),
  record_id: z.string(),
  key: z.string(),
  value: json(ScalarSchema),
  raw: opt(z.string()),
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
const CorrectionRow = z.object({
  id: z.number().int(),
  record_id: z.string(),
  key: z.string(),
  old_value: json(ScalarSchema),
  new_value: json(ScalarSchema),
  at: z.string(),
  actor: z.string().min(1),
  reason: opt(z.string()),
});
const ReviewRow = z.object({
  id: z.number().int(),
  record_id: z.string(),
  action: z.enum(['approve', 'reopen']),
  at: z.string(),
  actor: z.string().min(1),
  note: opt(z.string()),
  last_correction_id: opt(z.number().int()),
});

function parseRows<T extends z.ZodType>(schema: T, rows: unknown[], table: string): z.infer<T>[] {
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

type ReadingRowT = z.infer<typeof ReadingRow>;
type CorrectionRowT = z.infer<typeof CorrectionRow>;
type ReviewRowT = z.infer<typeof ReviewRow>;

const toReading = (r: ReadingRowT): Reading => {
  const engine: EngineInfo = { engine: r.engine };
  if (r.engine_version !== undefined) engine.version = r.engine_version;
  if (r.model !== undefined) engine.model = r.model;
  return stripUndefined({
    id: r.id,
    value: r.value,
    raw: r.raw,
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
const toCorrection = (c: CorrectionRowT): Correction =>
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
const toReview = (r: ReviewRowT): Review =>
  stripUndefined({ id: r.id, recordId: r.record_id, action: r.action, at: r.at, by: r.actor, note: r.note });

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Which source a field was read from: its form page's source when the pages line up. */
function sourceOf(record: SubmissionRecord, key: string, fv: FieldValue): Source | undefined {
  const formPage = fieldDef(record.form, key)?.page ?? 1;
  const byOrder = record.sources[formPage - 1];
  if (byOrder && (fv.page === undefined || byOrder.page === undefined || byOrder.page === fv.page))
    return byOrder;
  return record.sources.find((s) => s.page === fv.page) ?? record.sources[0];
}

const isDocx = (record: SubmissionRecord) =>
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

// --- the store ------------------------------------------------------------------------------------

export class SqliteRecordStore implements RecordStore, IngestJournal, ProjectRepository {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly threshold: number;
  private readonly projects: SqliteProjects;

  constructor(db: Database.Database, location: string, options: OpenStoreOptions = {}) {
    this.db = db;
    this.location = location;
    this.now = options.now ?? (() => new Date());
    this.threshold = options.reviewThreshold ?? REVIEW_THRESHOLD;
    this.projects = new SqliteProjects(db, () => this.stamp());
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  async schemaVersion(): Promise<number> {
    return userVersion(this.db);
  }

  async putIngestResult(
    result: { submissions: readonly SubmissionRecord[] },
    meta: IngestMeta = {},
  ): Promise<PutSummary> {
    const outcomes: PutOutcome[] = result.submissions.map((r) => ({
      id: r.id,
      outcome: this.putOne(r, meta),
    }));
    if (meta.relink !== false) this.relink();
    return {
      inserted: outcomes.filter((o) => o.outcome === 'inserted').length,
      updated: outcomes.filter((o) => o.outcome === 'updated').length,
      unchanged: outcomes.filter((o) => o.outcome === 'unchanged').length,
      outcomes,
    };
  }

  private putOne(record: SubmissionRecord, meta: IngestMeta): PutOutcome['outcome'] {
    const engine = isDocx(record) ? DOCX_ENGINE : (meta.ocr ?? { engine: 'unknown' });
    const db = this.db;
    return db
      .transaction((): PutOutcome['outcome'] => {
        const at = this.stamp();
        const existing = db.prepare('SELECT id, form FROM submissions WHERE id = ?').get(record.id) as
          | { id: string; form: string }
          | undefined;
        let changed = false;
        if (!existing) {
          const seq = (
            db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM submissions').get() as { n: number }
          ).n;
          db.prepare(
            `INSERT INTO submissions (id, seq, form, copy_of, read_issues, first_ingested_at, last_ingested_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          ).run(record.id, seq, record.form, record.copyOf ?? null, JSON.stringify(record.issues), at, at);
          changed = true;
        } else {
          if (existing.form !== record.form) {
            throw new StoreError(
              'conflict',
              `记录 ${record.id} 已作为 ${existing.form} 保存，不能再作为 ${record.form} 保存。`,
              `Record ${record.id} is stored as ${existing.form}, not ${record.form}.`,
            );
          }
          db.prepare(
            `UPDATE submissions SET read_issues = ?, last_ingested_at = ?, ingest_count = ingest_count + 1
             WHERE id = ?`,
          ).run(JSON.stringify(record.issues), at, record.id);
        }
        changed = this.putSources(record) || changed;
        const latest = new Map(
          (
            db
              .prepare(
                `SELECT * FROM readings WHERE id IN
                 (SELECT max(id) FROM readings WHERE record_id = ? GROUP BY key)`,
              )
              .all(record.id) as Record<string, unknown>[]
          ).map((r) => [r.key as string, r]),
        );
        const insert = db.prepare(
          `INSERT INTO readings (record_id, key, value, raw, confidence, page, box, crop, source_file,
             source_sha256, engine, engine_version, model, read_at, run_id)
           VALUES (@record_id, @key, @value, @raw, @confidence, @page, @box, @crop, @source_file,
             @source_sha256, @engine, @engine_version, @model, @read_at, @run_id)`,
        );
        for (const [key, fv] of Object.entries(record.fields)) {
          const source = sourceOf(record, key, fv);
          const row = {
            record_id: record.id,
            key,
            value: JSON.stringify(fv.value),
            raw: fv.raw ?? null,
            confidence: fv.confidence,
            page: fv.page ?? null,
            box: fv.box ? JSON.stringify(fv.box) : null,
            crop: fv.crop ? (meta.cropBase ? resolve(meta.cropBase, fv.crop) : fv.crop) : null,
            source_file: source?.file ?? null,
            source_sha256: source?.sha256 ?? null,
            engine: engine.engine,
            engine_version: engine.version ?? null,
            model: engine.model ?? null,
            read_at: at,
            run_id: meta.runId ?? null,
          };
          const before = latest.get(key);
          if (before && sameReading(before, row)) continue;
          insert.run(row);
          changed = true;
        }
        return !existing ? 'inserted' : changed ? 'updated' : 'unchanged';
      })
      .immediate();
  }

  /** Replaces the record's sources when they differ (a moved file keeps its hash); true if changed. */
  private putSources(record: SubmissionRecord): boolean {
    const rows = this.db
      .prepare('SELECT file, page, sha256 FROM sources WHERE record_id = ? ORDER BY ord')
      .all(record.id) as { file: string; page: number | null; sha256: string | null }[];
    const want = record.sources.map((s) => ({
      file: s.file,
      page: s.page ?? null,
      sha256: s.sha256 ?? null,
    }));
    if (JSON.stringify(rows) === JSON.stringify(want)) return false;
    this.db.prepare('DELETE FROM sources WHERE record_id = ?').run(record.id);
    const insert = this.db.prepare(
      'INSERT INTO sources (record_id, ord, file, page, sha256) VALUES (?, ?, ?, ?, ?)',
    );
    for (const [i, s] of want.entries()) insert.run(record.id, i, s.file, s.page, s.sha256);
    return rows.length > 0 || want.length > 0;
  }

  async relinkCopies(): Promise<void> {
    this.relink();
  }

  private relink(): void {
    // Only the identity fields matter here: load those, not whole records (this runs after every
    // correction of a name or phone).
    const subs = this.db.prepare('SELECT id, form, copy_of FROM submissions ORDER BY seq').all() as {
      id: string;
      form: FormKind;
      copy_of: string | null;
    }[];
    const keys = JSON.stringify([...IDENTITY_KEYS]);
    const values = this.db
      .prepare(
        `SELECT r.record_id, r.key, coalesce(
           (SELECT c.new_value FROM corrections c WHERE c.record_id = r.record_id AND c.key = r.key
            ORDER BY c.id DESC LIMIT 1), r.value) AS value
         FROM readings r
         WHERE r.id IN (SELECT max(id) FROM readings WHERE key IN (SELECT value FROM json_each(?))
                        GROUP BY record_id, key)
         UNION ALL
         SELECT c.record_id, c.key, c.new_value FROM corrections c
         WHERE c.id IN (SELECT max(id) FROM corrections WHERE key IN (SELECT value FROM json_each(?))
                        GROUP BY record_id, key)
           AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.record_id = c.record_id AND r.key = c.key)`,
      )
      .all(keys, keys) as { record_id: string; key: string; value: string }[];
    const fields = new Map<string, SubmissionRecord['fields']>();
    for (const v of values) {
      const f = fields.get(v.record_id) ?? {};
      f[v.key] = { value: ScalarSchema.parse(JSON.parse(v.value)), confidence: 1 };
      fields.set(v.record_id, f);
    }
    const records: SubmissionRecord[] = subs.map((s) => ({
      id: s.id,
      form: s.form,
      sources: [],
      fields: fields.get(s.id) ?? {},
      issues: [],
    }));
    const linked = linkCopies(records);
    const update = this.db.prepare('UPDATE submissions SET copy_of = ? WHERE id = ?');
    this.db
      .transaction(() => {
        linked.forEach((r, i) => {
          if ((subs[i]?.copy_of ?? undefined) !== r.copyOf) update.run(r.copyOf ?? null, r.id);
        });
      })
      .immediate();
  }

  async listRecords(filter: RecordFilter = {}): Promise<StoredRecord[]> {
    return this.load(filter);
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    return this.load({ ids: [id] })[0];
  }

  private load(filter: RecordFilter): StoredRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.form) {
      where.push('form = ?');
      params.push(filter.form);
    }
    if (filter.ids) {
      where.push('id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.ids));
    }
    if (filter.withoutCopies) where.push('copy_of IS NULL');
    const selected = `SELECT id FROM submissions${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    const all = (sql: string) => this.db.prepare(sql).all(...params) as unknown[];

    const submissions = parseRows(
      SubmissionRow,
      all(`SELECT * FROM submissions WHERE id IN (${selected}) ORDER BY seq`),
      'submissions',
    );
    const group = <T extends { record_id: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) {
        const list = m.get(r.record_id);
        if (list) list.push(r);
        else m.set(r.record_id, [r]);
      }
      return m;
    };
    const sources = group(
      parseRows(
        SourceRow,
        all(`SELECT * FROM sources WHERE record_id IN (${selected}) ORDER BY record_id, ord`),
        'sources',
      ),
    );
    const readings = group(
      parseRows(
        ReadingRow,
        all(`SELECT * FROM readings WHERE id IN
          (SELECT max(id) FROM readings WHERE record_id IN (${selected}) GROUP BY record_id, key)`),
        'readings',
      ),
    );
    const corrections = group(
      parseRows(
        CorrectionRow,
        all(`SELECT * FROM corrections WHERE id IN
          (SELECT max(id) FROM corrections WHERE record_id IN (${selected}) GROUP BY record_id, key)`),
        'corrections',
      ),
    );
    const correctionStats = new Map(
      (
        all(`SELECT record_id, count(*) AS n, max(id) AS last FROM corrections
             WHERE record_id IN (${selected}) GROUP BY record_id`) as {
          record_id: string;
          n: number;
          last: number;
        }[]
      ).map((r) => [r.record_id, r]),
    );
    const reviews = new Map(
      parseRows(
        ReviewRow,
        all(`SELECT * FROM reviews WHERE id IN
          (SELECT max(id) FROM reviews WHERE record_id IN (${selected}) GROUP BY record_id)`),
        'reviews',
      ).map((r) => [r.record_id, r]),
    );

    return submissions
      .map((s) => {
        const fields: Record<string, StoredField> = {};
        const lowConfidence = new Set(
          s.read_issues.filter((i) => i.code === 'low_confidence' && i.field).map((i) => i.field as string),
        );
        for (const r of readings.get(s.id) ?? []) {
          fields[r.key] = { value: r.value, read: toReading(r), needsReview: false };
        }
        for (const c of corrections.get(s.id) ?? []) {
          const f = fields[c.key];
          fields[c.key] = { ...f, value: c.new_value, correction: toCorrection(c), needsReview: false };
        }
        for (const [key, f] of Object.entries(fields)) {
          f.needsReview =
            !f.correction && f.read !== undefined && this.flagged(s.form, key, f.read, lowConfidence);
        }
        const stats = correctionStats.get(s.id);
        const review = reviews.get(s.id);
        // An approval covers the values a person saw: a later correction, or a re-reading that changed
        // a value nobody corrected, sends the record back to pending.
        const verified =
          review?.action === 'approve' &&
          (review.last_correction_id ?? 0) === (stats?.last ?? 0) &&
          !Object.values(fields).some((f) => !f.correction && f.read && f.read.readAt > review.at);
        const record: StoredRecord = {
          id: s.id,
          form: s.form,
          seq: s.seq,
          sources: (sources.get(s.id) ?? []).map((src) =>
            stripUndefined({ file: src.file, page: src.page, sha256: src.sha256 }),
          ),
          fields: orderFields(s.form, fields),
          readIssues: s.read_issues,
          status: verified ? 'verified' : 'pending',
          corrections: stats?.n ?? 0,
          firstIngestedAt: s.first_ingested_at,
          lastIngestedAt: s.last_ingested_at,
          ingestCount: s.ingest_count,
        };
        if (s.copy_of) record.copyOf = s.copy_of;
        if (review) record.review = toReview(review);
        return record;
      })
      .filter((r) => !filter.status || r.status === filter.status);
  }

  /** As extract flags a field: low confidence, except a blank cell read with fair confidence. */
  private flagged(form: FormKind, key: string, read: Reading, lowConfidence: Set<string>): boolean {
    if (lowConfidence.has(key)) return true;
    if (fieldDef(form, key)?.kind === 'photo') return false;
    return read.confidence < this.threshold && !(read.value === null && read.confidence >= 0.5);
  }

  async correctField(id: string, key: string, input: CorrectionInput): Promise<Correction> {
    const parsed = CorrectionInputSchema.safeParse(input);
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new StoreError('invalid_input', `更正内容无效：${msg}`, `Invalid correction: ${msg}`);
    }
    const { value, by, reason, expected } = parsed.data;
    const form = this.formOf(id);
    const def = fieldDef(form, key);
    if (!def) {
      throw new StoreError(
        'unknown_field',
        `${FORMS[form].shortName}没有字段「${key}」。`,
        `The ${form} form has no field "${key}".`,
      );
    }
    const valueCheck = valueSchemaOf(def.kind).safeParse(value);
    if (!valueCheck.success) {
      throw new StoreError(
        'invalid_value',
        `「${def.label}」的值 ${JSON.stringify(value)} 不是规定格式：${valueCheck.error.issues[0]?.message ?? ''}`,
        `${JSON.stringify(value)} is not a valid value for ${key} (${def.kind}): ${valueCheck.error.issues[0]?.message ?? ''}`,
      );
    }
    const correction = this.db
      .transaction((): Correction => {
        const current = this.currentValue(id, key);
        if (expected !== undefined && !sameScalar(expected, current)) {
          throw new StoreError(
            'conflict',
            `「${def.label}」已被改为 ${JSON.stringify(current)}（不是 ${JSON.stringify(expected)}），请刷新后重试。`,
            `${key} is now ${JSON.stringify(current)}, not ${JSON.stringify(expected)}: reload and try again.`,
          );
        }
        const at = this.stamp();
        const info = this.db
          .prepare(
            'INSERT INTO corrections (record_id, key, old_value, new_value, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(id, key, JSON.stringify(current), JSON.stringify(value), at, by, reason ?? null);
        return stripUndefined({
          id: Number(info.lastInsertRowid),
          recordId: id,
          field: key,
          oldValue: current,
          newValue: value as Scalar,
          at,
          by,
          reason,
        });
      })
      .immediate();
    // A corrected name or phone can make two records copies of each other, or no longer.
    if (IDENTITY_KEYS.has(key)) this.relink();
    return correction;
  }

  private currentValue(id: string, key: string): Scalar {
    const row = (this.db
      .prepare(
        'SELECT new_value AS v FROM corrections WHERE record_id = ? AND key = ? ORDER BY id DESC LIMIT 1',
      )
      .get(id, key) ??
      this.db
        .prepare('SELECT value AS v FROM readings WHERE record_id = ? AND key = ? ORDER BY id DESC LIMIT 1')
        .get(id, key)) as { v: string } | undefined;
    return row ? ScalarSchema.parse(JSON.parse(row.v)) : null;
  }

  /**
   * Records of a person: by record id, or by the name in a registration's 姓名 or a form's 联系人 — with the 一式二份 copies linked to them either way.
   */
  async findPerson(who: string): Promise<StoredRecord[]> {
    const text = who.replace(/\s+/g, '');
    const all = await this.listRecords();
    const same = (v: Scalar | undefined) => typeof v === 'string' && v.replace(/\s+/g, '') === text;
    const hit = all.filter(
      (r) =>
        r.id === who || PERSON_KEYS.some((k) => same(r.fields[k]?.value) || same(r.fields[k]?.read?.value)),
    );
    const ids = new Set(hit.map((r) => r.id));
    return all.filter(
      (r) =>
        ids.has(r.id) || (r.copyOf !== undefined && ids.has(r.copyOf)) || hit.some((h) => h.copyOf === r.id),
    );
  }

  /**
   * Deletes records whole (the 个人信息保护法's right to deletion): submissions, sources, readings,
   * corrections, reviews, the page journal of files no other record came from, and the crop images.
   * What stays is one audit line: who, when, why and which ids. The file is rebuilt afterwards, so
   * the deleted bytes do not linger in free pages or the WAL.
   */
  async eraseRecords(
    ids: readonly string[],
    actor: { by: string; reason: string },
  ): Promise<{ erased: string[]; filesRemoved: number; auditId: number }> {
    const by = actor.by?.trim();
    const reason = actor.reason?.trim();
    if (!by || !reason)
      throw new StoreError('invalid_input', '删除须填写操作人和理由。', 'Who erases and why are required.');
    for (const id of ids) this.formOf(id);
    const list = JSON.stringify([...new Set(ids)]);
    const inList = 'SELECT value FROM json_each(?)';
    const crops = (
      this.db
        .prepare(
          `SELECT DISTINCT crop FROM readings WHERE record_id IN (${inList}) AND crop IS NOT NULL
           AND crop NOT IN (SELECT crop FROM readings WHERE crop IS NOT NULL AND record_id NOT IN (${inList}))`,
        )
        .all(list, list) as { crop: string }[]
    ).map((r) => (isAbsolute(r.crop) ? r.crop : resolve(dirname(this.location), r.crop)));
    const present = crops.filter((f) => existsSync(f));
    this.db.pragma('secure_delete = ON');
    const auditId = this.db
      .transaction((): number => {
        this.db.prepare(`INSERT INTO erasing (record_id) ${inList}`).run(list);
        this.db
          .prepare(
            `DELETE FROM page_journal WHERE sha256 IN (SELECT sha256 FROM sources WHERE record_id IN (${inList}))
             AND sha256 NOT IN (SELECT sha256 FROM sources WHERE sha256 IS NOT NULL AND record_id NOT IN (${inList}))`,
          )
          .run(list, list);
        this.redactRunPaths(list);
        for (const table of ['readings', 'corrections', 'reviews', 'sources'])
          this.db.prepare(`DELETE FROM ${table} WHERE record_id IN (${inList})`).run(list);
        this.db.prepare(`UPDATE submissions SET copy_of = NULL WHERE copy_of IN (${inList})`).run(list);
        this.db.prepare(`DELETE FROM submissions WHERE id IN (${inList})`).run(list);
        this.db.prepare('DELETE FROM erasing').run();
        const info = this.db
          .prepare(
            'INSERT INTO erasures (at, actor, reason, record_ids, files_removed) VALUES (?, ?, ?, ?, ?)',
          )
          .run(this.stamp(), by, reason, list, present.length);
        return Number(info.lastInsertRowid);
      })
      .immediate();
    this.relink();
    if (this.location !== ':memory:') {
      // Freed pages are not rewritten in WAL mode even with secure_delete: VACUUM rebuilds the file
      // without them, and the checkpoint empties the WAL that held the old pages.
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    for (const f of present) rmSync(f, { force: true });
    return { erased: JSON.parse(list) as string[], filesRemoved: present.length, auditId };
  }

  /**
   * The paths an ingest was given may name the person (张三.docx, 张三的材料/): within the erase
   * transaction, a path that is one of the erased records' source files, or holds one of their
   * names, is replaced by a placeholder — the run's counts stay, the name goes.
   */
  private redactRunPaths(list: string): void {
    const inList = 'SELECT value FROM json_each(?)';
    const files = new Set(
      (
        this.db.prepare(`SELECT DISTINCT file FROM sources WHERE record_id IN (${inList})`).all(list) as {
          file: string;
        }[]
      ).flatMap((r) => [resolve(r.file), basename(r.file)]),
    );
    const keys = JSON.stringify(PERSON_KEYS);
    const names = new Set<string>();
    for (const table of ['readings', 'corrections'])
      for (const r of this.db
        .prepare(
          `SELECT ${table === 'readings' ? 'value' : 'new_value'} AS v FROM ${table}
           WHERE record_id IN (${inList}) AND key IN (SELECT value FROM json_each(?))`,
        )
        .all(list, keys) as { v: string }[]) {
        const v = JSON.parse(r.v) as unknown;
        // One character is not a name: redacting every path holding 王 would blank the journal.
        if (typeof v === 'string' && v.replace(/\s+/g, '').length >= 2) names.add(v.replace(/\s+/g, ''));
      }
    const update = this.db.prepare('UPDATE ingest_runs SET paths = ? WHERE id = ?');
    for (const run of this.db.prepare('SELECT id, paths FROM ingest_runs').all() as {
      id: number;
      paths: string;
    }[]) {
      const paths = JSON.parse(run.paths) as string[];
      const redacted = paths.map((p) =>
        files.has(resolve(p)) || files.has(basename(p)) || [...names].some((n) => p.includes(n))
          ? ERASED_PATH
          : p,
      );
      if (redacted.some((p, i) => p !== paths[i])) update.run(JSON.stringify(redacted), run.id);
    }
  }

  /** The audit lines of erasures, oldest first. */
  async erasures(): Promise<
    {
      id: number;
      at: string;
      by: string;
      reason: string;
      recordIds: string[];
      copiesChanged?: number;
      copiesFailed?: number;
    }[]
  > {
    const rows = this.db.prepare('SELECT * FROM erasures ORDER BY id').all() as {
      id: number;
      at: string;
      actor: string;
      reason: string;
      record_ids: string;
      copies_changed: number | null;
      copies_failed: number | null;
    }[];
    return rows.map((r) =>
      stripUndefined({
        id: r.id,
        at: r.at,
        by: r.actor,
        reason: r.reason,
        recordIds: JSON.parse(r.record_ids) as string[],
        copiesChanged: r.copies_changed ?? undefined,
        copiesFailed: r.copies_failed ?? undefined,
      }),
    );
  }

  /** Completes an erasure's audit line with the copies outside the database it changed and could not. */
  async noteErasureCopies(auditId: number, counts: { changed: number; failed: number }): Promise<void> {
    this.db
      .prepare('UPDATE erasures SET copies_changed = ?, copies_failed = ? WHERE id = ?')
      .run(counts.changed, counts.failed, auditId);
  }

  // --- copies outside the database ---------------------------------------------------------------

  /** Remembers a folder records were written to (an ingest's output, an export). */
  async noteCopy(copy: CopyNote): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO copies (at, kind, dir, formats, record_ids, reference_date, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        this.stamp(),
        copy.kind,
        resolve(copy.dir),
        JSON.stringify(copy.formats),
        JSON.stringify(copy.recordIds),
        copy.referenceDate ?? null,
        copy.runId ?? null,
      );
  }

  /**
   * Every folder records were written to, one entry per kind and folder: the formats and records of
   * every write there (an earlier export's CSV stays beside a later workbook), the latest rule date.
   */
  async knownCopies(): Promise<KnownCopy[]> {
    const rows = this.db.prepare('SELECT * FROM copies ORDER BY id').all() as {
      at: string;
      kind: 'ingest' | 'export';
      dir: string;
      formats: string;
      record_ids: string;
      reference_date: string | null;
      run_id: number | null;
    }[];
    const byDir = new Map<string, KnownCopy>();
    for (const r of rows) {
      const key = `${r.kind}\0${r.dir}`;
      const seen = byDir.get(key);
      const formats = JSON.parse(r.formats) as string[];
      const ids = JSON.parse(r.record_ids) as string[];
      byDir.set(
        key,
        stripUndefined({
          kind: r.kind,
          dir: r.dir,
          at: r.at,
          formats: [...new Set([...(seen?.formats ?? []), ...formats])],
          recordIds: [...new Set([...(seen?.recordIds ?? []), ...ids])],
          referenceDate: r.reference_date ?? undefined,
          runId: r.run_id ?? undefined,
        }),
      );
    }
    return [...byDir.values()];
  }

  private formOf(id: string): FormKind {
    const row = this.db.prepare('SELECT form FROM submissions WHERE id = ?').get(id) as
      | { form: string }
      | undefined;
    if (!row) {
      throw new StoreError('record_not_found', `找不到记录 ${id}。`, `No record ${id} in the store.`);
    }
    return FormKindSchema.parse(row.form);
  }

  async approveRecord(id: string, actor: { by: string; note?: string }): Promise<Review> {
    const review = this.review(id, 'approve', actor);
    await this.syncProjects(id, actor.by);
    return review;
  }

  /**
   * An approved record's values reach the projects made from it (src/projects/sync.ts): the
   * corrections approved after a project was created would otherwise never print. Values set on a
   * project by hand stay. Every change is in the project's history, by the approver, SYNC_NOTE.
   */
  private async syncProjects(id: string, by: string): Promise<void> {
    const stored = await this.getRecord(id);
    if (!stored || (stored.form !== 'demand' && stored.form !== 'registration')) return;
    const record = currentRecord(stored);
    for (const project of await this.projects.listProjects()) {
      if (project.sources[stored.form] !== id) continue;
      const last = new Map<string, string | undefined>();
      for (const c of await this.projects.projectChanges(project.id)) last.set(c.path, c.note);
      const handEdited = new Set([...last].filter(([, note]) => note !== SYNC_NOTE).map(([path]) => path));
      const outcome = syncFromRecord(project, record, handEdited);
      if (outcome.changed.length === 0) continue;
      await this.projects.putProject(outcome.project, { by, note: SYNC_NOTE });
    }
  }

  async reopenRecord(id: string, actor: { by: string; note?: string }): Promise<Review> {
    return this.review(id, 'reopen', actor);
  }

  private review(id: string, action: Review['action'], actor: { by: string; note?: string }): Review {
    const by = actor.by?.trim();
    if (!by) {
      throw new StoreError('invalid_input', '需要填写操作人。', 'Who reviewed the record is required.');
    }
    this.formOf(id);
    return this.db
      .transaction((): Review => {
        const last = this.db.prepare('SELECT max(id) AS id FROM corrections WHERE record_id = ?').get(id) as {
          id: number | null;
        };
        const at = this.stamp();
        const info = this.db
          .prepare(
            'INSERT INTO reviews (record_id, action, at, actor, note, last_correction_id) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(id, action, at, by, actor.note?.trim() || null, last.id);
        return stripUndefined({
          id: Number(info.lastInsertRowid),
          recordId: id,
          action,
          at,
          by,
          note: actor.note?.trim() || undefined,
        });
      })
      .immediate();
  }

  async history(id: string, key?: string): Promise<HistoryEvent[]> {
    this.formOf(id);
    const byKey = key === undefined ? '' : ' AND key = ?';
    const args = key === undefined ? [id] : [id, key];
    const readings = parseRows(
      ReadingRow,
      this.db.prepare(`SELECT * FROM readings WHERE record_id = ?${byKey} ORDER BY id`).all(...args),
      'readings',
    );
    const corrections = parseRows(
      CorrectionRow,
      this.db.prepare(`SELECT * FROM corrections WHERE record_id = ?${byKey} ORDER BY id`).all(...args),
      'corrections',
    );
    const reviews =
      key === undefined
        ? parseRows(
            ReviewRow,
            this.db.prepare('SELECT * FROM reviews WHERE record_id = ? ORDER BY id').all(id),
            'reviews',
          )
        : [];
    const seen = new Set<string>();
    const events: (HistoryEvent & { order: number })[] = [
      ...readings.map((r) => {
        const kind = seen.has(r.key) ? ('reread' as const) : ('read' as const);
        seen.add(r.key);
        return { kind, field: r.key, ...toReading(r), order: 0 };
      }),
      ...corrections.map((c) => ({ kind: 'correction' as const, ...toCorrection(c), order: 1 })),
      ...reviews.map((r) => {
        const { action, ...rest } = toReview(r);
        return { kind: action, ...rest, order: 2 };
      }),
    ];
    const at = (e: HistoryEvent) => ('readAt' in e ? e.readAt : e.at);
    events.sort((a, b) => at(a).localeCompare(at(b)) || a.order - b.order || a.id - b.id);
    return events.map(({ order: _, ...e }) => e as HistoryEvent);
  }

  async reviewQueue(options: { form?: FormKind; limit?: number } = {}): Promise<ReviewItem[]> {
    const items = this.load({ form: options.form, status: 'pending' })
      .map((r): ReviewItem & { seq: number } => {
        const fields = Object.entries(r.fields)
          .filter(([, f]) => f.needsReview)
          .map(([key, f]) =>
            stripUndefined({
              key,
              label: fieldDef(r.form, key)?.label ?? key,
              value: f.value,
              raw: f.read?.raw,
              confidence: f.read?.confidence ?? 0,
              crop: f.read?.crop,
            }),
          );
        return {
          id: r.id,
          form: r.form,
          title: titleOf(r),
          fields,
          minConfidence: Math.min(1, ...fields.map((f) => f.confidence)),
          errors: r.readIssues.filter((i) => i.severity === 'error').length,
          seq: r.seq,
        };
      })
      .filter((i) => i.fields.length > 0)
      .sort(
        (a, b) =>
          b.fields.length - a.fields.length ||
          a.minConfidence - b.minConfidence ||
          b.errors - a.errors ||
          a.seq - b.seq,
      )
      .map(({ seq: _, ...item }) => item);
    return options.limit === undefined ? items : items.slice(0, options.limit);
  }

  async counts(): Promise<StoreCounts> {
    const records = this.load({});
    const byForm = { registration: 0, demand: 0, problem: 0 } as Record<FormKind, number>;
    for (const r of records) if (!r.copyOf) byForm[r.form]++;
    return {
      records: records.length,
      byForm,
      copies: records.filter((r) => r.copyOf).length,
      verified: records.filter((r) => r.status === 'verified').length,
      needingReview: records.filter(
        (r) => r.status === 'pending' && Object.values(r.fields).some((f) => f.needsReview),
      ).length,
      corrections: records.reduce((n, r) => n + r.corrections, 0),
    };
  }

  // --- IngestJournal ----------------------------------------------------------------------------

  async startRun(info: { paths: readonly string[]; engine?: EngineInfo }): Promise<number> {
    const r = this.db
      .prepare('INSERT INTO ingest_runs (started_at, paths, engine) VALUES (?, ?, ?)')
      .run(this.stamp(), JSON.stringify(info.paths), info.engine ? JSON.stringify(info.engine) : null);
    return Number(r.lastInsertRowid);
  }

  async finishRun(runId: number, stats: Record<string, number>, engine?: EngineInfo): Promise<void> {
    this.db
      .prepare('UPDATE ingest_runs SET finished_at = ?, stats = ?, engine = coalesce(?, engine) WHERE id = ?')
      .run(
        this.stamp(),
        JSON.stringify(stats),
        engine ? JSON.stringify(EngineInfoSchema.parse(engine)) : null,
        runId,
      );
  }

  async journalGet(sha256: string, page: number, model: string): Promise<unknown | undefined> {
    const row = this.db
      .prepare('SELECT reading FROM page_journal WHERE sha256 = ? AND page = ? AND model = ?')
      .get(sha256, page, model) as { reading: string } | undefined;
    return row ? (JSON.parse(row.reading) as unknown) : undefined;
  }

  async journalPut(sha256: string, page: number, model: string, reading: unknown): Promise<void> {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO page_journal (sha256, page, model, reading, at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(sha256, page, model, JSON.stringify(reading), this.stamp());
  }

  async journalClear(sha256s: readonly string[]): Promise<void> {
    this.db
      .prepare('DELETE FROM page_journal WHERE sha256 IN (SELECT value FROM json_each(?))')
      .run(JSON.stringify(sha256s));
  }

  // --- projects (src/store/projects.ts) ---

  putProject(project: Project, actor: ProjectActor): Promise<PutProjectOutcome> {
    return this.projects.putProject(project, actor);
  }

  listProjects(filter?: { state?: ProjectState }): Promise<Project[]> {
    return this.projects.listProjects(filter);
  }

  getProject(id: string): Promise<Project | undefined> {
    return this.projects.getProject(id);
  }

  setProjectState(id: string, to: ProjectState, actor: ProjectActor): Promise<ProjectHistoryEntry> {
    return this.projects.setProjectState(id, to, actor);
  }

  projectHistory(id: string): Promise<ProjectHistoryEntry[]> {
    return this.projects.projectHistory(id);
  }

  projectChanges(id: string): Promise<ProjectChange[]> {
    return this.projects.projectChanges(id);
  }

  nextProjectId(year: number): Promise<string> {
    return this.projects.nextProjectId(year);
  }

  findProjectBySources(sources: {
    demand?: string;
    problem?: string;
    registration: string;
  }): Promise<Project | undefined> {
    return this.projects.findProjectBySources(sources);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Fields that name a person: what `store erase <person>` looks for. */
const PERSON_KEYS = ['name', 'contactPerson'];

/** What an erased record's path becomes in the ingest journal. */
const ERASED_PATH = '（已删除 erased）';

// Fields that decide whether two records are copies of each other: a correction to one of them
// may link or unlink copies.
const IDENTITY_KEYS = new Set(Object.values(IDENTITY).flat());

const READING_COLUMNS = [
  'value',
  'raw',
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
function sameReading(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return READING_COLUMNS.every((c) => (before[c] ?? null) === (after[c] ?? null));
}

const sameScalar = (a: Scalar, b: Scalar) => a === b;

/** Fields in the form's paper order, then any the form does not define (kept, not dropped). */
function orderFields(form: FormKind, fields: Record<string, StoredField>): Record<string, StoredField> {
  const out: Record<string, StoredField> = {};
  for (const def of FORMS[form].fields) {
    const f = fields[def.key];
    if (f) out[def.key] = f;
  }
  for (const [k, f] of Object.entries(fields)) if (!(k in out)) out[k] = f;
  return out;
}

/**
 * Opens (creating it if need be) and migrates the database. A file that is not a database, or one
 * written by a newer xietong, is a run-level failure with a hint.
 */
export async function openStore(path: string, options: OpenStoreOptions = {}): Promise<SqliteRecordStore> {
  const memory = path === ':memory:';
  const location = memory ? path : resolve(path);
  let db: Database.Database | undefined;
  try {
    const busy = `busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 10_000))}`;
    if (options.readOnly && !memory) {
      db = new Database(location, { readonly: true, fileMustExist: true });
      db.pragma(busy);
      const version = userVersion(db);
      if (version > LATEST_VERSION) throw new SchemaTooNewError(version, LATEST_VERSION);
      if (version < LATEST_VERSION) {
        db.close();
        await (await openStore(location, { ...options, readOnly: false })).close();
        db = new Database(location, { readonly: true, fileMustExist: true });
        db.pragma(busy);
      }
      return new SqliteRecordStore(db, location, options);
    }
    if (!memory) {
      mkdirSync(dirname(location), { recursive: true, mode: PRIVATE_DIR });
      // The database holds every person's data: owner-only, whatever the umask (-wal and -shm follow its mode).
      if (!existsSync(location)) closeSync(openSync(location, 'a', PRIVATE_FILE));
    }
    db = new Database(location);
    db.pragma(busy);
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a killed process loses nothing committed; only a power cut may lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new SqliteRecordStore(db, location, options);
  } catch (err) {
    db?.close();
    if (err instanceof SchemaTooNewError) {
      throw new RunError(
        'storeFailed',
        `数据库 ${location} 由更新版本的 xietong 创建（结构版本 ${err.found}，本版本支持到 ${LATEST_VERSION}）。` +
          ` / The database was written by a newer xietong (schema ${err.found}; this one knows up to ${LATEST_VERSION}).`,
        'Update xietong (git pull) before opening this database, or use another file with --db.',
        { cause: err },
      );
    }
    const code = (err as { code?: string }).code;
    const reason = (err as Error).message;
    throw new RunError(
      'storeFailed',
      `无法打开数据库 ${location}（${reason}）。 / Cannot open the database ${location}: ${reason}`,
      code === 'SQLITE_NOTADB'
        ? 'The file is not an xietong database: choose another path with --db (or XIETONG_DB).'
        : options.readOnly
          ? 'Check that the file is readable by you (`ls -l`), or choose another path with --db (or XIETONG_DB).'
          : 'Check that the folder is writable and the disk not full, or choose another path with --db (or XIETONG_DB).',
      { cause: err },
    );
  }
}
