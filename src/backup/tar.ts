// A tar archive (POSIX pax: UTF-8 names of any length), written and read as streams so a data
// folder of scanned PDFs never has to fit in memory. Only what a backup holds: regular files and
// folders. Reading refuses anything else (links, devices) and any name that would land outside the
// folder it is extracted to — an archive is input like any other file.
import { createReadStream } from 'node:fs';

const BLOCK = 512;

export interface TarEntry {
  /** Relative, '/'-separated. */
  path: string;
  type: 'file' | 'dir';
  size: number;
  mtime: Date;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, type: string, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name.slice(0, 99), 0, 'ascii');
  h.write(octal(type === '5' ? 0o700 : 0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** A pax record "LEN key=value\n", LEN counting itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(body);
  let digits = String(bytes).length;
  while (String(bytes + digits).length !== digits) digits++;
  return Buffer.from(`${bytes + digits}${body}`, 'utf8');
}

/** Header blocks for one entry: a pax header carrying the full UTF-8 name, then the ustar header. */
export function entryHeader(entry: TarEntry): Buffer {
  const pax = paxRecord('path', entry.path);
  const ascii = entry.path.replace(/[^\x20-\x7e]/g, '_');
  return Buffer.concat([
    header('PaxHeader', pax.length, 'x', entry.mtime),
    pax,
    padding(pax.length),
    header(ascii, entry.type === 'file' ? entry.size : 0, entry.type === 'file' ? '0' : '5', entry.mtime),
  ]);
}

/** The blocks of a whole archive: `entries` in order, file bytes from `source(entry)`. */
export async function* tarStream(
  entries: AsyncIterable<TarEntry & { file?: string; bytes?: Buffer }>,
): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    yield entryHeader(e);
    if (e.type !== 'file') continue;
    let written = 0;
    if (e.bytes) {
      yield e.bytes;
      written = e.bytes.length;
    } else if (e.file) {
      for await (const chunk of createReadStream(e.file)) {
        const b = chunk as Buffer;
        // A file that grew while being read is cut at the size its header declared.
        const take = b.subarray(0, Math.max(0, e.size - written));
        written += take.length;
        if (take.length) yield take;
      }
    }
    // A file that shrank while being read is padded, so the archive stays readable.
    if (written < e.size) yield Buffer.alloc(e.size - written);
    yield padding(e.size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarError';
  }
}

/** A name safe to join under a folder: relative, no '..', no empty or odd parts. */
export function safeRelative(path: string): string {
  const parts = path.replace(/\/+$/, '').split('/');
  if (
    path.startsWith('/') ||
    path.includes('\\') ||
    parts.some((p) => p === '' || p === '.' || p === '..' || /[\0]/.test(p))
  ) {
    throw new TarError(`unsafe name in the archive: ${JSON.stringify(path)}`);
  }
  return parts.join('/');
}

function readOctal(b: Buffer, start: number, width: number): number {
  const s = b
    .toString('ascii', start, start + width)
    .replace(/\0.*$/, '')
    .trim();
  return s ? Number.parseInt(s, 8) : 0;
}

function parsePax(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < b.length) {
    const space = b.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(b.toString('ascii', i, space));
    if (!Number.isInteger(len) || len <= 0) throw new TarError('bad pax header');
    const rec = b.toString('utf8', space + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Reads an archive stream, calling `onEntry` for each entry with a stream of its bytes' chunks
 * (which it must consume). Names are checked with safeRelative before onEntry sees them.
 */
export async function readTar(
  stream: AsyncIterable<Buffer>,
  onEntry: (entry: TarEntry, chunks: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const it = stream[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let done = false;
  const need = async (n: number): Promise<boolean> => {
    while (buf.length < n && !done) {
      const r = await it.next();
      if (r.done) done = true;
      else buf = buf.length ? Buffer.concat([buf, r.value]) : r.value;
    }
    return buf.length >= n;
  };
  const take = (n: number) => {
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
  async function* body(size: number): AsyncGenerator<Buffer> {
    let left = size;
    while (left > 0) {
      if (!buf.length && !(await need(1))) throw new TarError('archive ends inside a file');
      const chunk = take(Math.min(left, buf.length));
      left -= chunk.length;
      yield Buffer.from(chunk);
    }
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad && !(await need(pad))) throw new TarError('archive ends inside padding');
    take(pad);
  }
  let pax: Record<string, string> = {};
  for (;;) {
    if (!(await need(BLOCK))) throw new TarError('archive ends without its end marker');
    const h = take(BLOCK);
    if (h.every((b) => b === 0)) return;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    if (sum !== readOctal(h, 148, 8)) throw new TarError('bad header checksum: not a backup archive?');
    const type = String.fromCharCode(h[156] ?? 0);
    const size = readOctal(h, 124, 12);
    if (type === 'x') {
      const chunks: Buffer[] = [];
      for await (const c of body(size)) chunks.push(c);
      pax = parsePax(Buffer.concat(chunks));
      continue;
    }
    const name = pax.path ?? h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    pax = {};
    if (type !== '0' && type !== '\0' && type !== '5')
      throw new TarError(`entry ${JSON.stringify(name)} is not a file or folder`);
    const entry: TarEntry = {
      path: safeRelative(name),
      type: type === '5' ? 'dir' : 'file',
      size: type === '5' ? 0 : size,
      mtime: new Date(readOctal(h, 136, 12) * 1000),
    };
    const chunks = body(entry.size);
    await onEntry(entry, chunks);
    // Whatever onEntry left unread is skipped (a generator it broke out of is closed: it must not).
    for await (const _ of chunks) {
      // skipping
    }
  }
}
