// The read stage on real sample scans, with the OCR engine replaced by its recorded answers
// (scripts/record-ocr.ts): prepare → grid → classify → labels → values → extract, deterministic.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLexicon } from '../../src/domain/lexicon.js';
import { snap } from '../../src/domain/vocabulary.js';
import { vocabularySnapper } from '../../src/extract/index.js';
import { type IngestResult, ingest } from '../../src/ingest/index.js';
import { ReplayEngine } from '../../src/ocr/index.js';
import { createScanReader } from '../../src/read/index.js';
import type { SubmissionRecord } from '../../src/types.js';

const RECORDING = 'test/fixtures/ocr/pipeline.json';
const SCANS = [
  'samples/scans/reg-05-p1.png',
  'samples/scans/reg-05-p2.png',
  'samples/scans/prob-02-export.png',
];
const truth = new Map<string, SubmissionRecord>(
  ['registration', 'problem'].flatMap((k) =>
    (JSON.parse(readFileSync(`samples/records/${k}.json`, 'utf8')) as SubmissionRecord[]).map(
      (r) => [r.id, r] as const,
    ),
  ),
);

async function run(): Promise<IngestResult> {
  const engine = await ReplayEngine.load(RECORDING);
  return ingest(SCANS, {
    reader: createScanReader({ engine }),
    extract: { snap: vocabularySnapper((v, t) => snap(v, t)), lexicon: loadLexicon() },
  });
}

let result: IngestResult;
beforeAll(async () => {
  result = await run();
});

describe('reading sample scans (recorded OCR)', () => {
  it('classifies every page and joins page 2 to its page 1', () => {
    expect(result.failures).toEqual([]);
    expect(result.pages.map((p) => [p.form, p.formPage])).toEqual([
      ['registration', 1],
      ['registration', 2],
      ['problem', 1],
    ]);
    expect(result.submissions.map((s) => [s.form, s.sources.length])).toEqual([
      ['registration', 2],
      ['problem', 1],
    ]);
  });

  it('reads the values a person wrote, in their normal forms', () => {
    const reg = result.submissions.find((s) => s.form === 'registration');
    const want = truth.get('reg-05');
    for (const key of [
      'name',
      'gender',
      'birthMonth',
      'workStart',
      'education',
      'professionalTitle',
      'phone',
      'employerAndPosition',
    ]) {
      expect({ key, value: reg?.fields[key]?.value }).toEqual({ key, value: want?.fields[key]?.value });
    }
    expect(reg?.fields['recommendation.stamped']?.value).toBe(true);
    expect(reg?.fields['recommendation.date']?.value).toBe(want?.fields['recommendation.date']?.value);
  });

  it('never reports a wrong value with confidence ≥ 0.9', () => {
    for (const rec of result.submissions) {
      const want = [...truth.values()].find(
        (t) =>
          t.form === rec.form &&
          t.fields.name?.value === rec.fields.name?.value &&
          t.fields.title?.value === rec.fields.title?.value,
      );
      if (!want) continue;
      for (const [key, fv] of Object.entries(rec.fields)) {
        if (fv.confidence < 0.9 || key === 'photo' || key.endsWith('.stamped')) continue;
        expect({ key, value: fv.value }).toEqual({ key, value: want.fields[key]?.value ?? null });
      }
    }
  });

  it('keeps where each value came from: page, box and raw text', () => {
    const reg = result.submissions.find((s) => s.form === 'registration');
    const phone = reg?.fields.phone;
    expect(phone?.page).toBe(1);
    expect(phone?.box?.w).toBeGreaterThan(100);
    expect(phone?.raw).toMatch(/\d/);
  });

  it('gives the same records when the same files are read again', async () => {
    const again = await run();
    expect(again.submissions).toEqual(result.submissions);
  });
});
