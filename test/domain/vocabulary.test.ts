import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_VOCABULARIES_FILE,
  defaultVocabularies,
  editDistance,
  educationOf,
  loadVocabularies,
  snap,
  titleLevel,
} from '../../src/domain/vocabulary.js';
import { RunError } from '../../src/errors.js';

describe('config/vocabularies.yaml', () => {
  it('loads and holds what the notice and forms name', () => {
    const v = loadVocabularies();
    expect(v.file).toBe(DEFAULT_VOCABULARIES_FILE);
    const names = (k: keyof typeof v.data) => v.data[k].map((e) => e.name);
    expect(names('district')).toEqual(
      expect.arrayContaining(['珠山区', '昌江区', '浮梁县', '乐平市', '高新区']),
    );
    expect(names('industry')).toEqual(expect.arrayContaining(['陶瓷', '航空', '医药化工', '电子信息']));
    expect(names('recommendingUnit')).toEqual(expect.arrayContaining(['景德镇陶瓷大学', '景德镇学院']));
    expect(v.data.education.filter((e) => e.graduate).map((e) => e.name)).toEqual([
      '硕士研究生',
      '博士研究生',
    ]);
  });
});

describe('loadVocabularies: a bad file is named with the bad key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xietong-vocab-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const minimal = `
district: [{ name: 珠山区, kind: district }]
education: [{ name: 本科, rank: 3, graduate: false }]
titleLevel: [{ name: 讲师, level: 中级 }]
industry: [{ name: 陶瓷 }]
recommendingUnit: [{ name: 景德镇学院 }]
`;
  const failure = (file: string): RunError => {
    try {
      loadVocabularies(file);
    } catch (err) {
      if (err instanceof RunError) return err;
      throw err;
    }
    throw new Error('expected a RunError');
  };

  it('accepts a minimal file', () => {
    const v = loadVocabularies(write('ok.yaml', minimal));
    expect(snap('district', '珠山区', { vocabularies: v })?.canonical).toBe('珠山区');
  });

  it('names an invalid level', () => {
    const file = write('level.yaml', minimal.replace('level: 中级', 'level: 中等'));
    const err = failure(file);
    expect(err.exit).toBe('badDataFile');
    expect(err.message).toContain(file);
    expect(err.message).toContain('titleLevel.0.level');
  });

  it('names a missing vocabulary and an unknown key', () => {
    const err = failure(write('missing.yaml', minimal.replace(/^industry.*$/m, 'industries: []')));
    expect(err.message).toContain('industry');
    expect(err.message).toContain('industries');
  });

  it('names a spelling used by two entries', () => {
    const file = write(
      'dup.yaml',
      minimal.replace('[{ name: 陶瓷 }]', '[{ name: 陶瓷 }, { name: 瓷业, aliases: [陶瓷] }]'),
    );
    expect(failure(file).message).toMatch(/industry\.1 \(瓷业\).*陶瓷/);
  });

  it('refuses to guess between two equally close entries', () => {
    const file = write(
      'tie.yaml',
      minimal.replace('[{ name: 陶瓷 }]', '[{ name: 陶瓷材料 }, { name: 陶瓷机械 }]'),
    );
    const v = loadVocabularies(file);
    expect(snap('industry', '陶瓷机料', { vocabularies: v })).toBeNull();
    expect(snap('industry', '陶瓷机械', { vocabularies: v })?.canonical).toBe('陶瓷机械');
  });

  it('reads the longest title at each position, whatever the file order', () => {
    const file = write(
      'order.yaml',
      minimal.replace(
        '[{ name: 讲师, level: 中级 }]',
        '[{ name: 研究员, level: 正高级 }, { name: 研究员助理, level: 初级 }]',
      ),
    );
    const v = loadVocabularies(file);
    expect(titleLevel('研究员助理', v)).toBe('初级');
    expect(titleLevel('研究员', v)).toBe('正高级');
  });

  it('reports broken YAML and a missing file', () => {
    expect(failure(write('broken.yaml', 'district: [\n')).message).toContain('not valid YAML');
    expect(failure(join(dir, 'nope.yaml')).message).toContain('cannot read');
  });
});

describe('editDistance', () => {
  it.each([
    ['陶瓷', '陶瓷', 0],
    ['陶资', '陶瓷', 1],
    ['景德镇陶瓷大', '景德镇陶瓷大学', 1],
    ['abc', 'xyz', 3],
    ['', '珠山区', 3],
    ['𠀀区', '珠区', 1],
  ])('%s ↔ %s = %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));

  it('gives up above the limit', () => {
    expect(editDistance('景德镇陶瓷大学', '江西陶瓷工艺美术职业技术学院', 2)).toBe(3);
  });
});

describe('snap', () => {
  const v = defaultVocabularies();
  it.each([
    // [vocabulary, text, canonical, distance, viaAlias]
    ['district', '珠山区', '珠山区', 0, false],
    ['district', '珠山', '珠山区', 0, true],
    ['district', '景德镇高新区', '高新区', 0, true],
    ['district', '景德镇高新技术产业开发区', '高新区', 0, true],
    ['district', '陶瓷工业园', '陶瓷工业园区', 0, true],
    ['district', '昌 江 区', '昌江区', 0, false],
    ['district', '乐平巿', '乐平市', 1, false],
    ['industry', '陶资', '陶瓷', 1, false],
    ['industry', '医药化工', '医药化工', 0, false],
    ['industry', '家电', '家用电器', 0, true],
    ['recommendingUnit', '景德镇陶资大学', '景德镇陶瓷大学', 1, false],
    ['recommendingUnit', '景德镇陶瓷学院', '景德镇陶瓷大学', 0, true],
    ['recommendingUnit', '江西陶瓷工艺美术职业技术学', '江西陶瓷工艺美术职业技术学院', 1, false],
    ['recommendingUnit', '中国轻工业陶瓷研究听', '中国轻工业陶瓷研究所', 1, false],
    ['education', '硕士', '硕士研究生', 0, true],
    ['education', '大学本科', '本科', 0, true],
    ['titleLevel', '高工', '高级工程师', 0, true],
  ] as const)('%s: %s → %s', (vocab, text, canonical, distance, viaAlias) => {
    const r = snap(vocab, text, { vocabularies: v });
    expect(r).toMatchObject({ canonical, distance, viaAlias });
  });

  it('marks OCR look-alike corrections', () => {
    expect(snap('industry', '陶资', { vocabularies: v })?.lookalike).toBe(true);
    expect(snap('industry', '陶瓷', { vocabularies: v })?.lookalike).toBe(false);
  });

  it.each([
    ['industry', '航天'], // one edit from 航空 but a different word: too short to guess
    ['district', '南昌市'],
    ['industry', '房地产'],
    ['district', ''],
  ] as const)('%s: %s → nothing', (vocab, text) => {
    expect(snap(vocab, text, { vocabularies: v })).toBeNull();
  });

  it('honours maxDistance', () => {
    expect(snap('recommendingUnit', '景德镇陶资大学', { vocabularies: v, maxDistance: 0 })).toBeNull();
  });
});

describe('titleLevel', () => {
  it.each([
    ['助教', '初级'],
    ['讲师', '中级'],
    ['副教授', '副高级'],
    ['教授', '正高级'],
    ['副教授（副高）', '副高级'],
    ['助理工程师', '初级'],
    ['工程师', '中级'],
    ['高级工程师', '副高级'],
    ['正高级工程师', '正高级'],
    ['教授级高级工程师', '正高级'],
    ['助理研究员', '中级'],
    ['副研究员', '副高级'],
    ['研究员', '正高级'],
    ['实验师', '中级'],
    ['高级实验师', '副高级'],
    ['工艺美术师', '中级'],
    ['高级工艺美术师', '副高级'],
    ['正高级工艺美术师', '正高级'],
    ['讲师、高级工艺美术师', '副高级'],
    ['中级职称', '中级'],
    ['高级职称', '副高级'],
    ['正高', '正高级'],
    ['员级', '初级'],
    // A misspelt title is left to ingest's snapping or a person, not guessed here.
    ['高级工程帅', null],
    ['（中级）', '中级'],
    ['技师', null],
    ['高级技师', null],
    ['无职称', null],
  ])('%s → %s', (text, level) => expect(titleLevel(text)).toBe(level));
});

describe('educationOf', () => {
  it.each([
    ['本科', '本科', false],
    ['大学本科', '本科', false],
    ['硕士', '硕士研究生', true],
    ['研究生', '硕士研究生', true],
    ['博士研究生', '博士研究生', true],
    ['本科/硕士', '硕士研究生', true],
    ['工学博士', '博士研究生', true],
    ['大专', '大专', false],
    ['专科', '大专', false],
  ])('%s → %s', (text, name, graduate) => {
    expect(educationOf(text)).toMatchObject({ name, graduate });
  });

  it('returns null for text it does not know', () => {
    expect(educationOf('自学成才')).toBeNull();
  });
});
