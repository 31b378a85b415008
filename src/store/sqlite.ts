// RecordStore on an embedded SQLite file (better-sqlite3): opening and migrating the file, and the
// store object whose methods the rest of xietong calls. WAL mode, so the workbench can read while an
// ingest writes. The storage itself is in modules of its own, each a set of functions over the
// connection (StoreCore, ./rows.ts): records (./records.ts), corrections and history
// (./corrections.ts), copies and erasure (./copies.ts), the ingest journal (./journal.ts) and
// projects (./projects.ts). Which fields need review is src/domain/review-rule.ts; the order of the
// review queue is src/review/queue.ts.

import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { REVIEW_THRESHOLD } from '../domain/review-rule.js';
import { RunError } from '../errors.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../files.js';
import { SYNC_NOTE, syncFromRecord } from '../projects/sync.js';
import type { Project, ProjectState } from '../projects/types.js';
import { type FormKind, FormKindSchema, type SubmissionRecord } from '../types.js';
import * as copies from './copies.js';
import * as corrections from './corrections.js';
import * as journal from './journal.js';
import {
  type ProjectActor,
  type ProjectChange,
  type ProjectHistoryEntry,
  type ProjectRepository,
  type PutProjectOutcome,
  SqliteProjects,
} from './projects.js';
import * as records from './records.js';
import { currentRecord, type StoreCore, stripUndefined } from './rows.js';
import { LATEST_VERSION, migrate, SchemaTooNewError, userVersion } from './schema.js';
import {
  type CopyNote,
  type Correction,
  type CorrectionInput,
  type EngineInfo,
  type HistoryEvent,
  type IngestJournal,
  type IngestMeta,
  type KnownCopy,
  type PutOutcome,
  type PutSummary,
  type RecordFilter,
  type RecordStore,
  type Review,
  type StoreCounts,
  type StoredRecord,
  StoreError,
} from './types.js';

export { currentRecord, titleOf } from './rows.js';

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

// --- the store ------------------------------------------------------------------------------------

export class SqliteRecordStore implements RecordStore, IngestJournal, ProjectRepository, StoreCore {
  readonly location: string;
  /** @internal For the storage modules (StoreCore), not for callers. */
  readonly db: Database.Database;
  private readonly now: () => Date;
  /** @internal */
  readonly threshold: number;
  private readonly projects: SqliteProjects;

  constructor(db: Database.Database, location: string, options: OpenStoreOptions = {}) {
    this.db = db;
    this.location = location;
    this.now = options.now ?? (() => new Date());
    this.threshold = options.reviewThreshold ?? REVIEW_THRESHOLD;
    this.projects = new SqliteProjects(db, () => this.stamp());
  }

  /** @internal */
  stamp(): string {
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
    return records.putOne(this, record, meta);
  }

  async relinkCopies(): Promise<void> {
    this.relink();
  }

  /** @internal */
  relink(): void {
    records.relink(this);
  }

  async listRecords(filter: RecordFilter = {}): Promise<StoredRecord[]> {
    return this.load(filter);
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    return this.load({ ids: [id] })[0];
  }

  private load(filter: RecordFilter): StoredRecord[] {
    return records.load(this, filter);
  }

  correctField(id: string, key: string, input: CorrectionInput): Promise<Correction> {
    return corrections.correctField(this, id, key, input);
  }

  findPerson(who: string): Promise<StoredRecord[]> {
    return copies.findPerson(this, who);
  }

  eraseRecords(...args: Parameters<typeof copies.eraseRecords> extends [StoreCore, ...infer A] ? A : never) {
    return copies.eraseRecords(this, ...args);
  }

  erasures() {
    return copies.erasures(this);
  }

  noteErasureCopies(auditId: number, counts: { changed: number; failed: number }): Promise<void> {
    return copies.noteErasureCopies(this, auditId, counts);
  }

  // --- copies outside the database ---------------------------------------------------------------

  noteCopy(copy: CopyNote): Promise<void> {
    return copies.noteCopy(this, copy);
  }

  knownCopies(): Promise<KnownCopy[]> {
    return copies.knownCopies(this);
  }

  /** @internal */
  formOf(id: string): FormKind {
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

  history(id: string, key?: string): Promise<HistoryEvent[]> {
    return corrections.history(this, id, key);
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

  startRun(info: { paths: readonly string[]; engine?: EngineInfo }): Promise<number> {
    return journal.startRun(this, info);
  }

  finishRun(runId: number, stats: Record<string, number>, engine?: EngineInfo): Promise<void> {
    return journal.finishRun(this, runId, stats, engine);
  }

  journalGet(sha256: string, page: number, model: string): Promise<unknown | undefined> {
    return journal.journalGet(this, sha256, page, model);
  }

  journalPut(sha256: string, page: number, model: string, reading: unknown): Promise<void> {
    return journal.journalPut(this, sha256, page, model, reading);
  }

  journalClear(sha256s: readonly string[]): Promise<void> {
    return journal.journalClear(this, sha256s);
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
