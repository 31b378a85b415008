// config/scoring.yaml: the shipped file, and every mistake the schema names with its path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { bandOf, DEFAULT_SCORING_CONFIG, parseScoringConfig } from '../../src/scores/config.js';

const source = readFileSync(DEFAULT_SCORING_CONFIG, 'utf8');
const config = parseScoringConfig(source, DEFAULT_SCORING_CONFIG);

const problem = (patched: string): string => {
  try {
    parseScoringConfig(patched, 'bad.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).exit).toBe('badDataFile');
    expect((err as RunError).message).toContain('bad.yaml');
    return (err as RunError).message;
  }
  throw new Error('expected an error');
};

describe('config/scoring.yaml', () => {
  it('scores the notice’s five criteria out of 100, in bands, with funding tiers within 3–20 万元', () => {
    expect(config.criteria.map((c) => c.name)).toEqual([
      '技术水平',
      '创新程度',
      '难易程度',
      '工作量',
      '经济和社会效益',
    ]);
    expect(config.criteria.reduce((s, c) => s + c.points, 0)).toBe(config.total);
    expect(config.preferences).toEqual([
      '有良好合作基础',
      '目标措施具体明确且切实可行',
      '产值效益好',
      '社会贡献大',
      '发展潜力强',
    ]);
    expect(config.aggregation).toEqual({
      dropExtremesFrom: 5,
      disagreementSpread: 15,
      minExperts: 3,
      decimals: 2,
    });
    for (const t of config.funding.tiers) {
      expect(t.amount).toBeGreaterThanOrEqual(3);
      expect(t.amount).toBeLessThanOrEqual(20);
    }
  });

  it('puts every possible score in exactly one band', () => {
    for (const c of config.criteria) {
      for (let s = 0; s <= c.points; s++) {
        expect(
          c.bands.filter((b) => s >= b.min && s <= b.max),
          `${c.name} ${s}`,
        ).toHaveLength(1);
      }
      expect(bandOf(c, c.points + 1)).toBeUndefined();
    }
  });
});

describe('parseScoringConfig', () => {
  it('names points that do not add up to the total', () => {
    expect(problem(source.replace('points: 15\n', 'points: 16\n'))).toMatch(
      /criteria: the criteria's points add up to 101, not total 100/,
    );
  });

  it('names a gap or an overlap between bands, and a top band short of the points', () => {
    expect(problem(source.replace('{ min: 15, max: 20, label: 良', '{ min: 15, max: 19, label: 良'))).toMatch(
      /criteria\[0\]\.bands\[1\]\.max: must be 20 \(one step below the band above, which starts at 21\)/,
    );
    expect(
      problem(
        source.replace(
          '{ min: 21, max: 25, label: 优, description: 技术',
          '{ min: 21, max: 24, label: 优, description: 技术',
        ),
      ),
    ).toMatch(/criteria\[0\]\.bands\[0\]\.max: the first band must reach the criterion's 25 points/);
  });

  it('names funding outside 3–20 万元 and tiers out of order', () => {
    expect(problem(source.replace('{ minScore: 90, amount: 20 }', '{ minScore: 90, amount: 25 }'))).toMatch(
      /funding\.tiers\[0\]\.amount: must be at most 20 万元/,
    );
    expect(problem(source.replace('{ minScore: 70, amount: 3 }', '{ minScore: 70, amount: 2 }'))).toMatch(
      /at least 3 万元/,
    );
    expect(problem(source.replace('{ minScore: 80, amount: 10 }', '{ minScore: 88, amount: 10 }'))).toMatch(
      /funding\.tiers\[2\]\.minScore: tiers go from the highest score down/,
    );
  });

  it('names unknown keys, a bad step and YAML syntax errors', () => {
    expect(problem(source.replace('total: 100', 'totl: 100'))).toMatch(/totl/);
    expect(problem(source.replace('step: 1', 'step: 2'))).toMatch(/step: must be 1 \(whole points\) or 0\.5/);
    expect(problem(source.replace('preferences:', 'preferences: [\n'))).toMatch(/problem/);
  });

  it('can switch off dropping the extremes', () => {
    const c = parseScoringConfig(source.replace('dropExtremesFrom: 5', 'dropExtremesFrom: null'), 'x.yaml');
    expect(c.aggregation.dropExtremesFrom).toBeNull();
  });
});
