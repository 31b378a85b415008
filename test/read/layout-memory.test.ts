// Layout memory: a page whose table has the cells of a page already read is recognised (tolerant of
// where the table sits and of small shifts), anything else is not; and on real scans with recorded
// OCR, a second sheet of a known layout is read with fewer OCR calls into the same fields, while a
// sheet whose labels do not read as remembered is read in full and judged on what it says.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import type { TableGrid } from '../../src/locate/grid.js';
import type { GridCell } from '../../src/locate/labels.js';
import { type OcrEngine, ReplayEngine } from '../../src/ocr/index.js';
import { createScanReader } from '../../src/read/index.js';
import { checksAgree, LayoutMemory } from '../../src/read/layout-memory.js';

/** A 3 × 2 table: labels on the left, values on the right; `dy` moves the third row's rule. */
function grid(at: { x: number; y: number }, scale = 1, dy = 0): TableGrid {
  const rows = [0, 100, 200 + dy, 300];
  const cols = [0, 200, 600];
  const cells: GridCell[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 2; c++) {
      const y0 = rows[r] as number;
      const x0 = cols[c] as number;
      cells.push({
        row: r,
        col: c,
        rowSpan: 1,
        colSpan: 1,
        text: '',
        box: {
          x: at.x + x0 * scale,
          y: at.y + y0 * scale,
          w: ((cols[c + 1] as number) - x0) * scale,
          h: ((rows[r + 1] as number) - y0) * scale,
        },
      });
    }
  }
  return { xs: [], ys: [], cells, bounds: { x: at.x, y: at.y, w: 600 * scale, h: 300 * scale } };
}

const LABELS = ['姓名', '', '出生年月', '', '现工作单位及职务', ''];
const withText = (g: TableGrid) => g.cells.map((c, i) => ({ ...c, text: LABELS[i] ?? '' }));

describe('LayoutMemory', () => {
  it('recognises the same table elsewhere on the sheet and at another scale, not a different one', () => {
    const memory = new LayoutMemory();
    const first = grid({ x: 100, y: 300 });
    memory.remember(first, 'registration', 1, withText(first), [0, 2, 4]);
    const again = memory.recall(grid({ x: 130, y: 280 }, 1.02));
    expect(again).toMatchObject({ form: 'registration', page: 1, checks: [0, 2, 4] });
    expect(again?.labels).toEqual(LABELS);
    expect(memory.recall(grid({ x: 100, y: 300 }, 1, 4))).toBeDefined(); // a rule 4 px off: same table
    expect(memory.recall(grid({ x: 100, y: 300 }, 1, 40))).toBeUndefined(); // a row 13 % taller: another
    const fewer = grid({ x: 100, y: 300 });
    expect(memory.recall({ ...fewer, cells: fewer.cells.slice(0, 4) })).toBeUndefined();
    const otherTable = grid({ x: 100, y: 300 });
    otherTable.cells = otherTable.cells.map((c, i) => (i >= 4 ? { ...c, table: 1 } : c));
    expect(memory.recall(otherTable)).toBeUndefined();
  });

  it('remembers only a page with enough labels to check, and a layout once', () => {
    const memory = new LayoutMemory();
    const g = grid({ x: 0, y: 0 });
    memory.remember(g, 'registration', 1, withText(g), [0, 2]);
    expect(memory.recall(g)).toBeUndefined();
    memory.remember(g, 'registration', 1, withText(g), [0, 2, 4]);
    memory.remember(g, 'demand', 1, withText(g), [0, 2, 4]);
    expect(memory.recall(g)?.form).toBe('registration');
  });

  it('believes checks that read like the remembered labels, OCR slips allowed', () => {
    const memory = new LayoutMemory();
    const g = grid({ x: 0, y: 0 });
    memory.remember(g, 'registration', 1, withText(g), [0, 2, 4]);
    const layout = memory.recall(g);
    if (!layout) throw new Error('not remembered');
    expect(checksAgree(layout, ['姓名', '出生年月', '现工作单位及职务'])).toBe(true);
    expect(checksAgree(layout, ['姓名', '出生年目', '现工作单位及职努'])).toBe(true);
    expect(checksAgree(layout, ['姓名', '出生年月', '联系电话'])).toBe(false);
    expect(checksAgree(layout, ['', '', ''])).toBe(false);
  });
});

describe('reading a second sheet of a known layout (recorded OCR)', () => {
  const RECORDING = 'test/fixtures/ocr/pipeline.json';
  const dir = mkdtempSync(join(tmpdir(), 'xietong-layout-'));
  // The same sheet under two names: the second is a sheet of a layout already read.
  const first = join(dir, 'a.png');
  const second = join(dir, 'b.png');
  copyFileSync('samples/scans/reg-05-p1.png', first);
  copyFileSync('samples/scans/reg-05-p1.png', second);

  const counting = (engine: OcrEngine, garbleAfter?: { calls: number }) => {
    let calls = 0;
    const wrapped: OcrEngine = {
      info: engine.info,
      recognize: async (image, opts) => {
        calls++;
        // After the first sheet, every read comes back as nonsense: checks cannot agree.
        if (garbleAfter && calls > garbleAfter.calls) return { text: '甲乙丙', confidence: 0.9, words: [] };
        return engine.recognize(image, opts);
      },
      close: () => engine.close(),
    };
    return { engine: wrapped, calls: () => calls };
  };

  it('reads the same fields with fewer OCR calls', async () => {
    const alone = counting(await ReplayEngine.load(RECORDING));
    const one = await ingest([first], { reader: createScanReader({ engine: alone.engine }) });
    const both = counting(await ReplayEngine.load(RECORDING));
    const reader = createScanReader({ engine: both.engine });
    const once = await ingest([first], { reader });
    const callsOnce = both.calls();
    const twice = await ingest([second], { reader });
    await reader.close?.();
    expect(callsOnce).toBe(alone.calls());
    const fieldsOf = (r: typeof one) =>
      Object.fromEntries(
        Object.entries(r.submissions[0]?.fields ?? {}).map(([k, f]) => [k, [f.value, f.confidence]]),
      );
    expect(fieldsOf(twice)).toEqual(fieldsOf(once));
    expect(Object.keys(fieldsOf(twice)).length).toBeGreaterThan(10);
    // The second sheet read its values and a few labels, not every cell's first row again.
    expect(both.calls() - callsOnce).toBeLessThan(0.8 * callsOnce);
  });

  it('reads a sheet in full when its labels do not read as remembered', async () => {
    const replay = await ReplayEngine.load(RECORDING);
    const probe = counting(replay);
    await ingest([first], { reader: createScanReader({ engine: probe.engine }) });
    const garbled = counting(await ReplayEngine.load(RECORDING), { calls: probe.calls() });
    const reader = createScanReader({ engine: garbled.engine });
    await ingest([first], { reader });
    const after = garbled.calls();
    const result = await ingest([second], { reader });
    await reader.close?.();
    // Nothing of the remembered labels is trusted: the sheet is judged on what it says.
    expect(result.submissions).toEqual([]);
    expect(result.failures.map((f) => f.code)).toEqual(['not_a_form']);
    // …every cell was read for it: the three checks, then what a reader with no memory reads.
    const fresh = counting(await ReplayEngine.load(RECORDING), { calls: 0 });
    const freshReader = createScanReader({ engine: fresh.engine });
    await ingest([second], { reader: freshReader });
    await freshReader.close?.();
    expect(fresh.calls()).toBeGreaterThan(20);
    expect(garbled.calls() - after).toBe(fresh.calls() + 3);
  });
});
