// Pixel work the samples need and sharp does not offer: a perspective (homography) warp by inverse
// mapping, seeded noise, ink compositing with a multiply blend, uneven light. Images are plain
// interleaved 8-bit buffers so every step is deterministic and its geometry is known exactly —
// which is what lets the ground truth say where each seal ended up.
import sharp, { type Sharp } from 'sharp';
import type { Random } from './random.js';

export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Interleaved samples; clamped so arithmetic never wraps around. */
  data: Uint8ClampedArray;
}

export type Point = readonly [number, number];
/** Row-major 3×3 matrix acting on column vectors (x, y, 1). */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export function createRaster(
  width: number,
  height: number,
  channels: 1 | 3,
  fill: readonly number[],
): Raster {
  const data = new Uint8ClampedArray(width * height * channels);
  for (let i = 0; i < data.length; i += channels)
    for (let c = 0; c < channels; c++) data[i + c] = fill[c] ?? 0;
  return { width, height, channels, data };
}

export async function readRaster(file: string | Buffer): Promise<Raster> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 && info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
  return {
    width: info.width,
    height: info.height,
    channels: info.channels,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  };
}

/** `pageHeight` marks a stack of equal pages (for multi-page TIFF output). */
export function toSharp(r: Raster, pageHeight?: number): Sharp {
  return sharp(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length), {
    raw: { width: r.width, height: r.height, channels: r.channels, ...(pageHeight ? { pageHeight } : {}) },
  });
}

export function toRgb(r: Raster): Raster {
  if (r.channels === 3) return r;
  const out = new Uint8ClampedArray(r.width * r.height * 3);
  for (let i = 0, j = 0; i < r.data.length; i++, j += 3) {
    const v = r.data[i] as number;
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
  }
  return { width: r.width, height: r.height, channels: 3, data: out };
}

/** BT.601 luma, as a scanner's greyscale mode computes it: a red seal turns mid-grey. */
export function toGrey(r: Raster): Raster {
  if (r.channels === 1) return r;
  const out = new Uint8ClampedArray(r.width * r.height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] =
      0.299 * (r.data[j] as number) + 0.587 * (r.data[j + 1] as number) + 0.114 * (r.data[j + 2] as number);
  }
  return { width: r.width, height: r.height, channels: 1, data: out };
}

export async function blur(r: Raster, sigma: number): Promise<Raster> {
  if (sigma < 0.3) return r;
  // Without the explicit colourspace sharp hands a one-channel image back as three sRGB channels.
  const s = r.channels === 1 ? toSharp(r).toColourspace('b-w') : toSharp(r);
  const { data, info } = await s.blur(sigma).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== r.channels || info.width !== r.width)
    throw new Error('blur changed the image layout');
  return { ...r, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
}

/**
 * Adds Gaussian noise. Drawing a fresh normal deviate per sample (Box-Muller: log, sqrt, cos) costs
 * seconds per colour page, so deviates come from a table filled by `rng` and are picked by a cheap
 * xorshift stream seeded from it: still deterministic, about 20× faster.
 */
export function addNoise(r: Raster, rng: Random, sigma: number): void {
  const table = new Float32Array(8192);
  for (let i = 0; i < table.length; i++) table[i] = sigma * rng.gauss();
  let x = Math.floor(rng.next() * 0xffffffff) | 1;
  const d = r.data;
  if (r.channels === 1) {
    for (let i = 0; i < d.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      d[i] = (d[i] as number) + (table[x & 8191] as number);
    }
    return;
  }
  // Sensor noise is mostly luminance; a little independent chroma keeps it from looking synthetic.
  for (let i = 0; i < d.length; i += 3) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const n = table[x & 8191] as number;
    const cr = 0.3 * (table[(x >>> 13) & 8191] as number);
    const cb = 0.3 * (table[(x >>> 19) & 8191] as number);
    d[i] = (d[i] as number) + n + cr;
    d[i + 1] = (d[i + 1] as number) + n;
    d[i + 2] = (d[i + 2] as number) + n + cb;
  }
}

/** Scanner thresholding to 1 bit (values 0 / 255), as for a CCITT G4 TIFF. */
export function threshold(r: Raster, level: number): Raster {
  const g = toGrey(r);
  const out = new Uint8ClampedArray(g.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (g.data[i] as number) < level ? 0 : 255;
  return { ...g, data: out };
}

// ---- geometry -------------------------------------------------------------------------------

export function applyMat(m: Mat3, p: Point): Point {
  const w = m[6] * p[0] + m[7] * p[1] + m[8];
  return [(m[0] * p[0] + m[1] * p[1] + m[2]) / w, (m[3] * p[0] + m[4] * p[1] + m[5]) / w];
}

export function invertMat(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error('singular matrix');
  const k = 1 / det;
  return [
    A * k,
    -(b * i - c * h) * k,
    (b * f - c * e) * k,
    B * k,
    (a * i - c * g) * k,
    -(a * f - c * d) * k,
    C * k,
    -(a * h - b * g) * k,
    (a * e - b * d) * k,
  ];
}

/** The homography taking each `from[i]` to `to[i]` (four point pairs, no three collinear). */
export function homography(from: readonly Point[], to: readonly Point[]): Mat3 {
  // Eight unknowns (h33 = 1), two equations per correspondence; Gaussian elimination with pivoting.
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as Point;
    const [u, v] = to[i] as Point;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) {
      if (Math.abs((rows[r] as number[])[col] as number) > Math.abs((rows[pivot] as number[])[col] as number))
        pivot = r;
    }
    [rows[col], rows[pivot]] = [rows[pivot] as number[], rows[col] as number[]];
    const p = rows[col] as number[];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = rows[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      for (let k = col; k < 9; k++) row[k] = (row[k] as number) - f * (p[k] as number);
    }
  }
  const h = rows.map((row, i) => (row[8] as number) / (row[i] as number));
  return [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1] as unknown as Mat3;
}

/** Rotation by `deg` clockwise (as seen on screen, y down) about the image centre, same canvas size. */
export function rotationAbout(width: number, height: number, deg: number): Mat3 {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const cx = width / 2;
  const cy = height / 2;
  return [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0, 0, 1];
}

/**
 * Warps `src` into a new `width`×`height` image. `forward` maps source pixel coordinates to output
 * coordinates; each output pixel is filled by inverse mapping and bilinear sampling, so no holes
 * appear. Samples outside the source take `background`, which also anti-aliases the page edge.
 */
export function warp(
  src: Raster,
  forward: Mat3,
  width: number,
  height: number,
  background: readonly number[],
): Raster {
  const inv = invertMat(forward);
  const ch = src.channels;
  const out = new Uint8ClampedArray(width * height * ch);
  const sw = src.width;
  const sh = src.height;
  const sd = src.data;
  const bg = Array.from({ length: ch }, (_, c) => background[c] ?? 255);
  const [a, b, c0, d, e, f, g, h, i] = inv;
  const row = sw * ch;
  // Neighbours outside the source read as background; only the page's rim takes this slow path.
  const at = (sx: number, sy: number, k: number): number =>
    sx >= 0 && sy >= 0 && sx < sw && sy < sh ? (sd[(sy * sw + sx) * ch + k] as number) : (bg[k] as number);
  for (let y = 0; y < height; y++) {
    const yc = y + 0.5;
    for (let x = 0; x < width; x++) {
      const xc = x + 0.5;
      const w = g * xc + h * yc + i;
      const u = (a * xc + b * yc + c0) / w - 0.5;
      const v = (d * xc + e * yc + f) / w - 0.5;
      const o = (y * width + x) * ch;
      if (u < -1 || v < -1 || u > sw || v > sh) {
        for (let k = 0; k < ch; k++) out[o + k] = bg[k] as number;
        continue;
      }
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
        const s00 = (y0 * sw + x0) * ch;
        for (let k = 0; k < ch; k++) {
          out[o + k] =
            w00 * (sd[s00 + k] as number) +
            w10 * (sd[s00 + ch + k] as number) +
            w01 * (sd[s00 + row + k] as number) +
            w11 * (sd[s00 + row + ch + k] as number);
        }
      } else {
        for (let k = 0; k < ch; k++) {
          out[o + k] =
            w00 * at(x0, y0, k) +
            w10 * at(x0 + 1, y0, k) +
            w01 * at(x0, y0 + 1, k) +
            w11 * at(x0 + 1, y0 + 1, k);
        }
      }
    }
  }
  return { width, height, channels: ch, data: out };
}

// ---- ink and light --------------------------------------------------------------------------

/** An ink layer: per-pixel density 0..1 over a `size`×`size` square. */
export interface InkMap {
  size: number;
  density: Float32Array;
}

/**
 * Lays ink of `colour` on an RGB page with a multiply blend (stamp ink is translucent: the black
 * text under a seal stays black), the ink square's top-left corner at (x0, y0).
 */
export function stampInk(
  page: Raster,
  ink: InkMap,
  x0: number,
  y0: number,
  colour: readonly [number, number, number],
) {
  if (page.channels !== 3) throw new Error('stampInk needs an RGB page');
  const k = colour.map((c) => 1 - c / 255);
  for (let y = 0; y < ink.size; y++) {
    const py = y0 + y;
    if (py < 0 || py >= page.height) continue;
    for (let x = 0; x < ink.size; x++) {
      const px = x0 + x;
      if (px < 0 || px >= page.width) continue;
      const dd = ink.density[y * ink.size + x] as number;
      if (dd <= 0) continue;
      const o = (py * page.width + px) * 3;
      for (let c = 0; c < 3; c++)
        page.data[o + c] = (page.data[o + c] as number) * (1 - dd * (k[c] as number));
    }
  }
}

/**
 * Multiplies each pixel by a smooth light field: a linear gradient across the frame, a vignette
 * towards the corners and a colour cast — what a phone photo under a desk lamp looks like.
 */
export function unevenLight(
  r: Raster,
  opts: { gradient: Point; vignette: number; cast: readonly [number, number, number]; base: number },
): void {
  const { width, height, channels } = r;
  const cx = width / 2;
  const cy = height / 2;
  const diag2 = cx * cx + cy * cy;
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const light =
        opts.base *
        (1 + opts.gradient[0] * (dx / cx) + opts.gradient[1] * (dy / cy)) *
        (1 - opts.vignette * ((dx * dx + dy * dy) / diag2));
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        r.data[o + c] = (r.data[o + c] as number) * light * (channels === 3 ? (opts.cast[c] as number) : 1);
      }
    }
  }
}

/** Low-frequency random field in [0, 1]: a coarse random grid, bilinearly upsampled. */
export function smoothField(rng: Random, width: number, height: number, cells: number): Float32Array {
  const gw = cells + 2;
  const gh = Math.max(2, Math.round((cells * height) / width)) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => rng.next());
  const out = new Float32Array(width * height);
  const sx = (gw - 2) / width;
  const sy = (gh - 2) / height;
  for (let y = 0; y < height; y++) {
    const gy = y * sy;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    const r0 = y0 * gw;
    const r1 = r0 + gw;
    for (let x = 0; x < width; x++) {
      const gx = x * sx;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const top = (grid[r0 + x0] as number) * (1 - fx) + (grid[r0 + x0 + 1] as number) * fx;
      const bottom = (grid[r1 + x0] as number) * (1 - fx) + (grid[r1 + x0 + 1] as number) * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
