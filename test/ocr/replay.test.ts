// The real engine's answers for the real suite's cells, replayed: checks the recorded quality of
// both models without running tesseract (re-record: see DEFAULT_RERECORD_HINT).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplayEngine, ReplayMissError } from '../../src/ocr/cache.js';
import { characterErrorRate } from '../../src/ocr/metrics.js';
import type { OcrMode } from '../../src/ocr/types.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'ocr');
const truth = JSON.parse(readFileSync(join(DIR, 'cells.truth.json'), 'utf8')) as Record<
  string,
  { text: string; mode: OcrMode }
>;
const png = (name: string) => readFileSync(join(DIR, 'cells', `${name}.png`));

describe.each(['4.0.0', '4.0.0_best_int'])('recorded tesseract.js output, model %s', (model) => {
  it('has every cell and reads the unsealed ones at least as well as recorded', async () => {
    const engine = await ReplayEngine.load(join(DIR, 'cells.json'), { model });
    const cers: Record<string, number> = {};
    for (const [name, t] of Object.entries(truth)) {
      const r = await engine.recognize(png(name), { mode: t.mode });
      expect(r.confidence).toBeGreaterThan(0);
      expect(r.text).not.toMatch(/[\u4e00-\u9fff] [\u4e00-\u9fff]/);
      cers[name] = characterErrorRate(r.text, t.text);
    }
    for (const name of ['name', 'name-4', 'date', 'birth-month', 'phone', 'landline', 'employer']) {
      expect(cers[name], name).toBe(0);
    }
    expect(cers.paragraph).toBeLessThanOrEqual(model === '4.0.0' ? 0.03 : 0.05);
    // A seal over a date ruins it; lifting the red ink brings it back.
    expect(cers['sealed-date-grey']).toBeGreaterThan(0.5);
    expect(cers['sealed-date-masked']).toBeLessThanOrEqual(0.1);
    expect(engine.calls.every((c) => c.hit)).toBe(true);
  });
});

it('a crop that was not recorded fails with the key and the re-record command', async () => {
  const engine = await ReplayEngine.load(join(DIR, 'cells.json'));
  await expect(engine.recognize(png('name'), { mode: 'line', lang: 'eng' })).rejects.toThrow(ReplayMissError);
  await expect(engine.recognize(Buffer.from('not recorded'), { mode: 'line' })).rejects.toThrow(
    /re-record with `XIETONG_RECORD_OCR=1/,
  );
});
