// Uneven light (phone photos, curled pages): divide each pixel by the local paper brightness.
// The paper level is estimated on a small copy: a maximum filter removes the text, a blur smooths
// what is left. Without this, whitening the paper after seal masking wipes out whole paragraphs
// lying in shadow (measured).
import { boxBlur, makeRaster, type Raster, resize } from './raster.js';

export interface IlluminationOptions {
  /** A background already estimated by estimateBackground (saves estimating it twice). */
  background?: { background: Raster; spread: number };
  /** Size of the small copy's long side; the background is smooth at this scale. */
  workingSize?: number;
  /** Radius of the text-removing maximum filter on the small copy, in its pixels. */
  maxRadius?: number;
}

function rankFilter(
  src: Float32Array,
  W: number,
  H: number,
  r: number,
  pick: (a: number, b: number) => number,
): Float32Array {
  const tmp = new Float32Array(W * H);
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let m = src[y * W + x] as number;
      for (let k = Math.max(0, x - r); k <= Math.min(W - 1, x + r); k++)
        m = pick(m, src[y * W + k] as number);
      tmp[y * W + x] = m;
    }
  }
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) {
      let m = tmp[y * W + x] as number;
      for (let k = Math.max(0, y - r); k <= Math.min(H - 1, y + r); k++)
        m = pick(m, tmp[k * W + x] as number);
      out[y * W + x] = m;
    }
  }
  return out;
}
const maxFilter = (src: Float32Array, W: number, H: number, r: number) => rankFilter(src, W, H, r, Math.max);
const minFilter = (src: Float32Array, W: number, H: number, r: number) => rankFilter(src, W, H, r, Math.min);

/** Paper brightness per channel on a small copy, and how uneven it is (p95 − p5 of the grey level). */
export async function estimateBackground(
  image: Raster,
  opts: IlluminationOptions = {},
): Promise<{ background: Raster; spread: number }> {
  const long = Math.max(image.width, image.height);
  const size = Math.min(long, opts.workingSize ?? 160);
  const w = Math.max(1, Math.round((image.width * size) / long));
  const h = Math.max(1, Math.round((image.height * size) / long));
  const small = await resize(image, w, h);
  const c = small.channels;
  const r = opts.maxRadius ?? Math.max(2, Math.round(size / 60));
  const bg = makeRaster(w, h, c);
  const chan = new Float32Array(w * h);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < w * h; i++) chan[i] = small.data[i * c + k] as number;
    // A closing (the maximum, then the minimum over the same window) takes the text out without
    // moving the edge of a shadow: the maximum alone spread the lit paper into the shadow by its
    // radius, and the blur after it by twice more, so the paper beside a hand's shadow came out
    // dark grey and its noise, stretched, buried the table (bench:ocr, dev photos).
    const closed = minFilter(maxFilter(chan, w, h, r), w, h, r);
    const smooth = boxBlur(closed, w, h, Math.max(1, Math.round(r / 2)));
    for (let i = 0; i < w * h; i++) bg.data[i * c + k] = Math.max(1, Math.round(smooth[i] as number));
  }
  const levels: number[] = [];
  for (let i = 0; i < w * h; i++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += bg.data[i * c + k] as number;
    levels.push(s / c);
  }
  levels.sort((a, b) => a - b);
  const spread =
    (levels[Math.floor(levels.length * 0.95)] as number) -
    (levels[Math.floor(levels.length * 0.05)] as number);
  return { background: bg, spread };
}

/** Divides by the estimated paper brightness: paper becomes ~255 everywhere, ink keeps its contrast. */
export async function flattenIllumination(
  image: Raster,
  opts: IlluminationOptions = {},
): Promise<{ image: Raster; spread: number }> {
  const { background, spread } = opts.background ?? (await estimateBackground(image, opts));
  const bg = await resize(background, image.width, image.height);
  const out = new Uint8Array(image.data.length);
  const src = image.data;
  const b = bg.data;
  for (let i = 0; i < src.length; i++) {
    const v = ((src[i] as number) * 255) / (b[i] as number);
    out[i] = Math.min(v, 255);
  }
  return { image: { ...image, data: out }, spread };
}
