// A row both readers read as nothing may hold words beside a blot far off along it: the arc of a
// seal stamped on the cell above reaching into this one (dev seed, a 1-bit office scan: 「同意。」
// at the cell's left, a seal's arc 1,000 px to the right; tesseract and PP-OCRv4 both returned
// nothing for the row, and the opinion came out blank at 0.995). Its pieces far apart are read
// one by one, and what they read is joined.
//
// An opinion cell's unfilled date line prints 年　　月　　日, each character two spaces from the
// next. Both readers stumble on the wide gaps (年月日 at 0.18 against 绍5月口自, 年八日, 4月命日 on
// dev seed scans), so a blank cell could not be told blank. Such a line is read again with its
// gaps closed (spacedCharacters, closeGaps).

import type { Raster } from '../prepare/raster.js';
import type { Row } from './row-check.js';

/** Darker than this is ink. */
const INK = 128;
/** A gap this many line heights wide parts two pieces: wider than any spacing between words. */
const GAP_HEIGHTS = 3;
/** Margin kept round a piece so that its outer strokes are not cut. */
const MARGIN = 6;

export interface Piece {
  from: number;
  to: number;
}

/** The row's stretches of ink separated by gaps wider than `GAP_HEIGHTS` line heights. */
export function farApartPieces(line: Raster): Piece[] {
  const { width, height } = line;
  return inkRuns(line, Math.max(GAP_HEIGHTS * height, 2 * MARGIN + 1)).map((p) => ({
    from: Math.max(0, p.from - MARGIN),
    to: Math.min(width, p.to + MARGIN),
  }));
}

/**
 * The row as its pieces read it: their texts in order, as sure as all of them together, checked as
 * each was. A piece read as nothing (the seal's arc) adds nothing. None read anything: the row as
 * it was read whole.
 */
export function joinPieces(whole: Row, parts: readonly Row[]): Row {
  const read = parts.filter(
    (p) =>
      (p.text !== '' || (p.check !== undefined && p.check.text !== '')) &&
      // A speck far off along the row, read as a mark by one reader and as nothing by the other.
      !(p.check && isStray(p.text, p.check.text)),
  );
  if (!read.some((p) => p.text !== '')) return whole;
  const checked = read.filter((p) => p.check);
  const sum = (k: 'decided' | 'undecided') => checked.reduce((n, p) => n + (p.check?.[k] ?? 0), 0);
  const decided = sum('decided');
  const undecided = sum('undecided');
  return {
    box: whole.box,
    text: read
      .map((p) => p.text)
      .filter(Boolean)
      .join(' '),
    confidence: read.reduce((c, p) => c * p.confidence, 1),
    ...(checked.length
      ? {
          check: {
            text: checked
              .map((p) => p.check?.text ?? '')
              .filter(Boolean)
              .join(' '),
            agrees: checked.every((p) => p.check?.agrees),
            ...(decided ? { decided } : {}),
            ...(undecided ? { undecided } : {}),
          },
        }
      : {}),
  };
}

/** The ink's top and bottom rows in a line image, or undefined when it holds none. */
function inkRows(line: Raster): { top: number; bottom: number } | undefined {
  const { width, height, data } = line;
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if ((data[y * width + x] as number) < INK) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
  return top < 0 ? undefined : { top, bottom: bottom + 1 };
}

/** Stretches of ink along the row separated by at least `minGap` blank columns (no margin). */
function inkRuns(line: Raster, minGap: number): Piece[] {
  const { width, height, data } = line;
  const runs: Piece[] = [];
  let from = -1;
  let last = -1;
  for (let x = 0; x < width; x++) {
    let ink = false;
    for (let y = 0; y < height && !ink; y++) ink = (data[y * width + x] as number) < INK;
    if (!ink) continue;
    if (from >= 0 && x - last - 1 >= minGap) {
      runs.push({ from, to: last + 1 });
      from = x;
    } else if (from < 0) from = x;
    last = x;
  }
  if (from >= 0) runs.push({ from, to: last + 1 });
  return runs;
}

/** Gaps inside one character (the strokes of 川 or 儿) are narrower than this share of its height. */
const IN_CHARACTER_GAP = 0.3;
/** Spacing this wide (a share of the characters' height) is set on purpose: 年　　月　　日. */
const WIDE_SPACING = 0.8;
/** A character is about as wide as it is high; a run of digits (2020) is wider, a 1 narrower. */
const CHARACTER_WIDTH = [0.5, 1.4] as const;
/** The gap a closed-up line keeps between its characters (a share of their height). */
const CLOSED_GAP = 0.25;

/**
 * The row's characters when it is `count` single characters set wide apart and nothing else: each
 * run of ink about as wide as it is high, each gap at least WIDE_SPACING heights. Undefined for any
 * other row — one with digits written between (2020 年 5 月) has more runs, or wider ones.
 */
export function spacedCharacters(line: Raster, count: number): Piece[] | undefined {
  const rows = inkRows(line);
  if (!rows) return undefined;
  const h = rows.bottom - rows.top;
  if (h < 8) return undefined;
  const runs = inkRuns(line, Math.max(2, Math.round(IN_CHARACTER_GAP * h)));
  if (runs.length !== count) return undefined;
  const [narrowest, widest] = CHARACTER_WIDTH;
  if (runs.some((r) => r.to - r.from < narrowest * h || r.to - r.from > widest * h)) return undefined;
  for (let i = 1; i < runs.length; i++)
    if ((runs[i] as Piece).from - (runs[i - 1] as Piece).to < WIDE_SPACING * h) return undefined;
  return runs;
}

/** The line with the gaps between `runs` closed to CLOSED_GAP of the ink's height, margins kept. */
export function closeGaps(line: Raster, runs: readonly Piece[]): Raster {
  const rows = inkRows(line);
  const h = rows ? rows.bottom - rows.top : line.height;
  const gap = Math.max(2, Math.round(CLOSED_GAP * h));
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (!first || !last) return line;
  const lead = first.from;
  const trail = line.width - last.to;
  const inked = runs.reduce((n, r) => n + r.to - r.from, 0);
  const width = lead + inked + gap * (runs.length - 1) + trail;
  const data = new Uint8Array(width * line.height).fill(255);
  const copy = (from: number, to: number, at: number) => {
    for (let y = 0; y < line.height; y++)
      data.set(line.data.subarray(y * line.width + from, y * line.width + to), y * width + at);
  };
  copy(0, lead, 0);
  let at = lead;
  for (const [i, r] of runs.entries()) {
    copy(r.from, r.to, at);
    at += r.to - r.from + (i < runs.length - 1 ? gap : 0);
  }
  copy(last.to, line.width, at);
  return { width, height: line.height, channels: 1, data };
}

/** How many Han characters a text holds. */
const hanCount = (text: string): number => text.match(/\p{Script=Han}/gu)?.length ?? 0;

/**
 * A row the readers disagree on, one of them reading only the form's printed words (an unfilled
 * 年　　月　　日), read again by `read` with the gaps between its characters closed. The new reading
 * is returned only when both readers then read the printed words and agree, and the row's ink is
 * that many characters set wide apart and nothing else; otherwise undefined (keep the first).
 */
export async function rereadSpaced(
  line: Raster,
  whole: Row,
  printed: (text: string) => boolean,
  read: (image: Raster) => Promise<Row>,
): Promise<Row | undefined> {
  if (!whole.check || whole.check.agrees) return undefined;
  const seen = [whole.text, whole.check.text].find(printed);
  const spaced = seen === undefined ? undefined : spacedCharacters(line, hanCount(seen));
  if (!spaced) return undefined;
  const closed = await read(closeGaps(line, spaced));
  return closed.check?.agrees && printed(closed.text) && printed(closed.check.text) ? closed : undefined;
}

/** Two readings of a row that are each one character or none, not the same one or not a Han one: no text. */
export function isStray(text: string, other: string): boolean {
  const core = (t: string) => t.replace(/[\p{P}\p{S}\s]/gu, '');
  const a = core(text);
  const b = core(other);
  // Both read the same one character: a sentence's last, wrapped (持), unless it is no character
  // of a sentence at all (a bar of the seal's star read as 1 by both).
  return [...a].length <= 1 && [...b].length <= 1 && (a !== b || (a !== '' && !/\p{Script=Han}/u.test(a)));
}

/**
 * A row under a seal that is an unfilled date line: its ink three characters set wide apart and
 * nothing else (no digits can be there), read by both readers (`readBoth`) as the printed words,
 * as it is or closed up (`readClosed`). Undefined for any other row: it is left to the date reading.
 */
export async function unfilledDateLine(
  line: Raster,
  printed: (text: string) => boolean,
  readBoth: () => Promise<Row>,
  readClosed: (image: Raster) => Promise<Row>,
): Promise<Row | undefined> {
  if (!spacedCharacters(line, 3)) return undefined;
  const both = await readBoth();
  if (both.check?.agrees && printed(both.text) && printed(both.check.text)) return both;
  return rereadSpaced(line, both, printed, readClosed);
}

/** Darker than this is ink, for the stroke test. */
const STROKE_INK = 128;

/**
 * Whether a row's ink is one straight stroke leaning like a slash: the / written in a cell for
 * "none". tesseract reads it, with no confidence; PP-OCRv4 finds no text in it at all, and the
 * cell went to a person on every form that used it (bench:ocr, dev seeds' office scans: 所属团队名称
 * "/" on three of nine registrations). The ink's spread along its main axis against across it says
 * how straight it is; its lean is 35–75° from level — a 1 or a 丨 stands upright, a dash lies flat.
 */
export function isSlashStroke(row: Raster): boolean {
  const { width, height, data } = row;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if ((data[(y * width + x) * row.channels] as number) >= STROKE_INK) continue;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  if (n < 20) return false;
  const vx = sxx / n - (sx / n) ** 2;
  const vy = syy / n - (sy / n) ** 2;
  const cxy = sxy / n - (sx / n) * (sy / n);
  const half = (vx + vy) / 2;
  const root = Math.sqrt(((vx - vy) / 2) ** 2 + cxy ** 2);
  const along = half + root;
  const across = half - root;
  // A stroke as long as a character is high, at most a sixth as thick as it is long.
  const length = Math.sqrt(12 * along);
  if (length < height * 0.4 || across > along / 36) return false;
  // Image y grows downwards: a slash's top leans right, so x falls as y grows (cxy < 0).
  const lean = (Math.atan2(Math.abs(2 * cxy), vx - vy) / 2) * (180 / Math.PI);
  const fromLevel = Math.abs(lean);
  return cxy < 0 && fromLevel >= 35 && fromLevel <= 75;
}
