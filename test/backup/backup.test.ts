// `xietong backup` then `xietong restore` into a fresh folder: the same `store info`, the same
// export, the crops (from inside and outside the data folder) shown from their new place, private
// file modes, and an archive that cannot write outside the folder it is restored to.
import { execFile } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupStore, restoreBackup } from '../../src/app/backup.js';
import { tarStream } from '../../src/backup/tar.js';
import { openStore } from '../../src/store/index.js';
import { openUsers } from '../../src/store/users.js';
import { REVIEW_ID, reviewStore } from '../review/fixture.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/xietong.js');
const dir = mkdtempSync(join(tmpdir(), 'xietong-backup-'));
const db = join(dir, 'office', 'xietong.db');

async function xietong(...args: string[]): Promise<string> {
  const { stdout } = await run('node', [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  return stdout;
}

beforeAll(async () => {
  // The review fixture's crops sit beside the database, outside its data folder (as `ingest --out`
  // elsewhere leaves them); an upload and a certificate sit inside it.
  const store = await reviewStore(join(dir, 'office'));
  await store.correctField(REVIEW_ID, 'phone', { value: '13807981234', by: '王芳（wang）' });
  await store.close();
  mkdirSync(join(dir, 'office', 'xietong-files', 'uploads', 'b1'), { recursive: true });
  writeFileSync(join(dir, 'office', 'xietong-files', 'uploads', 'b1', '登记表 扫描.pdf'), 'pdf bytes');
  await xietong('user', 'add', 'wang', '--name', '王芳', '--role', 'clerk', '--db', db);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const info = async (path: string) =>
  (await xietong('store', 'info', '--db', path)).split('\n').slice(1).join('\n');

describe('backup and restore', () => {
  it('copies what a running server has written and not yet checkpointed', async () => {
    const live = await openStore(db);
    const users = await openUsers(db);
    try {
      await live.correctField(REVIEW_ID, 'birthMonth', { value: '1985-03', by: '李强（li）' });
      // The correction sits in the WAL while this connection stays open.
      expect(existsSync(`${db}-wal`)).toBe(true);
      const archive = join(dir, 'live.tar.gz');
      await backupStore({ db, dataDir: join(dir, 'office', 'xietong-files'), archive });
      const restored = await restoreBackup({ archive, to: join(dir, 'live-restored') });
      const copy = await openStore(restored.db, { readOnly: true });
      expect((await copy.getRecord(REVIEW_ID))?.fields.birthMonth?.value).toBe('1985-03');
      await copy.close();
    } finally {
      users.close();
      await live.close();
    }
  });

  it('gives the same store info, export, accounts and crops in a fresh folder', async () => {
    const archive = join(dir, 'backups', 'xietong.tar.gz');
    const said = await xietong('backup', archive, '--db', db);
    expect(said).toContain('已备份');
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    // Nothing left beside the archive but the archive.
    expect(readdirSync(join(dir, 'backups'))).toEqual(['xietong.tar.gz']);

    const to = join(dir, 'restored');
    const restored = await xietong('restore', archive, '--to', to);
    expect(restored).toContain('已恢复');
    const db2 = join(to, 'xietong.db');
    expect(await info(db2)).toBe(await info(db));
    expect(await info(db2)).toMatch(/记录 records: 2/);

    await xietong('export', '--db', db, '--format', 'csv,json', '-o', join(dir, 'e1'));
    await xietong('export', '--db', db2, '--format', 'csv,json', '-o', join(dir, 'e2'));
    const files = readdirSync(join(dir, 'e1')).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'e2')).sort()).toEqual(files);
    for (const f of files) {
      // The JSON names each crop's file: after a restore, the restored copy (and only that differs).
      const restoredCrops = new RegExp(`${join(to, 'xietong-files', 'external')}/\\d+/`, 'g');
      // …and the moment of the export.
      const stamp = (text: string) => text.replace(/"exportedAt": "[^"]+"/, '"exportedAt": "…"');
      const again = readFileSync(join(dir, 'e2', f), 'utf8').replace(
        restoredCrops,
        `${join(dir, 'office', 'crops')}/`,
      );
      expect(stamp(again), f).toBe(stamp(readFileSync(join(dir, 'e1', f), 'utf8')));
    }
    expect(readFileSync(join(dir, 'e2', 'records.json'), 'utf8')).toContain(join(to, 'xietong-files'));

    expect(await xietong('user', 'list', '--db', db2)).toContain('wang');
    expect(readFileSync(join(to, 'xietong-files', 'uploads', 'b1', '登记表 扫描.pdf'), 'utf8')).toBe(
      'pdf bytes',
    );
    expect(statSync(db2).mode & 0o777).toBe(0o600);
    expect(statSync(join(to, 'xietong-files')).mode & 0o777).toBe(0o700);

    // The crops are read from the restored folder, not the old one.
    const store = await openStore(db2, { readOnly: true });
    const record = await store.getRecord(REVIEW_ID);
    await store.close();
    const crop = record?.fields.name?.read?.crop ?? '';
    expect(crop.startsWith(join(to, 'xietong-files'))).toBe(true);
    expect(readFileSync(crop)).toEqual(readFileSync(join(dir, 'office', 'crops', 'name.png')));
    expect(record?.fields.phone?.value).toBe('13807981234');
  });

  it('refuses a folder that is not empty', async () => {
    const archive = join(dir, 'second.tar.gz');
    await xietong('backup', archive, '--db', db);
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    await expect(restoreBackup({ archive, to: busy })).rejects.toThrow(/不是空的/);
    expect(readdirSync(busy)).toEqual(['keep.txt']);
  });

  it('refuses an archive naming a path outside the folder', async () => {
    const evil = join(dir, 'evil.tar.gz');
    const manifest = Buffer.from(
      JSON.stringify({
        format: 'xietong-backup',
        version: 1,
        createdAt: '2026-01-01',
        db: { name: 'x.db', path: '/x/x.db', schema: 8 },
        dataDir: '/x/x-files',
        external: [],
        records: 0,
        files: 0,
      }),
    );
    const bytes = Buffer.from('owned');
    async function* entries() {
      const mtime = new Date();
      yield { path: 'manifest.json', type: 'file' as const, size: manifest.length, mtime, bytes: manifest };
      yield { path: 'files/../../escaped.txt', type: 'file' as const, size: bytes.length, mtime, bytes };
    }
    await pipeline(Readable.from(tarStream(entries())), createGzip(), createWriteStream(evil));
    await expect(restoreBackup({ archive: evil, to: join(dir, 'evil-to') })).rejects.toThrow(/unsafe name/);
    expect(() => statSync(join(dir, 'escaped.txt'))).toThrow();
    // Nothing left of the refused restore.
    expect(existsSync(join(dir, 'evil-to'))).toBe(false);
    // A cut archive is refused too, the empty folder given stays empty.
    const whole = readFileSync(join(dir, 'second.tar.gz'));
    writeFileSync(join(dir, 'cut.tar.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    mkdirSync(join(dir, 'cut-to'));
    await expect(
      restoreBackup({ archive: join(dir, 'cut.tar.gz'), to: join(dir, 'cut-to') }),
    ).rejects.toThrow(/无法恢复/);
    expect(readdirSync(join(dir, 'cut-to'))).toEqual([]);
  });
});
