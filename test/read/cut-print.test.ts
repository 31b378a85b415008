// Where lifting a seal out took strokes of the print under it: the pixels that were ink, are white
// now and touch what print was kept.
import { describe, expect, it } from 'vitest';
import type { Raster } from '../../src/prepare/raster.js';
import { cutPrintPixels } from '../../src/read/cut-print.js';

const W = 40;
const H = 40;
function raster(paint: (x: number, y: number) => number): Raster {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = paint(x, y);
  return { width: W, height: H, channels: 1, data };
}
const upright = (x: number, y: number) => x >= 18 && x <= 21 && y >= 5 && y <= 34;
const crossbar = (x: number, y: number) => y >= 24 && y <= 27 && x >= 6 && x <= 30;
const whole = { x0: 0, y0: 0, x1: W - 1, y1: H - 1 };

describe('print cut by lifting a seal', () => {
  // A 4 drawn as an upright and a crossbar; the seal's stroke lay over the crossbar.
  const before = raster((x, y) => (upright(x, y) || crossbar(x, y) ? 30 : 250));
  it('counts the whitened ink along the kept strokes where a crossbar was lifted with the seal', () => {
    const after = raster((x, y) => (upright(x, y) ? 30 : 255));
    // The crossbar's pixels next to the upright on both sides, four rows high.
    expect(cutPrintPixels(before, after, whole)).toBe(8);
  });
  it('counts nothing where the print was kept whole', () => {
    expect(cutPrintPixels(before, before, whole)).toBe(0);
  });
  it('counts nothing where seal ink was lifted away from the print', () => {
    const sealed = raster((x, y) => (upright(x, y) ? 30 : x >= 30 && y <= 10 ? 140 : 250));
    const after = raster((x, y) => (upright(x, y) ? 30 : 255));
    expect(cutPrintPixels(sealed, after, whole)).toBe(0);
  });
  it('counts only inside the box asked about', () => {
    const after = raster((x, y) => (upright(x, y) ? 30 : 255));
    expect(cutPrintPixels(before, after, { x0: 0, y0: 0, x1: W - 1, y1: 20 })).toBe(0);
  });
});
