// The ranking: a pure function from records to suggestions, so that a JSON file today and the
// store tomorrow can feed it alike. BM25F over the professionals' registrations (expertise,
// planned work, team name, profile, each with its weight), queried by each demand's or problem's
// words weighted by the field they come from, with synonyms of those words at a lower weight.
// Every point of a score is traced to a shared word and the fields it came from, so a clerk can
// see why a professional was suggested and overrule it.
import type { FieldValue, SubmissionRecord } from '../types.js';
import type { MatchConfig } from './config.js';
import { createSegmenter, type Segmenter } from './segment.js';

/** One word that links the two sides, and what it adds to the score. */
export interface SharedTerm {
  /** The word as it occurs in the demand (or problem). */
  term: string;
  /** The words of the registration it met: itself, or those of its synonyms that occur there. */
  matched: string[];
  via: 'same' | 'synonym';
  /** Field keys of the demand (or problem) the word occurs in. */
  queryFields: string[];
  /** Field keys of the registration the matched word occurs in. */
  docFields: string[];
  /** Points added to the raw score. */
  contribution: number;
}

export interface Suggestion {
  /** 1-based rank within its demand (or problem). */
  rank: number;
  registrationId: string;
  /** The professional's name (the team leader's, for a team). */
  professional: string;
  team: string | null;
  /** The unit that sends the professional (填报单位, else 现工作单位及职务). */
  unit: string | null;
  professionalTitle: string | null;
  /** 0–100: share of the score a registration using every word of the demand would reach. */
  score: number;
  rawScore: number;
  /** Largest contribution first. */
  sharedTerms: SharedTerm[];
}

export interface DemandSuggestions {
  kind: 'demand';
  demandId: string;
  enterprise: string;
  suggestions: Suggestion[];
  /** Why there are no suggestions, when there are none. */
  note?: string;
}

export interface ProblemSuggestions {
  kind: 'problem';
  problemId: string;
  title: string;
  /** Who submitted the problem (填报单位). */
  unit: string | null;
  suggestions: Suggestion[];
  note?: string;
}

export interface MatchResult {
  demands: DemandSuggestions[];
  problems: ProblemSuggestions[];
  /** Registrations ranked (second copies of a form and registrations without text left out). */
  professionals: number;
  /** Records left out of the ranking, and why. */
  skipped: { id: string; form: SubmissionRecord['form']; reason: string }[];
}

export interface RankOptions {
  config: MatchConfig;
  /** Defaults to one built from `config`. */
  segmenter?: Segmenter;
  /** Suggestions kept per demand or problem (default 5). */
  top?: number;
}

interface AnalysedField {
  terms: Map<string, number>;
  length: number;
}

interface Doc {
  record: SubmissionRecord;
  fields: Map<string, AnalysedField>;
}

/**
 * One thing a registration is searched for: a word of the demand itself ('same'), or the synonyms
 * of one of its words taken together ('synonym'), so that a professional using five words of a
 * group is not counted five times for one word of the demand.
 */
export interface QueryTerm {
  /** The demand's own word. */
  origin: string;
  /** The words looked for: [origin], or the origin's synonyms. */
  terms: string[];
  weight: number;
  via: 'same' | 'synonym';
  queryFields: string[];
}

const text = (v: FieldValue | undefined): string | null =>
  typeof v?.value === 'string' && v.value.trim() !== '' ? v.value : null;

const fieldText = (r: SubmissionRecord, key: string): string | null => text(r.fields[key]);

function analyse(record: SubmissionRecord, weights: ReadonlyMap<string, number>, seg: Segmenter) {
  const fields = new Map<string, AnalysedField>();
  for (const key of weights.keys()) {
    const t = fieldText(record, key);
    if (t === null) continue;
    const terms = seg.terms(t);
    if (terms.size === 0) continue;
    fields.set(key, { terms, length: seg.words(t).length });
  }
  return fields;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Ranks the professionals for every demand and every problem among `records`. Pure. */
export function rankMatches(records: readonly SubmissionRecord[], options: RankOptions): MatchResult {
  const { config } = options;
  const seg = options.segmenter ?? createSegmenter(config);
  const top = options.top ?? 5;
  const { k1, b } = config.data.bm25;
  const skipped: MatchResult['skipped'] = [];

  // A form handed in 一式二份 is one submission: its second copy must not be suggested twice.
  const originals = records.filter((r) => {
    if (r.copyOf === undefined) return true;
    skipped.push({ id: r.id, form: r.form, reason: `第二份（copyOf ${r.copyOf}）/ second copy` });
    return false;
  });

  const docWeights = config.weights.registration;
  const docs: Doc[] = [];
  for (const record of originals.filter((r) => r.form === 'registration').sort(byId)) {
    const fields = analyse(record, docWeights, seg);
    if (fields.size === 0) {
      skipped.push({
        id: record.id,
        form: record.form,
        reason: '报名表没有可匹配的内容（擅长领域、业绩、拟开展工作均空）/ no text to match',
      });
      continue;
    }
    docs.push({ record, fields });
  }

  // Average length per field over all registrations (a blank field counts as length 0), as BM25F does.
  const avgLength = new Map<string, number>();
  for (const key of docWeights.keys()) {
    const total = docs.reduce((sum, d) => sum + (d.fields.get(key)?.length ?? 0), 0);
    avgLength.set(key, docs.length > 0 ? total / docs.length : 0);
  }

  // Weighted, length-normalised term frequency per registration and term (BM25F's pseudo-tf).
  const pseudoTf = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const [key, f] of d.fields) {
      const w = docWeights.get(key) ?? 0;
      const avg = avgLength.get(key) || 1;
      const norm = 1 - b + (b * f.length) / avg;
      for (const [term, n] of f.terms) tf.set(term, (tf.get(term) ?? 0) + (w * n) / norm);
    }
    return tf;
  });

  const n = docs.length;
  // BM25's idf over the registrations; for a synonym group, a registration counts if it uses any of them.
  const idfCache = new Map<string, number>();
  const idf = (terms: readonly string[]): number => {
    const key = terms.join('\n');
    let value = idfCache.get(key);
    if (value === undefined) {
      const k = pseudoTf.filter((tf) => terms.some((t) => tf.has(t))).length;
      value = Math.log(1 + (n - k + 0.5) / (k + 0.5));
      idfCache.set(key, value);
    }
    return value;
  };
  const fullScoreAt = config.data.fullScoreAt;

  const rankFor = (query: SubmissionRecord): { suggestions: Suggestion[]; empty: boolean } => {
    const terms = buildQuery(query, config, seg);
    if (terms.length === 0) return { suggestions: [], empty: true };
    const idfs = terms.map((q) => idf(q.terms));
    // The score of a registration that used every one of the demand's own words, often: the
    // yardstick for the 0–100 score, so that a short demand is not judged against a long one.
    const ideal = terms.reduce(
      (sum, q, i) => (q.via === 'same' ? sum + q.weight * (idfs[i] ?? 0) * (k1 + 1) : sum),
      0,
    );

    // Contribution of query term j to registration i (0 when it shares nothing).
    const contributionOf = (i: number, j: number): { value: number; matched: string[] } => {
      const tf = pseudoTf[i] as Map<string, number>;
      const q = terms[j] as QueryTerm;
      const matched = q.terms.filter((t) => (tf.get(t) ?? 0) > 0);
      if (matched.length === 0) return { value: 0, matched };
      const t = matched.reduce((sum, m) => sum + (tf.get(m) ?? 0), 0);
      return { value: q.weight * (idfs[j] ?? 0) * ((t * (k1 + 1)) / (t + k1)), matched };
    };
    const scored = docs.map((doc, i) => ({
      doc,
      i,
      raw: terms.reduce((sum, _q, j) => sum + contributionOf(i, j).value, 0),
    }));
    // Only the suggestions shown are explained: the explanation costs more than the score.
    const explain = (i: number, doc: Doc): SharedTerm[] => {
      const shared: SharedTerm[] = [];
      terms.forEach((q, j) => {
        const { value, matched } = contributionOf(i, j);
        if (value <= 0) return;
        shared.push({
          term: q.origin,
          matched,
          via: q.via,
          queryFields: q.queryFields,
          docFields: [...doc.fields]
            .filter(([, f]) => matched.some((m) => f.terms.has(m)))
            .map(([key]) => key),
          contribution: value,
        });
      });
      return shared.sort((x, y) => y.contribution - x.contribution || (x.term < y.term ? -1 : 1));
    };

    const suggestions = scored
      .filter((s) => s.raw > 0)
      .sort((x, y) => y.raw - x.raw || byId(x.doc.record, y.doc.record))
      .slice(0, top)
      .map((s, i): Suggestion => {
        const r = s.doc.record;
        return {
          rank: i + 1,
          registrationId: r.id,
          professional: fieldText(r, 'name') ?? r.id,
          team: fieldText(r, 'teamName'),
          unit: fieldText(r, 'fillingUnit') ?? fieldText(r, 'employerAndPosition'),
          professionalTitle: fieldText(r, 'professionalTitle'),
          score: ideal > 0 ? Math.min(100, Math.round((100 * s.raw) / (ideal * fullScoreAt))) : 0,
          rawScore: round(s.raw),
          sharedTerms: explain(s.i, s.doc).map((t) => ({ ...t, contribution: round(t.contribution) })),
        };
      });
    return { suggestions, empty: false };
  };

  const demands: DemandSuggestions[] = originals
    .filter((r) => r.form === 'demand')
    .sort(byId)
    .map((r) => {
      const { suggestions, empty } = rankFor(r);
      return {
        kind: 'demand',
        demandId: r.id,
        enterprise: fieldText(r, 'companyName') ?? fieldText(r, 'fillingUnit') ?? r.id,
        suggestions,
        ...noteFor(empty, suggestions, docs.length),
      };
    });

  const problems: ProblemSuggestions[] = originals
    .filter((r) => r.form === 'problem')
    .sort(byId)
    .map((r) => {
      const { suggestions, empty } = rankFor(r);
      return {
        kind: 'problem',
        problemId: r.id,
        title: fieldText(r, 'title') ?? r.id,
        unit: fieldText(r, 'fillingUnit'),
        suggestions,
        ...noteFor(empty, suggestions, docs.length),
      };
    });

  return { demands, problems, professionals: docs.length, skipped };
}

function noteFor(empty: boolean, suggestions: Suggestion[], professionals: number): { note?: string } {
  if (empty) return { note: '表中没有可匹配的内容 / nothing to match in this form' };
  if (professionals === 0) return { note: '没有可匹配的报名表 / no registrations to match against' };
  if (suggestions.length === 0)
    return { note: '没有与之有共同词语的人才 / no professional shares a word with it' };
  return {};
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The words of a demand or problem with their weights: each field adds its weight once per word
 * (a word repeated inside one field is not more important for it), then every synonym of a word
 * that the demand does not use itself joins at `synonymWeight` of the word's weight.
 */
export function buildQuery(record: SubmissionRecord, config: MatchConfig, seg: Segmenter): QueryTerm[] {
  const weights = config.weights[record.form];
  const own = new Map<string, { weight: number; fields: string[] }>();
  for (const [key, w] of weights) {
    const t = fieldText(record, key);
    if (t === null) continue;
    for (const [term, tf] of seg.terms(t)) {
      const entry = own.get(term) ?? { weight: 0, fields: [] };
      entry.weight += w * Math.min(tf, 1);
      entry.fields.push(key);
      own.set(term, entry);
    }
  }
  const terms: QueryTerm[] = [...own].map(([term, e]) => ({
    origin: term,
    terms: [term],
    weight: e.weight,
    via: 'same',
    queryFields: e.fields,
  }));
  // Each synonym goes to the heaviest of the demand's words it is a synonym of, so it counts once.
  const owner = new Map<string, QueryTerm>();
  for (const q of terms) {
    for (const syn of config.synonyms.get(q.origin) ?? []) {
      if (own.has(syn)) continue;
      const prev = owner.get(syn);
      if (prev && (prev.weight > q.weight || (prev.weight === q.weight && prev.origin < q.origin))) continue;
      owner.set(syn, q);
    }
  }
  const groups = new Map<QueryTerm, string[]>();
  for (const [syn, q] of owner) groups.set(q, [...(groups.get(q) ?? []), syn]);
  const synonymTerms: QueryTerm[] = [...groups].map(([q, syns]) => ({
    origin: q.origin,
    terms: syns.sort(),
    weight: q.weight * config.data.synonymWeight,
    via: 'synonym',
    queryFields: q.queryFields,
  }));
  return [...terms, ...synonymTerms.filter((q) => q.weight > 0)].sort(
    (x, y) => (x.origin < y.origin ? -1 : x.origin > y.origin ? 1 : 0) || (x.via < y.via ? -1 : 1),
  );
}
