// Domain lexicon: the words OCR must get right and the look-alike characters read in their place.
// Terms: the trades' general vocabulary (config/trade-words.yaml), the programme's vocabularies
// (config/vocabularies.yaml) and the bureau's own terms (config/lexicon.yaml). Look-alikes: pairs
// found by comparing the glyphs in several typefaces (config/lookalikes.generated.yaml, made by
// scripts/make-lookalikes.ts) and the pairs listed by hand in config/lexicon.yaml. OCR text
// correction uses both, under strict rules; vocabulary snapping (isLookalike) only the hand-listed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { RunError } from '../errors.js';

const CONFIG = resolve(dirname(fileURLToPath(import.meta.url)), '../../config');
export const DEFAULT_LEXICON_PATH = resolve(CONFIG, 'lexicon.yaml');
export const DEFAULT_TRADE_WORDS_PATH = resolve(CONFIG, 'trade-words.yaml');
export const DEFAULT_GENERATED_LOOKALIKES_PATH = resolve(CONFIG, 'lookalikes.generated.yaml');
const DEFAULT_VOCABULARIES_PATH = resolve(CONFIG, 'vocabularies.yaml');

const LexiconFileSchema = z.strictObject({
  lookalikes: z.record(z.string().length(1), z.string().min(1)),
  terms: z.array(z.string().min(2)),
});
const TradeWordsSchema = z.record(z.string(), z.array(z.string().min(2)));
// Only the spellings are read here; src/domain/vocabulary.ts checks the file in full.
const VocabSpellingsSchema = z.record(
  z.string(),
  z.array(
    z.looseObject({
      name: z.string(),
      fullName: z.string().optional(),
      aliases: z.array(z.string()).optional(),
    }),
  ),
);

export interface Lexicon {
  /** For each character, the characters OCR reads in its place (and the reverse). */
  lookalikes: Map<string, Set<string>>;
  /** Longest first, so 隧道窑 is tried before 窑炉's shorter overlaps. */
  terms: string[][];
  /** The pairs listed by hand in config/lexicon.yaml (also in `lookalikes`). */
  handLookalikes?: Map<string, Set<string>>;
  /** The terms listed by hand in config/lexicon.yaml (also in `terms`). */
  handTerms?: Set<string>;
  /** A word's frequency in the general dictionary (jieba's), undefined when it is no word there. */
  wordFrequency?: (word: string) => number | undefined;
}

/** Files the lexicon is made of; null leaves one out. */
export interface LexiconSources {
  tradeWords?: string | null;
  vocabularies?: string | null;
  generatedLookalikes?: string | null;
}

function readData<S extends z.ZodType>(path: string, schema: S, hint: string): z.infer<S> {
  try {
    return schema.parse(parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new RunError(
      'badDataFile',
      `词表文件有误 / the lexicon file ${path} is invalid: ${(err as Error).message.split('\n').slice(0, 4).join(' ')}`,
      hint,
      { cause: err },
    );
  }
}

const HAN = /\p{Script=Han}/u;
const GENERATED_LINE = /^ {2}(\S): (\S+)$/u;

/**
 * The generated table (YAML: comments, `lookalikes:`, then one `  字: 字字字` line per character),
 * read line by line: the YAML parser takes ~0.3 s over its 3,300 lines, this ~3 ms.
 */
function readGenerated(path: string): Record<string, string> {
  const table: Record<string, string> = {};
  const bad = (problem: string, cause?: unknown) =>
    new RunError(
      'badDataFile',
      `形近字表有误 / the generated look-alike table ${path} is invalid: ${problem}`,
      'Re-create it with `npx tsx scripts/make-lookalikes.ts` (it is generated; do not edit it by hand).',
      { cause },
    );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw bad((err as Error).message, err);
  }
  let started = false;
  text.split('\n').forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    if (!started && line === 'lookalikes:') {
      started = true;
      return;
    }
    const m = started ? GENERATED_LINE.exec(line) : null;
    if (!m)
      throw bad(`line ${i + 1}: expected ${started ? '"  字: 字字"' : '"lookalikes:"'}, found "${line}"`);
    table[m[1] as string] = m[2] as string;
  });
  if (!started) throw bad('no "lookalikes:" section');
  return table;
}

/**
 * Reads config/lexicon.yaml at once (a broken file stops the run before any work). The generated
 * look-alikes, the trade words and the vocabularies (~50 ms of YAML) are read on first use of
 * `lookalikes` or `terms` — when OCR text is first corrected — so start-up and .docx-only runs do
 * not pay for them.
 */
export function loadLexicon(path = DEFAULT_LEXICON_PATH, sources: LexiconSources = {}): Lexicon {
  const data = readData(
    path,
    LexiconFileSchema,
    'Fix config/lexicon.yaml (lookalikes: one character → a string of look-alikes; terms: words of 2+ characters).',
  );
  const tradePath = sources.tradeWords === undefined ? DEFAULT_TRADE_WORDS_PATH : sources.tradeWords;
  const vocabPath = sources.vocabularies === undefined ? DEFAULT_VOCABULARIES_PATH : sources.vocabularies;
  const generatedPath =
    sources.generatedLookalikes === undefined
      ? DEFAULT_GENERATED_LOOKALIKES_PATH
      : sources.generatedLookalikes;

  const handLookalikes = pairMap([data.lookalikes]);
  let lookalikes: Map<string, Set<string>> | undefined;
  let terms: string[][] | undefined;
  const allTerms = (): string[][] => {
    const words: string[] = [...data.terms];
    if (tradePath) {
      const trade = readData(
        tradePath,
        TradeWordsSchema,
        'Fix config/trade-words.yaml (headings, each with a list of words of 2+ characters).',
      );
      for (const list of Object.values(trade)) words.push(...list);
    }
    if (vocabPath) {
      const vocab = readData(
        vocabPath,
        VocabSpellingsSchema,
        'Fix config/vocabularies.yaml (each vocabulary a list of entries with name and aliases).',
      );
      for (const entries of Object.values(vocab))
        for (const e of entries)
          words.push(e.name, ...(e.fullName ? [e.fullName] : []), ...(e.aliases ?? []));
    }
    return [...new Set(words.map((w) => w.trim()))]
      .filter((w) => [...w].length >= 2 && HAN.test(w))
      .map((t) => [...t])
      .sort((a, b) => b.length - a.length);
  };
  return {
    get lookalikes() {
      lookalikes ??= generatedPath
        ? pairMap([data.lookalikes, readGenerated(generatedPath)])
        : handLookalikes;
      return lookalikes;
    },
    get terms() {
      terms ??= allTerms();
      return terms;
    },
    handLookalikes,
    handTerms: new Set(data.terms),
  };
}

/** Every pair of the tables, linked both ways. */
function pairMap(tables: Record<string, string>[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    const set = map.get(a) ?? new Set<string>();
    set.add(b);
    map.set(a, set);
  };
  for (const table of tables)
    for (const [char, alikes] of Object.entries(table))
      for (const other of alikes) {
        link(char, other);
        link(other, char);
      }
  return map;
}

let cached: Lexicon | undefined;
export function defaultLexicon(): Lexicon {
  cached ??= loadLexicon();
  return cached;
}

/**
 * True when OCR is known to read one character for the other: the hand-listed pairs of
 * config/lexicon.yaml only. Vocabulary snapping accepts such a substitution however short the word
 * and titleLevel trusts it for eligibility, so a pair that merely looks alike on paper (the generated
 * table: 师/帅) is not enough there — it only feeds correctLookalikes, under its stricter rules.
 */
export const isLookalike = (a: string, b: string, lexicon = defaultLexicon()): boolean =>
  a === b || ((lexicon.handLookalikes ?? lexicon.lookalikes).get(a)?.has(b) ?? false);

// --- the general dictionary ------------------------------------------------------------------------

/** Dictionary words at least this frequent are real words: (d) looks only for these. */
const REAL_WORD_FREQ = 50;

interface Dictionary {
  /** The 52k words of frequency ≥ REAL_WORD_FREQ (of 349k). */
  common: Map<string, number>;
  /**
   * Every word as "\nword freq" lines, grouped by the word's first character: a lookup searches
   * ~60 lines. Searching the whole file took ~2 ms a word, and the readers' consensus asks for
   * thousands of distinct words in a batch (measured: 4.5 s of a 40-page run).
   */
  byFirst: Map<string, string>;
}

let dictionary: Dictionary | undefined;

const firstChar = (word: string): string => String.fromCodePoint(word.codePointAt(0) ?? 0);

/** jieba's dictionary (@node-rs/jieba/dict.txt), read on the first correction that needs it. */
function jiebaDictionary(): Dictionary {
  if (!dictionary) {
    const require = createRequire(import.meta.url);
    const text = (require('@node-rs/jieba/dict.js') as { dict: Buffer }).dict.toString('utf8');
    const common = new Map<string, number>();
    const groups = new Map<string, string[]>();
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const space = text.indexOf(' ', start);
      if (space > start && space < end) {
        const word = text.slice(start, space);
        const f = leadingNumber(text, space + 1, end);
        if (f >= REAL_WORD_FREQ) common.set(word, f);
        const key = firstChar(word);
        const group = groups.get(key);
        if (group) group.push(`${word} ${f}`);
        else groups.set(key, [`${word} ${f}`]);
      }
      start = end + 1;
    }
    const byFirst = new Map<string, string>();
    for (const [key, lines] of groups) byFirst.set(key, `\n${lines.join('\n')}\n`);
    dictionary = { common, byFirst };
  }
  return dictionary;
}

function leadingNumber(text: string, from: number, to: number): number {
  let n = 0;
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  return n;
}

/** A word's frequency in jieba's dictionary (349k words), or undefined when it is no word there. */
export function dictionaryFrequency(word: string): number | undefined {
  const dict = jiebaDictionary();
  const common = dict.common.get(word);
  if (common !== undefined || word === '' || word.includes('\n')) return common;
  const group = dict.byFirst.get(firstChar(word));
  const at = group ? group.indexOf(`\n${word} `) : -1;
  return group && at >= 0 ? leadingNumber(group, at + word.length + 2, group.length) : undefined;
}

const isRealWord = (word: string): boolean => jiebaDictionary().common.has(word);

let tradeWords: Set<string> | undefined;
/** Whether characters are a word: jieba's of frequency ≥ REAL_WORD_FREQ, or a term of the trade's. */
export function isCommonWord(word: string): boolean {
  tradeWords ??= new Set(defaultLexicon().terms.map((t) => t.join('')));
  return isRealWord(word) || tradeWords.has(word);
}

/**
 * Share of a row's characters (letters, digits and Han; not punctuation) that are part of a word of
 * two characters or more: words read right make most of a sentence, a seal's texture read as
 * characters (园园闵沥, 年1日) almost none of it.
 */
export function wordCoverage(row: string): number {
  const chars = [...row].filter((c) => /[\p{L}\p{N}]/u.test(c));
  if (chars.length === 0) return 0;
  const covered = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++)
    for (let j = i + 2; j <= Math.min(chars.length, i + 4); j++)
      if (isCommonWord(chars.slice(i, j).join(''))) covered.fill(1, i, j);
  return covered.reduce((n, c) => n + c, 0) / chars.length;
}

// --- correction -------------------------------------------------------------------------------------

/** Longest neighbouring word looked for around a corrected character. */
const MAX_WORD = 6;

/**
 * Replaces runs that differ from a lexicon term only by look-alike characters. Conservative, as the
 * generated look-alike table is large:
 * (a) the corrected run must be a term;
 * (b) at least half of the term's characters read exactly, and at most one substitution (terms of
 *     up to 3 characters) or two (longer terms). A bureau term (config/lexicon.yaml) repaired only
 *     with hand-listed look-alikes keeps its old allowance: any number, one exact character;
 * (c) the run as read is not itself a dictionary word at least as frequent as the term (a term
 *     missing from the dictionary counts 0, so any dictionary word read is left alone), nor a real
 *     word (frequency ≥ 50) at all: 抗体 (478) is not made 机体 (998), nor 本村 本科;
 * (d) no character to be changed forms a real dictionary word (frequency ≥ 50) with characters
 *     outside the run, across a line break or not (和平合作 is not 和平台作).
 * A term may wrap onto the next line of its cell (结\n晶釉): line breaks do not part it. Returns the
 * corrected text and how many characters changed.
 */
export function correctLookalikes(
  text: string,
  lexicon = defaultLexicon(),
): { text: string; changed: number } {
  const chars = [...text];
  const at = chars.flatMap((c, i) => (c === '\n' ? [] : [i]));
  const freq = lexicon.wordFrequency ?? dictionaryFrequency;
  const real = lexicon.wordFrequency
    ? (w: string) => (lexicon.wordFrequency?.(w) ?? 0) >= REAL_WORD_FREQ
    : isRealWord;
  const hand = lexicon.handLookalikes;
  const lookalikes = lexicon.lookalikes;
  // The text without its line breaks (kept in step with `chars` as runs are corrected).
  const seq = at.map((i) => chars[i] as string);
  const charAt = (p: number) => seq[p] as string;
  const span = (from: number, to: number) => {
    let s = '';
    for (let p = from; p < to; p++) s += charAt(p);
    return s;
  };
  // (d): a word around position p that reaches outside [from, to).
  const partOfOuterWord = (p: number, from: number, to: number): boolean => {
    for (let s = Math.max(0, p - MAX_WORD + 1); s <= p; s++) {
      for (let e = p + 1; e <= Math.min(at.length, s + MAX_WORD); e++) {
        if (e - s < 2 || (s >= from && e <= to)) continue;
        if (real(span(s, e))) return true;
      }
    }
    return false;
  };
  const none = new Set<string>();
  let changed = 0;
  for (const term of lexicon.terms) {
    const len = term.length;
    const alike = term.map((t) => lookalikes.get(t) ?? none);
    let termText: string | undefined;
    let handTerm: boolean | undefined;
    for (let i = 0; i + len <= at.length; i++) {
      let diff = 0;
      let exact = 0;
      let onlyHand = true;
      let ok = true;
      for (let k = 0; k < len; k++) {
        const c = seq[i + k] as string;
        const t = term[k] as string;
        if (c === t) exact++;
        else if ((alike[k] as Set<string>).has(c)) {
          diff++;
          if (!hand?.get(t)?.has(c)) onlyHand = false;
        } else {
          ok = false;
          break;
        }
      }
      if (!ok || diff === 0 || exact === 0) continue;
      termText ??= term.join('');
      handTerm ??= lexicon.handTerms?.has(termText) ?? false;
      const strict = !(onlyHand && hand && handTerm);
      if (strict && (exact * 2 < len || diff > (len <= 3 ? 1 : 2))) continue;
      const readFreq = freq(span(i, i + len));
      if (readFreq !== undefined && (readFreq >= REAL_WORD_FREQ || readFreq >= (freq(termText) ?? 0)))
        continue;
      let breaks = false;
      for (let k = 0; k < len && !breaks; k++)
        if (charAt(i + k) !== term[k]) breaks = partOfOuterWord(i + k, i, i + len);
      if (breaks) continue;
      for (let k = 0; k < len; k++) {
        chars[at[i + k] as number] = term[k] as string;
        seq[i + k] = term[k] as string;
      }
      changed += diff;
    }
  }
  return { text: chars.join(''), changed };
}
