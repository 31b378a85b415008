// Shared fixtures for the matching tests: the fictional sample records and small purpose-built ones.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatSharedTerms } from '../../src/match/explain.js';
import type { MatchResult, Suggestion } from '../../src/match/rank.js';
import { type SubmissionRecord, SubmissionRecordSchema } from '../../src/types.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

export const SAMPLE_RECORD_FILES = ['registration', 'demand', 'problem'].map(
  (f) => `${SAMPLES}records/${f}.json`,
);

export function sampleRecords(): SubmissionRecord[] {
  return SAMPLE_RECORD_FILES.flatMap((file) => {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const list = Array.isArray(json) ? json : (json as { submissions: unknown }).submissions;
    return z.array(SubmissionRecordSchema).parse(list);
  });
}

export interface IntendedMatch {
  demand: string;
  registration: string;
  because: string;
}

export function intendedMatches(): IntendedMatch[] {
  const json = JSON.parse(readFileSync(`${SAMPLES}intended-matches.json`, 'utf8')) as {
    matches: IntendedMatch[];
  };
  return json.matches;
}

/** A record with the given text fields, everything else left out. */
export function record(
  id: string,
  form: SubmissionRecord['form'],
  fields: Record<string, string | null>,
  extra: Partial<SubmissionRecord> = {},
): SubmissionRecord {
  return {
    id,
    form,
    sources: [],
    fields: Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, confidence: 1 }])),
    issues: [],
    ...extra,
  };
}

export interface HitRate {
  n: number;
  top1: number;
  top3: number;
  /** One paragraph per demand whose intended professional is not first: its rank, score, and why the top one won. */
  misses: string[];
}

const brief = (s: Suggestion | undefined): string =>
  s ? `${s.registrationId} ${s.professional} score ${s.score} (raw ${s.rawScore})` : '(none)';

/** How often the intended professional comes first (and in the first three), with the misses explained. */
export function hitRate(result: MatchResult, intended: readonly IntendedMatch[]): HitRate {
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  for (const m of intended) {
    const d = result.demands.find((x) => x.demandId === m.demand);
    const at = d?.suggestions.findIndex((s) => s.registrationId === m.registration) ?? -1;
    if (at === 0) top1++;
    if (at >= 0 && at < 3) top3++;
    if (at === 0) continue;
    const top = d?.suggestions[0];
    const mine = at >= 0 ? d?.suggestions[at] : undefined;
    misses.push(
      `  ${m.demand} ${d?.enterprise ?? '(no such demand)'}: intended ${m.registration} at rank ${at >= 0 ? at + 1 : '— (shares no word)'}` +
        (mine ? `, ${brief(mine)}, shares ${formatSharedTerms(mine.sharedTerms, 'demand', 6)}` : '') +
        `\n    top: ${brief(top)}, shares ${top ? formatSharedTerms(top.sharedTerms, 'demand', 6) : '—'}` +
        `\n    intended because: ${m.because}`,
    );
  }
  return { n: intended.length, top1, top3, misses };
}
