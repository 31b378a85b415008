// Finds the table grid of a prepared (upright, deskewed, greyscale) page from its ruling lines,
// and turns it into cells with row/column spans, so that merged cells (照片, the vertical
// 技术人才需求 block, opinion cells) come out as one cell each, as they do from a .docx.
import type { Box } from '../types.js';
import type { GridCell } from './labels.js';

export interface GreyImage {
  data: Uint8Array | Buffer;
  width: number;
  height: number;
}

interface Segment {
  /** Position across the line (y for horizontal lines, x for vertical). */
  pos: number;
  from: number;
  to: number;
  thickness: number;
}

export interface GridOptions {
  /** Pixels darker than this are ink. */
  inkThreshold?: number;
  /** A ruling line is at least this share of the page's width (horizontal) or height (vertical) long in one run. */
  minLineShare?: number;
  /** Gaps this long inside a line are bridged (broken print, noise, a seal's white halo). */
  maxGap?: number;
}

/**
 * Runs of ink along one scanline (`length` pixels from `start`, `stride` apart), bridging small
 * gaps. Reads the pixels directly: this scans every pixel of the page twice.
 */
function runs(
  data: Uint8Array | Buffer,
  start: number,
  stride: number,
  length: number,
  ink: number,
  minRun: number,
  maxGap: number,
): [number, number][] {
  const out: [number, number][] = [];
  let from = -1;
  let lastInk = -1;
  for (let i = 0, p = start; i < length; i++, p += stride) {
    if ((data[p] as number) < ink) {
      if (from < 0) from = i;
      lastInk = i;
    } else if (from >= 0 && i - lastInk > maxGap) {
      if (lastInk - from + 1 >= minRun) out.push([from, lastInk]);
      from = -1;
    }
  }
  if (from >= 0 && lastInk - from + 1 >= minRun) out.push([from, lastInk]);
  return out;
}

/**
 * Groups runs on neighbouring scanlines into line segments (a printed rule is 2–6 px thick at 300
 * dpi). Thickness is the ink along the segment over its length: a rule left a fraction of a degree
 * off level spans more scanlines than it is thick, and must not pass for a blob.
 */
function mergeScanlines(found: { pos: number; from: number; to: number }[]): Segment[] {
  const segs: (Segment & { last: number; ink: number })[] = [];
  for (const r of found) {
    const s = segs.find((g) => r.pos - g.last <= 2 && r.from <= g.to && r.to >= g.from);
    if (s) {
      s.last = r.pos;
      s.from = Math.min(s.from, r.from);
      s.to = Math.max(s.to, r.to);
      s.ink += r.to - r.from + 1;
    } else
      segs.push({ pos: r.pos, from: r.from, to: r.to, thickness: 1, last: r.pos, ink: r.to - r.from + 1 });
  }
  return segs.map(({ last, ink, ...s }) => ({
    ...s,
    pos: Math.round((s.pos + last) / 2),
    thickness: ink / (s.to - s.from + 1),
  }));
}

export function findRulingLines(
  img: GreyImage,
  opts: GridOptions = {},
): { horizontal: Segment[]; vertical: Segment[] } {
  const { data, width, height } = img;
  const ink = opts.inkThreshold ?? 150;
  const share = opts.minLineShare ?? 0.04;
  const maxGap = opts.maxGap ?? Math.max(3, Math.round(width / 400));
  const hFound: { pos: number; from: number; to: number }[] = [];
  for (let y = 0; y < height; y++) {
    for (const [from, to] of runs(data, y * width, 1, width, ink, Math.round(width * share), maxGap))
      hFound.push({ pos: y, from, to });
  }
  const vFound: { pos: number; from: number; to: number }[] = [];
  for (let x = 0; x < width; x++) {
    for (const [from, to] of runs(data, x, width, height, ink, Math.round(height * share * 0.6), maxGap))
      vFound.push({ pos: x, from, to });
  }
  // Text strokes make short runs; rules are long and thin. Drop thick blobs (filled areas, seals).
  // A thick outer frame (2¼–3 pt, as some copies draw it) is 12–16 px at 300 dpi: still a rule.
  const thin = (s: Segment) => s.thickness <= Math.max(8, width / 120);
  const horizontal = mergeScanlines(hFound).filter(thin);
  // A vertical rule runs from one horizontal rule to another; a character's stroke does not.
  const reach = Math.max(6, Math.round(width / 250));
  const meets = (y: number, x: number) =>
    horizontal.some((h) => Math.abs(h.pos - y) <= reach && h.from - reach <= x && h.to + reach >= x);
  const vertical = mergeScanlines(vFound)
    .filter(thin)
    .filter((v) => meets(v.from, v.pos) && meets(v.to, v.pos));
  return { horizontal, vertical };
}

function cluster(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - (last[last.length - 1] ?? v) <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => Math.round(g.reduce((a, b) => a + b, 0) / g.length));
}

export interface TableGrid {
  /** Row boundaries (y) and column boundaries (x) of the whole table, in pixels. */
  ys: number[];
  xs: number[];
  cells: GridCell[];
  bounds: Box;
}

/**
 * Builds the cells of the page's table. Each elementary box between neighbouring row and column
 * boundaries is joined to its neighbour when no rule separates them, so merged cells are one cell.
 */
export function findGrid(img: GreyImage, opts: GridOptions = {}): TableGrid | undefined {
  const { horizontal, vertical } = findRulingLines(img, opts);
  if (horizontal.length < 2 || vertical.length < 2) return undefined;
  const tol = Math.max(4, Math.round(img.width / 300));
  const ys = cluster(
    horizontal.map((s) => s.pos),
    tol,
  );
  const xs = cluster(
    vertical.map((s) => s.pos),
    tol,
  );
  const covers = (segs: Segment[], pos: number, from: number, to: number) =>
    segs.some((s) => Math.abs(s.pos - pos) <= tol && s.from <= from + tol && s.to >= to - tol);
  const R = ys.length - 1;
  const C = xs.length - 1;
  // Elementary boxes inside the table: those with a rule on each side somewhere along the frame.
  const parent = Array.from({ length: R * C }, (_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    parent[i] = r;
    return r;
  };
  const inside = new Array<boolean>(R * C).fill(false);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const y0 = ys[r] as number;
      const y1 = ys[r + 1] as number;
      const x0 = xs[c] as number;
      const x1 = xs[c + 1] as number;
      const midY = (y0 + y1) / 2;
      const midX = (x0 + x1) / 2;
      // Inside the table if rules exist somewhere left and right at this height, above and below at this x.
      const left = vertical.some((s) => s.pos <= x0 + tol && s.from <= midY && s.to >= midY);
      const right = vertical.some((s) => s.pos >= x1 - tol && s.from <= midY && s.to >= midY);
      const up = horizontal.some((s) => s.pos <= y0 + tol && s.from <= midX && s.to >= midX);
      const down = horizontal.some((s) => s.pos >= y1 - tol && s.from <= midX && s.to >= midX);
      inside[r * C + c] = left && right && up && down && y1 - y0 > tol && x1 - x0 > tol;
    }
  }
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (!inside[r * C + c]) continue;
      const y0 = ys[r] as number;
      const y1 = ys[r + 1] as number;
      const x1 = xs[c + 1] as number;
      const x0 = xs[c] as number;
      if (
        c + 1 < C &&
        inside[r * C + c + 1] &&
        !covers(vertical, x1, y0 + (y1 - y0) * 0.25, y1 - (y1 - y0) * 0.25)
      )
        parent[find(r * C + c + 1)] = find(r * C + c);
      if (
        r + 1 < R &&
        inside[(r + 1) * C + c] &&
        !covers(horizontal, y1, x0 + (x1 - x0) * 0.25, x1 - (x1 - x0) * 0.25)
      )
        parent[find((r + 1) * C + c)] = find(r * C + c);
    }
  }
  // Each connected component of joined boxes is one cell.
  const groups = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (!inside[r * C + c]) continue;
      const root = find(r * C + c);
      const g = groups.get(root);
      if (g) {
        g.r0 = Math.min(g.r0, r);
        g.r1 = Math.max(g.r1, r);
        g.c0 = Math.min(g.c0, c);
        g.c1 = Math.max(g.c1, c);
      } else groups.set(root, { r0: r, r1: r, c0: c, c1: c });
    }
  }
  const cells: GridCell[] = [...groups.values()].map((g) => ({
    row: g.r0,
    col: g.c0,
    rowSpan: g.r1 - g.r0 + 1,
    colSpan: g.c1 - g.c0 + 1,
    text: '',
    box: {
      x: xs[g.c0] as number,
      y: ys[g.r0] as number,
      w: (xs[g.c1 + 1] as number) - (xs[g.c0] as number),
      h: (ys[g.r1 + 1] as number) - (ys[g.r0] as number),
    },
  }));
  if (cells.length === 0) return undefined;
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  const x0 = Math.min(...cells.map((c) => c.box?.x ?? 0));
  const y0 = Math.min(...cells.map((c) => c.box?.y ?? 0));
  const x1 = Math.max(...cells.map((c) => (c.box?.x ?? 0) + (c.box?.w ?? 0)));
  const y1 = Math.max(...cells.map((c) => (c.box?.y ?? 0) + (c.box?.h ?? 0)));
  return { ys, xs, cells, bounds: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } };
}
