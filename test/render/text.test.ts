import { describe, expect, it } from 'vitest';
import { chinesePunctuation } from '../../src/render/text.js';

describe('chinesePunctuation', () => {
  it.each([
    [
      '陶瓷窑炉设计与热工测试;隧道窑、梭式窑烧成制度优化',
      '陶瓷窑炉设计与热工测试；隧道窑、梭式窑烧成制度优化',
    ],
    ['窑炉节能改造(余热回收、富氧燃烧)', '窑炉节能改造（余热回收、富氧燃烧）'],
    ['主持省级项目3项,获专利4件。', '主持省级项目3项，获专利4件。'],
    ['年产值1,200万元', '年产值1,200万元'],
    ['ISO 9001 (2015), CNAS', 'ISO 9001 (2015), CNAS'],
    ['负责人:张三', '负责人：张三'],
  ])('%s', (input, want) => {
    expect(chinesePunctuation(input)).toBe(want);
  });

  it('round-trips through NFKC to the stored normal form', () => {
    const stored = '烧成缺陷(变形、起泡、阴黄)分析;日用瓷低温快烧工艺,节能20%';
    expect(chinesePunctuation(stored).normalize('NFKC')).toBe(stored);
  });
});
