// The config the bureau edits: checked at load, synonyms expand a demand's words at a lower weight.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RunError } from '../../src/errors.js';
import {
  buildMatchConfig,
  defaultMatchConfig,
  loadMatchConfig,
  type MatchConfigData,
  MatchConfigSchema,
} from '../../src/match/config.js';
import { buildQuery } from '../../src/match/rank.js';
import { createSegmenter } from '../../src/match/segment.js';
import { record } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-match-config-'));
const base = defaultMatchConfig();
const withData = (patch: Partial<MatchConfigData>) => ({ ...base.data, ...patch });

function loadPatched(name: string, data: unknown): () => unknown {
  const file = join(dir, name);
  writeFileSync(file, typeof data === 'string' ? data : stringify(data));
  return () => loadMatchConfig(file);
}

describe('config/match.yaml', () => {
  it('loads, and its synonym groups are symmetric', () => {
    const { synonyms } = base;
    expect(synonyms.get('窑炉')).toContain('隧道窑');
    expect(synonyms.get('隧道窑')).toContain('窑炉');
    expect(synonyms.get('3d打印')).toContain('增材制造');
    expect(synonyms.get('增材制造')).toContain('3d打印');
    expect(synonyms.get('釉料')).toContain('釉面');
    expect(synonyms.get('花面')).toContain('贴花');
    expect(synonyms.get('节能')).toContain('能耗');
  });

  it('reads word lists written as text, separated by spaces, line breaks or 、', () => {
    expect(base.dictionary).toContain('低温快烧');
    expect(base.stopWords.has('希望')).toBe(true);
    const config = buildMatchConfig(
      MatchConfigSchema.parse({
        ...base.data,
        dictionary: { 试验: '甲乙窑、丙丁釉\n戊己瓷' },
        stopWords: '的 了',
      }),
    );
    expect(config.dictionary).toEqual(expect.arrayContaining(['甲乙窑', '丙丁釉', '戊己瓷']));
    expect([...config.stopWords]).toEqual(['的', '了']);
  });

  it('puts every synonym into the segmentation dictionary', () => {
    for (const w of base.synonyms.keys()) expect(base.dictionary).toContain(w);
  });

  it.each([
    [
      'a misspelt field',
      { weights: { ...base.data.weights, demand: { 'needs.problem': 1 } } },
      /needs\.problem/,
    ],
    ['a word both in the dictionary and a stop word', { stopWords: ['隧道窑'] }, /隧道窑/],
    ['a one-word synonym group', { synonyms: [['窑炉']] }, /synonyms\.0/],
    ['an unknown key', { synonym: [] }, /synonym/],
    ['a weight out of range', { synonymWeight: 3 }, /synonymWeight/],
  ])('rejects %s with badDataFile, naming it', (_name, patch, pattern) => {
    const load = loadPatched(`bad-${_name}.yaml`, withData(patch as Partial<MatchConfigData>));
    expect(load).toThrow(RunError);
    expect(load).toThrow(pattern);
    try {
      load();
    } catch (err) {
      expect((err as RunError).exit).toBe('badDataFile');
    }
  });

  it('rejects a file that is not YAML', () => {
    expect(loadPatched('broken.yaml', 'weights: [')).toThrow(/not valid YAML/);
  });
});

describe('synonym expansion', () => {
  const seg = createSegmenter(base);
  const demand = record('d', 'demand', {
    'needs.problems': '窑炉结构改造',
    'needs.urgentTalent': '窑炉热工人才',
  });
  const query = buildQuery(demand, base, seg);

  it('keeps the demand’s own words at their field weights', () => {
    const own = query.find((q) => q.origin === '窑炉' && q.via === 'same');
    expect(own?.terms).toEqual(['窑炉']);
    // 窑炉 is written in two fields: each adds its weight once
    expect(own?.weight).toBe(
      (base.weights.demand.get('needs.problems') ?? 0) + (base.weights.demand.get('needs.urgentTalent') ?? 0),
    );
    expect(own?.queryFields).toEqual(['needs.problems', 'needs.urgentTalent']);
  });

  it('adds the synonyms the demand does not use itself, together, at synonymWeight', () => {
    const own = query.find((q) => q.origin === '窑炉' && q.via === 'same');
    const syn = query.find((q) => q.origin === '窑炉' && q.via === 'synonym');
    expect(syn?.terms).toContain('隧道窑');
    expect(syn?.terms).toContain('烧成');
    // 热工 is the demand's own word: it is searched for as itself, not as a synonym of 窑炉
    expect(syn?.terms).not.toContain('热工');
    expect(syn?.weight).toBeCloseTo((own?.weight ?? 0) * base.data.synonymWeight);
  });

  it('gives each synonym to one word only, so it is not counted twice', () => {
    const seen = new Map<string, string>();
    for (const q of query.filter((x) => x.via === 'synonym')) {
      for (const t of q.terms) {
        expect(seen.has(t), `${t} expands both ${seen.get(t)} and ${q.origin}`).toBe(false);
        seen.set(t, q.origin);
      }
    }
  });

  it('expands nothing when synonymWeight is 0', () => {
    const config = buildMatchConfig(withData({ synonymWeight: 0 }));
    expect(buildQuery(demand, config, createSegmenter(config)).every((q) => q.via === 'same')).toBe(true);
  });
});
