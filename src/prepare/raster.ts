// Raw pixel buffers shared by the prepare steps. Each step works on plain typed arrays so that it can
// be tested alone on a few hundred pixels; sharp is used only where it is much faster than JS
// (decoding, encoding, resizing, rotation).
import sharp, { type Sharp } from 'sharp';

/** Interleaved 8-bit pixels, row-major, no padding: 1 channel (greyscale) or 3 (RGB). */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** Trust policy for images from outside: fail on truncated files, cap the pixel count. */
export interface DecodeOptions {
  /** Pixels per page; A4 at 600 dpi is about 35 megapixels. */
  limitInputPixels?: number;
}

export function makeRaster(width: number, height: number, channels: 1 | 3, fill = 255): Raster {
  const data = new Uint8Array(width * height * channels);
  if (fill !== 0) data.fill(fill);
  return { width, height, channels, data };
}

export function checkRaster(r: Raster, what: string): void {
  if (!Number.isInteger(r.width) || !Number.isInteger(r.height) || r.width <= 0 || r.height <= 0) {
    throw new TypeError(
      `Expected positive integer width and height for ${what} but received ${r.width}×${r.height}`,
    );
  }
  if (r.data.length !== r.width * r.height * r.channels) {
    throw new TypeError(
      `Expected ${r.width * r.height * r.channels} bytes for ${what} (${r.width}×${r.height}×${r.channels}) but received ${r.data.length}`,
    );
  }
}

function sharpOf(r: Raster): Sharp {
  return sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } });
}

async function collect(s: Sharp, channels: 1 | 3): Promise<Raster> {
  // sharp turns one-channel raw input into sRGB on output unless told to stay in b-w.
  const pipeline = channels === 1 ? s.toColourspace('b-w') : s.toColourspace('srgb').removeAlpha();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) {
    throw new Error(`Expected ${channels} channels from sharp but received ${info.channels}`);
  }
  return {
    width: info.width,
    height: info.height,
    channels,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/**
 * Decodes PNG/JPEG/TIFF bytes, applying the EXIF orientation (phone photos rely on it). Returns one
 * channel when the picture carries no colour, so that greyscale scans saved as RGB cost a third.
 */
export async function decodeImage(bytes: Buffer, opts: DecodeOptions = {}): Promise<Raster> {
  const s = sharp(bytes, {
    failOn: 'truncated',
    limitInputPixels: opts.limitInputPixels ?? 80_000_000,
  }).rotate();
  // A greyscale file (most sheet-feeder scans) is decoded to one channel straight away.
  const { channels } = await s.metadata();
  if (channels === 1 || channels === 2) return collect(s, 1);
  const rgb = await collect(s, 3);
  return hasColour(rgb) ? rgb : toGrey(rgb);
}

/** Whether any noticeable share of pixels is coloured (a greyscale scan saved as RGB is not). */
export function hasColour(r: Raster): boolean {
  if (r.channels === 1) return false;
  const d = r.data;
  const n = r.width * r.height;
  // Sampling every 7th pixel is plenty: a seal covers thousands of pixels.
  let coloured = 0;
  let sampled = 0;
  for (let i = 0; i < n; i += 7) {
    const o = i * 3;
    const a = d[o] as number;
    const b = d[o + 1] as number;
    const c = d[o + 2] as number;
    const spread = Math.max(a, b, c) - Math.min(a, b, c);
    if (spread > 40) coloured++;
    sampled++;
  }
  return coloured / sampled > 0.0005;
}

/** ITU-R BT.601 luma, as sharp and tesseract compute it. */
export function toGrey(r: Raster): Raster {
  if (r.channels === 1) return r;
  const n = r.width * r.height;
  const out = new Uint8Array(n);
  const d = r.data;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    // Fixed-point weights (×256) of 0.299, 0.587, 0.114.
    out[i] = (77 * (d[o] as number) + 150 * (d[o + 1] as number) + 29 * (d[o + 2] as number) + 128) >> 8;
  }
  return { width: r.width, height: r.height, channels: 1, data: out };
}

export async function encodePng(r: Raster): Promise<Buffer> {
  checkRaster(r, 'encodePng input');
  const s = sharpOf(r);
  // Level 3, not 6: a field crop of a colour scan encodes in a third of the time for a quarter
  // more bytes (measured 25 against 70 ms for a 1800×500 cell); ingest writes one per field.
  return (r.channels === 1 ? s.toColourspace('b-w') : s).png({ compressionLevel: 3 }).toBuffer();
}

/**
 * Binary PGM (P5) of a greyscale raster: a header and the pixels as they are. What the OCR engine is
 * given: no compression to pay for on either side (tesseract's leptonica reads it directly).
 */
export function encodePgm(r: Raster): Buffer {
  checkRaster(r, 'encodePgm input');
  const grey = toGrey(r);
  const header = Buffer.from(`P5\n${grey.width} ${grey.height}\n255\n`, 'latin1');
  return Buffer.concat([header, grey.data]);
}

/** Resizes with sharp (area-averaging when shrinking). */
export async function resize(r: Raster, width: number, height: number): Promise<Raster> {
  return collect(sharpOf(r).resize(width, height, { fit: 'fill', kernel: 'linear' }), r.channels);
}

/** Scales so that the longer side is at most `maxSide`; returns the raster and the factor used. */
export async function shrinkTo(r: Raster, maxSide: number): Promise<{ image: Raster; scale: number }> {
  const long = Math.max(r.width, r.height);
  if (long <= maxSide) return { image: r, scale: 1 };
  const scale = maxSide / long;
  const w = Math.max(1, Math.round(r.width * scale));
  const h = Math.max(1, Math.round(r.height * scale));
  return { image: await resize(r, w, h), scale: w / r.width };
}

/** Rotates clockwise by a multiple of 90°, losslessly. */
export async function rotateQuarter(r: Raster, degrees: 0 | 90 | 180 | 270): Promise<Raster> {
  if (degrees === 0) return r;
  return collect(sharpOf(r).rotate(degrees), r.channels);
}

/**
 * Rotates clockwise by a small angle about the centre, keeping the canvas size; uncovered corners
 * become white (paper), so that no dark wedge looks like ink to later steps.
 */
export async function rotateSmall(r: Raster, degrees: number): Promise<Raster> {
  if (Math.abs(degrees) < 1e-3) return r;
  const white = r.channels === 1 ? { r: 255, g: 255, b: 255 } : '#ffffff';
  const rotated = await collect(sharpOf(r).rotate(degrees, { background: white }), r.channels);
  const left = Math.max(0, Math.round((rotated.width - r.width) / 2));
  const top = Math.max(0, Math.round((rotated.height - r.height) / 2));
  return crop(rotated, { x: left, y: top, w: r.width, h: r.height });
}

/** Copies a box out of a raster; the box is clipped to the image. */
/**
 * Share of each side of a scan where the scanner lid's shadow, a feeder's backing or a desk lies,
 * at the scanner's angle rather than the page's: page analysis leaves that frame out.
 */
export const SCAN_EDGE_SHARE = 0.035;

export function crop(r: Raster, box: { x: number; y: number; w: number; h: number }): Raster {
  const x0 = Math.max(0, Math.min(r.width, Math.round(box.x)));
  const y0 = Math.max(0, Math.min(r.height, Math.round(box.y)));
  const x1 = Math.max(x0, Math.min(r.width, Math.round(box.x + box.w)));
  const y1 = Math.max(y0, Math.min(r.height, Math.round(box.y + box.h)));
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const c = r.channels;
  // Every byte is copied over below unless the box lies off the image (then 1 px of paper).
  const out = makeRaster(w, h, c, x1 > x0 && y1 > y0 ? 0 : 255);
  for (let y = 0; y < Math.min(h, y1 - y0); y++) {
    const from = ((y0 + y) * r.width + x0) * c;
    out.data.set(r.data.subarray(from, from + (x1 - x0) * c), y * w * c);
  }
  return out;
}

/** Separable box blur of one channel (running sums: cost independent of the radius). */
export function boxBlur(src: ArrayLike<number>, width: number, height: number, radius: number): Float32Array {
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const r = Math.max(0, Math.floor(radius));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    let count = 0;
    for (let x = 0; x <= Math.min(r, width - 1); x++) {
      sum += src[row + x] as number;
      count++;
    }
    for (let x = 0; x < width; x++) {
      tmp[row + x] = sum / count;
      const add = x + r + 1;
      const drop = x - r;
      if (add < width) {
        sum += src[row + add] as number;
        count++;
      }
      if (drop >= 0) {
        sum -= src[row + drop] as number;
        count--;
      }
    }
  }
  // Vertical pass row by row with running column sums: sequential memory access (a column-wise
  // loop over a 300 dpi page is several times slower).
  const sums = new Float64Array(width);
  let count = 0;
  for (let y = 0; y <= Math.min(r, height - 1); y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) sums[x] = (sums[x] as number) + (tmp[row + x] as number);
    count++;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = (sums[x] as number) / count;
    const add = y + r + 1;
    const drop = y - r;
    if (add < height) {
      const a = add * width;
      for (let x = 0; x < width; x++) sums[x] = (sums[x] as number) + (tmp[a + x] as number);
      count++;
    }
    if (drop >= 0) {
      const d = drop * width;
      for (let x = 0; x < width; x++) sums[x] = (sums[x] as number) - (tmp[d + x] as number);
      count--;
    }
  }
  return out;
}

/** Histogram of one-channel pixels. */
export function histogram(grey: Raster): Uint32Array {
  const h = new Uint32Array(256);
  const d = grey.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    h[v] = (h[v] as number) + 1;
  }
  return h;
}

/** Otsu's threshold: pixels <= the result are ink. */
export function otsu(hist: ArrayLike<number>): number {
  let total = 0;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) {
    total += hist[v] as number;
    sumAll += v * (hist[v] as number);
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t] as number;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * (hist[t] as number);
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** The value below which `share` of the pixels lie. */
export function percentile(hist: ArrayLike<number>, share: number): number {
  let total = 0;
  for (let v = 0; v < 256; v++) total += hist[v] as number;
  const target = total * share;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] as number;
    if (acc >= target) return v;
  }
  return 255;
}
