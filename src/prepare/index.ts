// The prepare stage: one scanned or photographed page in, one level, upright, greyscale page with
// the red seals lifted out, plus a record of what was done for the log. Each step is its own
// module and can be used alone; this file only chains them:
//
//   decode → perspective (photos) → illumination (uneven light) → red ink (colour) → deskew
//          → contrast → orientation
import { performance } from 'node:perf_hooks';
import type { OcrEngine } from '../ocr/types.js';
import { normaliseContrast } from './contrast.js';
import { deskew, type SkewEstimate } from './deskew.js';
import type { Point, Quad } from './homography.js';
import { estimateBackground, flattenIllumination } from './illumination.js';
import { detectOrientation, type OrientationEstimate, type QuarterTurn } from './orientation.js';
import {
  correctPerspective,
  findPageQuad,
  isRectangular,
  type PageQuad,
  squareTable,
} from './perspective.js';
import {
  crop,
  type DecodeOptions,
  decodeImage,
  type Raster,
  resize,
  rotateQuarter,
  rotateSmall,
  toGrey,
} from './raster.js';
import { type RedInkOptions, separateRedInk } from './redink.js';

export { normaliseContrast } from './contrast.js';
export { deskew, estimateSkew, type SkewEstimate } from './deskew.js';
export {
  applyHomography,
  homographyFromPoints,
  invertHomography,
  type Point,
  type Quad,
  warpPerspective,
} from './homography.js';
export { estimateBackground, flattenIllumination } from './illumination.js';
export { detectOrientation, type OrientationEstimate, type QuarterTurn } from './orientation.js';
export {
  correctPerspective,
  findPageQuad,
  isRectangular,
  type PageQuad,
  rectangleAspect,
  squareTable,
} from './perspective.js';
export { crop, decodeImage, encodePng, type Raster, toGrey } from './raster.js';
export { redness, separateRedInk, whitenPaper } from './redink.js';
export { type StampEvidence, stampEvidence } from './stamp.js';

/** Red-ink settings for photos (flattened pages): measured on the sample phone photos. */
export const PHOTO_RED_INK: RedInkOptions = { keepBelow: 100, rednessWeight: 0.4 };

export interface PrepareOptions {
  /** 'auto': warp when a page on a background or a non-rectangular table is found. */
  perspective?: 'auto' | 'never';
  /** 'auto': flatten when the paper brightness varies by more than `unevenSpread` levels. */
  illumination?: 'auto' | 'always' | 'never';
  unevenSpread?: number;
  /** Scale an A4 scan below ~250 dpi up to 300 dpi (default true). */
  upscale?: boolean;
  /** Lift red seals out of colour pages (default true). */
  redInk?: boolean;
  deskew?: boolean;
  /** Detect (default) or impose the orientation. */
  orientation?: 'auto' | QuarterTurn;
  /** OCR fallback for orientation when the image statistics are unsure. */
  engine?: OcrEngine;
  /** Keep a colour copy with the same geometry (for stamp evidence); default true for colour input. */
  keepColour?: boolean;
  decode?: DecodeOptions;
}

export interface PrepareSteps {
  /**
   * The image as given. `bilevel`: only black and white pixels, whatever the file's format says (a
   * 1-bit scan kept as 8-bit RGB inside a PDF): a faded seal vanished from it, so a cell showing
   * none may still have been stamped.
   */
  source: { width: number; height: number; channels: 1 | 3; bilevel: boolean };
  perspective: (PageQuad & { applied: boolean }) | null;
  illumination: { spread: number; flattened: boolean };
  redInk: ({ share: number } & Pick<RedInkOptions, 'keepBelow' | 'rednessWeight'>) | null;
  skew: SkewEstimate | null;
  orientation: Pick<OrientationEstimate, 'angle' | 'confidence' | 'method'> | null;
  contrast: { black: number; white: number };
  timingsMs: Record<string, number>;
}

export interface PreparedPage {
  /** Greyscale, upright, level, seals lifted out, contrast stretched. */
  page: Raster;
  /** Colour copy with the same geometry (colour input only): seals are still there. */
  colour?: Raster;
  steps: PrepareSteps;
}

/** Runs the prepare steps on one page image (encoded bytes or decoded pixels). */
export async function preparePage(input: Buffer | Raster, opts: PrepareOptions = {}): Promise<PreparedPage> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - t) * 10) / 10;
    t = now;
  };
  const start = t;

  let image = Buffer.isBuffer(input) ? await decodeImage(input, opts.decode) : input;
  const source = {
    width: image.width,
    height: image.height,
    channels: image.channels,
    bilevel: looksBilevel(image),
  };
  lap('decode');
  // Scanners are set to 150 or 200 dpi as often as 300; every later step (ruling lines, text rows,
  // tesseract's settings) was measured at 300. An A4 page scanned below ~250 dpi is scaled up first.
  const scanScale = opts.upscale === false ? 1 : lowResolutionScanScale(image);
  if (scanScale > 1) {
    image = await resize(image, Math.round(image.width * scanScale), Math.round(image.height * scanScale));
    lap('upscale');
  }

  // The quad is found on the photo as taken (flattening would erase the page's edge against the
  // desk), but the warp comes after the red-ink step: interpolation blends black print with red
  // seal ink into pixels that pass neither test, and strokes under the seal broke.
  // A 1-bit image comes from a scanner (or a scanning app that has squared the page already): flat
  // paper, nothing to square. A table quad found on one is the table's own uneven edge — on a page
  // that starts mid-table, a warp that bent it and turned it upside down (bench:ocr, dev-13).
  let perspective: PrepareSteps['perspective'] = null;
  let warp: ((r: Raster) => Raster) | null = null;
  if (opts.perspective !== 'never' && !source.bilevel) {
    const found = await findPageQuad(image);
    if (found) {
      // A table quad smaller than a quarter of the image is part of a table whose faint rules broke
      // it up, not the table: squaring it would warp the page around a wrong shape.
      const apply =
        found.kind === 'page' || (!isRectangular(found.quad) && found.area >= MIN_TABLE_QUAD_AREA);
      perspective = { ...found, applied: apply };
      if (apply && found.kind === 'page') {
        // Only the page is read: the desk around it is cut off before the costly per-pixel steps
        // (light, red ink), keeping a margin for the background estimate.
        const frame = { width: image.width, height: image.height };
        const box = quadBox(found.quad, frame, 0.02);
        if (box.w * box.h < frame.width * frame.height * 0.9) image = crop(image, box);
        else box.x = box.y = 0;
        const quad = insetQuad(found.quad, 0.003).map((p) => ({
          x: p.x - box.x,
          y: p.y - box.y,
        })) as unknown as Quad;
        const origin = { x: box.x, y: box.y };
        warp = (r) => correctPerspective(r, quad, { a4: true, minWidth: A4_WIDTH_300DPI, frame, origin });
      } else if (apply) warp = (r) => squareTable(r, found.quad as Quad);
    }
    lap('perspective');
  }

  let illumination = { spread: 0, flattened: false };
  if (opts.illumination !== 'never') {
    const background = await estimateBackground(image);
    // A photo of a page on a desk always has uneven light (and the desk makes the spread huge).
    const flatten =
      opts.illumination === 'always' ||
      perspective?.kind === 'page' ||
      background.spread > (opts.unevenSpread ?? 30);
    illumination = { spread: background.spread, flattened: flatten };
    if (flatten) image = (await flattenIllumination(image, { background })).image;
    lap('illumination');
  }

  let colour = image.channels === 3 && opts.keepColour !== false ? image : undefined;
  let grey: Raster;
  let redInk: PrepareSteps['redInk'] = null;
  if (image.channels === 3 && opts.redInk !== false) {
    // Photos are blurrier than scans: print under a seal is lighter than the luma 80 measured on scans, and the
    // strict rule broke 年 under 样章 in a sample photo; a laxer limit with a redness penalty kept it.
    const settings = illumination.flattened ? PHOTO_RED_INK : {};
    const sep = separateRedInk(image, settings);
    grey = sep.grey;
    redInk = { share: sep.share, ...settings };
    lap('redInk');
  } else grey = toGrey(image);

  if (warp) {
    grey = warp(grey);
    if (colour) colour = warp(colour);
    lap('warp');
  }

  let skew: SkewEstimate | null = null;
  if (opts.deskew !== false) {
    const levelled = await deskew(grey);
    skew = levelled.skew;
    if (levelled.image !== grey) {
      grey = levelled.image;
      if (colour) colour = await rotateSmall(colour, -skew.angle);
    }
    lap('deskew');
  }

  const stretched = normaliseContrast(grey);
  grey = stretched.image;
  lap('contrast');
  let orientation: PrepareSteps['orientation'] = null;
  const fixed = opts.orientation !== undefined && opts.orientation !== 'auto' ? opts.orientation : null;
  // Deskewing a 1-bit scan greys the steps of its thin rules: counted as print only below the
  // usual darkness, a border falls apart into dashes that read as vertical text and no cells.
  const inkBelow = source.bilevel && skew && skew.angle !== 0 ? BILEVEL_INK_BELOW : undefined;
  const est =
    fixed === null
      ? await detectOrientation(grey, {
          ...(opts.engine ? { engine: opts.engine } : {}),
          ...(inkBelow ? { inkBelow } : {}),
        })
      : null;
  const angle: QuarterTurn = fixed ?? (est as OrientationEstimate).angle;
  orientation = est
    ? { angle: est.angle, confidence: est.confidence, method: est.method }
    : { angle, confidence: 1, method: 'statistics' };
  if (angle !== 0) {
    const back = ((360 - angle) % 360) as QuarterTurn;
    grey = await rotateQuarter(grey, back);
    if (colour) colour = await rotateQuarter(colour, back);
  }
  lap('orientation');

  timings.total = Math.round((performance.now() - start) * 10) / 10;

  return {
    page: grey,
    ...(colour ? { colour } : {}),
    steps: {
      source,
      perspective,
      illumination,
      redInk,
      skew,
      orientation,
      contrast: { black: stretched.black, white: stretched.white },
      timingsMs: timings,
    },
  };
}

/**
 * Whether an image holds black and white and (almost) nothing between: a grey scan's paper is never
 * one flat value, a rendered page's strokes are smoothed at their edges, a colour page has colour.
 * Every seventh pixel is enough to tell.
 */
export function looksBilevel(r: Raster): boolean {
  const d = r.data;
  const ch = r.channels;
  const pixels = d.length / ch;
  let between = 0;
  let seen = 0;
  for (let p = 0; p < pixels; p += 7) {
    const i = p * ch;
    const v = d[i] as number;
    if (ch === 3 && (d[i + 1] !== v || d[i + 2] !== v)) return false;
    if (v > 8 && v < 247) between++;
    seen++;
  }
  return seen > 0 && between / seen < BILEVEL_BETWEEN;
}

/** Share of grey pixels a black-and-white image may hold (a few from the scanner's own resampling). */
const BILEVEL_BETWEEN = 0.002;
/** Orientation's print threshold on a deskewed 1-bit page: the greyed steps of a rule still count. */
const BILEVEL_INK_BELOW = 170;

/** Least share of the image a table quad covers before its shape is trusted (the forms' tables: 40–70 %). */
const MIN_TABLE_QUAD_AREA = 0.25;

/** A4 at 300 dpi: 2481 × 3508 pixels. */
export const A4_WIDTH_300DPI = 2481;
const A4_HEIGHT_300DPI = 3508;

/**
 * How much to scale a scan up to 300 dpi: only images shaped like an A4 page (portrait or on its
 * side), so that photos — 4:3 frames with a desk around the page — are left to the perspective
 * step, which scales their page instead.
 */
export function lowResolutionScanScale(r: { width: number; height: number }): number {
  const long = Math.max(r.width, r.height);
  const short = Math.min(r.width, r.height);
  if (Math.abs(long / short / Math.SQRT2 - 1) > 0.035) return 1;
  if (long >= A4_HEIGHT_300DPI * 0.85) return 1;
  return Math.min(3, A4_HEIGHT_300DPI / long);
}

/** Bounding box of a quad grown by a share of the frame's long side, clipped to the frame. */
function quadBox(q: Quad, frame: { width: number; height: number }, share: number) {
  const grow = Math.max(frame.width, frame.height) * share;
  const x0 = Math.max(0, Math.floor(Math.min(...q.map((p) => p.x)) - grow));
  const y0 = Math.max(0, Math.floor(Math.min(...q.map((p) => p.y)) - grow));
  const x1 = Math.min(frame.width, Math.ceil(Math.max(...q.map((p) => p.x)) + grow));
  const y1 = Math.min(frame.height, Math.ceil(Math.max(...q.map((p) => p.y)) + grow));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Pulls the corners towards the centre by a share of the diagonal: keeps the desk's edge out. */
function insetQuad(q: Quad, share: number): Quad {
  const cx = (q[0].x + q[1].x + q[2].x + q[3].x) / 4;
  const cy = (q[0].y + q[1].y + q[2].y + q[3].y) / 4;
  const pull = (p: Point): Point => {
    return { x: p.x + (cx - p.x) * share * 2, y: p.y + (cy - p.y) * share * 2 };
  };
  return [pull(q[0]), pull(q[1]), pull(q[2]), pull(q[3])];
}
