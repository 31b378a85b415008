// The typesetting side of the development corpus (scripts/corpus): fictional records whose raw
// text round-trips to their values, and .docx files that are deterministic by seed and print every
// field's label. Fast: no LibreOffice.
import { describe, expect, it } from 'vitest';
import {
  estimateOverflow,
  printedLabels,
  randomTypesetting,
  refitTypesetting,
  type Typesetting,
  typesetDocx,
} from '../../scripts/corpus/typeset.js';
import { fictionalRecord, roundTripProblem } from '../../scripts/corpus/values.js';
import { createRandom } from '../../scripts/samples/random.js';
import { FORMS, VALUES_SCHEMAS } from '../../src/forms/index.js';
import { readDocxContent } from '../../src/ingest/docx.js';
import { labelScore, normalizeLabel } from '../../src/locate/labels.js';
import { FORM_KINDS, type FormKind, type SubmissionRecord, SubmissionRecordSchema } from '../../src/types.js';

const draft = (seed: string, form: FormKind, i: number): { record: SubmissionRecord; ts: Typesetting } => ({
  record: fictionalRecord(createRandom(`${seed}#${form}#${i}#record`), form, `${seed}-${form}-${i}`),
  ts: randomTypesetting(createRandom(`${seed}#${form}#${i}#typeset`), form),
});

const SEEDS = ['dev-1', 'dev-2', 'test-1'];
const N = 12;

describe('fictional records', () => {
  it('are valid records with every field of their form, values in normal form', () => {
    for (const seed of SEEDS)
      for (const form of FORM_KINDS)
        for (let i = 0; i < N; i++) {
          const { record } = draft(seed, form, i);
          expect(() => SubmissionRecordSchema.parse(record)).not.toThrow();
          expect(Object.keys(record.fields)).toEqual(FORMS[form].fields.map((f) => f.key));
          const values = Object.fromEntries(Object.entries(record.fields).map(([k, v]) => [k, v.value]));
          expect(VALUES_SCHEMAS[form].safeParse(values).success).toBe(true);
          for (const f of Object.values(record.fields))
            expect(f.raw ?? '').not.toMatch(/undefined|NaN|\{\w+\}/);
        }
  });

  it('round-trip: the product reads every raw text as its value, without warnings', () => {
    for (const seed of SEEDS)
      for (const form of FORM_KINDS)
        for (let i = 0; i < N; i++) {
          const { record } = draft(seed, form, i);
          const problems = Object.entries(record.fields)
            .map(([key, f]) => roundTripProblem(form, key, f))
            .filter(Boolean);
          expect(problems, record.id).toEqual([]);
        }
  });

  it('keep demand needs non-empty and seals only where a date line is printed', () => {
    for (const seed of SEEDS)
      for (let i = 0; i < N; i++) {
        const { record } = draft(seed, 'demand', i);
        expect(
          Object.keys(record.fields).some((k) => k.startsWith('needs.') && record.fields[k]?.value !== null),
        ).toBe(true);
      }
    for (const seed of SEEDS)
      for (const form of ['registration', 'demand'] as const)
        for (let i = 0; i < N; i++) {
          const { record } = draft(seed, form, i);
          for (const g of ['recommendation', 'approval'])
            if (record.fields[`${g}.stamped`]?.value === true)
              expect(record.fields[`${g}.date`]?.raw).not.toBe('');
        }
  });

  it('differ between seeds (dev and test do not share texts)', () => {
    const texts = (seed: string) =>
      new Set(
        FORM_KINDS.flatMap((form) =>
          Array.from({ length: N }, (_, i) => draft(seed, form, i).record).flatMap((r) =>
            Object.values(r.fields)
              .map((f) => f.raw ?? '')
              .filter((t) => t.length >= 40),
          ),
        ),
      );
    const dev = texts('dev-1');
    const test = texts('test-1');
    const shared = [...test].filter((t) => dev.has(t));
    expect(test.size).toBeGreaterThan(20);
    expect(shared.length).toBeLessThan(test.size * 0.05);
  });
});

describe('typeset .docx', () => {
  it('is deterministic by seed and differs between seeds', () => {
    for (const form of FORM_KINDS) {
      const a = draft('dev-1', form, 0);
      const b = draft('dev-1', form, 0);
      expect(b.record).toEqual(a.record);
      expect(b.ts).toEqual(a.ts);
      expect(typesetDocx(b.record, b.ts).equals(typesetDocx(a.record, a.ts))).toBe(true);
      const c = draft('dev-2', form, 0);
      expect(typesetDocx(c.record, c.ts).equals(typesetDocx(a.record, a.ts))).toBe(false);
    }
  });

  it('typesettings are JSON-serialisable and vary', () => {
    const all = FORM_KINDS.flatMap((form) => Array.from({ length: N }, (_, i) => draft('dev-1', form, i).ts));
    for (const ts of all) expect(JSON.parse(JSON.stringify(ts))).toEqual(ts);
    const distinct = (f: (t: Typesetting) => unknown) => new Set(all.map((t) => JSON.stringify(f(t)))).size;
    expect(distinct((t) => t.fonts.value)).toBeGreaterThan(4);
    expect(distinct((t) => t.opinion)).toBe(3);
    expect(distinct((t) => t.header)).toBeGreaterThan(2);
    expect(distinct((t) => t.labelWrap)).toBeGreaterThan(2);
    expect(distinct((t) => t.sizes.value)).toBeGreaterThan(3);
  });

  it('prints every field label of src/forms in a table cell (the header fields in the header line)', () => {
    for (const seed of SEEDS)
      for (const form of FORM_KINDS)
        for (let i = 0; i < N / 2; i++) {
          const { record, ts } = draft(seed, form, i);
          const last = refitTypesetting(refitTypesetting(refitTypesetting(ts, 3, 2), 3, 2), 3, 2);
          for (const t of i % 3 === 0 ? [ts, last] : [ts]) {
            const content = readDocxContent(typesetDocx(record, t));
            const cells = content.cells.map((c) => c.text);
            const where = `${record.id} (${t.opinion}, ${t.layout}, attempt ${t.attempt})`;
            for (const def of FORMS[form].fields) {
              if (def.key === 'fillingUnit' || def.key === 'fillingDate') {
                expect(
                  content.paragraphs.some((p) => normalizeLabel(p).includes(def.label)),
                  `${where} ${def.key}`,
                ).toBe(true);
                continue;
              }
              // The opinion group's label stands for its three keys; 照片 for the photo.
              const label =
                def.key.includes('.') && !def.key.startsWith('needs.')
                  ? def.label.replace(/（盖章）|日期$/, '')
                  : def.label;
              const found = cells.some((c) => labelScore(c, label).score >= 0.9);
              expect(found, `${where} ${def.key}: ${label}`).toBe(true);
            }
            // The labels forms.ts looks for in the PDF are those printed, in document order.
            const labels = printedLabels(record, t);
            const keys = labels.flatMap((l) => l.keys).sort();
            expect(keys).toEqual(FORMS[form].fields.map((f) => f.key).sort());
          }
        }
  });

  it('estimates the overflow of the page, and refits shrink it', () => {
    let shrunk = 0;
    for (const form of ['registration', 'demand'] as const)
      for (let i = 0; i < N; i++) {
        const { record, ts } = draft('dev-1', form, i);
        const before = estimateOverflow(record, ts);
        const after = estimateOverflow(record, refitTypesetting(ts, 3, 2));
        expect(Number.isFinite(before)).toBe(true);
        if (after < before) shrunk++;
      }
    expect(shrunk).toBeGreaterThan(N);
  });
});
