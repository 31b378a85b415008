// Red seals over black text. Measured: the red channel alone does not work, because JPEG
// smears the chroma of thin strokes; a blurred redness map R − max(G, B) marks where a seal is, and
// inside it only near-black pixels (the print under the seal) are kept. Whitening the paper
// afterwards removes the lighter patch the mask leaves behind. Sealed-field CER: 13 % → 1.4 %.
import { boxBlur, type Raster, toGrey } from './raster.js';

export interface RedInkOptions {
  /** Blur radius of the redness map in pixels (~6 at 300 dpi). */
  radius?: number;
  /** Blurred redness above this marks seal area. */
  threshold?: number;
  /** Inside seal area, pixels darker than this (luma) are print and are kept. */
  keepBelow?: number;
  /**
   * Inside seal area the darkness test is luma + weight × redness < keepBelow. Default 0 (the measured
   * luma-only rule), which scans need. On photos, print seen through the seal ink is lighter than
   * luma 80 but less red than the ink: keepBelow 100 with weight 0.4 kept 年 under 样章 where the
   * default broke it (preparePage uses that for flattened pages).
   */
  rednessWeight?: number;
  /** Pixels the seal area is grown by beyond the threshold of the map. */
  grow?: number;
  /** Dark blobs inside the seal area smaller than this many pixels are seal residue. */
  minSpeck?: number;
  /** Greyscale pixels lighter than this become white; false to skip (photos need flattening first). */
  whitenAbove?: number | false;
}

export interface RedInkResult {
  /** Greyscale page with the seal removed. */
  grey: Raster;
  /** 1 where the blurred redness map marked seal area. */
  mask: Uint8Array;
  /** Share of the page inside the mask. */
  share: number;
}

/** Pixels around the seal mask (at 300 dpi) where the paper is whitened: the patch it leaves. */
const WHITEN_AROUND = 24;

/** Redness R − max(G, B), clamped at 0, per pixel. */
export function redness(rgb: Raster): Uint8Array {
  const n = rgb.width * rgb.height;
  const out = new Uint8Array(n);
  const d = rgb.data;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    const r = d[o] as number;
    const g = d[o + 1] as number;
    const b = d[o + 2] as number;
    const v = r - Math.max(g, b);
    out[i] = Math.max(v, 0);
  }
  return out;
}

/** Greyscale pixels lighter than `above` become white (paper). Returns a new raster. */
export function whitenPaper(grey: Raster, above = 180): Raster {
  const out = new Uint8Array(grey.data);
  for (let i = 0; i < out.length; i++) if ((out[i] as number) > above) out[i] = 255;
  return { ...grey, data: out };
}

/** Removes red ink (seals) from a colour page, returning greyscale. Greyscale input passes through. */
export function separateRedInk(image: Raster, opts: RedInkOptions = {}): RedInkResult {
  const grey = toGrey(image);
  const n = image.width * image.height;
  // A greyscale scan has no colour to tell the seal by: see stampEvidence for what it does have.
  if (image.channels === 1) return { grey, mask: new Uint8Array(n), share: 0 };
  const radius = opts.radius ?? 6;
  const threshold = opts.threshold ?? 20;
  const red = redness(image);
  const keepBelow = opts.keepBelow ?? 80;
  const weight = opts.rednessWeight ?? 0;
  const W = image.width;
  const H = image.height;
  // The map is blurred anyway: build it at half resolution (2×2 means, half the radius), a quarter
  // of the work on a 9-megapixel page.
  const hw = Math.ceil(W / 2);
  const hh = Math.ceil(H / 2);
  const half = new Uint8Array(hw * hh);
  for (let y = 0; y < hh; y++) {
    const y0 = 2 * y;
    const y1 = Math.min(H - 1, y0 + 1);
    for (let x = 0; x < hw; x++) {
      const x0 = 2 * x;
      const x1 = Math.min(W - 1, x0 + 1);
      half[y * hw + x] =
        ((red[y0 * W + x0] as number) +
          (red[y0 * W + x1] as number) +
          (red[y1 * W + x0] as number) +
          (red[y1 * W + x1] as number) +
          2) >>
        2;
    }
  }
  const map = boxBlur(half, hw, hh, radius / 2);
  // The map's threshold cuts through the seal's faint fringe, leaving grey dots just outside the
  // mask that OCR reads as trailing punctuation: grow the mask by a few pixels.
  const grow = Math.max(0, Math.round((opts.grow ?? 4) / 2));
  const halfMask = new Uint8Array(hw * hh);
  for (let i = 0; i < halfMask.length; i++) halfMask[i] = (map[i] as number) > threshold ? 1 : 0;
  const grown = grow > 0 ? dilate(halfMask, hw, hh, grow) : halfMask;
  const mask = new Uint8Array(n);
  const out = new Uint8Array(grey.data);
  let masked = 0;
  for (let y = 0; y < H; y++) {
    const mrow = (y >> 1) * hw;
    for (let x = 0; x < W; x++) {
      if (!grown[mrow + (x >> 1)]) continue;
      const i = y * W + x;
      mask[i] = 1;
      masked++;
      if ((out[i] as number) + weight * (red[i] as number) >= keepBelow) out[i] = 255;
    }
  }
  // JPEG ringing leaves small dark specks where the seal was; OCR reads them as trailing
  // punctuation (同意推荐“). Print under the seal forms bigger blobs or runs on outside the mask.
  removeSpecks(out, mask, W, H, keepBelow, opts.minSpeck ?? 24);
  const whiten = opts.whitenAbove ?? 180;
  if (whiten !== false && masked > 0) {
    // Only around the seals: the page elsewhere keeps its light greys. Whitening it all wiped the
    // faint rules of a photo forwarded by a chat app (grey ~190 after flattening) into dashes, and
    // no table was found on the page (bench:ocr, dev seeds, chat photos).
    const near = dilate(grown, hw, hh, WHITEN_AROUND / 2);
    for (let y = 0; y < H; y++) {
      const mrow = (y >> 1) * hw;
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        if (near[mrow + (x >> 1)] && (out[i] as number) > whiten) out[i] = 255;
      }
    }
  }
  return { grey: { ...grey, data: out }, mask, share: masked / n };
}

/** Whitens dark 8-connected blobs lying wholly inside the mask with fewer than `minArea` pixels. */
function removeSpecks(
  out: Uint8Array,
  mask: Uint8Array,
  W: number,
  H: number,
  dark: number,
  minArea: number,
): void {
  const seen = new Uint8Array(W * H);
  const stack: number[] = [];
  const blob: number[] = [];
  for (let start = 0; start < out.length; start++) {
    if (!mask[start] || seen[start] || (out[start] as number) >= dark) continue;
    seen[start] = 1;
    stack.push(start);
    blob.length = 0;
    let anchored = false;
    while (stack.length > 0) {
      const p = stack.pop() as number;
      blob.push(p);
      const x = p % W;
      const y = (p - x) / W;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= W || (dx === 0 && dy === 0)) continue;
          const q = yy * W + xx;
          if ((out[q] as number) >= dark) continue;
          if (!mask[q]) anchored = true;
          else if (!seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    if (!anchored && blob.length < minArea) for (const p of blob) out[p] = 255;
  }
}

/** Binary dilation by a (2r+1)² square, separable. */
function dilate(src: Uint8Array, W: number, H: number, r: number): Uint8Array {
  const tmp = new Uint8Array(W * H);
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!src[y * W + x]) continue;
      for (let k = Math.max(0, x - r); k <= Math.min(W - 1, x + r); k++) tmp[y * W + k] = 1;
    }
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!tmp[y * W + x]) continue;
      for (let k = Math.max(0, y - r); k <= Math.min(H - 1, y + r); k++) out[k * W + x] = 1;
    }
  }
  return out;
}

/**
 * Whether a stretch along a ruling line lies under a seal: at nearly every step along it, within a
 * few pixels of the line, there is either the rule itself (print kept on the prepared page) or red
 * seal ink (on the colour copy). Lifting the seal out takes the rule's pixels where the ink crossed
 * them, and a border broken over a seal's width is no rule to the grid; a true end of a rule has
 * paper along the stretch (bench:ocr, dev-13 office scan: the table's right border under the seal
 * of 推荐单位意见 was lost, and with it every value cell of the page).
 * `vertical`: the line x = pos from y = from to y = to; else y = pos from x = from to x = to.
 */
export type SealCover = (vertical: boolean, pos: number, from: number, to: number) => boolean;

/** Redness (R − max(G, B)) of seal ink over paper or print; paper tints stay well below. */
const SEAL_INK_REDNESS = 30;
/** Darker than this on the prepared page: the rule's own print. */
const RULE_INK = 160;
/** Steps along the stretch that may show neither rule nor seal (a stroke's halo, JPEG noise). */
const BARE_SHARE = 0.08;
/** Steps that must show seal ink: the stretch is under a seal, not just a rule that faded. */
const RED_SHARE = 0.25;

export function sealCover(colour: Raster, page: Raster): SealCover {
  const W = page.width;
  const H = page.height;
  const across = Math.max(2, Math.round(W / 600));
  return (vertical, pos, from, to) => {
    if (colour.channels !== 3 || colour.width !== W || colour.height !== H) return false;
    let steps = 0;
    let bare = 0;
    let red = 0;
    for (let t = Math.max(0, from); t <= Math.min(to, (vertical ? H : W) - 1); t++) {
      let dark = false;
      let inked = false;
      for (let d = -across; d <= across; d++) {
        const x = vertical ? pos + d : t;
        const y = vertical ? t : pos + d;
        if (x < 0 || y < 0 || x >= W || y >= H) continue;
        const i = y * W + x;
        if ((page.data[i] as number) < RULE_INK) dark = true;
        const o = i * 3;
        const r = colour.data[o] as number;
        const g = colour.data[o + 1] as number;
        const b = colour.data[o + 2] as number;
        if (r - Math.max(g, b) >= SEAL_INK_REDNESS) inked = true;
      }
      steps++;
      if (inked) red++;
      else if (!dark) bare++;
    }
    return steps > 0 && bare <= steps * BARE_SHARE && red >= steps * RED_SHARE;
  };
}
