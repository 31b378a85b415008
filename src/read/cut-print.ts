// Print a seal's lifting cut into. Lifting a seal out whitens its ink, and where a stroke of the
// seal crossed a digit, the part of the digit under it went too when the seal's ink lay over the
// print (a 4 crossed by the seal's lettering kept only its upright: both readers read 1, and agreed;
// bench:ocr, dev seeds, a colour office scan and a phone photo). What is left of such a glyph is no
// evidence of what was printed, however sure the readers are.
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
