// Plane-to-plane projective maps (3×3 homographies) and an inverse-mapping warp over raw pixels.
// Written out rather than taken from a library: the warp is a few lines, and owning it lets the
// tests build phone-photo fixtures with a known distortion and undo it exactly.
import { makeRaster, type Raster } from './raster.js';

export interface Point {
  x: number;
  y: number;
}

/** Corners in the order top-left, top-right, bottom-right, bottom-left (as seen upright). */
export type Quad = readonly [Point, Point, Point, Point];

/** Row-major 3×3 matrix: [h0 h1 h2; h3 h4 h5; h6 h7 h8]. */
export type Homography = readonly number[];

/** Solves A·x = b in place by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number))
        pivot = r;
    }
    const p = a[pivot] as number[];
    if (Math.abs(p[col] as number) < 1e-12)
      throw new Error(
        'Expected four points in general position for a homography but received degenerate points',
      );
    [a[col], a[pivot]] = [p, a[col] as number[]];
    [b[col], b[pivot]] = [b[pivot] as number, b[col] as number];
    const rowC = a[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const rowR = a[r] as number[];
      const f = (rowR[col] as number) / (rowC[col] as number);
      if (f === 0) continue;
      for (let k = col; k < n; k++) rowR[k] = (rowR[k] as number) - f * (rowC[k] as number);
      b[r] = (b[r] as number) - f * (b[col] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r] as number[];
    let s = b[r] as number;
    for (let k = r + 1; k < n; k++) s -= (row[k] as number) * (x[k] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}

/** The homography H with H·from[i] = to[i] for the four point pairs. */
export function homographyFromPoints(from: Quad, to: Quad): Homography {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i] as Point;
    const { x: u, y: v } = to[i] as Point;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  return [...solve(a, b), 1];
}

export function applyHomography(h: Homography, p: Point): Point {
  const w = (h[6] as number) * p.x + (h[7] as number) * p.y + (h[8] as number);
  return {
    x: ((h[0] as number) * p.x + (h[1] as number) * p.y + (h[2] as number)) / w,
    y: ((h[3] as number) * p.x + (h[4] as number) * p.y + (h[5] as number)) / w,
  };
}

export function invertHomography(h: Homography): Homography {
  const [a, b, c, d, e, f, g, i, j] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const A = e * j - f * i;
  const B = -(d * j - f * g);
  const C = d * i - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-15) throw new Error('Expected an invertible homography but received a singular one');
  const inv = [
    A,
    -(b * j - c * i),
    b * f - c * e,
    B,
    a * j - c * g,
    -(a * f - c * d),
    C,
    -(a * i - b * g),
    a * e - b * d,
  ];
  const s = inv[8] as number;
  return inv.map((v) => v / (Math.abs(s) > 1e-15 ? s : det));
}

/**
 * Inverse-mapping warp: each output pixel (x, y) takes the bilinear sample of `src` at
 * `outToSrc·(x + ½, y + ½)`; samples outside the source become `background`.
 */
export function warpPerspective(
  src: Raster,
  outToSrc: Homography,
  width: number,
  height: number,
  background = 255,
): Raster {
  const out = makeRaster(width, height, src.channels, background);
  const c = src.channels;
  const sw = src.width;
  const sh = src.height;
  const s = src.data;
  const d = out.data;
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = outToSrc as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let y = 0; y < height; y++) {
    const py = y + 0.5;
    // Incremental along the row: the numerators and the denominator are affine in x.
    let nx = h0 * 0.5 + h1 * py + h2;
    let ny = h3 * 0.5 + h4 * py + h5;
    let dw = h6 * 0.5 + h7 * py + h8;
    for (let x = 0; x < width; x++, nx += h0, ny += h3, dw += h6) {
      const u = nx / dw - 0.5;
      const v = ny / dw - 0.5;
      if (!(u > -1 && v > -1 && u < sw && v < sh)) continue;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      const xa = Math.max(x0, 0);
      const ya = Math.max(y0, 0);
      const xb = x0 + 1 >= sw ? sw - 1 : x0 + 1;
      const yb = y0 + 1 >= sh ? sh - 1 : y0 + 1;
      const o = (y * width + x) * c;
      for (let k = 0; k < c; k++) {
        const p00 = s[(ya * sw + xa) * c + k] as number;
        const p10 = s[(ya * sw + xb) * c + k] as number;
        const p01 = s[(yb * sw + xa) * c + k] as number;
        const p11 = s[(yb * sw + xb) * c + k] as number;
        const top = p00 + (p10 - p00) * fx;
        const bottom = p01 + (p11 - p01) * fx;
        d[o + k] = top + (bottom - top) * fy + 0.5;
      }
    }
  }
  return out;
}

/** The rectangle (0,0)-(w,h) as a quad. */
export function rectQuad(w: number, h: number, x = 0, y = 0): Quad {
  return [
    { x, y },
    { x: x + w, y },
    { x: x + w, y: y + h },
    { x, y: y + h },
  ];
}
