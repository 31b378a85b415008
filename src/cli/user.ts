// `xietong user`: the accounts of office mode (`xietong serve --lan`), managed at the server by
// whoever can open the database — the same person who can read every record in it anyway. A new
// account, or a password reset, gets a temporary password printed once; its owner must choose their
// own at the first login. Accounts are never deleted (the history names them), only disabled.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { hashPassword, passwordProblem, temporaryPassword } from '../auth/password.js';
import { RunError } from '../errors.js';
import { defaultDbPath } from '../store/index.js';
import {
  type Account,
  LoginSchema,
  openUsers,
  PersonNameSchema,
  ROLE_NAMES,
  ROLES,
  type Role,
  RoleSchema,
  type SqliteUsers,
  UserError,
} from '../store/users.js';
import { DB_OPTION_HELP, type Output } from './store.js';

export interface UserCommandOptions {
  db?: string;
  /** The password is the first line of stdin instead of a generated temporary one. */
  passwordStdin?: boolean;
}

/** Who did it, for user_events: the login at the server's terminal. */
function osActor(): string {
  try {
    return `系统用户 ${userInfo().username}`;
  } catch {
    return '系统用户';
  }
}

async function withUsers<T>(db: string | undefined, f: (users: SqliteUsers) => Promise<T> | T): Promise<T> {
  const users = await openUsers(db ?? defaultDbPath());
  try {
    return await f(users);
  } catch (err) {
    if (err instanceof UserError) {
      throw new RunError(
        err.code === 'not_found' ? 'inputNotFound' : 'usage',
        err.message,
        err.code === 'not_found'
          ? 'See the accounts with `xietong user list`.'
          : 'Choose another login name.',
        { cause: err },
      );
    }
    throw err;
  } finally {
    users.close();
  }
}

function parsed<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: unknown,
  what: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new RunError('usage', `${what}无效：${r.error.issues[0]?.message ?? ''}`, `Check the ${what}.`);
  return r.data;
}

async function readStdinLine(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > 1000) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** The password to set: from stdin (checked like one a person chooses), or a new temporary one. */
async function newPassword(
  login: string,
  options: UserCommandOptions,
): Promise<{ password: string; generated: boolean }> {
  if (!options.passwordStdin) return { password: temporaryPassword(), generated: true };
  const password = await readStdinLine();
  const problem = passwordProblem(password, login);
  if (problem)
    throw new RunError('usage', `密码不可用：${problem}`, 'Give at least 10 characters, not the login name.');
  return { password, generated: false };
}

const describeAccount = (a: Account) =>
  `${a.login.padEnd(16)} ${a.name}  ${ROLE_NAMES[a.role]} ${a.role}${a.disabled ? '  已停用 disabled' : ''}${a.mustChange ? '  待改密码 must change password' : ''}`;

export async function runUserAdd(
  login: string,
  options: UserCommandOptions & { name: string; role: string },
  out: Output = process.stdout,
): Promise<void> {
  const id = parsed(LoginSchema, login.toLowerCase(), '登录名');
  const name = parsed(PersonNameSchema, options.name, '姓名');
  const role: Role = parsed(RoleSchema, options.role, '角色');
  const { password, generated } = await newPassword(id, options);
  const passwordHash = await hashPassword(password);
  await withUsers(options.db, (users) => {
    const account = users.add({ login: id, name, role, passwordHash }, osActor());
    out.write(`已添加账号 / account added: ${describeAccount(account)}\n`);
    if (generated)
      out.write(
        `  初始密码 / first password: ${password}\n  请当面交给 ${name}；首次登录后须设置自己的密码。 / Hand it over in person; it must be changed at first login.\n`,
      );
  });
}

export async function runUserPasswd(
  login: string,
  options: UserCommandOptions,
  out: Output = process.stdout,
): Promise<void> {
  const id = login.toLowerCase();
  const { password, generated } = await newPassword(id, options);
  const passwordHash = await hashPassword(password);
  await withUsers(options.db, (users) => {
    users.setPassword(id, passwordHash, osActor(), { temporary: true });
    out.write(`已重设 ${id} 的密码 / password reset${generated ? `：${password}` : ''}\n`);
    out.write(
      '  此密码为临时密码，下次登录须修改；已登录的会话随即失效。 / Temporary: to be changed at the next login; open sessions end.\n',
    );
  });
}

export async function runUserList(
  options: UserCommandOptions & { json?: boolean },
  out: Output = process.stdout,
): Promise<void> {
  await withUsers(options.db, (users) => {
    const accounts = users.list();
    if (options.json) {
      out.write(`${JSON.stringify(accounts, null, 2)}\n`);
      return;
    }
    if (accounts.length === 0)
      out.write('还没有账号 / no accounts: xietong user add <登录名> --name 姓名 --role admin\n');
    for (const a of accounts) out.write(`${describeAccount(a)}\n`);
  });
}

export async function runUserDisable(
  login: string,
  options: UserCommandOptions & { enable?: boolean },
  out: Output = process.stdout,
): Promise<void> {
  await withUsers(options.db, (users) => {
    users.setDisabled(login.toLowerCase(), !options.enable, osActor());
    out.write(
      options.enable
        ? `已恢复账号 ${login} / account enabled\n`
        : `已停用账号 ${login}：不能再登录，已登录的会话随即失效。 / disabled: cannot log in, open sessions end\n`,
    );
  });
}

export function register(program: Command): void {
  const user = program
    .command('user')
    .summary('accounts for office mode (serve --lan) / 办公室模式的账号')
    .description(
      '管理办公室模式（xietong serve --lan）的账号：办事员 clerk 导入、更正、准备材料；审核人 reviewer\n' +
        '另可核对通过、发布正式文书；管理员 admin 另可管理账号和删除个人数据。\n' +
        'Accounts for office mode. Roles: clerk (import, correct, prepare), reviewer (also approve and\n' +
        'release final documents), admin (also accounts and erasure).',
    );
  user
    .command('add')
    .description('add an account; prints a first password, to be changed at the first login')
    .argument('<login>', '登录名 login name (lower-case letters, digits, . _ -)')
    .requiredOption('--name <姓名>', "the person's name, as the history shows it")
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option(
      '--password-stdin',
      'read the password from the first line of stdin (still changed at first login)',
    )
    .option('--db <file>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Examples / 示例:
  xietong user add zhangsan --name 张三 --role admin
  xietong user add lisi --name 李四 --role clerk --db /srv/xietong/xietong.db`,
    )
    .action((login: string, opts: UserCommandOptions & { name: string; role: string }) =>
      runUserAdd(login, opts),
    );
  user
    .command('list')
    .description('the accounts, their roles and state')
    .option('--json', 'as JSON')
    .option('--db <file>', DB_OPTION_HELP)
    .action((opts: UserCommandOptions & { json?: boolean }) => runUserList(opts));
  user
    .command('passwd')
    .description("reset an account's password (a temporary one, printed; changed at the next login)")
    .argument('<login>')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--db <file>', DB_OPTION_HELP)
    .action((login: string, opts: UserCommandOptions) => runUserPasswd(login, opts));
  user
    .command('disable')
    .description('stop an account from logging in (its sessions end; its history stays)')
    .argument('<login>')
    .option('--enable', 'let a disabled account log in again')
    .option('--db <file>', DB_OPTION_HELP)
    .action((login: string, opts: UserCommandOptions & { enable?: boolean }) => runUserDisable(login, opts));
}
