// Migration 7: the accounts of office mode (`xietong serve --lan`). Kept in a file of its own so the
// account code (./users.ts) and the list of migrations (./schema.ts) meet at one line.
//
// A password is stored only as its scrypt hash with its own salt and cost (see ../auth/password.ts).
// An account is never deleted — its login names corrections and approvals in the history — only
// disabled. What was done to accounts (added, password set, disabled) is kept in user_events,
// append-only, with the OS user or the account that did it.
import type { Migration } from './schema.js';

export const USERS_MIGRATION: Migration = {
  version: 7,
  name: 'accounts for office mode, and what was done to them',
  up(db) {
    db.exec(`
CREATE TABLE users (
  login TEXT PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  role TEXT NOT NULL CHECK (role IN ('clerk', 'reviewer', 'admin')),
  password TEXT NOT NULL,
  must_change INTEGER NOT NULL DEFAULT 1 CHECK (must_change IN (0, 1)),
  disabled_at TEXT,
  created_at TEXT NOT NULL,
  password_set_at TEXT NOT NULL
) STRICT;

CREATE TABLE user_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  login TEXT NOT NULL REFERENCES users(login),
  event TEXT NOT NULL CHECK (event IN ('add', 'password', 'password_reset', 'disable', 'enable', 'role')),
  actor TEXT NOT NULL CHECK (actor <> ''),
  detail TEXT
) STRICT;
CREATE TRIGGER user_events_no_update BEFORE UPDATE ON user_events
BEGIN SELECT RAISE(ABORT, 'user_events is append-only'); END;
CREATE TRIGGER user_events_no_delete BEFORE DELETE ON user_events
BEGIN SELECT RAISE(ABORT, 'user_events is append-only'); END;
`);
  },
};
