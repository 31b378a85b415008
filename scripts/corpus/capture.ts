// The capture side of the development corpus: turns clean 300 dpi page rasters (seals already
// stamped, their positions known) into the files the bureau receives from the real world — office
// flatbed scans at 150–300 dpi in colour, grey or 1-bit, a document feeder's batch PDF with pages
// turned sideways or upside down, 12-megapixel phone photos of the page on a desk (perspective,
// curl, shadows, lamp light, glare) and the same photos forwarded through a chat app.
//
// Every geometric step is a known map from clean-page pixels to output pixels, so each seal's
// centre and radius in the output go into the ground truth. Everything is drawn from PRNGs seeded
// by `${seed}#${kind}#${fileIndex}#${page}` and every encoder gets fixed metadata: the same pages
// and seed give the same bytes.
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { z } from 'zod';
import type { FormKind } from '../../src/types.js';
import { encodeBilevelTiff, encodeJpeg, encodePng } from '../samples/encode.js';
import { createRandom, type Random } from '../samples/random.js';
import {
  addNoise,
  applyMat,
  homography,
  invertMat,
  type Mat3,
  type Point,
  type Raster,
  smoothField,
  threshold,
  toGrey,
  toRgb,
  toSharp,
  warp,
} from '../samples/raster.js';
import { PageTruthSchema, ScanTruthSchema } from '../samples/truth.js';

export const CAPTURE_KINDS = ['clean', 'office-scan', 'feeder-pdf', 'phone-photo', 'chat-photo'] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

export interface CleanSeal {
  cell: 'recommendation' | 'approval';
  organisation: string;
  /** Centre of the seal's ring in clean-page pixels. */
  centre: [number, number];
  /** Radius of the ring in clean-page pixels. */
  radius: number;
}

export interface CleanPage {
  formPage: number;
  /** The page at 300 dpi, one or three channels. Never modified. */
  image: Raster;
  seals: CleanSeal[];
  /** Record id: consecutive pages with the same id form one submission. */
  id: string;
  form: FormKind;
}

/** Resolution of the clean page rasters. */
export const CLEAN_DPI = 300;

const XY = z.tuple([z.number(), z.number()]);

/** What was done to one page on its way into the file. Optional fields only where they apply. */
export const CaptureParamsSchema = z.object({
  kind: z.enum(CAPTURE_KINDS),
  /** Resolution written into the file (phones write 72 whatever the paper's resolution). */
  fileDpi: z.number().positive(),
  /** Resolution the paper was sampled at (approximate for photos: at the page centre). */
  dpi: z.number().positive(),
  mode: z.enum(['colour', 'grey', 'bilevel']),
  format: z.enum(['jpeg', 'png', 'tiff', 'pdf']),
  /** JPEG quality of the stored page (for chat photos: of the recompressed forward). */
  jpegQuality: z.number().int().optional(),
  /** One page per file, or several pages of a submission / batch in one file. */
  container: z.enum(['single', 'multi-page']),
  /** Quarter turns of the content, clockwise: 0, 90, 180 or 270. */
  quarterTurn: z.number().int(),
  /** Small rotation on top of the quarter turn, degrees clockwise. */
  skew: z.number(),
  paperTone: z.number().optional(),
  dust: z.number().int().optional(),
  noise: z.number().optional(),
  blur: z
    .object({ kind: z.enum(['gauss', 'defocus', 'motion']), sigma: z.number(), angle: z.number().optional() })
    .optional(),
  /** 1-bit threshold on 0..255 grey. */
  threshold: z.number().optional(),
  /** A dirty sensor pixel: a faint line down the whole page at column `x`. */
  streak: z.object({ x: z.number(), width: z.number(), delta: z.number() }).optional(),
  /** The open lid or a thick document: a dark band along one edge. */
  border: z.object({ edge: z.enum(['top', 'right', 'bottom', 'left']), width: z.number() }).optional(),
  /** Colour the scanner shows where no paper is (lid or feeder backing). */
  background: z.array(z.number()).optional(),
  /** Photos. */
  device: z.string().optional(),
  desk: z.enum(['wood', 'laminate', 'dark', 'pattern', 'paper-pile']).optional(),
  /** Pixel size of the stored frame (before the EXIF orientation is applied). */
  frame: XY.optional(),
  /** EXIF orientation tag written by the phone (absent: none written). */
  exifOrientation: z.number().int().optional(),
  /** Camera pose: tilt of the page plane about the horizontal and vertical axes, degrees. */
  tilt: XY.optional(),
  /** Share of the frame's long side covered by the page's long side. */
  fill: z.number().optional(),
  curl: z
    .object({ side: z.enum(['right', 'bottom', 'left', 'top']), band: z.number(), lift: z.number() })
    .optional(),
  shadow: z.object({ strength: z.number(), from: z.enum(['top', 'right', 'bottom', 'left']) }).optional(),
  glare: z.object({ centre: XY, radius: z.number(), strength: z.number() }).optional(),
  cast: z.array(z.number()).optional(),
  vignette: z.number().optional(),
  /** Chat forwards: the phone photo's size and JPEG quality before the app recompressed it. */
  forwardedFrom: z.object({ size: XY, jpegQuality: z.number().int() }).optional(),
  app: z.enum(['wechat', 'qq']).optional(),
});
export type CaptureParams = z.infer<typeof CaptureParamsSchema>;

export const CapturePageTruthSchema = PageTruthSchema.extend({ capture: CaptureParamsSchema.optional() });
export type CapturePageTruth = z.infer<typeof CapturePageTruthSchema>;

export const CaptureTruthSchema = ScanTruthSchema.extend({
  pages: z.array(CapturePageTruthSchema).min(1),
});
export type CaptureTruth = z.infer<typeof CaptureTruthSchema>;

export interface CapturedFile {
  name: string;
  bytes: Buffer;
  truth: CaptureTruth;
}

/** Test hook: `photoScale` shrinks the phone's frame (and so the work) by that factor. */
export interface CaptureOptions {
  photoScale?: number;
}

// ---- small helpers ---------------------------------------------------------------------------

type MapFn = (p: Point) => Point;

const round = (n: number, digits = 1): number => {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
};

const pick = <T>(rng: Random, items: readonly T[]): T =>
  items[Math.min(items.length - 1, Math.floor(rng.next() * items.length))] as T;

const chance = (rng: Random, p: number): boolean => rng.next() < p;

const sign = (rng: Random): number => (rng.next() < 0.5 ? -1 : 1);

const int = (rng: Random, min: number, max: number): number => Math.floor(rng.range(min, max + 1));

function shuffled<T>(rng: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const copyRaster = (r: Raster): Raster => ({ ...r, data: new Uint8ClampedArray(r.data) });

function matMul(a: Mat3, b: Mat3): Mat3 {
  const m = (r: number, c: number) =>
    (a[r * 3] as number) * (b[c] as number) +
    (a[r * 3 + 1] as number) * (b[3 + c] as number) +
    (a[r * 3 + 2] as number) * (b[6 + c] as number);
  return [m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2), m(2, 0), m(2, 1), m(2, 2)];
}

const scaleMat = (sx: number, sy: number): Mat3 => [sx, 0, 0, 0, sy, 0, 0, 0, 1];

/**
 * Rotation by `deg` clockwise about the centre of an `inW`×`inH` image, landing on the centre of an
 * `outW`×`outH` canvas shifted by (dx, dy): quarter turns change the canvas's shape.
 */
function turnOnto(inW: number, inH: number, outW: number, outH: number, deg: number, dx = 0, dy = 0): Mat3 {
  const t = (deg * Math.PI) / 180;
  // Exact quarter turns: no 1e-17 residue, so a 90° page is pixel-exact.
  const snap = (v: number) => (Math.abs(v) < 1e-12 ? 0 : v);
  const c = snap(Math.cos(t));
  const s = snap(Math.sin(t));
  const icx = inW / 2;
  const icy = inH / 2;
  return [c, -s, outW / 2 + dx - (c * icx - s * icy), s, c, outH / 2 + dy - (s * icx + c * icy), 0, 0, 1];
}

/** The seal's radius after a map: mean distance of eight mapped rim points from the mapped centre. */
export function mappedRadius(map: MapFn, centre: Point, radius: number): number {
  const c = map(centre);
  let sum = 0;
  for (let k = 0; k < 8; k++) {
    const t = (k * Math.PI) / 4;
    const p = map([centre[0] + radius * Math.cos(t), centre[1] + radius * Math.sin(t)]);
    sum += Math.hypot(p[0] - c[0], p[1] - c[1]);
  }
  return sum / 8;
}

/** Angle into [-45, 315): 0 upright, 90 turned clockwise, 180 upside down, 270 counter-clockwise. */
const normaliseAngle = (deg: number): number => ((((deg + 45) % 360) + 360) % 360) - 45;

async function resizeRaster(r: Raster, width: number, height: number): Promise<Raster> {
  if (width === r.width && height === r.height) return copyRaster(r);
  let s = toSharp(r).resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  if (r.channels === 1) s = s.toColourspace('b-w');
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== r.channels) throw new Error('resize changed the channel count');
  return {
    width: info.width,
    height: info.height,
    channels: r.channels,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  };
}

/** Gaussian blur, motion blur along `angle` over `sigma`×3 pixels, and/or an unsharp mask (phones). */
async function filter(
  r: Raster,
  opts: { gauss?: number; motion?: { length: number; angle: number }; sharpen?: number },
): Promise<Raster> {
  let s = toSharp(r);
  if (r.channels === 1) s = s.toColourspace('b-w');
  let touched = false;
  if (opts.gauss !== undefined && opts.gauss >= 0.3) {
    s = s.blur(opts.gauss);
    touched = true;
  }
  if (opts.motion && opts.motion.length >= 2) {
    const n = Math.ceil(opts.motion.length) | 1;
    const kernel = new Array<number>(n * n).fill(0);
    const c = (n - 1) / 2;
    const dx = Math.cos((opts.motion.angle * Math.PI) / 180);
    const dy = Math.sin((opts.motion.angle * Math.PI) / 180);
    for (let k = 0; k <= 4 * n; k++) {
      const t = (k / (4 * n) - 0.5) * opts.motion.length;
      const x = Math.round(c + t * dx);
      const y = Math.round(c + t * dy);
      if (x >= 0 && y >= 0 && x < n && y < n) kernel[y * n + x] = (kernel[y * n + x] as number) + 1;
    }
    s = s.convolve({ width: n, height: n, kernel, scale: kernel.reduce((a, b) => a + b, 0) });
    touched = true;
  }
  if (opts.sharpen) {
    s = s.sharpen({ sigma: opts.sharpen, m1: 0.5, m2: 2.5 });
    touched = true;
  }
  if (!touched) return r;
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== r.channels || info.width !== r.width) throw new Error('filter changed the layout');
  return { ...r, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
}

// ---- paper and scanner artefacts ------------------------------------------------------------

/** Paper a little below white, with a faint blotchy variation and (colour) a slight tint. */
function paperTone(r: Raster, rng: Random, level: number, variation: number, tint: readonly number[]): void {
  const fw = Math.ceil(r.width / 16);
  const field = smoothField(rng, fw, Math.ceil(r.height / 16), 6);
  const ch = r.channels;
  const d = r.data;
  for (let y = 0; y < r.height; y++) {
    const row = (y >> 4) * fw;
    for (let x = 0; x < r.width; x++) {
      const k = level * (1 - variation * (field[row + (x >> 4)] as number));
      const o = (y * r.width + x) * ch;
      if (ch === 1) d[o] = (d[o] as number) * k;
      else {
        d[o] = (d[o] as number) * k * (tint[0] as number);
        d[o + 1] = (d[o + 1] as number) * k * (tint[1] as number);
        d[o + 2] = (d[o + 2] as number) * k * (tint[2] as number);
      }
    }
  }
}

/** Specks of dust and toner, `scale` times the size they have at 300 dpi. */
function dust(r: Raster, rng: Random, count: number, scale: number): void {
  for (let n = 0; n < count; n++) {
    const cx = rng.range(0, r.width);
    const cy = rng.range(0, r.height);
    const rad = rng.range(0.8, 2.6) * Math.max(0.6, scale);
    const shade = rng.range(50, 170);
    for (let y = Math.floor(cy - rad); y <= cy + rad; y++) {
      for (let x = Math.floor(cx - rad); x <= cx + rad; x++) {
        if (x < 0 || y < 0 || x >= r.width || y >= r.height) continue;
        if ((x - cx) ** 2 + (y - cy) ** 2 > rad * rad) continue;
        const o = (y * r.width + x) * r.channels;
        for (let c = 0; c < r.channels; c++) r.data[o + c] = Math.min(r.data[o + c] as number, shade);
      }
    }
  }
}

/** A dirty pixel on the scan line: a faint line down the whole image. */
function streak(r: Raster, x0: number, width: number, delta: number): void {
  for (let y = 0; y < r.height; y++) {
    for (let x = Math.floor(x0 - width); x <= Math.ceil(x0 + width); x++) {
      if (x < 0 || x >= r.width) continue;
      const w = Math.max(0, 1 - Math.abs(x - x0) / width);
      const o = (y * r.width + x) * r.channels;
      for (let c = 0; c < r.channels; c++) r.data[o + c] = (r.data[o + c] as number) + delta * w;
    }
  }
}

type Edge = 'top' | 'right' | 'bottom' | 'left';

/** A dark band along one edge, its inner boundary wavy and soft (lid not closed on a thick page). */
function darkBorder(r: Raster, rng: Random, edge: Edge, width: number, level: number): void {
  const along = edge === 'top' || edge === 'bottom' ? r.width : r.height;
  const phase = rng.range(0, 6.28);
  const period = rng.range(0.5, 2) * along;
  for (let a = 0; a < along; a++) {
    const w = width * (1 + 0.25 * Math.sin(phase + (a / period) * 6.28));
    for (let d = 0; d < w + 4; d++) {
      const k = Math.min(1, Math.max(0, (w + 4 - d) / 4));
      let x: number;
      let y: number;
      if (edge === 'top') [x, y] = [a, d];
      else if (edge === 'bottom') [x, y] = [a, r.height - 1 - d];
      else if (edge === 'left') [x, y] = [d, a];
      else [x, y] = [r.width - 1 - d, a];
      if (x < 0 || y < 0 || x >= r.width || y >= r.height) continue;
      const o = (y * r.width + x) * r.channels;
      for (let c = 0; c < r.channels; c++) {
        const v = r.data[o + c] as number;
        r.data[o + c] = v + (level - v) * k;
      }
    }
  }
}

// ---- a page through a scanner ---------------------------------------------------------------

type Mode = 'colour' | 'grey' | 'bilevel';

interface Rendered {
  image: Raster;
  map: MapFn;
  /** Total clockwise rotation, normalised into [-45, 315). */
  rotation: number;
  /** Resolution of the paper in the image. */
  dpi: number;
  pageQuad?: Point[];
  capture: Omit<CaptureParams, 'format' | 'container' | 'jpegQuality' | 'fileDpi'>;
}

interface ScanSettings {
  kind: 'office-scan' | 'feeder-pdf';
  dpi: number;
  mode: Mode;
  quarterTurn: 0 | 1 | 2 | 3;
  skew: number;
  /** Offset of the page on the glass, output pixels. */
  offset: Point;
  /** Extra canvas around the page on each side, output pixels. */
  margin: number;
  background: number[];
  streak?: { x: number; width: number; delta: number };
  border?: { edge: Edge; width: number };
}

async function scanPage(page: CleanPage, rng: Random, s: ScanSettings): Promise<Rendered> {
  const scale = s.dpi / CLEAN_DPI;
  const w = Math.round(page.image.width * scale);
  const h = Math.round(page.image.height * scale);
  const S = scaleMat(w / page.image.width, h / page.image.height);
  let img = await resizeRaster(s.mode === 'colour' ? toRgb(page.image) : toGrey(page.image), w, h);
  const tone = rng.range(0.95, 0.985);
  const tint = s.mode === 'colour' ? [1, rng.range(0.985, 1), rng.range(0.95, 0.99)] : [1, 1, 1];
  paperTone(img, rng, tone, rng.range(0.01, 0.025), tint);
  const dustCount = int(rng, 2, s.kind === 'office-scan' ? 24 : 6);
  dust(img, rng, dustCount, scale);
  const odd = s.quarterTurn % 2 === 1;
  const cw = (odd ? h : w) + 2 * s.margin;
  const ch = (odd ? w : h) + 2 * s.margin;
  const rotation = s.quarterTurn * 90 + s.skew;
  const M = turnOnto(w, h, cw, ch, rotation, s.offset[0], s.offset[1]);
  img = warp(img, M, cw, ch, s.mode === 'colour' ? s.background : [toGreyValue(s.background)]);
  if (s.streak) streak(img, s.streak.x * cw, s.streak.width * scale, s.streak.delta);
  if (s.border) darkBorder(img, rng, s.border.edge, s.border.width * scale, rng.range(15, 70));
  const noise = rng.range(2.5, 6);
  const sigma = rng.range(0.45, 0.9) * Math.max(0.6, scale);
  addNoise(img, rng, noise);
  img = await filter(img, { gauss: sigma });
  let level: number | undefined;
  if (s.mode === 'bilevel') {
    addNoise(img, rng, rng.range(3, 7));
    level = Math.round(rng.range(115, 175));
    img = threshold(img, level);
  } else {
    addNoise(img, rng, rng.range(0.6, 1.5));
  }
  const T = matMul(M, S);
  return {
    image: img,
    map: (p) => applyMat(T, p),
    rotation: normaliseAngle(rotation),
    dpi: s.dpi,
    capture: {
      kind: s.kind,
      dpi: s.dpi,
      mode: s.mode,
      quarterTurn: s.quarterTurn * 90,
      skew: round(s.skew, 2),
      paperTone: round(tone, 3),
      dust: dustCount,
      noise: round(noise, 2),
      blur: { kind: 'gauss', sigma: round(sigma, 2) },
      ...(level !== undefined ? { threshold: level } : {}),
      ...(s.streak
        ? {
            streak: {
              x: round(s.streak.x * cw),
              width: round(s.streak.width * scale, 2),
              delta: round(s.streak.delta),
            },
          }
        : {}),
      ...(s.border ? { border: { edge: s.border.edge, width: round(s.border.width * scale) } } : {}),
      background: s.background,
    },
  };
}

const toGreyValue = (c: readonly number[]): number =>
  c.length < 3
    ? (c[0] as number)
    : 0.299 * (c[0] as number) + 0.587 * (c[1] as number) + 0.114 * (c[2] as number);

// ---- a page under a phone -------------------------------------------------------------------

type RGB = readonly [number, number, number];
type Desk = NonNullable<CaptureParams['desk']>;
const DESKS: readonly Desk[] = ['wood', 'laminate', 'dark', 'pattern', 'paper-pile'];

const DEVICES = [
  { name: 'Apple iPhone 13', make: 'Apple', model: 'iPhone 13', frame: [3024, 4032] },
  { name: 'Xiaomi Redmi Note 12', make: 'Xiaomi', model: 'Redmi Note 12', frame: [3000, 4000] },
  { name: 'HUAWEI nova 9', make: 'HUAWEI', model: 'NAM-AL00', frame: [3000, 4000] },
  { name: 'OPPO Reno8', make: 'OPPO', model: 'PGAM10', frame: [3000, 4000] },
  { name: 'vivo Y77', make: 'vivo', model: 'V2219A', frame: [3024, 4032] },
] as const;

/** xorshift32 stream for per-pixel texture grain (cheap and deterministic). */
function grain(rng: Random): () => number {
  let x = Math.floor(rng.next() * 0xffffffff) | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) / 4294967296) * 2 - 1;
  };
}

/** A bilinear lookup into a coarse field sampled every `step` pixels. */
function coarse(rng: Random, width: number, height: number, step: number, cells: number) {
  const gw = Math.ceil(width / step) + 2;
  const gh = Math.ceil(height / step) + 2;
  const f = smoothField(rng, gw, gh, cells);
  return (x: number, y: number): number => {
    const gx = x / step;
    const gy = y / step;
    const x0 = Math.floor(gx);
    const y0 = Math.floor(gy);
    const fx = gx - x0;
    const fy = gy - y0;
    const i = y0 * gw + x0;
    return (
      ((f[i] as number) * (1 - fx) + (f[i + 1] as number) * fx) * (1 - fy) +
      ((f[i + gw] as number) * (1 - fx) + (f[i + gw + 1] as number) * fx) * fy
    );
  };
}

/** The desk around the page, filling an RGB frame. */
function drawDesk(desk: Desk, rng: Random, width: number, height: number): Raster {
  const out = new Uint8ClampedArray(width * height * 3);
  const noise = grain(rng);
  const mottle = coarse(rng, width, height, 32, 5);
  const put = (o: number, r: number, g: number, b: number) => {
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
  };
  const scale = Math.max(width, height) / 4032;
  if (desk === 'wood') {
    const base = pick<RGB>(rng, [
      [150, 108, 70],
      [120, 80, 50],
      [176, 134, 90],
      [96, 62, 40],
      [188, 152, 112],
    ]);
    const angle = (rng.next() < 0.5 ? 0 : Math.PI / 2) + rng.range(-0.08, 0.08);
    const ca = Math.cos(angle);
    const sa = Math.sin(angle);
    const period = rng.range(14, 45) * scale;
    const plank = rng.range(500, 1100) * scale;
    const ring = coarse(rng, width, height, 64, 4);
    const plankShade = Array.from({ length: 64 }, () => rng.range(0.88, 1.08));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = x * ca + y * sa;
        const v = -x * sa + y * ca;
        const p = Math.floor((v + 1e5) / plank);
        const seam = (v + 1e5) % plank < 3 * scale ? 0.55 : 1;
        const stripe = 0.5 + 0.5 * Math.sin((v / period + 6 * ring(x, y) + u / (period * 40)) * 6.283);
        const k =
          (plankShade[p & 63] as number) * seam * (1 - 0.2 * stripe ** 3) * (0.94 + 0.1 * mottle(x, y)) +
          0.03 * noise();
        put((y * width + x) * 3, base[0] * k, base[1] * k, base[2] * k);
      }
    }
  } else if (desk === 'laminate' || desk === 'dark') {
    const base =
      desk === 'laminate'
        ? pick<RGB>(rng, [
            [150, 150, 148],
            [120, 122, 126],
            [170, 166, 158],
            [104, 108, 104],
          ])
        : pick<RGB>(rng, [
            [38, 36, 36],
            [28, 30, 38],
            [52, 44, 38],
            [22, 22, 22],
          ]);
    const speck = desk === 'laminate' ? 0.05 : 0.1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const k = (0.92 + 0.14 * mottle(x, y)) * (1 + speck * noise());
        put((y * width + x) * 3, base[0] * k, base[1] * k, base[2] * k);
      }
    }
  } else if (desk === 'pattern') {
    // A gingham tablecloth: two crossing stripe sets, woven.
    const colour = pick(rng, [
      [190, 40, 45],
      [40, 70, 150],
      [40, 120, 70],
      [120, 90, 60],
    ]);
    const light = [236, 232, 224];
    const angle = rng.range(-0.4, 0.4);
    const ca = Math.cos(angle);
    const sa = Math.sin(angle);
    const period = rng.range(50, 140) * scale;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = x * ca + y * sa + 1e5;
        const v = -x * sa + y * ca + 1e5;
        const su = u % period < period / 2 ? 1 : 0;
        const sv = v % period < period / 2 ? 1 : 0;
        const m = (su + sv) / 2;
        const weave = 1 + 0.05 * Math.sin(u * 1.6) * Math.sin(v * 1.6) + 0.04 * noise();
        const k = (0.95 + 0.08 * mottle(x, y)) * weave;
        const o = (y * width + x) * 3;
        for (let c = 0; c < 3; c++)
          out[o + c] = ((light[c] as number) * (1 - m) + (colour[c] as number) * m) * k;
      }
    }
  } else {
    // Other papers under this one: off-white sheets at angles, some with faint lines of print.
    const base = rng.range(200, 232);
    const sheets = Array.from({ length: int(rng, 2, 4) }, () => ({
      cx: rng.range(0, width),
      cy: rng.range(0, height),
      a: rng.range(-0.5, 0.5),
      hw: rng.range(0.3, 0.6) * width,
      hh: rng.range(0.3, 0.6) * height,
      tone: rng.range(0.92, 1.06),
      print: rng.next() < 0.6,
      line: rng.range(40, 70) * scale,
    }));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let k = 0.97;
        for (const s of sheets) {
          const dx = x - s.cx;
          const dy = y - s.cy;
          const u = dx * Math.cos(s.a) + dy * Math.sin(s.a);
          const v = -dx * Math.sin(s.a) + dy * Math.cos(s.a);
          const du = s.hw - Math.abs(u);
          const dv = s.hh - Math.abs(v);
          if (du < 0 || dv < 0) continue;
          k = s.tone;
          if (Math.min(du, dv) < 4 * scale) k *= 0.8;
          else if (s.print && du > 120 * scale && dv > 120 * scale) {
            const lv = (v + 1e5) % s.line;
            if (lv < 0.35 * s.line && Math.sin(u * 0.05) > -0.6) k *= 0.82;
          }
        }
        k *= (0.95 + 0.08 * mottle(x, y)) * (1 + 0.02 * noise());
        put((y * width + x) * 3, base * k, base * k * 0.99, base * k * 0.96);
      }
    }
  }
  return { width, height, channels: 3, data: out };
}

interface Curl {
  side: 'right' | 'bottom' | 'left' | 'top';
  /** Width of the curled band, source pixels. */
  band: number;
  /** Tangential shift at the edge (a0) and its growth along the edge (a1), source pixels. */
  a0: number;
  a1: number;
  /** Foreshortening of the band at the edge, source pixels. */
  b: number;
}

/** Converts source coordinates into the curl's frame: u grows towards the curled edge. */
function curlFrame(c: Curl, W: number, H: number) {
  const Lu = c.side === 'left' || c.side === 'right' ? W : H;
  const Lv = c.side === 'left' || c.side === 'right' ? H : W;
  const to = (x: number, y: number): [number, number] =>
    c.side === 'right' ? [x, y] : c.side === 'left' ? [W - x, y] : c.side === 'bottom' ? [y, x] : [H - y, x];
  const from = (u: number, v: number): [number, number] =>
    c.side === 'right' ? [u, v] : c.side === 'left' ? [W - u, v] : c.side === 'bottom' ? [v, u] : [v, H - u];
  return { Lu, Lv, to, from };
}

/** The curl: near one edge lines bend (v shifts by t²·(a0 + a1·v/Lv)) and the band foreshortens. */
function curlForward(c: Curl, W: number, H: number): MapFn {
  const f = curlFrame(c, W, H);
  return ([x, y]) => {
    const [u, v] = f.to(x, y);
    const t = Math.max(0, (u - (f.Lu - c.band)) / c.band);
    return f.from(u - c.b * t * t, v + t * t * (c.a0 + (c.a1 * v) / f.Lv));
  };
}

function curlInverse(c: Curl, W: number, H: number): (x: number, y: number) => [number, number] {
  const f = curlFrame(c, W, H);
  const k = c.b / (c.band * c.band);
  const start = f.Lu - c.band;
  return (x, y) => {
    const [u1, v1] = f.to(x, y);
    const r = u1 - start;
    if (r <= 0) return f.from(u1, v1);
    const disc = 1 - 4 * k * r;
    if (disc < 0) return [-1e6, -1e6];
    const s = k > 1e-12 ? (1 - Math.sqrt(disc)) / (2 * k) : r;
    const t = s / c.band;
    const t2 = t * t;
    return f.from(start + s, (v1 - t2 * c.a0) / (1 + (t2 * c.a1) / f.Lv));
  };
}

/**
 * Draws `src` onto `dest` (both RGB) by inverse mapping: `inverse` takes an output position to a
 * source position. Pixels whose samples fall partly outside the source blend with the desk, which
 * anti-aliases the page's edge. Only the box `[x0, x1) × [y0, y1)` is visited.
 */
function drawPage(
  src: Raster,
  dest: Raster,
  inverse: (x: number, y: number) => [number, number],
  box: [number, number, number, number],
): void {
  const sw = src.width;
  const sh = src.height;
  const sd = src.data;
  const dd = dest.data;
  const [bx0, by0, bx1, by1] = box;
  for (let y = by0; y < by1; y++) {
    for (let x = bx0; x < bx1; x++) {
      const [su, sv] = inverse(x + 0.5, y + 0.5);
      const u = su - 0.5;
      const v = sv - 0.5;
      if (u < -1 || v < -1 || u > sw || v > sh) continue;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      const o = (y * dest.width + x) * 3;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
        const s00 = (y0 * sw + x0) * 3;
        const s01 = s00 + sw * 3;
        for (let k = 0; k < 3; k++) {
          const top = (sd[s00 + k] as number) * (1 - fx) + (sd[s00 + 3 + k] as number) * fx;
          const bot = (sd[s01 + k] as number) * (1 - fx) + (sd[s01 + 3 + k] as number) * fx;
          dd[o + k] = top * (1 - fy) + bot * fy;
        }
        continue;
      }
      const taps: [number, number, number][] = [
        [x0, y0, (1 - fx) * (1 - fy)],
        [x0 + 1, y0, fx * (1 - fy)],
        [x0, y0 + 1, (1 - fx) * fy],
        [x0 + 1, y0 + 1, fx * fy],
      ];
      for (let k = 0; k < 3; k++) {
        let v2 = 0;
        let covered = 0;
        for (const [tx, ty, w] of taps) {
          if (tx < 0 || ty < 0 || tx >= sw || ty >= sh) continue;
          v2 += w * (sd[(ty * sw + tx) * 3 + k] as number);
          covered += w;
        }
        dd[o + k] = v2 + (1 - covered) * (dd[o + k] as number);
      }
    }
  }
}

/** Signed distance to a convex polygon (negative inside); approximate outside, near corners. */
function polygonDistance(poly: readonly Point[]): (x: number, y: number) => number {
  const edges = poly.map((p, i) => {
    const q = poly[(i + 1) % poly.length] as Point;
    const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
    // Outward normal for a clockwise (screen) polygon.
    return { p, nx: (q[1] - p[1]) / len, ny: -(q[0] - p[0]) / len };
  });
  return (x, y) => {
    let d = Number.NEGATIVE_INFINITY;
    for (const e of edges) d = Math.max(d, (x - e.p[0]) * e.nx + (y - e.p[1]) * e.ny);
    return d;
  };
}

const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** Distance from (x, y) to the segment a–b. */
function segmentDistance(x: number, y: number, a: Point, b: Point): number {
  const vx = b[0] - a[0];
  const vy = b[1] - a[1];
  const t = Math.min(1, Math.max(0, ((x - a[0]) * vx + (y - a[1]) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - a[0] - t * vx, y - a[1] - t * vy);
}

/** 3×3 rotation: pitch about x, then yaw about y, then roll about z (radians). */
function rotation3(pitch: number, yaw: number, roll: number): number[] {
  const [cp, sp, cy, sy, cr, sr] = [
    Math.cos(pitch),
    Math.sin(pitch),
    Math.cos(yaw),
    Math.sin(yaw),
    Math.cos(roll),
    Math.sin(roll),
  ];
  const Rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const Ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const Rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]) =>
    Array.from({ length: 9 }, (_, i) => {
      const r = Math.floor(i / 3);
      const c = i % 3;
      return (
        (a[r * 3] as number) * (b[c] as number) +
        (a[r * 3 + 1] as number) * (b[3 + c] as number) +
        (a[r * 3 + 2] as number) * (b[6 + c] as number)
      );
    });
  return mul(Rz, mul(Ry, Rx));
}

interface PhotoResult extends Rendered {
  /** The photo as displayed (EXIF orientation applied). */
  image: Raster;
  exifOrientation?: 6 | 8;
  device: (typeof DEVICES)[number];
}

async function photoPage(
  page: CleanPage,
  rng: Random,
  kind: 'phone-photo' | 'chat-photo',
  photoScale: number,
): Promise<PhotoResult> {
  const device = pick(rng, DEVICES);
  // How the phone was held: upright (most), sideways with the orientation tag set, or sideways
  // without one — then the page lies on its side in a landscape picture.
  const hold = rng.next();
  const sideways = hold > 0.85;
  const tagged = !sideways && hold > 0.6;
  const fw0 = Math.round(device.frame[0] * photoScale);
  const fh0 = Math.round(device.frame[1] * photoScale);
  const [fw, fh] = sideways ? [fh0, fw0] : [fw0, fh0];
  const W = page.image.width;
  const H = page.image.height;

  // The camera: a 26 mm-equivalent lens; the page plane tilted, the phone turned a little.
  const f = Math.hypot(fw, fh) * rng.range(0.74, 0.84);
  const fill = rng.range(0.66, 0.92);
  const pitch = rng.range(2, 15) * (rng.next() < 0.8 ? 1 : -1);
  const yaw = rng.range(-7, 7);
  const quarter = sideways ? sign(rng) * 90 : 0;
  const roll = rng.range(-5, 5) + quarter;
  const R = rotation3((pitch * Math.PI) / 180, (yaw * Math.PI) / 180, (roll * Math.PI) / 180);
  const pageLong = Math.max(W, H);
  const frameLong = Math.max(fw, fh);
  let Z = (f * pageLong) / (fill * frameLong);
  const shift: Point = [rng.range(-0.04, 0.04) * fw, rng.range(-0.04, 0.04) * fh];
  const project = (x: number, y: number): Point => {
    const px = x - W / 2;
    const py = y - H / 2;
    const X = (R[0] as number) * px + (R[1] as number) * py;
    const Y = (R[3] as number) * px + (R[4] as number) * py;
    const Zc = (R[6] as number) * px + (R[7] as number) * py + Z;
    return [fw / 2 + shift[0] + (f * X) / Zc, fh / 2 + shift[1] + (f * Y) / Zc];
  };
  const cleanCorners: Point[] = [
    [0, 0],
    [W, 0],
    [W, H],
    [0, H],
  ];
  let quad = cleanCorners.map(([x, y]) => project(x, y));
  // The photographer frames the whole page: back off until it fits with a small margin.
  for (let tries = 0; tries < 12; tries++) {
    const margin = 0.015 * Math.min(fw, fh);
    const out = quad.some(([x, y]) => x < margin || y < margin || x > fw - margin || y > fh - margin);
    if (!out) break;
    Z *= 1.04;
    quad = cleanCorners.map(([x, y]) => project(x, y));
  }

  // Work from a copy of the page scaled close to its size in the frame (cheaper, less aliasing).
  const pageScale = f / Z;
  const k = Math.min(1, pageScale * 1.3);
  const sw = Math.max(8, Math.round(W * k));
  const sh = Math.max(8, Math.round(H * k));
  const src = await resizeRaster(toRgb(page.image), sw, sh);
  const tone = rng.range(0.96, 0.99);
  paperTone(src, rng, tone, rng.range(0.01, 0.03), [1, rng.range(0.98, 1), rng.range(0.95, 0.99)]);
  const Hsrc = homography(
    [
      [0, 0],
      [sw, 0],
      [sw, sh],
      [0, sh],
    ],
    quad,
  );
  const Hinv = invertMat(Hsrc);

  // Paper curl near one edge: lines bend, the band foreshortens and turns from the light.
  let curl: Curl | undefined;
  if (chance(rng, 0.65)) {
    const side = pick(rng, ['right', 'bottom', 'left', 'top'] as const);
    const Lu = side === 'left' || side === 'right' ? sw : sh;
    const Lv = side === 'left' || side === 'right' ? sh : sw;
    const band = rng.range(0.1, 0.3) * Lu;
    curl = {
      side,
      band,
      a0: sign(rng) * rng.range(0.005, 0.02) * Lv,
      a1: rng.range(-0.01, 0.01) * Lv,
      b: Math.min(0.3 * band, rng.range(0.004, 0.02) * Lu),
    };
    const cf = curlFrame(curl, sw, sh);
    const shade = rng.range(-0.12, 0.08);
    for (let y = 0; y < sh; y++) {
      for (let x = 0; x < sw; x++) {
        const [u] = cf.to(x + 0.5, y + 0.5);
        const t = (u - (cf.Lu - band)) / band;
        if (t <= 0) continue;
        const o = (y * sw + x) * 3;
        const m = 1 + shade * t * t;
        src.data[o] = (src.data[o] as number) * m;
        src.data[o + 1] = (src.data[o + 1] as number) * m;
        src.data[o + 2] = (src.data[o + 2] as number) * m;
      }
    }
  }
  const S = scaleMat(sw / W, sh / H);
  const curlFwd = curl ? curlForward(curl, sw, sh) : (p: Point) => p;
  const map: MapFn = (p) => applyMat(Hsrc, curlFwd(applyMat(S, p)));
  const curlInv = curl ? curlInverse(curl, sw, sh) : (x: number, y: number): [number, number] => [x, y];
  const inverse = (x: number, y: number): [number, number] => {
    const w = (Hinv[6] as number) * x + (Hinv[7] as number) * y + (Hinv[8] as number);
    const u = ((Hinv[0] as number) * x + (Hinv[1] as number) * y + (Hinv[2] as number)) / w;
    const v = ((Hinv[3] as number) * x + (Hinv[4] as number) * y + (Hinv[5] as number)) / w;
    return curlInv(u, v);
  };

  // The desk, the page's soft shadow on it, then the page.
  const desk = pick(rng, DESKS);
  const img = drawDesk(desk, rng, fw, fh);
  const mappedQuad = cleanCorners.map(map);
  const shadowOffset: Point = [rng.range(-12, 12) * photoScale, rng.range(4, 20) * photoScale];
  const dist = polygonDistance(quad.map(([x, y]) => [x + shadowOffset[0], y + shadowOffset[1]] as Point));
  const soft = rng.range(12, 40) * photoScale;
  const dark = rng.range(0.2, 0.45);
  const xs = mappedQuad.map((p) => p[0]);
  const ys = mappedQuad.map((p) => p[1]);
  const pad = 4 * soft + 40 * photoScale;
  const clampX = (v: number) => Math.min(fw, Math.max(0, Math.round(v)));
  const clampY = (v: number) => Math.min(fh, Math.max(0, Math.round(v)));
  const box: [number, number, number, number] = [
    clampX(Math.min(...xs) - pad),
    clampY(Math.min(...ys) - pad),
    clampX(Math.max(...xs) + pad),
    clampY(Math.max(...ys) + pad),
  ];
  for (let y = box[1]; y < box[3]; y++) {
    for (let x = box[0]; x < box[2]; x++) {
      const d = dist(x, y);
      if (d > 4 * soft) continue;
      const m = 1 - dark * Math.exp(-Math.max(0, d) / soft);
      const o = (y * fw + x) * 3;
      img.data[o] = (img.data[o] as number) * m;
      img.data[o + 1] = (img.data[o + 1] as number) * m;
      img.data[o + 2] = (img.data[o + 2] as number) * m;
    }
  }
  drawPage(src, img, inverse, box);

  // Light: a lamp's gradient, vignette, the shadow of the phone and hand, a glare spot, a cast,
  // and flare lifting the blacks — all smooth, so computed on a coarse grid and interpolated.
  const base = rng.range(0.82, 0.98);
  const gradient: Point = [rng.range(-0.18, 0.18), rng.range(-0.18, 0.12)];
  const vignette = rng.range(0.15, 0.4);
  const cast = pick(rng, [
    [1, rng.range(0.95, 0.99), rng.range(0.86, 0.94)], // warm lamp the white balance missed
    [rng.range(0.94, 0.98), rng.range(0.98, 1), 1], // cool daylight
    [rng.range(0.95, 0.99), 1, rng.range(0.94, 0.98)], // fluorescent green
    [1, rng.range(0.98, 1), rng.range(0.96, 0.995)], // near neutral
  ]);
  const flare = rng.range(8, 34);
  let shadow: { from: Edge; strength: number; a: Point; b: Point; radius: number; pen: number } | undefined;
  if (chance(rng, 0.65)) {
    const from = pick(rng, ['bottom', 'bottom', 'right', 'left', 'top'] as const);
    const along = rng.range(0.2, 0.8);
    const reach = rng.range(0.1, 0.4);
    const edgePoint = (t: number, depth: number): Point =>
      from === 'bottom'
        ? [t * fw, fh * (1 - depth)]
        : from === 'top'
          ? [t * fw, fh * depth]
          : from === 'left'
            ? [fw * depth, t * fh]
            : [fw * (1 - depth), t * fh];
    shadow = {
      from,
      strength: rng.range(0.25, 0.55),
      a: edgePoint(along + rng.range(-0.15, 0.15), -0.3),
      b: edgePoint(along, reach),
      radius: rng.range(0.14, 0.32) * Math.min(fw, fh),
      pen: rng.range(0.05, 0.16) * Math.min(fw, fh),
    };
  }
  let glare: { centre: Point; radius: number; strength: number } | undefined;
  if (chance(rng, 0.55)) {
    const t = rng.range(0.2, 0.8);
    const s = rng.range(0.2, 0.8);
    const q = mappedQuad as [Point, Point, Point, Point];
    const topP: Point = [q[0][0] + (q[1][0] - q[0][0]) * t, q[0][1] + (q[1][1] - q[0][1]) * t];
    const botP: Point = [q[3][0] + (q[2][0] - q[3][0]) * t, q[3][1] + (q[2][1] - q[3][1]) * t];
    glare = {
      centre: [topP[0] + (botP[0] - topP[0]) * s, topP[1] + (botP[1] - topP[1]) * s],
      radius: rng.range(0.03, 0.09) * Math.min(fw, fh),
      strength: rng.range(0.35, 0.85),
    };
  }
  const step = 16;
  const gw = Math.ceil(fw / step) + 2;
  const gh = Math.ceil(fh / step) + 2;
  const L = new Float32Array(gw * gh);
  const G = new Float32Array(gw * gh);
  const cx = fw / 2;
  const cy = fh / 2;
  const diag2 = cx * cx + cy * cy;
  for (let j = 0; j < gh; j++) {
    for (let i = 0; i < gw; i++) {
      const x = i * step;
      const y = j * step;
      const dx = x - cx;
      const dy = y - cy;
      let l =
        base *
        (1 + gradient[0] * (dx / cx) + gradient[1] * (dy / cy)) *
        (1 - vignette * ((dx * dx + dy * dy) / diag2));
      if (shadow) {
        const d = segmentDistance(x, y, shadow.a, shadow.b) - shadow.radius;
        l *= 1 - shadow.strength * (1 - smoothstep(-shadow.pen / 2, shadow.pen / 2, d));
      }
      L[j * gw + i] = l;
      if (glare) {
        const r2 = ((x - glare.centre[0]) ** 2 + ((y - glare.centre[1]) * 1.3) ** 2) / glare.radius ** 2;
        G[j * gw + i] = glare.strength * Math.exp(-r2 / 2);
      }
    }
  }
  const lift = 1 - flare / 255;
  const glareColour = [252, 250, 244];
  const rowL = new Float32Array(fw);
  const rowG = new Float32Array(fw);
  for (let y = 0; y < fh; y++) {
    const gy = y / step;
    const j = Math.floor(gy);
    const fy = gy - j;
    for (let x = 0; x < fw; x++) {
      const gx = x / step;
      const i = Math.floor(gx);
      const fx = gx - i;
      const a = j * gw + i;
      rowL[x] =
        ((L[a] as number) * (1 - fx) + (L[a + 1] as number) * fx) * (1 - fy) +
        ((L[a + gw] as number) * (1 - fx) + (L[a + gw + 1] as number) * fx) * fy;
      rowG[x] = glare
        ? ((G[a] as number) * (1 - fx) + (G[a + 1] as number) * fx) * (1 - fy) +
          ((G[a + gw] as number) * (1 - fx) + (G[a + gw + 1] as number) * fx) * fy
        : 0;
    }
    for (let x = 0; x < fw; x++) {
      const o = (y * fw + x) * 3;
      const l = rowL[x] as number;
      const g = rowG[x] as number;
      for (let c = 0; c < 3; c++) {
        let v = (flare + (img.data[o + c] as number) * lift) * l * (cast[c] as number);
        v += g * ((glareColour[c] as number) - v);
        img.data[o + c] = v;
      }
    }
  }

  // Sensor noise, then the lens and hand: defocus or motion blur, then the phone's sharpening.
  const noise = rng.range(2, 5.5) * (0.6 + 0.4 * photoScale);
  addNoise(img, rng, noise);
  const motion = chance(rng, 0.3);
  const blurSigma = motion ? rng.range(3, 9) * photoScale : rng.range(0.7, 2.2) * photoScale;
  const angle = rng.range(0, 180);
  const sharpen = rng.range(0.8, 1.4) * Math.max(0.5, photoScale);
  const out = await filter(img, {
    ...(motion ? { motion: { length: blurSigma, angle } } : { gauss: blurSigma }),
    sharpen,
  });
  // What the phone's denoiser leaves: fine grain on top of the sharpened picture.
  addNoise(out, rng, rng.range(1, 2.5));

  const rotation =
    (Math.atan2(
      (mappedQuad[1] as Point)[1] - (mappedQuad[0] as Point)[1],
      (mappedQuad[1] as Point)[0] - (mappedQuad[0] as Point)[0],
    ) *
      180) /
    Math.PI;
  const dpi = (CLEAN_DPI * mappedRadius(map, [W / 2, H / 2], 100)) / 100;
  const exifOrientation = tagged ? (pick(rng, [6, 8] as const) as 6 | 8) : undefined;
  return {
    image: out,
    map,
    rotation: normaliseAngle(rotation),
    dpi,
    pageQuad: mappedQuad,
    device,
    ...(exifOrientation ? { exifOrientation } : {}),
    capture: {
      kind,
      dpi: round(dpi),
      mode: 'colour',
      quarterTurn: quarter < 0 ? 270 : quarter,
      skew: round(normaliseAngle(rotation) - (quarter < 0 ? 270 : quarter), 2),
      paperTone: round(tone, 3),
      noise: round(noise, 2),
      blur: motion
        ? { kind: 'motion', sigma: round(blurSigma, 2), angle: round(angle) }
        : { kind: 'defocus', sigma: round(blurSigma, 2) },
      device: device.name,
      desk,
      tilt: [round(pitch), round(yaw)],
      fill: round((f * pageLong) / (Z * frameLong), 3),
      ...(curl ? { curl: { side: curl.side, band: round(curl.band / k), lift: round(curl.a0 / k) } } : {}),
      ...(shadow ? { shadow: { strength: round(shadow.strength, 2), from: shadow.from } } : {}),
      ...(glare
        ? {
            glare: {
              centre: [round(glare.centre[0]), round(glare.centre[1])] as [number, number],
              radius: round(glare.radius),
              strength: round(glare.strength, 2),
            },
          }
        : {}),
      cast: cast.map((c) => round(c, 3)),
      vignette: round(vignette, 3),
    },
  };
}

// ---- encoders -------------------------------------------------------------------------------

const FIXED_DATE = new Date('2021-03-15T10:00:00+08:00');

/** A PDF with one image per page, each page sized to its image at the page's own resolution. */
async function encodePdf(
  pages: readonly { bytes: Buffer; type: 'jpeg' | 'png'; width: number; height: number; dpi: number }[],
  creator: string,
): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  doc.setProducer(creator);
  doc.setCreator(creator);
  for (const p of pages) {
    const image = p.type === 'jpeg' ? await doc.embedJpg(p.bytes) : await doc.embedPng(p.bytes);
    const w = (p.width * 72) / p.dpi;
    const h = (p.height * 72) / p.dpi;
    const pdfPage = doc.addPage([w, h]);
    pdfPage.drawImage(image, { x: 0, y: 0, width: w, height: h });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A multi-page TIFF of same-sized grey or colour pages, JPEG-compressed as scanner software does. */
async function encodeTiff(pages: readonly Raster[], dpi: number, quality: number): Promise<Buffer> {
  const first = pages[0] as Raster;
  const stacked = new Uint8ClampedArray(first.data.length * pages.length);
  pages.forEach((p, i) => {
    stacked.set(p.data, i * first.data.length);
  });
  const tall: Raster = { ...first, height: first.height * pages.length, data: stacked };
  let s = toSharp(tall, first.height);
  if (first.channels === 1) s = s.toColourspace('b-w');
  return s
    .tiff({ compression: 'jpeg', quality, xres: dpi / 25.4, yres: dpi / 25.4, resolutionUnit: 'inch' })
    .toBuffer();
}

// ---- truth ----------------------------------------------------------------------------------

function pageTruth(
  page: CleanPage,
  index: number,
  r: Rendered,
  file: Pick<CaptureParams, 'format' | 'container' | 'fileDpi'> & { jpegQuality?: number },
): CapturePageTruth {
  const photo = r.capture.kind === 'phone-photo' || r.capture.kind === 'chat-photo';
  const truth: CapturePageTruth = {
    page: index + 1,
    record: page.id,
    form: page.form,
    formPage: page.formPage,
    width: r.image.width,
    height: r.image.height,
    dpi: round(r.dpi),
    rotation: round(r.rotation, 2),
    upsideDown: r.rotation > 135 && r.rotation < 225,
    greyscale: r.image.channels === 1,
    bilevel: r.capture.mode === 'bilevel',
    photo,
    clean: r.capture.kind === 'clean',
    seals: page.seals.map((s) => {
      const c = r.map(s.centre);
      return {
        cell: s.cell,
        organisation: s.organisation,
        centre: [round(c[0]), round(c[1])] as [number, number],
        radius: round(mappedRadius(r.map, s.centre, s.radius)),
      };
    }),
    capture: {
      ...r.capture,
      fileDpi: file.fileDpi,
      format: file.format,
      container: file.container,
      ...(file.jpegQuality !== undefined ? { jpegQuality: file.jpegQuality } : {}),
    },
  };
  if (r.pageQuad) truth.pageQuad = r.pageQuad.map(([x, y]) => [round(x), round(y)] as [number, number]);
  return truth;
}

/** Consecutive pages with the same record id. */
function submissions(pages: readonly CleanPage[]): CleanPage[][] {
  const out: CleanPage[][] = [];
  for (const p of pages) {
    const last = out[out.length - 1];
    if (last && (last[0] as CleanPage).id === p.id) last.push(p);
    else out.push([p]);
  }
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A deterministic clock for file names: a start drawn from the seed, then forward per file. */
function clock(seed: string, kind: CaptureKind) {
  const rng = createRandom(`${seed}#${kind}#names`);
  let t =
    Date.UTC(2020, 0, 1) +
    Math.floor(rng.range(0, 4 * 365)) * 86_400_000 +
    Math.round(rng.range(8, 17) * 3_600_000);
  return (stepSeconds: number) => {
    t += Math.round(stepSeconds * 1000);
    const d = new Date(t);
    const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
    const time = `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}`;
    return { date, time, ms: t };
  };
}

// ---- the five kinds -------------------------------------------------------------------------

const identity: MapFn = (p) => p;

async function captureClean(pages: readonly CleanPage[]): Promise<CapturedFile[]> {
  const seen = new Map<string, number>();
  const files: CapturedFile[] = [];
  for (const page of pages) {
    const stem = `${page.id}-p${page.formPage}`;
    const n = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, n);
    const name = `${stem}${n > 1 ? `-${n}` : ''}.png`;
    const rendered: Rendered = {
      image: page.image,
      map: identity,
      rotation: 0,
      dpi: CLEAN_DPI,
      capture: {
        kind: 'clean',
        dpi: CLEAN_DPI,
        mode: page.image.channels === 3 ? 'colour' : 'grey',
        quarterTurn: 0,
        skew: 0,
      },
    };
    files.push({
      name,
      bytes: await encodePng(page.image, CLEAN_DPI),
      truth: {
        file: name,
        format: 'png',
        description: 'Not a scan: the filled form exported straight to an image at 300 dpi.',
        pages: [pageTruth(page, 0, rendered, { format: 'png', container: 'single', fileDpi: CLEAN_DPI })],
      },
    });
  }
  return files;
}

const OFFICE_DPIS = [150, 200, 200, 240, 300, 300] as const;

async function captureOffice(pages: readonly CleanPage[], seed: string): Promise<CapturedFile[]> {
  const files: CapturedFile[] = [];
  const tick = clock(seed, 'office-scan');
  let serial = 0;
  for (const [si, sub] of submissions(pages).entries()) {
    // The person at the scanner chooses mode, resolution and format once per submission.
    const rng = createRandom(`${seed}#office-scan#${si}`);
    const mode: Mode = pick(rng, ['colour', 'colour', 'grey', 'grey', 'bilevel'] as const);
    const dpi = mode === 'bilevel' ? pick(rng, [200, 300, 300] as const) : pick(rng, OFFICE_DPIS);
    const quality = int(rng, 40, 90);
    const multi = sub.length > 1 && chance(rng, 0.3);
    const multiFormat = multi ? (chance(rng, 0.65) ? 'pdf' : 'tiff') : undefined;
    const singleFormat =
      mode === 'bilevel' ? (chance(rng, 0.6) ? 'png' : 'tiff') : chance(rng, 0.85) ? 'jpeg' : 'png';
    const lid = pick(rng, [
      [246, 246, 242],
      [250, 250, 250],
      [236, 238, 240],
    ]);
    const streakOn = chance(rng, 0.12);
    const streakX = rng.range(0.05, 0.95);
    const rendered: Rendered[] = [];
    for (const [pi, page] of sub.entries()) {
      const prng = createRandom(`${seed}#office-scan#${si}#${pi + 1}`);
      const scale = dpi / CLEAN_DPI;
      const borderOn = chance(prng, 0.12);
      const edge = pick(prng, ['top', 'right', 'bottom', 'left'] as const);
      rendered.push(
        await scanPage(page, prng, {
          kind: 'office-scan',
          dpi,
          mode,
          quarterTurn: 0,
          skew: prng.range(-2, 2),
          offset: [prng.range(-5, 30) * scale, prng.range(-5, 30) * scale],
          margin: 0,
          background: lid,
          ...(streakOn
            ? { streak: { x: streakX, width: prng.range(1, 3), delta: sign(prng) * prng.range(8, 28) } }
            : {}),
          ...(borderOn ? { border: { edge, width: prng.range(8, 60) } } : {}),
        }),
      );
    }
    const sameSize = rendered.every(
      (r) => r.image.width === rendered[0]?.image.width && r.image.height === rendered[0]?.image.height,
    );
    const format = multiFormat === 'tiff' && !sameSize ? 'pdf' : multiFormat;
    const modeText = { colour: 'colour', grey: 'greyscale', bilevel: 'black-and-white (1-bit)' }[mode];
    if (format) {
      serial++;
      const { date } = tick(60);
      const name = `scan-${date}-${pad(serial, 3)}.${format === 'pdf' ? 'pdf' : 'tif'}`;
      let bytes: Buffer;
      if (format === 'tiff') {
        bytes =
          mode === 'bilevel'
            ? await encodeBilevelTiff(
                rendered.map((r) => r.image),
                dpi,
              )
            : await encodeTiff(
                rendered.map((r) => r.image),
                dpi,
                quality,
              );
      } else {
        const imgs = [];
        for (const r of rendered) {
          imgs.push(
            mode === 'bilevel'
              ? { bytes: await encodePng(r.image, dpi, 2), type: 'png' as const }
              : { bytes: await encodeJpeg(r.image, quality, dpi), type: 'jpeg' as const },
          );
        }
        bytes = await encodePdf(
          imgs.map((m, i) => ({
            ...m,
            width: (rendered[i] as Rendered).image.width,
            height: (rendered[i] as Rendered).image.height,
            dpi,
          })),
          'Office scanner (xietong corpus)',
        );
      }
      const jpegQ = mode === 'bilevel' ? undefined : quality;
      files.push({
        name,
        bytes,
        truth: {
          file: name,
          format,
          description: `Flatbed scan of one submission, ${modeText} at ${dpi} dpi, all pages in one ${format.toUpperCase()}.`,
          pages: rendered.map((r, i) =>
            pageTruth(sub[i] as CleanPage, i, r, {
              format,
              container: 'multi-page',
              fileDpi: dpi,
              ...(jpegQ !== undefined && !(format === 'tiff' && mode === 'bilevel')
                ? { jpegQuality: jpegQ }
                : {}),
            }),
          ),
        },
      });
      continue;
    }
    for (const [i, r] of rendered.entries()) {
      serial++;
      const { date } = tick(45);
      const ext = { jpeg: 'jpg', png: 'png', tiff: 'tif' }[singleFormat];
      const name = `scan-${date}-${pad(serial, 3)}.${ext}`;
      const bytes =
        singleFormat === 'jpeg'
          ? await encodeJpeg(r.image, quality, dpi)
          : singleFormat === 'tiff'
            ? await encodeBilevelTiff([r.image], dpi)
            : await encodePng(r.image, dpi, mode === 'bilevel' ? 2 : undefined);
      files.push({
        name,
        bytes,
        truth: {
          file: name,
          format: singleFormat,
          description: `Flatbed scan, ${modeText} at ${dpi} dpi, one page per file (${singleFormat.toUpperCase()}).`,
          pages: [
            pageTruth(sub[i] as CleanPage, 0, r, {
              format: singleFormat,
              container: 'single',
              fileDpi: dpi,
              ...(singleFormat === 'jpeg' ? { jpegQuality: quality } : {}),
            }),
          ],
        },
      });
    }
  }
  return files;
}

async function captureFeeder(pages: readonly CleanPage[], seed: string): Promise<CapturedFile[]> {
  const subs = submissions(pages);
  // The stack is fed in batches of a few submissions each.
  const split = createRandom(`${seed}#feeder-pdf#batches`);
  const batches: CleanPage[][] = [];
  for (let i = 0; i < subs.length; ) {
    const n = int(split, 2, 5);
    batches.push(subs.slice(i, i + n).flat());
    i += n;
  }
  const tick = clock(seed, 'feeder-pdf');
  const files: CapturedFile[] = [];
  for (const [bi, batch] of batches.entries()) {
    const rng = createRandom(`${seed}#feeder-pdf#${bi}`);
    const dpi = pick(rng, [200, 200, 240, 300, 300] as const);
    const quality = int(rng, 45, 85);
    const allColour = chance(rng, 0.25);
    const backing = pick(rng, [
      [240, 240, 238],
      [70, 70, 72],
      [30, 30, 30],
    ]);
    const streakOn = chance(rng, 0.35);
    const streakX = rng.range(0.03, 0.97);
    const streakDelta = sign(rng) * rng.range(10, 35);
    // One page goes through upside down, a few on their side.
    const order = shuffled(
      rng,
      batch.map((_, i) => i),
    );
    const turns = new Array<0 | 1 | 2 | 3>(batch.length).fill(0);
    if (batch.length === 1) turns[0] = 2;
    else {
      turns[order[0] as number] = 2;
      const sideways = Math.max(1, Math.round(batch.length * rng.range(0.08, 0.25)));
      for (let k = 1; k <= sideways && k < order.length; k++)
        turns[order[k] as number] = chance(rng, 0.5) ? 1 : 3;
    }
    const rendered: Rendered[] = [];
    for (const [pi, page] of batch.entries()) {
      const prng = createRandom(`${seed}#feeder-pdf#${bi}#${pi + 1}`);
      const colour = allColour || (page.seals.length > 0 ? chance(prng, 0.85) : chance(prng, 0.15));
      const scale = dpi / CLEAN_DPI;
      rendered.push(
        await scanPage(page, prng, {
          kind: 'feeder-pdf',
          dpi,
          mode: colour ? 'colour' : 'grey',
          quarterTurn: turns[pi] as 0 | 1 | 2 | 3,
          skew: prng.range(-1.2, 1.2),
          offset: [prng.range(-8, 8) * scale, prng.range(-8, 8) * scale],
          margin: Math.round(prng.range(0, 20) * scale),
          background: backing,
          ...(streakOn ? { streak: { x: streakX, width: 1.5, delta: streakDelta } } : {}),
        }),
      );
    }
    const imgs = [];
    for (const r of rendered) {
      imgs.push({
        bytes: await encodeJpeg(r.image, quality, dpi),
        type: 'jpeg' as const,
        width: r.image.width,
        height: r.image.height,
        dpi,
      });
    }
    const { date, time } = tick(600);
    const name = `feeder-${date}-${time}.pdf`;
    const ids = [...new Set(batch.map((p) => p.id))];
    files.push({
      name,
      bytes: await encodePdf(imgs, 'Document feeder (xietong corpus)'),
      truth: {
        file: name,
        format: 'pdf',
        description:
          `Document-feeder run over ${ids.length} submission(s) (${ids.join(', ')}) at ${dpi} dpi, one JPEG per page, ` +
          'colour or greyscale per page; some pages went through sideways, one upside down.',
        pages: rendered.map((r, i) =>
          pageTruth(batch[i] as CleanPage, i, r, {
            format: 'pdf',
            container: 'multi-page',
            fileDpi: dpi,
            jpegQuality: quality,
          }),
        ),
      },
    });
  }
  return files;
}

async function capturePhotos(
  pages: readonly CleanPage[],
  seed: string,
  kind: 'phone-photo' | 'chat-photo',
  photoScale: number,
): Promise<CapturedFile[]> {
  const tick = clock(seed, kind);
  const files: CapturedFile[] = [];
  for (const [fi, page] of pages.entries()) {
    const rng = createRandom(`${seed}#${kind}#${fi}#1`);
    const r = await photoPage(page, rng, kind, photoScale);
    const phoneQuality = int(rng, 70, 92);
    const { date, time, ms } = tick(rng.range(8, 90));
    if (kind === 'phone-photo') {
      let s = toSharp(r.image);
      if (r.exifOrientation) s = s.rotate(r.exifOrientation === 6 ? 270 : 90);
      const bytes = await s
        .withMetadata({ ...(r.exifOrientation ? { orientation: r.exifOrientation } : {}), density: 72 })
        .withExif({
          IFD0: { Make: r.device.make, Model: r.device.model, Software: 'xietong corpus' },
        })
        .jpeg({ quality: phoneQuality, chromaSubsampling: '4:2:0' })
        .toBuffer();
      const name = `IMG_${date}_${time}.jpg`;
      const stored: [number, number] = r.exifOrientation
        ? [r.image.height, r.image.width]
        : [r.image.width, r.image.height];
      files.push({
        name,
        bytes,
        truth: {
          file: name,
          format: 'jpeg',
          description:
            `Phone photo (${r.device.name}) of the page on a ${r.capture.desk} desk` +
            (r.exifOrientation ? `, stored sideways with EXIF orientation ${r.exifOrientation}` : '') +
            '; coordinates are in the displayed (EXIF-oriented) image.',
          pages: [
            pageTruth(
              page,
              0,
              {
                ...r,
                capture: {
                  ...r.capture,
                  frame: stored,
                  ...(r.exifOrientation ? { exifOrientation: r.exifOrientation } : {}),
                },
              },
              {
                format: 'jpeg',
                container: 'single',
                fileDpi: 72,
                jpegQuality: phoneQuality,
              },
            ),
          ],
        },
      });
      continue;
    }
    // A chat forward: the app applies the orientation, shrinks the photo, recompresses it and drops
    // the metadata. The phone's own JPEG generation comes first, so the artefacts stack.
    const first = await toSharp(r.image)
      .jpeg({ quality: phoneQuality, chromaSubsampling: '4:2:0' })
      .toBuffer();
    const app = chance(rng, 0.7) ? 'wechat' : 'qq';
    const long = Math.round(rng.range(1280, 2000) * Math.max(photoScale, 0.25));
    const longNow = Math.max(r.image.width, r.image.height);
    const k = Math.min(1, long / longNow);
    const width = Math.round(r.image.width * k);
    const height = Math.round(r.image.height * k);
    const quality = int(rng, 50, 80);
    const bytes = await sharp(first)
      .resize(width, height, { fit: 'fill' })
      .jpeg({ quality, chromaSubsampling: '4:2:0' })
      .toBuffer();
    const sx = width / r.image.width;
    const sy = height / r.image.height;
    const map: MapFn = (p) => {
      const q = r.map(p);
      return [q[0] * sx, q[1] * sy];
    };
    const forwarded: Rendered = {
      ...r,
      image: { width, height, channels: 3, data: new Uint8ClampedArray(0) },
      map,
      dpi: r.dpi * sx,
      pageQuad: (r.pageQuad ?? []).map(([x, y]) => [x * sx, y * sy] as Point),
      capture: {
        ...r.capture,
        dpi: round(r.dpi * sx),
        app,
        forwardedFrom: { size: [r.image.width, r.image.height], jpegQuality: phoneQuality },
      },
    };
    const name = app === 'wechat' ? `mmexport${ms}.jpg` : `QQ图片${date}${time}.jpg`;
    files.push({
      name,
      bytes,
      truth: {
        file: name,
        format: 'jpeg',
        description: `Phone photo forwarded through ${app === 'wechat' ? 'WeChat' : 'QQ'}: shrunk to ${Math.max(width, height)} px, recompressed, metadata stripped.`,
        pages: [
          pageTruth(page, 0, forwarded, {
            format: 'jpeg',
            container: 'single',
            fileDpi: 72,
            jpegQuality: quality,
          }),
        ],
      },
    });
  }
  return files;
}

/**
 * Captures clean pages as files of one kind. `pages` are in paper order, a submission's pages
 * consecutive (same `id`). Deterministic: same pages and seed give the same bytes.
 */
export async function captureFiles(
  kind: CaptureKind,
  pages: CleanPage[],
  seed: string,
  options: CaptureOptions = {},
): Promise<CapturedFile[]> {
  if (pages.length === 0) return [];
  switch (kind) {
    case 'clean':
      return captureClean(pages);
    case 'office-scan':
      return captureOffice(pages, seed);
    case 'feeder-pdf':
      return captureFeeder(pages, seed);
    case 'phone-photo':
    case 'chat-photo':
      return capturePhotos(pages, seed, kind, options.photoScale ?? 1);
  }
}
