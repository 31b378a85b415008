// Finds the table grid of a prepared (upright, deskewed, greyscale) page from its ruling lines,
// and turns it into cells with row/column spans, so that merged cells (照片, the vertical
// 技术人才需求 block, opinion cells) come out as one cell each, as they do from a .docx.
// Over 400 lines because finding the rules and mending what a photo or a worn scan did to them
// (broken, bent, faded ends) are one search whose steps only make sense together.
import type { SealCover } from '../prepare/redink.js';
import type { Box } from '../types.js';
import type { GridCell } from './labels.js';
import { lineMasks, SPREAD } from './rule-masks.js';

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
  /**
   * Where its short end pieces reach (a rule bent at a curled corner leaves its straight run and
   * goes on as short runs in the next columns); `from`/`to` by default.
   */
  reach?: { from: number; to: number };
}

export interface GridOptions {
  /** Pixels darker than this are ink. */
  inkThreshold?: number;
  /** A ruling line is at least this share of the page's width (horizontal) or height (vertical) long in one run. */
  minLineShare?: number;
  /** Gaps this long inside a line are bridged (broken print, noise, a seal's white halo). */
  maxGap?: number;
  /**
   * 'threshold': ink is darker than `inkThreshold` (scans). 'contrast': ink is darker than the paper
   * a few pixels above and below it (left and right of it for vertical rules) by a margin set from
   * the page's own contrast, so that faint, blurred or shadowed rules count and slow shading does
   * not; a rule a little off level or bent near a curled edge is followed over neighbouring rows.
   * Default: 'threshold', and 'contrast' as a second look when the first finds fewer than 4 cells.
   */
  detector?: 'threshold' | 'contrast' | 'auto';
  /**
   * With 'auto': the page was flattened from uneven light (a photo, a shadowed scan), where a
   * shadow cuts rules into pieces too short for the threshold look while leaving most cells: both
   * looks are taken and the one with more cells wins (bench:ocr, dev seeds, phone photos: 7 and 8
   * cells by threshold, 23 and 21 by contrast, on forms of 20–25).
   */
  unevenLight?: boolean;
  /**
   * Whether a stretch along a rule lies under a seal (see prepare/redink.ts: sealCover): pieces of
   * one rule either side of such a stretch are one rule.
   */
  sealCover?: SealCover;
}

/** Cells below which the threshold look is taken for a failure and the contrast look is tried. */
const FEW_CELLS = 4;

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
/** A run this long (px) is part of a rule, never a chain of character strokes. */
const LONG_RUN = 250;

function mergeScanlines(found: { pos: number; from: number; to: number }[]): Segment[] {
  const segs: (Segment & { last: number; ink: number; runs: { from: number; to: number }[] })[] = [];
  for (const r of found) {
    const s = segs.find((g) => r.pos - g.last <= 2 && r.from <= g.to && r.to >= g.from);
    if (s) {
      s.last = r.pos;
      s.from = Math.min(s.from, r.from);
      s.to = Math.max(s.to, r.to);
      s.ink += r.to - r.from + 1;
      s.runs.push(r);
    } else
      segs.push({
        pos: r.pos,
        from: r.from,
        to: r.to,
        thickness: 1,
        last: r.pos,
        ink: r.to - r.from + 1,
        runs: [r],
      });
  }
  return segs.map(({ last, ink, runs: parts, ...s }) => {
    // A rule's extent is that of its long runs: a character stroke touching it (the first
    // character of the next row under a short rule) must not carry its end past the rule it meets.
    // (Pieces of a broken rule are long enough to count.)
    const longest = Math.max(...parts.map((p) => p.to - p.from));
    const main = parts.filter((p) => p.to - p.from >= Math.min(longest / 2, LONG_RUN));
    const from = Math.min(...main.map((p) => p.from));
    const to = Math.max(...main.map((p) => p.to));
    return {
      ...s,
      from,
      to,
      pos: Math.round((s.pos + last) / 2),
      thickness: ink / (to - from + 1),
      reach: { from: Math.min(...parts.map((p) => p.from)), to: Math.max(...parts.map((p) => p.to)) },
    };
  });
}

/**
 * The longest break (share of the page's height) bridged between two pieces of one vertical rule.
 * A worn toner drum or a scanner's dust leaves a border in pieces with breaks of ~2 mm (20–25 px at
 * 300 dpi, bench:ocr dev-12 office scans), ten times the gap bridged inside a run: the border then
 * ended on no rule and every cell beside it was lost.
 */
const BROKEN_GAP = 0.012;
/** How far short of the table's outer rule (a share of the page's height) a frame's bent end may stop. */
const FRAME_BEND = 0.1;

/** The longest stretch of a rule a seal may hide (a share of the page's width): a 45 mm seal on A4. */
const SEAL_GAP = 0.22;

/**
 * Joins collinear pieces of one rule across a break a seal covers: lifting the seal's red ink out
 * took the rule's pixels wherever a stroke of the seal crossed it, and what was left between is
 * pieces too short to count.
 */
function joinUnderSeal(segs: Segment[], vertical: boolean, maxBreak: number, cover: SealCover): Segment[] {
  const out: Segment[] = [];
  for (const s of [...segs].sort((a, b) => a.from - b.from)) {
    const prev = out.find((o) => Math.abs(o.pos - s.pos) <= 3 && s.from > o.to && s.from - o.to <= maxBreak);
    if (prev && cover(vertical, Math.round((prev.pos + s.pos) / 2), prev.to, s.from)) absorb(prev, s);
    else out.push({ ...s });
  }
  return out;
}

/** Makes `piece` part of the rule `into`, the next piece along it. */
function absorb(into: Segment, piece: Segment): void {
  const a = into.to - into.from + 1;
  const b = piece.to - piece.from + 1;
  into.thickness = (into.thickness * a + piece.thickness * b) / (a + b);
  into.pos = Math.round((into.pos * a + piece.pos * b) / (a + b));
  into.to = Math.max(into.to, piece.to);
  into.reach = {
    from: Math.min(into.reach?.from ?? into.from, piece.reach?.from ?? piece.from),
    to: Math.max(into.reach?.to ?? into.to, piece.reach?.to ?? piece.to),
  };
}

/**
 * Joins collinear pieces of one rule across short breaks. Each piece is already a line segment
 * (long, thin): strokes of characters stacked in a column are neither, so they never join.
 */
function joinBroken(segs: Segment[], maxBreak: number): Segment[] {
  const sorted = [...segs].sort((a, b) => a.from - b.from);
  const out: Segment[] = [];
  for (const s of sorted) {
    const prev = out.find((o) => Math.abs(o.pos - s.pos) <= 2 && s.from - o.to <= maxBreak);
    if (prev) absorb(prev, s);
    else out.push({ ...s });
  }
  return out;
}

export function findRulingLines(
  img: GreyImage,
  opts: GridOptions = {},
): { horizontal: Segment[]; vertical: Segment[] } {
  const { width, height } = img;
  const contrast = opts.detector === 'contrast';
  const masks = contrast ? lineMasks(img) : null;
  const ink = masks ? 128 : (opts.inkThreshold ?? 150);
  // Local contrast marks text strokes as well as rules: a line must be longer to count (a run of
  // characters with horizontal strokes must not join up into one).
  const share = opts.minLineShare ?? (contrast ? 0.06 : 0.04);
  const maxGap = opts.maxGap ?? Math.max(3, Math.round(width / (contrast ? 250 : 400)));
  const hData = masks ? masks.horizontal : img.data;
  const vData = masks ? masks.vertical : img.data;
  const hFound: { pos: number; from: number; to: number }[] = [];
  for (let y = 0; y < height; y++) {
    for (const [from, to] of runs(hData, y * width, 1, width, ink, Math.round(width * share), maxGap))
      hFound.push({ pos: y, from, to });
  }
  const vFound: { pos: number; from: number; to: number }[] = [];
  for (let x = 0; x < width; x++) {
    for (const [from, to] of runs(vData, x, width, height, ink, Math.round(height * share * 0.6), maxGap))
      vFound.push({ pos: x, from, to });
  }
  // Text strokes make short runs; rules are long and thin. Drop thick blobs (filled areas, seals).
  // A thick outer frame (2¼–3 pt, as some copies draw it) is 12–16 px at 300 dpi: still a rule.
  // The contrast masks widen a rule by a pixel each way (SPREAD).
  const thin = (s: Segment) => s.thickness <= Math.max(8, width / 120) + (masks ? 2 * SPREAD : 0);
  const sealGap = Math.round(width * SEAL_GAP);
  const underSeal = (segs: Segment[], vertical: boolean) =>
    opts.sealCover ? joinUnderSeal(segs, vertical, sealGap, opts.sealCover) : segs;
  const horizontal = underSeal(mergeScanlines(hFound).filter(thin), false);
  // A vertical rule runs from one horizontal rule to another; a character's stroke does not.
  const reach = Math.max(6, Math.round(width / (contrast ? 125 : 250)));
  // A character's stroke just past the rule's end (the first line of the cell below set tight
  // under the rule) may carry the run up to a character's height beyond the rule it meets (~80 px
  // at 300 dpi: 小二 with its descenders); a divider that truly ends there still ends at that rule.
  const overshoot = Math.max(3 * reach, Math.round(width / 31));
  const endsOn = (v: Segment, rules: readonly Segment[]) => {
    const at = (y: number, above: number, below: number) =>
      rules.some(
        (h) => h.pos >= y - above && h.pos <= y + below && h.from - reach <= v.pos && h.to + reach >= v.pos,
      );
    return at(v.from, reach, overshoot) && at(v.to, overshoot, reach);
  };
  const maxBreak = Math.round(height * BROKEN_GAP);
  const candidates = underSeal(joinBroken(mergeScanlines(vFound).filter(thin), maxBreak), true);
  const vertical = candidates.filter((v) => endsOn(v, horizontal));
  // The table's frame on a curled page: its horizontal rules bend away just before the border and
  // their straight runs stop short of it, so the border seems to end on no rule and the cells
  // beside it never close (bench:ocr, dev seeds, phone photos). A long vertical that long rules
  // stop just short of is met by them: their ends are carried to it.
  const snap = Math.round(width * 0.08);
  const long = (h: Segment) => h.to - h.from >= width * 0.25;
  for (const found of candidates) {
    if (vertical.includes(found) || found.to - found.from < height * 0.3) continue;
    // Its end faded short of the rule it meets (a photo's corner, worn toner): a long vertical is
    // a rule, and a break as long as one between its own pieces (see joinBroken) is closed. The
    // rule it meets may itself stop short of it, as far as the rules met below are carried: on a
    // curled edge both bend away, the frame's end and the rules' (bench:ocr, dev seeds, a chat
    // forward: every rule 130–160 px short of the frame, the frame 24 px short of the last rule).
    const crossing = (y: number) =>
      horizontal
        .filter(
          (h) =>
            long(h) &&
            Math.abs(h.pos - y) <= maxBreak &&
            h.from - snap <= found.pos &&
            h.to + snap >= found.pos,
        )
        .sort((p, q) => Math.abs(p.pos - y) - Math.abs(q.pos - y))[0];
    // The frame at a curled corner bends sideways and its straight piece stops further short: the
    // long rules beyond its end that all end where it stands (none crosses it, as rules cross an
    // inner divider) are the table's, and the frame reaches the farthest of them.
    const endsAt = (h: Segment) =>
      Math.abs(h.from - found.pos) <= 2 * reach || Math.abs(h.to - found.pos) <= 2 * reach;
    const crosses = (h: Segment) => h.from < found.pos - 2 * reach && h.to > found.pos + 2 * reach;
    const frameEnd = (end: number, dir: -1 | 1): number | undefined => {
      const beyond = horizontal.filter(
        (h) => long(h) && (h.pos - end) * dir > maxBreak && (h.pos - end) * dir <= height * FRAME_BEND,
      );
      if (beyond.length === 0 || !beyond.every(endsAt) || beyond.some(crosses)) return undefined;
      return dir < 0 ? Math.min(...beyond.map((h) => h.pos)) : Math.max(...beyond.map((h) => h.pos));
    };
    // A frame bent at a curled corner: its straight run stops short, its short pieces in the
    // columns beside go on towards the rule it meets, which is where it ends — across a break no
    // longer than one closed between a rule's own pieces (the curl's last pieces are too faint).
    const bentTo = (end: number) =>
      horizontal.find(
        (h) =>
          long(h) &&
          Math.abs(h.pos - end) <= maxBreak &&
          h.from - reach <= found.pos &&
          h.to + reach >= found.pos,
      )?.pos;
    const top =
      (found.reach && found.reach.from < found.from - maxBreak ? bentTo(found.reach.from) : undefined) ??
      crossing(found.from)?.pos ??
      frameEnd(found.from, -1);
    const bottom =
      (found.reach && found.reach.to > found.to + maxBreak ? bentTo(found.reach.to) : undefined) ??
      crossing(found.to)?.pos ??
      frameEnd(found.to, 1);
    const v = {
      ...found,
      from: top !== undefined && top < found.from ? top : found.from,
      to: bottom !== undefined && bottom > found.to ? bottom : found.to,
    };
    const met = horizontal.map((h) => {
      if (!long(h) || h.pos < v.from - overshoot || h.pos > v.to + overshoot) return h;
      if (h.to < v.pos - reach && v.pos - h.to <= snap) return { ...h, to: v.pos };
      if (h.from > v.pos + reach && h.from - v.pos <= snap) return { ...h, from: v.pos };
      return h;
    });
    if (!endsOn(v, met)) continue;
    horizontal.splice(0, horizontal.length, ...met);
    vertical.push(v);
  }
  // A horizontal rule is long or ends at a vertical one; a stroke of a large character (一 in a
  // 20 pt label is 100 px) does neither, and would cut its cell in two.
  const touches = (x: number, y: number) =>
    vertical.some((v) => Math.abs(v.pos - x) <= reach && v.from - reach <= y && v.to + reach >= y);
  const rules = horizontal.filter(
    (h) => h.to - h.from >= width * 0.25 || touches(h.from, h.pos) || touches(h.to, h.pos),
  );
  return { horizontal: rules, vertical: vertical.filter((v) => endsOn(v, rules)) };
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
  const detector = opts.detector ?? (opts.inkThreshold === undefined ? 'auto' : 'threshold');
  if (detector !== 'auto') return gridFrom(img, findRulingLines(img, { ...opts, detector }));
  const first = gridFrom(img, findRulingLines(img, { ...opts, detector: 'threshold' }));
  if (plausibleCells(first, img.width) >= FEW_CELLS && !opts.unevenLight) return first;
  // Faint, blurred, shadowed or bent rules (a photo): look again by local contrast.
  const second = gridFrom(img, findRulingLines(img, { ...opts, detector: 'contrast' }));
  return plausibleCells(second, img.width) > plausibleCells(first, img.width) ? second : first;
}

/**
 * Cells wide and high enough to hold a character (1/60 of the page's width: ~40 px at 300 dpi).
 * The edge of a shadow's blob breaks into slivers of "cells" a dozen pixels wide that are no
 * table's: counted, they outnumbered the four true cells of the other look (bench:ocr, dev-1, a
 * chat forward with a shadow over the table).
 */
function plausibleCells(grid: TableGrid | undefined, width: number): number {
  const min = width / 60;
  return (grid?.cells ?? []).filter((c) => (c.box?.w ?? 0) >= min && (c.box?.h ?? 0) >= min).length;
}

function gridFrom(
  img: GreyImage,
  { horizontal, vertical }: { horizontal: Segment[]; vertical: Segment[] },
): TableGrid | undefined {
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
