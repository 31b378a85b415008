// OCR engines behind one interface (types.ts): tesseract.js for real runs, PaddleOCR as a second
// reader, a replaying cache for tests, a scripted fake for failure handling.
export {
  DEFAULT_RERECORD_HINT,
  loadRecording,
  ocrCacheKey,
  type RecordedEntry,
  RecordingEngine,
  type RecordingFile,
  ReplayEngine,
  ReplayMissError,
} from './cache.js';
export { type FakeAnswer, FakeEngine, type FakeScript, failingEngine } from './fake.js';
export { characterErrorRate, editDistance } from './metrics.js';
export { checkModel, langPathFor, modelDir, TESSERACT_MODELS } from './models.js';
export {
  comparable,
  PADDLE_MODEL_FILES,
  PaddleEngine,
  type PaddleEngineOptions,
  paddleModelPaths,
  sameReading,
} from './paddle.js';
export {
  PoolClosedError,
  type PoolStats,
  type PoolWorker,
  type RawPage,
  type WorkerFactory,
  WorkerPool,
} from './pool.js';
export {
  DIGIT_WHITELIST,
  OFFLINE_WORKER,
  paramsFor,
  TesseractEngine,
  type TesseractEngineOptions,
  tesseractFactory,
  toOcrResult,
} from './tesseract.js';
export { isCjk, normaliseOcrText, stripCjkSpaces } from './text.js';
export * from './types.js';
