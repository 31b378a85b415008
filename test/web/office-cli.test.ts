// `xietong serve --lan` from the command line: refuses to start without an account (and says how to
// make one); listens beyond loopback only with --lan (loopback mode is checked from a LAN address);
// prints a fingerprint that is the served certificate's, kept across restarts; --insecure-http warns
// on every page and drops the Secure cookie; office options without --lan, or half a certificate,
// are usage errors. And `xietong user` itself.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect as connectNet, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { lanAddresses } from '../../src/cli/office-addresses.js';
import { runServe, type ServeCommandOptions } from '../../src/cli/serve.js';
import { runUserAdd, runUserDisable, runUserList, runUserPasswd } from '../../src/cli/user.js';
import { RunError } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { openUsers } from '../../src/store/users.js';
import { startWorkbench } from '../../src/web/index.js';
import { startOffice } from '../../src/web/office/server.js';
import { selfSigned } from '../../src/web/office/tls.js';
import { addAccount } from './office-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-office-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** A LAN address of this machine, when it has one. */
const LAN = lanAddresses().find((a) => a !== '127.0.0.1');

/** Serves until the returned stop(); resolves once `ready` matches what it printed. */
async function serve(options: ServeCommandOptions, ready: RegExp) {
  let text = '';
  let stop = () => {};
  const until = new Promise<void>((done) => {
    stop = done;
  });
  let running: Promise<void> = Promise.resolve();
  const match = await new Promise<RegExpExecArray>((done, fail) => {
    running = runServe(
      options,
      {
        write: (s: string) => {
          text += s;
          const m = ready.exec(text);
          if (m) done(m);
        },
      },
      until,
    );
    running.catch(fail);
  });
  return {
    match,
    text: () => text,
    stop: async () => {
      stop();
      await running;
    },
  };
}

const reachable = (host: string, port: number) =>
  new Promise<boolean>((done) => {
    const s = connectNet({ host, port });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });

const peerFingerprint = (port: number) =>
  new Promise<string>((done, fail) => {
    const s = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      done(s.getPeerX509Certificate()?.fingerprint256 ?? '');
      s.destroy();
    });
    s.once('error', fail);
  });

describe('serve --lan', () => {
  it('refuses to start without an account, and says how to create one', async () => {
    const db = join(dir, 'empty.db');
    const port = await freePort();
    const refused = await runServe(
      { db, lan: true, port, host: '127.0.0.1' },
      { write: () => {} },
      Promise.resolve(),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunError);
    expect((refused as RunError).exit).toBe('noAccount');
    expect((refused as RunError).message).toContain('没有可用的账号');
    expect((refused as RunError).hint).toContain('xietong user add');
    expect(await reachable('127.0.0.1', port)).toBe(false);
    // A disabled account is no account.
    const users = await openUsers(db);
    await addAccount(users, 'gone', '离职者', 'admin');
    users.setDisabled('gone', true, 'test');
    users.close();
    const again = await runServe({ db, lan: true, port }, { write: () => {} }, Promise.resolve()).catch(
      (e: unknown) => e,
    );
    expect((again as RunError).exit).toBe('noAccount');
  });

  it('without --lan listens on 127.0.0.1 only', async () => {
    const port = await freePort();
    const s = await serve({ db: join(dir, 'local.db'), port, open: false }, /127\.0\.0\.1:(\d+)/);
    expect(Number(s.match[1])).toBe(port);
    expect(await reachable('127.0.0.1', port)).toBe(true);
    if (LAN) expect(await reachable(LAN, port)).toBe(false);
    await s.stop();
    // The bound address itself, whatever interfaces this machine has.
    const store = await openStore(join(dir, 'local.db'));
    const local = await startWorkbench({ store, dataDir: join(dir, 'local-files') });
    expect(local.address).toBe('127.0.0.1');
    await local.close();
    const users = await openUsers(join(dir, 'local.db'));
    const office = await startOffice({ store, users, dataDir: join(dir, 'local-files'), port: 0 });
    expect(office.address).toBe('0.0.0.0');
    await office.close();
    users.close();
    await store.close();
  });

  it('with --lan listens on every interface over TLS, and prints the certificate’s fingerprint', async () => {
    const db = join(dir, 'office.db');
    const users = await openUsers(db);
    await addAccount(users, 'li', '李强', 'reviewer');
    users.close();
    const port = await freePort();
    const s = await serve({ db, lan: true, port }, /指纹 \/ fingerprint: ([0-9A-F:]{95})/);
    expect(s.text()).toContain('刚生成 new');
    expect(s.text()).toContain(`TCP ${port}`);
    expect(await reachable('127.0.0.1', port)).toBe(true);
    if (LAN) expect(await reachable(LAN, port)).toBe(true);
    expect(await peerFingerprint(port)).toBe(s.match[1]);
    const login = await fetch(`https://127.0.0.1:${port}/login`).catch((e: Error) => e);
    // A self-signed certificate: not trusted by default, as the colleagues' browsers will say.
    expect(login).toBeInstanceOf(Error);
    await s.stop();
    expect(statSync(join(dir, 'office-files', 'tls', 'key.pem')).mode & 0o777).toBe(0o600);

    // Started again: the same certificate, so colleagues need not check again.
    const again = await serve({ db, lan: true, port, host: '127.0.0.1' }, /fingerprint: ([0-9A-F:]{95})/);
    expect(again.match[1]).toBe(s.match[1]);
    expect(again.text()).toContain('已有 kept');
    if (LAN) expect(await reachable(LAN, port)).toBe(false);
    await again.stop();
  });

  it("serves the bureau's certificate with --cert/--key", async () => {
    const db = join(dir, 'office.db');
    const pair = selfSigned(['127.0.0.1']);
    writeFileSync(join(dir, 'bureau.pem'), pair.cert);
    writeFileSync(join(dir, 'bureau.key'), pair.key);
    const port = await freePort();
    const s = await serve(
      { db, lan: true, port, host: '127.0.0.1', cert: join(dir, 'bureau.pem'), key: join(dir, 'bureau.key') },
      /fingerprint: ([0-9A-F:]{95})/,
    );
    expect(s.text()).toContain(join(dir, 'bureau.pem'));
    expect(await peerFingerprint(port)).toBe(s.match[1]);
    await s.stop();
    // A key that is not the certificate's.
    writeFileSync(join(dir, 'other.key'), selfSigned(['127.0.0.1']).key);
    const wrong = await runServe(
      { db, lan: true, port, cert: join(dir, 'bureau.pem'), key: join(dir, 'other.key') },
      { write: () => {} },
      Promise.resolve(),
    ).catch((e: unknown) => e);
    expect((wrong as RunError).exit).toBe('badDataFile');
  });

  it('with --insecure-http warns on every page and in the terminal; the cookie is not Secure', async () => {
    const db = join(dir, 'office.db');
    const port = await freePort();
    const s = await serve(
      { db, lan: true, port, host: '127.0.0.1', insecureHttp: true },
      /http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(s.text()).toContain('未加密');
    const page = await fetch(`http://127.0.0.1:${port}/login`);
    expect(await page.text()).toContain('此连接未加密');
    await s.stop();
  });

  it('refuses office options without --lan, and half a certificate', async () => {
    const db = join(dir, 'office.db');
    const usage = async (o: ServeCommandOptions) =>
      ((await runServe(o, { write: () => {} }, Promise.resolve()).catch((e: unknown) => e)) as RunError).exit;
    expect(await usage({ db, host: '0.0.0.0' })).toBe('usage');
    expect(await usage({ db, insecureHttp: true })).toBe('usage');
    expect(await usage({ db, lan: true, cert: 'a.pem' })).toBe('usage');
    expect(await usage({ db, lan: true, insecureHttp: true, cert: 'a.pem', key: 'a.key' })).toBe('usage');
  });
});

describe('xietong user', () => {
  it('adds an account with a first password to change, lists and disables it', async () => {
    const db = join(dir, 'users.db');
    let text = '';
    const out = { write: (s: string) => (text += s) };
    await runUserAdd('Zhang', { db, name: '张三', role: 'admin' }, out);
    const password = /初始密码 \/ first password: (\S+)/.exec(text)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const users = await openUsers(db);
    expect(users.get('zhang')).toMatchObject({
      name: '张三',
      role: 'admin',
      mustChange: true,
      disabled: false,
    });
    // Only the hash is stored: scrypt with its cost and a salt.
    expect(users.passwordHash('zhang')).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(users.passwordHash('zhang')).not.toContain(password);
    users.close();
    await expect(runUserAdd('zhang', { db, name: '张三', role: 'admin' }, out)).rejects.toThrow(/已存在/);
    await expect(runUserAdd('li', { db, name: '李四', role: 'boss' }, out)).rejects.toThrow(/角色无效/);
    await expect(runUserAdd('李四', { db, name: '李四', role: 'clerk' }, out)).rejects.toThrow(/登录名无效/);
    // A reset password is temporary again, and says so.
    const users2 = await openUsers(db);
    users2.setPassword('zhang', users2.passwordHash('zhang') ?? '', 'test', { temporary: false });
    users2.close();
    text = '';
    await runUserPasswd('zhang', { db }, out);
    const reset = /已重设 zhang 的密码 \/ password reset：(\S+)/.exec(text)?.[1] ?? '';
    expect(reset).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(reset).not.toBe(password);
    const users3 = await openUsers(db);
    expect(users3.get('zhang')?.mustChange).toBe(true);
    expect(users3.events('zhang').map((e) => e.event)).toEqual(['add', 'password', 'password_reset']);
    expect(users3.events('zhang')[0]?.actor).toMatch(/^系统用户/);
    users3.close();
    await expect(runUserPasswd('nobody', { db }, out)).rejects.toThrow(/没有登录名/);
    await runUserDisable('zhang', { db }, out);
    text = '';
    await runUserList({ db }, out);
    expect(text).toContain('已停用');
  });
});
