import { describe, expect, it } from 'vitest';
import { splitOpinion } from '../../src/extract/opinion.js';

describe('splitOpinion', () => {
  it.each([
    ['同意推荐。\n（盖章）\n2020 年 5 月 12 日', '同意推荐。', '2020 年 5 月 12 日'],
    ['同意推荐。\n\n（盖章）\n    年    月    日', '同意推荐。', '年    月    日'],
    ['（盖章）\n年 月 日', '', '年 月 日'],
    [
      '经审核，该同志符合条件，\n同意推荐。\n(盖章)\n2020年5月8日',
      '经审核，该同志符合条件，\n同意推荐。',
      '2020年5月8日',
    ],
    ['同意。 （盖章） 2020年6月1日', '同意。', '2020年6月1日'],
    ['', '', ''],
    ['同意推荐。\n(盖章)\n2020.5.21', '同意推荐。', '2020.5.21'],
    ['同意入企。\n(盖鞍)\n2020.6.5', '同意入企。', '2020.6.5'],
    ['同意入企。\n（盍章）\n2020-06-05', '同意入企。', '2020-06-05'],
    ['同意。\n(若单)\n2020年6月3月', '同意。', '2020年6月3日'],
    ['(盖章)\n年“月“日', '', '年 月 日'],
    [
      '经研究，同意推荐（该同志为骨干教师）。\n（盖章）\n2020年6月3日',
      '经研究，同意推荐（该同志为骨干教师）。',
      '2020年6月3日',
    ],
  ])('%j', (text, opinion, dateRaw) => {
    expect(splitOpinion(text)).toEqual({ opinion, dateRaw });
  });
});

describe('a date whose full stops OCR read as colons or commas', () => {
  it('is still the date line, not part of the opinion', () => {
    expect(splitOpinion('经审核，以上情况属实，同意推荐。\n2020:6.1')).toEqual({
      opinion: '经审核，以上情况属实，同意推荐。',
      dateRaw: '2020.6.1',
    });
    expect(splitOpinion('同意。\n2020，5，12').dateRaw).toBe('2020.5.12');
    // …or lost one, leaving a space.
    expect(splitOpinion('情况属实，同意推荐。\n2020 05.25')).toEqual({
      opinion: '情况属实，同意推荐。',
      dateRaw: '2020.05.25',
    });
    expect(splitOpinion('同意。\n2020 5 25').dateRaw).toBe('2020.5.25');
  });
});

describe('a date line whose 年 月 日 went with the seal’s red ink', () => {
  it('is the date, unreadable as it stands, never the opinion’s words', () => {
    expect(splitOpinion('情况属实,同意推荐。\n20207')).toEqual({
      opinion: '情况属实,同意推荐。',
      dateRaw: '20207',
      incomplete: true,
    });
    expect(splitOpinion('同意。\n2020 7').dateRaw).toBe('2020 7');
    // …or whose 日 the cell's edge cut off: a date, but whether the day is whole nobody can tell.
    expect(splitOpinion('审核通过。\n2020年6月14')).toEqual({
      opinion: '审核通过。',
      dateRaw: '2020年6月14',
      incomplete: true,
    });
    expect(splitOpinion('审核通过。\n2020年6月14日').incomplete).toBeUndefined();
    // A sentence that holds a year is the opinion.
    expect(splitOpinion('同意。\n2020年度重点项目').opinion).toBe('同意。\n2020年度重点项目');
  });
});

describe('specks beside an unfilled opinion cell’s printed words', () => {
  it('are no opinion', () => {
    expect(splitOpinion('(盖章)\n年月日,')).toEqual({ opinion: '', dateRaw: '年月日' });
    expect(splitOpinion('、(盖章) .')).toEqual({ opinion: '', dateRaw: '' });
    // A speck read between the printed 年 月 日 of an unfilled date line.
    expect(splitOpinion('(盖章)\n年月.日')).toEqual({ opinion: '', dateRaw: '' });
    expect(splitOpinion('年·月 日')).toEqual({ opinion: '', dateRaw: '' });
    expect(splitOpinion('同意。\n,').opinion).toBe('同意。');
  });
});

describe('a typed opinion whose label cell wraps （盖章） over two lines', () => {
  it('leaves neither half in the opinion', () => {
    expect(splitOpinion('(盖\n章)\n情况属实，同意推荐。\n2020年5月27日', { typed: true })).toEqual({
      opinion: '情况属实，同意推荐。',
      dateRaw: '2020年5月27日',
    });
    expect(splitOpinion('(盖\n章)\n\n年    月    日', { typed: true }).opinion).toBe('');
  });
});

describe('a speck after an opinion’s full stop', () => {
  it('is no part of the sentence', () => {
    expect(splitOpinion('符合条件，同意。:\n2020年6月23日').opinion).toBe('符合条件，同意。');
    expect(splitOpinion('同意推荐。，').opinion).toBe('同意推荐。');
  });
  it('drops a closing bracket there that closes nothing, and keeps one that closes', () => {
    expect(splitOpinion('同意。)').opinion).toBe('同意。');
    expect(splitOpinion('同意。 ）\n2020年6月23日').opinion).toBe('同意。');
    expect(splitOpinion('同意推荐（材料见附件。）').opinion).toBe('同意推荐（材料见附件。）');
  });
});

describe('what is left of the printed words on a row of their own', () => {
  it('is no part of the opinion: half of （盖章）, a lone 日 of the date line', () => {
    expect(splitOpinion('同意推荐该同志入企开展协同创新工作。\n日').opinion).toBe(
      '同意推荐该同志入企开展协同创新工作。',
    );
    expect(splitOpinion('章)').opinion).toBe('');
    expect(splitOpinion('同意。\n(盖\n年 月').opinion).toBe('同意。');
  });
});

describe('rows after a finished opinion that make no words', () => {
  it('are a seal’s texture or the date under it, not more of the opinion', () => {
    for (const debris of ['年1日', '20).,1()', '沥沥沥沥ed', 'J园园闵沥d E m加一1。的[浩训巳'])
      expect(splitOpinion(`同意入企。\n${debris}`).opinion).toBe('同意入企。');
  });

  it('keeps a second sentence, and rows of a sentence not finished', () => {
    expect(splitOpinion('情况属实。\n特此推荐。').opinion).toBe('情况属实。\n特此推荐。');
    expect(splitOpinion('所填内容属实，请予支持。\n同意。').opinion).toBe('所填内容属实，请予支持。\n同意。');
    // A row of no words inside a sentence is the reader's, for the clerk to see.
    expect(splitOpinion('同意推荐该同志\n沥沥ed\n入企工作。').opinion).toBe(
      '同意推荐该同志\n沥沥ed\n入企工作。',
    );
  });
});
