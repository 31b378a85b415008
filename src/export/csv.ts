// CSV per form, from the same sheet plans as the workbook: UTF-8 with a BOM (without it Excel reads
// Chinese as GBK and shows mojibake), CRLF line ends and RFC 4180 quoting. The forms come from
// outside the bureau, so a text cell that starts like a formula (= + - @) is prefixed with ' —
// otherwise Excel would evaluate it when the CSV is opened.
import { writeFile } from 'node:fs/promises';
import type { Cell, SheetPlan } from './plan.js';

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: Cell): string {
  if (value === null) return '';
  let s = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sheetCsv(sheet: SheetPlan): string {
  const lines = [
    sheet.columns.map((c) => csvField(c.header)),
    ...sheet.rows.map((r) => r.cells.map(csvField)),
  ];
  return `${BOM + lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

export async function writeCsv(sheet: SheetPlan, path: string): Promise<void> {
  await writeFile(path, sheetCsv(sheet), 'utf8');
}

/** RFC 4180 reader (quoted fields may hold commas, quotes and line breaks); drops a leading BOM. */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
