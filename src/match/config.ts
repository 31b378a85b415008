// The matching configuration the bureau can edit (config/match.yaml): field weights, BM25
// parameters, the domain dictionary, synonym groups and stop words. The file is a trust boundary,
// so it is checked by a schema and a bad entry is reported by file and key.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readYamlFile } from '../config-file.js';
import { RunError } from '../errors.js';
import { FORMS } from '../forms/index.js';
import type { FormKind } from '../types.js';

export const DEFAULT_MATCH_CONFIG_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../config/match.yaml',
);

const word = z.string().trim().min(1);
// Long lists are easier to edit as text: 「窑炉 隧道窑 梭式窑」 (spaces, line breaks or 、，, between words).
const wordList = z
  .union([z.string(), z.array(word)])
  .transform((v) => (typeof v === 'string' ? v.split(/[\s、，,]+/).filter((w) => w !== '') : v));
const weight = z.number().positive().max(100);
const share = z.number().min(0).max(1);

export const MatchConfigSchema = z.strictObject({
  weights: z.strictObject({
    registration: z.record(z.string(), weight),
    demand: z.record(z.string(), weight),
    problem: z.record(z.string(), weight),
  }),
  synonymWeight: share.default(0.5),
  partWeight: share.default(0.5),
  fullScoreAt: z.number().gt(0).max(1).default(0.5),
  bm25: z
    .strictObject({ k1: z.number().min(0).max(10), b: z.number().min(0).max(1) })
    .default({ k1: 1.2, b: 0.75 }),
  dictionary: z.record(z.string(), wordList).default({}),
  synonyms: z.array(z.array(word).min(2, 'a synonym group needs at least two words')).default([]),
  singleChars: z.array(z.string().trim().length(1)).default([]),
  stopWords: wordList.default([]),
});
export type MatchConfigData = z.infer<typeof MatchConfigSchema>;

/** The configuration with its lookups built: what the segmenter and the ranking read. */
export interface MatchConfig {
  readonly file: string;
  readonly data: MatchConfigData;
  /** Field key → weight, per form; only these fields are read. */
  readonly weights: Record<FormKind, ReadonlyMap<string, number>>;
  /** Every dictionary and synonym word, normalised, longest first (stable for jieba's cache key). */
  readonly dictionary: readonly string[];
  /** Normalised word → the other words of every group it belongs to. */
  readonly synonyms: ReadonlyMap<string, ReadonlySet<string>>;
  readonly stopWords: ReadonlySet<string>;
  readonly singleChars: ReadonlySet<string>;
}

/** How every word and text is compared: NFKC (full-width → ASCII), Latin lower-cased, no spaces. */
export const normalizeTerm = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

function badFile(file: string, problem: string, cause?: unknown): RunError {
  return new RunError(
    'badDataFile',
    `匹配配置文件有误 / matching config ${file}: ${problem}`,
    `fix ${file} (or pass another file with --config) and run again`,
    { cause },
  );
}

/** Builds the lookups from checked data; `file` only names the source in messages. */
export function buildMatchConfig(data: MatchConfigData, file = '(inline)'): MatchConfig {
  const weights = {} as Record<FormKind, Map<string, number>>;
  for (const form of ['registration', 'demand', 'problem'] as const) {
    const known = new Set(FORMS[form].fields.map((f) => f.key));
    const map = new Map<string, number>();
    for (const [key, w] of Object.entries(data.weights[form])) {
      // A misspelt field key would silently read nothing: refuse it instead.
      if (!known.has(key)) throw badFile(file, `weights.${form}.${key}: no such field on the ${form} form`);
      map.set(key, w);
    }
    if (map.size === 0) throw badFile(file, `weights.${form}: name at least one field`);
    weights[form] = map;
  }

  const synonyms = new Map<string, Set<string>>();
  for (const group of data.synonyms) {
    const words = [...new Set(group.map(normalizeTerm))];
    for (const w of words) {
      const set = synonyms.get(w) ?? new Set<string>();
      for (const other of words) if (other !== w) set.add(other);
      synonyms.set(w, set);
    }
  }

  const stopWords = new Set(data.stopWords.map(normalizeTerm));
  const dictionary = new Set<string>();
  for (const list of Object.values(data.dictionary)) for (const w of list) dictionary.add(normalizeTerm(w));
  for (const w of synonyms.keys()) dictionary.add(w);
  for (const w of dictionary) {
    if (stopWords.has(w)) throw badFile(file, `"${w}" is both a domain word and a stop word`);
  }

  return {
    file,
    data,
    weights,
    dictionary: [...dictionary].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0)),
    synonyms,
    stopWords,
    singleChars: new Set(data.singleChars.map(normalizeTerm)),
  };
}

/** Reads and checks a matching config (default: config/match.yaml). Throws RunError('badDataFile'). */
export function loadMatchConfig(file: string = DEFAULT_MATCH_CONFIG_FILE): MatchConfig {
  return buildMatchConfig(readYamlFile(file, MatchConfigSchema, badFile), file);
}

let cached: MatchConfig | undefined;

/** The default configuration, read once per process. */
export function defaultMatchConfig(): MatchConfig {
  cached ??= loadMatchConfig();
  return cached;
}
