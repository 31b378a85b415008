// Means, dropped extremes, disagreement, ranks and the funding proposal: pure functions on entries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregateScores } from '../../src/scores/aggregate.js';
import { DEFAULT_SCORING_CONFIG, parseScoringConfig, type ScoringConfig } from '../../src/scores/config.js';
import type { ScoreEntry } from '../../src/scores/import.js';

const config = parseScoringConfig(readFileSync(DEFAULT_SCORING_CONFIG, 'utf8'), 'scoring.yaml');
const withConfig = (patch: (c: ScoringConfig) => ScoringConfig) => patch(structuredClone(config));

/** An entry whose criteria share the total in proportion to their points. */
function entry(projectId: string, expertKey: string, total: number): ScoreEntry {
  const scores: Record<string, number> = {};
  for (const c of config.criteria) scores[c.key] = (total * c.points) / config.total;
  return {
    workbook: 'w.xlsx',
    sheet: expertKey,
    expertKey,
    expertName: null,
    projectId,
    projectTitle: `项目${projectId}`,
    scores,
    total,
    opinion: null,
    date: null,
  };
}

const panel = (projectId: string, totals: number[]) =>
  totals.map((t, i) => entry(projectId, `E0${i + 1}`, t));

describe('aggregateScores', () => {
  it('drops the highest and the lowest total with five experts, and not with four', () => {
    const five = aggregateScores(panel('A', [70, 80, 85, 90, 99]), config).projects[0];
    expect(five?.mean).toBe(85);
    expect(five?.used).toBe(3);
    expect(five?.experts.map((e) => e.dropped)).toEqual(['lowest', null, null, null, 'highest']);
    expect(five?.criterionMeans.technicalLevel).toBe(21.25);
    const four = aggregateScores(panel('A', [70, 80, 85, 90]), config).projects[0];
    expect(four?.mean).toBe(81.25);
    expect(four?.experts.every((e) => e.dropped === null)).toBe(true);
    const never = aggregateScores(
      panel('A', [70, 80, 85, 90, 99]),
      withConfig((c) => ({ ...c, aggregation: { ...c.aggregation, dropExtremesFrom: null } })),
    );
    expect(never.projects[0]?.mean).toBe(84.8);
  });

  it('drops only one of two equal extremes, the same one whatever the file order', () => {
    const entries = panel('A', [80, 80, 85, 90, 90]);
    const a = aggregateScores(entries, config).projects[0];
    const b = aggregateScores([...entries].reverse(), config).projects[0];
    expect(a?.experts.map((e) => e.dropped)).toEqual(['lowest', null, null, null, 'highest']);
    expect(b?.experts).toEqual(a?.experts);
    expect(a?.mean).toBe(85);
  });

  it('flags disagreement beyond the configured spread, and too few experts', () => {
    const r = aggregateScores(
      [...panel('A', [60, 80, 85, 88, 90]), ...panel('B', [80, 82])],
      config,
    ).projects;
    expect(r.find((p) => p.projectId === 'A')?.flags).toEqual(['disagreement']);
    expect(r.find((p) => p.projectId === 'A')?.spread).toBe(30);
    expect(r.find((p) => p.projectId === 'B')?.flags).toEqual(['few_experts']);
    expect(r.find((p) => p.projectId === 'A')?.note).toContain('建议复核');
  });

  it('ranks by mean, equal means sharing a rank, unscored projects last and unranked', () => {
    const r = aggregateScores(
      [...panel('A', [80, 80, 80]), ...panel('B', [90, 90, 90]), ...panel('C', [80, 80, 80])],
      config,
      [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D', title: '没有评分' }],
    ).projects;
    expect(r.map((p) => [p.projectId, p.rank])).toEqual([
      ['B', 1],
      ['A', 2],
      ['C', 2],
      ['D', null],
    ]);
    expect(r[3]?.flags).toEqual(['no_scores']);
  });

  it('proposes the tier’s amount, capped by the request, nothing below the last tier', () => {
    const r = aggregateScores(
      [
        ...panel('A', [92, 92, 92]),
        ...panel('B', [86, 86, 86]),
        ...panel('C', [71, 71, 71]),
        ...panel('D', [60, 60, 60]),
      ],
      config,
      [{ id: 'A', requested: 12 }, { id: 'B' }, { id: 'C', requested: 8 }, { id: 'D', requested: 10 }],
    );
    expect(r.projects.map((p) => [p.projectId, p.proposed])).toEqual([
      ['A', 12],
      ['B', 15],
      ['C', 3],
      ['D', null],
    ]);
    expect(r.projects[0]?.note).toBe('≥90 分档 20 万元；以申请额 12 万元为限');
    expect(r.projects[3]?.note).toBe('平均分低于 70 分，不予资助');
    expect(r.totalProposed).toBe(30);
  });

  it('funds in rank order within a budget, giving the remainder if it is at least 3 万元', () => {
    const budgeted = withConfig((c) => ({ ...c, funding: { ...c.funding, budget: 37 } }));
    const r = aggregateScores(
      [
        ...panel('A', [95, 95, 95]),
        ...panel('B', [91, 91, 91]),
        ...panel('C', [88, 88, 88]),
        ...panel('D', [86, 86, 86]),
      ],
      budgeted,
    );
    expect(r.projects.map((p) => p.proposed)).toEqual([20, 17, null, null]);
    expect(r.projects[1]?.note).toContain('预算仅余 17 万元');
    expect(r.projects[2]?.note).toContain('预算已用完');
    expect(r.totalProposed).toBe(37);
  });
});
