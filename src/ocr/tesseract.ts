// tesseract.js behind the OcrEngine interface: a pool of workers (one per core by default),
// created on first use and terminated by close(); fully offline (models from the npm packages,
// no cache files, network blocked inside the workers).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tesseract from 'tesseract.js';
import { checkModel, langPathFor, langsOf, packageVersion } from './models.js';
import { type PoolStats, type PoolWorker, type RawPage, type WorkerFactory, WorkerPool } from './pool.js';
import { normaliseOcrText } from './text.js';
import {
  langFor,
  type OcrEngine,
  type OcrEngineInfo,
  type OcrLang,
  type OcrMode,
  type OcrOptions,
  type OcrResult,
  type OcrWord,
  type TesseractModel,
} from './types.js';

export interface TesseractEngineOptions {
  /** '4.0.0' (default): accurate, ~250 MB per worker; '4.0.0_best_int': faster start, ~80 MB, twice the CER. */
  model?: TesseractModel;
  /** Workers; default one per core. */
  workers?: number;
  /** Restart a worker after this many images (default 2000: a restart reloads the model, ~2.5 s of CPU; the heap stays near its first-page size, measured 1.15 GB peak for two workers over 1,026 images). */
  maxJobsPerWorker?: number;
  maxQueue?: number;
  jobTimeoutMs?: number;
  startTimeoutMs?: number;
  /** Folder laid out as <lang>/<model>/<lang>.traineddata.gz instead of the npm packages. */
  dataRoot?: string;
  /** Replaces tesseract.js (tests). */
  factory?: WorkerFactory;
}

/** Fixed for every worker: scans are 300 dpi; keep tesseract from padding Chinese with spaces. */
// debug_file: tesseract's own diagnostics ("Image too small to scale!!" for a speck inside a line)
// would otherwise be printed over the progress bar; the result already says what was read.
const BASE_PARAMS = { user_defined_dpi: '300', preserve_interword_spaces: '1', debug_file: '/dev/null' };

/** Digits, and what separates them in phone numbers and dates. */
export const DIGIT_WHITELIST = '0123456789-./:()+';

/** Worker parameters per mode: PSM 7 for one line, 6 for a block; digits add a whitelist. */
export function paramsFor(mode: OcrMode): Record<string, string> {
  switch (mode) {
    case 'line':
      return { tessedit_pageseg_mode: '7', tessedit_char_whitelist: '' };
    case 'block':
      return { tessedit_pageseg_mode: '6', tessedit_char_whitelist: '' };
    case 'digits':
      return { tessedit_pageseg_mode: '7', tessedit_char_whitelist: DIGIT_WHITELIST };
  }
}

export const OFFLINE_WORKER = fileURLToPath(new URL('./offline-worker.cjs', import.meta.url));

/** The real factory: a tesseract.js worker reading the model from its npm package folder. */
export function tesseractFactory(
  model: TesseractModel,
  dataRoot?: string,
): WorkerFactory & { cleanup(): Promise<void> } {
  const cleanups: (() => Promise<void>)[] = [];
  const factory = async (lang: OcrLang): Promise<PoolWorker> => {
    const langPath = await langPathFor(lang, model, dataRoot);
    if (langPath.cleanup) cleanups.push(langPath.cleanup);
    let lastError: unknown;
    const worker = await Tesseract.createWorker(langsOf(lang), Tesseract.OEM.LSTM_ONLY, {
      langPath: langPath.path,
      // The default cache writes the unpacked model into the working folder and later reads it
      // back whatever langPath says (keyed by language only): mixing models goes wrong silently.
      cacheMethod: 'none',
      gzip: true,
      workerPath: OFFLINE_WORKER,
      logger: () => undefined,
      // Without a handler tesseract.js throws worker errors from an event callback, which
      // would take the whole process down; the job's own promise is rejected anyway.
      errorHandler: (e: unknown) => {
        lastError = e;
      },
    });
    await worker.setParameters(BASE_PARAMS);
    return {
      setParameters: async (params) => {
        await worker.setParameters(params);
      },
      recognize: async (image) => {
        try {
          const res = await worker.recognize(image, {}, { text: true, blocks: true });
          return res.data as unknown as RawPage;
        } catch (err) {
          throw new Error(`tesseract.js failed on an image: ${String(err ?? lastError)}`);
        }
      },
      terminate: async () => {
        await worker.terminate();
      },
    };
  };
  return Object.assign(factory, {
    cleanup: async () => {
      await Promise.all(cleanups.splice(0).map((c) => c()));
    },
  });
}

/** Words from tesseract's blocks, confidence scaled to 0–1. */
export function wordsOf(page: RawPage): OcrWord[] {
  const out: OcrWord[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        for (const w of line.words) {
          if (!w.text.trim()) continue;
          out.push({
            text: w.text.normalize('NFKC'),
            confidence: Math.max(0, Math.min(1, w.confidence / 100)),
            box: { x: w.bbox.x0, y: w.bbox.y0, w: w.bbox.x1 - w.bbox.x0, h: w.bbox.y1 - w.bbox.y0 },
          });
        }
      }
    }
  }
  return out;
}

/** tesseract's page → OcrResult: post-processed text, 0–1 confidence (0 when nothing was read). */
export function toOcrResult(page: RawPage, mode: OcrMode): OcrResult {
  const text = normaliseOcrText(page.text ?? '', mode);
  const words = wordsOf(page);
  return {
    text,
    confidence: text ? Math.max(0, Math.min(1, (page.confidence ?? 0) / 100)) : 0,
    words,
    raw: page.text ?? '',
  };
}

export class TesseractEngine implements OcrEngine {
  readonly info: OcrEngineInfo;
  private readonly pool: WorkerPool;
  private readonly cleanup?: () => Promise<void>;
  private closing?: Promise<void>;

  constructor(opts: TesseractEngineOptions = {}) {
    const model = opts.model ?? '4.0.0';
    let factory = opts.factory;
    if (!factory) {
      // Fail now, with a hint, rather than on the first page (tesseract.js would hang on a missing file).
      checkModel('chi_sim', model, opts.dataRoot);
      checkModel('eng', model, opts.dataRoot);
      const real = tesseractFactory(model, opts.dataRoot);
      this.cleanup = real.cleanup;
      factory = real;
    }
    const size = opts.workers ?? Math.max(1, availableParallelism());
    this.pool = new WorkerPool(factory, {
      size,
      maxJobsPerWorker: opts.maxJobsPerWorker ?? 2000,
      maxQueue: opts.maxQueue ?? size * 8,
      jobTimeoutMs: opts.jobTimeoutMs ?? 60_000,
      startTimeoutMs: opts.startTimeoutMs ?? 60_000,
      closeTimeoutMs: 10_000,
    });
    this.info = {
      engine: opts.factory ? 'tesseract.js (custom workers)' : 'tesseract.js',
      version: packageVersion('tesseract.js'),
      model,
    };
  }

  get stats(): PoolStats {
    return this.pool.stats;
  }

  get workers(): WorkerPool['workers'] {
    return this.pool.workers;
  }

  warm(lang: OcrLang): void {
    this.pool.warm(lang);
  }

  async recognize(image: Buffer, opts: OcrOptions): Promise<OcrResult> {
    if (!Buffer.isBuffer(image) || image.length === 0) {
      throw new TypeError(
        `Expected a non-empty image Buffer for recognize but received ${image?.length ?? typeof image} bytes`,
      );
    }
    const page = await this.pool.submit(image, langFor(opts), paramsFor(opts.mode));
    return toOcrResult(page, opts.mode);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.pool.close();
      } finally {
        await this.cleanup?.();
      }
    })();
    return this.closing;
  }
}
