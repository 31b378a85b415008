// Two readers built differently (tesseract's LSTM, PaddleOCR's PP-OCRv4) rarely misread the same
// character of a paragraph. Where their readings of a row differ, the language can often tell which
// is right: the reading whose characters make words with their neighbours (生产工艺, not 生产工九;
// 自动化, not 目动化). A third vote, used only for paragraphs — where one character wrong in a hundred
// still leaves the text right — and never for digits or for spans neither reading makes words of:
// those stay undecided, and a person looks.

import { defaultLexicon, isCommonWord } from '../domain/lexicon.js';

export interface MergedReading {
  /** The first reading, with every decided span replaced by the reading the words chose. */
  text: string;
  /** Characters where the readers differed and the words decided (the longer reading of each span). */
  decided: number;
  /** Spans where they differed and nothing decided (digits, no word either way, long spans). */
  undecided: number;
  /**
   * Of those, the characters of the short spans of no digit: at most one character wrong each,
   * whichever reader was right. The rest (numbers, misread stretches) are real disagreements.
   */
  minorChars: number;
}

/** Longest word looked for around a character. */
const MAX_WORD = 4;
/** Characters of agreed text either side of a span that words may reach into. */
const CONTEXT = 3;
/** A longer span is not a misread character but a misread stretch: not for the words to decide. */
const MAX_SPAN = 3;

/** Whether a string of characters is a word: the general dictionary's, or the trade's. */
export type IsWord = (word: string) => boolean;

/** jieba's words of frequency ≥ 50 and the trade's terms (config/trade-words.yaml, the vocabularies). */
export const defaultIsWord: IsWord = isCommonWord;

const same = (x: string, y: string) => x === y || x.normalize('NFKC') === y.normalize('NFKC');
const isSpace = (c: string) => /\s/u.test(c);
const HAN = /\p{Script=Han}/u;
const DIGIT = /[0-9０-９]/u;
const NUMERAL = /[〇零一二三四五六七八九十百千万两]/u;
const NUMERAL_NEIGHBOUR = /[〇零一二三四五六七八九十百千万两年月日号]/u;

/**
 * Merges two readings of one row. The first reading's text is kept wherever the two agree (and
 * its spaces); each span where they differ is decided by the words its characters make.
 */
export function mergeReadings(first: string, second: string, isWord: IsWord = defaultIsWord): MergedReading {
  const a = [...first];
  const b = [...second].filter((c) => !isSpace(c));
  const ops = align(a, b);
  let text = '';
  let decided = 0;
  let undecided = 0;
  let minor = 0;
  let major = 0;
  let i = 0;
  while (i < ops.length) {
    const op = ops[i] as Op;
    if (op.kind === 'same') {
      text += op.a;
      i++;
      continue;
    }
    let j = i;
    const spanA: string[] = [];
    const spanB: string[] = [];
    while (j < ops.length && (ops[j] as Op).kind !== 'same') {
      const o = ops[j] as Op;
      if (o.a !== undefined) spanA.push(o.a);
      if (o.b !== undefined) spanB.push(o.b);
      j++;
    }
    const left = [...text]
      .filter((c) => !isSpace(c))
      .slice(-CONTEXT)
      .join('');
    const right = ops
      .slice(j)
      .filter((o) => o.kind === 'same' && !isSpace(o.a as string))
      .slice(0, CONTEXT)
      .map((o) => o.a)
      .join('');
    const A = spanA.filter((c) => !isSpace(c)).join('');
    const B = spanB.join('');
    const pick = decide(A, B, left, right, isWord);
    if (A === B) text += spanA.join('');
    else if (pick === 'second') {
      text += B;
      decided += Math.max([...A].length, [...B].length, 1);
    } else {
      text += spanA.join('');
      if (pick === 'first') decided += Math.max([...A].length, [...B].length, 1);
      else {
        undecided++;
        if (minorSpan(A, B, left, right)) minor += Math.max([...A].length, [...B].length, 1);
        else major++;
      }
    }
    i = j;
  }
  return { text, decided, undecided, minorChars: major > 0 ? Number.POSITIVE_INFINITY : minor };
}

/** A span that, read wrong, costs a character or two of text and no number. */
function minorSpan(A: string, B: string, left: string, right: string): boolean {
  if (numeric(A, B, left, right)) return false;
  return [...A].length <= 1 && [...B].length <= 1;
}

/**
 * Whether a span is part of a number: a digit in it or beside it, or a Chinese numeral among
 * numerals or beside 年 月 日 (二〇二〇年六月九日: 一 for 二 is a wrong year, whatever the words
 * say). A numeral amid words (工九 for 工艺) is a misread character like any other.
 */
function numeric(A: string, B: string, left: string, right: string): boolean {
  const before = left.slice(-1);
  const after = right.slice(0, 1);
  if (DIGIT.test(A) || DIGIT.test(B) || DIGIT.test(before) || DIGIT.test(after)) return true;
  return (
    (NUMERAL.test(A) || NUMERAL.test(B)) && (NUMERAL_NEIGHBOUR.test(before) || NUMERAL_NEIGHBOUR.test(after))
  );
}

function decide(
  A: string,
  B: string,
  left: string,
  right: string,
  isWord: IsWord,
): 'first' | 'second' | undefined {
  if (A === B) return 'first';
  // Numbers, and what stands next to them (52件 or 52万件), are never guessed.
  if (numeric(A, B, left, right)) return undefined;
  if ([...A].length > MAX_SPAN || [...B].length > MAX_SPAN) return undefined;
  // A quotation mark read facing the other way (技术“。 against 技术”。): which way it faces is told
  // by what stands beside it, not by words.
  const quote = quoteFacing(A, B, left, right);
  if (quote) return quote;
  // Punctuation one reader saw and the other did not (or saw as another mark): the words cannot
  // tell, and it is one character either way.
  if (!HAN.test(A) && !HAN.test(B)) return undefined;
  // Characters only one reader saw at the row's very start or end: nothing beyond them to make a
  // word with, so the words cannot tell a character missed from one made up — a rule's end read
  // as 一一 after a sentence's 。 is a word by itself.
  if ((A === '' || B === '') && (left === '' || right === '')) return undefined;
  const fitA = wordShare(A, left, right, isWord);
  const fitB = wordShare(B, left, right, isWord);
  if (fitA === 1 && fitB < 0.5) return 'first';
  if (fitB === 1 && fitA < 0.5) return 'second';
  return undefined;
}

const FACING: Record<string, string> = { '“': '”', '”': '“', '‘': '’', '’': '‘' };

/**
 * Which of two readings of one quotation mark, the same mark facing either way, is right: a mark
 * followed by a stop, a comma or the row's end closes a quotation (”); one after a colon, a comma
 * or the row's start and before a character opens one (“). Anything else is not told.
 */
function quoteFacing(A: string, B: string, left: string, right: string): 'first' | 'second' | undefined {
  if ([...A].length !== 1 || FACING[A] !== B) return undefined;
  const after = right.charAt(0);
  const before = left.charAt(left.length - 1);
  const closes = right === '' || /[。，、；;：:！？!?,.）)]/u.test(after);
  const opens = (left === '' || /[：:，,、；;（(]/u.test(before)) && HAN.test(after);
  if (closes === opens) return undefined;
  const facing = closes ? '”’' : '“‘';
  return facing.includes(A) ? 'first' : 'second';
}

/**
 * Share of the span's characters that are part of a word with their neighbours. An empty span
 * fits when the characters either side of it join into a word.
 */
function wordShare(span: string, left: string, right: string, isWord: IsWord): number {
  const s = [...left, ...span, ...right];
  const from = [...left].length;
  const to = from + [...span].length;
  const word = (i: number, j: number) => isWord(s.slice(i, j).join(''));
  const inWord = (p: number) => {
    for (let i = Math.max(0, p - MAX_WORD + 1); i <= p; i++)
      for (let j = p + 1; j <= Math.min(s.length, i + MAX_WORD); j++)
        if (j - i >= 2 && word(i, j)) return true;
    return false;
  };
  if (from === to) {
    // Nothing here: do the neighbours make a word across the gap?
    for (let i = Math.max(0, from - MAX_WORD + 1); i < from; i++)
      for (let j = from + 1; j <= Math.min(s.length, i + MAX_WORD); j++) if (word(i, j)) return 1;
    return 0;
  }
  let covered = 0;
  for (let p = from; p < to; p++) if (inWord(p)) covered++;
  return covered / (to - from);
}

interface Op {
  kind: 'same' | 'sub' | 'del' | 'ins';
  a?: string;
  b?: string;
}

/** Edit-distance alignment; spaces in the first reading are free to drop (the second has none). */
function align(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const d = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  const delCost = (c: string) => (isSpace(c) ? 0 : 1);
  for (let i = 1; i <= n; i++)
    (d[i] as Uint16Array)[0] = ((d[i - 1] as Uint16Array)[0] as number) + delCost(a[i - 1] as string);
  for (let j = 1; j <= m; j++) (d[0] as Uint16Array)[j] = j;
  for (let i = 1; i <= n; i++) {
    const row = d[i] as Uint16Array;
    const prev = d[i - 1] as Uint16Array;
    for (let j = 1; j <= m; j++) {
      const sub = (prev[j - 1] as number) + (same(a[i - 1] as string, b[j - 1] as string) ? 0 : 1);
      row[j] = Math.min(sub, (prev[j] as number) + delCost(a[i - 1] as string), (row[j - 1] as number) + 1);
    }
  }
  const ops: Op[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = (d[i] as Uint16Array)[j] as number;
    if (i > 0 && j > 0) {
      const ca = a[i - 1] as string;
      const cb = b[j - 1] as string;
      const eq = same(ca, cb);
      if (here === ((d[i - 1] as Uint16Array)[j - 1] as number) + (eq ? 0 : 1)) {
        ops.push(eq ? { kind: 'same', a: ca } : { kind: 'sub', a: ca, b: cb });
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === ((d[i - 1] as Uint16Array)[j] as number) + delCost(a[i - 1] as string)) {
      // A space of the first reading the second has no counterpart for: agreed, and kept.
      ops.push(
        isSpace(a[i - 1] as string)
          ? { kind: 'same', a: a[i - 1] as string }
          : { kind: 'del', a: a[i - 1] as string },
      );
      i--;
      continue;
    }
    ops.push({ kind: 'ins', b: b[j - 1] as string });
    j--;
  }
  return ops.reverse();
}

/**
 * What the second reading holds after the first reading's first `chars` characters: the part of it
 * aligned with them is taken off. A cell that prints its label before the value (个人或团队简介及主要
 * 业绩：…) has the label in its first row; a reader that misreads the printed label (in a typeface
 * it does not know) has not misread the value, and only the value is for the readers to agree on.
 * A character the second reading has at the boundary and the first has not stays with the rest.
 */
export function secondAfter(first: string, chars: number, second: string): string {
  const ops = align(
    [...first],
    [...second].filter((c) => !isSpace(c)),
  );
  let consumed = 0;
  let k = 0;
  for (; k < ops.length && consumed < chars; k++) if ((ops[k] as Op).a !== undefined) consumed++;
  // An agreed character is kept as the first reading has it (NFKC-equal to the second's).
  return ops
    .slice(k)
    .map((o) => (o.kind === 'same' ? (isSpace(o.a as string) ? '' : (o.a as string)) : (o.b ?? '')))
    .join('');
}

let nearIndex: Map<string, string> | undefined;

/**
 * Whether a row holds a trade term with one character misread into something that is no word
 * (薛胎瓷 for 薄胎瓷): the first reader was sure of the row, and wrong. Such a row is worth the
 * second reader's look however sure the first one was. Terms of three to six characters.
 */
export function nearMissOfTerm(text: string, isWord: IsWord = defaultIsWord): boolean {
  if (!nearIndex) {
    nearIndex = new Map();
    for (const term of defaultLexicon().terms) {
      if (term.length < 3 || term.length > 6) continue;
      for (let k = 0; k < term.length; k++) {
        const key = term.map((c, i) => (i === k ? '?' : c)).join('');
        nearIndex.set(key, term.join(''));
      }
    }
  }
  const chars = [...text];
  for (let len = 3; len <= 6; len++) {
    for (let i = 0; i + len <= chars.length; i++) {
      const window = chars.slice(i, i + len);
      if (!HAN.test(window.join(''))) continue;
      for (let k = 0; k < len; k++) {
        const term = nearIndex.get(window.map((c, j) => (j === k ? '?' : c)).join(''));
        if (term === undefined || term === window.join('')) continue;
        // The odd character makes no word with its neighbours (合作 in 化合作, 工艺 in 生产工艺):
        // it is not another word beside a term, it is the term misread.
        if (!HAN.test(window[k] as string) || inWord(chars, i + k, isWord)) continue;
        // At the term's edge, the rest of it may be a word of its own with a neighbour beside it
        // (新产品 is not 农产品 misread): only a rest that is no word points to a misread term.
        const rest = window.filter((_, j) => j !== k).join('');
        if ((k === 0 || k === len - 1) && isWord(rest)) continue;
        return true;
      }
    }
  }
  return false;
}

/** Whether the character at p is part of a word (2–4 characters) with its neighbours. */
function inWord(chars: readonly string[], p: number, isWord: IsWord): boolean {
  for (let a = Math.max(0, p - MAX_WORD + 1); a <= p; a++)
    for (let b = Math.max(p + 1, a + 2); b <= Math.min(chars.length, a + MAX_WORD); b++)
      if (isWord(chars.slice(a, b).join(''))) return true;
  return false;
}
