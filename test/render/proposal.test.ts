// 评审结果与经费建议 as a document: every project scored is listed, one that could not be ranked
// with the reason; the template asks only for what the plan gives.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjects } from '../../src/projects/types.js';
import { tagsNotProvided, templatePathOf } from '../../src/render/documents.js';
import { planProposal } from '../../src/render/proposal.js';
import { aggregateScores } from '../../src/scores/aggregate.js';
import { loadScoringConfig } from '../../src/scores/config.js';
import { importScores, projectInfo } from '../../src/scores/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('planProposal', () => {
  it('lists every project, an unrankable one with its reason, and the total', async () => {
    const config = await loadScoringConfig();
    const projects = await loadProjects(join(ROOT, 'samples/projects.json'));
    const files = ['scores-a.xlsx', 'scores-b.xlsx'].map((f) => join(ROOT, 'samples/scores', f));
    const { entries } = await importScores(files, { config, projects });
    // 2020-XT-008 has no score at all: it must still appear, with why it has no rank.
    const aggregation = aggregateScores(entries, config, projects.map(projectInfo));
    const { data } = planProposal(aggregation, projects, '2020-09-15');
    const rows = data.rows as { id: string; rank: string; note: string; proposed: string }[];
    expect(rows.map((r) => r.id).sort()).toEqual(projects.map((p) => p.id).sort());
    const unranked = rows.find((r) => r.id === '2020-XT-008');
    expect(unranked?.rank).toBe('—');
    expect(unranked?.note).toMatch(/^未能排序：/);
    expect(unranked?.proposed).toBe('不资助');
    expect(data.summary).toMatch(/参加评审项目 9 个，排序 8 个（1 个未能排序/);
    expect(data.total).toBe(`建议资助合计 ${aggregation.totalProposed} 万元。`);
    expect(data.date).toBe('2020年9月15日');
    expect(tagsNotProvided(readFileSync(templatePathOf('proposal')), data, 'proposal.docx')).toEqual([]);
  });
});
