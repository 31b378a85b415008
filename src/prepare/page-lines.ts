// The page in a phone photo from its straight edges: the sheet's four sides are the longest
// straight steps from a darker desk to brighter paper, whatever the light does elsewhere. A
// threshold on brightness fails on a light desk, under a hand's shadow, with glare or vignette;
// the edge between paper and desk survives all of them, because it is local.
//
//   gradients (Sobel on a small copy) → thinned edge pixels with the direction of brightening
//   → Hough votes per side (the normal points into the page: left, top, right and bottom sides
//     are told apart by their polarity) → a few strong lines per side → every combination scored
//     by how much of each side is edge, whether paper lies inside and something darker outside,
//     and whether the quad is an A4 sheet through the camera → the best quad, its sides re-fitted.
// Over 400 lines because edge finding, line fitting and the scoring of candidate quads are one
// algorithm whose steps only make sense together.
import type { Point, Quad } from './homography.js';
import { boxBlur, type Raster } from './raster.js';

export interface EdgeMap {
  width: number;
  height: number;
  /** Blurred luma. */
  lum: Float32Array;
  /** Gradient magnitude after thinning (0 off the edge ridge). */
  mag: Float32Array;
  /** Direction of brightening, radians in (−π, π]. */
  dir: Float32Array;
  /** Magnitude above which a thinned pixel counts as edge. */
  threshold: number;
}

/** Sobel gradients of the blurred luma, thinned to one pixel across (non-maximum suppression). */
export function edgeMap(grey: Raster): EdgeMap {
  const { width: W, height: H } = grey;
  const lum = boxBlur(grey.data, W, H, 1);
  const raw = new Float32Array(W * H);
  const dir = new Float32Array(W * H);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      const a = lum[i - W - 1] as number;
      const b = lum[i - W] as number;
      const c = lum[i - W + 1] as number;
      const d = lum[i - 1] as number;
      const f = lum[i + 1] as number;
      const g = lum[i + W - 1] as number;
      const h = lum[i + W] as number;
      const k = lum[i + W + 1] as number;
      const gx = (c + 2 * f + k - a - 2 * d - g) / 8;
      const gy = (g + 2 * h + k - a - 2 * b - c) / 8;
      raw[i] = Math.hypot(gx, gy);
      dir[i] = Math.atan2(gy, gx);
    }
  }
  const mag = new Float32Array(W * H);
  const hist = new Uint32Array(256);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      const m = raw[i] as number;
      if (m < 1) continue;
      // Neighbours along the gradient, quantised to 4 directions.
      const t = dir[i] as number;
      const ax = Math.abs(Math.cos(t));
      const ay = Math.abs(Math.sin(t));
      let o: number;
      if (ax > 0.924) o = 1;
      else if (ay > 0.924) o = W;
      else o = Math.cos(t) * Math.sin(t) > 0 ? W + 1 : W - 1;
      if (m < (raw[i - o] as number) || m < (raw[i + o] as number)) continue;
      // A region's boundary, not a line: the step must still be there 5 px either side. The edges
      // of ruling lines and text strokes (dark with paper on both sides) are dropped, so the
      // table, strongest of all, does not crowd the page's own sides out of the votes.
      const cx = Math.cos(t);
      const cy = Math.sin(t);
      const x3 = Math.round(x + 5 * cx);
      const y3 = Math.round(y + 5 * cy);
      const xm = Math.round(x - 5 * cx);
      const ym = Math.round(y - 5 * cy);
      if (x3 >= 0 && y3 >= 0 && x3 < W && y3 < H && xm >= 0 && ym >= 0 && xm < W && ym < H) {
        const far = (lum[y3 * W + x3] as number) - (lum[ym * W + xm] as number);
        const near =
          (lum[Math.round(y + cy) * W + Math.round(x + cx)] as number) -
          (lum[Math.round(y - cy) * W + Math.round(x - cx)] as number);
        if (far < Math.max(3, 0.6 * near)) continue;
      }
      mag[i] = m;
      const bin = Math.min(255, Math.round(m));
      hist[bin] = (hist[bin] as number) + 1;
    }
  }
  // Thinned edge pixels stronger than most: the page side is among the strongest steps.
  let total = 0;
  for (let v = 0; v < 256; v++) total += hist[v] as number;
  let acc = 0;
  let p60 = 255;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] as number;
    if (acc >= total * 0.6) {
      p60 = v;
      break;
    }
  }
  return { width: W, height: H, lum, mag, dir, threshold: Math.max(2.5, p60) };
}

interface HoughLine {
  /** Normal angle in degrees (the direction of brightening, into the page). */
  theta: number;
  /** n·p = rho. */
  rho: number;
  nx: number;
  ny: number;
  votes: number;
}

/** Side families by the direction of the normal: left (page to the right), top, right, bottom. */
const FAMILIES = [0, 90, 180, 270] as const;
const FAMILY_SPREAD = 40;
/** Lines within this many degrees of each other count as one direction for MAX_PARALLEL. */
const PARALLEL_SPREAD = 2;
const MAX_PARALLEL = 6;

function houghLines(e: EdgeMap, perFamily: number): HoughLine[][] {
  const { width: W, height: H, mag, dir, threshold } = e;
  const D = Math.ceil(Math.hypot(W, H));
  const R = 2 * D + 1;
  const acc = new Float32Array(360 * R);
  const cos = new Float64Array(360);
  const sin = new Float64Array(360);
  for (let t = 0; t < 360; t++) {
    cos[t] = Math.cos((t * Math.PI) / 180);
    sin[t] = Math.sin((t * Math.PI) / 180);
  }
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      // Faint steps vote too, less: the side of a sheet on a light desk is long but weak.
      const m = mag[i] as number;
      if (m < Math.max(1.5, threshold * 0.35)) continue;
      const w = Math.min(1, (2 * m) / threshold);
      const deg = Math.round(((dir[i] as number) * 180) / Math.PI);
      // Sobel directions lean towards the axes on a staircase edge: vote a few degrees either way.
      for (let k = -4; k <= 4; k++) {
        const t = (((deg + k) % 360) + 360) % 360;
        const rho = Math.round(x * (cos[t] as number) + y * (sin[t] as number)) + D;
        acc[t * R + rho] = (acc[t * R + rho] as number) + w;
      }
    }
  }
  // Few votes are enough to be a candidate (the scoring decides): a sheet's side on a checked cloth
  // steps only where a dark square meets it, and its weak steps vote less (0.12 of the short side
  // left the sides of such a sheet out, and another quad was taken).
  const minVotes = Math.max(10, Math.round(Math.min(W, H) * 0.05));
  return FAMILIES.map((f) => {
    const cands: { t: number; r: number; v: number }[] = [];
    for (let k = -FAMILY_SPREAD; k <= FAMILY_SPREAD; k++) {
      const t = (((f + k) % 360) + 360) % 360;
      for (let r = 0; r < R; r++) {
        const v = acc[t * R + r] as number;
        if (v >= minVotes) cands.push({ t, r, v });
      }
    }
    cands.sort((a, b) => b.v - a.v);
    const kept: HoughLine[] = [];
    for (const c of cands) {
      if (kept.length >= perFamily) break;
      const near = kept.some((l) => {
        const dt = Math.abs(((c.t - l.theta + 540) % 360) - 180);
        return dt <= 4 && Math.abs(c.r - D - l.rho) <= 12;
      });
      if (near) continue;
      // A checked cloth or a wood grain gives many long parallel lines, each with more votes than
      // a sheet's side lying a few degrees off them: past a few of one angle, others get the room.
      const parallel = kept.filter((l) => Math.abs(((c.t - l.theta + 540) % 360) - 180) <= PARALLEL_SPREAD);
      if (parallel.length >= MAX_PARALLEL) continue;
      kept.push({
        theta: c.t,
        rho: c.r - D,
        nx: cos[c.t] as number,
        ny: sin[c.t] as number,
        votes: c.v,
      });
    }
    return kept;
  });
}

/**
 * Per line, along its whole length (parameter s along the direction (−ny, nx), from −D): prefix
 * sums of 'edge here' (an edge pixel with the same polarity within 2 px) and 'paper inside,
 * darker outside'. A side's share of either is then a difference of two prefix sums.
 */
interface LineProfile {
  line: HoughLine;
  D: number;
  /** Prefix sums over s = −D … D of evidence (1 per sample, 0.5 outside the frame). */
  edge: Float32Array;
  contrast: Float32Array;
  /** Both at once, 0 outside the frame: for the line's extension beyond a corner. */
  both: Float32Array;
  /** Edges of any direction in the band just inside (a sheet's margin is bare paper; a cloth is not). */
  busy: Float32Array;
}

function profile(e: EdgeMap, line: HoughLine): LineProfile {
  const { width: W, height: H, mag, dir, lum, threshold } = e;
  const D = Math.ceil(Math.hypot(W, H));
  const n = 2 * D + 1;
  const edge = new Float32Array(n + 1);
  const contrast = new Float32Array(n + 1);
  const both = new Float32Array(n + 1);
  const busy = new Float32Array(n + 1);
  const { nx, ny, rho } = line;
  const dx = -ny;
  const dy = nx;
  const theta = Math.atan2(ny, nx);
  // Any clear step with the side's polarity is evidence: a sheet on a light desk or a paper pile
  // has a faint edge, and the direction, not the strength, tells it from the texture around.
  const weak = Math.max(1.5, threshold * 0.35);
  const inFrame = (x: number, y: number) => x >= 1 && y >= 1 && x < W - 1 && y < H - 1;
  const at = (x: number, y: number) => lum[Math.round(y) * W + Math.round(x)] as number;
  for (let k = 0; k < n; k++) {
    const s = k - D;
    const px = nx * rho + dx * s;
    const py = ny * rho + dy * s;
    let ev = 0.5;
    let cv = 0.5;
    let bv = 0;
    if (inFrame(px, py)) {
      // The margin inside the side, 5–15 px in: any edge there at all.
      for (let o = INNER_FROM; o <= INNER_TO && bv === 0; o++) {
        const x = Math.round(px + nx * o);
        const y = Math.round(py + ny * o);
        if (inFrame(x, y) && (mag[y * W + x] as number) >= weak) bv = 1;
      }
      ev = 0;
      for (let o = -2; o <= 2 && ev === 0; o++) {
        const x = Math.round(px + nx * o);
        const y = Math.round(py + ny * o);
        if (!inFrame(x, y)) continue;
        const i = y * W + x;
        if ((mag[i] as number) < weak) continue;
        const dt = Math.abs((((dir[i] as number) - theta + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
        if (dt < 0.35) ev = 1;
      }
      // Paper inside, something darker outside: mean luma of a band 3–11 px either side (a
      // pattern on the desk averages out; a ruling line has paper on both sides).
      let inner = 0;
      let outer = 0;
      let count = 0;
      for (let o = 3; o <= 11; o += 2) {
        const ix = px + nx * o;
        const iy = py + ny * o;
        const ox = px - nx * o;
        const oy = py - ny * o;
        if (!inFrame(ix, iy) || !inFrame(ox, oy)) break;
        inner += at(ix, iy);
        outer += at(ox, oy);
        count++;
      }
      if (count >= 2) cv = inner > outer * 1.06 + 3 * count ? 1 : 0;
    }
    edge[k + 1] = (edge[k] as number) + ev;
    contrast[k + 1] = (contrast[k] as number) + cv;
    both[k + 1] = (both[k] as number) + (ev === 1 && cv === 1 ? 1 : 0);
    busy[k + 1] = (busy[k] as number) + bv;
  }
  return { line, D, edge, contrast, both, busy };
}

/** The band inside a side looked at for edges (px on the working copy): clear of the side's own blur. */
const INNER_FROM = 5;
const INNER_TO = 15;
/** How much a busy margin counts against a side (against 1 for a side all edge with paper inside). */
const BUSY_WEIGHT = 0.3;

function intersect(a: HoughLine, b: HoughLine): Point | null {
  const det = a.nx * b.ny - a.ny * b.nx;
  if (Math.abs(det) < 1e-6) return null;
  return { x: (a.rho * b.ny - a.ny * b.rho) / det, y: (a.nx * b.rho - a.rho * b.nx) / det };
}

/** Share of the side from p to q (both on the line) with evidence, over its middle 90 %. */
function share(prof: LineProfile, sums: Float32Array, p: Point, q: Point): number {
  const { line, D } = prof;
  const sp = -line.ny * p.x + line.nx * p.y;
  const sq = -line.ny * q.x + line.nx * q.y;
  const lo = Math.min(sp, sq);
  const hi = Math.max(sp, sq);
  const len = hi - lo;
  return span(sums, D, lo + len * 0.05, hi - len * 0.05);
}

function span(sums: Float32Array, D: number, from: number, to: number): number {
  const a = Math.max(0, Math.min(2 * D, Math.round(from) + D));
  const b = Math.max(0, Math.min(2 * D, Math.round(to) + D));
  if (b <= a) return 0;
  return ((sums[b + 1] as number) - (sums[a] as number)) / (b - a + 1);
}

/**
 * Evidence on the line beyond both corners (a fifth of the side each way, 4 px clear of the
 * corner): a sheet's side stops at its corner, a line of a checked cloth or a wood grain runs on.
 */
function overshoot(prof: LineProfile, p: Point, q: Point): number {
  const { line, D, both } = prof;
  const sp = -line.ny * p.x + line.nx * p.y;
  const sq = -line.ny * q.x + line.nx * q.y;
  const lo = Math.min(sp, sq);
  const hi = Math.max(sp, sq);
  const ext = (hi - lo) * 0.2;
  return (span(both, D, lo - 4 - ext, lo - 4) + span(both, D, hi + 4, hi + 4 + ext)) / 2;
}

function polygonArea(q: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i] as Point;
    const b = q[(i + 1) % q.length] as Point;
    s += a.x * b.y - b.x * a.y;
  }
  return s / 2;
}

function angleAt(q: readonly Point[], i: number): number {
  const p = q[i] as Point;
  const a = q[(i + 3) % 4] as Point;
  const b = q[(i + 1) % 4] as Point;
  const v1x = a.x - p.x;
  const v1y = a.y - p.y;
  const v2x = b.x - p.x;
  const v2y = b.y - p.y;
  const c = (v1x * v2x + v1y * v2y) / (Math.hypot(v1x, v1y) * Math.hypot(v2x, v2y));
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}

export interface LineQuad {
  /** TL, TR, BR, BL as seen in the image (working pixels). */
  quad: Quad;
  score: number;
  /** Edge and contrast shares per side (left, top, right, bottom), and evidence beyond the corners. */
  sides: { edge: number; contrast: number; beyond: number; busy: number }[];
  area: number;
}

export interface PageLinesOptions {
  /** Lines kept per side. */
  perSide?: number;
  /** Largest deviation from the A4 aspect (as a ratio) for a quad to count as a page. */
  aspectTolerance?: number;
  /**
   * Height/width of the rectangle behind a quad seen through the camera, or null when the view is
   * too frontal to tell (then the side lengths are used).
   */
  aspect?: (quad: Quad, width: number, height: number) => number | null;
}

function sideRatio(q: Quad): number {
  const d = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);
  const [tl, tr, br, bl] = q;
  return (d(tl, bl) + d(tr, br)) / (d(tl, tr) + d(bl, br));
}

/**
 * The page as the best-supported quad of straight edges in a small greyscale copy of the photo
 * (working pixels). Null when no four lines make a plausible sheet.
 */
export function pageFromLines(grey: Raster, opts: PageLinesOptions = {}): LineQuad | null {
  const e = edgeMap(grey);
  const { width: W, height: H } = e;
  const families = houghLines(e, opts.perSide ?? 14);
  if (families.some((f) => f.length === 0)) return null;
  const profiles = families.map((f) => f.map((l) => profile(e, l)));
  const [lefts, tops, rights, bottoms] = profiles as [
    LineProfile[],
    LineProfile[],
    LineProfile[],
    LineProfile[],
  ];
  const tolerance = opts.aspectTolerance ?? 0.16;
  const margin = 0.08 * Math.max(W, H);
  let best: LineQuad | null = null;
  for (const L of lefts) {
    for (const T of tops) {
      const tl = intersect(T.line, L.line);
      if (!tl) continue;
      for (const Rt of rights) {
        const tr = intersect(T.line, Rt.line);
        if (!tr || tr.x <= tl.x) continue;
        for (const B of bottoms) {
          const br = intersect(B.line, Rt.line);
          const bl = intersect(B.line, L.line);
          if (!br || !bl) continue;
          const q: Point[] = [tl, tr, br, bl];
          if (q.some((p) => p.x < -margin || p.y < -margin || p.x > W + margin || p.y > H + margin)) continue;
          const area = polygonArea(q);
          if (area < W * H * 0.15) continue;
          let ok = true;
          for (let i = 0; i < 4 && ok; i++) {
            const a = angleAt(q, i);
            if (a < 50 || a > 130) ok = false;
          }
          if (!ok) continue;
          const quad: Quad = [tl, tr, br, bl];
          const measured = sideRatio(quad);
          const est = opts.aspect?.(quad, W, H) ?? null;
          // A quad that is no projection of a rectangle through a centred lens gives a wild estimate.
          const ratio = est && est / measured < 1.3 && measured / est < 1.3 ? est : measured;
          const hw = ratio > 1 ? ratio : 1 / ratio;
          const off = Math.abs(Math.log(hw / Math.SQRT2));
          if (off > Math.log(1 + tolerance)) continue;
          const sides = [
            { p: L, a: bl, b: tl },
            { p: T, a: tl, b: tr },
            { p: Rt, a: tr, b: br },
            { p: B, a: br, b: bl },
          ].map(({ p, a, b }) => ({
            edge: share(p, p.edge, a, b),
            contrast: share(p, p.contrast, a, b),
            beyond: overshoot(p, a, b),
            busy: share(p, p.busy, a, b),
          }));
          // A line of a checked cloth beside the sheet has the cloth inside it too.
          const per = sides.map((s) => s.edge * s.contrast - 0.5 * s.beyond - BUSY_WEIGHT * s.busy);
          const min = Math.min(...per);
          const mean = per.reduce((s, v) => s + v, 0) / 4;
          const score = (min + mean) / 2 + 0.15 * (area / (W * H)) - 0.3 * off;
          if (!best || score > best.score) best = { quad, score, sides, area: area / (W * H) };
        }
      }
    }
  }
  if (!best) return null;
  return { ...best, quad: refineSides(e, best.quad) };
}

/** Re-fits each side to the thinned edge pixels of its polarity near it (middle 80 %). */
function refineSides(e: EdgeMap, quad: Quad): Quad {
  const { width: W, mag, dir, threshold } = e;
  const lines: { nx: number; ny: number; d: number }[] = [];
  for (let i = 0; i < 4; i++) {
    // Side i runs from corner i−1 to corner i for the left side (BL→TL), then TL→TR, TR→BR, BR→BL.
    const a = quad[(i + 3) % 4] as Point;
    const b = quad[i] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    // Inward normal: the quad is clockwise on screen, so inward is (−uy, ux).
    let nx = -uy;
    let ny = ux;
    let d = nx * a.x + ny * a.y;
    const theta = Math.atan2(ny, nx);
    for (const tol of [2.5, 1.5]) {
      let n = 0;
      let mx = 0;
      let my = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      const pts: number[] = [];
      const steps = Math.ceil(len * 0.8);
      for (let k = 0; k <= steps; k++) {
        const t = len * 0.1 + k;
        const cx = a.x + ux * t;
        const cy = a.y + uy * t;
        const off = nx * cx + ny * cy - d;
        for (let o = -Math.ceil(tol); o <= Math.ceil(tol); o++) {
          const x = Math.round(cx - nx * off + nx * o);
          const y = Math.round(cy - ny * off + ny * o);
          if (x < 1 || y < 1 || x >= W - 1 || y >= e.height - 1) continue;
          const idx = y * W + x;
          if ((mag[idx] as number) < threshold * 0.7) continue;
          if (Math.abs(nx * x + ny * y - d) > tol) continue;
          const dt = Math.abs((((dir[idx] as number) - theta + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
          if (dt > 0.35) continue;
          pts.push(x, y);
        }
      }
      for (let j = 0; j < pts.length; j += 2) {
        mx += pts[j] as number;
        my += pts[j + 1] as number;
        n++;
      }
      if (n < 10) break;
      mx /= n;
      my /= n;
      for (let j = 0; j < pts.length; j += 2) {
        const x = (pts[j] as number) - mx;
        const y = (pts[j + 1] as number) - my;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
      }
      const th = 0.5 * Math.atan2(2 * sxy, sxx - syy);
      let fx = -Math.sin(th);
      let fy = Math.cos(th);
      if (fx * nx + fy * ny < 0) {
        fx = -fx;
        fy = -fy;
      }
      nx = fx;
      ny = fy;
      d = nx * mx + ny * my;
    }
    lines.push({ nx, ny, d });
  }
  const out: Point[] = [];
  for (let i = 0; i < 4; i++) {
    // Corner i joins side i (ending at it) and side i+1 (starting at it).
    const p = lines[i] as { nx: number; ny: number; d: number };
    const q = lines[(i + 1) % 4] as { nx: number; ny: number; d: number };
    const det = p.nx * q.ny - p.ny * q.nx;
    if (Math.abs(det) < 1e-9) return quad;
    out.push({ x: (p.d * q.ny - p.ny * q.d) / det, y: (p.nx * q.d - p.d * q.nx) / det });
  }
  return [out[0] as Point, out[1] as Point, out[2] as Point, out[3] as Point];
}

/** Edge and contrast shares of each side of a quad (left, top, right, bottom) in a small copy. */
export function quadEvidence(
  grey: Raster,
  quad: Quad,
  e: EdgeMap = edgeMap(grey),
): { edge: number; contrast: number; beyond: number }[] {
  const sides: [Point, Point][] = [
    [quad[3], quad[0]],
    [quad[0], quad[1]],
    [quad[1], quad[2]],
    [quad[2], quad[3]],
  ];
  return sides.map(([a, b]) => {
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const nx = -(b.y - a.y) / len;
    const ny = (b.x - a.x) / len;
    const theta = (Math.atan2(ny, nx) * 180) / Math.PI;
    const line: HoughLine = { theta, rho: nx * a.x + ny * a.y, nx, ny, votes: 0 };
    const p = profile(e, line);
    return { edge: share(p, p.edge, a, b), contrast: share(p, p.contrast, a, b), beyond: overshoot(p, a, b) };
  });
}
