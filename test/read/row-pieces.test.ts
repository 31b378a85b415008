// A row read as nothing is read again piece by piece when a blot stands far off along it.
import { describe, expect, it } from 'vitest';
import type { Raster } from '../../src/prepare/raster.js';
import type { Row } from '../../src/read/row-check.js';
import { farApartPieces, joinPieces } from '../../src/read/row-pieces.js';

function line(width: number, height: number, inkColumns: [number, number][]): Raster {
  const data = new Uint8Array(width * height).fill(255);
  for (const [from, to] of inkColumns)
    for (let y = 10; y < height - 10; y++) data.fill(0, y * width + from, y * width + to);
  return { width, height, channels: 1, data };
}

describe('farApartPieces', () => {
  it('parts words from a blot more than three line heights away, with a margin round each', () => {
    // 同意。 at 10–140 (characters 40 px apart at most), a seal's arc at 1100–1280; 60 px high.
    const img = line(1300, 60, [
      [10, 50],
      [60, 100],
      [120, 140],
      [1100, 1280],
    ]);
    expect(farApartPieces(img)).toEqual([
      { from: 4, to: 146 },
      { from: 1094, to: 1286 },
    ]);
  });

  it('keeps words with ordinary spaces between them as one piece', () => {
    // （盖章）, a wide space, 2020年5月10日: 150 px apart on a 60 px line.
    const img = line(900, 60, [
      [10, 200],
      [350, 800],
    ]);
    expect(farApartPieces(img)).toHaveLength(1);
  });

  it('finds nothing on a blank line', () => {
    expect(farApartPieces(line(300, 40, []))).toEqual([]);
  });
});

describe('joinPieces', () => {
  const box = { x: 0, y: 0, w: 1300, h: 60 };
  const whole: Row = { box, text: '', confidence: 0, check: { text: '', agrees: true } };

  it('the words the pieces read, checked as each was; a piece read as nothing adds nothing', () => {
    const row = joinPieces(whole, [
      { box, text: '同意。', confidence: 0.995, check: { text: '同意。', agrees: true } },
      { box, text: '', confidence: 0, check: { text: '', agrees: true } },
    ]);
    expect(row).toEqual({ box, text: '同意。', confidence: 0.995, check: { text: '同意。', agrees: true } });
  });

  it('a piece the readers disagree on disputes the row', () => {
    const row = joinPieces(whole, [
      { box, text: '同意。', confidence: 0.995, check: { text: '同意。', agrees: true } },
      { box, text: '国e奶', confidence: 0.6, check: { text: '章', agrees: false } },
    ]);
    expect(row.text).toBe('同意。 国e奶');
    expect(row.confidence).toBeCloseTo(0.597);
    expect(row.check).toEqual({ text: '同意。 章', agrees: false });
  });

  it('nothing read in any piece: the row as it was read whole', () => {
    expect(joinPieces(whole, [{ box, text: '', confidence: 0 }])).toBe(whole);
  });
});
