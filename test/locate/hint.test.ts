import { describe, expect, it } from 'vitest';
import { locateFields } from '../../src/locate/labels.js';

const cell = (text: string) => ({ row: 0, col: 0, rowSpan: 1, colSpan: 1, text });

describe('a label with printed instructions, value in the same cell', () => {
  const value = '需要解决的问题：项目实施后可形成技术标准3项。\n技术难题：能耗降低7%以上。';
  const found = (hint: string) =>
    locateFields('problem', [cell(`产业发展重大技术难题简要描述：${hint}\n${value}`)]).found.find(
      (f) => f.key === 'description',
    )?.valueText;

  it('ends the instructions where the text read is closest to them', () => {
    expect(found('主要包括发展现状、技术难题、经济技术指标、需要解决的问题及难题攻关的预期效果。')).toBe(
      value,
    );
    // OCR dropped two characters of the instructions, and misread one.
    expect(found('主要包括发展现状、技术难题、经济指标、需要解决的问题及难题攻关的预朗效果。')).toBe(value);
    // OCR doubled one.
    expect(found('主要包括发展现状、技术难难题、经济技术指标、需要解决的问题及难题攻关的预期效果。')).toBe(
      value,
    );
  });
});

describe('a label cell whose small-type instructions were read only in part', () => {
  it('takes the value from the cell beside it, not the instructions', () => {
    const cells = [
      { row: 0, col: 0, rowSpan: 1, colSpan: 1, text: '难题名称' },
      { row: 0, col: 1, rowSpan: 1, colSpan: 1, text: '某难题' },
      {
        row: 1,
        col: 0,
        rowSpan: 1,
        colSpan: 1,
        text: '产业发展重大技术难题简要描述：主要包括发展现状、技\n术难题、经济技术指标',
      },
      { row: 1, col: 1, rowSpan: 1, colSpan: 1, text: '1、企业自身研发能力有限' },
    ];
    const found = locateFields('problem', cells).found.find((f) => f.key === 'description');
    expect(found).toMatchObject({ mode: 'right', valueText: '1、企业自身研发能力有限' });
  });
});
