import { beforeAll, describe, expect, it } from 'vitest';
import { deskew, estimateSkew } from '../../src/prepare/deskew.js';
import { makeRaster, type Raster } from '../../src/prepare/raster.js';
import { renderForm, rotated } from './fixtures.js';

let form: Raster;
let continuation: Raster;
beforeAll(async () => {
  form = await renderForm({ dpi: 150 });
  continuation = await renderForm({ dpi: 150, noTitle: true });
});

describe('estimateSkew', () => {
  it.each([-4.6, -2.3, -0.7, 0, 0.4, 1.9, 3.8, 4.9])('recovers a %s° rotation within 0.2°', async (angle) => {
    const est = await estimateSkew(await rotated(form, angle));
    expect(Math.abs(est.angle - angle)).toBeLessThanOrEqual(0.2);
    expect(est.confidence).toBeGreaterThan(0.5);
  });

  it('works on a page lying on its side and on one without a title', async () => {
    expect((await estimateSkew(await rotated(form, 90 + 2.7))).angle).toBeCloseTo(2.7, 0);
    expect(Math.abs((await estimateSkew(await rotated(continuation, -3.3))).angle + 3.3)).toBeLessThanOrEqual(
      0.2,
    );
  });

  it('gives confidence 0 on a blank page', async () => {
    expect(await estimateSkew(makeRaster(600, 800, 1))).toEqual({ angle: 0, confidence: 0 });
  });
});

describe('deskew', () => {
  it('levels the page and keeps its size', async () => {
    const tilted = await rotated(form, 2.6);
    const { image, skew } = await deskew(tilted);
    expect(skew.angle).toBeCloseTo(2.6, 0);
    expect([image.width, image.height]).toEqual([tilted.width, tilted.height]);
    expect(Math.abs((await estimateSkew(image)).angle)).toBeLessThanOrEqual(0.15);
  });
});
