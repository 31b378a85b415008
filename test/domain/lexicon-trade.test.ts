// Look-alike repair driven by the trades' vocabulary and the glyph-generated look-alike table, not
// by misreads of our samples. Every text here is written for the test; every pair it relies on is
// checked to be in the generated table (and not only in the hand-listed one).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeLookalikes } from '../../scripts/make-lookalikes.js';
import {
  correctLookalikes,
  DEFAULT_GENERATED_LOOKALIKES_PATH,
  isLookalike,
  loadLexicon,
} from '../../src/domain/lexicon.js';

const lexicon = loadLexicon();
const handOnly = loadLexicon(undefined, { generatedLookalikes: null }).lookalikes;
// The generated file as written: `  字: 字字字` lines.
const generated = new Map<string, string>();
for (const line of readFileSync(DEFAULT_GENERATED_LOOKALIKES_PATH, 'utf8').split('\n')) {
  const m = /^ {2}(\S): (\S+)$/u.exec(line);
  if (m) generated.set(m[1] as string, m[2] as string);
}
const generatedPair = (a: string, b: string) =>
  (generated.get(a)?.includes(b) ?? false) || (generated.get(b)?.includes(a) ?? false);

describe('the generated look-alike table', () => {
  it.each([
    ['机', '饥'],
    ['台', '合'],
    ['术', '木'],
    ['果', '呆'],
    ['剂', '刑'],
    ['池', '地'],
    ['材', '村'],
    ['业', '亚'],
    ['师', '帅'],
    ['未', '末'],
    ['土', '士'],
    ['己', '已'],
    ['人', '入'],
    ['窑', '窗'],
    ['瓷', '资'],
  ])('holds %s/%s, found from the glyphs', (a, b) => {
    expect(generatedPair(a, b)).toBe(true);
    expect(lexicon.lookalikes.get(a)?.has(b)).toBe(true);
    expect(lexicon.lookalikes.get(b)?.has(a)).toBe(true);
  });

  it('is not what vocabulary snapping trusts: isLookalike keeps to the hand-listed pairs', () => {
    expect(handOnly.get('师')?.has('帅') ?? false).toBe(false);
    expect(isLookalike('师', '帅', lexicon)).toBe(false);
    expect(isLookalike('窑', '窗', lexicon)).toBe(true);
  });
});

describe('look-alike repair across the trades', () => {
  it.each([
    ['直升饥旋翼动平衡试验', '直升机旋翼动平衡试验'], // aviation
    ['建设研发平合', '建设研发平台'], // programme
    ['开展技木攻关', '开展技术攻关'],
    ['推动成呆转化', '推动成果转化'],
    ['认定为高新技木企亚', '认定为高新技术企业'], // a long term: two look-alikes, half read exactly
    ['新型催化刑的制备', '新型催化剂的制备'], // chemistry
    ['动力锂电地', '动力锂电池'], // electronics / energy
    ['新村料产业', '新材料产业'], // materials
  ])('%s → %s', (read, want) => {
    const got = correctLookalikes(read, lexicon);
    expect(got.text).toBe(want);
    expect(got.changed).toBe([...read].filter((c, i) => c !== [...want][i]).length);
  });

  it.each([
    ['抗体检测'], // 抗体 is a word (and 机体 a term): a real word is never made another
    ['本村农户'], // 本村, not 本科
    ['坚持和平合作'], // 平合 ≈ 平台, but 合 belongs to 合作
    ['审批事项自动化'], // 项自 ≈ 项目 (hand pair), but 自 belongs to 自动
    ['直开饥'], // 直升机 with two of three characters wrong: too few read exactly
    ['未来的周末'],
    ['土地流转'],
    ['自己的目标'],
  ])('leaves the correct text %s alone', (text) => {
    expect(correctLookalikes(text, lexicon)).toEqual({ text, changed: 0 });
  });

  it('keeps a term whole across a line break, but not into a word of the next line', () => {
    expect(correctLookalikes('直升\n饥旋翼', lexicon)).toEqual({ text: '直升\n机旋翼', changed: 1 });
    expect(correctLookalikes('和平\n合作', lexicon)).toEqual({ text: '和平\n合作', changed: 0 });
  });

  it('names the trade word file when it is broken, on first use', () => {
    const broken = loadLexicon(undefined, { tradeWords: '/nonexistent/trade-words.yaml' });
    expect(() => broken.terms).toThrow(/trade-words\.yaml/);
  });
});

describe('make-lookalikes', () => {
  it('gives the same table twice over a small character set', async () => {
    const chars = [...'未末朱土士上己已巳人入目自日'];
    const a = await makeLookalikes(chars, { faces: ['Noto Serif CJK SC', 'AR PL UKai CN'] });
    const b = await makeLookalikes([...chars].reverse(), { faces: ['Noto Serif CJK SC', 'AR PL UKai CN'] });
    expect([...b.nearest]).toEqual([...a.nearest]);
    expect(a.nearest.get('未')?.[0]?.char).toBe('末');
    expect(a.nearest.get('己')?.map((x) => x.char)).toContain('已');
  });
});
