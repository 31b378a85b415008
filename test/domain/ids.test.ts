import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  checkResidentId,
  creditCodeCheckChar,
  isValidCreditCode,
  isValidResidentId,
  residentIdCheckChar,
  scanIdentifiers,
} from '../../src/domain/ids.js';

// Check characters computed here from the published algorithms, independently of src/, so that a
// mistake in the implementation cannot hide behind itself. All identifiers below are fictional.

// GB 11643-1999: S = Σ a_i × W_i over the 17 digits with W = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
// check = "10X98765432"[S mod 11].
function idCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * (w[i] ?? 0), 0);
  return '10X98765432'.charAt(sum % 11);
}

// GB 32100-2015: alphabet 0-9 A-Y without I O S V Z; W = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28;
// check = alphabet[(31 − S mod 31) mod 31].
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function creditCheck(first17: string): string {
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + ALPHABET.indexOf(c) * (w[i] ?? 0), 0);
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

// Region 360203, birth dates chosen freely, sequence 9xx: fictional people.
const ID_BASES = ['36020319850312991', '36020219900101992', '36022219751231993', '36028120000229994'];
const VALID_IDS = ID_BASES.map((b) => b + idCheck(b));
// One ID for each of the 11 check characters (0-9 and X), found by varying the sequence number,
// so that every entry of the check table is exercised.
const ID_PER_CHECK_CHAR = [...'0123456789X'].map((want) => {
  for (let seq = 900; seq < 1000; seq++) {
    const b = `36020319880101${seq}`;
    if (idCheck(b) === want) return `${b}${want}`;
  }
  throw new Error(`no sequence gives check character ${want}`);
});
const X_ID = ID_PER_CHECK_CHAR[10] ?? '';

const CREDIT_BASES = ['91360200MA35XT0K1', '91360281MA37QQ1P2', '12360200491012345', '52360200MJD000001'];
const VALID_CODES = CREDIT_BASES.map((b) => b + creditCheck(b));
// One code for each of the 31 check characters, varying the last two characters of the organisation code.
const CODE_PER_CHECK_CHAR = [...ALPHABET].map((want) => {
  for (const a of ALPHABET) {
    for (const b of ALPHABET) {
      const first17 = `91360200MA35XT0${a}${b}`;
      if (creditCheck(first17) === want) return `${first17}${want}`;
    }
  }
  throw new Error(`no code gives check character ${want}`);
});

describe('resident ID (GB 11643-1999)', () => {
  it('accepts the example of the standard itself', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
  });

  it.each([...VALID_IDS, ...ID_PER_CHECK_CHAR])('accepts %s', (id) => {
    expect(residentIdCheckChar(id.slice(0, 17))).toBe(id[17]);
    expect(checkResidentId(id)).toEqual({ valid: true });
  });

  it('accepts a lower-case x and full-width digits', () => {
    expect(isValidResidentId(X_ID.toLowerCase())).toBe(true);
    expect(isValidResidentId(X_ID.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))))).toBe(true);
  });

  it('rejects every one-character change of a valid ID', () => {
    for (const id of VALID_IDS) {
      for (let pos = 0; pos < 18; pos++) {
        for (const c of '0123456789X') {
          if (c === id[pos] || (c === 'X' && pos < 17)) continue;
          const changed = id.slice(0, pos) + c + id.slice(pos + 1);
          expect(isValidResidentId(changed), changed).toBe(false);
        }
      }
    }
  });

  it.each([
    ['1101051949123100', 'format'],
    ['11010519491231002Y', 'format'],
    ['990105194912310021', 'region'],
    [`36020318990101999${idCheck('36020318990101999')}`, 'birth_date'],
    [`36020319850230999${idCheck('36020319850230999')}`, 'birth_date'],
    [`36020320300101999${idCheck('36020320300101999')}`, 'birth_date'],
  ])('rejects %s (%s)', (id, reason) => {
    expect(checkResidentId(id, { referenceDate: '2020-05-12' })).toMatchObject({ valid: false, reason });
  });

  it('allows any day of a reference month', () => {
    const b = '36020320200615999';
    expect(isValidResidentId(b + idCheck(b), { referenceDate: '2020-06' })).toBe(true);
    expect(isValidResidentId(b + idCheck(b), { referenceDate: '2020-05-31' })).toBe(false);
  });

  it('names the expected check character', () => {
    const id = VALID_IDS[0] ?? '';
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(checkResidentId(wrong)).toEqual({ valid: false, reason: 'check_digit', expected: id[17] });
  });

  it('returns null for a check char of a malformed prefix', () => {
    expect(residentIdCheckChar('12345')).toBeNull();
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([...VALID_CODES, ...CODE_PER_CHECK_CHAR])('accepts %s', (code) => {
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
    expect(checkCreditCode(code)).toEqual({ valid: true });
    expect(isValidCreditCode(code.toLowerCase())).toBe(true);
  });

  it('rejects every one-character change of a valid code', () => {
    for (const code of VALID_CODES) {
      for (let pos = 0; pos < 18; pos++) {
        for (const c of ALPHABET) {
          if (c === code[pos]) continue;
          const changed = code.slice(0, pos) + c + code.slice(pos + 1);
          expect(isValidCreditCode(changed), changed).toBe(false);
        }
      }
    }
  });

  it.each([
    ['91360200MA35XT0K1', 'format'],
    ['91360200MA35XT0KIZ', 'format'],
    ['913602O0MA35XT0K10', 'format'],
  ])('rejects %s (%s)', (code, reason) => {
    expect(checkCreditCode(code)).toMatchObject({ valid: false, reason });
  });
});

describe('scanIdentifiers', () => {
  const id = VALID_IDS[0] ?? '';
  const badId = id.slice(0, 17) + (id[17] === '5' ? '6' : '5');
  const code = VALID_CODES[0] ?? '';
  const badCode = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');

  it('passes valid identifiers and plain text', () => {
    expect(scanIdentifiers(`身份证号：${id}，统一社会信用代码：${code}`, 'profile')).toEqual([]);
    expect(scanIdentifiers('主要从事陶瓷材料研究，电话 13807981234', 'profile')).toEqual([]);
  });

  it('reports an invalid resident ID with the expected check character', () => {
    const issues = scanIdentifiers(`身份证号码 ${badId}`, 'profile', { label: '个人或团队简介和主要业绩' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'invalid_id_number', field: 'profile', severity: 'error' });
    expect(issues[0]?.message).toContain(badId);
    expect(issues[0]?.message).toContain(`应为 ${id[17]}`);
  });

  it('reports an invalid credit code, labelled or by its shape', () => {
    expect(scanIdentifiers(`信用代码：${badCode}`, 'techStatus').map((i) => i.code)).toEqual([
      'invalid_credit_code',
    ]);
    expect(scanIdentifiers(`企业代码 ${badCode} 。`, 'techStatus').map((i) => i.code)).toEqual([
      'invalid_credit_code',
    ]);
  });

  it('takes an unlabelled 18-digit number for an ID only when it holds a birth date', () => {
    expect(scanIdentifiers(`编号 ${badId}`, 'profile').map((i) => i.code)).toEqual(['invalid_id_number']);
    // An account number: no birth date inside, no label — not an ID.
    expect(scanIdentifiers('账号 622202123456789012', 'profile')).toEqual([]);
    expect(scanIdentifiers('身份证 622202123456789012', 'profile').map((i) => i.code)).toEqual([
      'invalid_id_number',
    ]);
  });

  it('ignores longer digit runs and Latin words', () => {
    expect(scanIdentifiers(`${id}1`, 'profile')).toEqual([]);
    expect(scanIdentifiers('internationalization', 'profile')).toEqual([]);
  });

  it('finds several candidates in one text', () => {
    expect(scanIdentifiers(`身份证 ${badId}；身份证 ${id}；代码 ${badCode}`, 'opinion')).toHaveLength(2);
  });
});
