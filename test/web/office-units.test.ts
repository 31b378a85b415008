// The pieces under office mode: scrypt passwords (salted, cost kept with the hash, a malformed or
// missing hash never matches), the rules for a chosen password, sessions (inactivity and the
// working-day cap on an injected clock), the login throttle's window, the permission table, and the
// tar format the backups use (UTF-8 names longer than ustar's 100 bytes, empty files).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, temporaryPassword, verifyPassword } from '../../src/auth/password.js';
import { actionOf, allows } from '../../src/auth/permissions.js';
import { LoginThrottle, Sessions } from '../../src/auth/sessions.js';
import { readTar, safeRelative, tarStream } from '../../src/backup/tar.js';
import { CHEAP } from './office-helpers.js';

describe('passwords', () => {
  it('hashes with a salt of its own and verifies only the same password', async () => {
    const a = await hashPassword('一个很长的密码 abc', CHEAP);
    const b = await hashPassword('一个很长的密码 abc', CHEAP);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('一个很长的密码 abc', a)).toBe(true);
    expect(await verifyPassword('一个很长的密码 abd', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('never matches a missing or malformed hash (and does not throw)', async () => {
    for (const stored of [
      undefined,
      '',
      'plain',
      'scrypt$3$8$1$c2FsdA==$aGFzaA==',
      'scrypt$1024$8$1$$',
      'md5$x',
    ]) {
      expect(await verifyPassword('anything at all', stored)).toBe(false);
    }
  });

  it('asks for 10 characters, not the login, not one character repeated', () => {
    expect(passwordProblem('short')).toContain('至少 10');
    expect(passwordProblem('zhangsan2026!', 'zhangsan')).toContain('登录名');
    expect(passwordProblem('aaaaaaaaaaaa')).toContain('简单');
    expect(passwordProblem('景德镇瓷器协同创新2026')).toBeUndefined();
    expect(temporaryPassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  });
});

describe('sessions and the throttle', () => {
  it('end after inactivity and after a working day however busy', () => {
    let t = 0;
    const s = new Sessions(() => t, { idleMs: 1000, maxMs: 5000 });
    const id = s.open('wang', 'p1', false);
    expect(s.touch(id)?.login).toBe('wang');
    for (t = 900; t < 5000; t += 900) expect(s.touch(id)).toBeDefined();
    t = 5001;
    expect(s.touch(id)).toBeUndefined();
    const other = s.open('wang', 'p1', false);
    s.closeAll('wang');
    expect(s.touch(other)).toBeUndefined();
    expect(s.touch('not-a-session')).toBeUndefined();
  });

  it('holds a login for the rest of the window after N failures, and a success clears the account', () => {
    let t = 0;
    const th = new LoginThrottle(() => t, { perAccount: 2, perAddress: 100, windowMs: 1000 });
    th.fail('li', 'a');
    expect(th.heldFor('li', 'a')).toBe(0);
    t = 100;
    th.fail('li', 'a');
    expect(th.heldFor('li', 'b')).toBe(900);
    t = 999;
    expect(th.heldFor('li', 'a')).toBe(1);
    // The first failure leaves the window: one left, under the limit.
    t = 1000;
    expect(th.heldFor('li', 'a')).toBe(0);
    th.fail('li', 'a');
    th.succeed('li');
    th.fail('li', 'a');
    expect(th.heldFor('li', 'a')).toBe(0);
  });
});

describe('permissions', () => {
  it('gives each role its actions, and refuses undeclared state changes', () => {
    expect(allows('clerk', 'correct')).toBe(true);
    expect(allows('clerk', 'approve')).toBe(false);
    expect(allows('reviewer', 'approve')).toBe(true);
    expect(allows('reviewer', 'release')).toBe(true);
    expect(allows('reviewer', 'manage_users')).toBe(false);
    expect(allows('admin', 'erase')).toBe(true);
    expect(actionOf('POST', '/api/records/reg-1/approve')).toBe('approve');
    expect(actionOf('POST', '/api/records/reg-1/fields/name')).toBe('correct');
    expect(actionOf('GET', '/api/records/reg-1')).toBe('view');
    expect(actionOf('HEAD', '/api/export/xlsx')).toBe('prepare');
    expect(actionOf('POST', '/api/something-new')).toBeUndefined();
    expect(actionOf('DELETE', '/api/records/reg-1')).toBeUndefined();
  });
});

describe('tar', () => {
  it('keeps long UTF-8 names, empty files and folders', async () => {
    const long = `files/${'扫描件'.repeat(30)}/第一批 登记表（张三）.pdf`;
    const mtime = new Date('2026-12-07T00:00:00Z');
    const content = Buffer.from('x'.repeat(1500));
    async function* entries() {
      yield { path: 'files', type: 'dir' as const, size: 0, mtime };
      yield { path: long, type: 'file' as const, size: content.length, mtime, bytes: content };
      yield { path: 'files/empty', type: 'file' as const, size: 0, mtime, bytes: Buffer.alloc(0) };
    }
    const chunks: Buffer[] = [];
    for await (const c of tarStream(entries())) chunks.push(c);
    const whole = Buffer.concat(chunks);
    expect(whole.length % 512).toBe(0);
    const seen: { path: string; type: string; bytes: string }[] = [];
    // Fed back in odd-sized pieces, as a gunzip stream would.
    const pieces = Array.from({ length: Math.ceil(whole.length / 333) }, (_, i) =>
      whole.subarray(i * 333, (i + 1) * 333),
    );
    await readTar(Readable.from(pieces), async (e, body) => {
      const parts: Buffer[] = [];
      for await (const p of body) parts.push(p);
      seen.push({ path: e.path, type: e.type, bytes: Buffer.concat(parts).toString() });
    });
    expect(seen).toEqual([
      { path: 'files', type: 'dir', bytes: '' },
      { path: long, type: 'file', bytes: content.toString() },
      { path: 'files/empty', type: 'file', bytes: '' },
    ]);
  });

  it('refuses names that leave the folder', () => {
    for (const bad of ['/etc/passwd', '../x', 'files/../../x', 'files//x', 'a\\\\b', './x']) {
      expect(() => safeRelative(bad), bad).toThrow(/unsafe/);
    }
    expect(safeRelative('files/a/b.png')).toBe('files/a/b.png');
  });

  it('refuses a file that is not an archive', async () => {
    await expect(readTar(Readable.from([Buffer.alloc(512, 7)]), async () => {})).rejects.toThrow(/checksum/);
  });
});
