import { describe, expect, it } from 'vitest';
import { mergeReadings, nearMissOfTerm } from '../../src/read/consensus.js';

describe('two readings of a paragraph row, decided by the words', () => {
  it('takes, at each character they differ, the reading that makes words', () => {
    const m = mergeReadings(
      '生产工艺以注塑为主,自动化程度较低,关键工序依赖熟练工人。',
      '生产工九以注塑为主,目动化程度较低,关键工厌依赖熟练工人。',
    );
    expect(m).toMatchObject({
      text: '生产工艺以注塑为主,自动化程度较低,关键工序依赖熟练工人。',
      decided: 3,
      undecided: 0,
    });
    // Either reader may be the right one, and a character one of them lost is put back.
    expect(mergeReadings('技术力量联合关;', '技术力量联合攻关;').text).toBe('技术力量联合攻关;');
    // The trade's own words count (config/trade-words.yaml), not only the general dictionary's.
    expect(mergeReadings('关注薛胎瓷领域', '关注薄胎瓷领域').text).toBe('关注薄胎瓷领域');
  });

  it('never decides numbers or what stands next to them', () => {
    expect(mergeReadings('年产能约52件', '年产能约52万件')).toMatchObject({
      text: '年产能约52件',
      undecided: 1,
    });
    expect(mergeReadings('研发人员6人', '研发人员8人').undecided).toBe(1);
  });

  it('leaves a misread stretch, and punctuation, undecided', () => {
    expect(mergeReadings('主写从事伟佳椿客于育种', '主要从事茶树栽培与育种').undecided).toBeGreaterThan(0);
    expect(mergeReadings('同意推荐。', '同意推荐').undecided).toBe(1);
  });

  it('leaves undecided what only one reader saw at the row’s start or end: nothing beyond to make a word with', () => {
    // A rule's end read as 一一 after the sentence: a word by itself, and no part of the row.
    expect(mergeReadings('充实企业研发队伍。一一', '充实企业研发队伍。')).toMatchObject({
      text: '充实企业研发队伍。一一',
      decided: 0,
      undecided: 1,
      minorChars: Number.POSITIVE_INFINITY,
    });
    expect(mergeReadings('企业研发队伍。', '企业研发队伍。希')).toMatchObject({ decided: 0, minorChars: 1 });
    // Inside the row the words still decide a character one reader lost.
    expect(mergeReadings('技术力量联合关;', '技术力量联合攻关;').decided).toBe(1);
  });

  it('counts what is left undecided: single characters as minor, numbers and stretches as disputes', () => {
    expect(mergeReadings('同意推荐。', '同意推荐').minorChars).toBe(1);
    expect(mergeReadings('近五年承担企业委托项目', '达五年承担企业委托项目').minorChars).toBe(1);
    expect(mergeReadings('研发人员6人', '研发人员8人').minorChars).toBe(Number.POSITIVE_INFINITY);
    expect(mergeReadings('主写从事伟佳椿客于育种', '主要从事茶树栽培与育种').minorChars).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('keeps the first reading and its spaces where the two agree', () => {
    expect(mergeReadings('采用 PLC 控制', '采用PLC控制')).toMatchObject({
      text: '采用 PLC 控制',
      decided: 0,
      undecided: 0,
    });
  });
});

describe('a quotation mark read facing the other way', () => {
  it('closes a quotation before a stop, a comma or the row’s end', () => {
    expect(mergeReadings('专项“茶园关键技术“。希望', '专项“茶园关键技术”。希望')).toMatchObject({
      text: '专项“茶园关键技术”。希望',
      decided: 1,
      undecided: 0,
    });
    expect(mergeReadings('术”。开展合作', '术“。开展合作').text).toBe('术”。开展合作');
    expect(mergeReadings('关键技术”', '关键技术“').text).toBe('关键技术”');
  });

  it('opens one after a colon or a comma, before a character', () => {
    expect(mergeReadings('专项：”浮梁红茶', '专项：“浮梁红茶').text).toBe('专项：“浮梁红茶');
  });

  it('is not told between two characters', () => {
    expect(mergeReadings('专项“浮梁红茶', '专项”浮梁红茶')).toMatchObject({ decided: 0, undecided: 1 });
  });
});

describe('a trade term with one character misread into no word', () => {
  it('is noticed in a row, and ordinary words beside a term are not', () => {
    expect(nearMissOfTerm('关注薛胎瓷领域的新材料、新技术')).toBe(true);
    expect(nearMissOfTerm('关注薄胎瓷领域的新材料、新技术')).toBe(false);
    // 新产品 beside 农产品, 生产工艺 beside 生产线: words of their own.
    expect(nearMissOfTerm('开发颜色釉陈设瓷新产品，生产工艺以注塑为主')).toBe(false);
  });
});

describe('numbers written in Chinese numerals', () => {
  it('are never decided by the words: a year read 二〇一〇 and 二〇二〇 stays disputed', () => {
    const merged = mergeReadings('二〇一〇年六月九日', '二〇二〇年六月九日');
    expect(merged.minorChars).toBe(Number.POSITIVE_INFINITY);
    expect(merged.text).toBe('二〇一〇年六月九日');
  });
});
