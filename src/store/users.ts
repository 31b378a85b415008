// Office-mode accounts in the database (migration 7, ./migration-users.ts). A connection of its own
// to the same file: the record store and the accounts share nothing but the file, and a
// `xietong user disable` from the command line is seen by a running server at its next request.
import Database from 'better-sqlite3';
import { z } from 'zod';
import { RunError } from '../errors.js';
import { openStore } from './sqlite.js';

export const ROLES = ['clerk', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

export const ROLE_NAMES: Record<Role, string> = { clerk: '办事员', reviewer: '审核人', admin: '管理员' };

/** Login names: what people type, and what the history shows beside the name. */
export const LoginSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, '登录名须为 2–32 个小写字母、数字或 . _ -，以字母开头');

export const PersonNameSchema = z.string().trim().min(1, '需要姓名').max(40);

export interface Account {
  login: string;
  name: string;
  role: Role;
  mustChange: boolean;
  disabled: boolean;
  createdAt: string;
  passwordSetAt: string;
}

const UserRow = z.object({
  login: z.string(),
  name: z.string(),
  role: RoleSchema,
  password: z.string(),
  must_change: z.number().int(),
  disabled_at: z.string().nullable(),
  created_at: z.string(),
  password_set_at: z.string(),
});
type UserRowT = z.infer<typeof UserRow>;

const toAccount = (r: UserRowT): Account => ({
  login: r.login,
  name: r.name,
  role: r.role,
  mustChange: r.must_change === 1,
  disabled: r.disabled_at !== null,
  createdAt: r.created_at,
  passwordSetAt: r.password_set_at,
});

/** How an account is named in the history: the person and the login that vouches for them. */
export const actorOf = (a: Pick<Account, 'login' | 'name'>): string => `${a.name}（${a.login}）`;

export class UserError extends Error {
  constructor(
    readonly code: 'exists' | 'not_found' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class SqliteUsers {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private row(login: string): UserRowT | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE login = ?').get(login);
    return row === undefined ? undefined : UserRow.parse(row);
  }

  get(login: string): Account | undefined {
    const r = this.row(login);
    return r && toAccount(r);
  }

  /** The stored hash, for the login check only. */
  passwordHash(login: string): string | undefined {
    return this.row(login)?.password;
  }

  list(): Account[] {
    return this.db
      .prepare('SELECT * FROM users ORDER BY login')
      .all()
      .map((r) => toAccount(UserRow.parse(r)));
  }

  /** Accounts that can log in: office mode refuses to start without one. */
  activeCount(): number {
    return Number(
      (this.db.prepare('SELECT count(*) AS n FROM users WHERE disabled_at IS NULL').get() as { n: number }).n,
    );
  }

  private event(login: string, event: string, actor: string, detail?: string): void {
    this.db
      .prepare('INSERT INTO user_events (at, login, event, actor, detail) VALUES (?, ?, ?, ?, ?)')
      .run(this.now().toISOString(), login, event, actor, detail ?? null);
  }

  add(input: { login: string; name: string; role: Role; passwordHash: string }, actor: string): Account {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      if (this.row(input.login)) throw new UserError('exists', `登录名 ${input.login} 已存在。`);
      this.db
        .prepare(
          'INSERT INTO users (login, name, role, password, must_change, created_at, password_set_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
        )
        .run(input.login, input.name, input.role, input.passwordHash, at, at);
      this.event(input.login, 'add', actor, `${input.name} ${input.role}`);
    })();
    return this.get(input.login) as Account;
  }

  /**
   * A new password. Set by someone else (an administrator), it is temporary: the person must
   * choose their own at the next login. Set by the person, it is theirs.
   */
  setPassword(login: string, passwordHash: string, actor: string, options: { temporary: boolean }): void {
    this.db.transaction(() => {
      if (!this.row(login)) throw new UserError('not_found', `没有登录名 ${login}。`);
      this.db
        .prepare('UPDATE users SET password = ?, must_change = ?, password_set_at = ? WHERE login = ?')
        .run(passwordHash, options.temporary ? 1 : 0, this.now().toISOString(), login);
      this.event(login, options.temporary ? 'password_reset' : 'password', actor);
    })();
  }

  setDisabled(login: string, disabled: boolean, actor: string): void {
    this.db.transaction(() => {
      if (!this.row(login)) throw new UserError('not_found', `没有登录名 ${login}。`);
      this.db
        .prepare('UPDATE users SET disabled_at = ? WHERE login = ?')
        .run(disabled ? this.now().toISOString() : null, login);
      this.event(login, disabled ? 'disable' : 'enable', actor);
    })();
  }

  /** What was done to an account, oldest first. */
  events(login: string): { at: string; event: string; actor: string; detail: string | null }[] {
    return this.db
      .prepare('SELECT at, event, actor, detail FROM user_events WHERE login = ? ORDER BY id')
      .all(login) as { at: string; event: string; actor: string; detail: string | null }[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The accounts in the database at `path`, migrating it first (through openStore) when it is older. */
export async function openUsers(
  path: string,
  options: { now?: () => Date; busyTimeoutMs?: number } = {},
): Promise<SqliteUsers> {
  await (await openStore(path, { busyTimeoutMs: options.busyTimeoutMs })).close();
  try {
    const db = new Database(path, { fileMustExist: true });
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 10_000))}`);
    return new SqliteUsers(db, options.now);
  } catch (err) {
    throw new RunError(
      'storeFailed',
      `无法打开数据库 ${path} 中的账号。 / Cannot open the accounts in ${path}: ${(err as Error).message}`,
      'Check that the file is readable and writable by you, or choose another path with --db.',
      { cause: err },
    );
  }
}
