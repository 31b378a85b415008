// Page-level contrast: a linear stretch from the darkest ink to the paper level. Only for whole
// pages: on a small cell crop the same stretch turns scanner noise into full-contrast speckle and
// short values come back empty from OCR (measured).
import { histogram, percentile, type Raster } from './raster.js';

export interface ContrastResult {
  image: Raster;
  /** Input levels mapped to 0 and 255. */
  black: number;
  white: number;
}

/** Stretches [ink, paper] to [0, 255]: ink = 0.5th percentile, paper = median (forms are mostly paper). */
export function normaliseContrast(grey: Raster): ContrastResult {
  if (grey.channels !== 1)
    throw new TypeError(
      `Expected a greyscale raster for normaliseContrast but received ${grey.channels} channels`,
    );
  const hist = histogram(grey);
  const white = Math.max(percentile(hist, 0.5), 64);
  const black = Math.min(percentile(hist, 0.005), white - 64);
  if (black <= 0 && white >= 255) return { image: grey, black: 0, white: 255 };
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++)
    lut[v] = Math.max(0, Math.min(255, Math.round(((v - black) * 255) / (white - black))));
  const out = new Uint8Array(grey.data.length);
  const d = grey.data;
  for (let i = 0; i < d.length; i++) out[i] = lut[d[i] as number] as number;
  return { image: { ...grey, data: out }, black, white };
}
