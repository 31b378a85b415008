// Copies and erasure: the records of a person, deleting them whole (the 个人信息保护法's right to
// deletion) with one audit line, and the folders of records written outside the database
// (ingest output, exports) that `store erase` rewrites.
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { ERASED_PATH, PERSON_KEYS, type StoreCore, stripUndefined } from './rows.js';
import { type CopyNote, type KnownCopy, type Scalar, type StoredRecord, StoreError } from './types.js';

/**
 * Records of a person: by record id, or by the name in a registration's 姓名 or a form's 联系人 — with the 一式二份 copies linked to them either way.
 */
export async function findPerson(s: StoreCore, who: string): Promise<StoredRecord[]> {
  const text = who.replace(/\s+/g, '');
  const all = await s.listRecords();
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
export async function eraseRecords(
  s: StoreCore,
  ids: readonly string[],
  actor: { by: string; reason: string },
): Promise<{ erased: string[]; filesRemoved: number; auditId: number }> {
  const by = actor.by?.trim();
  const reason = actor.reason?.trim();
  if (!by || !reason)
    throw new StoreError('invalid_input', '删除须填写操作人和理由。', 'Who erases and why are required.');
  for (const id of ids) s.formOf(id);
  const list = JSON.stringify([...new Set(ids)]);
  const inList = 'SELECT value FROM json_each(?)';
  const crops = (
    s.db
      .prepare(
        `SELECT DISTINCT crop FROM readings WHERE record_id IN (${inList}) AND crop IS NOT NULL
         AND crop NOT IN (SELECT crop FROM readings WHERE crop IS NOT NULL AND record_id NOT IN (${inList}))`,
      )
      .all(list, list) as { crop: string }[]
  ).map((r) => (isAbsolute(r.crop) ? r.crop : resolve(dirname(s.location), r.crop)));
  const present = crops.filter((f) => existsSync(f));
  s.db.pragma('secure_delete = ON');
  const auditId = s.db
    .transaction((): number => {
      s.db.prepare(`INSERT INTO erasing (record_id) ${inList}`).run(list);
      s.db
        .prepare(
          `DELETE FROM page_journal WHERE sha256 IN (SELECT sha256 FROM sources WHERE record_id IN (${inList}))
           AND sha256 NOT IN (SELECT sha256 FROM sources WHERE sha256 IS NOT NULL AND record_id NOT IN (${inList}))`,
        )
        .run(list, list);
      redactRunPaths(s, list);
      for (const table of ['readings', 'corrections', 'reviews', 'sources'])
        s.db.prepare(`DELETE FROM ${table} WHERE record_id IN (${inList})`).run(list);
      s.db.prepare(`UPDATE submissions SET copy_of = NULL WHERE copy_of IN (${inList})`).run(list);
      s.db.prepare(`DELETE FROM submissions WHERE id IN (${inList})`).run(list);
      s.db.prepare('DELETE FROM erasing').run();
      const info = s.db
        .prepare('INSERT INTO erasures (at, actor, reason, record_ids, files_removed) VALUES (?, ?, ?, ?, ?)')
        .run(s.stamp(), by, reason, list, present.length);
      return Number(info.lastInsertRowid);
    })
    .immediate();
  s.relink();
  if (s.location !== ':memory:') {
    // Freed pages are not rewritten in WAL mode even with secure_delete: VACUUM rebuilds the file
    // without them, and the checkpoint empties the WAL that held the old pages.
    s.db.exec('VACUUM');
    s.db.pragma('wal_checkpoint(TRUNCATE)');
  }
  for (const f of present) rmSync(f, { force: true });
  return { erased: JSON.parse(list) as string[], filesRemoved: present.length, auditId };
}

/**
 * The paths an ingest was given may name the person (张三.docx, 张三的材料/): within the erase
 * transaction, a path that is one of the erased records' source files, or holds one of their
 * names, is replaced by a placeholder — the run's counts stay, the name goes.
 */
export function redactRunPaths(s: StoreCore, list: string): void {
  const inList = 'SELECT value FROM json_each(?)';
  const files = new Set(
    (
      s.db.prepare(`SELECT DISTINCT file FROM sources WHERE record_id IN (${inList})`).all(list) as {
        file: string;
      }[]
    ).flatMap((r) => [resolve(r.file), basename(r.file)]),
  );
  const keys = JSON.stringify(PERSON_KEYS);
  const names = new Set<string>();
  for (const table of ['readings', 'corrections'])
    for (const r of s.db
      .prepare(
        `SELECT ${table === 'readings' ? 'value' : 'new_value'} AS v FROM ${table}
         WHERE record_id IN (${inList}) AND key IN (SELECT value FROM json_each(?))`,
      )
      .all(list, keys) as { v: string }[]) {
      const v = JSON.parse(r.v) as unknown;
      // One character is not a name: redacting every path holding 王 would blank the journal.
      if (typeof v === 'string' && v.replace(/\s+/g, '').length >= 2) names.add(v.replace(/\s+/g, ''));
    }
  const update = s.db.prepare('UPDATE ingest_runs SET paths = ? WHERE id = ?');
  for (const run of s.db.prepare('SELECT id, paths FROM ingest_runs').all() as {
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
export async function erasures(s: StoreCore): Promise<
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
  const rows = s.db.prepare('SELECT * FROM erasures ORDER BY id').all() as {
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
export async function noteErasureCopies(
  s: StoreCore,
  auditId: number,
  counts: { changed: number; failed: number },
): Promise<void> {
  s.db
    .prepare('UPDATE erasures SET copies_changed = ?, copies_failed = ? WHERE id = ?')
    .run(counts.changed, counts.failed, auditId);
}

/** Remembers a folder records were written to (an ingest's output, an export). */
export async function noteCopy(s: StoreCore, copy: CopyNote): Promise<void> {
  s.db
    .prepare(
      'INSERT INTO copies (at, kind, dir, formats, record_ids, reference_date, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      s.stamp(),
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
export async function knownCopies(s: StoreCore): Promise<KnownCopy[]> {
  const rows = s.db.prepare('SELECT * FROM copies ORDER BY id').all() as {
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
