import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/domain/normalize.js';
import { repairOcrText } from '../../src/extract/repair.js';

/** What a record holds: the repaired text, normalised. */
const repaired = (text: string) => normalizeText(repairOcrText(text).text);

describe('repairOcrText', () => {
  it.each([
    ['培养窑炉操作技术骨干2一3名。', '培养窑炉操作技术骨干2~3名。'],
    ['燃耗占生产成本的25%6一300%6。', '燃耗占生产成本的25%~300%。'],
    ['收率偏低(约62%0) ,结晶', '收率偏低(约62%),结晶'],
    ['共建“先进陶瓷材料研发中心“,联合申报', '共建“先进陶瓷材料研发中心”,联合申报'],
    ['科技专项“汽车内饰件检测关键技\n术“。开展', '科技专项“汽车内饰件检测关键技\n术”。开展'],
    ['科技专项「发动机冷却系统关键技术「。拟与', '科技专项“发动机冷却系统关键技术”。拟与'],
    ['同意推荐该同志入企开展协同创新工作。\n.', '同意推荐该同志入企开展协同创新工作。'],
    // A semicolon with its dot read again as a colon before it.
    [
      '要求具备酒店用瓷性能检测能力:;\n2.拟组建陶瓷设计工作室',
      '要求具备酒店用瓷性能检测能力;\n2.拟组建陶瓷设计工作室',
    ],
    // A cell's rule read as a bar at a row's end or start.
    ['拟与高校院所合作|\n开展质量源于设计项目。', '拟与高校院所合作\n开展质量源于设计项目。'],
    ['拟与高校院所合作\n| 开展质量源于设计项目。', '拟与高校院所合作\n开展质量源于设计项目。'],
    // A list item's ； read as a colon before the next item, also when the item wrapped.
    ['一、开发输送机械新产品:\n二、关注新材料。', '一、开发输送机械新产品;\n二、关注新材料。'],
    [
      '(1)承接有限元分析等成果,开发\n新产品:\n(2)关注新材料。',
      '(1)承接有限元分析等成果,开发\n新产品;\n(2)关注新材料。',
    ],
  ])('%s', (read, want) => {
    const r = repairOcrText(read);
    expect(r.text).toBe(want);
    expect(r.changed).toBeGreaterThan(0);
  });

  it.each([
    '一等奖1项,二等奖2项',
    '第一、二条',
    '提高到70%以上',
    '“陶瓷”与“瓷器”',
    '2020年5月20日',
    '共3个:甲、乙、丙',
    // A colon that introduces the list, and one ending an item's first sentence within the item.
    '拟开展以下工作:\n一、开发新产品;\n二、关注新材料。',
    '主要成果如下:\n1. 发明专利3件。',
    '一、开发新产品。主要内容:\n研制新釉料。',
  ])('leaves correct text alone: %s', (text) => {
    expect(repairOcrText(text)).toEqual({ text, changed: 0, guessed: 0 });
  });
});

describe('a list numbered ①②③ whose markers OCR read as look-alikes', () => {
  it('takes the numbers the other items give', () => {
    const text = 'G)希望承接成果;\n2关注新材料;\nG)拟引进新工艺;\n4希望转化成果。';
    expect(repairOcrText(text)).toMatchObject({ changed: 2, guessed: 2 });
    expect(repaired(text)).toBe('1希望承接成果;\n2关注新材料;\n3拟引进新工艺;\n4希望转化成果。');
  });
  it('counts items, not lines: an item wrapped onto a second line takes one number', () => {
    expect(
      repaired(
        '1制定企业标准;\n2进行技术改造;\nG)开展技术培训;\n4开展电池梯次利用技术攻关,重点解决循环\n寿命短问题;\nG)建设实验室;\n6拓展市场。',
      ),
    ).toBe(
      '1制定企业标准;\n2进行技术改造;\n3开展技术培训;\n4开展电池梯次利用技术攻关,重点解决循环寿命短问题;\n5建设实验室;\n6拓展市场。',
    );
  });
  it('keeps an item on its own line when the line above lost its closing ；', () => {
    expect(repaired('1帮助企业优化烤花工艺,提高生产效率\n2协助企业制定企业标准;\n3培养工程师8名。')).toBe(
      '1帮助企业优化烤花工艺,提高生产效率\n2协助企业制定企业标准;\n3培养工程师8名。',
    );
  });
  it('leaves text alone when the list does not say its numbering', () => {
    const text = 'G)希望承接成果;\n关注新材料;\n4希望转化成果。';
    expect(repairOcrText(text).text).toBe(text);
    // Numbers that do not count up are not a list to go by.
    expect(repairOcrText('3项专利;\nG)新材料;\n8人团队').text).toBe('3项专利;\nG)新材料;\n8人团队');
  });
});
