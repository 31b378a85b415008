// The line above every form's table: 填报单位：…  填表日期：… 年 … 月 … 日. People type it as one line
// with a tab, as two lines, with or without colons; OCR reads spaces between the characters. Each
// label's value runs to the other label or to the end of its line.

export interface HeaderParts {
  /** undefined: the label was not found (nothing can be said); '' : found, nothing after it. */
  fillingUnit?: string;
  fillingDate?: string;
}

/** The two labels as printed or typed: spaces between the characters allowed. */
export const HEADER_LABELS = {
  fillingUnit: /填\s*报\s*单\s*位/,
  fillingDate: /填\s*表\s*(?:日\s*期|时\s*间)/,
} as const;
export type HeaderKey = keyof typeof HEADER_LABELS;

const EXACT_UNIT = new RegExp(`${HEADER_LABELS.fillingUnit.source}\\s*[:：]?`);
const EXACT_DATE = new RegExp(`${HEADER_LABELS.fillingDate.source}\\s*[:：]?`);

/**
 * A label as OCR may read it: one of its four characters read as another (填 as 均, 塔 or 墉 — a
 * reader that does not know the face; bench:ocr dev-12 office scans: the second reader misread 填 on
 * most header lines, and each such line went to a person though both readers read the value alike).
 * The two labels differ in three of their four characters, so neither is taken for the other.
 */
function misreadLabel(...spellings: string[]): RegExp[] {
  const any = '[^\\s:：\\d]';
  const alternatives = spellings.flatMap((w) => {
    const chars = [...w];
    return chars.map((_, k) => chars.map((c, i) => (i === k ? any : c)).join('\\s*'));
  });
  // Or its first character lost (报单位：, a faint 填 at a piece's edge): then with its colon and
  // where a label starts, at the line's start or after a space. Looked for first: in 景德镇 表日期
  // the lost 填's place is not to be filled with the unit's last character.
  const headless = spellings.map((w) => `(?:^|\\s)${[...w].slice(1).join('\\s*')}\\s*[:：]`);
  return [new RegExp(`(?:${headless.join('|')})`), new RegExp(`(?:${alternatives.join('|')})\\s*[:：]?`)];
}

const MISREAD_UNIT = misreadLabel('填报单位');
const MISREAD_DATE = misreadLabel('填表日期', '填表时间');

/**
 * The two values of a header line. `misread`: the text is OCR's, whose labels may have a character
 * read wrong.
 */
export function parseHeaderText(text: string, opts: { misread?: boolean } = {}): HeaderParts {
  const out: HeaderParts = {};
  // The label as printed wherever it was read so; a misread one only where it was not (a dropped
  // 填 must not make the unit's last character the date label's first).
  const find = (exact: RegExp, misread: RegExp[], line: string) =>
    exact.exec(line) ??
    (opts.misread ? misread.reduce<RegExpExecArray | null>((m, r) => m ?? r.exec(line), null) : null);
  for (const line of text.split('\n')) {
    const u = find(EXACT_UNIT, MISREAD_UNIT, line);
    const d = find(EXACT_DATE, MISREAD_DATE, line);
    if (u && out.fillingUnit === undefined) {
      const end = d && d.index > u.index ? d.index : line.length;
      out.fillingUnit = clean(line.slice(u.index + u[0].length, end));
    }
    if (d && out.fillingDate === undefined) {
      const end = u && u.index > d.index ? u.index : line.length;
      out.fillingDate = clean(line.slice(d.index + d[0].length, end));
    }
  }
  return out;
}

// Underscores and rule fragments are the blank a person writes on, not part of the value; a colon
// read as a full stop or a comma (填报单位：. 江西…) and specks at its ends are not part of it
// either: a unit's name ends in a character or a closing bracket (（筹）), a date in 日 or a digit,
// and neither starts with anything but a character, a digit or an opening bracket.
const clean = (s: string): string =>
  s
    .replace(/[_＿|丨]+/g, ' ')
    .trim()
    .replace(/^[^\p{L}\p{N}(（]+|[^\p{L}\p{N})）]+$/gu, '')
    .trim();
