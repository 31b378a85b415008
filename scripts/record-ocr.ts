// Records what the real OCR engine answers while reading a few sample scans, so that the default
// test suite can run the whole read stage on real scans without the engine (test/read/).
// Run after any change to prepare/locate/read that changes the crops sent to OCR:
//   npx tsx scripts/record-ocr.ts
import { rmSync } from 'node:fs';
import { ingest } from '../src/ingest/index.js';
import { RecordingEngine, TesseractEngine } from '../src/ocr/index.js';
import { createScanReader } from '../src/read/index.js';

export const PIPELINE_RECORDING = 'test/fixtures/ocr/pipeline.json';
export const PIPELINE_SCANS = [
  'samples/scans/reg-05-p1.png',
  'samples/scans/reg-05-p2.png',
  'samples/scans/prob-02-export.png',
];

rmSync(PIPELINE_RECORDING, { force: true });
const engine = new RecordingEngine(new TesseractEngine(), PIPELINE_RECORDING, { closeInner: true });
const reader = createScanReader({ engine });
try {
  const result = await ingest(PIPELINE_SCANS, { reader });
  console.log(
    `read ${result.stats.pages} pages into ${result.submissions.length} records, ${result.failures.length} failures`,
  );
} finally {
  await Promise.all([engine.close(), reader.close?.()]);
}
console.log(`recorded → ${PIPELINE_RECORDING}`);
