import { describe, expect, it } from 'vitest';
import { parseHeaderText } from '../../src/extract/header.js';

describe('parseHeaderText', () => {
  it('splits one line at the second label', () => {
    expect(parseHeaderText('填报单位：景德镇某瓷业有限公司    填表日期：2020年5月3日')).toEqual({
      fillingUnit: '景德镇某瓷业有限公司',
      fillingDate: '2020年5月3日',
    });
  });
  it('reads two lines in either order, with OCR spaces and no colons', () => {
    expect(parseHeaderText('填 表 日 期 2020.5.3\n填 报 单 位 某研究院')).toEqual({
      fillingUnit: '某研究院',
      fillingDate: '2020.5.3',
    });
  });
  it('leaves out a colon read as a full stop or comma, and stops at the ends', () => {
    expect(parseHeaderText('填报单位:.江西新元机械股份有限公司 填表日期：，2020年5月3日。')).toEqual({
      fillingUnit: '江西新元机械股份有限公司',
      fillingDate: '2020年5月3日',
    });
  });
  it('tells a blank value from a label never seen', () => {
    expect(parseHeaderText('填报单位：＿＿＿＿')).toEqual({ fillingUnit: '' });
    expect(parseHeaderText('景德镇市企业对专业技术人才需求情况表')).toEqual({});
  });
});
