import { describe, expect, it } from 'vitest';
import {
  normalizeField,
  normalizeText,
  type ParseResult,
  parseAmount,
  parseChineseNumber,
  parseDate,
  parseGender,
  parseInteger,
  parsePhone,
  parseStamp,
  parseYearMonth,
} from '../../src/domain/normalize.js';
import { valueSchemaOf } from '../../src/forms/fields.js';
import { type FieldKind, fieldDef } from '../../src/forms/index.js';

// A row is [raw, expected value, expected issue codes]; `false` as the value means the parse fails.
type Row<T> = [raw: string, value: T | null | false, codes?: string[]];

function expectParse<T>(result: ParseResult<T>, value: T | null | false, codes: string[] = []): void {
  if (value === false) {
    expect(result.ok).toBe(false);
  } else {
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toEqual(value);
  }
  expect(result.issues.map((i) => i.code)).toEqual(codes);
}

describe('parseYearMonth', () => {
  const rows: Row<string>[] = [
    ['1985年3月', '1985-03'],
    ['1985.03', '1985-03'],
    ['1985-3', '1985-03'],
    ['1985/03', '1985-03'],
    ['1985年03月', '1985-03'],
    ['１９８５年３月', '1985-03'],
    ['１９８５．０３', '1985-03'],
    ['1985 年 3 月', '1985-03'],
    ['1985年3月份', '1985-03'],
    ['1985.3.', '1985-03'],
    ['198503', '1985-03'],
    ['一九八五年三月', '1985-03'],
    ['二〇〇八年十二月', '2008-12'],
    ['1985年3月12日', '1985-03'],
    ['1999年12月', '1999-12'],
    ['85年3月', '1985-03', ['ambiguous_two_digit_year']],
    ['85.3', '1985-03', ['ambiguous_two_digit_year']],
    ['08.7', '2008-07', ['ambiguous_two_digit_year']],
    ['', null],
    ['   ', null],
    ['____', null],
    ['  年  月', null],
    ['无', null],
    ['1985年', false, ['year_month_missing_month']],
    ['1985', false, ['year_month_missing_month']],
    ['1985年13月', false, ['invalid_year_month']],
    ['1985年0月', false, ['invalid_year_month']],
    ['1885年3月', false, ['invalid_year_month']],
    ['1985年2月30日', false, ['invalid_year_month']],
    ['三月', false, ['invalid_year_month']],
    ['1985年3月左右', false, ['invalid_year_month']],
  ];
  it.each(rows)('%s', (raw, value, codes) => {
    expectParse(parseYearMonth(raw, { field: 'birthMonth', referenceYear: 2020 }), value, codes);
  });

  it('names the field and the raw text in its issues, in both languages', () => {
    const r = parseYearMonth('1985年13月', { field: 'birthMonth' });
    expect(r.issues[0]).toMatchObject({ field: 'birthMonth', severity: 'error' });
    expect(r.issues[0]?.message).toContain('1985年13月');
    expect(r.issues[0]?.message).toContain('月份 13');
    expect(r.issues[0]?.messageEn).toContain('no month 13');
  });

  it('expands a two-digit year against the reference year', () => {
    const r = parseYearMonth('25.3', { referenceYear: 2030 });
    expect(r.ok && r.value).toBe('2025-03');
    const s = parseYearMonth('25.3', { referenceYear: 2020 });
    expect(s.ok && s.value).toBe('1925-03');
    expect(s.issues[0]?.severity).toBe('warning');
  });
});

describe('parseDate', () => {
  const rows: Row<string>[] = [
    ['2020年5月12日', '2020-05-12'],
    ['2020.5.12', '2020-05-12'],
    ['2020-05-12', '2020-05-12'],
    ['2020/5/12', '2020-05-12'],
    ['２０２０年５月１２日', '2020-05-12'],
    ['2020年5月12号', '2020-05-12'],
    ['2020 年 5 月 12 日', '2020-05-12'],
    ['20200512', '2020-05-12'],
    ['二〇二〇年五月十二日', '2020-05-12'],
    ['二O二O年五月二十日', '2020-05-20'],
    ['2020年2月29日', '2020-02-29'],
    ['20.5.12', '2020-05-12', ['ambiguous_two_digit_year']],
    ['  年  月  日', null],
    ['年月日', null],
    ['____年___月___日', null],
    ['', null],
    ['2020年2月30日', false, ['invalid_date']],
    ['2019年2月29日', false, ['invalid_date']],
    ['2020年4月31日', false, ['invalid_date']],
    ['2020年13月1日', false, ['invalid_date']],
    ['2020年5月  日', false, ['incomplete_date']],
    ['  年5月12日', false, ['incomplete_date']],
    ['2020.5', false, ['incomplete_date']],
    ['五月中旬', false, ['invalid_date']],
  ];
  it.each(rows)('%s', (raw, value, codes) => {
    expectParse(parseDate(raw, { field: 'fillingDate', referenceYear: 2020 }), value, codes);
  });
});

describe('parsePhone', () => {
  const rows: Row<string>[] = [
    ['13807981234', '13807981234'],
    ['138 0798 1234', '13807981234'],
    ['138-0798-1234', '13807981234'],
    ['+86 13807981234', '13807981234'],
    ['+86-138-0798-1234', '13807981234'],
    ['0086 13807981234', '13807981234'],
    ['１３８０７９８１２３４', '13807981234'],
    ['手机：13907981234', '13907981234'],
    ['19907981234', '19907981234'],
    ['0798-8576556', '0798-8576556'],
    ['0798—8576556', '0798-8576556'],
    ['0798－8576556', '0798-8576556'],
    ['（0798）8576556', '0798-8576556'],
    ['(0798)8576556', '0798-8576556'],
    ['(0798) 857 6556', '0798-8576556'],
    ['0798 8576556', '0798-8576556'],
    ['07988576556', '0798-8576556'],
    ['0798-8576556（办）', '0798-8576556'],
    ['+86 798 8576556', '0798-8576556'],
    ['0791-86123456', '0791-86123456'],
    ['01062345678', '010-62345678'],
    ['0798-8576556转123', '0798-8576556-123'],
    ['0798-8576556 转 8001', '0798-8576556-8001'],
    ['0798-8576556-123', '0798-8576556-123'],
    ['400-123-4567', '400-123-4567'],
    ['4001234567', '400-123-4567'],
    ['8576556', '0798-8576556', ['landline_without_area_code']],
    ['857-6556', '0798-8576556', ['landline_without_area_code']],
    ['0798-8576556/13807981234', '0798-8576556', ['multiple_phones']],
    ['13807981234、13907981234', '13807981234', ['multiple_phones']],
    ['', null],
    ['/', null],
    ['12345', false, ['invalid_phone']],
    ['1380798123', false, ['invalid_phone']],
    ['138079812345', false, ['invalid_phone']],
    ['12807981234', false, ['invalid_phone']],
    ['0798-857655', false, ['invalid_phone']],
    ['0798-0576556', false, ['invalid_phone']],
    ['1576556', false, ['invalid_phone']],
    ['400-123-4567转8', false, ['invalid_phone']],
    ['13807981234转12', false, ['invalid_phone']],
    ['见附件', false, ['invalid_phone']],
    ['138O7981234', false, ['invalid_phone']],
  ];
  it.each(rows)('%s', (raw, value, codes) => {
    expectParse(parsePhone(raw, { field: 'phone' }), value, codes);
  });
});

describe('parseInteger', () => {
  const rows: Row<number>[] = [
    ['3', 3],
    ['3人', 3],
    ['3 人', 3],
    ['三人', 3],
    ['十二人', 12],
    ['两人', 2],
    ['３名', 3],
    ['二十三', 23],
    ['十', 10],
    ['一百零五', 105],
    ['共5人', 5],
    ['5人（含本人）', 5],
    ['4位', 4],
    ['0', 0],
    ['', null],
    ['无', null],
    ['3.5', false, ['invalid_integer']],
    ['三到五人', false, ['invalid_integer']],
    ['若干', false, ['invalid_integer']],
    ['3-5人', false, ['invalid_integer']],
    ['一二', false, ['invalid_integer']],
  ];
  it.each(rows)('%s', (raw, value, codes) => {
    expectParse(parseInteger(raw, { field: 'teamSize' }), value, codes);
  });
});

describe('parseAmount', () => {
  const rows: Row<number>[] = [
    ['1.2亿元', 12000],
    ['3500万元', 3500],
    ['800万', 800],
    ['5,000万元', 5000],
    ['５０００万元', 5000],
    ['约5000万元', 5000],
    ['1200000元', 120],
    ['1,200,000元', 120],
    ['2.5亿', 25000],
    ['3千万元', 3000],
    ['五千万元', 5000],
    ['2亿5千万元', 25000],
    ['一亿二千万元', 12000],
    ['5000万元以上', 5000],
    ['800万元/年', 800],
    ['3亿元左右', 30000],
    ['1.2亿元人民币', 12000],
    ['人民币3500万元', 3500],
    ['3500万元（2019年）', 3500],
    ['0.35亿元', 3500],
    ['5000', 5000, ['amount_unit_assumed']],
    ['12.5', 12.5, ['amount_unit_assumed']],
    ['', null],
    ['—', null],
    ['3000-5000万元', false, ['invalid_amount']],
    ['较大', false, ['invalid_amount']],
    ['100万美元', false, ['invalid_amount']],
    ['万元', false, ['invalid_amount']],
  ];
  it.each(rows)('%s', (raw, value, codes) => {
    expectParse(parseAmount(raw, { field: 'annualOutput' }), value, codes);
  });
});

describe('parseGender', () => {
  const rows: Row<'男' | '女'>[] = [
    ['男', '男'],
    ['女', '女'],
    [' 男 ', '男'],
    ['男性', '男'],
    ['女性', '女'],
    ['M', '男'],
    ['f', '女'],
    ['Female', '女'],
    ['', null],
    ['难', false, ['invalid_gender']],
    ['男女', false, ['invalid_gender']],
  ];
  it.each(rows)('%s', (raw, value, codes) => {
    expectParse(parseGender(raw, { field: 'gender' }), value, codes);
  });
});

describe('parseStamp', () => {
  const rows: [string, ParseResult<boolean>][] = [
    ['true', { ok: true, value: true, issues: [] }],
    ['是', { ok: true, value: true, issues: [] }],
    ['false', { ok: true, value: false, issues: [] }],
    ['否', { ok: true, value: false, issues: [] }],
    ['', { ok: true, value: null, issues: [] }],
  ];
  it.each(rows)('%s', (raw, expected) => expect(parseStamp(raw)).toEqual(expected));
  it('rejects anything else', () => expect(parseStamp('maybe').issues[0]?.code).toBe('invalid_stamp'));
});

describe('parseChineseNumber', () => {
  const rows: [string, number | null][] = [
    ['十二', 12],
    ['两', 2],
    ['一百零五', 105],
    ['三千五百', 3500],
    ['1.2亿', 120_000_000],
    ['3千万', 30_000_000],
    ['十万', 100_000],
    ['一二', null],
    ['万', null],
    ['abc', null],
  ];
  it.each(rows)('%s', (text, value) => expect(parseChineseNumber(text)).toBe(value));
});

describe('normalizeText', () => {
  const rows: [string, string | null][] = [
    ['王 建 国', '王建国'],
    ['景德镇陶瓷大学 材料科学与工程学院', '景德镇陶瓷大学材料科学与工程学院'],
    ['　王建国　', '王建国'],
    ['ＡＢＣ１２３', 'ABC123'],
    ['采用 3D 打印 技术', '采用3D打印技术'],
    ['machine  learning 方法', 'machine learning方法'],
    ['陶瓷 ， 航空', '陶瓷,航空'],
    ['从事陶瓷材料\n研究多年', '从事陶瓷材料研究多年'],
    ['第一段。\n第二段', '第一段。\n第二段'],
    ['第一段\n\n第二段', '第一段\n第二段'],
    ['主要业绩：\n1. 主持项目\n2. 发表论文', '主要业绩:\n1.主持项目\n2.发表论文'],
    ['概述\n一、现状\n二、问题', '概述\n一、现状\n二、问题'],
    ['（一）工艺\n（二）设备', '(一)工艺\n(二)设备'],
    ['①窑炉\n②釉料', '1窑炉\n2釉料'],
    ['年产值\n1.2亿元', '年产值1.2亿元'],
    ['deep\nlearning', 'deep learning'],
    ['是否？\n是', '是否?\n是'],
    ['甲\r\n乙。\r\n丙', '甲乙。\n丙'],
    ['', null],
    ['  \n  ', null],
    ['无', null],
    ['/', null],
  ];
  it.each(rows)('%j', (raw, expected) => expect(normalizeText(raw)).toBe(expected));
});

describe('normalizeField', () => {
  const def = (form: 'registration' | 'demand', key: string) => {
    const d = fieldDef(form, key);
    if (!d) throw new Error(`no field ${key}`);
    return d;
  };
  const rows: [form: 'registration' | 'demand', key: string, raw: string, value: unknown][] = [
    ['registration', 'name', '王 建 国', '王建国'],
    ['registration', 'gender', '男', '男'],
    ['registration', 'birthMonth', '1985年3月', '1985-03'],
    ['registration', 'fillingDate', '2020年5月12日', '2020-05-12'],
    ['registration', 'phone', '138 0798 1234', '13807981234'],
    ['registration', 'teamSize', '三人', 3],
    ['demand', 'annualOutput', '1.2亿元', 12000],
    ['registration', 'recommendation.stamped', 'true', true],
    ['registration', 'photo', ' crops/0001-photo.png ', 'crops/0001-photo.png'],
    ['registration', 'photo', '', null],
    ['registration', 'recommendation.opinion', '同意 推荐。', '同意推荐。'],
  ];
  it.each(rows)('%s.%s %j', (form, key, raw, value) => {
    const r = normalizeField(def(form, key), raw);
    expect(r).toEqual({ ok: true, value, issues: [] });
  });

  it('attaches the field key to issues', () => {
    const r = normalizeField(def('registration', 'workStart'), '2008年13月');
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ code: 'invalid_year_month', field: 'workStart' });
  });
});

describe('every parser output fits the record schema of its kind', () => {
  const samples: [kind: FieldKind, raw: string][] = [
    ['yearMonth', '85.3'],
    ['yearMonth', '一九八五年三月'],
    ['date', '二〇二〇年五月十二日'],
    ['phone', '0798-8576556转123'],
    ['phone', '01062345678'],
    ['phone', '4001234567'],
    ['phone', '8576556'],
    ['phone', '+86 13807981234'],
    ['integer', '十二人'],
    ['amount', '1,200,000元'],
    ['amount', '12.5'],
    ['gender', 'F'],
    ['text', '景德镇 陶瓷\n大学'],
    ['stamp', '是'],
  ];
  it.each(samples)('%s %j', (kind, raw) => {
    const r = normalizeField({ key: 'k', label: 'k', header: 'k', kind, page: 1 }, raw);
    expect(r.ok).toBe(true);
    if (r.ok) expect(valueSchemaOf(kind).safeParse(r.value).success).toBe(true);
  });
});
