// A store with records as a scan would leave them: some fields read with low confidence, each with
// the crop of its cell (real cell images from the OCR fixtures), so review tests need no OCR run.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import type { Issue, SubmissionRecord } from '../../src/types.js';
import { sample, steppingClock } from '../store/helpers.js';

export const REVIEW_ID = 'reg-review';
export const SECOND_ID = 'dem-review';

const CELLS = 'test/fixtures/ocr/cells';

function scanned(
  record: SubmissionRecord,
  id: string,
  file: string,
  low: Record<
    string,
    { value: string | null; raw?: string; confidence: number; crop?: string; other?: string }
  >,
): SubmissionRecord {
  const r = structuredClone(record);
  r.id = id;
  r.sources = [
    { file, page: 1, sha256: `sha-${id}` },
    { file, page: 2, sha256: `sha-${id}` },
  ];
  const issues: Issue[] = [];
  for (const [key, f] of Object.entries(low)) {
    r.fields[key] = {
      value: f.value,
      raw: f.raw ?? String(f.value ?? ''),
      confidence: f.confidence,
      page: 1,
      ...(f.crop ? { crop: `crops/${f.crop}` } : {}),
      ...(f.other !== undefined ? { other: f.other } : {}),
    };
    issues.push({
      code: 'low_confidence',
      severity: 'warning',
      field: key,
      message: `识别把握不足（${Math.round(f.confidence * 100)}%），请人工核对。`,
    });
  }
  r.issues = issues;
  return r;
}

/** Opens a new store in `dir` holding two scanned records with fields needing review. */
export async function reviewStore(dir: string): Promise<SqliteRecordStore> {
  mkdirSync(join(dir, 'crops'), { recursive: true });
  for (const f of ['name.png', 'birth-month.png', 'phone.png', 'employer.png']) {
    copyFileSync(join(CELLS, f), join(dir, 'crops', f));
  }
  const reg = scanned(sample('reg-05'), REVIEW_ID, 'scans/batch-07.pdf', {
    name: { value: '王建国', confidence: 0.72, crop: 'name.png' },
    birthMonth: { value: '1985-08', raw: '1985年8月', confidence: 0.55, crop: 'birth-month.png' },
    phone: {
      value: '1380798123',
      raw: '1380798123',
      confidence: 0.48,
      crop: 'phone.png',
      other: '13807981234',
    },
    employerAndPosition: {
      value: '景德镇陶瓷大学材料科学与工程学院',
      confidence: 0.81,
      crop: 'employer.png',
    },
  });
  const dem = scanned(sample('dem-01'), SECOND_ID, 'scans/batch-08.pdf', {
    contactPerson: { value: '李明', confidence: 0.66 },
  });
  const store = await openStore(join(dir, 'xietong.db'), { now: steppingClock() });
  await store.putIngestResult(
    { submissions: [reg, dem] },
    { ocr: { engine: 'tesseract.js', version: '7.0.0' }, cropBase: dir },
  );
  return store;
}
