// Recorded OCR output, so that most tests run without the engine and give the same answer every
// time. An entry is keyed by sha256(image bytes, mode, language, model): change the crop, the
// settings or the model and the recording no longer applies (and Replay says so).
// One JSON file per fixture set, entries sorted by key so that re-recording gives a small diff.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { langFor, type OcrEngine, type OcrEngineInfo, type OcrOptions, type OcrResult } from './types.js';

export function ocrCacheKey(image: Buffer, opts: OcrOptions, model: string): string {
  return createHash('sha256')
    .update(image)
    .update(`\0${opts.mode}\0${langFor(opts)}\0${model}`)
    .digest('hex');
}

const BoxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
const ResultSchema = z.object({
  text: z.string(),
  confidence: z.number().min(0).max(1),
  words: z.array(z.object({ text: z.string(), confidence: z.number(), box: BoxSchema })).optional(),
  raw: z.string().optional(),
});
const EntrySchema = z.object({
  mode: z.enum(['line', 'block', 'digits']),
  lang: z.enum(['chi_sim', 'eng', 'chi_sim+eng']),
  model: z.string(),
  image: z.object({ sha256: z.string(), bytes: z.number().int() }),
  /** Seconds the real engine took (for the record; replay does not wait). */
  seconds: z.number().optional(),
  result: ResultSchema,
});
export const RecordingFileSchema = z.object({
  version: z.literal(1),
  recordedWith: z.object({ engine: z.string(), version: z.string().optional(), model: z.string() }),
  entries: z.record(z.string(), EntrySchema),
});
export type RecordingFile = z.infer<typeof RecordingFileSchema>;
export type RecordedEntry = z.infer<typeof EntrySchema>;

export const DEFAULT_RERECORD_HINT =
  '`XIETONG_RECORD_OCR=1 npx vitest run --config vitest.real.config.ts test/real/ocr.test.ts` (cells.json) or `npx tsx scripts/record-ocr.ts` (pipeline.json)';

export async function loadRecording(file: string): Promise<RecordingFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`Recorded OCR file ${file} cannot be read (${(err as Error).message}).`, { cause: err });
  }
  const parsed = RecordingFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `Recorded OCR file ${file} is not a recording (version 1): ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  return parsed.data;
}

export class ReplayMissError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReplayMissError';
  }
}

/** Answers from a recording; a request that was never recorded fails with the key and the fix. */
export class ReplayEngine implements OcrEngine {
  readonly info: OcrEngineInfo;
  readonly calls: { key: string; hit: boolean }[] = [];

  private constructor(
    private readonly file: string,
    private readonly recording: RecordingFile,
    private readonly model: string,
    private readonly hint: string,
  ) {
    this.info = { engine: 'replay', version: recording.recordedWith.version, model };
  }

  /** `model` selects which model's entries answer (default: the one recorded with). */
  static async load(
    file: string,
    opts: { model?: string; rerecordHint?: string } = {},
  ): Promise<ReplayEngine> {
    const rec = await loadRecording(file);
    return new ReplayEngine(
      file,
      rec,
      opts.model ?? rec.recordedWith.model,
      opts.rerecordHint ?? DEFAULT_RERECORD_HINT,
    );
  }

  get size(): number {
    return Object.keys(this.recording.entries).length;
  }

  async recognize(image: Buffer, opts: OcrOptions): Promise<OcrResult> {
    const key = ocrCacheKey(image, opts, this.model);
    const entry = this.recording.entries[key];
    this.calls.push({ key, hit: entry !== undefined });
    if (!entry) {
      const sha = createHash('sha256').update(image).digest('hex');
      throw new ReplayMissError(
        key,
        `No recorded OCR result for key ${key} (mode ${opts.mode}, lang ${langFor(opts)}, model ${this.model}, ` +
          `image sha256 ${sha.slice(0, 12)}…, ${image.length} bytes) in ${this.file}. ` +
          `The image, its settings or the model changed since recording: re-record with ${this.hint}.`,
      );
    }
    return structuredClone(entry.result);
  }

  async close(): Promise<void> {}
}

/** Wraps a real engine and keeps what it answers; `save()` (or close) writes the recording. */
export class RecordingEngine implements OcrEngine {
  readonly info: OcrEngineInfo;
  private readonly entries = new Map<string, RecordedEntry>();

  constructor(
    private readonly inner: OcrEngine,
    private readonly file: string,
    private readonly opts: { closeInner?: boolean } = {},
  ) {
    this.info = inner.info;
  }

  async recognize(image: Buffer, opts: OcrOptions): Promise<OcrResult> {
    const started = performance.now();
    const result = await this.inner.recognize(image, opts);
    const key = ocrCacheKey(image, opts, this.inner.info.model);
    this.entries.set(key, {
      mode: opts.mode,
      lang: langFor(opts),
      model: this.inner.info.model,
      image: { sha256: createHash('sha256').update(image).digest('hex'), bytes: image.length },
      seconds: Math.round((performance.now() - started) / 10) / 100,
      result: structuredClone(result),
    });
    return result;
  }

  /** Merges the new entries into the file (entries of other models and crops stay). */
  async save(): Promise<number> {
    const base: RecordingFile = existsSync(this.file)
      ? await loadRecording(this.file)
      : { version: 1, recordedWith: { ...this.inner.info }, entries: {} };
    for (const [k, v] of this.entries) base.entries[k] = v;
    base.recordedWith = {
      engine: this.inner.info.engine,
      ...(this.inner.info.version ? { version: this.inner.info.version } : {}),
      model: base.recordedWith.model,
    };
    const sorted: RecordingFile = {
      ...base,
      entries: Object.fromEntries(Object.entries(base.entries).sort(([a], [b]) => a.localeCompare(b))),
    };
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
    await rename(tmp, this.file);
    return this.entries.size;
  }

  async close(): Promise<void> {
    try {
      await this.save();
    } finally {
      if (this.opts.closeInner !== false) await this.inner.close();
    }
  }
}
