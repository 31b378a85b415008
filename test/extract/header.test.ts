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
  it('leaves out specks at a value’s ends, not a closing bracket', () => {
    expect(parseHeaderText('填报单位:景德镇市电子信息职业技术学院.【', { misread: true })).toEqual({
      fillingUnit: '景德镇市电子信息职业技术学院',
    });
    expect(parseHeaderText('填报单位：景德镇某科技有限公司（筹）')).toEqual({
      fillingUnit: '景德镇某科技有限公司（筹）',
    });
  });
  it('tells a blank value from a label never seen', () => {
    expect(parseHeaderText('填报单位：＿＿＿＿')).toEqual({ fillingUnit: '' });
    expect(parseHeaderText('景德镇市企业对专业技术人才需求情况表')).toEqual({});
  });
  it('finds labels OCR read with a character wrong, in OCR text only', () => {
    const read = '均报单位:景德镇陶瓷大学科技艺术学院墉表日期: 2020.5.7';
    expect(parseHeaderText(read, { misread: true })).toEqual({
      fillingUnit: '景德镇陶瓷大学科技艺术学院',
      fillingDate: '2020.5.7',
    });
    // Typed text means what it says.
    expect(parseHeaderText(read)).toEqual({});
    // A label read as printed wins over a place where one character could be taken for another:
    // 院填表日期 is not 院表日期 with 院 for 填.
    expect(parseHeaderText('填报单位:某学院填表日期:2020.5.7', { misread: true })).toEqual({
      fillingUnit: '某学院',
      fillingDate: '2020.5.7',
    });
  });

  it('finds a label whose first character OCR lost, where a label starts and with its colon', () => {
    // The line read in two pieces (a wide gap between), 填 lost at a piece's edge.
    expect(
      parseHeaderText('报单位:景德镇市青峰艺术瓷科技有限公司 填表日期:2020/5/13', { misread: true }),
    ).toEqual({
      fillingUnit: '景德镇市青峰艺术瓷科技有限公司',
      fillingDate: '2020/5/13',
    });
    // The unit's last character is not taken for the lost 填.
    expect(parseHeaderText('填报单位:景德镇 表日期: 2020/5/13', { misread: true })).toEqual({
      fillingUnit: '景德镇',
      fillingDate: '2020/5/13',
    });
    // Inside a value, without a colon, 报单位 is no label.
    expect(parseHeaderText('填报单位:中心报单位 填表日期:2020/5/13', { misread: true }).fillingUnit).toBe(
      '中心报单位',
    );
  });
});
