// A page on which no form was found is read again turned, before it is called no form.
import { describe, expect, it } from 'vitest';
import type { TableGrid } from '../../src/locate/grid.js';
import type { PreparedPage } from '../../src/prepare/index.js';
import { turnsToTry } from '../../src/read/index.js';

const grid = (cells: number): TableGrid => ({
  ys: [],
  xs: [],
  cells: Array.from({ length: cells }, (_, i) => ({ row: i, col: 0, rowSpan: 1, colSpan: 1, text: '' })),
  bounds: { x: 0, y: 0, w: 1, h: 1 },
});
const prepared = (confidence: number) =>
  ({ steps: { orientation: { angle: 0, confidence, method: 'statistics' } } }) as unknown as Pick<
    PreparedPage,
    'steps'
  >;

describe('turns a page is read again at', () => {
  it('over only, when a table was found and the orientation was sure', () => {
    expect(turnsToTry({ grid: grid(12), prepared: prepared(0.9) })).toEqual([180]);
  });
  it('every other way, when the statistics were unsure which way the text runs', () => {
    // A photo on a checked cloth: no table found the way the statistics turned it (0.39).
    expect(turnsToTry({ grid: undefined, prepared: prepared(0.39) })).toEqual([90, 270, 180]);
    expect(turnsToTry({ grid: grid(12), prepared: prepared(0.2) })).toEqual([180, 90, 270]);
  });
  it('none, when no table was found and the orientation was sure', () => {
    expect(turnsToTry({ grid: undefined, prepared: prepared(1) })).toEqual([]);
    expect(
      turnsToTry({ grid: undefined, prepared: { ...prepared(1), page: { width: 2481, height: 3508 } } }),
    ).toEqual([]);
  });
  it('a quarter either way when the page came out lying on its side, however sure the statistics', () => {
    const lying = { ...prepared(0.55), page: { width: 2481, height: 1754 } };
    expect(turnsToTry({ grid: grid(26), prepared: lying })).toEqual([180, 90, 270]);
  });
});
