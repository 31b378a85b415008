// Where lifting a seal out took strokes of the print under it: the pixels that were ink, are white
// now and touch what print was kept; and the copy a cut row is read again from.
import { describe, expect, it } from 'vitest';
import type { Raster } from '../../src/prepare/raster.js';
import { cutPrintPixels, sameNumbers, sealFaded } from '../../src/read/cut-print.js';

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

describe('a copy with the seal faded out', () => {
  // Paper, a red seal's ink, black print, and print under the seal's ink (darkened red).
  const colours = [
    [245, 243, 238],
    [225, 70, 70],
    [30, 30, 30],
    [110, 25, 25],
  ];
  const colour: Raster = {
    width: 4,
    height: 25,
    channels: 3,
    data: new Uint8Array(Array.from({ length: 100 }, (_, i) => colours[i % 4] as number[]).flat()),
  };
  it('keeps print dark, under the seal too, and takes the seal’s ink near the paper', () => {
    const faded = sealFaded(colour);
    const [paper, seal, print, under] = [...faded.data.slice(0, 4)] as number[];
    expect(paper).toBe(255);
    expect(print).toBe(0);
    expect(seal).toBeGreaterThan(200);
    expect(under).toBeLessThan(100);
  });
});

describe('two readings of a row with numbers', () => {
  it('agree when their numbers are the same in the same order, however written', () => {
    expect(sameNumbers('2020年6月24日', '2020 .06 .24')).toBe(true);
    expect(sameNumbers('2020.06.21', '2020 .06 .24')).toBe(false);
    expect(sameNumbers('2020年5月1日', '20289年5月木史')).toBe(false);
    expect(sameNumbers('同意。', '同意。')).toBe(false);
  });
});
