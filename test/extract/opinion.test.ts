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
  ])('%j', (text, opinion, dateRaw) => {
    expect(splitOpinion(text)).toEqual({ opinion, dateRaw });
  });
});
