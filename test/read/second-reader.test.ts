// The second reader as a check on the first (recorded tesseract output stands in for the first;
// scripted engines for the second): agreement makes a value sure, disagreement sends it to a person
// with the other reading, and the first reader's text is never silently replaced by a guess.
import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../../src/domain/lexicon.js';
import { snap } from '../../src/domain/vocabulary.js';
import { vocabularySnapper } from '../../src/extract/index.js';
import { type IngestResult, ingest } from '../../src/ingest/index.js';
import { FakeEngine, ReplayEngine } from '../../src/ocr/index.js';
import type { OcrEngine } from '../../src/ocr/types.js';
import { createScanReader } from '../../src/read/index.js';

const RECORDING = 'test/fixtures/ocr/pipeline.json';
const SCAN = 'samples/scans/reg-05-p1.png';
const SHORT = ['name', 'gender', 'birthMonth', 'workStart', 'education', 'phone', 'employerAndPosition'];

/** The first reader as recorded; a row it is asked to read restricted to digits, as it read it whole. */
async function recorded(): Promise<{ replay: ReplayEngine; engine: OcrEngine }> {
  const replay = await ReplayEngine.load(RECORDING);
  const engine = new FakeEngine((image, opts) =>
    replay.recognize(image, opts.mode === 'digits' ? { ...opts, mode: 'line' } : opts),
  );
  return { replay, engine };
}

async function read(second?: (first: ReplayEngine) => OcrEngine): Promise<IngestResult> {
  const { replay, engine } = await recorded();
  return ingest([SCAN], {
    reader: createScanReader({ engine, ...(second ? { secondReader: second(replay) } : {}) }),
    extract: { snap: vocabularySnapper((v, t) => snap(v, t)), lexicon: loadLexicon() },
  });
}

const fieldsOf = (r: IngestResult) => {
  const rec = r.submissions[0];
  if (!rec) throw new Error('no record read');
  return rec;
};

describe('a second reader', () => {
  it('that reads every row as the first did makes the short values sure, values unchanged', async () => {
    const alone = fieldsOf(await read());
    // A second engine that answers what tesseract answered: two readers in agreement.
    const both = fieldsOf(
      await read(
        (first) =>
          new FakeEngine(async (image, opts) => {
            const r = await first.recognize(image, { ...opts, mode: 'line' }).catch(() => undefined);
            return { text: r?.text ?? '', confidence: 0.97 };
          }),
      ),
    );
    for (const key of SHORT) {
      expect(both.fields[key]?.value, key).toEqual(alone.fields[key]?.value);
      expect(both.fields[key]?.confidence, key).toBeGreaterThanOrEqual(alone.fields[key]?.confidence ?? 0);
    }
    expect(both.fields.name?.confidence).toBeGreaterThanOrEqual(0.99);
  });

  it('that takes a cell’s rule for a bar at a row’s edge still agrees, and the bar is no part of the value', async () => {
    const alone = fieldsOf(await read());
    const both = fieldsOf(
      await read(
        (first) =>
          new FakeEngine(async (image, opts) => {
            const r = await first.recognize(image, { ...opts, mode: 'line' }).catch(() => undefined);
            return { text: r?.text ? `|${r.text}` : '', confidence: 0.97 };
          }),
      ),
    );
    for (const key of ['name', 'education', 'employerAndPosition']) {
      expect(both.fields[key]?.value, key).toEqual(alone.fields[key]?.value);
      expect(both.fields[key]?.confidence, key).toBeGreaterThanOrEqual(0.9);
    }
  });

  it.each([
    ['misreads 填 in both labels', (t: string) => t.replaceAll('填', '均')],
    ['takes the rule’s end before the line for a bar', (t: string) => (/报单位/.test(t) ? `|${t}` : t)],
    // PP-OCRv4 reading the wide white gap between the two as a character: the two halves of the
    // line, far apart, are read one by one.
    [
      'reads a character into the gap before 填表日期',
      (t: string) => t.replace(/(填报单位.*?)(填表日期)/u, '$1续$2'),
    ],
  ])('agrees on the header line’s values when it %s', async (_, misread) => {
    const alone = fieldsOf(await read());
    expect(alone.fields.fillingUnit?.value).toBeTruthy();
    const both = fieldsOf(
      await read(
        (first) =>
          new FakeEngine(async (image, opts) => {
            const r = await first.recognize(image, { ...opts, mode: 'line' }).catch(() => undefined);
            return { text: misread(r?.text ?? ''), confidence: 0.97 };
          }),
      ),
    );
    for (const key of ['fillingUnit', 'fillingDate']) {
      expect(both.fields[key]?.value, key).toEqual(alone.fields[key]?.value);
      expect(both.fields[key]?.confidence, key).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('is sure of the header date both readers read with the same numbers, whatever mark one read after it', async () => {
    const alone = fieldsOf(await read());
    expect(alone.fields.fillingDate?.value).toBeTruthy();
    const { replay } = await recorded();
    const first = new FakeEngine(async (image, opts) => {
      const r = await replay.recognize(image, opts.mode === 'digits' ? { ...opts, mode: 'line' } : opts);
      return /填表日期/.test(r.text) ? { ...r, text: r.text.replace(/(\d)(\s*)$/u, '$1月$2') } : r;
    });
    const second = new FakeEngine(async (image, opts) => {
      const r = await replay.recognize(image, { ...opts, mode: 'line' }).catch(() => undefined);
      return { text: r?.text ?? '', confidence: 0.97 };
    });
    const both = fieldsOf(
      await ingest([SCAN], {
        reader: createScanReader({ engine: first, secondReader: second }),
        extract: { snap: vocabularySnapper((v, t) => snap(v, t)), lexicon: loadLexicon() },
      }),
    );
    expect(both.fields.fillingDate?.value).toBe(alone.fields.fillingDate?.value);
    expect(both.fields.fillingDate?.confidence).toBeGreaterThanOrEqual(0.99);
  });

  it('that reads otherwise sends every field to review, naming its reading', async () => {
    const both = fieldsOf(await read(() => new FakeEngine(() => ({ text: '某某某', confidence: 0.5 }))));
    for (const key of SHORT) {
      expect(both.fields[key]?.confidence ?? 1, key).toBeLessThan(0.9);
      const issue = both.issues.find((i) => i.field === key && i.code === 'low_confidence');
      expect(issue?.message, key).toContain('另一识别引擎读作「某某某」');
    }
    // The less sure reading never replaces the surer one.
    expect(both.fields.name?.value).not.toBe('某某某');
  });

  it.each([
    ['unsure of its reading: the first reader’s stays shown', 0.5],
    ['surer than the first: its reading, which does not parse, is shown', 0.97],
  ])(
    'settles a phone number the second reader misread (%s) once both read it restricted to digits',
    async (_, lineConfidence) => {
      const alone = fieldsOf(await read());
      const phone = alone.fields.phone?.value;
      expect(phone).toMatch(/7/);
      const { replay, engine: first } = await recorded();
      // The second reads a face's 7 as T in a line, unsure, and right when restricted to digits.
      const second = new FakeEngine(async (image, opts) => {
        const r = await replay.recognize(image, { ...opts, mode: 'line' }).catch(() => undefined);
        const text = r?.text ?? '';
        return opts.mode === 'digits'
          ? { text, confidence: 0.97 }
          : { text: text.replaceAll('7', 'T'), confidence: lineConfidence };
      });
      const both = fieldsOf(
        await ingest([SCAN], {
          reader: createScanReader({ engine: first, secondReader: second }),
          extract: { snap: vocabularySnapper((v, t) => snap(v, t)), lexicon: loadLexicon() },
        }),
      );
      expect(both.fields.phone?.value).toBe(phone);
      expect(both.fields.phone?.confidence).toBeGreaterThanOrEqual(0.99);
      expect(second.calls.some((c) => c.opts.mode === 'digits')).toBe(true);
    },
  );

  it('keeps the first reading when the second finds nothing, and says so', async () => {
    const both = fieldsOf(await read(() => new FakeEngine(() => ({ text: '', confidence: 0 }))));
    const alone = fieldsOf(await read());
    expect(both.fields.name?.value).toBe(alone.fields.name?.value);
    expect(both.fields.name?.confidence).toBeLessThan(0.9);
  });
});
