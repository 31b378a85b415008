// CJK text for stamps (the 草稿 watermark) without fontkit: pdf-lib embeds custom fonts only through
// @pdf-lib/fontkit (not installed here), and its own subsetting drops CJK glyphs anyway. So:
// take one face out of the .ttc (subset-font/harfbuzz rejects collections), subset it with
// subset-font (harfbuzz wasm) to the few characters needed, and write the Type0 font objects
// ourselves. Codes are glyph ids of the subset (Identity-H), with a ToUnicode map so the text still
// extracts. TrueType outlines go in as CIDFontType2 + FontFile2 + CIDToGIDMap Identity. CFF outlines
// (Noto CJK) go in as CIDFontType0 + FontFile3/OpenType, where readers map codes to glyphs through
// the CFF charset: we read that charset and write the CIDs it gives, so either reading is right.
import { readFile } from 'node:fs/promises';
import { type PDFArray, type PDFDocument, PDFHexString, PDFNumber, type PDFRef, PDFString } from 'pdf-lib';
import subsetFont from 'subset-font';

export const DEFAULT_CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';
/** The face of the collection to use: Simplified Chinese forms. */
export const DEFAULT_CJK_FAMILY = 'Noto Sans CJK SC';

// ---- sfnt reading ------------------------------------------------------------------------------

interface TableRecord {
  tag: string;
  checksum: number;
  offset: number;
  length: number;
}

function tableRecords(buf: Buffer, at: number): TableRecord[] {
  const count = buf.readUInt16BE(at + 4);
  const out: TableRecord[] = [];
  for (let i = 0; i < count; i++) {
    const r = at + 12 + i * 16;
    out.push({
      tag: buf.toString('latin1', r, r + 4),
      checksum: buf.readUInt32BE(r + 4),
      offset: buf.readUInt32BE(r + 8),
      length: buf.readUInt32BE(r + 12),
    });
  }
  return out;
}

function table(buf: Buffer, tag: string): Buffer | undefined {
  const r = tableRecords(buf, 0).find((t) => t.tag === tag);
  return r ? buf.subarray(r.offset, r.offset + r.length) : undefined;
}

/** Family names (name id 1, Windows Unicode) of one face. */
function familyNames(buf: Buffer, records: TableRecord[]): string[] {
  const rec = records.find((t) => t.tag === 'name');
  if (!rec) return [];
  const name = buf.subarray(rec.offset, rec.offset + rec.length);
  const count = name.readUInt16BE(2);
  const strings = name.readUInt16BE(4);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = 6 + i * 12;
    if (name.readUInt16BE(r) !== 3 || name.readUInt16BE(r + 6) !== 1) continue;
    const len = name.readUInt16BE(r + 8);
    const off = strings + name.readUInt16BE(r + 10);
    out.push(
      name
        .subarray(off, off + len)
        .swap16()
        .toString('utf16le'),
    );
    name.subarray(off, off + len).swap16(); // swap16 works in place: put the bytes back
  }
  return out;
}

/**
 * One face of a font file as a standalone sfnt: a .ttf/.otf as it is, a .ttc's face whose family
 * is `family` (or face 0). Collections share tables between faces, so the tables are copied out.
 */
export function extractFace(buf: Buffer, family?: string): Buffer {
  if (buf.toString('latin1', 0, 4) !== 'ttcf') return buf;
  const faces = buf.readUInt32BE(8);
  let chosen = buf.readUInt32BE(12);
  for (let i = 0; i < faces && family; i++) {
    const at = buf.readUInt32BE(12 + i * 4);
    if (familyNames(buf, tableRecords(buf, at)).includes(family)) {
      chosen = at;
      break;
    }
  }
  const records = tableRecords(buf, chosen);
  const header = 12 + records.length * 16;
  const size = records.reduce((n, r) => n + ((r.length + 3) & ~3), header);
  const out = Buffer.alloc(size);
  buf.copy(out, 0, chosen, chosen + 12);
  let offset = header;
  for (const [i, r] of records.entries()) {
    const at = 12 + i * 16;
    out.write(r.tag, at, 'latin1');
    out.writeUInt32BE(r.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(r.length, at + 12);
    buf.copy(out, offset, r.offset, r.offset + r.length);
    offset += (r.length + 3) & ~3;
  }
  return out;
}

/** Unicode → glyph id from the cmap's format 12 or format 4 subtable. */
function readCmap(font: Buffer): Map<number, number> {
  const cmap = table(font, 'cmap');
  const map = new Map<number, number>();
  if (!cmap) return map;
  const n = cmap.readUInt16BE(2);
  const subtables = Array.from({ length: n }, (_, i) => cmap.readUInt32BE(4 + i * 8 + 4));
  const f12 = subtables.find((o) => cmap.readUInt16BE(o) === 12);
  if (f12 !== undefined) {
    const groups = cmap.readUInt32BE(f12 + 12);
    for (let g = 0; g < groups; g++) {
      const r = f12 + 16 + g * 12;
      const start = cmap.readUInt32BE(r);
      const end = cmap.readUInt32BE(r + 4);
      const gid = cmap.readUInt32BE(r + 8);
      for (let c = start; c <= end; c++) map.set(c, gid + c - start);
    }
    return map;
  }
  const f4 = subtables.find((o) => cmap.readUInt16BE(o) === 4);
  if (f4 === undefined) return map;
  const segs = cmap.readUInt16BE(f4 + 6) / 2;
  const ends = f4 + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const ranges = deltas + segs * 2;
  for (let s = 0; s < segs; s++) {
    const end = cmap.readUInt16BE(ends + s * 2);
    const start = cmap.readUInt16BE(starts + s * 2);
    const delta = cmap.readInt16BE(deltas + s * 2);
    const rangeOffset = cmap.readUInt16BE(ranges + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let gid: number;
      if (rangeOffset === 0) gid = (c + delta) & 0xffff;
      else {
        const at = ranges + s * 2 + rangeOffset + (c - start) * 2;
        gid = cmap.readUInt16BE(at);
        if (gid !== 0) gid = (gid + delta) & 0xffff;
      }
      if (gid !== 0) map.set(c, gid);
    }
  }
  return map;
}

/** Advance widths in font units, by glyph id. */
function readAdvances(font: Buffer): { unitsPerEm: number; advance: (gid: number) => number } {
  const head = table(font, 'head');
  const hhea = table(font, 'hhea');
  const hmtx = table(font, 'hmtx');
  const unitsPerEm = head ? head.readUInt16BE(18) : 1000;
  const longs = hhea ? hhea.readUInt16BE(34) : 0;
  return {
    unitsPerEm,
    advance: (gid) => {
      if (!hmtx || longs === 0) return unitsPerEm;
      return hmtx.readUInt16BE(Math.min(gid, longs - 1) * 4);
    },
  };
}

// CFF INDEX: count (card16), offSize, offsets, data. Returns the byte after it and its items.
function cffIndex(cff: Buffer, at: number): { end: number; items: [number, number][] } {
  const count = cff.readUInt16BE(at);
  if (count === 0) return { end: at + 2, items: [] };
  const offSize = cff[at + 2] as number;
  const offsetAt = (i: number): number => cff.readUIntBE(at + 3 + i * offSize, offSize);
  const base = at + 2 + (count + 1) * offSize;
  const items: [number, number][] = [];
  for (let i = 0; i < count; i++) items.push([base + offsetAt(i), base + offsetAt(i + 1)]);
  return { end: base + offsetAt(count), items };
}

/** Operator → operands of a CFF DICT (integers only: all that charset/ROS lookups need). */
function cffDict(cff: Buffer, start: number, end: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let operands: number[] = [];
  for (let p = start; p < end; ) {
    const b = cff[p] as number;
    if (b <= 21) {
      const op = b === 12 ? 1200 + (cff[p + 1] as number) : b;
      p += b === 12 ? 2 : 1;
      out.set(op, operands);
      operands = [];
    } else if (b === 28) {
      operands.push(cff.readInt16BE(p + 1));
      p += 3;
    } else if (b === 29) {
      operands.push(cff.readInt32BE(p + 1));
      p += 5;
    } else if (b === 30) {
      p++;
      while (p < end && ((cff[p] as number) & 0x0f) !== 0x0f && ((cff[p] as number) & 0xf0) !== 0xf0) p++;
      p++;
      operands.push(0); // reals never matter here
    } else if (b >= 32 && b <= 246) {
      operands.push(b - 139);
      p++;
    } else if (b >= 247 && b <= 250) {
      operands.push((b - 247) * 256 + (cff[p + 1] as number) + 108);
      p += 2;
    } else if (b >= 251 && b <= 254) {
      operands.push(-(b - 251) * 256 - (cff[p + 1] as number) - 108);
      p += 2;
    } else p++;
  }
  return out;
}

/**
 * A copy of a CFF-flavoured sfnt whose charset maps every glyph id to the same CID. harfbuzz keeps
 * the original CIDs of a CID-keyed CFF (草 stays CID 0x8508 in a 3-glyph subset), and PDF readers
 * disagree on CIDFontType0 + FontFile3/OpenType: poppler draws glyph id = code, the spec (and
 * Acrobat, pdf.js) go through the charset. With CID = glyph id both readings give the same glyph.
 * The charset is rewritten in place (an identity charset never needs more bytes than the one it
 * replaces), so no offset in the font moves.
 */
export function identityCharset(font: Buffer): Buffer {
  const rec = tableRecords(font, 0).find((t) => t.tag === 'CFF ');
  if (!rec) return font;
  const out = Buffer.from(font);
  const cff = out.subarray(rec.offset, rec.offset + rec.length);
  const names = cffIndex(cff, cff[2] as number);
  const top = cffIndex(cff, names.end).items[0];
  if (!top) return font;
  const dict = cffDict(cff, top[0], top[1]);
  if (!dict.has(1230)) return font; // name-keyed: glyphs are found by id already
  const at = dict.get(15)?.[0] ?? 0;
  const glyphs = cffIndex(cff, dict.get(17)?.[0] ?? 0).items.length;
  if (at <= 2 || glyphs < 2) return font;
  const format = cff[at] as number;
  if (format === 0) {
    for (let g = 1; g < glyphs; g++) cff.writeUInt16BE(g, at + 1 + (g - 1) * 2);
  } else if (format === 1 && glyphs - 2 <= 255) {
    cff.writeUInt16BE(1, at + 1);
    cff[at + 3] = glyphs - 2;
  } else if (format === 2 || format === 1) {
    // format 1 with more than 256 glyphs has at least two 3-byte ranges: room for one 4-byte range.
    cff[at] = 2;
    cff.writeUInt16BE(1, at + 1);
    cff.writeUInt16BE(glyphs - 2, at + 3);
  } else return font;
  // Keep the table directory's checksum true to the new bytes.
  let sum = 0;
  const padded = Buffer.concat([cff, Buffer.alloc((4 - (cff.length % 4)) % 4)]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  const dir = tableRecords(out, 0).findIndex((t) => t.tag === 'CFF ');
  out.writeUInt32BE(sum, 12 + dir * 16 + 4);
  return out;
}

// ---- the PDF font --------------------------------------------------------------------------------

export interface CjkFont {
  ref: PDFRef;
  /** Hex string of the codes that show `text` (characters the font lacks are dropped). */
  encode(text: string): PDFHexString;
  /** Width of `text` at `size` points. */
  widthOf(text: string, size: number): number;
}

export interface CjkFontSource {
  /** A .ttf, .otf or .ttc file. Default: Noto Sans CJK Bold. */
  file?: string;
  /** The face of a collection, by family name. Default: Noto Sans CJK SC. */
  family?: string;
}

const faceCache = new Map<string, Promise<Buffer>>();

/** Subset of the face holding exactly the characters of `text`, as an sfnt (TrueType or CFF). */
export async function subsetFace(text: string, source: CjkFontSource = {}): Promise<Buffer> {
  const file = source.file ?? DEFAULT_CJK_FONT;
  const family = source.family ?? DEFAULT_CJK_FAMILY;
  const key = `${file}\n${family}`;
  let face = faceCache.get(key);
  if (!face) {
    face = readFile(file).then((buf) => extractFace(buf, family));
    faceCache.set(key, face);
  }
  return Buffer.from(await subsetFont(await face, text, { targetFormat: 'truetype' }));
}

/** Embeds `fontBytes` (a subset from subsetFace) as a Type0 font of `doc`. */
export function embedCjkFont(doc: PDFDocument, subset: Buffer, name = 'XietongCJK'): CjkFont {
  const ctx = doc.context;
  const fontBytes = identityCharset(subset);
  const cmap = readCmap(fontBytes);
  const { unitsPerEm, advance } = readAdvances(fontBytes);
  const isCff = table(fontBytes, 'CFF ') !== undefined;
  const scale = 1000 / unitsPerEm;

  const used = [...cmap.entries()].sort((a, b) => a[1] - b[1]);
  const widths: (PDFNumber | PDFArray)[] = [];
  for (const [, gid] of used) {
    widths.push(PDFNumber.of(gid), ctx.obj([Math.round(advance(gid) * scale)]));
  }
  const toUnicode = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    `${used.length} beginbfchar`,
    ...used.map(([cp, gid]) => `<${hex4(gid)}> <${utf16Hex(cp)}>`),
    'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');

  const fontFile = ctx.register(
    ctx.flateStream(fontBytes, isCff ? { Subtype: 'OpenType' } : { Length1: fontBytes.length }),
  );
  const postScriptName = `XTAAAA+${name}`;
  const descriptor = ctx.register(
    ctx.obj({
      Type: 'FontDescriptor',
      FontName: postScriptName,
      Flags: 4,
      FontBBox: [0, -120, 1000, 880],
      ItalicAngle: 0,
      Ascent: 880,
      Descent: -120,
      CapHeight: 700,
      StemV: 80,
      [isCff ? 'FontFile3' : 'FontFile2']: fontFile,
    }),
  );
  const cidFont = ctx.register(
    ctx.obj({
      Type: 'Font',
      Subtype: isCff ? 'CIDFontType0' : 'CIDFontType2',
      BaseFont: postScriptName,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: 1000,
      W: widths,
      ...(isCff ? {} : { CIDToGIDMap: 'Identity' }),
    }),
  );
  const ref = ctx.register(
    ctx.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: postScriptName,
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: ctx.register(ctx.flateStream(toUnicode)),
    }),
  );

  const glyphs = (text: string): number[] =>
    [...text].flatMap((ch) => {
      const gid = cmap.get(ch.codePointAt(0) as number);
      return gid === undefined ? [] : [gid];
    });
  return {
    ref,
    encode: (text) =>
      PDFHexString.of(
        glyphs(text)
          .map((g) => hex4(g))
          .join(''),
      ),
    widthOf: (text, size) => glyphs(text).reduce((w, g) => w + advance(g) / unitsPerEm, 0) * size,
  };
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0').toUpperCase();

function utf16Hex(cp: number): string {
  return Buffer.from(String.fromCodePoint(cp), 'utf16le').swap16().toString('hex').toUpperCase();
}
