// Turns a clean 300 dpi rendering of a form page into what the bureau actually receives: a flatbed
// or feeder scan (skew, paper tone, dust, blur, sensor noise, greyscale or 1-bit), or a phone photo
// (perspective, desk around the page, lamp light, a colour cast). Every geometric step is a known
// matrix, so the seals' final positions go into the ground truth exactly.
import type { Random } from './random.js';
import {
  addNoise,
  applyMat,
  blur,
  homography,
  type Mat3,
  type Point,
  type Raster,
  rotationAbout,
  smoothField,
  threshold,
  toGrey,
  toRgb,
  unevenLight,
  warp,
} from './raster.js';

/** `clean`: not a scan at all — the filled form exported straight to an image. */
export type PageStyle = 'scan-grey' | 'scan-colour' | 'scan-bilevel' | 'photo' | 'clean';

export interface DegradeOptions {
  style: PageStyle;
  /** Fed upside down: the page is turned 180° on top of the skew. */
  upsideDown?: boolean;
  /** A careful scan: less skew and noise. */
  gentle?: boolean;
}

export interface Degraded {
  image: Raster;
  /** Maps clean-page pixel coordinates to output pixel coordinates. */
  transform: Mat3;
  /** Total clockwise rotation of the content, degrees (skew, plus 180 when upside down). */
  rotation: number;
  /** Photos: the page's corners in the output (top-left, top-right, bottom-right, bottom-left). */
  pageQuad?: Point[];
}

// A photo from a 12-megapixel phone held over an A4 page: the page fills ~86 % of the frame's
// height, close to 300 dpi on the paper.
const PHOTO_W = 3024;
const PHOTO_H = 4032;

/** Paper is never pure white: a tone a little below white with a faint blotchy variation. */
function paperTone(r: Raster, rng: Random, level: number, variation: number): void {
  const field = smoothField(rng, Math.ceil(r.width / 16), Math.ceil(r.height / 16), 6);
  const fw = Math.ceil(r.width / 16);
  for (let y = 0; y < r.height; y++) {
    const row = (y >> 4) * fw;
    for (let x = 0; x < r.width; x++) {
      const k = level * (1 - variation * (field[row + (x >> 4)] as number));
      const o = (y * r.width + x) * r.channels;
      for (let c = 0; c < r.channels; c++) r.data[o + c] = (r.data[o + c] as number) * k;
    }
  }
}

/** A few specks of dust and toner on the glass. */
function dust(r: Raster, rng: Random, count: number): void {
  for (let n = 0; n < count; n++) {
    const cx = rng.range(0, r.width);
    const cy = rng.range(0, r.height);
    const rad = rng.range(0.8, 2.6);
    const shade = rng.range(60, 170);
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

export async function degrade(page: Raster, rng: Random, opts: DegradeOptions): Promise<Degraded> {
  if (opts.style === 'photo') return photo(page, rng);
  if (opts.style === 'clean')
    return { image: page, transform: rotationAbout(page.width, page.height, 0), rotation: 0 };
  const skew = rng.range(opts.gentle ? 0.2 : 0.5, opts.gentle ? 0.8 : 2) * (rng.next() < 0.5 ? -1 : 1);
  const rotation = skew + (opts.upsideDown ? 180 : 0);
  const transform = rotationAbout(page.width, page.height, rotation);
  let img = opts.style === 'scan-colour' ? toRgb(page) : toGrey(page);
  paperTone(img, rng, rng.range(0.965, 0.985), 0.015);
  dust(img, rng, Math.round(rng.range(4, 14)));
  // The scanner's lid shows where the skewed page does not cover the glass.
  const lid = opts.style === 'scan-colour' ? [246, 246, 242] : [245];
  img = warp(img, transform, page.width, page.height, lid);
  // Most of the noise goes in before the optics' blur: sensor and paper grain are correlated over
  // a few pixels, and white noise would bloat every JPEG beyond the samples' size budget.
  addNoise(img, rng, opts.gentle ? 3 : rng.range(4, 6));
  img = await blur(img, rng.range(0.6, 0.85));
  if (opts.style === 'scan-bilevel') {
    addNoise(img, rng, 5);
    img = threshold(img, 150);
  } else {
    addNoise(img, rng, opts.gentle ? 0.8 : 1.2);
  }
  return { image: img, transform, rotation };
}

async function photo(page: Raster, rng: Random): Promise<Degraded> {
  const rgb = toRgb(page);
  paperTone(rgb, rng, 0.985, 0.02);
  // The page as it lies under the phone: scaled into the frame, shifted a little, the far (top)
  // edge shorter because the phone is tilted, plus a small turn and uneven corners.
  const scale = (PHOTO_H * rng.range(0.84, 0.88)) / page.height;
  const w = page.width * scale;
  const h = page.height * scale;
  const cx = PHOTO_W / 2 + rng.range(-50, 50);
  const cy = PHOTO_H / 2 + rng.range(-40, 40);
  const taper = rng.range(0.035, 0.07) * w;
  const turn = (rng.range(-2.5, 2.5) * Math.PI) / 180;
  const jitter = () => rng.range(-18, 18);
  const raw: Point[] = [
    [-w / 2 + taper + jitter(), -h / 2 + jitter()],
    [w / 2 - taper + jitter(), -h / 2 + jitter()],
    [w / 2 + jitter(), h / 2 + jitter()],
    [-w / 2 + jitter(), h / 2 + jitter()],
  ];
  const quad: Point[] = raw.map(([x, y]) => [
    cx + x * Math.cos(turn) - y * Math.sin(turn),
    cy + x * Math.sin(turn) + y * Math.cos(turn),
  ]);
  const corners: Point[] = [
    [0, 0],
    [page.width, 0],
    [page.width, page.height],
    [0, page.height],
  ];
  const transform = homography(corners, quad);
  const desk: [number, number, number] = rng.next() < 0.5 ? [148, 112, 80] : [118, 120, 126];
  let img = warp(rgb, transform, PHOTO_W, PHOTO_H, desk);
  unevenLight(img, {
    base: rng.range(0.9, 0.97),
    gradient: [rng.range(-0.1, 0.1), rng.range(-0.12, 0.04)],
    vignette: rng.range(0.18, 0.3),
    cast: [1, rng.range(0.95, 0.98), rng.range(0.86, 0.92)],
  });
  img = await blur(img, rng.range(0.8, 1.1));
  addNoise(img, rng, rng.range(3.5, 5));
  const rotation =
    (Math.atan2(
      (quad[1] as Point)[1] - (quad[0] as Point)[1],
      (quad[1] as Point)[0] - (quad[0] as Point)[0],
    ) *
      180) /
    Math.PI;
  return { image: img, transform, rotation, pageQuad: corners.map((c) => applyMat(transform, c)) };
}
