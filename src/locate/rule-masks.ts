// The contrast look for ruling lines (see GridOptions.detector in grid.ts): masks of pixels darker
// than the paper on both sides across a rule, for faint, blurred or shadowed rules on photos.
import { otsu } from '../prepare/raster.js';

/** Rows (columns) either side over which a contrast-mask pixel is spread: slope and bend tolerance. */
export const SPREAD = 1;

/**
 * Ink masks for the contrast detector (0 = ink, 255 = paper), one for horizontal rules and one for
 * vertical ones. A pixel is rule ink when it is darker by `margin` than the paper `reach` pixels
 * on both sides across the rule (a one-dimensional black top-hat with two probes: shading and
 * shadow edges change slowly and cancel out); the mark is then spread over ±SPREAD pixels across,
 * so a rule slightly off level still makes long runs on single scanlines.
 */
export function lineMasks(img: { data: Uint8Array | Buffer; width: number; height: number }): {
  horizontal: Uint8Array;
  vertical: Uint8Array;
} {
  const { data, width: W, height: H } = img;
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i += 3) {
    const v = data[i] as number;
    hist[v] = (hist[v] as number) + 1;
  }
  const level = otsu(hist);
  let total = 0;
  for (let v = 0; v < 256; v++) total += hist[v] as number;
  let acc = 0;
  let paper = 255;
  for (let v = 255; v >= 0; v--) {
    acc += hist[v] as number;
    if (acc >= total * 0.5) {
      paper = v;
      break;
    }
  }
  // The ink a rule must have over its surroundings: most of the page's paper-to-ink contrast.
  const margin = Math.max(30, Math.min(90, (paper - level) * 0.6));
  // Across a rule: its thickness (2–6 px at 300 dpi), blur and a little slope.
  const reach = Math.max(4, Math.round(W / 300));
  const horizontal = new Uint8Array(W * H).fill(255);
  const vertical = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < H; y++) {
    const up = Math.max(0, y - reach) * W;
    const down = Math.min(H - 1, y + reach) * W;
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const v = (data[row + x] as number) + margin;
      if (v >= 255 + margin - 1) continue;
      if (v <= (data[up + x] as number) && v <= (data[down + x] as number)) {
        for (let k = Math.max(0, y - SPREAD); k <= Math.min(H - 1, y + SPREAD); k++)
          horizontal[k * W + x] = 0;
      }
      const l = row + Math.max(0, x - reach);
      const r = row + Math.min(W - 1, x + reach);
      if (v <= (data[l] as number) && v <= (data[r] as number)) {
        for (let k = Math.max(0, x - SPREAD); k <= Math.min(W - 1, x + SPREAD); k++) vertical[row + k] = 0;
      }
    }
  }
  return { horizontal, vertical };
}
