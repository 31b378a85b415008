import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extract/index.js';

const read = (parts?: { opinion: number; date: number }) =>
  extractRecord({
    form: 'registration',
    fields: [
      {
        key: 'recommendation.opinion',
        raw: '同意推荐。\n（盖章）\n2020年5月12日',
        confidence: 0.55,
        ...(parts ? { parts } : {}),
      },
    ],
    sources: [],
    idSeed: 'parts',
  }).fields;

describe('an opinion cell read by OCR', () => {
  it('gives the sentence and the date each the confidence of its own rows', () => {
    const f = read({ opinion: 0.99, date: 0.55 });
    expect(f['recommendation.opinion']).toMatchObject({ value: '同意推荐。', confidence: 0.99 });
    expect(f['recommendation.date']).toMatchObject({ value: '2020-05-12', confidence: 0.55 });
  });
  it('without parts, both are as sure as the whole cell', () => {
    const f = read();
    expect(f['recommendation.opinion']?.confidence).toBe(0.55);
    expect(f['recommendation.date']?.confidence).toBe(0.55);
  });
});

describe('the date of an opinion cell with no date line read', () => {
  const cell = (raw: string) =>
    extractRecord({
      form: 'registration',
      fields: [{ key: 'approval.opinion', raw, confidence: 0.7, parts: { opinion: 0.995, date: 0.995 } }],
      sources: [],
      idSeed: 'no-line',
    }).fields['approval.date'];
  it('is blank, as sure as the cell’s printed words, when the cell holds only its （盖章）', () => {
    // A copy that prints no 年 月 日 under its 审核意见.
    expect(cell('（盖章）')).toMatchObject({ value: null, confidence: 0.995 });
  });
  it('is never sure when an opinion was written and no date line found with it', () => {
    expect(cell('同意。\n（盖章）')?.confidence).toBeLessThanOrEqual(0.4);
  });
});

describe('the seal of an opinion cell that was not found', () => {
  const stamped = (typed: boolean) =>
    extractRecord({ form: 'registration', fields: [], sources: [], idSeed: 'no-cell', typed });
  it('is unknown on a scan, and a person is asked', () => {
    const r = stamped(false);
    expect(r.fields['approval.stamped']).toEqual({ value: null, confidence: 0 });
    expect(r.issues.some((i) => i.field === 'approval.stamped' && i.code === 'low_confidence')).toBe(true);
  });
  it('is absent, with certainty, in a typed .docx', () => {
    expect(stamped(true).fields['approval.stamped']).toEqual({ value: false, confidence: 1 });
  });
});
