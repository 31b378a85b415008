// Where the tesseract models live: the @tesseract.js-data npm packages, one per language, each
// with a folder per model ('4.0.0', '4.0.0_best_int') holding <lang>.traineddata.gz. Nothing is
// downloaded at run time; a missing model is a run error that says how to restore it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RunError } from '../errors.js';
import type { OcrLang, TesseractModel } from './types.js';

const require = createRequire(import.meta.url);

export type ModelLang = 'chi_sim' | 'eng';

export const TESSERACT_MODELS: readonly TesseractModel[] = ['4.0.0', '4.0.0_best_int'];

export function langsOf(lang: OcrLang): ModelLang[] {
  return lang.split('+') as ModelLang[];
}

/** Folder holding `<lang>.traineddata.gz` for a model; `dataRoot` overrides the npm packages. */
export function modelDir(lang: ModelLang, model: TesseractModel, dataRoot?: string): string {
  if (dataRoot) return join(dataRoot, lang, model);
  try {
    return join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), model);
  } catch (err) {
    throw missing(lang, model, `package @tesseract.js-data/${lang} is not installed`, err);
  }
}

function missing(lang: ModelLang, model: TesseractModel, why: string, cause?: unknown): RunError {
  return new RunError(
    'ocrModelMissing',
    `OCR model ${lang} ${model} not found: ${why}. 未找到 OCR 模型 ${lang}（${model}）。`,
    `Run \`npm ci\` (it installs @tesseract.js-data/chi_sim and @tesseract.js-data/eng, which hold the models); ` +
      `models are never downloaded at run time. Valid models: ${TESSERACT_MODELS.join(', ')}.`,
    { cause },
  );
}

/** Path of the model file; throws RunError('ocrModelMissing') when it is not there. */
export function checkModel(lang: ModelLang, model: TesseractModel, dataRoot?: string): string {
  if (!TESSERACT_MODELS.includes(model)) {
    throw missing(lang, model, `unknown model name (expected ${TESSERACT_MODELS.join(' or ')})`);
  }
  const file = join(modelDir(lang, model, dataRoot), `${lang}.traineddata.gz`);
  if (!existsSync(file)) throw missing(lang, model, `${file} does not exist`);
  return file;
}

/**
 * The langPath for a worker. tesseract.js reads every language of a worker from one folder, and
 * each language comes in its own package: a single language uses its package folder as is; a
 * combination gets a temporary folder of symlinks (removed by `cleanup`).
 */
export async function langPathFor(
  lang: OcrLang,
  model: TesseractModel,
  dataRoot?: string,
): Promise<{ path: string; cleanup?: () => Promise<void> }> {
  const langs = langsOf(lang);
  const files = langs.map((l) => checkModel(l, model, dataRoot));
  if (langs.length === 1) return { path: dirname(files[0] as string) };
  const dir = await mkdtemp(join(tmpdir(), 'xietong-tessdata-'));
  try {
    for (const [i, l] of langs.entries()) await symlink(files[i] as string, join(dir, `${l}.traineddata.gz`));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { path: dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
