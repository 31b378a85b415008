// A row read as nothing is read again piece by piece when a blot stands far off along it.
import { describe, expect, it } from 'vitest';
import { makeRaster, type Raster } from '../../src/prepare/raster.js';
import type { Row } from '../../src/read/row-check.js';
import {
  closeGaps,
  farApartPieces,
  isSlashStroke,
  joinPieces,
  rereadSpaced,
  spacedCharacters,
  unfilledDateLine,
} from '../../src/read/row-pieces.js';

function line(width: number, height: number, inkColumns: [number, number][]): Raster {
  const data = new Uint8Array(width * height).fill(255);
  for (const [from, to] of inkColumns)
    for (let y = 10; y < height - 10; y++) data.fill(0, y * width + from, y * width + to);
  return { width, height, channels: 1, data };
}

// An unfilled date line as the reader cuts it: 年, 月 and 日 40 px wide (each drawn as two strokes
// 6 px apart, a gap inside a character that must not part it), two character widths apart.
const char = (at: number, width = 40): [number, number][] => [
  [at, at + Math.round(width / 2) - 3],
  [at + Math.round(width / 2) + 3, at + width],
];
const spacedLine = (): Raster => line(400, 60, [...char(20), ...char(140), ...char(260)]);
/** The same line filled in: 2020 年 5 月 3 日 (more runs, and a wide one). */
const filledLine = (): Raster =>
  line(700, 60, [[10, 130], ...char(170), [240, 262], ...char(300), [370, 392], ...char(430)]);
const lineBox = { x: 0, y: 0, w: 400, h: 60 };
const printedOnly = (t: string) => /^[年月日“"\s]*$/u.test(t) && t.trim() !== '';
const agreedBlank: Row = {
  box: lineBox,
  text: '年月日',
  confidence: 0.995,
  check: { text: '年月日', agrees: true },
};

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

  it('a piece far off read as a mark by one reader and as nothing by the other is a speck, and left out', () => {
    const row = joinPieces(whole, [
      {
        box,
        text: '填表日期: 2020年4月21日',
        confidence: 0.995,
        check: { text: '填表日期:2020年4月21日', agrees: true },
      },
      { box, text: 'E', confidence: 0, check: { text: '', agrees: false } },
    ]);
    expect(row).toEqual({
      box,
      text: '填表日期: 2020年4月21日',
      confidence: 0.995,
      check: { text: '填表日期:2020年4月21日', agrees: true },
    });
  });

  it('nothing read in any piece: the row as it was read whole', () => {
    expect(joinPieces(whole, [{ box, text: '', confidence: 0 }])).toBe(whole);
  });
});

describe('spacedCharacters and closeGaps', () => {
  it('finds three characters set two character widths apart (年　　月　　日)', () => {
    const img = spacedLine();
    expect(spacedCharacters(img, 3)).toEqual([
      { from: 20, to: 60 },
      { from: 140, to: 180 },
      { from: 260, to: 300 },
    ]);
  });

  it('is no spaced line when digits stand between the characters, or the spacing is ordinary', () => {
    const filled = filledLine();
    expect(spacedCharacters(filled, 3)).toBeUndefined();
    // The same three characters 10 px apart: the readers read such a line well.
    expect(spacedCharacters(line(200, 60, [...char(10), ...char(60), ...char(110)]), 3)).toBeUndefined();
    // Two characters where three were read.
    expect(spacedCharacters(line(400, 60, [...char(20), ...char(260)]), 3)).toBeUndefined();
    expect(spacedCharacters(line(400, 60, []), 3)).toBeUndefined();
  });

  it('closes the gaps to a quarter of the height, keeping each character and the margins whole', () => {
    const img = spacedLine();
    const runs = spacedCharacters(img, 3) ?? [];
    const closed = closeGaps(img, runs);
    // 20 before, 3 × 40 of ink, 2 gaps of 10, 100 after.
    expect(closed.width).toBe(20 + 120 + 20 + 100);
    expect(closed.height).toBe(60);
    expect(spacedCharacters(closed, 3)).toBeUndefined();
    const inkAt = (x: number) => closed.data[30 * closed.width + x] === 0;
    const columns = Array.from({ length: closed.width }, (_, x) => (inkAt(x) ? 1 : 0)).join('');
    const one = `${'1'.repeat(17)}${'0'.repeat(6)}${'1'.repeat(17)}`;
    expect(columns).toBe(
      `${'0'.repeat(20)}${one}${'0'.repeat(10)}${one}${'0'.repeat(10)}${one}${'0'.repeat(100)}`,
    );
  });
});

describe('rereadSpaced', () => {
  const spaced = spacedLine();
  const box = lineBox;
  const printed = printedOnly;
  const agreed = agreedBlank;
  const disputed: Row = {
    box,
    text: '年月日',
    confidence: 0.18,
    check: { text: '绍5月口自', agrees: false },
  };

  it('reads a disputed 年　　月　　日 again closed up, and takes it when both then read the printed words', async () => {
    const widths: number[] = [];
    const row = await rereadSpaced(spaced, disputed, printed, async (image) => {
      widths.push(image.width);
      return agreed;
    });
    expect(row).toBe(agreed);
    expect(widths).toEqual([260]);
  });

  it('keeps the first reading when the closed-up line is still disputed or reads more than print', async () => {
    for (const again of [
      { ...agreed, check: { text: '年月〇日', agrees: false } },
      { ...agreed, text: '年5月日', check: { text: '年5月日', agrees: true } },
    ])
      expect(await rereadSpaced(spaced, disputed, printed, async () => again)).toBeUndefined();
  });

  it('reads nothing again for a row the readers agree on, that neither reads as print, or whose ink is no spaced line', async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      return agreed;
    };
    expect(await rereadSpaced(spaced, agreed, printed, read)).toBeUndefined();
    const words = { ...disputed, text: '同意。', check: { text: '同息。', agrees: false } };
    expect(await rereadSpaced(spaced, words, printed, read)).toBeUndefined();
    const filled = filledLine();
    expect(await rereadSpaced(filled, disputed, printed, read)).toBeUndefined();
    expect(reads).toBe(0);
  });
});

describe('unfilledDateLine (a row under a seal)', () => {
  const spaced = spacedLine();
  const box = lineBox;
  const printed = printedOnly;
  const agreed = agreedBlank;
  const disputed: Row = { box, text: '年月日', confidence: 0.34, check: { text: '年“一', agrees: false } };
  const never = async (): Promise<Row> => {
    throw new Error('not to be read');
  };

  it('is the printed words when both readers read them', async () => {
    expect(await unfilledDateLine(spaced, printed, async () => agreed, never)).toBe(agreed);
  });

  it('is read closed up when the readers disagree, and taken when they then agree', async () => {
    expect(
      await unfilledDateLine(
        spaced,
        printed,
        async () => disputed,
        async () => agreed,
      ),
    ).toBe(agreed);
    expect(
      await unfilledDateLine(
        spaced,
        printed,
        async () => disputed,
        async () => disputed,
      ),
    ).toBeUndefined();
  });

  it('is nothing, and nothing is read, when digits or seal lettering stand in the row', async () => {
    const filled = filledLine();
    expect(await unfilledDateLine(filled, printed, never, never)).toBeUndefined();
  });

  it('is nothing when both read more than the printed words', async () => {
    const read: Row = { ...agreed, text: '2020年5月3日', check: { text: '2020年5月3日', agrees: true } };
    expect(
      await unfilledDateLine(
        spaced,
        printed,
        async () => read,
        async () => read,
      ),
    ).toBeUndefined();
  });
});

describe('a slash written for "none"', () => {
  /** A 40 × 70 row with 4-px-wide strokes from (x0, y0) to (x1, y1). */
  const row = (...strokes: [number, number, number, number][]): Raster => {
    const r = makeRaster(40, 70, 1);
    for (const [x0, y0, x1, y1] of strokes)
      for (let t = 0; t <= 1; t += 0.005) {
        const cx = x0 + (x1 - x0) * t;
        const cy = y0 + (y1 - y0) * t;
        for (let d = -2; d < 2; d++) {
          const x = Math.round(cx + d);
          const y = Math.round(cy);
          if (x >= 0 && x < 40 && y >= 0 && y < 70) r.data[y * 40 + x] = 20;
        }
      }
    return r;
  };
  it('is one straight stroke leaning right', () => {
    expect(isSlashStroke(row([30, 8, 10, 62]))).toBe(true);
  });
  it('is not an upright 1, a level dash, a backslash, a cross or a speck', () => {
    expect(isSlashStroke(row([20, 8, 21, 62]))).toBe(false);
    expect(isSlashStroke(row([4, 35, 36, 36]))).toBe(false);
    expect(isSlashStroke(row([10, 8, 30, 62]))).toBe(false);
    expect(isSlashStroke(row([30, 8, 10, 62], [10, 8, 30, 62]))).toBe(false);
    expect(isSlashStroke(row([20, 33, 22, 36]))).toBe(false);
  });
});
