// Pass 1 reads each cell's first row and goes on only where that row is the start of a printed
// label that continues (a label wrapped in a narrow cell); values are left for pass 2.
import { describe, expect, it } from 'vitest';
import { isLabelFragment, missingHere, sameHeaderDate, startsUnfinishedLabel } from '../../src/read/index.js';

describe('startsUnfinishedLabel', () => {
  it('goes on after the first row of a wrapped label, also when a character is misread', () => {
    expect(startsUnfinishedLabel('所擅长的专')).toBe(true);
    expect(startsUnfinishedLabel('推荐单')).toBe(true);
    expect(startsUnfinishedLabel('乐望承接转')).toBe(true); // 希望承接转… read at half size
  });

  it('stops after a label that is complete on its first row', () => {
    expect(startsUnfinishedLabel('姓名')).toBe(false);
    expect(startsUnfinishedLabel('出生年月')).toBe(false);
  });

  it('stops after the first row of a value', () => {
    for (const value of ['王建国', '景德镇陶瓷大学', '中国轻工业陶瓷研究所', '13700002203', '2020年5月'])
      expect(startsUnfinishedLabel(value)).toBe(false);
  });

  it('reads on when too little was read to tell', () => {
    expect(startsUnfinishedLabel('')).toBe(true);
    expect(startsUnfinishedLabel('男')).toBe(true);
  });
});

describe('isLabelFragment', () => {
  it('knows a piece of a printed label from a short value', () => {
    expect(isLabelFragment('话')).toBe(true);
    expect(isLabelFragment('联系 人')).toBe(true);
    expect(isLabelFragment('侯涛')).toBe(false);
    expect(isLabelFragment('珠山区')).toBe(false);
    expect(isLabelFragment('')).toBe(false);
  });
});

describe('missingHere', () => {
  it('counts only the missing fields printed on the page read: the other page’s always are', () => {
    // 附件1 page 1 read whole: the fields of page 2 (拟在企业开展的工作, the opinions) are not on it.
    const page2 = ['plannedWork', 'recommendation.opinion', 'approval.date'];
    expect(missingHere('registration', 1, page2)).toEqual([]);
    expect(missingHere('registration', 1, [...page2, 'phone'])).toEqual(['phone']);
    expect(missingHere('registration', 2, [...page2, 'phone'])).toEqual(page2);
  });
});

describe('sameHeaderDate', () => {
  it('the same numbers, or both only the printed 年 月 日 of a date nobody filled in', () => {
    expect(sameHeaderDate('2020年4月21日', '2020.4.21')).toBe(true);
    expect(sameHeaderDate('年月日', '“年“月“日')).toBe(true);
    expect(sameHeaderDate(' 年 月 日', '年,月:日')).toBe(true);
  });

  it('differs where a number does, or where only one reader saw one', () => {
    expect(sameHeaderDate('2020年4月21日', '2020年4月27日')).toBe(false);
    expect(sameHeaderDate('年月日', '年5月日')).toBe(false);
    expect(sameHeaderDate('年月日', '2020年5月3日')).toBe(false);
    expect(sameHeaderDate('年月', '“年“月“日')).toBe(false);
  });
});
