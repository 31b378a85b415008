// Check digits of the two 18-character identifiers that turn up in the forms' free text: the
// resident ID number (GB 11643-1999) and the unified social credit code (GB 32100-2015). A wrong
// check character almost always means a misread or mistyped digit, which OCR produces often.
import type { Issue } from '../types.js';
import { makeIssue } from './issues.js';
import { nfkc } from './normalize.js';

// --- resident ID (公民身份号码), GB 11643-1999 ---------------------------------------------------
// Digits 1-6 region, 7-14 birth date YYYYMMDD, 15-17 sequence, 18 check character:
// sum of digit_i × (2^(17-i) mod 11) over the first 17, then '10X98765432'[sum mod 11].

const ID_WEIGHTS = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11);
const ID_CHECK_CHARS = '10X98765432';

// First two digits: the province-level division (GB/T 2260), 83 for Taiwan residents' permits.
const ID_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

/** The check character for the first 17 digits of a resident ID, or null if they are not 17 digits. */
export function residentIdCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? null;
}

export type IdCheckReason = 'format' | 'region' | 'birth_date' | 'check_digit';
export type IdCheck = { valid: true } | { valid: false; reason: IdCheckReason; expected?: string };

const validYmd = (y: number, m: number, d: number): boolean => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** Validates an 18-character resident ID: format, province, birth date (1900 to `referenceDate`), check char. */
export function checkResidentId(id: string, opts: { referenceDate?: string } = {}): IdCheck {
  const s = nfkc(id).trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { valid: false, reason: 'format' };
  if (!ID_PROVINCES.has(Number(s.slice(0, 2)))) return { valid: false, reason: 'region' };
  const [y, m, d] = [Number(s.slice(6, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14))];
  const birth = s.slice(6, 14);
  // A reference month (YYYY-MM) allows any day of that month.
  const latest = (opts.referenceDate ?? '2100-12-31').replace(/\D/g, '').padEnd(8, '9').slice(0, 8);
  if (y < 1900 || !validYmd(y, m, d) || birth > latest) return { valid: false, reason: 'birth_date' };
  const expected = residentIdCheckChar(s.slice(0, 17)) ?? '';
  return s[17] === expected ? { valid: true } : { valid: false, reason: 'check_digit', expected };
}

export const isValidResidentId = (id: string, opts: { referenceDate?: string } = {}): boolean =>
  checkResidentId(id, opts).valid;

// --- unified social credit code (统一社会信用代码), GB 32100-2015 -----------------------------------
// 1 registration authority, 2 category, 3-8 administrative division (digits), 9-17 organisation code,
// 18 check character. Alphabet: digits and capitals without I O S V Z (31 characters); weights are
// 3^i mod 31; the check is (31 − sum mod 31) mod 31.

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);
const USCC_FORMAT = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/** The check character for the first 17 characters of a credit code, or null if they are not valid. */
export function creditCodeCheckChar(first17: string): string | null {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] ?? null;
}

export type CreditCodeCheck =
  | { valid: true }
  | { valid: false; reason: 'format' | 'check_digit'; expected?: string };

export function checkCreditCode(code: string): CreditCodeCheck {
  const s = nfkc(code).trim().toUpperCase();
  if (!USCC_FORMAT.test(s)) return { valid: false, reason: 'format' };
  const expected = creditCodeCheckChar(s.slice(0, 17)) ?? '';
  return s[17] === expected ? { valid: true } : { valid: false, reason: 'check_digit', expected };
}

export const isValidCreditCode = (code: string): boolean => checkCreditCode(code).valid;

// --- scanning free text --------------------------------------------------------------------------

const CANDIDATE = /(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])/g;
const ID_CONTEXT = /(身份证|证件号|公民身份|身份号码)/;
const CREDIT_CONTEXT = /(信用代码|社会信用|税号|纳税人识别|组织机构代码|营业执照)/;
const CONTEXT_CHARS = 16;

// Without a label nearby, an 18-digit string is only taken for an ID when digits 7-14 read as a
// birth date (bank accounts and serial numbers are also 18 digits long), and an 18-character code
// only for a credit code when it has the code's shape and at least one letter.
const looksLikeId = (s: string): boolean =>
  /^\d{6}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/.test(s);
const looksLikeCreditCode = (s: string): boolean =>
  /^[1-9ANY][1-9]\d{6}/.test(s) && USCC_FORMAT.test(s) && /[A-Z]/.test(s);

const ID_REASON: Record<IdCheckReason, [string, string]> = {
  format: ['格式不对（应为 17 位数字加 1 位数字或 X）', 'wrong format (17 digits and a digit or X)'],
  region: ['开头两位不是有效的省级行政区代码', 'the first two digits are not a province code'],
  birth_date: ['第 7-14 位不是有效的出生日期', 'digits 7-14 are not a valid birth date'],
  check_digit: ['校验位不符', 'the check character does not match'],
};

export interface ScanOptions {
  /** Label of the field, for the message. */
  label?: string;
  referenceDate?: string;
}

/**
 * Finds 18-character resident ID numbers and credit codes in free text and reports the invalid ones.
 * Valid ones, and strings that are neither labelled nor shaped like one, pass silently.
 */
export function scanIdentifiers(text: string, field?: string, opts: ScanOptions = {}): Issue[] {
  const s = nfkc(text);
  const issues: Issue[] = [];
  const label = opts.label ?? field ?? '';
  for (const m of s.matchAll(CANDIDATE)) {
    const value = m[0].toUpperCase();
    const before = s.slice(Math.max(0, (m.index ?? 0) - CONTEXT_CHARS), m.index);
    const idCheck = checkResidentId(value, opts);
    const creditCheck = checkCreditCode(value);
    if (idCheck.valid || creditCheck.valid) continue;
    let kind: 'id' | 'credit' | null = null;
    if (ID_CONTEXT.test(before)) kind = 'id';
    else if (CREDIT_CONTEXT.test(before)) kind = 'credit';
    else if (looksLikeId(value)) kind = 'id';
    else if (looksLikeCreditCode(value)) kind = 'credit';
    if (kind === 'id' && !idCheck.valid) {
      const [zh, en] = ID_REASON[idCheck.reason];
      const hint = idCheck.expected ? `（按前 17 位应为 ${idCheck.expected}）` : '';
      issues.push(makeIssue('invalid_id_number', field, { label, value, detail: zh + hint, detailEn: en }));
    } else if (kind === 'credit' && !creditCheck.valid) {
      const [zh, en] =
        creditCheck.reason === 'format'
          ? ['格式不对（18 位，不含 I、O、S、V、Z，第 3-8 位为数字）', 'wrong format']
          : [`校验位不符（按前 17 位应为 ${creditCheck.expected}）`, 'the check character does not match'];
      issues.push(makeIssue('invalid_credit_code', field, { label, value, detail: zh, detailEn: en }));
    }
  }
  return issues;
}
