// Repairs of what tesseract does to the punctuation of printed Chinese, applied to OCR text only.
// Each rule is a misreading seen on 仿宋/宋体 print, and each rewrites something that cannot be
// meant as written: "2一3" (一 between two Arabic numerals is the range mark ～), "25%6" (the
// full-width ％'s lower ring read again as 6 or 0), a closing ” read as an opening “, a space
// before a comma, and a line of nothing but a speck (".") under the text.

import { LIST_MARKER } from '../domain/normalize.js';

interface Rule {
  pattern: RegExp;
  replace: string;
  /**
   * The rewrite is the only reading there is (a second opening quote closes; a space before a
   * comma is no text): no character is guessed, and the repair costs a paragraph nothing of its
   * allowance of guessed characters. Closing quotes alone were half of the repairs on the dev seeds'
   * office scans (20 of 41, bench:ocr dev-12 + dev-13), each right, and each left a paragraph that
   * was right for a person to check.
   */
  sure?: boolean;
}

const RULES: readonly Rule[] = [
  // 2～3 名, 25%～30%: the wave dash is read as 一 (or a dash).
  { pattern: /([0-9%])\s*[一—–]\s*(?=[0-9])/g, replace: '$1~' },
  // ％ read as %6, %0, %06 — never followed by a digit in running text.
  { pattern: /%[06]{1,2}(?![0-9])/g, replace: '%' },
  // “先进陶瓷材料研发中心“: the second of a pair is the closing mark — also when the quoted
  // words wrap onto the cell's next row (关键技\n术“).
  { pattern: /“([^“”\n]{1,60}(?:\n[^“”\n]{1,60})?)“/g, replace: '“$1”', sure: true },
  // The same pair read as two opening corner brackets (「发动机…关键技术「): no text opens twice.
  { pattern: /「([^「」“”\n]{1,60}(?:\n[^「」“”\n]{1,60})?)「/g, replace: '“$1”' },
  // "约62%) ," — NFKC turns the full-width comma into ",", and OCR puts a space before it.
  { pattern: /\s+([,;:。、!?)])/g, replace: '$1', sure: true },
  // A colon and a semicolon side by side (能力:;): the ；'s dot read once more as a colon. Two
  // stops never stand together in prose.
  { pattern: /[:：]\s*([;；])/g, replace: '$1' },
  // A cell's rule caught at a row's end or start (a bent frame on a curled page): prose has no bar.
  { pattern: /[ \t]*[|｜‖]+[ \t]*$/gm, replace: '', sure: true },
  { pattern: /^[ \t]*[|｜‖]+[ \t]*(?=\S)/gm, replace: '', sure: true },
  // A line that is only a speck or a rule fragment.
  { pattern: /\n[\s.,·・'"`~_-]*$/g, replace: '', sure: true },
];

// A list numbered ①②③ (NFKC: 1, 2, 3 before the item) comes back with some markers as look-alike
// junk (G) @) D G〇): where other items of the same list carry their numbers, a junk marker is
// the number its place in the list says.
const NUMBERED = /^(\d{1,2})(?=[\u4e00-\u9fff])/;
const JUNK_MARKER = /^([G@DO〇0()（）]{1,3})(?=[\u4e00-\u9fff])/;

function renumberList(text: string): { text: string; changed: number } {
  const lines = text.split('\n');
  // Items are the lines that start with a marker, read or junk; a line without one continues the
  // item above (a long item wraps in its cell) and takes no number.
  const markers = lines.map((l) => {
    const m = NUMBERED.exec(l);
    if (m) return Number(m[1]);
    return JUNK_MARKER.test(l) ? ('junk' as const) : undefined;
  });
  let items = 0;
  const itemOf = markers.map((m) => (m === undefined ? -1 : items++));
  // The list's numbering as the items that kept their numbers say: number = item index + offset.
  const offsets = markers.flatMap((n, i) => (typeof n === 'number' ? [n - (itemOf[i] as number)] : []));
  if (offsets.length < 2 || offsets.some((o) => o !== offsets[0])) return { text, changed: 0 };
  const offset = offsets[0] as number;
  let changed = 0;
  const out = lines.map((line, i) => {
    const item = itemOf[i] as number;
    let fixed = line;
    if (markers[i] === 'junk' && item + offset >= 1) {
      const m = JUNK_MARKER.exec(line) as RegExpExecArray;
      changed++;
      fixed = `${item + offset}${line.slice((m[1] as string).length)}`;
    }
    // An item begins a paragraph of its own even when the line above lost its closing ；: a bare
    // 2 before a character is no list marker to the normaliser, so a blank line says so.
    return i > 0 && markers[i] !== undefined ? `\n${fixed}` : fixed;
  });
  return { text: out.join('\n'), changed };
}

// An item of a list that ends in a colon, with the next item after it: the colon is the item's
// ； read without its tail by both readers (a colon introduces what follows; one list item does not
// introduce the next). The line that introduces the list has no marker of its own and is left.
function listItemColons(text: string): { text: string; changed: number } {
  const lines = text.split('\n');
  let changed = 0;
  const out = lines.map((line, i) => {
    const next = lines[i + 1];
    if (next === undefined || !/[:：]$/.test(line) || !LIST_MARKER.test(next.trim())) return line;
    // The item this line ends: back over the rows it wrapped onto, to the row with its marker.
    let start = i;
    while (start > 0 && !LIST_MARKER.test((lines[start] as string).trim())) {
      if (/[。;；:：]$/.test(lines[start - 1] as string)) return line;
      start--;
    }
    if (!LIST_MARKER.test((lines[start] as string).trim())) return line;
    changed++;
    return `${line.slice(0, -1)};`;
  });
  return { text: out.join('\n'), changed };
}

/**
 * The text with the repairs made, how many were made, and how many of them guessed (`guessed`: all
 * but those that rewrite the only reading there is).
 */
export function repairOcrText(text: string): { text: string; changed: number; guessed: number } {
  const listed = renumberList(text);
  const colons = listItemColons(listed.text);
  let changed = listed.changed + colons.changed;
  let guessed = changed;
  let out = colons.text;
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      changed++;
      if (!rule.sure) guessed++;
      const groups = args.slice(1, -2) as (string | undefined)[];
      return rule.replace.replace(/\$(\d)/g, (_, n: string) => groups[Number(n) - 1] ?? '');
    });
  }
  return { text: out, changed, guessed };
}
