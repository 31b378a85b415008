// Skew estimation by projection profiles. Table rules and text lines make the row (and column)
// projections of the ink sharpest when the page is level; the search maximises that sharpness.
// Both axes are scored, so the estimate also holds for a page lying on its side (the orientation
// step runs after this one) and for pages whose only long lines are vertical.
import { type Raster, rotateSmall, SCAN_EDGE_SHARE, shrinkTo, toGrey } from './raster.js';

export interface SkewEstimate {
  /** Clockwise rotation of the content in degrees (sharp.rotate(-angle) levels it). */
  angle: number;
  /** 0 (flat score: blank page, no lines) to 1 (one sharp peak). */
  confidence: number;
}

export interface DeskewOptions {
  /** Search range in degrees either side of level; scans and flattened photos stay within ±5°. */
  maxAngle?: number;
  /** Long side of the working copy in pixels: sets the precision (atan(1/side) ≈ 0.05° at 1200). */
  workingSize?: number;
}

interface InkPoints {
  xs: Float32Array;
  ys: Float32Array;
  ws: Float32Array;
  n: number;
  width: number;
  height: number;
}

/** Dark pixels as (x, y, darkness) about the image centre. */
function inkPoints(grey: Raster): InkPoints {
  const { width, height, data } = grey;
  const mx = Math.round(width * SCAN_EDGE_SHARE);
  const my = Math.round(height * SCAN_EDGE_SHARE);
  const inside = (x: number, y: number) => x >= mx && x < width - mx && y >= my && y < height - my;
  let n = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if ((data[y * width + x] as number) < 160 && inside(x, y)) n++;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  const ws = new Float32Array(n);
  const cx = width / 2;
  const cy = height / 2;
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x] as number;
      if (v >= 160 || !inside(x, y)) continue;
      xs[k] = x - cx;
      ys[k] = y - cy;
      ws[k] = (160 - v) / 160;
      k++;
    }
  }
  return { xs, ys, ws, n, width, height };
}

function everyNth(p: InkPoints, n: number): InkPoints {
  const m = Math.ceil(p.n / n);
  const xs = new Float32Array(m);
  const ys = new Float32Array(m);
  const ws = new Float32Array(m);
  for (let i = 0, k = 0; i < p.n; i += n, k++) {
    xs[k] = p.xs[i] as number;
    ys[k] = p.ys[i] as number;
    ws[k] = p.ws[i] as number;
  }
  return { xs, ys, ws, n: m, width: p.width, height: p.height };
}

/** Sum of squared projection bins along rows and columns for a content rotation of `deg`. */
function sharpness(p: InkPoints, deg: number, rows: Float64Array, cols: Float64Array): number {
  const t = Math.tan((deg * Math.PI) / 180);
  rows.fill(0);
  cols.fill(0);
  const offR = rows.length / 2;
  const offC = cols.length / 2;
  const { xs, ys, ws, n } = p;
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    const w = ws[i] as number;
    // Linear interpolation between bins keeps the score smooth in the angle (sub-pixel precision).
    const r = y - x * t + offR;
    const r0 = Math.floor(r);
    const fr = r - r0;
    if (r0 >= 0 && r0 + 1 < rows.length) {
      rows[r0] = (rows[r0] as number) + w * (1 - fr);
      rows[r0 + 1] = (rows[r0 + 1] as number) + w * fr;
    }
    const c = x + y * t + offC;
    const c0 = Math.floor(c);
    const fc = c - c0;
    if (c0 >= 0 && c0 + 1 < cols.length) {
      cols[c0] = (cols[c0] as number) + w * (1 - fc);
      cols[c0 + 1] = (cols[c0 + 1] as number) + w * fc;
    }
  }
  let s = 0;
  for (let i = 0; i < rows.length; i++) s += (rows[i] as number) ** 2;
  for (let i = 0; i < cols.length; i++) s += (cols[i] as number) ** 2;
  return s;
}

/** Estimates the skew angle of a page (any channel count) within ±maxAngle. */
export async function estimateSkew(image: Raster, opts: DeskewOptions = {}): Promise<SkewEstimate> {
  const maxAngle = opts.maxAngle ?? 5;
  const { image: small } = await shrinkTo(toGrey(image), opts.workingSize ?? 1400);
  const pts = inkPoints(small);
  if (pts.n < 50) return { angle: 0, confidence: 0 };
  const diag = Math.ceil(Math.hypot(small.width, small.height)) + 4;
  const rows = new Float64Array(diag);
  const cols = new Float64Array(diag);
  const score = (a: number) => sharpness(pts, a, rows, cols);
  // The coarse pass only has to land within a step of the peak: every fourth ink point places it
  // as well as all of them, at a quarter of the cost (the fine passes use every point).
  const sparse = everyNth(pts, 4);
  const coarseScore = (a: number) => sharpness(sparse, a, rows, cols);

  // Coarse pass, then two finer passes around the best angle.
  let best = 0;
  let bestCoarse = -1;
  const coarse: number[] = [];
  for (let a = -maxAngle; a <= maxAngle + 1e-9; a += 0.25) {
    const s = coarseScore(a);
    coarse.push(s);
    if (s > bestCoarse) {
      bestCoarse = s;
      best = a;
    }
  }
  let bestScore = score(best);
  for (const step of [0.05, 0.01]) {
    const from = best - step * 5;
    for (let k = 0; k <= 10; k++) {
      const a = from + k * step;
      if (Math.abs(a) > maxAngle + 0.25) continue;
      const s = score(a);
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
  }
  const sorted = [...coarse].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const peak = coarseScore(best);
  const confidence = peak > 0 ? Math.max(0, Math.min(1, (peak - median) / peak / 0.5)) : 0;
  return { angle: Math.round(best * 100) / 100, confidence };
}

/** Levels a page: estimates its skew and rotates it back, keeping the canvas size. */
export async function deskew(
  image: Raster,
  opts: DeskewOptions = {},
): Promise<{ image: Raster; skew: SkewEstimate }> {
  const skew = await estimateSkew(image, opts);
  if (skew.confidence === 0 || Math.abs(skew.angle) < 0.02) return { image, skew };
  return { image: await rotateSmall(image, -skew.angle), skew };
}
