// Accounts for office-mode tests: made with a cheap scrypt cost (the real one is 32 MiB per hash),
// with their own password already chosen unless a test needs the first-login change.
import { hashPassword, type ScryptCost } from '../../src/auth/password.js';
import type { Role, SqliteUsers } from '../../src/store/users.js';

export const CHEAP: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = 'correct horse 7';

export async function addAccount(
  users: SqliteUsers,
  login: string,
  name: string,
  role: Role,
  options: { temporary?: boolean; password?: string } = {},
): Promise<void> {
  const hash = await hashPassword(options.password ?? PASSWORD, CHEAP);
  users.add({ login, name, role, passwordHash: hash }, 'test');
  if (!options.temporary) users.setPassword(login, hash, 'test', { temporary: false });
}
