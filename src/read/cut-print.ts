// Print a seal's lifting cut into. Lifting a seal out whitens its ink, and where a stroke of the
// seal crossed a digit, the part of the digit under it went too when the seal's ink lay over the
// print (a 4 crossed by the seal's lettering kept only its upright: both readers read 1, and agreed;
// bench:ocr, dev seeds, a colour office scan and a phone photo). What is left of such a glyph is no
// evidence of what was printed, however sure the readers are: such a row is read once more from a
// copy where the seal is faded out rather than lifted (the red channel of a colour page, where red
// ink is as light as paper and print under it stays dark; the grey before lifting otherwise), and
// its numbers must come out the same.
import type { Raster } from '../prepare/raster.js';

/** Darker than this before lifting: ink, the seal's or the print's (paper and print halos are lighter). */
const INK = 150;
/** Lighter than this after lifting: whitened. */
const WHITENED = 200;
/** Darker than this after lifting: print that was kept. */
const KEPT = 128;

/**
 * Pixels of a box (in the rasters' coordinates) that were ink before the seal was lifted, are white
 * after, and touch print that was kept: where the lifting cut a kept stroke. Both rasters are grey
 * and of one size.
 */
export function cutPrintPixels(
  before: Raster,
  after: Raster,
  box: { x0: number; y0: number; x1: number; y1: number },
): number {
  const W = after.width;
  const H = after.height;
  const x0 = Math.max(1, box.x0);
  const y0 = Math.max(1, box.y0);
  const x1 = Math.min(W - 2, box.x1);
  const y1 = Math.min(H - 2, box.y1);
  let cut = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * W + x;
      if ((before.data[i] as number) >= INK || (after.data[i] as number) < WHITENED) continue;
      let touches = false;
      for (let dy = -1; dy <= 1 && !touches; dy++)
        for (let dx = -1; dx <= 1; dx++)
          if ((after.data[i + dy * W + dx] as number) < KEPT) {
            touches = true;
            break;
          }
      if (touches) cut++;
    }
  }
  return cut;
}

/**
 * The red channel of a colour crop, stretched to black and white: a red seal's ink is nearly as
 * light as the paper there, while print — under the seal's ink too — stays dark.
 */
export function sealFaded(colour: Raster): Raster {
  if (colour.channels === 1) return colour;
  const n = colour.width * colour.height;
  const red = new Uint8Array(n);
  const count = new Uint32Array(256);
  for (let i = 0; i < n; i++) {
    const v = colour.data[i * 3] as number;
    red[i] = v;
    count[v] = (count[v] as number) + 1;
  }
  // The darkest hundredth is ink's core and the lightest tenth paper: stretched to 0 and 255.
  const at = (share: number) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += count[v] as number;
      if (seen >= share * n) return v;
    }
    return 255;
  };
  const lo = at(0.01);
  const hi = Math.max(lo + 1, at(0.9));
  for (let i = 0; i < n; i++)
    red[i] = Math.max(0, Math.min(255, Math.round((((red[i] as number) - lo) * 255) / (hi - lo))));
  return { width: colour.width, height: colour.height, channels: 1, data: red };
}

/** Whether two readings of a row hold the same numbers, in the same order (2020年5月4日, 2020.05.04). */
export function sameNumbers(a: string, b: string): boolean {
  const numbers = (t: string) => (t.match(/\d+/gu) ?? []).map(Number).join('-');
  return numbers(a) !== '' && numbers(a) === numbers(b);
}
