import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { checkModel, langPathFor, modelDir } from '../../src/ocr/models.js';
import { TesseractEngine } from '../../src/ocr/tesseract.js';

const empty = await mkdtemp(join(tmpdir(), 'xietong-nomodel-'));
afterAll(() => rm(empty, { recursive: true, force: true }));

describe('OCR models', () => {
  it('finds both models of both languages in the npm packages', () => {
    for (const lang of ['chi_sim', 'eng'] as const) {
      for (const model of ['4.0.0', '4.0.0_best_int'] as const) {
        expect(existsSync(checkModel(lang, model))).toBe(true);
        expect(modelDir(lang, model)).toMatch(
          new RegExp(`@tesseract\\.js-data[/\\\\]${lang}[/\\\\]${model.replace('.', '\\.')}$`),
        );
      }
    }
  });

  it('a missing model is RunError ocrModelMissing with a hint, raised when the engine is made', () => {
    let err: unknown;
    try {
      new TesseractEngine({ dataRoot: empty });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).exit).toBe('ocrModelMissing');
    expect((err as RunError).message).toContain('chi_sim');
    expect((err as RunError).hint).toMatch(/npm ci/);
  });

  it('rejects an unknown model name', () => {
    expect(() => checkModel('chi_sim', '5.0.0' as '4.0.0')).toThrow(/unknown model name/);
  });

  it('gives a combined language a temporary folder of links, removed by cleanup', async () => {
    const single = await langPathFor('chi_sim', '4.0.0');
    expect(single.cleanup).toBeUndefined();
    const both = await langPathFor('chi_sim+eng', '4.0.0_best_int');
    expect((await readdir(both.path)).sort()).toEqual(['chi_sim.traineddata.gz', 'eng.traineddata.gz']);
    await both.cleanup?.();
    expect(existsSync(both.path)).toBe(false);
  });
});
