import { describe, expect, it } from 'vitest';
import { isCjk, normaliseOcrText, stripCjkSpaces } from '../../src/ocr/text.js';

describe('stripCjkSpaces', () => {
  it.each([
    ['王 建 国', '王建国'],
    ['景德镇 陶瓷 大学', '景德镇陶瓷大学'],
    ['2020 年 5 月 12 日', '2020年5月12日'],
    ['同意 推荐 。', '同意推荐。'],
    ['ISO 9001 认证', 'ISO 9001认证'],
    ['138 0798 1234', '138 0798 1234'],
    ['Jingdezhen  Ceramic   University', 'Jingdezhen Ceramic University'],
    ['  副 院长  ', '副院长'],
    ['王\u3000建国', '王建国'],
  ])('%j → %j', (input, expected) => {
    expect(stripCjkSpaces(input)).toBe(expected);
  });
});

describe('normaliseOcrText', () => {
  it('applies NFKC: full-width digits and letters become ASCII', () => {
    expect(normaliseOcrText('１３８０７９８１２３４', 'digits')).toBe('13807981234');
    expect(normaliseOcrText('ＡＢＣ 公司', 'line')).toBe('ABC公司');
  });

  it('keeps line breaks in blocks and drops empty lines', () => {
    expect(normaliseOcrText('陶 瓷 材料\n\n 釉料 配方 \n', 'block')).toBe('陶瓷材料\n釉料配方');
  });

  it('joins a line read as several lines', () => {
    expect(normaliseOcrText('景德镇\n陶瓷大学\n', 'line')).toBe('景德镇陶瓷大学');
    expect(normaliseOcrText('0798\n8576556', 'digits')).toBe('0798 8576556');
  });

  it('returns an empty string for whitespace', () => {
    expect(normaliseOcrText(' \n \n', 'line')).toBe('');
  });

  it('knows CJK from Latin', () => {
    expect(isCjk('瓷')).toBe(true);
    expect(isCjk('。')).toBe(true);
    expect(isCjk('𠀀')).toBe(true);
    expect(isCjk('a')).toBe(false);
    expect(isCjk('1')).toBe(false);
  });
});
