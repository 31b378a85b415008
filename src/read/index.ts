// Read: one scanned page → which form and page it is, and the raw text of each field. Follows the
// recipe measured before we started: prepare the page (orientation, skew, seals lifted out), find the
// table from its rules, read cells — never the whole page — splitting each cell into text rows read
// as single lines, then map cells to fields through their printed labels.
//
// Two passes: every cell's first row shrunk to half size, and the further rows of the cells where
// that row begins a wrapped label, enough to read the printed labels and classify the page
// (measured: 36 rows in 0.55 s against 3.3 s at full size; first rows only: 652 OCR calls instead
// of 740 on the 24 sample pages; a sheet whose table was read before in the batch only checks a
// few labels, layout-memory.ts); then only the value cells at full resolution, where shrinking
// would cost accuracy (measured, 4.0.0 model).
// Over 400 lines because reading a page is one sequence of passes (labels, classification,
// values, opinion cells and seals, the header line) over shared state; the pieces that stand alone
// (consensus, seal rows, underlines, layout memory) are modules of their own.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDate, parsePhone } from '../domain/normalize.js';
import { parseHeaderText } from '../extract/header.js';
import type { RawField, StampEvidence } from '../extract/index.js';
import { splitOpinion } from '../extract/opinion.js';
import { fieldDef } from '../forms/index.js';
import type { PageReading } from '../ingest/assemble.js';
import type { ScanReader } from '../ingest/index.js';
import { failure, type PageImage } from '../ingest/intake.js';
import { findGrid } from '../locate/grid.js';
import {
  classifyTexts,
  editDistance,
  type FieldLocation,
  type GridCell,
  locateFields,
  normalizeLabel,
  otherLabelAt,
  pageSignatures,
} from '../locate/labels.js';
import { sameReading } from '../ocr/paddle.js';
import type { OcrEngine, OcrLang, OcrMode } from '../ocr/types.js';
import { crop, encodePng, type PreparedPage, type Raster, stampEvidence } from '../prepare/index.js';
import type { QuarterTurn } from '../prepare/orientation.js';
import { encodePgm, resize, rotateQuarter, toGrey } from '../prepare/raster.js';
import type { Box, Failure, FormKind } from '../types.js';
import { nearMissOfTerm } from './consensus.js';
import { cutPrintPixels, sameNumbers, sealFaded } from './cut-print.js';
import { gridOptions, type PageLayout, prepareAndLocate } from './layout.js';
import { checksAgree, LayoutMemory } from './layout-memory.js';
import { LayoutThreads } from './off-thread.js';
import { AGREED, compareRow, DISAGREED, type Row, sameDateNumbers, unframed } from './row-check.js';
import {
  farApartPieces,
  isSlashStroke,
  isStray,
  joinPieces,
  type Piece,
  rereadSpaced,
  unfilledDateLine,
} from './row-pieces.js';
import { sealAwareRows, type TextRow } from './seal-rows.js';
import { eraseRules } from './underline.js';

export { isStray } from './row-pieces.js';

export interface ScanReaderOptions {
  engine: OcrEngine;
  /** Where field crops are written; paths in records are relative to `baseDir`. */
  cropDir?: string;
  baseDir?: string;
  /** Prepare pages and find their grid on a worker thread (default) or on the calling thread. */
  layout?: 'thread' | 'inline';
  /**
   * A second OCR engine (PaddleOCR) that re-reads the rows of costly short fields and the rows the
   * first is unsure of; agreement makes a value sure, disagreement sends it to a person.
   */
  secondReader?: OcrEngine;
}

export interface RegionText {
  text: string;
  confidence: number;
  rows: Row[];
  /** Whether a second reader read every row the same (true), differed on one (false), or was not asked. */
  readersAgree?: boolean;
  /** Characters the words decided between the two readers (paragraphs; see consensus.ts). */
  decided?: number;
  /** Single characters they read differently and nothing decided (paragraphs). */
  undecided?: number;
  /** The region as the second reader read it, where it differed. */
  secondText?: string;
  /** Text rows found in the region, read or not. */
  rowsFound?: number;
}

const INK = 140;
/**
 * Rows of long texts the first reader is less sure of than this are read again by the second. At
 * 0.93, rows tesseract read at 0.93–0.95 held misreads no word list catches (手殴 for 手段): on the
 * dev seeds' office scans, 1 field of 616 wrong at ≥ 0.9 against 0 at 0.95, for ~4 % of the speed.
 */
const CHECK_BELOW = 0.95;
/**
 * Pixels of print cut by a seal's lifting (cut-print.ts) from which a number on the row is read
 * again: the two 4s left as 1 measured 83 and 301; dates with the seal's ring only beside them 0–17.
 */
const CUT_PRINT = 60;
/** A number read through print a seal's lifting cut: likely, never sure enough to pass unseen. */
const SEAL_CUT = 0.85;
/** How far past its cell a seal may reach, as a share of the page's width: a 46 mm seal's radius on A4. */
const SEAL_OVERHANG = 0.11;
/**
 * A field whose value cell was not found: a person looks, whatever was read in the label's cell
 * (below the review rule's BLANK_CONFIDENCE, so a blank read there is looked at too).
 */
const UNPLACED = 0.4;
/** Narrower than this share of the page, a cell is a label column's, never an opinion's value cell. */
const LABEL_COLUMN_SHARE = 0.3;
/** A value holding another field's printed label: a person looks. */
const RAN_INTO_NEXT = 0.5;
/**
 * Cells a table must have to be one of the forms. A copy may print its second page as just the two
 * opinion cells, labels inline (推荐单位意见：… above 审核意见：…); one cell is a frame or a box.
 */
const MIN_CELLS = 2;
/** Orientation statistics less sure than this may have turned a page a quarter the wrong way. */
const UNSURE_ORIENTATION = 0.5;
/** How well a label must match to be read on a page other than the one our template prints it on. */
const OFF_PAGE_LABEL_SCORE = 0.8;
/** A row above the table that may be the header line (read at half size: any of its words). */
const HEADER_HINT = /填\s*[报表]|报\s*单\s*位|表\s*日\s*期/;
const LONG_TEXT_SCALE = 0.75;
/**
 * Most rows a label wrapped in a narrow cell takes: 技术水平现状（含工艺、设备、人才团队、研发平台等）
 * three characters to a row is ten.
 */
const NARROW_LABEL_ROWS = 14;
/** Labels are read at half size: large print, and most of the table's cells. */
const LABEL_SCALE = 0.5;

/** Text rows of a cell: horizontal ink projection, gaps of a few pixels bridged. */
export function textRows(img: Raster, ink = INK): { y0: number; y1: number; x0: number; x1: number }[] {
  const { width, height, data } = img;
  const rule = ruleColumns(img);
  const counts = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    let n = 0;
    const row = y * width;
    for (let x = 0; x < width; x++) if ((data[row + x] as number) < ink && !rule[x]) n++;
    counts[y] = n;
  }
  const minInk = Math.max(2, Math.round(width * 0.002));
  const spans: { y0: number; y1: number }[] = [];
  let start = -1;
  let last = -1;
  for (let y = 0; y < height; y++) {
    if ((counts[y] as number) >= minInk) {
      if (start < 0) start = y;
      else if (y - last > 4) {
        spans.push({ y0: start, y1: last + 1 });
        start = y;
      }
      last = y;
    }
  }
  if (start >= 0) spans.push({ y0: start, y1: last + 1 });
  const out: { y0: number; y1: number; x0: number; x1: number }[] = [];
  for (const s of spans.flatMap((span) => splitTightLines(span, counts, minInk))) {
    const h = s.y1 - s.y0;
    if (h < 10) continue; // specks and leftover rule fragments; a 10 pt character is ~40 px at 300 dpi
    let x0 = width;
    let x1 = 0;
    for (let y = s.y0; y < s.y1; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        if ((data[row + x] as number) < ink && !rule[x]) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
        }
      }
    }
    // A sliver is a rule's edge or a speck, not text (tesseract cannot even scale it).
    if (x1 - x0 < 12) continue;
    x1 = faintEnd(img, rule, s, x1);
    // A wide, flat band of ink is a rule remnant, not text.
    if (x1 - x0 > width * 0.9 && h < 14) continue;
    out.push({ y0: s.y0, y1: s.y1, x0, x1: x1 + 1 });
  }
  return out;
}

/**
 * Where a row's ink ends once marks fainter than print are counted: a light scan of a thin face
 * leaves the line's last 。 lighter (149) than the ink test (140), and a crop ending at 弱 lost it
 * for both readers (bench:ocr, dev seed office scans: a 。 missing at the end of each line).
 * Faint ink from the last print on, without a gap wider than the line is high, and enough of it
 * to be a mark rather than the paper's grain.
 */
function faintEnd(img: Raster, rule: Uint8Array, s: { y0: number; y1: number }, x1: number): number {
  const { width, data } = img;
  const h = s.y1 - s.y0;
  let last = x1;
  let faint = 0;
  for (let x = x1 + 1; x < width && x - last <= h; x++) {
    if (rule[x]) break;
    let n = 0;
    for (let y = s.y0; y < s.y1; y++) if ((data[y * width + x] as number) < FAINT_INK) n++;
    if (n === 0) continue;
    faint += n;
    last = x;
  }
  return last > x1 && faint >= h / 2 ? last : x1;
}

/** Marks lighter than print still darker than this count at a row's end (a thin 。). */
const FAINT_INK = 200;
/** A cell with rows of faint marks only, that stay no text when darkened: a person looks. */
const FAINT_ONLY = 0.3;

/**
 * Rows holding a date under a seal as black as the print, where the reader's projection saw one
 * block: PP-OCRv4's text detector tells the date's line from the seal's ring, star and lettering
 * (a 1-bit scan has no colour or grey to). Only where the line detected reads as a date; the row
 * is then read as any row under a seal, by both readers.
 */
export async function dateRowsUnder(
  cell: Raster,
  seal: { x: number; y: number; r: number },
  detector: OcrEngine,
): Promise<TextRow[]> {
  const x0 = Math.max(0, Math.floor(seal.x - seal.r));
  const y0 = Math.max(0, Math.floor(seal.y - seal.r));
  const disk = crop(cell, {
    x: x0,
    y: y0,
    w: Math.min(cell.width, Math.ceil(seal.x + seal.r)) - x0,
    h: Math.min(cell.height, Math.ceil(seal.y + seal.r)) - y0,
  });
  const read = await detector.recognize(encodePgm(disk), { mode: 'block' }).catch(() => undefined);
  return (read?.words ?? [])
    .filter((w) => dateIn(w.text) !== '')
    .map((w) => ({
      x0: x0 + w.box.x,
      y0: y0 + w.box.y,
      x1: x0 + w.box.x + w.box.w,
      y1: y0 + w.box.y + w.box.h,
      underSeal: true,
    }));
}

/**
 * Whether print goes on just right of a cell where no rule closes it: no rule along its right edge
 * (ink in nearly every pixel row within a border's width of it, which a rule a little off the
 * vertical still has), and ink in rows of its own in a strip beyond.
 */
export function runsOnPastRight(page: Raster, box: Box, border: number): boolean {
  const edge = box.x + box.w;
  const y0 = box.y + border;
  const y1 = Math.min(page.height, box.y + box.h - border);
  const strip = { from: edge + border, to: Math.min(page.width, edge + 3 * border) };
  if (strip.to <= strip.from || y1 <= y0) return false;
  const inked = (y: number, from: number, to: number) => {
    for (let x = Math.max(0, from); x < to; x++)
      if ((page.data[y * page.width + x] as number) < INK) return true;
    return false;
  };
  let ruled = 0;
  let beyond = 0;
  for (let y = y0; y < y1; y++) {
    if (inked(y, edge - border, strip.from)) ruled++;
    if (inked(y, strip.from, strip.to)) beyond++;
  }
  if (ruled >= (y1 - y0) * 0.85) return false;
  // Strokes of characters over at least a character's lower half: not a speck, not a rule's end.
  return beyond >= Math.max(12, 1.5 * border);
}

/** The grey level below which `share` of the region's pixels lie. */
function darkestShare(region: Raster, share: number): number {
  const hist = new Uint32Array(256);
  for (const v of region.data) hist[v] = (hist[v] as number) + 1;
  const want = region.data.length * share;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] as number;
    if (acc >= want) return v;
  }
  return 255;
}

/**
 * The region with its faintest print stretched to black, when it holds rows of marks lighter than
 * the ink test but darker than paper (FAINT_INK); undefined when it has none.
 */
export function fainterPrint(region: Raster): Raster | undefined {
  if (textRows(region, FAINT_INK).length === 0) return undefined;
  // From the darkest marks to the faint-ink level, not to the paper: the paper's grain, lighter
  // than that, stays white instead of being stretched into speckle.
  // Faint print is thin: its darkest thousandth is the ink's level.
  const black = darkestShare(region, 0.001);
  const top = FAINT_INK + 25;
  if (black >= FAINT_INK - 10) return undefined;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++)
    lut[v] = Math.max(0, Math.min(255, Math.round(((v - black) * 255) / (top - black))));
  const out = new Uint8Array(region.data.length);
  for (let i = 0; i < out.length; i++) out[i] = lut[region.data[i] as number] as number;
  return { ...region, data: out };
}

/** Taller than any one line of body text at 300 dpi (14 pt is ~58 px): lines set solid, touching. */
const TIGHT_SPAN = 75;

/**
 * A paragraph set with no leading leaves no empty pixel row between its lines, so they come out as
 * one span: split it where the ink all but stops (a line's own characters never thin out like that
 * across a whole row of them), keeping parts a line high.
 */
function splitTightLines(
  span: { y0: number; y1: number },
  counts: Uint32Array,
  minInk: number,
): { y0: number; y1: number }[] {
  if (span.y1 - span.y0 < TIGHT_SPAN) return [span];
  const inSpan = [...counts.subarray(span.y0, span.y1)].sort((a, b) => a - b);
  const median = inSpan[Math.floor(inSpan.length / 2)] as number;
  const valley = Math.max(minInk * 2, median * 0.08);
  const minPart = 25;
  const out: { y0: number; y1: number }[] = [];
  let from = span.y0;
  let y = span.y0 + minPart;
  while (y < span.y1 - minPart) {
    if ((counts[y] as number) <= valley) {
      // The bottom of the valley: the thinnest row of this run of thin rows.
      let end = y;
      let best = y;
      while (end < span.y1 && (counts[end] as number) <= valley) {
        if ((counts[end] as number) < (counts[best] as number)) best = end;
        end++;
      }
      if (best - from >= minPart && span.y1 - best >= minPart) {
        out.push({ y0: from, y1: best });
        from = best + 1;
      }
      y = Math.max(end, from + minPart);
    } else y++;
  }
  out.push({ y0: from, y1: span.y1 });
  return out;
}

/**
 * Columns holding a vertical rule: a long unbroken run of ink, which no line of text has. A cell's
 * own border left inside the crop (a slightly skewed 1-bit scan) would otherwise join every row of
 * the cell into one.
 */
function ruleColumns(img: Raster): Uint8Array {
  const { width, height, data } = img;
  const out = new Uint8Array(width);
  const minRun = Math.max(120, Math.round(height * 0.6));
  if (height < minRun) return out;
  for (let x = 0; x < width; x++) {
    let run = 0;
    for (let y = 0; y < height; y++) {
      if ((data[y * width + x] as number) < INK) {
        if (++run >= minRun) {
          out[x] = 1;
          break;
        }
      } else run = 0;
    }
  }
  return out;
}

function inset(box: Box, by: number): Box {
  return { x: box.x + by, y: box.y + by, w: Math.max(1, box.w - 2 * by), h: Math.max(1, box.h - 2 * by) };
}

async function shrink(r: Raster, scale: number): Promise<Raster> {
  return resize(r, Math.max(8, Math.round(r.width * scale)), Math.max(8, Math.round(r.height * scale)));
}

export function createScanReader(options: ScanReaderOptions): ScanReader {
  const { engine } = options;
  const second = options.secondReader;
  // One layout thread keeps ahead of two OCR workers on two cores (measured: a second one only
  // added memory).
  const layoutThread = options.layout === 'inline' ? undefined : new LayoutThreads(1);
  const layouts = new LayoutMemory();

  /** Reads a region row by row; `scale` < 1 reads a shrunken copy (labels). */
  async function readRegion(
    page: Raster,
    box: Box,
    opts: {
      mode?: OcrMode;
      lang?: OcrLang;
      scale?: number;
      /** Rows already read (pass 1 reads a cell's first row, then the rest of a wrapped label). */
      skipRows?: number;
      maxRows?: number;
      seal?: boolean;
      /** Ask the second reader: on every row, on rows the first is unsure of, or never. */
      check?: 'always' | 'unsure' | 'never';
      /** Read with this engine instead of the first reader. */
      engine?: OcrEngine;
      /**
       * A paragraph is right when its character error rate stays within 1 %: one doubtful row among
       * many does not make it wrong, so it is as sure as its least sure row (a short value, where
       * every character counts, is as sure as all its rows together).
       */
      paragraph?: boolean;
      /**
       * Words, not a value (an opinion's 情况属实，同意推荐。): where the readers differ by a character,
       * the words it makes decide, as in a paragraph; every row still counts.
       */
      sentence?: boolean;
      /** Pixels a row cut by the box's top or bottom edge may be read beyond it (the cell's inset). */
      reach?: number;
      /** Whether a row's text is only words the form prints (an opinion cell's 年 月 日 and （盖章）). */
      printedOnly?: (text: string) => boolean;
      /**
       * The cell prints its label before the value: given a reading, what follows the label. The
       * first row's label is then left out of the readers' comparison.
       */
      afterLabel?: (text: string) => string;
      /**
       * The page in colour before its seals were lifted (same geometry as `page`): where a digit
       * lost strokes to the lifting (see cut-print.ts).
       */
      colour?: Raster;
      /**
       * A row's pieces far apart are read one by one: the header line's 填报单位：… and 填表日期：…,
       * a wide white gap between, where PP-OCRv4 reads a character that is not there (续, 7).
       */
      apart?: boolean;
    } = {},
  ): Promise<RegionText> {
    let region = crop(page, box);
    // The cell as it was before any seal was lifted out of it: the colour copy's grey, or this crop
    // before a grey seal is whitened below.
    const unlifted = opts.seal ? (opts.colour ? toGrey(crop(opts.colour, box)) : region) : undefined;
    let rowsFound: TextRow[];
    if (opts.seal) {
      const sealed = sealAwareRows(region, { rows: textRows });
      region = sealed.image;
      rowsFound = sealed.rows;
      if (sealed.hidden && sealed.seal && second)
        rowsFound = [...rowsFound, ...(await dateRowsUnder(region, sealed.seal, second))].sort(
          (a, b) => a.y0 - b.y0,
        );
    } else rowsFound = textRows(region);
    const skip = opts.skipRows ?? 0;
    if (rowsFound.length === 0 && skip === 0) {
      // Nothing as dark as print: a cell is blank for sure only when nothing fainter is there
      // either. Print too light for the ink test (a pale cartridge, a value set in grey, a photo's
      // washed-out corner) is darkened and read; blank at full confidence it was wrong.
      const faint = fainterPrint(region);
      if (faint) {
        region = faint;
        rowsFound = textRows(region);
        if (rowsFound.length === 0) return { text: '', confidence: FAINT_ONLY, rows: [], rowsFound: 0 };
      }
    }
    const found = rowsFound.slice(skip, skip + (opts.maxRows ?? Number.POSITIVE_INFINITY));
    const total = rowsFound.length;
    if (found.length === 0) return { text: '', confidence: 1, rows: [], rowsFound: total };
    const pad = 6;
    const readLine = async (
      line: Raster,
      at: Box,
      underSeal: boolean,
      afterLabel: ((text: string) => string) | undefined,
    ): Promise<Row> => {
      const pgm = encodePgm(line);
      const res = await (opts.engine ?? engine).recognize(pgm, {
        mode: opts.mode ?? 'line',
        ...(opts.lang ? { lang: opts.lang } : {}),
      });
      // A line is as sure as its least sure word: one misread character makes the field wrong.
      const weakest = res.words?.length ? Math.min(...res.words.map((w) => w.confidence)) : res.confidence;
      const read = { box: at, text: res.text.trim(), confidence: Math.min(res.confidence, weakest + 0.1) };
      if (underSeal) {
        // Under a seal only a date is kept — unless the row's ink is three characters set wide
        // apart and nothing else (an unfilled 年　　月　　日 the seal was stamped over: no digits
        // can be there) and both readers read the printed words, as they are or closed up.
        const printed = opts.printedOnly;
        if (printed && second) {
          const sentence = opts.paragraph === true || opts.sentence === true;
          const blank = await unfilledDateLine(
            line,
            printed,
            () => crossCheck(read, pgm, opts.mode ?? 'line', sentence, undefined),
            (image) => readLine(image, at, false, undefined),
          );
          if (blank) return blank;
        }
        return readUnderSeal(read, pgm);
      }
      const check = opts.check ?? 'never';
      // A row the first reader is sure of is left to it — unless it holds a trade term with one
      // character turned into no word (薛胎瓷): a sure misreading the second reader can catch.
      if (
        !second ||
        check === 'never' ||
        (check === 'unsure' && read.confidence >= CHECK_BELOW && !nearMissOfTerm(read.text))
      )
        return read;
      return crossCheck(
        read,
        pgm,
        opts.mode ?? 'line',
        opts.paragraph === true || opts.sentence === true,
        afterLabel,
      );
    };
    const rows = await Promise.all(
      found.map(async (r, index): Promise<Row> => {
        const rowBox = { x: r.x0 - pad, y: r.y0 - pad, w: r.x1 - r.x0 + 2 * pad, h: r.y1 - r.y0 + 2 * pad };
        // A row the region's edge cuts through (text set tight under a cell's top rule, clipped by
        // the inset that keeps the rule out) is taken from the page with what the inset left out,
        // up to the rule.
        const reach = opts.seal ? 0 : (opts.reach ?? 0);
        const across = { x: box.x + rowBox.x, w: rowBox.w };
        const up = reach > 0 && r.y0 <= 1 ? clearBeyond(page, across, box.y, -1, reach) : 0;
        const down =
          reach > 0 && r.y1 >= region.height - 1 ? clearBeyond(page, across, box.y + box.h - 1, 1, reach) : 0;
        let line = eraseRules(
          up || down
            ? crop(page, {
                x: box.x + rowBox.x,
                y: box.y + rowBox.y - up,
                w: rowBox.w,
                h: rowBox.h + up + down,
              })
            : crop(region, rowBox),
        );
        if (opts.scale && opts.scale < 1) line = await shrink(line, opts.scale);
        // Clipped at the region's edge to a sliver: nothing to read (tesseract would only complain).
        if (line.width < 16 || line.height < 8)
          return {
            box: { x: box.x + rowBox.x, y: box.y + rowBox.y, w: rowBox.w, h: rowBox.h },
            text: '',
            confidence: 1,
          };
        const at = { x: box.x + rowBox.x, y: box.y + rowBox.y, w: rowBox.w, h: rowBox.h };
        // The cell's label sits at the start of its first row only.
        const afterLabel = index === 0 && (opts.skipRows ?? 0) === 0 ? opts.afterLabel : undefined;
        const readPieces = (pieces: readonly Piece[]) =>
          Promise.all(
            pieces.map((p, i) =>
              readLine(
                crop(line, { x: p.from, y: 0, w: p.to - p.from, h: line.height }),
                at,
                false,
                i === 0 ? afterLabel : undefined,
              ),
            ),
          );
        if (opts.apart) {
          const pieces = farApartPieces(line);
          if (pieces.length >= 2) {
            const nothing: Row = { box: at, text: '', confidence: 0 };
            const joined = joinPieces(nothing, await readPieces(pieces));
            if (joined !== nothing) return joined;
          }
        }
        // A sentence the seal was stamped on the end of is words to read, not a date (read as a
        // date, it was dropped whole, and the cell came out blank and sure).
        const whole = await readLine(line, at, r.underSeal === true && !r.pastSeal, afterLabel);
        const printed = opts.printedOnly;
        if (printed && !r.underSeal) {
          const closed = await rereadSpaced(line, whole, printed, (image) =>
            readLine(image, at, false, undefined),
          );
          if (closed) return closed;
        }
        if (whole.text !== '' || r.underSeal) return whole;
        // Read as nothing, by both readers where both read it: a blot far off along the row (the
        // arc of a seal stamped on the cell above) can make them drop the words beside it. The
        // row's pieces apart are read one by one.
        const pieces = farApartPieces(line);
        if (pieces.length < 2) return whole;
        return joinPieces(whole, await readPieces(pieces));
      }),
    );
    // A number read where lifting a seal cut into the print: the glyph left may be another digit
    // (4 crossed by the seal's lettering read as 1 by both readers). Read once more with the seal
    // faded rather than lifted (see cut-print.ts); other numbers there, and a person looks.
    if (unlifted)
      for (const [i, r] of rows.entries()) {
        const at = found[i];
        if (!at || !/\d/u.test(r.text) || r.confidence < SEAL_CUT) continue;
        if (cutPrintPixels(unlifted, region, at) < CUT_PRINT) continue;
        const x = Math.max(0, at.x0 - pad);
        const y = Math.max(0, at.y0 - pad);
        const within = {
          x,
          y,
          w: Math.min(region.width, at.x1 + pad) - x,
          h: Math.min(region.height, at.y1 + pad) - y,
        };
        const faded = opts.colour
          ? sealFaded(crop(opts.colour, { ...within, x: box.x + within.x, y: box.y + within.y }))
          : crop(unlifted, within);
        const again = await engine.recognize(encodePgm(faded), { mode: 'line' });
        if (!sameNumbers(r.text, again.text))
          rows[i] = { ...r, confidence: Math.min(r.confidence, SEAL_CUT) };
      }
    // Under a seal its lettering or star comes out as a stray character on a row of its own (章,
    // 《, E): a row where each reader read one character or none, and not the same one, is no text.
    // A sentence's last character wrapped alone (持。) both read alike, and stays.
    if (opts.seal)
      for (const [i, r] of rows.entries())
        if (r.check && isStray(r.text, r.check.text))
          rows[i] = { ...r, text: '', confidence: AGREED, check: { text: '', agrees: true } };
    const kept = rows.filter((r) => r.text !== '');
    // A row both readers read as printed words only (an opinion cell's 年 月 日, （盖章）) holds no
    // value: how they read its characters (年“月“日) is nobody's concern.
    const isPrinted = opts.printedOnly ?? (() => false);
    const printed = (r: Row) => isPrinted(r.text) && (r.check === undefined || isPrinted(r.check.text));
    const checked = rows.filter((r) => r.check && !printed(r));
    const readersAgree = checked.length === 0 ? undefined : checked.every((r) => r.check?.agrees);
    const agreement = {
      ...(readersAgree !== undefined ? { readersAgree } : {}),
      ...(readersAgree === false
        ? {
            secondText: rows
              .map((r) => r.check?.text ?? r.text)
              .filter(Boolean)
              .join('\n'),
          }
        : {}),
    };
    if (kept.length === 0) return { text: '', confidence: 0.5, rows, rowsFound: total, ...agreement };
    const counted = kept.filter((r) => !printed(r));
    const decided = counted.reduce((n, r) => n + (r.check?.decided ?? 0), 0);
    const undecided = counted.reduce((n, r) => n + (r.check?.undecided ?? 0), 0);
    return {
      text: kept.map((r) => r.text).join('\n'),
      // Every row must be right for the field to be right: the chances multiply.
      confidence: opts.paragraph
        ? Math.min(...kept.map((r) => r.confidence))
        : kept.reduce((p, r) => p * r.confidence, 1),
      ...(decided > 0 ? { decided } : {}),
      ...(undecided > 0 ? { undecided } : {}),
      rows,
      rowsFound: total,
      ...agreement,
    };
  }

  /** The second reader on one row (see row-check.ts for what its reading decides). */
  async function crossCheck(
    read: Row,
    pgm: Buffer,
    mode: OcrMode,
    paragraph: boolean,
    afterLabel?: (text: string) => string,
  ): Promise<Row> {
    const other = await (second as OcrEngine).recognize(pgm, { mode: mode === 'digits' ? 'digits' : 'line' });
    return compareRow(
      read,
      { text: other.text.trim(), confidence: other.confidence },
      { paragraph, afterLabel, digits: mode === 'digits' },
    );
  }

  /**
   * A row under a seal holds the date or the printed （盖章）, read through the seal's ink. A date
   * that does not come out whole gets a second read restricted to digits (年月日 are then read as
   * separators); anything else under the seal is the seal's own lettering and is left out, so that
   * it never ends up in the opinion text.
   */
  async function readUnderSeal(row: Row, image: Buffer): Promise<Row> {
    // Through a seal's ink one reader misses what the other sees: both read the row (when there
    // are two), and a date they agree on is sure.
    const other = second ? await second.recognize(image, { mode: 'line' }).catch(() => undefined) : undefined;
    const otherDate = other ? dateIn(other.text) : '';
    const ownDate = dateIn(row.text);
    if (ownDate) {
      const beside = besideSealDate(row.text, other?.text);
      if (!second) return { ...row, text: beside.text, confidence: Math.min(row.confidence, beside.cap) };
      if (otherDate && sameDate(ownDate, otherDate))
        return {
          ...row,
          text: beside.text,
          confidence: Math.min(Math.max(row.confidence, AGREED), beside.cap),
          check: { text: other?.text ?? '', agrees: beside.cap >= 1 },
        };
      // One reader's date through a seal: likely, never sure enough to pass unseen.
      return {
        ...row,
        text: beside.text,
        confidence: Math.min(row.confidence, otherDate ? DISAGREED : 0.85, beside.cap),
        check: { text: other?.text ?? '', agrees: false },
      };
    }
    // chi_sim, not the digits default eng: an eng worker would have to be started (and a chi_sim one
    // stopped) for a handful of rows.
    const digits = await engine.recognize(image, { mode: 'digits', lang: 'chi_sim' });
    const m = /(20\d\d)\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})(?!\d)/.exec(digits.text);
    const date = m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '';
    const found = date && parsesAsDate(date) ? date : otherDate;
    if (!found) return { ...row, text: '' };
    // Read the second time, without the characters between, or by one reader only: never sure
    // enough to pass unseen.
    return { ...row, text: found, confidence: Math.min(found === date ? digits.confidence : 0.6, 0.6) };
  }

  async function readValue(
    page: Raster,
    loc: FieldLocation,
    form: PageReading['form'],
    border: number,
    colour: Raster | undefined,
  ) {
    const box = inset(loc.valueCell.box as Box, border);
    const kind = fieldDef(form, loc.key)?.kind;
    // Label and value share the cell: the printed label (and its instructions) is taken off.
    const inlineValueOf = (text: string) =>
      locateFields(form, [{ ...loc.labelCell, text }]).found.find((f) => f.key === loc.key)?.valueText ??
      text;
    const whole = await readRegion(page, box, {
      ...(loc.mode === 'inline' ? { afterLabel: inlineValueOf } : {}),
      reach: border,
      seal: kind === 'opinion',
      ...(kind === 'opinion' && colour ? { colour } : {}),
      // Paragraphs read as well at three quarters of 300 dpi (bench:ocr: long-text CER 0.54 % either
      // way) for ~30 % less OCR time, and they are most of the text; short values, where one
      // character decides, stay at full size (measured: 150 dpi hurts the 4.0.0 model).
      ...(kind === 'longText' ? { scale: LONG_TEXT_SCALE } : {}),
      // Short values are where one character decides (names, units, phones, dates): both readers
      // read every row. A paragraph's rows the first reader is sure of are left to it.
      check: kind === 'longText' ? 'unsure' : 'always',
      paragraph: kind === 'longText',
      sentence: kind === 'opinion',
      ...(kind === 'opinion' ? { printedOnly: isPrintedOpinionWords } : {}),
    });
    if (loc.mode !== 'inline') return whole;
    const text = inlineValueOf(whole.text);
    // An opinion cell holding only what is printed there: verifiably blank (see onlyPrintInCell).
    const onlyPrint = kind === 'opinion' && text.trim() === '' && onlyPrintInCell(whole.rows, inlineValueOf);
    return {
      ...whole,
      text,
      // Nothing left after the label in a cell that had text: the label's end was misjudged as
      // often as the value is blank. Not verifiably blank, so a person looks.
      confidence:
        text.trim() === '' && whole.text.trim() !== '' && !onlyPrint
          ? Math.min(whole.confidence, 0.5)
          : whole.confidence,
      ...(whole.secondText !== undefined ? { secondText: inlineValueOf(whole.secondText) } : {}),
      ...(onlyPrint ? { onlyPrint } : {}),
    };
  }

  return {
    async close() {
      await layoutThread?.close();
    },
    async readPage(image: PageImage): Promise<PageReading | Failure> {
      // The OCR workers load their model while this page is being prepared.
      engine.warm?.('chi_sim');
      const layout = layoutThread ? await layoutThread.run(image.image) : await prepareAndLocate(image.image);
      const read = await readLaidOut(image, layout);
      if (!('code' in read) || read.code !== 'not_a_form') return read;
      // A table whose labels match no form may be upside down (a photo's page turned the wrong
      // way by the statistics): read once more turned over before calling it no form. When the
      // statistics were unsure which way the text runs at all (a photo on a checked cloth, under
      // a shadow), the quarter turns are tried too; a turn is read only where a table is found.
      for (const t of turnsToTry(layout)) {
        const turned = await turnBy(layout.prepared, t);
        const grid = findGrid(turned.page, gridOptions(turned));
        if (!grid || grid.cells.length < MIN_CELLS) continue;
        const again = await readLaidOut(image, { prepared: turned, grid });
        if (!('code' in again)) return again;
      }
      return read;
    },
  };

  async function readLaidOut(
    image: PageImage,
    { prepared, grid }: PageLayout,
  ): Promise<PageReading | Failure> {
    // A 1-bit scan has no grey for the seal test to find; deskewing adds some at stroke edges,
    // so its cells are thresholded back to black and white before looking for a seal's ring.
    const bilevel = image.bilevel === true || prepared.steps.source.bilevel;
    const page = prepared.page;
    if (!grid || grid.cells.length < MIN_CELLS) {
      return inkShare(page) < 0.003
        ? failure(
            image.file,
            'blank_page',
            `第 ${image.page} 页是空白页：${image.file}`,
            `${image.file} page ${image.page} is blank.`,
            image.page,
          )
        : failure(
            image.file,
            'not_a_form',
            `第 ${image.page} 页找不到表格，不是本项目的表格：${image.file}。如为表格，请摆正后以 300 dpi 重新扫描。`,
            `${image.file} page ${image.page}: no form table found. If it is a form, rescan it straight at 300 dpi.`,
            image.page,
          );
    }
    const border = Math.max(6, Math.round(page.width / 300));

    // Pass 1: labels, title and header line, shrunk. Every cell's first row, then the further rows
    // only of cells whose first row is the start of a printed label that goes on (a label wrapped
    // in a narrow cell): the further rows of value cells are read once, in pass 2. A page with
    // the table of a page already read in this batch reads only a few labels to check it (see
    // layout-memory.ts).
    const top = grid.bounds.y;
    const readAbove = (): Promise<RegionText> =>
      top > 40
        ? readRegion(page, { x: 0, y: 0, w: page.width, h: top - 4 }, { scale: 0.5 })
        : Promise.resolve({ text: '', confidence: 0, rows: [] });
    const readLabel = async (
      i: number,
      labelEngine?: OcrEngine,
      scale = LABEL_SCALE,
    ): Promise<{ text: string; unreadRows: number }> => {
      const cell = grid.cells[i] as GridCell;
      const box = inset(cell.box as Box, border);
      const via = labelEngine ? { engine: labelEngine } : {};
      const first = await readRegion(page, box, { scale, maxRows: 1, reach: border, ...via });
      const unread = (r: RegionText, read: number) => Math.max(0, (r.rowsFound ?? 0) - read);
      if (!first.rows.length || !startsUnfinishedLabel(first.text))
        return { text: first.text, unreadRows: unread(first, first.rows.length) };
      const rest = await readRegion(page, box, {
        ...via,
        scale,
        reach: border,
        skipRows: 1,
        // A label in a wide cell (产业发展重大技术难题简要描述：…) fits its first rows; the rest
        // of a wide cell is a value, read properly in pass 2.
        maxRows: (cell.box as Box).w > grid.bounds.w * 0.4 ? 1 : NARROW_LABEL_ROWS,
      });
      return {
        text: rest.text ? `${first.text}\n${rest.text}` : first.text,
        unreadRows: unread(rest, 1 + rest.rows.length),
      };
    };
    const textsOf = (above: RegionText, cells: readonly GridCell[]): string[] => [
      ...above.rows.filter((r) => r.text).map((r) => r.text),
      ...cells.map((c) => c.text),
    ];

    let above: RegionText | undefined;
    let cells: GridCell[] | undefined;
    let cls: ReturnType<typeof classifyTexts>;
    const known = layouts.recall(grid);
    if (known) {
      const [read, checks] = await Promise.all([
        readAbove(),
        Promise.all(known.checks.map((i) => readLabel(i))),
      ]);
      above = read;
      if (
        checksAgree(
          known,
          checks.map((c) => c.text),
        )
      ) {
        const remembered = grid.cells.map((c, i) => ({
          ...c,
          text: known.labels[i] ?? '',
          unreadRows: known.unreadRows[i] ?? 0,
        }));
        const again = classifyTexts(textsOf(read, remembered));
        if (again && again.form === known.form && again.page === known.page) {
          cells = remembered;
          cls = again;
        }
      }
    }
    const readInFull = !cells;
    if (!cells) {
      const [read, texts] = await Promise.all([
        above ? Promise.resolve(above) : readAbove(),
        Promise.all(grid.cells.map((_, i) => readLabel(i))),
      ]);
      above = read;
      cells = grid.cells.map((c, i) => ({
        ...c,
        text: texts[i]?.text ?? '',
        unreadRows: texts[i]?.unreadRows ?? 0,
      }));
      cls = classifyTexts(textsOf(read, cells));
    }
    if (!cls?.distinctive) {
      // Labels read shrunk come out garbled from a faint or coarse scan, or in a thin face:
      // before calling a page with a table no form — or taking it for whichever form's last page
      // when only the opinion labels every form prints were read — its cells are read again at
      // full size, by the second reader too.
      for (const reader of second ? [engine, second] : [engine]) {
        const texts = await Promise.all(grid.cells.map((_, i) => readLabel(i, reader, 1)));
        const reread = grid.cells.map((c, i) => ({
          ...c,
          text: texts[i]?.text ?? '',
          unreadRows: texts[i]?.unreadRows ?? 0,
        }));
        const better = classifyTexts(textsOf(above as RegionText, reread));
        if (better && (better.distinctive || !cls)) {
          cls = better;
          cells = reread;
        }
        if (cls?.distinctive) break;
      }
    }
    const aboveLines = (above as RegionText).rows.filter((r) => r.text);
    if (!cls) {
      return failure(
        image.file,
        'not_a_form',
        `第 ${image.page} 页不是本项目的三种表格之一：${image.file}`,
        `${image.file} page ${image.page} is not one of the programme's three forms.`,
        image.page,
      );
    }
    const form = cls.form;
    let located = locateFields(form, cells);
    // A label printed in a face tesseract reads badly (a Ming face, a light 楷体) leaves its field
    // unplaced: the cells nothing was placed in are read once more by the second reader, at full
    // size (a faint scan shrunk to half loses the strokes that tell 审 from 定). Only when a field
    // of this page is missing: the other page's fields always are, and over 160 dev-seed files
    // (office scans, chat forwards) every field the retry placed belonged to the page it was on.
    if (second && missingHere(form, cls.page, located.missing).length > 0) {
      const placed = new Set(located.found.flatMap((l) => [l.labelCell, l.valueCell]));
      const retry = cells.flatMap((c, i) => (!placed.has(c) && c.text.trim() !== '' ? [i] : []));
      if (retry.length > 0) {
        const again = await Promise.all(retry.map((i) => readLabel(i, second, 1)));
        const updated = [...cells];
        retry.forEach((i, k) => {
          const read = again[k];
          if (read?.text) updated[i] = { ...(updated[i] as GridCell), ...read };
        });
        const relocated = locateFields(form, updated);
        if (relocated.found.length > located.found.length) {
          cells = updated;
          located = relocated;
        }
      }
    }
    if (readInFull) {
      if (missingHere(form, cls.page, located.missing).length === 0) {
        const labelCells = located.found.map((loc) => (cells as GridCell[]).indexOf(loc.labelCell));
        layouts.remember(grid, form, cls.page, cells, labelCells);
      }
    }

    // Pass 2: the value cells of this page, at full resolution, all at once.
    // Copies break pages elsewhere than ours: a field is read where its label is printed, on
    // whichever page that is, provided the label is clearly there (a weak match of a label that
    // belongs on the other page is more likely a misread neighbour).
    const wanted = located.found.filter((loc) => {
      const def = fieldDef(cls.form, loc.key);
      if (!def || loc.key.endsWith('.stamped') || loc.key.endsWith('.date')) return false;
      return def.page === cls.page || loc.labelScore >= OFF_PAGE_LABEL_SCORE;
    });
    // The header line(s) above the table: 填报单位 / 填表日期, on one line or two. Unless the table
    // itself holds them (a copy that put them in its first row).
    const inTable = new Set(wanted.map((w) => w.key));
    const headerRows =
      cls.page === 1 && !(inTable.has('fillingUnit') && inTable.has('fillingDate'))
        ? aboveLines.filter((r) => HEADER_HINT.test(r.text))
        : [];
    const [values, headerReads] = await Promise.all([
      Promise.all(
        wanted.map((loc) =>
          fieldDef(cls.form, loc.key)?.kind === 'photo'
            ? Promise.resolve<RegionText>({ text: '', confidence: 1, rows: [] })
            : readValue(page, loc, cls.form, border, prepared.colour),
        ),
      ),
      Promise.all(headerRows.map((r) => readRegion(page, r.box, { check: 'always', apart: true }))),
    ]);

    const cropBase = options.cropDir
      ? join(options.cropDir, `${image.sha256.slice(0, 10)}-p${image.page}`)
      : undefined;
    if (cropBase) await mkdir(cropBase, { recursive: true });
    const source = prepared.colour ?? page;
    const fields: RawField[] = [];
    const stamps: Partial<Record<'recommendation' | 'approval', StampEvidence>> = {};
    for (const [i, loc] of wanted.entries()) {
      const def = fieldDef(cls.form, loc.key);
      const read = values[i];
      if (!def || !read) continue;
      const box = loc.valueCell.box as Box;
      let raw = read.text;
      let confidence = read.confidence;
      let readers = readersOf(read);
      // A lone / for "none" the second reader found no text in: sure when its ink is one slash.
      const lone = read.rows.length === 1 ? read.rows[0] : undefined;
      if (
        /^[/／丿]$/u.test(raw.trim()) &&
        lone?.check?.text.trim() === '' &&
        isSlashStroke(crop(page, lone.box))
      ) {
        raw = '/';
        confidence = Math.max(confidence, AGREED);
        readers = { agree: true };
      }
      // Digits: chi_sim misreads a leading 1 as 上/丨 and drops digits on noisy crops (measured);
      // a second read with eng settles most of what the first could not parse.
      if ((def.kind === 'phone' || def.kind === 'date') && raw && !parses(def.kind, raw)) {
        const again = await readRegion(page, inset(box, border), {
          reach: border,
          mode: 'digits',
          lang: 'chi_sim',
          check: 'always',
        });
        if (parses(def.kind, again.text)) {
          raw = again.text;
          // Both readers reading the same digits is agreement like any other; one alone, likely.
          confidence = again.readersAgree ? again.confidence : Math.min(again.confidence, 0.9);
          readers = readersOf(again);
        }
      }
      // A phone number the first reader made out, unsure or read otherwise by the second (PP-OCRv4
      // reads some faces' digits as letters: 77T03, {t88; a speck after the number only one reader
      // saw): both read the cell again restricted to digits.
      // The same number from both then settles it; anything else leaves it to a person.
      else if (def.kind === 'phone' && raw && confidence < CHECK_BELOW && second) {
        const again = await readRegion(page, inset(box, border), {
          reach: border,
          mode: 'digits',
          lang: 'chi_sim',
          check: 'always',
        });
        if (again.readersAgree === true && samePhone(raw, again.text)) {
          confidence = Math.max(confidence, again.confidence);
          readers = readersOf(again);
        }
      }
      // The label of the cell beside after a bar (万霞|联系电话|0798-…): the divider was lost, and
      // the value is what stands before it. Where it ends is still a guess (capped below).
      const ranInto = otherLabelAt(cls.form, loc.key, raw);
      if (ranInto?.before && (def.kind === 'text' || def.kind === 'phone')) raw = ranInto.before;
      // A short value that is a piece of a printed label (话 of 联系电话) is a cell the grid split
      // off a label, whatever both readers say.
      if (def.kind === 'text' && isLabelFragment(raw)) confidence = Math.min(confidence, 0.5);
      // Only the label (and its note, an opinion's （盖章）) in its cell and no cell beside or below
      // it: the value cell was not found (a rule lost under a seal), so nothing read there is known
      // to be the value, and a blank there is not a blank form.
      // Another field's label inside the value: the value cell ran into the next one (a rule lost),
      // and where this value ends nobody knows.
      const labelColumnOnly =
        def.kind === 'opinion' && loc.mode === 'inline' && inLabelColumnOnly(box.w / page.width, raw);
      // Print running on past the cell's right edge with no rule there: the edge was taken from a
      // rule of another row (the one beside was too faint to be found), and the value was cut short.
      const cutShort = raw.trim() !== '' && runsOnPastRight(page, box, border);
      // A wide cell holding only its label and the form's print is no lost value cell: it is the
      // opinion's cell, left blank (a narrow one is still the label column's, above).
      const placeCap = Math.min(
        (loc.unplaced && !('onlyPrint' in read && read.onlyPrint)) || labelColumnOnly ? UNPLACED : 1,
        ranInto || cutShort ? RAN_INTO_NEXT : 1,
      );
      confidence = Math.min(confidence, placeCap);
      let cropPath: string | undefined;
      if (cropBase) {
        const file = join(cropBase, `${loc.key}.png`);
        await writeFile(file, await encodePng(crop(source, box)));
        cropPath = relative(options.baseDir ?? process.cwd(), file);
      }
      if (def.kind === 'opinion') {
        const group = loc.key.split('.')[0] as 'recommendation' | 'approval';
        const inner = inset(box, border);
        const cellImage = crop(source, inner);
        // The page around the cell, as far as the largest seal reaches past its border.
        const reach = Math.round(source.width * SEAL_OVERHANG);
        const x0 = Math.max(0, inner.x - reach);
        const y0 = Math.max(0, inner.y - reach);
        const around = {
          x: x0,
          y: y0,
          w: Math.min(source.width, inner.x + inner.w + reach) - x0,
          h: Math.min(source.height, inner.y + inner.h + reach) - y0,
        };
        const aroundImage = crop(source, around);
        const ev = stampEvidence(bilevel ? threshold(cellImage) : cellImage, {
          unevenLight: prepared.steps.illumination.flattened,
          surround: {
            image: bilevel ? threshold(aroundImage) : aroundImage,
            cell: { x: inner.x - x0, y: inner.y - y0, w: inner.w, h: inner.h },
          },
        });
        // A black-and-white scan drops a faded seal altogether: nothing found there is no proof
        // that nothing was stamped.
        const confidence = bilevel && !ev.stamped ? Math.min(ev.confidence, 0.85) : ev.confidence;
        stamps[group] = { present: ev.stamped, confidence: Math.min(confidence, placeCap) };
      }
      fields.push({
        key: loc.key,
        raw,
        confidence,
        page: image.page,
        box,
        ...(cropPath ? { crop: cropPath } : {}),
        ...(readers ? { readers } : {}),
        ...(def.kind === 'opinion' && raw === read.text ? { parts: opinionParts(read, placeCap) } : {}),
      });
    }
    if (cls.page === 1) {
      for (const key of ['fillingUnit', 'fillingDate'] as const) {
        if (inTable.has(key)) continue;
        // The row that holds this label, read at full size; its value is what follows the label.
        const i = headerReads.findIndex((h) => parseHeaderText(h.text, { misread: true })[key] !== undefined);
        const read = headerReads[i];
        const row = headerRows[i];
        const value = read ? (parseHeaderText(read.text, { misread: true })[key] as string) : '';
        let cropPath: string | undefined;
        if (cropBase && row) {
          const file = join(cropBase, `${key}.png`);
          await writeFile(file, await encodePng(crop(source, row.box)));
          cropPath = relative(options.baseDir ?? process.cwd(), file);
        }
        // The header row holds both values: the readers are compared on this one's part of it —
        // also where they agree on the row but for a character beyond it (a rule's end one of them
        // took for a bar), which leaves the row only as sure as the less sure reader.
        const second = read?.rows.every((r) => r.check || r.text === '')
          ? read.rows.map((r) => r.check?.text ?? '').join('\n')
          : undefined;
        const other =
          second !== undefined ? (parseHeaderText(second, { misread: true })[key] ?? '') : undefined;
        const readers =
          read?.readersAgree === undefined
            ? undefined
            : other === undefined ||
                other === value ||
                sameReading(other, value) ||
                // The gap before 填表日期 holds an underline or a colon one reader takes for text.
                sameReading(unframed(other), unframed(value)) ||
                (key === 'fillingDate' && sameHeaderDate(value, other))
              ? { agree: true }
              : { agree: false, other };
        // Both readers read this half of the row the same: as sure as any agreed row, whatever
        // they made of the other half.
        const agreedHere = readers?.agree === true && other !== undefined;
        // Dates the same by their numbers: the one written as a date (6月6日, not 6月6月) is shown.
        const dated =
          key === 'fillingDate' && other !== undefined ? sameDateNumbers(value, other) : undefined;
        fields.push({
          key,
          raw: dated ?? value,
          // Not found above the table: nothing read, so nothing known — a clerk looks.
          confidence: read ? (agreedHere ? Math.max(read.confidence, AGREED) : read.confidence) : 0.3,
          page: image.page,
          ...(row ? { box: row.box } : {}),
          ...(cropPath ? { crop: cropPath } : {}),
          ...(readers ? { readers } : {}),
        });
      }
    }
    return {
      file: image.file,
      sha256: image.sha256,
      page: image.page,
      form: cls.form,
      formPage: cls.page,
      ...(cls.alternatives ? { alternatives: cls.alternatives } : {}),
      table: {
        left: grid.bounds.x / page.width,
        right: (grid.bounds.x + grid.bounds.w) / page.width,
      },
      fields,
      stamps,
    };
  }
}

/** The prepared page turned 180°, its colour copy with it. */
/**
 * The turns a page no form was found on is read again at: over, when a table was found (its labels
 * may be upside down); every other way, when the orientation statistics were unsure.
 */
export function turnsToTry(
  layout: Pick<PageLayout, 'grid'> & {
    prepared: Pick<PreparedPage, 'steps'> & { page?: { width: number; height: number } };
  },
): QuarterTurn[] {
  const turns: QuarterTurn[] = [];
  if (layout.grid && layout.grid.cells.length >= MIN_CELLS) turns.push(180);
  // The three forms are printed upright on A4: a page that came out lying on its side is read a
  // quarter turn either way too, however sure the statistics were (a photo turned 270° on a
  // checked cloth, its text small: 0.55 for upright; bench:ocr, dev seeds, a chat forward).
  const page = layout.prepared.page;
  const lying = page !== undefined && page.width > page.height;
  if (lying || (layout.prepared.steps.orientation?.confidence ?? 1) < UNSURE_ORIENTATION)
    for (const t of [90, 270, 180] as const) if (!turns.includes(t)) turns.push(t);
  return turns;
}

async function turnBy(prepared: PreparedPage, turn: QuarterTurn): Promise<PreparedPage> {
  const page = await rotateQuarter(prepared.page, turn);
  const colour = prepared.colour ? await rotateQuarter(prepared.colour, turn) : undefined;
  return { ...prepared, page, ...(colour ? { colour } : {}) };
}

/** Every printed label of every form, normalised: what a cell's first row may be the start of. */
let labelsCache: string[] | undefined;
const allLabels = (): string[] =>
  (labelsCache ??= [...new Set(pageSignatures().flatMap((s) => s.labels.map(normalizeLabel)))].filter(
    Boolean,
  ));

/**
 * Whether a cell's first row (read at half size, so OCR errors allowed) is the beginning of a
 * printed label with more to come on the next rows. A value's first row rarely is; when it is, the
 * only cost is reading its other rows.
 */
export function startsUnfinishedLabel(firstRow: string): boolean {
  const c = normalizeLabel(firstRow);
  // One character or none read from a row of ink: too little to tell, read on.
  if (c.length <= 1) return true;
  const minScore = c.length <= 3 ? 0.5 : 0.6;
  return allLabels().some((label) => {
    if (label.length <= c.length) return false;
    // The row may have lost or gained a character: compare with prefixes one shorter and longer.
    for (let n = c.length - 1; n <= c.length + 1; n++) {
      if (n < 1 || n >= label.length) continue;
      if (1 - editDistance(c, label.slice(0, n)) / Math.max(c.length, n) >= minScore) return true;
    }
    return false;
  });
}

/**
 * How sure an opinion cell's sentence and its date line are, each from its own rows: the date rows
 * are those holding a date (or an unfilled 年 月 日); the printed （盖章） carries no value.
 */
export function opinionParts(
  read: RegionText,
  cap = 1,
): {
  opinion: number;
  date: number;
  undecided: { opinion: number; date: number };
  decided: { opinion: number; date: number };
} {
  const rows = read.rows.filter((r) => r.text.trim() !== '');
  const isDate = (r: Row) => splitOpinion(r.text).dateRaw !== '' && splitOpinion(r.text).opinion === '';
  const isStampWords = (r: Row) => splitOpinion(r.text).opinion === '' && splitOpinion(r.text).dateRaw === '';
  const dateRows = rows.filter(isDate);
  const textRows = rows.filter((r) => !isDate(r) && !isStampWords(r));
  // Rows both readers read as the printed （盖章） or 年 月 日: what they are is sure, however
  // unsure the characters (（盖章 against （盖章）). A cell of nothing else is blank, and sure of it.
  const printedOnly =
    rows.length > 0 &&
    textRows.length === 0 &&
    rows.every((r) => r.check?.agrees && (isStampWords(r) || isDate(r)))
      ? Math.max(Math.min(...rows.map((r) => r.confidence)), AGREED)
      : undefined;
  const all = read.confidence;
  const blank = printedOnly ?? all;
  // Characters the readers left undecided count against the part they are in, and only where
  // the part comes out different: a speck after the sentence's 。 (同意推荐。.) that one reader saw
  // is cleaned off the opinion, and leaves neither it nor the date below doubtful.
  const undecided = (part: 'opinion' | 'dateRaw', of: readonly Row[]) =>
    of.reduce(
      (n, r) =>
        n +
        (r.check?.undecided && splitOpinion(r.text)[part] !== splitOpinion(r.check.text)[part]
          ? r.check.undecided
          : 0),
      0,
    );
  // Characters the words decided count against the rows they were decided in: a character the
  // words chose in the opinion's sentence says nothing about the digits of the date below it.
  const decided = (of: readonly Row[]) => of.reduce((n, r) => n + (r.check?.decided ?? 0), 0);
  return {
    undecided: { opinion: undecided('opinion', textRows), date: undecided('dateRaw', dateRows) },
    decided: { opinion: decided(textRows), date: decided(dateRows) },
    opinion: Math.min(cap, textRows.length ? textRows.reduce((p, r) => p * r.confidence, 1) : blank),
    date: Math.min(
      cap,
      dateRows.length ? Math.min(...dateRows.map((r) => r.confidence)) : textRows.length ? all : blank,
      dateRows.some((r) => splitOpinion(r.text).incomplete) ? DISAGREED : 1,
    ),
  };
}

/**
 * How many pixel rows beyond `from` (going `step` = −1 up or +1 down, at most `reach`) hold no part
 * of a rule: a rule is a row whose span is mostly ink.
 */
export function clearBeyond(
  page: Raster,
  across: { x: number; w: number },
  from: number,
  step: 1 | -1,
  reach: number,
): number {
  const x0 = Math.max(0, Math.round(across.x));
  const x1 = Math.min(page.width, Math.round(across.x + across.w));
  if (x1 <= x0) return 0;
  let n = 0;
  for (let k = 1; k <= reach; k++) {
    const y = from + step * k;
    if (y < 0 || y >= page.height) break;
    let ink = 0;
    for (let x = x0; x < x1; x++) if ((page.data[y * page.width + x] as number) < INK) ink++;
    if (ink > (x1 - x0) * RULE_SHARE) break;
    n = k;
  }
  return n;
}

/** Share of a pixel row's span in ink that makes it part of a rule (print covers far less). */
const RULE_SHARE = 0.5;

/**
 * An opinion read "inline" in a cell as narrow as a label column (a share of the page's width),
 * holding nothing but the printed words under its label (审核意见 / （盖章）): that cell is the
 * label's, and the value cell beside it was lost with its rule — nothing is known of the opinion.
 */
export function inLabelColumnOnly(widthShare: number, text: string): boolean {
  return widthShare < LABEL_COLUMN_SHARE && isPrintedOpinionWords(text);
}

/**
 * Whether every row of ink in an inline opinion cell is what the form prints there — its label (with
 * nothing after it, by both readers, and no more ink than the label's characters take), （盖章）, an
 * unfilled 年 月 日 — read alike by both readers. Such a cell is verifiably blank: a value both
 * readers missed would have left ink of its own (a row, or a label row too long for its words).
 */
export function onlyPrintInCell(rows: readonly Row[], afterLabel: (text: string) => string): boolean {
  const inked = rows.filter((r) => r.text.trim() !== '');
  return (
    inked.length > 0 &&
    inked.every((r) => {
      const other = r.check;
      if (!other?.agrees) return false;
      if (isPrintedOpinionWords(r.text) && isPrintedOpinionWords(other.text)) return true;
      if (afterLabel(r.text).trim() !== '' || afterLabel(other.text).trim() !== '') return false;
      // Characters are about as wide as their row is high; a label row half a character's width
      // longer than its words holds more than the label.
      const chars = [...r.text.replace(/\s/gu, '')].length;
      return r.box.w <= (chars + 0.5) * r.box.h;
    })
  );
}

/** An opinion cell's row of only what the form prints there: （盖章）, an unfilled 年 月 日. */
function isPrintedOpinionWords(text: string): boolean {
  const parts = splitOpinion(text);
  return parts.opinion === '' && !/\d/u.test(parts.dateRaw);
}

/** The missing fields that belong on this page of the form (the other page's always are missing). */
export function missingHere(form: FormKind, page: number, missing: readonly string[]): string[] {
  return missing.filter((key) => fieldDef(form, key)?.page === page);
}

/** Whether a short text is a piece of one of the forms' printed labels. */
export function isLabelFragment(text: string): boolean {
  const t = normalizeLabel(text);
  return t !== '' && [...t].length <= 4 && allLabels().some((label) => label.includes(t));
}

/** The date written in a row (2020年5月3日, 2020.5.3 …), or ''. */
function dateIn(text: string): string {
  const raw = splitOpinion(text).dateRaw;
  return parsesAsDate(raw) ? raw : '';
}

function sameDate(a: string, b: string): boolean {
  const x = parseDate(a);
  const y = parseDate(b);
  return x.ok && y.ok && x.value !== null && x.value === y.value;
}

/**
 * A date row under a seal with more than the date on it. A character or two beside the date is the
 * seal's own lettering or its star read as a character (多, 督): the seal's, not the opinion's, so
 * left out. A longer stretch is the end of the opinion's sentence running under the seal: kept, but
 * sure only when the second reader read the same words there.
 */
export function besideSealDate(text: string, otherText?: string): { text: string; cap: number } {
  const own = splitOpinion(text);
  const words = (s: string) => s.replace(/[\p{P}\p{S}\s]/gu, '');
  const extra = words(own.opinion);
  if (extra === '') return { text, cap: 1 };
  if ([...extra].length <= 2) return { text: own.dateRaw, cap: 1 };
  const other = otherText === undefined ? '' : words(splitOpinion(otherText).opinion);
  return { text, cap: other === extra ? 1 : DISAGREED };
}

/** What the second reader said about a region, for the record: agreed, or its other reading. */
function readersOf(r: RegionText): RawField['readers'] {
  if (r.readersAgree === undefined) return undefined;
  const decided = {
    ...(r.decided ? { decided: r.decided } : {}),
    ...(r.undecided ? { undecided: r.undecided } : {}),
  };
  return r.readersAgree
    ? { agree: true, ...decided }
    : { agree: false, other: r.secondText ?? '', ...decided };
}

function threshold(r: Raster): Raster {
  const data = new Uint8Array(r.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (r.data[i] as number) < 128 ? 0 : 255;
  return { ...r, data };
}

function parsesAsDate(raw: string): boolean {
  return raw !== '' && parses('date', raw);
}

/**
 * Two readings of the header's date that say the same: the same numbers, or both only the printed
 * 年 月 日 of an unfilled date, whatever marks each made of the gaps between (“年“月“日).
 */
export function sameHeaderDate(a: string, b: string): boolean {
  if (sameDateNumbers(a, b) !== undefined) return true;
  const printedOnly = (t: string) => !/\d/u.test(t) && t.replace(/[\p{P}\p{S}\s]/gu, '') === '年月日';
  return printedOnly(a) && printedOnly(b);
}

function samePhone(a: string, b: string): boolean {
  const x = parsePhone(a);
  const y = parsePhone(b);
  return x.ok && y.ok && x.value !== null && x.value === y.value;
}

function parses(kind: 'phone' | 'date', raw: string): boolean {
  const r = kind === 'phone' ? parsePhone(raw) : parseDate(raw);
  return r.ok && r.value !== null;
}

function inkShare(page: Raster): number {
  let n = 0;
  for (let i = 0; i < page.data.length; i += 4) if ((page.data[i] as number) < INK) n++;
  return n / (page.data.length / 4);
}
