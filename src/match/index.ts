// Stage 6 of the programme (对接): suggests professionals for every enterprise demand and every
// major technical problem. `match` is pure over records; `writeMatchOutput` is the only part that
// touches the disk.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateRecord } from '../domain/index.js';
import type { SubmissionRecord } from '../types.js';
import { defaultMatchConfig, type MatchConfig } from './config.js';
import { type MatchResult, rankMatches, type Suggestion } from './rank.js';
import type { Segmenter } from './segment.js';
import { writeSuggestionsWorkbook } from './workbook.js';

export {
  buildMatchConfig,
  DEFAULT_MATCH_CONFIG_FILE,
  defaultMatchConfig,
  loadMatchConfig,
  type MatchConfig,
  type MatchConfigData,
  normalizeTerm,
} from './config.js';
export { displayTerm, fieldLabel, formatSharedTerm, formatSharedTerms } from './explain.js';
export {
  buildQuery,
  type DemandSuggestions,
  type MatchResult,
  type ProblemSuggestions,
  type QueryTerm,
  rankMatches,
  type SharedTerm,
  type Suggestion,
} from './rank.js';
export { createSegmenter, type Segmenter } from './segment.js';
export {
  type Confirmations,
  type ConfirmationWarning,
  DEMAND_SHEET,
  PROBLEM_SHEET,
  type ProjectStub,
  readConfirmations,
  suggestionsWorkbook,
  writeSuggestionsWorkbook,
} from './workbook.js';

export interface MatchContext {
  /** Default: config/match.yaml. */
  config?: MatchConfig;
  segmenter?: Segmenter;
  /** Suggestions per demand or problem (default 5). */
  top?: number;
}

/** Issue codes that make a registration ineligible under the notice (二、1): never suggested. */
export const INELIGIBLE_CODES: ReadonlySet<string> = new Set(['not_eligible_title_or_degree']);

/**
 * Ranks professionals for every demand and problem among the records. A registration the
 * programme's rules find ineligible is left out (listed in `skipped` with the rule's sentence), and
 * so is a pair whose score rounds to 0: nothing in common is not a suggestion.
 */
export function match(records: readonly SubmissionRecord[], ctx: MatchContext = {}): MatchResult {
  const skipped: MatchResult['skipped'] = [];
  const eligible = records.filter((r) => {
    if (r.form !== 'registration' || r.copyOf !== undefined) return true;
    const ineligible = [...r.issues, ...validateRecord(r)].find((i) => INELIGIBLE_CODES.has(i.code));
    if (!ineligible) return true;
    skipped.push({ id: r.id, form: r.form, reason: `不符合申报条件：${ineligible.message}` });
    return false;
  });
  const result = rankMatches(eligible, {
    config: ctx.config ?? defaultMatchConfig(),
    segmenter: ctx.segmenter,
    top: ctx.top,
  });
  const positive = <T extends { suggestions: Suggestion[] }>(item: T): T => ({
    ...item,
    suggestions: item.suggestions.filter((s) => s.score > 0).map((s, i) => ({ ...s, rank: i + 1 })),
  });
  return {
    ...result,
    demands: result.demands.map(positive),
    problems: result.problems.map(positive),
    skipped: [...result.skipped, ...skipped],
  };
}

export interface MatchOutput {
  xlsx: string;
  json: string;
}

/** Writes <outDir>/suggestions.xlsx (for the bureau to mark) and <outDir>/suggestions.json. */
export async function writeMatchOutput(result: MatchResult, outDir: string): Promise<MatchOutput> {
  await mkdir(outDir, { recursive: true });
  const xlsx = join(outDir, 'suggestions.xlsx');
  const json = join(outDir, 'suggestions.json');
  await writeSuggestionsWorkbook(result, xlsx);
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  return { xlsx, json };
}
