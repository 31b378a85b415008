// Bounded reads of zip containers (.docx, .xlsx). The size limit on an input file counts its
// compressed bytes only: a 1.3 MB .docx can inflate to 1.5 GB, and PizZip or exceljs (JSZip) would
// inflate it whole into memory. Here the central directory is read first (entry count, declared
// sizes), and every entry is inflated by zlib with a hard output cap, so declared sizes that lie
// change nothing. Node's own zlib is used rather than another zip package: it is the inflater the
// others wrap, and `maxOutputLength` is the one bound that cannot be talked around.
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Inflated bytes of one entry that is read. */
  maxEntryBytes: number;
  /** Inflated bytes of all entries together (declared, and as inflated when all are read). */
  maxTotalBytes: number;
}

/**
 * A filled form's word/document.xml is some 50 KB. The XML parser (xmldom) holds about 180 bytes
 * per byte of markup made of tiny elements, so one part is capped at 4 MB (about 750 MB parsed,
 * measured); the whole container may hold pictures.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 5_000,
  maxEntryBytes: 4 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

/** Workbooks xietong wrote and gets back filled (score sheets, suggestions) are some 50 KB. */
export const WORKBOOK_ZIP_LIMITS: ZipLimits = {
  maxEntries: 500,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 48 * 1024 * 1024,
};

/** A limit of ZipLimits was exceeded: the container is refused, never inflated further. */
export class ZipLimitError extends Error {
  readonly limit: keyof ZipLimits;
  constructor(limit: keyof ZipLimits, message: string) {
    super(message);
    this.name = 'ZipLimitError';
    this.limit = limit;
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** As declared: an upper bound only once inflated under the cap. */
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of the central directory, checked against the count and declared-size limits. */
export function zipEntries(bytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || cdOffset + cdSize > bytes.length)
    throw new Error('zip central directory out of range (ZIP64 or truncated)');
  const entries: ZipEntry[] = [];
  let declared = 0;
  // Walked entry by entry, not by the count field: a count that lies cannot hide entries.
  for (let p = cdOffset; p + 46 <= cdOffset + cdSize && bytes.readUInt32LE(p) === CENTRAL; ) {
    const nameLength = bytes.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      size: bytes.readUInt32LE(p + 24),
      localOffset: bytes.readUInt32LE(p + 42),
      name: bytes.toString('utf8', p + 46, p + 46 + nameLength),
    };
    entries.push(entry);
    if (entries.length > limits.maxEntries)
      throw new ZipLimitError('maxEntries', `more than ${limits.maxEntries} entries`);
    declared += entry.size;
    if (declared > limits.maxTotalBytes)
      throw new ZipLimitError('maxTotalBytes', `declares more than ${mb(limits.maxTotalBytes)} MB inflated`);
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return entries;
}

/** One entry's bytes, inflated under `maxBytes`. */
export function inflateEntry(bytes: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  const p = entry.localOffset;
  if (p + 30 > bytes.length || bytes.readUInt32LE(p) !== LOCAL)
    throw new Error(`zip entry ${entry.name}: bad local header`);
  const start = p + 30 + bytes.readUInt16LE(p + 26) + bytes.readUInt16LE(p + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw tooBig(entry.name, maxBytes);
    return data;
  }
  if (entry.method !== 8) throw new Error(`zip entry ${entry.name}: compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig(entry.name, maxBytes);
    throw new Error(`zip entry ${entry.name}: ${(err as Error).message}`);
  }
}

/** The text of one named entry, or undefined when the container has none. */
export function readZipText(
  bytes: Buffer,
  name: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): string | undefined {
  const entry = zipEntries(bytes, limits).find((e) => e.name === name);
  return entry && inflateEntry(bytes, entry, limits.maxEntryBytes).toString('utf8');
}

/**
 * Inflates every entry under the limits and throws at the first exceeded: for containers a library
 * (exceljs) then opens whole. Memory stays within one entry's cap; nothing is kept.
 */
export function checkZip(bytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  let total = 0;
  for (const entry of zipEntries(bytes, limits)) {
    if (entry.name.endsWith('/')) continue;
    const budget = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total);
    try {
      total += inflateEntry(bytes, entry, budget).length;
    } catch (err) {
      if (err instanceof ZipLimitError && budget < limits.maxEntryBytes)
        throw new ZipLimitError('maxTotalBytes', `inflates to more than ${mb(limits.maxTotalBytes)} MB`);
      throw err;
    }
  }
}

function tooBig(name: string, maxBytes: number): ZipLimitError {
  return new ZipLimitError('maxEntryBytes', `${name} inflates to more than ${mb(maxBytes)} MB`);
}

const mb = (n: number) => Math.round(n / 1024 / 1024);
