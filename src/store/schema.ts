// The database schema as an ordered list of migrations. PRAGMA user_version holds the number of
// the last one applied; opening a database applies the missing ones in order, each in its own
// IMMEDIATE transaction (two processes opening an old file at once migrate it once). Never edit a
// migration that has shipped: add the next one.
//
// Readings, corrections and reviews are append-only (triggers refuse UPDATE and DELETE): the value
// the machine read is never overwritten, and the current value is derived — the latest correction,
// or else the latest reading.
import type Database from 'better-sqlite3';
import { USERS_MIGRATION } from './migration-users.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'submissions, sources, readings, corrections, reviews',
    up(db) {
      db.exec(`
CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  form TEXT NOT NULL CHECK (form IN ('registration', 'demand', 'problem')),
  copy_of TEXT,
  read_issues TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(read_issues)),
  first_ingested_at TEXT NOT NULL,
  last_ingested_at TEXT NOT NULL,
  ingest_count INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE sources (
  record_id TEXT NOT NULL REFERENCES submissions(id),
  ord INTEGER NOT NULL,
  file TEXT NOT NULL,
  page INTEGER,
  sha256 TEXT,
  PRIMARY KEY (record_id, ord)
) STRICT;

CREATE TABLE readings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL REFERENCES submissions(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL CHECK (json_valid(value)),
  raw TEXT,
  confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  page INTEGER,
  box TEXT CHECK (box IS NULL OR json_valid(box)),
  crop TEXT,
  source_file TEXT,
  source_sha256 TEXT,
  engine TEXT NOT NULL,
  engine_version TEXT,
  model TEXT,
  read_at TEXT NOT NULL
) STRICT;
CREATE INDEX readings_by_field ON readings (record_id, key, id);

CREATE TABLE corrections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL REFERENCES submissions(id),
  key TEXT NOT NULL,
  old_value TEXT NOT NULL CHECK (json_valid(old_value)),
  new_value TEXT NOT NULL CHECK (json_valid(new_value)),
  at TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (actor <> ''),
  reason TEXT
) STRICT;
CREATE INDEX corrections_by_field ON corrections (record_id, key, id);

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL REFERENCES submissions(id),
  action TEXT NOT NULL CHECK (action IN ('approve', 'reopen')),
  at TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (actor <> ''),
  note TEXT,
  -- the record's latest correction when the review was made: a later correction makes an approval stale
  last_correction_id INTEGER
) STRICT;
CREATE INDEX reviews_by_record ON reviews (record_id, id);
${appendOnly('readings')}
${appendOnly('corrections')}
${appendOnly('reviews')}
`);
    },
  },
  {
    version: 2,
    name: 'ingest runs and the page journal of unfinished runs',
    up(db) {
      db.exec(`
CREATE TABLE ingest_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  paths TEXT NOT NULL CHECK (json_valid(paths)),
  engine TEXT CHECK (engine IS NULL OR json_valid(engine)),
  stats TEXT CHECK (stats IS NULL OR json_valid(stats))
) STRICT;

-- Page readings of a run that has not finished: a restarted run takes them instead of running OCR
-- again. Cleared for a file once its records are stored.
CREATE TABLE page_journal (
  sha256 TEXT NOT NULL,
  page INTEGER NOT NULL,
  model TEXT NOT NULL,
  reading TEXT NOT NULL CHECK (json_valid(reading)),
  at TEXT NOT NULL,
  PRIMARY KEY (sha256, page, model)
) STRICT;

ALTER TABLE readings ADD COLUMN run_id INTEGER REFERENCES ingest_runs(id);
`);
    },
  },
  {
    version: 3,
    name: 'projects and their state history',
    up(db) {
      // The project is kept whole as JSON (its shape is ProjectSchema, which grows with the
      // documents); state is a column of its own so lists can filter without parsing.
      db.exec(`
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL CHECK (json_valid(project)),
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE project_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id TEXT NOT NULL REFERENCES projects(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (actor <> ''),
  from_state TEXT,
  to_state TEXT NOT NULL,
  note TEXT
) STRICT;
CREATE INDEX project_history_by_project ON project_history (project_id, id);
${appendOnly('project_history')}
`);
    },
  },
  {
    version: 4,
    name: "erasure of a person's records, with an audit line",
    up(db) {
      // The history tables stay append-only for everything but an erasure: a delete is let through
      // only for the records listed in \`erasing\`, which holds rows for the length of one erase
      // transaction. The audit line keeps who, when, why and which ids — no personal data.
      db.exec(`
CREATE TABLE erasing (record_id TEXT PRIMARY KEY) STRICT;

CREATE TABLE erasures (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (actor <> ''),
  reason TEXT NOT NULL CHECK (reason <> ''),
  record_ids TEXT NOT NULL CHECK (json_valid(record_ids)),
  files_removed INTEGER NOT NULL
) STRICT;
${appendOnly('erasures')}
${['readings', 'corrections', 'reviews']
  .map(
    (t) => `
DROP TRIGGER ${t}_no_delete;
CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t}
WHEN OLD.record_id NOT IN (SELECT record_id FROM erasing)
BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;`,
  )
  .join('\n')}
`);
    },
  },
  {
    version: 5,
    name: 'project changes: every edited value with who and when',
    up(db) {
      // putProject replaces the project's JSON; what changed is kept here, one row per value, so a
      // workbook import or a scores import can always be traced to a person and a time.
      db.exec(`
CREATE TABLE project_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id TEXT NOT NULL REFERENCES projects(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (actor <> ''),
  path TEXT NOT NULL,
  old_value TEXT CHECK (old_value IS NULL OR json_valid(old_value)),
  new_value TEXT CHECK (new_value IS NULL OR json_valid(new_value)),
  note TEXT
) STRICT;
CREATE INDEX project_changes_by_project ON project_changes (project_id, id);
${appendOnly('project_changes')}
`);
    },
  },
  {
    version: 6,
    name: 'copies written outside the database, for erasure',
    up(db) {
      // Where records left the database: an ingest's output folder (records.json and crops) and an
      // export's folder (the formats written, the records in them, the reference date the issues
      // were checked against). \`store erase\` rewrites these copies; without this list it could only
      // tell the user to find them. The erasure's audit line gains how many copies it changed and
      // how many it could not: those are known only after the database erasure has committed, so
      // the two columns may be set once, from NULL, and nothing else in the line ever changes.
      db.exec(`
CREATE TABLE copies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('ingest', 'export')),
  dir TEXT NOT NULL,
  formats TEXT NOT NULL CHECK (json_valid(formats)),
  record_ids TEXT NOT NULL CHECK (json_valid(record_ids)),
  reference_date TEXT,
  run_id INTEGER REFERENCES ingest_runs(id)
) STRICT;
CREATE INDEX copies_by_dir ON copies (kind, dir, id);

ALTER TABLE erasures ADD COLUMN copies_changed INTEGER;
ALTER TABLE erasures ADD COLUMN copies_failed INTEGER;
DROP TRIGGER erasures_no_update;
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
WHEN OLD.copies_changed IS NOT NULL OR OLD.copies_failed IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
  OR NEW.reason IS NOT OLD.reason OR NEW.record_ids IS NOT OLD.record_ids
  OR NEW.files_removed IS NOT OLD.files_removed
BEGIN SELECT RAISE(ABORT, 'erasures is append-only'); END;
`);
    },
  },
  USERS_MIGRATION,
  {
    version: 8,
    name: "the second reader's reading where the two readers disagree",
    up(db) {
      // Kept with the reading it belongs to, so the clerk sees both; erased with it.
      db.exec('ALTER TABLE readings ADD COLUMN other TEXT;');
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export interface MigrationOutcome {
  from: number;
  to: number;
}

/** Thrown when the file was written by a newer xietong: migrating down would lose data. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`database schema version ${found} is newer than this xietong supports (${supported})`);
    this.name = 'SchemaTooNewError';
  }
}

export function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Applies the migrations the database lacks, in order; `upTo` stops early (tests build old files). */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  upTo: number = migrations[migrations.length - 1]?.version ?? 0,
): MigrationOutcome {
  const from = userVersion(db);
  if (from > upTo && upTo === (migrations[migrations.length - 1]?.version ?? 0)) {
    throw new SchemaTooNewError(from, upTo);
  }
  for (const m of migrations) {
    if (m.version > upTo) break;
    db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      if (userVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: userVersion(db) };
}
