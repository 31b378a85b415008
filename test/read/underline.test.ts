// Rules under or through a line of text are whitened before it is read; strokes are not.
import { describe, expect, it } from 'vitest';
import { makeRaster, type Raster } from '../../src/prepare/raster.js';
import { clearBeyond } from '../../src/read/index.js';
import { eraseRules } from '../../src/read/underline.js';

function line(width: number, height: number, ink: (x: number, y: number) => boolean): Raster {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = ink(x, y) ? 0 : 255;
  return { width, height, channels: 1, data };
}
const inkAt = (r: Raster, x: number, y: number) => (r.data[y * r.width + x] as number) < 128;

describe('eraseRules', () => {
  // Characters: 40 px blocks with a horizontal stroke (一) of 36 px and a vertical one; an
  // underline the width of the value, two pixels thick, touching the characters' feet.
  const glyphs = (x: number, y: number) =>
    x % 50 < 40 && ((y === 20 && x % 50 >= 2 && x % 50 < 38) || (x % 50 === 20 && y >= 6 && y < 46));
  const underline = (x: number, y: number) => (y === 46 || y === 47) && x >= 10 && x < 590;

  it('whitens a rule far longer than the line is high, and keeps every stroke', () => {
    const img = line(600, 50, (x, y) => glyphs(x, y) || underline(x, y));
    const out = eraseRules(img);
    expect(inkAt(out, 300, 46)).toBe(false);
    expect(inkAt(out, 300, 47)).toBe(false);
    expect(inkAt(out, 20, 20)).toBe(true);
    expect(inkAt(out, 70, 30)).toBe(true);
    expect(inkAt(img, 300, 46)).toBe(true); // the input is left as it was
  });

  it('returns a line without rules unchanged', () => {
    const img = line(600, 50, glyphs);
    expect(eraseRules(img)).toBe(img);
  });
});

describe('a row set tight under its cell’s top rule', () => {
  it('is read beyond the inset up to the rule, and no further', () => {
    // A rule at y 10–12 across the page; a character's top at y 14, below the cell's inset top (20).
    const page = makeRaster(200, 60, 1);
    page.data.fill(0, 10 * 200, 13 * 200);
    for (let y = 14; y < 40; y++) page.data.fill(0, y * 200 + 30, y * 200 + 50);
    const across = { x: 20, w: 160 };
    expect(clearBeyond(page, across, 20, -1, 15)).toBe(7);
    // Nothing in the way: as far as it may reach.
    expect(clearBeyond(page, across, 45, 1, 10)).toBe(10);
  });
});
