// From checked score entries to a ranking and a funding proposal. Pure: the same entries and
// configuration always give the same result, so the bureau can re-run it after a correction and
// see exactly what moved.
import { FUNDING_MIN } from '../projects/types.js';
import type { ScoringConfig } from './config.js';
import type { ScoreEntry } from './import.js';

export interface ExpertScore {
  expertKey: string;
  expertName: string | null;
  total: number;
  scores: Record<string, number>;
  opinion: string | null;
  /** Left out of the mean as the highest or lowest total (≥ dropExtremesFrom experts). */
  dropped: 'highest' | 'lowest' | null;
}

export type ProjectFlag = 'disagreement' | 'few_experts' | 'no_scores';

export const FLAG_NAMES: Record<ProjectFlag, string> = {
  disagreement: '专家分歧较大，建议复核',
  few_experts: '评分专家人数不足',
  no_scores: '无有效评分',
};

export interface ProjectInfo {
  id: string;
  title?: string;
  enterprise?: string;
  professional?: string;
  /** 万元; caps the proposal. */
  requested?: number | null;
}

export interface ProjectResult {
  projectId: string;
  title: string | null;
  enterprise: string | null;
  professional: string | null;
  experts: ExpertScore[];
  /** Experts whose totals count towards the mean. */
  used: number;
  /** Rounded to the configured decimals; null without scores. */
  mean: number | null;
  /** Mean per criterion over the same experts, rounded likewise. */
  criterionMeans: Record<string, number>;
  min: number | null;
  max: number | null;
  spread: number | null;
  flags: ProjectFlag[];
  /** 1 = best; equal means share a rank. Null without scores. */
  rank: number | null;
  /** The tier's minimum score reached, or null below every tier. */
  tierMinScore: number | null;
  requested: number | null;
  /** Proposed funding in 万元; null when not funded. */
  proposed: number | null;
  /** Why the proposal is what it is, in Chinese. */
  note: string;
}

export interface Aggregation {
  projects: ProjectResult[];
  /** 万元 over all proposals. */
  totalProposed: number;
  budget: number | null;
  dropExtremesFrom: number | null;
}

const round = (v: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round((v + Number.EPSILON) * f) / f;
};

/**
 * Means, flags, ranks and funding. `projects` lists every project being scored (those without any
 * entry appear unranked with the flag no_scores) and supplies titles and requested amounts.
 */
export function aggregateScores(
  entries: readonly ScoreEntry[],
  config: ScoringConfig,
  projects: readonly ProjectInfo[] = [],
): Aggregation {
  const { dropExtremesFrom, disagreementSpread, minExperts, decimals } = config.aggregation;
  const info = new Map(projects.map((p) => [p.id, p]));
  const ids = [...new Set([...projects.map((p) => p.id), ...entries.map((e) => e.projectId)])];

  const results: ProjectResult[] = ids.map((id) => {
    const p = info.get(id);
    // Order by total, then expert key, so which of two equal totals is dropped never depends on file order.
    const mine = entries
      .filter((e) => e.projectId === id)
      .sort((a, b) => a.total - b.total || a.expertKey.localeCompare(b.expertKey));
    const experts: ExpertScore[] = mine.map((e) => ({
      expertKey: e.expertKey,
      expertName: e.expertName,
      total: e.total,
      scores: e.scores,
      opinion: e.opinion,
      dropped: null,
    }));
    if (dropExtremesFrom !== null && experts.length >= dropExtremesFrom) {
      (experts[0] as ExpertScore).dropped = 'lowest';
      (experts[experts.length - 1] as ExpertScore).dropped = 'highest';
    }
    const kept = experts.filter((e) => e.dropped === null);
    const flags: ProjectFlag[] = [];
    const base = {
      projectId: id,
      title: p?.title ?? mine[0]?.projectTitle ?? null,
      enterprise: p?.enterprise ?? null,
      professional: p?.professional ?? null,
      experts: [...experts].sort((a, b) => a.expertKey.localeCompare(b.expertKey)),
      // Never the sheet's 申请经费 column: the expert can type anything there, and it caps the proposal.
      requested: p?.requested ?? null,
      rank: null,
      tierMinScore: null,
      proposed: null,
    };
    if (experts.length === 0) {
      return {
        ...base,
        used: 0,
        mean: null,
        criterionMeans: {},
        min: null,
        max: null,
        spread: null,
        flags: ['no_scores'],
        note: '无有效评分，未排名',
      };
    }
    const totals = experts.map((e) => e.total);
    const min = Math.min(...totals);
    const max = Math.max(...totals);
    const spread = round(max - min, 3);
    if (disagreementSpread !== null && spread > disagreementSpread) flags.push('disagreement');
    if (experts.length < minExperts) flags.push('few_experts');
    const mean = round(kept.reduce((s, e) => s + e.total, 0) / kept.length, decimals);
    const criterionMeans: Record<string, number> = {};
    for (const c of config.criteria) {
      criterionMeans[c.key] = round(
        kept.reduce((s, e) => s + (e.scores[c.key] ?? 0), 0) / kept.length,
        decimals,
      );
    }
    return { ...base, used: kept.length, mean, criterionMeans, min, max, spread, flags, note: '' };
  });

  // Rank by mean (as printed), ties share a rank; unscored projects go last, unranked.
  results.sort((a, b) => (b.mean ?? -1) - (a.mean ?? -1) || a.projectId.localeCompare(b.projectId));
  let previous: number | null = null;
  let rank = 0;
  results.forEach((r, i) => {
    if (r.mean === null) return;
    if (r.mean !== previous) rank = i + 1;
    previous = r.mean;
    r.rank = rank;
  });

  const budget = config.funding.budget;
  let remaining = budget ?? Number.POSITIVE_INFINITY;
  for (const r of results) {
    if (r.mean === null) continue;
    const mean = r.mean;
    const tier = config.funding.tiers.find((t) => mean >= t.minScore);
    const notes: string[] = [];
    if (!tier) {
      const lowest = config.funding.tiers[config.funding.tiers.length - 1];
      r.note = `平均分低于 ${lowest?.minScore ?? '—'} 分，不予资助`;
      continue;
    }
    r.tierMinScore = tier.minScore;
    let amount = tier.amount;
    notes.push(`≥${tier.minScore} 分档 ${tier.amount} 万元`);
    if (r.requested !== null && r.requested < amount) {
      amount = r.requested;
      notes.push(`以申请额 ${r.requested} 万元为限`);
    }
    if (amount > remaining) {
      if (remaining >= FUNDING_MIN) {
        notes.push(`预算仅余 ${round(remaining, 2)} 万元`);
        amount = remaining;
      } else {
        notes.push('预算已用完，不予资助');
        r.note = notes.join('；');
        continue;
      }
    }
    remaining -= amount;
    r.proposed = round(amount, 2);
    if (r.flags.includes('disagreement')) notes.push(FLAG_NAMES.disagreement);
    if (r.flags.includes('few_experts')) notes.push(FLAG_NAMES.few_experts);
    r.note = notes.join('；');
  }
  for (const r of results) {
    if (
      r.proposed === null &&
      r.mean !== null &&
      r.flags.includes('disagreement') &&
      !r.note.includes('复核')
    ) {
      r.note = [r.note, FLAG_NAMES.disagreement].filter(Boolean).join('；');
    }
  }

  const totalProposed = round(
    results.reduce((s, r) => s + (r.proposed ?? 0), 0),
    2,
  );
  return { projects: results, totalProposed, budget, dropExtremesFrom };
}
