// Page orientation (0/90/180/270) from cheap image statistics, with OCR confidence as a fallback
// when the statistics are unsure. Runs on a level page (after deskew).
//
// Which axis the text runs along: inside small tiles, horizontal text leaves empty rows between
// lines but hardly any empty columns (CJK characters sit almost edge to edge); the page's aspect
// ratio (forms are portrait) backs this up. Which way is up, once the text is horizontal:
//  - alignment: values and paragraphs are left-aligned in their cells (ragged right edge);
//    upside down the ragged edge is on the left;
//  - title: a form has its title and header line above the table, little or nothing below;
//  - columns: rows start with a narrow label cell and end with a wider value cell.
import type { OcrEngine } from '../ocr/types.js';
import { analyseLayout, type Layout } from './layout.js';
import { crop, encodePgm, type Raster, rotateQuarter, SCAN_EDGE_SHARE, shrinkTo, toGrey } from './raster.js';

export type QuarterTurn = 0 | 90 | 180 | 270;

export interface OrientationCues {
  /** > 0: text runs horizontally (0/180); < 0: vertically (90/270). */
  axis: number;
  /** +1 portrait, −1 landscape, 0 square-ish. */
  aspect: number;
  /** Up-versus-down evidence on the page turned so that its text is horizontal (> 0: that way up). */
  alignment: number;
  title: number;
  columns: number;
  /** Combined up score; its size is the statistics' confidence. */
  up: number;
  /** Mean OCR confidence the way up chosen by the statistics and the other way, when OCR ran. */
  ocr?: { asIs: number; flipped: number };
}

export interface OrientationEstimate {
  /** Clockwise rotation the page has undergone: rotate by (360 − angle) % 360 to set it upright. */
  angle: QuarterTurn;
  /** 0–1. */
  confidence: number;
  method: 'statistics' | 'ocr';
  cues: OrientationCues;
}

export interface OrientationOptions {
  /** Reads a few text lines both ways up when the statistics are unsure. */
  engine?: OcrEngine;
  /** Below this combined up score the OCR fallback runs (when an engine is given). */
  ocrBelow?: number;
  workingSize?: number;
  /**
   * Only pixels darker than this count (at full resolution, before shrinking): print is
   * near-black, while a seal on a greyscale scan sits around 110–150 and, right-aligned over the
   * date, would outvote the left-aligned values.
   */
  inkBelow?: number;
}

/** Print only, without the dark frame a scanner leaves along the image edge (it reads as rules). */
function printOnly(grey: Raster, below: number): Raster {
  const { width, height, data: d } = grey;
  const out = new Uint8Array(d.length).fill(255);
  const mx = Math.round(width * SCAN_EDGE_SHARE);
  const my = Math.round(height * SCAN_EDGE_SHARE);
  for (let y = my; y < height - my; y++)
    for (let x = mx, i = y * width + mx; x < width - mx; x++, i++)
      if ((d[i] as number) < below) out[i] = d[i] as number;
  return { ...grey, data: out };
}

function clamp(v: number, lim = 1): number {
  return Math.max(-lim, Math.min(lim, v));
}

/** The most pixels across a tile's ink may be for it to count as a ruling line's piece. */
const RULE_PIECE_WIDTH = 4;

/** Tile statistic: empty rows minus empty columns, over tiles holding some text. */
export function textAxisScore(layout: Layout): number {
  const { width: W, height: H, text } = layout;
  const T = 40;
  let sum = 0;
  let count = 0;
  for (let ty = 0; ty + T <= H; ty += T) {
    for (let tx = 0; tx + T <= W; tx += T) {
      let on = 0;
      const rowHit = new Uint8Array(T);
      const colHit = new Uint8Array(T);
      for (let y = 0; y < T; y++) {
        const row = (ty + y) * W + tx;
        for (let x = 0; x < T; x++) {
          if (text[row + x]) {
            on++;
            rowHit[y] = 1;
            colHit[x] = 1;
          }
        }
      }
      const density = on / (T * T);
      if (density < 0.04 || density > 0.5) continue;
      let emptyRows = 0;
      let emptyCols = 0;
      for (let i = 0; i < T; i++) {
        if (!rowHit[i]) emptyRows++;
        if (!colHit[i]) emptyCols++;
      }
      // A piece of a ruling line the rule finder left (a thin border broken into dashes where
      // deskewing a 1-bit scan greyed it) is a stroke a few pixels across, not text: on a page of
      // two opinion cells, the left border's dashes outvoted the few lines of text.
      if (T - emptyCols <= RULE_PIECE_WIDTH || T - emptyRows <= RULE_PIECE_WIDTH) continue;
      sum += (emptyRows - emptyCols) / T;
      count++;
    }
  }
  return count ? sum / count : 0;
}

/** Up-versus-down cues on a page whose text runs horizontally. Positive: this way up. */
export function upCues(layout: Layout): { alignment: number; title: number; columns: number; up: number } {
  let a = 0;
  let aw = 0;
  for (const l of layout.lines) {
    const cw = l.cellX1 - l.cellX0;
    if (cw < 20) continue;
    const w = l.ink;
    a += ((l.cellX1 - l.x1 - (l.x0 - l.cellX0)) / cw) * w;
    aw += w;
  }
  const alignment = aw ? a / aw : 0;

  let title = 0;
  const top = layout.hRules[0];
  const bottom = layout.hRules[layout.hRules.length - 1];
  if (top && bottom && bottom.from - top.to > layout.height * 0.3) {
    let above = 0;
    let below = 0;
    const W = layout.width;
    for (let y = 0; y < layout.height; y++) {
      if (y >= top.from && y < bottom.to) continue;
      let n = 0;
      for (let x = 0; x < W; x++) n += layout.text[y * W + x] as number;
      if (y < top.from) above += n;
      else below += n;
    }
    // Scaled by how much ink there is outside the table: a few specks decide nothing.
    const total = above + below;
    const strength = Math.min(1, total / (layout.width * 2));
    title = total ? ((above - below) / total) * strength : 0;
  }

  // Rows of two or more cells inside the table: the first cell (a label) narrower than the last.
  let votes = 0;
  let rowsSeen = 0;
  const byBand = new Map<number, Layout['cells']>();
  for (const c of layout.cells) {
    if (c.open || (top && bottom && (c.y0 < top.to || c.y1 > bottom.from + 1))) continue;
    const list = byBand.get(c.y0) ?? [];
    list.push(c);
    byBand.set(c.y0, list);
  }
  for (const cells of byBand.values()) {
    if (cells.length < 2) continue;
    cells.sort((p, q) => p.x0 - q.x0);
    const first = cells[0] as (typeof cells)[number];
    const last = cells[cells.length - 1] as (typeof cells)[number];
    const d = last.x1 - last.x0 - (first.x1 - first.x0);
    const h = first.y1 - first.y0;
    votes += Math.sign(d) * h;
    rowsSeen += h;
  }
  const columns = rowsSeen ? votes / rowsSeen : 0;
  // Weights from the 24 sample scans: the label column is on the left on every page of all three
  // forms; the title only on first pages; alignment is weak (0.03–0.13) and wrong on pages that
  // are mostly opinion cells, whose dates and （盖章） are right-aligned.
  const up = clamp(alignment / 0.12, 1) + clamp(title * 1.5, 1.5) + 1.5 * columns;
  return { alignment, title, columns, up };
}

async function ocrConfidence(
  engine: OcrEngine,
  page: Raster,
  layout: Layout,
  scale: number,
): Promise<number> {
  // The widest text lines are the most informative; two are enough and keep it under a second.
  const lines = [...layout.lines].sort((p, q) => q.x1 - q.x0 - (p.x1 - p.x0)).slice(0, 2);
  let sum = 0;
  let n = 0;
  for (const l of lines) {
    const pad = (l.y1 - l.y0) * 0.4;
    const box = {
      x: (l.x0 - pad) / scale,
      y: (l.y0 - pad) / scale,
      w: (l.x1 - l.x0 + 2 * pad) / scale,
      h: (l.y1 - l.y0 + 2 * pad) / scale,
    };
    const res = await engine.recognize(encodePgm(crop(page, box)), { mode: 'line', lang: 'chi_sim' });
    sum += res.text.trim() ? res.confidence : 0;
    n++;
  }
  return n ? sum / n : 0;
}

/** Detects how the page has been turned (after deskew). */
export async function detectOrientation(
  image: Raster,
  opts: OrientationOptions = {},
): Promise<OrientationEstimate> {
  const grey = toGrey(image);
  const { image: small, scale } = await shrinkTo(
    printOnly(grey, opts.inkBelow ?? 100),
    opts.workingSize ?? 1200,
  );
  const asIs = analyseLayout(small);
  const axisTiles = textAxisScore(asIs);
  const ratio = small.height / small.width;
  const aspect = ratio > 1.15 ? 1 : ratio < 1 / 1.15 ? -1 : 0;
  const axis = clamp(axisTiles / 0.08, 2) + 0.8 * aspect;
  const sideways = axis < 0;

  // Turn a sideways page a quarter clockwise so its text is horizontal, then ask which way is up.
  const level = sideways ? await rotateQuarter(small, 90) : small;
  const layout = sideways ? analyseLayout(level) : asIs;
  const cues = upCues(layout);
  const upright = cues.up >= 0;
  const pick = (isUp: boolean): QuarterTurn => (sideways ? (isUp ? 270 : 90) : isUp ? 0 : 180);
  const result: OrientationEstimate = {
    angle: pick(upright),
    confidence: Math.min(1, Math.abs(cues.up) / 1.5) * Math.min(1, Math.abs(axis) / 0.5),
    method: 'statistics',
    cues: { axis, aspect, ...cues, tiles: axisTiles } as OrientationCues,
  };
  if (!opts.engine || Math.abs(cues.up) >= (opts.ocrBelow ?? 0.6) || layout.lines.length === 0) return result;

  // OCR fallback: read the widest lines both ways up on the full-resolution page.
  const full = sideways ? await rotateQuarter(grey, 90) : grey;
  const flippedFull = await rotateQuarter(full, 180);
  const flippedLayout = analyseLayout(await rotateQuarter(level, 180));
  const [a, b] = [
    await ocrConfidence(opts.engine, full, layout, scale),
    await ocrConfidence(opts.engine, flippedFull, flippedLayout, scale),
  ];
  const isUp = a >= b;
  return {
    angle: pick(isUp),
    confidence: Math.min(1, Math.abs(a - b) / 0.3),
    method: 'ocr',
    cues: { ...result.cues, ocr: { asIs: a, flipped: b } },
  };
}
