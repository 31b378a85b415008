import { describe, expect, it } from 'vitest';
import { repairOcrText } from '../../src/extract/repair.js';

describe('repairOcrText', () => {
  it.each([
    ['培养窑炉操作技术骨干2一3名。', '培养窑炉操作技术骨干2~3名。'],
    ['燃耗占生产成本的25%6一300%6。', '燃耗占生产成本的25%~300%。'],
    ['收率偏低(约62%0) ,结晶', '收率偏低(约62%),结晶'],
    ['共建“先进陶瓷材料研发中心“,联合申报', '共建“先进陶瓷材料研发中心”,联合申报'],
    ['同意推荐该同志入企开展协同创新工作。\n.', '同意推荐该同志入企开展协同创新工作。'],
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
  ])('leaves correct text alone: %s', (text) => {
    expect(repairOcrText(text)).toEqual({ text, changed: 0 });
  });
});
