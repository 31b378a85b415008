// The rows of a cell as the reader cuts them for OCR: how far along a row its ink reaches.
import { describe, expect, it } from 'vitest';
import type { Raster } from '../../src/prepare/raster.js';
import { fainterPrint, runsOnPastRight, textRows } from '../../src/read/index.js';

/** A 1200 × 80 cell: eight 40 px characters of print (grey 40) from x 20, a mark after them. */
function cell(mark: { x: number; grey: number; size: number } | null): Raster {
  const width = 1200;
  const height = 80;
  const data = new Uint8Array(width * height).fill(255);
  const block = (x0: number, y0: number, x1: number, y1: number, v: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = v;
  };
  for (let i = 0; i < 8; i++) block(20 + i * 48, 20, 60 + i * 48, 60, 40);
  if (mark) {
    // A ring like a 。 set low in its character's box.
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - mark.x, y - 52);
        if (d <= mark.size / 2 && d >= mark.size / 2 - 2) data[y * width + x] = mark.grey;
      }
  }
  return { width, height, channels: 1, data };
}

describe('a row’s extent', () => {
  it('takes in a full stop lighter than print at the line’s end', () => {
    // The light 。 of a thin face on a light scan: 149, above the ink test, below the paper.
    const [row] = textRows(cell({ x: 420, grey: 149, size: 12 }));
    expect(row?.x1).toBeGreaterThan(425);
  });

  it('ends at the print when nothing but paper follows, or the faint mark is far off', () => {
    expect(textRows(cell(null))[0]?.x1).toBe(396);
    // 200 px on: another thing, not this line's.
    expect(textRows(cell({ x: 600, grey: 149, size: 12 }))[0]?.x1).toBe(396);
  });

  it('keeps a speck of the paper’s grain out', () => {
    const img = cell(null);
    img.data[52 * img.width + 410] = 180;
    expect(textRows(img)[0]?.x1).toBe(396);
  });
});

describe('print fainter than the ink test', () => {
  /** A 1200 × 120 cell of paper with grain, and eight characters' strokes in `grey` (or none). */
  function paleCell(grey: number | null): Raster {
    const width = 1200;
    const height = 120;
    const data = new Uint8Array(width * height).fill(255);
    // The paper's grain: a light speck every few pixels, as a recompressed photo leaves.
    for (let i = 0; i < data.length; i += 7) data[i] = 238;
    if (grey !== null)
      for (let i = 0; i < 8; i++)
        for (let y = 40; y < 80; y++)
          for (let x = 300 + i * 48; x < 340 + i * 48; x++)
            if ((x + y) % 9 < 3 || y % 10 < 2) data[y * width + x] = grey;
    return { width, height, channels: 1, data };
  }

  it('is darkened into a row the reader can cut, where the ink test finds nothing', () => {
    const pale = paleCell(185);
    expect(textRows(pale)).toHaveLength(0);
    const darkened = fainterPrint(pale);
    expect(darkened).toBeDefined();
    const rows = textRows(darkened as Raster);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ x0: 300 });
  });

  it('leaves a cell of paper and grain alone: it is blank', () => {
    expect(fainterPrint(paleCell(null))).toBeUndefined();
  });
});

describe('print running on past a cell’s right edge', () => {
  /** A 600 × 140 page: a cell 0–300 wide, a rule at its right edge or none, a character beyond. */
  function page(opts: { rule: 'straight' | 'tilted' | null; beyond: boolean }): Raster {
    const width = 600;
    const height = 140;
    const data = new Uint8Array(width * height).fill(255);
    if (opts.rule)
      for (let y = 0; y < height; y++) {
        const x = 300 + (opts.rule === 'tilted' ? Math.round((y / height) * 6) - 3 : 0);
        for (let d = -1; d <= 1; d++) data[y * width + x + d] = 0;
      }
    // A character's strokes 40 px high, just right of the edge (its cell's next character).
    if (opts.beyond) for (let y = 50; y < 90; y++) for (let x = 306; x < 340; x += 5) data[y * width + x] = 0;
    return { width, height, channels: 1, data };
  }
  const cell = { x: 0, y: 0, w: 300, h: 140 };

  it('is found where no rule closes the cell and characters go on beyond it', () => {
    expect(runsOnPastRight(page({ rule: null, beyond: true }), cell, 8)).toBe(true);
  });

  it('is not found where a rule closes the cell, straight or a little off the vertical, or nothing is beyond', () => {
    expect(runsOnPastRight(page({ rule: 'straight', beyond: true }), cell, 8)).toBe(false);
    expect(runsOnPastRight(page({ rule: 'tilted', beyond: true }), cell, 8)).toBe(false);
    expect(runsOnPastRight(page({ rule: null, beyond: false }), cell, 8)).toBe(false);
  });
});
