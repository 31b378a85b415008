// A date row read through a seal carries what else the row held: the seal's lettering or star read
// as a character or two (measured on a 1-bit scan: 「多」 beside 2020年6月12日 became a line of the
// opinion at 0.99), or the end of a sentence that runs under the seal.
import { describe, expect, it } from 'vitest';
import {
  besideSealDate,
  inLabelColumnOnly,
  isStray,
  onlyPrintInCell,
  opinionParts,
} from '../../src/read/index.js';

describe('a date row under a seal', () => {
  it('leaves out a character or two beside the date: the seal’s own ink', () => {
    expect(besideSealDate('多2020年6月12日')).toEqual({ text: '2020年6月12日', cap: 1 });
    expect(besideSealDate('督厂 2020年5月19日', '2020年5月19日')).toEqual({ text: '2020年5月19日', cap: 1 });
  });

  it('keeps the printed （盖章） and a bare date as they are', () => {
    expect(besideSealDate('（盖章）2020年6月12日')).toEqual({ text: '（盖章）2020年6月12日', cap: 1 });
    expect(besideSealDate('2020年6月12日')).toEqual({ text: '2020年6月12日', cap: 1 });
  });

  it('keeps a sentence’s end under the seal, sure only when the other reader read the same words', () => {
    const row = '同意推荐该同志。2020年5月3日';
    expect(besideSealDate(row, '同意推荐该同志 2020年5月3日')).toEqual({ text: row, cap: 1 });
    expect(besideSealDate(row, '同意推荐该司志。2020年5月3日').cap).toBeLessThan(0.9);
    expect(besideSealDate(row).cap).toBeLessThan(0.9);
  });
});

describe('an opinion cell of only its printed words', () => {
  const box = { x: 0, y: 0, w: 10, h: 10 };
  const cell = (checked: boolean) => {
    const row = {
      box,
      text: '(盖章)',
      confidence: 0.708,
      ...(checked ? { check: { text: '(盖章', agrees: true } } : {}),
    };
    return opinionParts({ text: row.text, confidence: row.confidence, rows: [row] });
  };
  it('is blank for sure when both readers read its （盖章）', () => {
    expect(cell(true).opinion).toBeGreaterThanOrEqual(0.99);
    expect(cell(true).date).toBeGreaterThanOrEqual(0.99);
  });
  it('is as sure as its reading when one reader read it alone', () => {
    expect(cell(false)).toMatchObject({ opinion: 0.708, date: 0.708 });
  });
});

describe('an opinion cell whose date line lost characters', () => {
  it('keeps the sentence sure and sends the date to a person', () => {
    const box = { x: 0, y: 0, w: 10, h: 10 };
    const rows = [
      { box, text: '审核通过。', confidence: 0.995, check: { text: '审核通过。', agrees: true } },
      { box, text: '2020年6月14', confidence: 0.995, check: { text: '2020年6月14', agrees: true } },
    ];
    const parts = opinionParts({ text: '审核通过。\n2020年6月14', confidence: 0.99, rows });
    expect(parts.opinion).toBeGreaterThanOrEqual(0.99);
    expect(parts.date).toBeLessThan(0.9);
  });
});

describe('a stray character on a row of its own in an opinion cell', () => {
  it('is the seal’s when the readers read different single characters or nothing', () => {
    expect(isStray('章', '')).toBe(true);
    expect(isStray('《', 'E')).toBe(true);
    expect(isStray('R', ':')).toBe(true);
    // A bar of the star both readers took for a 1.
    expect(isStray('1', '1')).toBe(true);
  });
  it('is the sentence’s last character when both read it alike, or more than one was read', () => {
    expect(isStray('持。', '持。')).toBe(false);
    expect(isStray('R', '华技u庆')).toBe(false);
  });
});

describe('an opinion read inline in its label’s cell', () => {
  it('is unknown when the cell is as narrow as a label column and holds only print', () => {
    expect(inLabelColumnOnly(0.1, '(盖章)')).toBe(true);
    expect(inLabelColumnOnly(0.1, '')).toBe(true);
  });
  it('is the opinion when the cell is wide, or when it holds words', () => {
    expect(inLabelColumnOnly(0.8, '(盖章)')).toBe(false);
    expect(inLabelColumnOnly(0.1, '同意。')).toBe(false);
  });
});

describe('characters the readers left undecided in an opinion cell', () => {
  const box = { x: 0, y: 0, w: 10, h: 10 };
  const parts = (sentence: string, other: string) =>
    opinionParts({
      text: `${sentence}\n2020年6月10日`,
      confidence: 0.93,
      rows: [
        { box, text: sentence, confidence: 0.93, check: { text: other, agrees: true, undecided: 1 } },
        { box, text: '2020年6月10日', confidence: 0.995, check: { text: '2020年6月10日', agrees: true } },
      ],
    }).undecided;
  it('count in the part whose rows hold them, where that part comes out different', () => {
    expect(parts('经单位研究，同意推荐。', '经单位研究，同意推存。')).toEqual({ opinion: 1, date: 0 });
  });
  it('do not count when cleaning the part takes them off (a speck after the sentence’s 。)', () => {
    expect(parts('同意推荐。.', '同意推荐。')).toEqual({ opinion: 0, date: 0 });
  });
});

describe('characters the words decided in an opinion cell', () => {
  const box = { x: 0, y: 0, w: 10, h: 10 };
  it('count in the part whose rows they were decided in', () => {
    const decided = opinionParts({
      text: '所填内容属实，请予支持。\n（盖章）\n2020-05-21',
      confidence: 0.93,
      rows: [
        {
          box,
          text: '所填内容属实，请予支持。',
          confidence: 0.93,
          check: { text: '所填内容属实，请予支持。', agrees: true, decided: 1 },
        },
        { box, text: '（盖章）', confidence: 0.93, check: { text: '（盖章）', agrees: true, decided: 1 } },
        {
          box,
          text: '2020-05-21',
          confidence: 0.995,
          check: { text: '2020-05-21', agrees: true, decided: 2 },
        },
      ],
    }).decided;
    expect(decided).toEqual({ opinion: 1, date: 2 });
  });
});

describe('an inline opinion cell holding only what the form prints', () => {
  const afterLabel = (t: string) => t.replace(/^审核意见[:：]?/u, '');
  const row = (text: string, w: number, other = text) => ({
    box: { x: 0, y: 0, w, h: 55 },
    text,
    confidence: 0.995,
    check: { text: other, agrees: other === text },
  });
  it('is blank for sure: its label, its （盖章）, an unfilled 年 月 日, read alike by both readers', () => {
    expect(onlyPrintInCell([row('审核意见:', 222)], afterLabel)).toBe(true);
    expect(onlyPrintInCell([row('审核意见:', 222), row('(盖章)', 200), row('年月日', 700)], afterLabel)).toBe(
      true,
    );
  });
  it('is not when the label row holds more ink than its words, or a reader read more', () => {
    expect(onlyPrintInCell([row('审核意见:', 420)], afterLabel)).toBe(false);
    expect(onlyPrintInCell([row('审核意见:', 222, '审核意见:同')], afterLabel)).toBe(false);
    expect(onlyPrintInCell([{ ...row('审核意见:', 222), check: undefined }], afterLabel)).toBe(false);
    expect(onlyPrintInCell([row('审核意见:', 222), row('同意。', 170)], afterLabel)).toBe(false);
    expect(onlyPrintInCell([row('审核意见:', 222), row('2020年6月1日', 500)], afterLabel)).toBe(false);
    expect(onlyPrintInCell([], afterLabel)).toBe(false);
  });
});
