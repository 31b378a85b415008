// Cheap layout analysis on a level (deskewed) page: ink mask, long ruling lines, the table's row
// bands and cells, and the text lines inside each cell. Orientation detection reads its cues from
// this; it is not the locate stage (which maps fields to cells through the printed labels).
import { histogram, otsu, type Raster } from './raster.js';

export interface Span {
  from: number;
  to: number; // exclusive
}

export interface TextLine {
  /** Bounds of the ink, in working-image pixels. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** The cell (or page region) the line sits in. */
  cellX0: number;
  cellX1: number;
  ink: number;
  /** Ink-weighted centre of the line, 0 at its top, 1 at its bottom. */
  centroid: number;
}

export interface Cell {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Bounded by a page edge rather than rules on both sides (outside the table). */
  open: boolean;
}

export interface Layout {
  width: number;
  height: number;
  /** 1 where ink, text and rules alike. */
  ink: Uint8Array;
  /** 1 where ink that is not part of a long ruling line. */
  text: Uint8Array;
  /** Rows (y spans) of horizontal rules that cross most of the table. */
  hRules: Span[];
  /** Vertical rule segments. */
  vRules: { x: Span; y: Span }[];
  /** Cells as [x0, x1) × [y0, y1), between rules (or the page edges where there are none). */
  cells: Cell[];
  lines: TextLine[];
}

/** Runs of 1s in a 0/1 profile with gaps up to `bridge` closed. */
function runs(
  mask: ArrayLike<number>,
  start: number,
  end: number,
  stride: number,
  bridge: number,
  minLen: number,
): Span[] {
  const out: Span[] = [];
  let from = -1;
  let lastOn = -1;
  for (let i = start; i < end; i++) {
    const on = (mask[i * stride] as number) !== 0;
    if (on) {
      if (from < 0) from = i;
      else if (i - lastOn - 1 > bridge) {
        if (lastOn + 1 - from >= minLen) out.push({ from, to: lastOn + 1 });
        from = i;
      }
      lastOn = i;
    }
  }
  if (from >= 0 && lastOn + 1 - from >= minLen) out.push({ from, to: lastOn + 1 });
  return out;
}

function groupRows(rows: number[], gap: number): Span[] {
  const out: Span[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && r - last.to <= gap) last.to = r + 1;
    else out.push({ from: r, to: r + 1 });
  }
  return out;
}

/** Analyses a small (~1200 px) greyscale, level page. */
export function analyseLayout(grey: Raster): Layout {
  const { width: W, height: H, data } = grey;
  const t = Math.max(60, Math.min(200, otsu(histogram(grey))));
  const ink = new Uint8Array(W * H);
  for (let i = 0; i < ink.length; i++) ink[i] = (data[i] as number) <= t ? 1 : 0;

  // Long runs are rules: longer than any character stroke at this size (a title character is
  // ~26 px at 1200 px per A4 height), bridged over one-pixel breaks from antialiasing.
  const minRun = Math.max(40, Math.round(Math.max(W, H) * 0.045));
  const rule = new Uint8Array(W * H);
  const hRowCover = new Float64Array(H);
  for (let y = 0; y < H; y++) {
    for (const r of runs(ink.subarray(y * W, (y + 1) * W), 0, W, 1, 2, minRun)) {
      for (let x = r.from; x < r.to; x++) rule[y * W + x] = 1;
      hRowCover[y] = (hRowCover[y] as number) + (r.to - r.from);
    }
  }
  const vSegs: { x: number; y: Span }[] = [];
  for (let x = 0; x < W; x++) {
    const col = new Uint8Array(H);
    for (let y = 0; y < H; y++) col[y] = ink[y * W + x] as number;
    for (const r of runs(col, 0, H, 1, 2, minRun)) {
      for (let y = r.from; y < r.to; y++) rule[y * W + x] = 1;
      vSegs.push({ x, y: r });
    }
  }
  // Antialiased edges of rules are ink too: grow the rule mask by one pixel.
  const text = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (!ink[i]) continue;
      let near = rule[i] === 1;
      for (let dy = -1; dy <= 1 && !near; dy++) {
        for (let dx = -1; dx <= 1 && !near; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < W && yy < H && rule[yy * W + xx]) near = true;
        }
      }
      if (!near) text[i] = 1;
    }
  }

  // Horizontal rules that matter for cells: rows covered over a good part of the width.
  const ruleRows: number[] = [];
  for (let y = 0; y < H; y++) if ((hRowCover[y] as number) >= W * 0.3) ruleRows.push(y);
  const hRules = groupRows(ruleRows, 2);

  // Vertical rules: group adjacent columns whose segments overlap.
  const vRules: { x: Span; y: Span }[] = [];
  vSegs.sort((a, b) => a.x - b.x || a.y.from - b.y.from);
  for (const s of vSegs) {
    const hit = vRules.find((v) => s.x - v.x.to <= 2 && s.y.from < v.y.to && s.y.to > v.y.from);
    if (hit) {
      hit.x.to = Math.max(hit.x.to, s.x + 1);
      hit.y.from = Math.min(hit.y.from, s.y.from);
      hit.y.to = Math.max(hit.y.to, s.y.to);
    } else vRules.push({ x: { from: s.x, to: s.x + 1 }, y: { from: s.y.from, to: s.y.to } });
  }

  // Row bands: between consecutive horizontal rules, plus the regions above and below the table.
  const bounds = [0, ...hRules.flatMap((r) => [r.from, r.to]), H];
  const bands: Span[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 2) {
    const from = bounds[i] as number;
    const to = bounds[i + 1] as number;
    if (to - from >= 6) bands.push({ from, to });
  }
  const cells: Layout['cells'] = [];
  for (const band of bands) {
    const mid = (band.from + band.to) / 2;
    const xs = vRules
      .filter((v) => v.y.from <= mid && v.y.to >= mid && v.y.to - v.y.from >= (band.to - band.from) * 0.6)
      .map((v) => v.x);
    const edges = [{ from: 0, to: 0 }, ...xs, { from: W, to: W }];
    for (let i = 0; i + 1 < edges.length; i++) {
      const x0 = (edges[i] as Span).to;
      const x1 = (edges[i + 1] as Span).from;
      if (x1 - x0 >= 6)
        cells.push({ x0, x1, y0: band.from, y1: band.to, open: i === 0 || i + 2 === edges.length });
    }
  }

  const lines: TextLine[] = [];
  for (const c of cells) {
    const x0 = c.x0 + 1;
    const x1 = c.x1 - 1;
    const prof = new Uint8Array(c.y1 - c.y0);
    for (let y = c.y0; y < c.y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (text[y * W + x]) {
          prof[y - c.y0] = 1;
          break;
        }
      }
    }
    for (const r of runs(prof, 0, prof.length, 1, 1, 4)) {
      let lx = W;
      let rx = -1;
      let inkSum = 0;
      let ySum = 0;
      for (let y = c.y0 + r.from; y < c.y0 + r.to; y++) {
        for (let x = x0; x < x1; x++) {
          if (!text[y * W + x]) continue;
          if (x < lx) lx = x;
          if (x > rx) rx = x;
          inkSum++;
          ySum += y;
        }
      }
      if (inkSum < 8) continue;
      const y0 = c.y0 + r.from;
      const y1 = c.y0 + r.to;
      lines.push({
        x0: lx,
        x1: rx + 1,
        y0,
        y1,
        cellX0: c.x0,
        cellX1: c.x1,
        ink: inkSum,
        centroid: (ySum / inkSum + 0.5 - y0) / (y1 - y0),
      });
    }
  }
  return { width: W, height: H, ink, text, hRules, vRules, cells, lines };
}
