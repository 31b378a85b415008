// Use case: ingest a batch — scans, photos, feeder PDFs and filled .docx forms into records, saved
// into the store when one is given, with progress events. `xietong ingest` and the workbench's 导入
// both call this, so a batch read from the page and one from the command line are the same run.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultLexicon } from '../domain/lexicon.js';
import { defaultVocabularies, snap } from '../domain/vocabulary.js';
import { vocabularySnapper } from '../extract/index.js';
import { type IngestProgress, type IngestResult, ingest } from '../ingest/index.js';
import { writeIngestOutput } from '../ingest/output.js';
import { PaddleEngine, TesseractEngine } from '../ocr/index.js';
import type { OcrEngine, TesseractModel } from '../ocr/types.js';
import { createScanReader } from '../read/index.js';
import { ingestIntoStore, type PutSummary, type SqliteRecordStore } from '../store/index.js';

export type { IngestProgress } from '../ingest/index.js';

export interface IngestBatchOptions {
  /** Where the records are saved; none: records.json only. */
  store?: SqliteRecordStore;
  /** Output folder: records.json, summary.txt and the field crops. */
  out: string;
  model?: TesseractModel;
  workers?: number;
  referenceDate?: string;
  /** Re-read costly and unsure fields with PaddleOCR (default true). */
  secondReader?: boolean;
  onProgress?: (p: IngestProgress) => void;
  /** Another engine than tesseract: the recorded answers in tests and screenshots (ReplayEngine). */
  engine?: OcrEngine;
}

export interface IngestBatchResult extends IngestResult {
  /** Where the records were saved, and what changed there. */
  stored?: PutSummary & { db: string };
  /** Paths given that do not exist: the batch went on with the others, but it is not a success. */
  missing: string[];
}

/** Starts the OCR engine only when a page needs it: a batch of .docx files never pays for it. */
function lazyEngine(make: () => OcrEngine): OcrEngine & { started: boolean } {
  let engine: OcrEngine | undefined;
  const get = (): OcrEngine => {
    engine ??= make();
    return engine;
  };
  return {
    get started() {
      return engine !== undefined;
    },
    get info() {
      return get().info;
    },
    recognize(image, opts) {
      return get().recognize(image, opts);
    },
    warm(lang) {
      get().warm?.(lang);
    },
    async close() {
      await engine?.close();
    },
  };
}

export async function ingestBatch(
  paths: readonly string[],
  options: IngestBatchOptions,
): Promise<IngestBatchResult> {
  const given = options.engine;
  const engine = lazyEngine(
    () => given ?? new TesseractEngine({ model: options.model, workers: options.workers }),
  );
  // PaddleOCR as the check on tesseract: started with the first scanned page, never for .docx.
  const second = options.secondReader === false ? undefined : lazyEngine(() => new PaddleEngine());
  const reader = createScanReader({
    engine,
    ...(second ? { secondReader: second } : {}),
    cropDir: join(options.out, 'crops'),
    baseDir: options.out,
  });
  try {
    defaultVocabularies(); // a broken config/vocabularies.yaml stops the run before any work
    const ingestOptions = {
      referenceDate: options.referenceDate,
      extract: { snap: vocabularySnapper((vocab, text) => snap(vocab, text)), lexicon: defaultLexicon() },
    };
    const missing = paths.filter((p) => !existsSync(p));
    const { store } = options;
    let result: IngestBatchResult;
    let runId: number | undefined;
    if (store) {
      const r = await ingestIntoStore(paths, {
        store,
        ingest: ingestOptions,
        reader,
        readerModel: `tesseract.js:${options.model ?? '4.0.0'}${second ? '+paddleocr:PP-OCRv4' : ''}`,
        ocrInfo: () => (engine.started ? engine.info : undefined),
        cropBase: options.out,
        onProgress: options.onProgress,
      });
      result = { ...r, stored: { ...r.stored, db: store.location }, missing };
      runId = r.runId;
    } else {
      result = {
        ...(await ingest(paths, { reader, ...ingestOptions, onProgress: options.onProgress })),
        missing,
      };
    }
    await writeIngestOutput(result, options.out);
    // records.json and the crops are a copy of the stored records: `store erase` rewrites them.
    await store?.noteCopy({
      kind: 'ingest',
      dir: resolve(options.out),
      formats: ['json'],
      recordIds: result.submissions.map((r) => r.id),
      ...(runId !== undefined ? { runId } : {}),
    });
    return result;
  } finally {
    await Promise.all([engine.close(), second?.close(), reader.close?.()]);
  }
}
