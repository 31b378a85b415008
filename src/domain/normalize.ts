// Parsers from what people write on the forms into the normal forms of the record (README). They accept the
// usual variants (full-width digits, Chinese numerals, 年/月/日 or dots and dashes, phones with
// brackets and dashes) and report what they cannot read as Issues instead of guessing silently.
// Over 400 lines because it holds one small parser per kind of value, side by side.
import type { FieldDef } from '../forms/index.js';
import type { Issue } from '../types.js';
import { makeIssue } from './issues.js';

export type ParseResult<T> = { ok: true; value: T | null; issues: Issue[] } | { ok: false; issues: Issue[] };

export interface ParseOptions {
  /** Field key the issues are attached to. */
  field?: string;
  /** Year used to expand two-digit years (85 → 1985, 05 → 2005); defaults to the current year. */
  referenceYear?: number;
}

const ok = <T>(value: T | null, issues: Issue[] = []): ParseResult<T> => ({ ok: true, value, issues });
const fail = <T>(issues: Issue[]): ParseResult<T> => ({ ok: false, issues });

/** Full-width digits, letters and punctuation to their ASCII forms (Unicode NFKC). */
export const nfkc = (s: string): string => s.normalize('NFKC');

// What people put in a cell that does not apply to them. Treated as blank so that, e.g., a team
// name of 无 does not count as a team.
const PLACEHOLDERS = new Set([
  '无',
  '暂无',
  '没有',
  '空',
  '空白',
  '/',
  '\\',
  '-',
  '--',
  '—',
  '——',
  '─',
  'N/A',
  'NA',
  'NONE',
]);

/** Blank on paper: nothing, only spaces and underscores (the fill-in line), or a placeholder like 无 or /. */
export function isBlankInput(raw: string): boolean {
  const s = nfkc(raw).replace(/[\s_]+/g, '');
  return s === '' || PLACEHOLDERS.has(s.toUpperCase());
}

const squeeze = (raw: string): string => nfkc(raw).replace(/[\s_]+/g, '');

// --- Chinese numerals ----------------------------------------------------------------------------

const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const CN_SMALL_UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const CN_BIG_UNIT: Record<string, number> = { 万: 1e4, 亿: 1e8 };
const CN_NUMBER_TOKEN = /\d+(?:\.\d+)?|[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖]|[十拾百佰千仟]|[万亿]/gy;

/**
 * Value of a number written in Chinese numerals, Arabic digits or a mix of both
 * (十二, 两, 一百零五, 3千万, 1.2亿, 2亿5千万). Null when the text is not such a number.
 */
export function parseChineseNumber(text: string): number | null {
  if (text === '') return null;
  CN_NUMBER_TOKEN.lastIndex = 0;
  let total = 0;
  let section = 0;
  let num: number | null = null;
  let sawNumber = false;
  let consumed = 0;
  for (let m = CN_NUMBER_TOKEN.exec(text); m !== null; m = CN_NUMBER_TOKEN.exec(text)) {
    const t = m[0];
    consumed += t.length;
    const digit = CN_DIGIT[t];
    if (/^\d/.test(t) || digit !== undefined) {
      if (digit === 0) continue; // 一百零五: 零 only marks a gap
      // Two figures in a row (一二, 3五) is a digit string, not a number in words.
      if (num !== null) return null;
      num = digit ?? Number(t);
      sawNumber = true;
    } else if (CN_SMALL_UNIT[t] !== undefined) {
      section += (num ?? 1) * CN_SMALL_UNIT[t];
      num = null;
      sawNumber = true;
    } else {
      const big = CN_BIG_UNIT[t] ?? 1;
      const part = section + (num ?? 0);
      if (big === 1e8) total = (total + part) * big;
      else total += part * big;
      section = 0;
      num = null;
    }
  }
  if (consumed !== text.length || !sawNumber) return null;
  return total + section + (num ?? 0);
}

// Years written digit by digit: 一九八五, 二〇二〇 (and the letter O or ○ typed for 〇).
const CN_YEAR_DIGIT: Record<string, string> = { 〇: '0', 零: '0', O: '0', o: '0', '○': '0' };
for (const [c, v] of Object.entries(CN_DIGIT)) CN_YEAR_DIGIT[c] ??= String(v);

function arabicDates(s: string): string {
  return s
    .replace(/^([零〇○Oo一二三四五六七八九]{2,4})(?=年)/, (y) =>
      Array.from(y)
        .map((c) => CN_YEAR_DIGIT[c] ?? c)
        .join(''),
    )
    .replace(/(?<=年)元(?=月)/, '1')
    .replace(/(?<=年|月)([零〇一二两三四五六七八九十]{1,3})(?=月|日|号)/g, (n) =>
      String(parseChineseNumber(n) ?? n),
    );
}

// --- year-month and date -----------------------------------------------------------------------

const pad2 = (n: number): string => String(n).padStart(2, '0');

function expandYear(yearText: string, raw: string, opts: ParseOptions, issues: Issue[]): number {
  if (yearText.length === 4) return Number(yearText);
  const refYear = opts.referenceYear ?? new Date().getFullYear();
  const yy = Number(yearText);
  // The century that does not put the year after the reference year: 85 → 1985, 05 → 2005.
  const year = 2000 + yy > refYear ? 1900 + yy : 2000 + yy;
  issues.push(makeIssue('ambiguous_two_digit_year', opts.field, { raw, year }));
  return year;
}

const YEAR_RANGE = { min: 1900, max: 2100 };

const unreadable = (
  code: 'invalid_year_month' | 'invalid_date',
  field: string | undefined,
  raw: string,
  zh: string,
  en: string,
): Issue => makeIssue(code, field, { raw, detail: zh && `：${zh}`, detailEn: en && `: ${en}` });

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Year-month → `YYYY-MM`. */
export function parseYearMonth(raw: string, opts: ParseOptions = {}): ParseResult<string> {
  const shown = raw.trim();
  const s = arabicDates(squeeze(raw).replace(/[.。,]+$/, ''));
  if (isBlankInput(s.replace(/[年月日]/g, ''))) return ok(null);
  const bad = (zh = '', en = '') =>
    fail<string>([unreadable('invalid_year_month', opts.field, shown, zh, en)]);

  // Someone wrote the full date (1985年3月12日): the month is what the form asks for.
  const full = s.match(/^(\d{4})(?:年|[.\-/])(\d{1,2})(?:月|[.\-/])(\d{1,2})(?:日|号)?$/);
  const m = full ?? s.match(/^(\d{2}|\d{4})(?:年|[.\-/])(\d{1,2})(?:月份?)?$/) ?? s.match(/^(\d{4})(\d{2})$/);
  if (!m) {
    if (/^(?:\d{4}年?|\d{2}年)$/.test(s)) {
      return fail([makeIssue('year_month_missing_month', opts.field, { raw: shown })]);
    }
    return bad();
  }
  const issues: Issue[] = [];
  const year = expandYear(m[1] ?? '', shown, opts, issues);
  const month = Number(m[2]);
  if (year < YEAR_RANGE.min || year > YEAR_RANGE.max)
    return bad(`年份 ${year} 不合理`, `year ${year} is out of range`);
  if (month < 1 || month > 12) return bad(`月份 ${month} 不存在`, `there is no month ${month}`);
  if (full && (Number(full[3]) < 1 || Number(full[3]) > daysInMonth(year, month)))
    return bad('日期不存在', 'no such day');
  return ok(`${year}-${pad2(month)}`, issues);
}

/** Date → `YYYY-MM-DD`; the printed 年 月 日 left unfilled is blank (null). */
export function parseDate(raw: string, opts: ParseOptions = {}): ParseResult<string> {
  const shown = raw.trim();
  const s = arabicDates(squeeze(raw).replace(/[.。,]+$/, ''));
  if (isBlankInput(s.replace(/[年月日号]/g, ''))) return ok(null);
  const bad = (zh = '', en = '') => fail<string>([unreadable('invalid_date', opts.field, shown, zh, en)]);

  const m =
    s.match(/^(\d{2}|\d{4})(?:年|[.\-/])(\d{1,2})(?:月|[.\-/])(\d{1,2})(?:日|号)?$/) ??
    s.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (!m) {
    // Some of 年 月 日 filled and some not (2020年5月 日), or a year-month where a date belongs.
    const partial = s.match(/^(\d*)年(\d*)月?(\d*)(?:日|号)?$/) ?? s.match(/^(\d{4})[.\-/](\d{1,2})()$/);
    if (partial && [partial[1], partial[2], partial[3]].some((p) => p === '')) {
      return fail([makeIssue('incomplete_date', opts.field, { raw: shown })]);
    }
    return bad();
  }
  const issues: Issue[] = [];
  const year = expandYear(m[1] ?? '', shown, opts, issues);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < YEAR_RANGE.min || year > YEAR_RANGE.max)
    return bad(`年份 ${year} 不合理`, `year ${year} is out of range`);
  if (month < 1 || month > 12) return bad(`月份 ${month} 不存在`, `there is no month ${month}`);
  if (day < 1 || day > daysInMonth(year, month))
    return bad(`${year}年${month}月没有${day}日`, `${year}-${pad2(month)} has no day ${day}`);
  return ok(`${year}-${pad2(month)}-${pad2(day)}`, issues);
}

// --- phone -------------------------------------------------------------------------------------

/** Jingdezhen's area code, assumed for a 7-digit landline written without one. */
export const LOCAL_AREA_CODE = '0798';

const LANDLINE_NUMBER = /^[2-9]\d{6,7}$/;

interface PhoneReading {
  value: string;
  assumedAreaCode: boolean;
}

function readOnePhone(text: string): PhoneReading | null {
  let t = text
    .replace(/[—–‐‑‒―~]/g, '-')
    .replace(/(?:电话|手机号?码?|座机|固话|办公室?|办|宅|tel\.?|mobile|mob\.?|phone)\s*:?/gi, ' ')
    .trim();
  let ext: string | undefined;
  const extMatch = t.match(/^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i);
  if (extMatch) {
    t = extMatch[1] ?? '';
    ext = extMatch[2];
  }
  let international = false;
  const intl = t.match(/^\(?\s*(?:\+|00)\s*86\s*\)?[\s-]*/);
  if (intl) {
    international = true;
    t = t.slice(intl[0].length);
  }
  if (!/^[\d\s\-().]+$/.test(t)) return null;
  const groups = t.split(/[^\d]+/).filter((g) => g !== '');
  let digits = groups.join('');
  if (international && !digits.startsWith('0') && !/^1[3-9]/.test(digits) && groups[0] !== undefined) {
    // +86 798 8576556: the trunk 0 is dropped after the country code.
    groups[0] = `0${groups[0]}`;
    digits = `0${digits}`;
  }
  const withExt = (v: string) => (ext ? `${v}-${ext}` : v);

  if (/^1[3-9]\d{9}$/.test(digits)) return ext ? null : { value: digits, assumedAreaCode: false };
  // Service numbers (400/800) take no extension in the normal form.
  if (/^[48]00\d{7}$/.test(digits)) {
    return ext
      ? null
      : { value: `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`, assumedAreaCode: false };
  }
  if (digits.startsWith('0')) {
    const first = groups[0] ?? '';
    if (groups.length >= 2 && /^0\d{2,3}$/.test(first)) {
      const rest = groups.slice(1).join('');
      if (LANDLINE_NUMBER.test(rest)) return { value: withExt(`${first}-${rest}`), assumedAreaCode: false };
      // 0798-8576556-123: the last group is an extension.
      const [number, extension] = [groups[1] ?? '', groups[2] ?? ''];
      if (groups.length === 3 && !ext && LANDLINE_NUMBER.test(number) && /^\d{1,6}$/.test(extension)) {
        return { value: `${first}-${number}-${extension}`, assumedAreaCode: false };
      }
      return null;
    }
    // Written without separators: 010 and 02x are the only three-digit area codes.
    const area = /^0[12]/.test(digits) ? digits.slice(0, 3) : digits.slice(0, 4);
    const number = digits.slice(area.length);
    return LANDLINE_NUMBER.test(number)
      ? { value: withExt(`${area}-${number}`), assumedAreaCode: false }
      : null;
  }
  // Jingdezhen landlines have 7 digits; a bare 7-digit number is most likely local.
  if (/^[2-9]\d{6}$/.test(digits))
    return { value: withExt(`${LOCAL_AREA_CODE}-${digits}`), assumedAreaCode: true };
  return null;
}

/** Phone → 11-digit mobile, `0798-8576556` (extension as `-123`) or `400-123-4567`. */
export function parsePhone(raw: string, opts: ParseOptions = {}): ParseResult<string> {
  const shown = raw.trim();
  if (isBlankInput(raw)) return ok(null);
  const s = nfkc(raw).trim();
  const readings: PhoneReading[] = [];
  const whole = readOnePhone(s);
  if (whole) readings.push(whole);
  else {
    for (const part of s.split(/[,;/|、]|或|\s{2,}/)) {
      if (part.trim() === '') continue;
      const r = readOnePhone(part);
      if (!r) return fail([makeIssue('invalid_phone', opts.field, { raw: shown })]);
      readings.push(r);
    }
  }
  const [first] = readings;
  if (!first) return fail([makeIssue('invalid_phone', opts.field, { raw: shown })]);
  const issues: Issue[] = [];
  if (first.assumedAreaCode) issues.push(makeIssue('landline_without_area_code', opts.field, { raw: shown }));
  if (readings.length > 1)
    issues.push(makeIssue('multiple_phones', opts.field, { raw: shown, kept: first.value }));
  return ok(first.value, issues);
}

// --- integer, amount, gender ---------------------------------------------------------------------

const stripParentheticals = (s: string): string => s.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '');

/** Whole number: 3, 3人, 三人, 十二人, 两人, ３名, 共5人（含本人） → number. */
export function parseInteger(raw: string, opts: ParseOptions = {}): ParseResult<number> {
  if (isBlankInput(raw)) return ok(null);
  const s = stripParentheticals(squeeze(raw))
    .replace(/^(?:共|计|合计|总计)/, '')
    .replace(/(?:人|名|个|位|户|家|项|次)$/, '');
  const bad = () => fail<number>([makeIssue('invalid_integer', opts.field, { raw: raw.trim() })]);
  if (/^[+-]?\d+(?:\.0+)?$/.test(s)) return ok(Number.parseInt(s, 10));
  if (/^[零〇一二两三四五六七八九十百千万]+$/.test(s)) {
    const n = parseChineseNumber(s);
    return n === null || !Number.isInteger(n) ? bad() : ok(n);
  }
  return bad();
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

/** Amount → 万元: 1.2亿元 → 12000, 3500万元 → 3500, 1200000元 → 120; a bare number is taken as 万元. */
export function parseAmount(raw: string, opts: ParseOptions = {}): ParseResult<number> {
  if (isBlankInput(raw)) return ok(null);
  const shown = raw.trim();
  const bad = () => fail<number>([makeIssue('invalid_amount', opts.field, { raw: shown })]);
  let s = stripParentheticals(squeeze(raw).replace(/,/g, ''));
  // Hedges and labels around the figure do not change it: 约5000万元, 年产值3亿元以上, 800万/年.
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s
      .replace(/^(?:年产值|产值|年销售额|约|大约|近|逾|超过|超|达到|达|共|计|合计|人民币|RMB|CNY|¥|:)/i, '')
      .replace(/(?:以上|左右|余|多|有余|\/年|每年|\.)$/, '');
  }
  const yuan = s.match(/^(.*?)(?:元人民币|元|人民币|RMB|CNY)$/i);
  const expr = yuan ? (yuan[1] ?? '') : s;
  if (!/^[\d.零〇一二两三四五六七八九十百千万亿拾佰仟]+$/.test(expr)) return bad();
  const n = parseChineseNumber(expr);
  if (n === null || !Number.isFinite(n)) return bad();
  if (yuan || /[万亿]/.test(expr)) return ok(round6(n / 1e4));
  return ok(round6(n), [makeIssue('amount_unit_assumed', opts.field, { raw: shown })]);
}

/** Gender → 男 / 女. */
export function parseGender(raw: string, opts: ParseOptions = {}): ParseResult<'男' | '女'> {
  if (isBlankInput(raw)) return ok(null);
  const s = squeeze(raw).toLowerCase();
  if (/^(?:男|男性|男士|m|male|♂)$/.test(s)) return ok('男');
  if (/^(?:女|女性|女士|f|female|♀)$/.test(s)) return ok('女');
  return fail([makeIssue('invalid_gender', opts.field, { raw: raw.trim() })]);
}

/** Stamp presence as written in a hand-made record or spreadsheet (是/有/true → true). */
export function parseStamp(raw: string, opts: ParseOptions = {}): ParseResult<boolean> {
  const s = squeeze(raw).toLowerCase();
  if (s === '') return ok(null);
  if (/^(?:true|1|yes|y|是|有|已盖章|盖章|✓|√)$/.test(s)) return ok(true);
  if (/^(?:false|0|no|n|否|无|未盖章|×|x)$/.test(s)) return ok(false);
  return fail([makeIssue('invalid_stamp', opts.field, { raw: raw.trim() })]);
}

// --- text --------------------------------------------------------------------------------------

// Characters between which a space is an OCR or typing artefact: Han, CJK punctuation and the
// full-width forms NFKC leaves alone (。、「」《》…).
const CJK =
  '[\\p{Script=Han}\\u3000-\\u303F\\u2014\\u2026\\u201C\\u201D\\u2018\\u2019\\u00B7\\uFE30-\\uFE4F\\uFF00-\\uFFEF]';
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=${CJK})[ \\t]+|[ \\t]+(?=${CJK})`, 'gu');
/** The start of a list item: 1. 一、 （一） ① and the like. */
export const LIST_MARKER =
  /^(?:\d{1,2}(?:[.、．]|\)|）)(?!\d)|[(（]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十\d]{1,3}[条点项章节、，,]|[①-⑳⑴-⒇⒈-⒛❶-❿•●▪◆■□◇])/u;
const PARAGRAPH_END = /[。!?;:！？；：][”’」』)）"']*$/u;

function cleanLine(line: string): string {
  return nfkc(line)
    .replace(/[\s\u200B]+/g, ' ')
    .replace(SPACE_NEXT_TO_CJK, '')
    .trim();
}

// Lines of one paragraph join without a space, except where a Latin word was wrapped.
const joinLines = (a: string, b: string): string =>
  /[A-Za-z0-9]$/.test(a) && /^[A-Za-z]/.test(b) ? `${a} ${b}` : a + b;

/**
 * Text → NFKC, no spaces next to Chinese characters, a paragraph's wrapped lines joined, paragraphs
 * separated by `\n`. A paragraph ends at a blank line or a line ending in 。！？；：, and a new one
 * starts at a list marker (1. 一、 （一） ①). Blank → null.
 */
export function normalizeText(raw: string): string | null {
  if (isBlankInput(raw)) return null;
  const paragraphs: string[] = [];
  let current: string | null = null;
  const close = () => {
    if (current !== null && current !== '') paragraphs.push(current);
    current = null;
  };
  for (const rawLine of raw.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    const line = cleanLine(rawLine);
    if (line === '') {
      close();
      continue;
    }
    // Markers are tested before NFKC too: NFKC turns ① into a bare 1.
    if (LIST_MARKER.test(rawLine.trim()) || LIST_MARKER.test(line)) close();
    current = current === null ? line : joinLines(current, line);
    if (PARAGRAPH_END.test(line)) close();
  }
  close();
  const text = paragraphs.join('\n');
  return text === '' ? null : text;
}

// --- by field kind -----------------------------------------------------------------------------

export type FieldNormalValue = string | number | boolean;

/** Parses one field's raw text by the field's kind; issues name the field. */
export function normalizeField(
  def: FieldDef,
  raw: string,
  opts: Omit<ParseOptions, 'field'> = {},
): ParseResult<FieldNormalValue> {
  const o: ParseOptions = { ...opts, field: def.key };
  switch (def.kind) {
    case 'text':
    case 'longText':
    case 'opinion':
      return ok(normalizeText(raw));
    case 'yearMonth':
      return parseYearMonth(raw, o);
    case 'date':
      return parseDate(raw, o);
    case 'phone':
      return parsePhone(raw, o);
    case 'integer':
      return parseInteger(raw, o);
    case 'amount':
      return parseAmount(raw, o);
    case 'gender':
      return parseGender(raw, o);
    case 'stamp':
      return parseStamp(raw, o);
    case 'photo':
      // The value is the crop's path, kept as given.
      return ok(raw.trim() === '' ? null : raw.trim());
  }
}
