// Stage 6 of the programme (对接): suggests professionals for every enterprise demand and every
// major technical problem. `match` is pure over records; `writeMatchOutput` is the only part that
// touches the disk.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SubmissionRecord } from '../types.js';
import { defaultMatchConfig, type MatchConfig } from './config.js';
import { type MatchResult, rankMatches } from './rank.js';
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

/** Ranks professionals for every demand and problem among the records. */
export function match(records: readonly SubmissionRecord[], ctx: MatchContext = {}): MatchResult {
  return rankMatches(records, {
    config: ctx.config ?? defaultMatchConfig(),
    segmenter: ctx.segmenter,
    top: ctx.top,
  });
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
