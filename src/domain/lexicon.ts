// Domain lexicon: the words OCR must get right and the look-alike characters read in their place
// (config/lexicon.yaml). Vocabulary snapping and OCR text correction share the look-alike table.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { RunError } from '../errors.js';

export const DEFAULT_LEXICON_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../config/lexicon.yaml',
);

const LexiconFileSchema = z.strictObject({
  lookalikes: z.record(z.string().length(1), z.string().min(1)),
  terms: z.array(z.string().min(2)),
});

export interface Lexicon {
  /** For each character, the characters OCR reads in its place (and the reverse). */
  lookalikes: Map<string, Set<string>>;
  /** Longest first, so 隧道窑 is tried before 窑炉's shorter overlaps. */
  terms: string[][];
}

export function loadLexicon(path = DEFAULT_LEXICON_PATH): Lexicon {
  let data: z.infer<typeof LexiconFileSchema>;
  try {
    data = LexiconFileSchema.parse(parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new RunError(
      'badDataFile',
      `词表文件有误 / the lexicon file ${path} is invalid: ${(err as Error).message.split('\n').slice(0, 4).join(' ')}`,
      'Fix config/lexicon.yaml (lookalikes: one character → a string of look-alikes; terms: words of 2+ characters).',
      { cause: err },
    );
  }
  const lookalikes = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    const set = lookalikes.get(a) ?? new Set<string>();
    set.add(b);
    lookalikes.set(a, set);
  };
  for (const [char, alikes] of Object.entries(data.lookalikes)) {
    for (const other of alikes) {
      link(char, other);
      link(other, char);
    }
  }
  const terms = [...new Set(data.terms)].map((t) => [...t]).sort((a, b) => b.length - a.length);
  return { lookalikes, terms };
}

let cached: Lexicon | undefined;
export function defaultLexicon(): Lexicon {
  cached ??= loadLexicon();
  return cached;
}

export const isLookalike = (a: string, b: string, lexicon = defaultLexicon()): boolean =>
  a === b || (lexicon.lookalikes.get(a)?.has(b) ?? false);

/**
 * Replaces runs that differ from a lexicon term only by look-alike characters, keeping at least
 * one character of the term exact (so a run made only of look-alikes is left alone). Returns the
 * corrected text and how many characters changed.
 */
export function correctLookalikes(
  text: string,
  lexicon = defaultLexicon(),
): { text: string; changed: number } {
  const chars = [...text];
  // A term may wrap onto the next line of its cell (结\n晶釉): line breaks do not part it.
  const at = chars.flatMap((c, i) => (c === '\n' ? [] : [i]));
  let changed = 0;
  for (const term of lexicon.terms) {
    for (let i = 0; i + term.length <= at.length; i++) {
      let diff = 0;
      let exact = 0;
      let ok = true;
      for (let k = 0; k < term.length; k++) {
        const c = chars[at[i + k] as number] as string;
        const t = term[k] as string;
        if (c === t) exact++;
        else if (lexicon.lookalikes.get(t)?.has(c)) diff++;
        else {
          ok = false;
          break;
        }
      }
      if (ok && diff > 0 && exact > 0) {
        for (let k = 0; k < term.length; k++) chars[at[i + k] as number] = term[k] as string;
        changed += diff;
      }
    }
  }
  return { text: chars.join(''), changed };
}
