// One row, two readings: a printed label one reader misreads (a typeface it does not know) is no
// disagreement about the value after it.
import { describe, expect, it } from 'vitest';
import { locateFields } from '../../src/locate/labels.js';
import { secondAfter } from '../../src/read/consensus.js';
import { AGREED, compareRow, DISAGREED } from '../../src/read/row-check.js';

const box = { x: 0, y: 0, w: 100, h: 20 };
// What ingest passes for an inline cell: the text after the profile's printed label.
const afterLabel = (text: string) =>
  locateFields('registration', [{ row: 0, col: 0, rowSpan: 1, colSpan: 4, text }]).found.find(
    (f) => f.key === 'profile',
  )?.valueText ?? text;

describe('a row read by two readers', () => {
  it('takes off the part of the second reading aligned with the first reading’s label', () => {
    expect(secondAfter('个人简介：参与制定', 5, '个人间介:参与制定')).toBe('参与制定');
    // A character the second reading has at the boundary stays with the rest.
    expect(secondAfter('简介：参与', 3, '简介:X参与')).toBe('X参与');
  });

  it('agrees on the value when the second reader garbles the label', () => {
    const first = { box, text: '个人或团队简介和主要业绩：参与制定行业标准3项', confidence: 0.8 };
    const other = { text: '个人虹团队间介相王实业须:参与制定行业标准3项', confidence: 0.9 };
    const row = compareRow(first, other, { paragraph: true, afterLabel });
    expect(row.check?.agrees).toBe(true);
    expect(row.confidence).toBeGreaterThanOrEqual(AGREED);
    expect(afterLabel(row.text)).toBe('参与制定行业标准3项');
    // Without knowing the label is there, the two readings are a disagreement.
    expect(compareRow(first, other, { paragraph: true }).confidence).toBeLessThanOrEqual(DISAGREED);
  });

  it('agrees when the first reader garbles the label and the second reads it', () => {
    const first = { box, text: '下人或团仁间仁邝王宋业项:', confidence: 0.38 };
    const other = { text: '个人或团队简介和主要业绩：', confidence: 0.95 };
    const row = compareRow(first, other, { afterLabel });
    expect(row.check?.agrees).toBe(true);
    expect(afterLabel(row.text)).toBe('');
  });

  it('still disputes a value read differently after the label', () => {
    const first = { box, text: '个人或团队简介和主要业绩：参与制定行业标准3项', confidence: 0.8 };
    const other = { text: '个人或团队简介和主要业绩：参与制定行业标准8项', confidence: 0.9 };
    const row = compareRow(first, other, { paragraph: true, afterLabel });
    expect(row.check?.agrees).toBe(false);
    expect(row.confidence).toBeLessThanOrEqual(DISAGREED);
    expect(afterLabel(row.check?.text ?? '')).toBe('参与制定行业标准3项');
  });
});

describe('two readers that read the same characters', () => {
  it('keep the reading that does not split a number with a space', () => {
    const first = { box, text: '2020.06.2 1', confidence: 0.9 };
    const row = compareRow(first, { text: '2020.06.21', confidence: 0.95 });
    expect(row.text).toBe('2020.06.21');
    expect(row.check?.agrees).toBe(true);
    // Spaces between words are the first reader's to keep.
    expect(
      compareRow({ box, text: '采用 PLC 控制', confidence: 0.9 }, { text: '采用PLC控制', confidence: 0.9 })
        .text,
    ).toBe('采用 PLC 控制');
  });
});

describe('two readers restricted to digits', () => {
  it('agree on a number one of them ends with a speck read as a mark; the mark is no part of it', () => {
    const read = { box, text: '15800086153 .', confidence: 0 };
    const row = compareRow(read, { text: '15800086153', confidence: 0.9 }, { digits: true });
    expect(row).toMatchObject({ text: '15800086153', confidence: AGREED, check: { agrees: true } });
    // Read as a line, a character only one reader saw leaves the row as sure as the less sure one.
    expect(compareRow(read, { text: '15800086153', confidence: 0.9 }).confidence).toBe(0);
  });

  it('still dispute a digit read differently', () => {
    const row = compareRow(
      { box, text: '18100877705', confidence: 0.8 },
      { text: '18100877703', confidence: 0.9 },
      { digits: true },
    );
    expect(row.check?.agrees).toBe(false);
    expect(row.confidence).toBeLessThanOrEqual(DISAGREED);
  });
});

describe('two readers that read a date', () => {
  it('agree when the numbers are the same, whatever they made of the printed 年 月 日', () => {
    const row = compareRow(
      { box, text: '2020年5广5日', confidence: 0.8 },
      { text: '2020年5月5日', confidence: 0.9 },
    );
    expect(row.text).toBe('2020年5月5日');
    expect(row.confidence).toBe(AGREED);
    expect(row.check?.agrees).toBe(true);
  });
  it('agree on the numbers as a date when neither wrote it as one (a seal’s red over 年 or 日)', () => {
    for (const [a, b] of [
      ['2020外06月17日', '2020年-06月17日'],
      ['2020年5月20F', '2020年5月20月'],
    ] as const) {
      const row = compareRow({ box, text: a, confidence: 0.6 }, { text: b, confidence: 0.9 });
      expect(row.check?.agrees, a).toBe(true);
      expect(row.confidence).toBe(AGREED);
    }
    expect(
      compareRow(
        { box, text: '2020外06月17日', confidence: 0.6 },
        { text: '2020年-06月17日', confidence: 0.9 },
      ).text,
    ).toBe('2020年6月17日');
    // Numbers that are no date stay disputed.
    expect(
      compareRow(
        { box, text: '2020外13月17日', confidence: 0.6 },
        { text: '2020年-13月17日', confidence: 0.9 },
      ).check?.agrees,
    ).toBe(false);
  });

  it('dispute a number read differently, or a row that is more than the date', () => {
    const day = compareRow(
      { box, text: '2020年5月5日', confidence: 0.9 },
      { text: '2020年5月15日', confidence: 0.9 },
    );
    expect(day.confidence).toBe(DISAGREED);
    const joined = compareRow(
      { box, text: '2020年5月5日', confidence: 0.9 },
      { text: '2020年515日', confidence: 0.9 },
    );
    expect(joined.confidence).toBe(DISAGREED);
    const more = compareRow(
      { box, text: '同意。2020年5月5日', confidence: 0.9 },
      { text: '同意。2020年5广5日', confidence: 0.9 },
    );
    expect(more.check?.agrees).toBe(false);
  });
});

describe('a paragraph’s row the readers read differently', () => {
  it('is disputed when it is little more than the characters in dispute', () => {
    const tiny = compareRow(
      { box, text: 's', confidence: 0.9 },
      { text: '。', confidence: 0.9 },
      { paragraph: true },
    );
    expect(tiny.check?.agrees).toBe(false);
    expect(tiny.confidence).toBe(DISAGREED);
    // A character in dispute in a row they otherwise read alike is left to the paragraph's allowance.
    const row = compareRow(
      { box, text: '手段解决,', confidence: 0.9 },
      { text: '手段解决;', confidence: 0.9 },
      { paragraph: true },
    );
    expect(row.check?.agrees).toBe(true);
  });
});
