// The vocabularies the bureau can edit (config/vocabularies.yaml): districts and parks, education
// levels, professional titles with their levels, industries, recommending units. The file is a
// trust boundary, so it is checked by a schema and a bad entry is reported by file and key.
// `snap` maps what OCR or a person wrote to the canonical entry; `titleLevel` and `educationOf`
// read the level out of free text such as 副教授（副高） or 本科/硕士.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readYamlFile } from '../config-file.js';
import { RunError } from '../errors.js';
import type { VocabularyName } from '../forms/index.js';
import { isLookalike } from './lexicon.js';
import { nfkc } from './normalize.js';

export const DEFAULT_VOCABULARIES_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../config/vocabularies.yaml',
);

export const TITLE_LEVELS = ['初级', '中级', '副高级', '正高级'] as const;
export type TitleLevel = (typeof TITLE_LEVELS)[number];

const base = {
  name: z.string().trim().min(1),
  aliases: z.array(z.string().trim().min(1)).default([]),
};

const DistrictEntrySchema = z.strictObject({
  ...base,
  kind: z.enum(['district', 'county', 'city', 'park']),
  fullName: z.string().trim().min(1).optional(),
});
const EducationEntrySchema = z.strictObject({
  ...base,
  rank: z.number().int().min(0),
  graduate: z.boolean(),
});
const TitleEntrySchema = z.strictObject({
  ...base,
  level: z.enum(TITLE_LEVELS),
  series: z.string().trim().min(1).optional(),
});
const PlainEntrySchema = z.strictObject({ ...base, fullName: z.string().trim().min(1).optional() });

export const VocabulariesSchema = z.strictObject({
  district: z.array(DistrictEntrySchema).min(1),
  education: z.array(EducationEntrySchema).min(1),
  titleLevel: z.array(TitleEntrySchema).min(1),
  industry: z.array(PlainEntrySchema).min(1),
  recommendingUnit: z.array(PlainEntrySchema).min(1),
} satisfies Record<VocabularyName, z.ZodType>);

export type DistrictEntry = z.infer<typeof DistrictEntrySchema>;
export type EducationEntry = z.infer<typeof EducationEntrySchema>;
export type TitleEntry = z.infer<typeof TitleEntrySchema>;
export type VocabularyData = z.infer<typeof VocabulariesSchema>;
export type VocabEntry = VocabularyData[VocabularyName][number];

/** Loaded vocabularies with a lookup key for every spelling. */
export interface Vocabularies {
  readonly file: string;
  readonly data: VocabularyData;
  /** Per vocabulary: every spelling's key → its entry and whether it is an alias. */
  readonly forms: Record<VocabularyName, readonly SpellingForm[]>;
}

interface SpellingForm {
  key: string;
  chars: string[];
  entry: VocabEntry;
  alias: boolean;
}

/** What two spellings are compared by: NFKC, no whitespace, Latin upper-cased. */
export const vocabKey = (s: string): string => nfkc(s).replace(/\s+/g, '').toUpperCase();

const spellingsOf = (e: VocabEntry): { text: string; alias: boolean }[] => [
  { text: e.name, alias: false },
  ...('fullName' in e && e.fullName ? [{ text: e.fullName, alias: true }] : []),
  ...e.aliases.map((text) => ({ text, alias: true })),
];

function badFile(file: string, problem: string, cause?: unknown): RunError {
  return new RunError(
    'badDataFile',
    `vocabulary file ${file}: ${problem} / 词表文件有误`,
    `fix ${file} (or pass another vocabulary file) and run again`,
    { cause },
  );
}

/** Reads and checks a vocabulary file (default: config/vocabularies.yaml). Throws RunError('badDataFile'). */
export function loadVocabularies(file: string = DEFAULT_VOCABULARIES_FILE): Vocabularies {
  const data = readYamlFile(file, VocabulariesSchema, badFile);
  const forms = {} as Record<VocabularyName, SpellingForm[]>;
  for (const name of Object.keys(data) as VocabularyName[]) {
    const seen = new Map<string, string>();
    const list: SpellingForm[] = [];
    data[name].forEach((entry: VocabEntry, index: number) => {
      for (const { text: spelling, alias } of spellingsOf(entry)) {
        const key = vocabKey(spelling);
        const owner = seen.get(key);
        if (owner !== undefined && owner !== entry.name) {
          throw badFile(
            file,
            `${name}.${index} (${entry.name}): "${spelling}" is already a spelling of ${owner}`,
          );
        }
        if (owner === undefined) list.push({ key, chars: Array.from(key), entry, alias });
        seen.set(key, entry.name);
      }
    });
    forms[name] = list;
  }
  return { file, data, forms };
}

let cached: Vocabularies | undefined;

/** The default vocabularies, read once. */
export function defaultVocabularies(): Vocabularies {
  cached ??= loadVocabularies();
  return cached;
}

// --- snapping ------------------------------------------------------------------------------------

/**
 * Levenshtein distance over Unicode characters (not UTF-16 units), giving up above `limit`:
 * vocabulary words are short, so two rows of integers are all it takes.
 */
export function editDistance(
  a: string | string[],
  b: string | string[],
  limit = Number.POSITIVE_INFINITY,
): number {
  const x = typeof a === 'string' ? Array.from(a) : a;
  const y = typeof b === 'string' ? Array.from(b) : b;
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  let curr = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    curr[0] = i;
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      curr[j] = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      rowMin = Math.min(rowMin, curr[j] ?? 0);
    }
    if (rowMin > limit) return limit + 1;
    [prev, curr] = [curr, prev];
  }
  return prev[y.length] ?? 0;
}

// Characters tesseract's chi_sim confuses in this domain's words (config/lexicon.yaml, see
// measured on earlier scans). A substitution between look-alikes is accepted even where the word is too short
// for a plain edit.
const onlyLookalikeSubstitutions = (a: string[], b: string[]): boolean =>
  a.length === b.length && a.every((c, i) => isLookalike(c, b[i] ?? ''));

export interface SnapResult {
  /** Canonical spelling (the entry's name). */
  canonical: string;
  entry: VocabEntry;
  /** Character edit distance to the closest spelling of the entry. */
  distance: number;
  /** True when the closest spelling is an alias (or the full name), not the canonical name. */
  viaAlias: boolean;
  /** The spelling that matched. */
  matched: string;
  /** True when every difference is a known OCR look-alike (瓷↔资, 窑↔窗). */
  lookalike: boolean;
}

export interface SnapOptions {
  vocabularies?: Vocabularies;
  /**
   * Largest distance accepted, as a hard cap. Default: one edit per three characters (none for 1-2
   * characters), plus any number of known OCR look-alike substitutions.
   */
  maxDistance?: number;
}

/**
 * The vocabulary entry `text` most likely means, or null when nothing is close enough or two
 * entries are equally close. Exact spellings and aliases have distance 0.
 */
export function snap(vocabName: VocabularyName, text: string, opts: SnapOptions = {}): SnapResult | null {
  const vocab = opts.vocabularies ?? defaultVocabularies();
  const q = Array.from(vocabKey(text));
  if (q.length === 0) return null;
  const max = opts.maxDistance ?? Math.floor(q.length / 3);
  const perEntry = new Map<VocabEntry, SnapResult>();
  for (const form of vocab.forms[vocabName]) {
    // An explicit maxDistance is a hard cap; look-alikes only widen the default allowance.
    const lookalike = opts.maxDistance === undefined && onlyLookalikeSubstitutions(q, form.chars);
    const distance = editDistance(q, form.chars, lookalike ? Number.POSITIVE_INFINITY : max);
    if (distance > max && !lookalike) continue;
    const current = perEntry.get(form.entry);
    // An entry's closest spelling counts; on equal distance its canonical name beats an alias.
    if (current && (current.distance < distance || (current.distance === distance && !current.viaAlias)))
      continue;
    perEntry.set(form.entry, {
      canonical: form.entry.name,
      entry: form.entry,
      distance,
      viaAlias: form.alias,
      matched: form.chars.join(''),
      lookalike: lookalike && distance > 0,
    });
  }
  const [first, second] = [...perEntry.values()].sort((a, b) => a.distance - b.distance);
  if (!first) return null;
  // Two entries equally far from a misspelling: guessing would hide the problem.
  if (second && second.distance === first.distance && first.distance > 0) return null;
  return first;
}

// --- levels inside free text ----------------------------------------------------------------------

// Leftmost-longest search of a vocabulary's spellings in a text, so that 副教授 is read as 副教授
// and not as 教授, and 博士研究生 not as 研究生.
function findSpellings(vocab: Vocabularies, name: VocabularyName, text: string): VocabEntry[] {
  const s = vocabKey(text);
  const forms = [...vocab.forms[name]].sort((a, b) => b.key.length - a.key.length);
  const found: VocabEntry[] = [];
  for (let i = 0; i < s.length; ) {
    const hit = forms.find((f) => s.startsWith(f.key, i));
    if (hit) {
      found.push(hit.entry);
      i += hit.key.length;
    } else i += 1;
  }
  return found;
}

// Levels decide eligibility, so only corrections that cannot be another word are taken here:
// 高级技师 is one edit from 高级讲师 but a different thing.
const sureSnap = (name: VocabularyName, text: string, vocab: Vocabularies): SnapResult | null => {
  const hit = snap(name, text, { vocabularies: vocab });
  return hit && (hit.distance === 0 || hit.lookalike) ? hit : null;
};

const levelRank = (l: TitleLevel): number => TITLE_LEVELS.indexOf(l);
const LEVEL_WORDS: Record<string, TitleLevel> = {
  正高: '正高级',
  正高级: '正高级',
  副高: '副高级',
  副高级: '副高级',
  高级: '副高级',
  中级: '中级',
  初级: '初级',
  员级: '初级',
};

/**
 * The level of a professional title written as free text: 副教授 → 副高级, 副教授（副高） → 副高级,
 * 讲师、工艺美术师 → 中级 (the highest named), 高级职称 → 副高级. Null when no title is recognised.
 */
export function titleLevel(text: string, vocab: Vocabularies = defaultVocabularies()): TitleLevel | null {
  const levels = findSpellings(vocab, 'titleLevel', text).map((e) => (e as TitleEntry).level);
  if (levels.length > 0) return levels.reduce((a, b) => (levelRank(b) > levelRank(a) ? b : a));
  // Only the level itself (高级职称, 中级, 副高): 高级技师 is a skill grade, not a title, and is left
  // for a person to judge.
  const s = vocabKey(text);
  const bare = s.replace(/[()[\]【】,，、;；:：]|职称|专业技术|资格|职务/g, '');
  const marker = LEVEL_WORDS[bare];
  if (marker) return marker;
  const snapped = sureSnap('titleLevel', s, vocab);
  return snapped ? (snapped.entry as TitleEntry).level : null;
}

/** The highest education level named in free text (本科/硕士 → 硕士研究生), or null. */
export function educationOf(
  text: string,
  vocab: Vocabularies = defaultVocabularies(),
): EducationEntry | null {
  const found = findSpellings(vocab, 'education', text) as EducationEntry[];
  if (found.length > 0) return found.reduce((a, b) => (b.rank > a.rank ? b : a));
  const snapped = sureSnap('education', text, vocab);
  return snapped ? (snapped.entry as EducationEntry) : null;
}
