// A row both readers read as nothing may hold words beside a blot far off along it: the arc of a
// seal stamped on the cell above reaching into this one (dev seed, a 1-bit office scan: 「同意。」
// at the cell's left, a seal's arc 1,000 px to the right; tesseract and PP-OCRv4 both returned
// nothing for the row, and the opinion came out blank at 0.995). Its pieces far apart are read
// one by one, and what they read is joined.

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
  const { width, height, data } = line;
  const minGap = Math.max(GAP_HEIGHTS * height, 2 * MARGIN + 1);
  const pieces: Piece[] = [];
  let from = -1;
  let last = -1;
  for (let x = 0; x < width; x++) {
    let ink = false;
    for (let y = 0; y < height && !ink; y++) ink = (data[y * width + x] as number) < INK;
    if (!ink) continue;
    if (from >= 0 && x - last - 1 >= minGap) {
      pieces.push({ from, to: last + 1 });
      from = x;
    } else if (from < 0) from = x;
    last = x;
  }
  if (from >= 0) pieces.push({ from, to: last + 1 });
  return pieces.map((p) => ({ from: Math.max(0, p.from - MARGIN), to: Math.min(width, p.to + MARGIN) }));
}

/**
 * The row as its pieces read it: their texts in order, as sure as all of them together, checked as
 * each was. A piece read as nothing (the seal's arc) adds nothing. None read anything: the row as
 * it was read whole.
 */
export function joinPieces(whole: Row, parts: readonly Row[]): Row {
  const read = parts.filter((p) => p.text !== '' || (p.check !== undefined && p.check.text !== ''));
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
