// Files xietong writes hold personal data (names, ID numbers, phones): they are created readable
// by their owner only, whatever the umask, and replaced whole — a failed run never leaves a
// half-written or emptied file where a good one was.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;
/** The umask that makes new files PRIVATE_FILE and new folders PRIVATE_DIR. */
export const PRIVATE_UMASK = 0o077;

/** mkdir -p with the folders it creates private (existing folders are left as they are). */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
}

/** Writes beside the target and renames over it: readers see the old file or the new, never a part. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await makePrivateDir(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { mode: PRIVATE_FILE });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
