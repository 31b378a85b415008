// Hostile inputs, built on the fly so no large or malicious file sits in git.
import { spawnSync } from 'node:child_process';
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** Raw-deflated bytes as stored, with the inflated size and CRC they declare. */
  data: Buffer;
  size: number;
  crc: number;
}

/** A stored zip of parts that are already deflated (method 8). */
export function zipOf(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(p.size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export function part(name: string, text: string | Buffer): ZipPart {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return { name, data: deflateRawSync(bytes), size: bytes.length, crc: crc32(bytes) };
}

/**
 * A part that inflates to `head + body × repeats + tail` while stored in a few KB: each piece is
 * deflated on its own with a full flush (no reference across pieces), so the body's blocks can be
 * repeated as bytes. The declared size wraps at 4 GB, as a real bomb's would lie.
 */
export function bombPart(name: string, head: string, body: string, repeats: number, tail: string): ZipPart {
  const flushed = (s: string) =>
    deflateRawSync(Buffer.from(s, 'utf8'), { finishFlush: constants.Z_FULL_FLUSH });
  const b = flushed(body);
  const data = Buffer.concat([
    flushed(head),
    ...Array.from({ length: repeats }, () => b),
    deflateRawSync(Buffer.from(tail, 'utf8')),
  ]);
  const size = Buffer.byteLength(head) + Buffer.byteLength(body) * repeats + Buffer.byteLength(tail);
  return { name, data, size: size % 2 ** 32, crc: 0 };
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/**
 * A .docx whose document.xml inflates to about `bytes` of paragraphs: long ones (bulk), or empty
 * ones (`<w:p/>`, the most parser memory per byte); `declared` makes its central directory lie.
 */
export function docxBomb(bytes: number, paragraphs: 'long' | 'empty' = 'long', declared?: number): Buffer {
  const body =
    paragraphs === 'long'
      ? `<w:p><w:r><w:t>${'协同'.repeat(170_000)}</w:t></w:r></w:p>` // ~1 MB
      : '<w:p/>'.repeat(20_000);
  const doc = bombPart(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>`,
    body,
    Math.ceil(bytes / Buffer.byteLength(body)),
    '</w:body></w:document>',
  );
  return zipOf([
    part('[Content_Types].xml', '<?xml version="1.0"?><Types/>'),
    declared === undefined ? doc : { ...doc, size: declared },
  ]);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the command, in MB. */
  peakMb: number;
}

/** The CLI in a child process with its heap capped; reports its exit status and peak RSS. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, heapMb = 512): CliRun {
  const r = spawnSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, 'test/hostile/measure.mjs', ...args],
    { encoding: 'utf8', env: { ...process.env, XIETONG_DB: '', CI: '1', ...env }, maxBuffer: 64 << 20 },
  );
  const kb = Number(/maxRSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, peakMb: kb / 1024 };
}
