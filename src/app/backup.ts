// Use case: back up an xietong database with its data folder into one archive, and restore it into
// a fresh folder. The database is copied with SQLite's online backup (better-sqlite3 `.backup()`):
// consistent even while the workbench or an ingest writes. The files are read after it, so every
// crop the copy names is already on disk. Crops an ingest left outside the data folder (`ingest
// --out` elsewhere) go in too; on restore every stored crop path and copy folder is moved to the
// new place, so the restored workbench shows the same crops and `store erase` finds the same copies.
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { readTar, type TarEntry, TarError, tarStream } from '../backup/tar.js';
import { RunError } from '../errors.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../files.js';
import { openStore } from '../store/index.js';

const FORMAT = 'xietong-backup';

const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  db: z.object({ name: z.string().min(1), path: z.string(), schema: z.number().int() }),
  dataDir: z.string(),
  external: z.array(z.object({ from: z.string(), entry: z.string() })),
  records: z.number().int(),
  files: z.number().int(),
});
export type BackupManifest = z.infer<typeof ManifestSchema>;

export interface BackupResult {
  archive: string;
  bytes: number;
  records: number;
  /** Files from the data folder and crops from outside it. */
  files: number;
  external: number;
}

/** A path in the archive: '/'-separated whatever the system. */
const posix = (p: string) => p.split(sep).join('/');

type Entry = TarEntry & { file?: string; bytes?: Buffer };

function* walk(root: string, rel = ''): Generator<{ rel: string; abs: string; dir: boolean }> {
  const here = join(root, rel);
  for (const d of readdirSync(here, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? join(rel, d.name) : d.name;
    // Links are left out: restoring one could point anywhere.
    if (d.isDirectory()) {
      yield { rel: r, abs: join(root, r), dir: true };
      yield* walk(root, r);
    } else if (d.isFile()) yield { rel: r, abs: join(root, r), dir: false };
  }
}

const under = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

export async function backupStore(options: {
  db: string;
  dataDir: string;
  archive: string;
}): Promise<BackupResult> {
  const db = resolve(options.db);
  const dataDir = resolve(options.dataDir);
  const archive = resolve(options.archive);
  if (!existsSync(db)) {
    throw new RunError(
      'inputNotFound',
      `数据库 ${db} 不存在。 / No database at ${db}.`,
      'Give the database to back up with --db (or XIETONG_DB).',
    );
  }
  if (under(archive, dataDir)) {
    throw new RunError(
      'usage',
      `备份文件不能放在数据文件夹 ${dataDir} 里。 / The archive cannot go inside the data folder.`,
      'Write it elsewhere — best on another disk or machine.',
    );
  }
  mkdirSync(dirname(archive), { recursive: true, mode: PRIVATE_DIR });
  const work = await mkdtemp(join(dirname(archive), '.xietong-backup-'));
  const partial = join(work, 'archive.tar.gz');
  try {
    const copy = join(work, basename(db));
    const source = new Database(db, { fileMustExist: true });
    try {
      await source.backup(copy);
    } finally {
      source.close();
    }
    const snapshot = new Database(copy, { fileMustExist: true });
    let schema: number;
    let records: number;
    let crops: string[];
    try {
      schema = Number(snapshot.pragma('user_version', { simple: true }));
      records = Number((snapshot.prepare('SELECT count(*) AS n FROM submissions').get() as { n: number }).n);
      crops = (
        snapshot.prepare('SELECT DISTINCT crop FROM readings WHERE crop IS NOT NULL').all() as {
          crop: string;
        }[]
      ).map((r) => r.crop);
      // The copy is one file: no -wal beside it to forget.
      snapshot.pragma('journal_mode = DELETE');
    } finally {
      snapshot.close();
    }
    const external: { from: string; entry: string; abs: string }[] = [];
    const seen = new Set<string>();
    for (const crop of crops) {
      const abs = isAbsolute(crop) ? crop : resolve(dirname(db), crop);
      if (under(abs, dataDir) || seen.has(abs) || !existsSync(abs) || !statSync(abs).isFile()) continue;
      seen.add(abs);
      external.push({ from: crop, entry: `external/${external.length}/${basename(abs)}`, abs });
    }
    const inData = existsSync(dataDir) ? [...walk(dataDir)] : [];
    const manifest: BackupManifest = {
      format: FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      db: { name: basename(db), path: db, schema },
      dataDir,
      external: external.map(({ from, entry }) => ({ from, entry })),
      records,
      files: inData.filter((f) => !f.dir).length + external.length,
    };
    async function* entries(): AsyncGenerator<Entry> {
      const now = new Date();
      const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
      yield { path: 'manifest.json', type: 'file', size: bytes.length, mtime: now, bytes };
      yield {
        path: `db/${manifest.db.name}`,
        type: 'file',
        size: (await stat(copy)).size,
        mtime: now,
        file: copy,
      };
      yield { path: 'files', type: 'dir', size: 0, mtime: now };
      for (const f of inData) {
        const s = await stat(f.abs).catch(() => undefined);
        // Gone since the folder was listed (an export replaced): nothing to keep.
        if (!s) continue;
        yield {
          path: `files/${posix(f.rel)}`,
          type: f.dir ? 'dir' : 'file',
          size: f.dir ? 0 : s.size,
          mtime: s.mtime,
          file: f.abs,
        };
      }
      for (const e of external) {
        const s = await stat(e.abs);
        yield { path: e.entry, type: 'file', size: s.size, mtime: s.mtime, file: e.abs };
      }
    }
    await pipeline(
      Readable.from(tarStream(entries())),
      createGzip(),
      createWriteStream(partial, { mode: PRIVATE_FILE }),
    );
    await rename(partial, archive);
    return {
      archive,
      bytes: (await stat(archive)).size,
      records,
      files: manifest.files,
      external: external.length,
    };
  } catch (err) {
    if (err instanceof RunError) throw err;
    throw new RunError(
      'backupFailed',
      `备份失败（${(err as Error).message}）。 / Backup failed.`,
      'Check there is room on the disk and that the archive folder is writable; the database was not changed.',
      { cause: err },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface RestoreResult {
  db: string;
  dataDir: string;
  records: number;
  files: number;
  manifest: BackupManifest;
}

/** `<folder>/<name>-files`: where `xietong serve` looks for the data folder of `<folder>/<name>.db`. */
export const dataDirBeside = (db: string) => join(dirname(db), `${basename(db, extname(db))}-files`);

export async function restoreBackup(options: { archive: string; to: string }): Promise<RestoreResult> {
  const archive = resolve(options.archive);
  const to = resolve(options.to);
  if (!existsSync(archive)) {
    throw new RunError(
      'inputNotFound',
      `备份文件 ${archive} 不存在。 / No archive at ${archive}.`,
      'Give the file `xietong backup` wrote.',
    );
  }
  if (existsSync(to) && (await readdir(to)).length > 0) {
    throw new RunError(
      'usage',
      `目标文件夹 ${to} 不是空的：恢复不会覆盖已有文件。 / The folder is not empty.`,
      'Restore into a new or empty folder, then point --db (or XIETONG_DB) at the database in it.',
    );
  }
  const existed = existsSync(to);
  mkdirSync(to, { recursive: true, mode: PRIVATE_DIR });
  // A restore that fails leaves the folder as it found it (absent, or empty).
  const undo = async () => {
    if (existed)
      for (const name of await readdir(to)) await rm(join(to, name), { recursive: true, force: true });
    else await rm(to, { recursive: true, force: true });
  };
  let manifest: BackupManifest | undefined;
  let files = 0;
  const destination = (entry: TarEntry): string | undefined => {
    if (!manifest) return undefined;
    const dataDir = dataDirBeside(join(to, manifest.db.name));
    if (entry.path === `db/${manifest.db.name}`) return join(to, manifest.db.name);
    if (entry.path === 'files') return dataDir;
    if (entry.path.startsWith('files/')) return join(dataDir, entry.path.slice('files/'.length));
    if (entry.path.startsWith('external/')) return join(dataDir, entry.path);
    return undefined;
  };
  try {
    await readTar(createReadStream(archive).pipe(createGunzip()), async (entry, chunks) => {
      if (entry.path === 'manifest.json') {
        const parts: Buffer[] = [];
        for await (const c of chunks) parts.push(c);
        const parsed = ManifestSchema.safeParse(JSON.parse(Buffer.concat(parts).toString('utf8')));
        if (!parsed.success || basename(parsed.data.db.name) !== parsed.data.db.name)
          throw new TarError('not an xietong backup (manifest)');
        manifest = parsed.data;
        return;
      }
      const target = destination(entry);
      if (!target) throw new TarError(`unexpected entry ${entry.path}`);
      if (entry.type === 'dir') {
        mkdirSync(target, { recursive: true, mode: PRIVATE_DIR });
        return;
      }
      mkdirSync(dirname(target), { recursive: true, mode: PRIVATE_DIR });
      await pipeline(Readable.from(chunks), createWriteStream(target, { mode: PRIVATE_FILE, flags: 'wx' }));
      if (entry.path.startsWith('files/') || entry.path.startsWith('external/')) files++;
    });
  } catch (err) {
    await undo();
    throw new RunError(
      'backupFailed',
      `无法恢复 ${archive}（${(err as Error).message}）。 / Cannot restore the archive.`,
      'Check it is a file `xietong backup` wrote, whole (its size, a copy that finished); nothing was left in the folder.',
      { cause: err },
    );
  }
  if (!manifest || !existsSync(join(to, manifest.db.name))) {
    await undo();
    throw new RunError(
      'backupFailed',
      `${archive} 中没有数据库。 / No database in the archive.`,
      'Give the file `xietong backup` wrote.',
    );
  }
  const db = join(to, manifest.db.name);
  const dataDir = dataDirBeside(db);
  relocate(db, manifest, dataDir);
  // Migrates an archive from an older xietong, and proves the file opens as a store.
  const store = await openStore(db);
  const records = (await store.counts()).records;
  await store.close();
  return { db, dataDir, records, files, manifest };
}

/**
 * Points the restored database at the restored files: crop paths and copy folders under the old
 * data folder move under the new one, crops from outside it to where they were unpacked. Readings
 * are append-only (a trigger refuses UPDATE): the trigger is lifted for this one transaction on a
 * copy no one else has opened yet, and put back as it was.
 */
function relocate(dbPath: string, manifest: BackupManifest, dataDir: string): void {
  const oldDb = dirname(manifest.db.path);
  const externals = new Map(manifest.external.map((e) => [e.from, join(dataDir, e.entry)]));
  const move = (path: string): string | undefined => {
    const moved = externals.get(path);
    if (moved) return moved;
    const abs = isAbsolute(path) ? path : resolve(oldDb, path);
    if (under(abs, manifest.dataDir)) return join(dataDir, relative(manifest.dataDir, abs));
    return undefined;
  };
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const ok = db.pragma('integrity_check', { simple: true });
    if (ok !== 'ok')
      throw new RunError(
        'backupFailed',
        `恢复的数据库已损坏（${String(ok)}）。 / The restored database is damaged.`,
        'Use another backup.',
      );
    db.transaction(() => {
      const trigger = db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'readings_no_update'")
        .get() as { sql: string } | undefined;
      if (trigger) db.exec('DROP TRIGGER readings_no_update');
      const update = db.prepare('UPDATE readings SET crop = ? WHERE crop = ?');
      for (const { crop } of db
        .prepare('SELECT DISTINCT crop FROM readings WHERE crop IS NOT NULL')
        .all() as { crop: string }[]) {
        const moved = move(crop);
        if (moved && moved !== crop) update.run(moved, crop);
      }
      if (trigger) db.exec(trigger.sql);
      const hasCopies = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'copies'")
        .get();
      if (hasCopies) {
        const updateDir = db.prepare('UPDATE copies SET dir = ? WHERE id = ?');
        for (const { id, dir } of db.prepare('SELECT id, dir FROM copies').all() as {
          id: number;
          dir: string;
        }[]) {
          const moved = move(dir);
          if (moved && moved !== dir) updateDir.run(moved, id);
        }
      }
    })();
  } finally {
    db.close();
  }
}
