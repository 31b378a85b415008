// One row read by two readers: which text the row keeps and how sure it is. Two readers built
// differently (tesseract's LSTM, PaddleOCR's PP-OCRv4) rarely make the same mistake: when they read
// the same text the row is sure; when they differ, a person decides, with both readings before
// them. Which one the record shows meanwhile: the surer of the two.

import { parseDate } from '../domain/normalize.js';
import { sameReading } from '../ocr/paddle.js';
import type { Box } from '../types.js';
import { mergeReadings, secondAfter } from './consensus.js';

export interface Row {
  box: Box;
  text: string;
  confidence: number;
  /**
   * The second reader's text for this row, when it was asked; `agrees` when both read the same, or
   * (a paragraph's row) when the words decided every character they read differently (`decided`).
   */
  check?: { text: string; agrees: boolean; decided?: number; undecided?: number };
}

/** A row two readers read the same. */
export const AGREED = 0.995;
/** A row two readers read differently: a person decides. */
export const DISAGREED = 0.6;
/** A paragraph's row whose differences the words decided (bench:ocr's reliability table). */
const DECIDED = 0.93;
/** Undecided single characters a paragraph's row may hold and still not be disputed. */
const MINOR_PER_ROW = 2;
/** Characters both read alike that a row with undecided ones must hold besides them. */
const MIN_AGREED_AROUND = 3;

/** A value without punctuation or symbols (an underline, =, ~) at its ends. */
export const unframed = (s: string): string => s.replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '');

export interface RowCheckOptions {
  /** A paragraph's row: a character or two the words decide does not dispute it. */
  paragraph?: boolean;
  /**
   * The row is the first of a cell that prints its label before the value: given a reading, what
   * follows the label.
   */
  afterLabel?: ((text: string) => string) | undefined;
  /** A row read restricted to digits: marks at its ends (a speck read as .) are no part of a number. */
  digits?: boolean;
}

/** The first reader's row checked against the second reader's reading of the same pixels. */
export function compareRow(
  read: Row,
  other: { text: string; confidence: number },
  opts: RowCheckOptions = {},
): Row {
  const paragraph = opts.paragraph === true;
  if (opts.digits && unframed(read.text) !== '' && sameReading(unframed(read.text), unframed(other.text)))
    return {
      ...read,
      text: unframed(read.text),
      confidence: Math.max(read.confidence, AGREED),
      check: { text: other.text, agrees: true },
    };
  if (!opts.afterLabel) return judge(read, other, paragraph);
  // Either reader may misread a printed label (in a typeface it does not know) without misreading
  // the value after it: the readers are compared on what follows the label, found in whichever
  // reading makes it out; the label as that reader read it stays in front, for the caller to take off.
  const own = labelLength(read.text, opts.afterLabel);
  const theirs = own ? 0 : labelLength(other.text, opts.afterLabel);
  if (!own && !theirs) return judge(read, other, paragraph);
  const chars = own ? [...read.text] : [...other.text];
  const label = chars.slice(0, own || theirs).join('');
  const ownRest = own ? [...read.text].slice(own).join('') : secondAfter(other.text, theirs, read.text);
  const otherRest = own ? secondAfter(read.text, own, other.text) : [...other.text].slice(theirs).join('');
  if (ownRest.trim() === '' && otherRest === '')
    return {
      ...read,
      text: label,
      confidence: Math.max(read.confidence, AGREED),
      check: { text: label, agrees: true },
    };
  const judged = judge(
    { ...read, text: ownRest },
    { text: otherRest, confidence: other.confidence },
    paragraph,
  );
  return {
    ...judged,
    text: label + judged.text,
    ...(judged.check ? { check: { ...judged.check, text: label + judged.check.text } } : {}),
  };
}

/** Characters of a printed label at the start of a reading (0: none found there). */
function labelLength(text: string, afterLabel: (text: string) => string): number {
  const value = afterLabel(text).trim();
  if (value === text.trim()) return 0;
  if (value === '') return [...text].length;
  return text.endsWith(value) ? [...text].length - [...value].length : 0;
}

function judge(read: Row, other: { text: string; confidence: number }, paragraph: boolean): Row {
  const text = other.text;
  if (sameReading(read.text, text)) {
    // The same characters; a space one reader put inside a number (2020.06.2 1) splits it.
    const spaced = /\d\s+\d/u;
    const kept = spaced.test(read.text) && !spaced.test(text) ? text : read.text;
    return {
      ...read,
      text: kept,
      confidence: Math.max(read.confidence, AGREED),
      check: { text, agrees: true },
    };
  }
  // A date both read with the same numbers: what stands between them (年 月 日, printed on the
  // form) is no part of the value, and one reader taking 月 for 广 is no dispute about it.
  const date = sameDateNumbers(read.text, text);
  if (date !== undefined)
    return {
      ...read,
      text: date,
      confidence: Math.max(read.confidence, AGREED),
      check: { text, agrees: true },
    };
  // A paragraph's row read differently at a character or two: the words decide each (see
  // consensus.ts); a row with anything they cannot decide goes to a person as before.
  if (paragraph && text !== '' && read.text !== '') {
    const merged = mergeReadings(read.text, text);
    // What the words could not decide is a character here or there, no number: the paragraph
    // counts it against its 1 % allowance (see extract) rather than calling the row disputed.
    // A row that is little more than the characters in dispute (a wrapped 。 read as s) is disputed
    // as a whole, not a character or two of a row the readers otherwise agree on.
    const agreed = [...merged.text].length - merged.minorChars;
    if (merged.minorChars <= MINOR_PER_ROW && (merged.minorChars === 0 || agreed >= MIN_AGREED_AROUND))
      return {
        ...read,
        text: merged.text,
        confidence: DECIDED,
        check: {
          text,
          agrees: true,
          ...(merged.decided ? { decided: merged.decided } : {}),
          ...(merged.minorChars ? { undecided: merged.minorChars } : {}),
        },
      };
  }
  // The same words, one reading with a bracket or a semicolon more at the row's ends: PaddleOCR
  // drops the characters it is unsure of at a row's edges, tesseract keeps them; either may take
  // a cell's rule for a bar (|新能源). Keep the longer.
  if (sameReading(unframed(read.text), unframed(text))) {
    const longer = [...text].length > [...read.text].length ? text : read.text;
    // Only one of them saw that character: the row is as sure as the less sure reader, no surer.
    return {
      ...read,
      text: longer,
      confidence: Math.min(read.confidence, other.confidence),
      check: { text, agrees: true },
    };
  }
  const useSecond = other.confidence > read.confidence && text !== '';
  return {
    ...read,
    text: useSecond ? text : read.text,
    confidence: Math.min(read.confidence, other.confidence, DISAGREED),
    check: { text: useSecond ? read.text : text, agrees: false },
  };
}

/** A row that is a date and nothing else: year, month and day, one to three characters between. */
const DATE_NUMBERS = /^\D{0,2}?(20\d\d)\D{1,3}?(\d{1,2})\D{1,3}?(\d{1,2})\D{0,2}$/u;

/**
 * Two readings of a row that are the same date by their numbers: the one written as a date, or
 * when neither is, the numbers as a date. undefined when the numbers differ or either is more than
 * a date.
 */
export function sameDateNumbers(a: string, b: string): string | undefined {
  const x = DATE_NUMBERS.exec(a.replace(/\s/g, ''));
  const y = DATE_NUMBERS.exec(b.replace(/\s/g, ''));
  if (!x || !y) return undefined;
  const numbers = (m: RegExpExecArray) => m.slice(1, 4).map(Number).join('-');
  if (numbers(x) !== numbers(y)) return undefined;
  const parses = (s: string) => {
    const p = parseDate(s.trim());
    return p.ok && p.value !== null;
  };
  if (parses(a)) return a;
  if (parses(b)) return b;
  // Neither is written as a date (2020外06月17日 against 2020年-06月17日: a seal's red over 年):
  // the numbers both read are, as a date.
  const [year, month, day] = x.slice(1, 4).map(Number);
  const canonical = `${year}年${month}月${day}日`;
  return parses(canonical) ? canonical : undefined;
}
