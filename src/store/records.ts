import { resolve } from 'node:path';
import { needsReview } from '../domain/review-rule.js';
import { linkCopies } from '../ingest/copies.js';
import type { FormKind, SubmissionRecord } from '../types.js';
import {
  CorrectionRow,
  IDENTITY_KEYS,
  isDocx,
  orderFields,
  parseRows,
  ReadingRow,
  ReviewRow,
  SourceRow,
  type StoreCore,
  SubmissionRow,
  sameReading,
  sourceOf,
  stripUndefined,
  toCorrection,
  toReading,
  toReview,
} from './rows.js';
import {
  DOCX_ENGINE,
  type IngestMeta,
  type PutOutcome,
  type Reading,
  type RecordFilter,
  ScalarSchema,
  type StoredField,
  type StoredRecord,
  StoreError,
} from './types.js';

export function putOne(s: StoreCore, record: SubmissionRecord, meta: IngestMeta): PutOutcome['outcome'] {
  const engine = isDocx(record) ? DOCX_ENGINE : (meta.ocr ?? { engine: 'unknown' });
  const db = s.db;
  return db
    .transaction((): PutOutcome['outcome'] => {
      const at = s.stamp();
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
      changed = putSources(s, record) || changed;
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
        `INSERT INTO readings (record_id, key, value, raw, other, confidence, page, box, crop, source_file,
           source_sha256, engine, engine_version, model, read_at, run_id)
         VALUES (@record_id, @key, @value, @raw, @other, @confidence, @page, @box, @crop, @source_file,
           @source_sha256, @engine, @engine_version, @model, @read_at, @run_id)`,
      );
      for (const [key, fv] of Object.entries(record.fields)) {
        const source = sourceOf(record, key, fv);
        const row = {
          record_id: record.id,
          key,
          value: JSON.stringify(fv.value),
          raw: fv.raw ?? null,
          other: fv.other ?? null,
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
export function putSources(s: StoreCore, record: SubmissionRecord): boolean {
  const rows = s.db
    .prepare('SELECT file, page, sha256 FROM sources WHERE record_id = ? ORDER BY ord')
    .all(record.id) as { file: string; page: number | null; sha256: string | null }[];
  const want = record.sources.map((s) => ({
    file: s.file,
    page: s.page ?? null,
    sha256: s.sha256 ?? null,
  }));
  if (JSON.stringify(rows) === JSON.stringify(want)) return false;
  s.db.prepare('DELETE FROM sources WHERE record_id = ?').run(record.id);
  const insert = s.db.prepare(
    'INSERT INTO sources (record_id, ord, file, page, sha256) VALUES (?, ?, ?, ?, ?)',
  );
  for (const [i, s] of want.entries()) insert.run(record.id, i, s.file, s.page, s.sha256);
  return rows.length > 0 || want.length > 0;
}

export function relink(s: StoreCore): void {
  // Only the identity fields matter here: load those, not whole records (this runs after every
  // correction of a name or phone).
  const subs = s.db.prepare('SELECT id, form, copy_of FROM submissions ORDER BY seq').all() as {
    id: string;
    form: FormKind;
    copy_of: string | null;
  }[];
  const keys = JSON.stringify([...IDENTITY_KEYS]);
  const values = s.db
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
  const update = s.db.prepare('UPDATE submissions SET copy_of = ? WHERE id = ?');
  s.db
    .transaction(() => {
      linked.forEach((r, i) => {
        if ((subs[i]?.copy_of ?? undefined) !== r.copyOf) update.run(r.copyOf ?? null, r.id);
      });
    })
    .immediate();
}

export function load(core: StoreCore, filter: RecordFilter): StoredRecord[] {
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
  const all = (sql: string) => core.db.prepare(sql).all(...params) as unknown[];

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
          !f.correction && f.read !== undefined && flagged(core, s.form, key, f.read, lowConfidence);
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

/** The one rule (src/domain/review-rule.ts), with the issues extract raised when it read the page. */
export function flagged(
  s: StoreCore,
  form: FormKind,
  key: string,
  read: Reading,
  lowConfidence: Set<string>,
): boolean {
  return lowConfidence.has(key) || needsReview(form, key, read, s.threshold);
}
