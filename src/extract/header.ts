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

const UNIT = new RegExp(`${HEADER_LABELS.fillingUnit.source}\\s*[:：]?`);
const DATE = new RegExp(`${HEADER_LABELS.fillingDate.source}\\s*[:：]?`);

export function parseHeaderText(text: string): HeaderParts {
  const out: HeaderParts = {};
  for (const line of text.split('\n')) {
    const u = UNIT.exec(line);
    const d = DATE.exec(line);
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
// read as a full stop or a comma (填报单位：. 江西…) and stops at its ends are not part of it either
// (a unit's name ends in a character or a closing bracket, a date in 日 or a digit).
const clean = (s: string): string =>
  s
    .replace(/[_＿|丨]+/g, ' ')
    .trim()
    .replace(/^[.,，。、:：;；·]+|[.,，。、:：;；·]+$/g, '')
    .trim();
