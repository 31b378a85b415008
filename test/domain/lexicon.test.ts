import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { correctLookalikes, dictionaryFrequency, loadLexicon } from '../../src/domain/lexicon.js';

const lexicon = loadLexicon();

describe('lexicon look-alike correction', () => {
  it.each([
    ['陶瓷寇炉设计与热工测试', '陶瓷窑炉设计与热工测试', 1],
    ['隆道宥、梭式寂烧成制度优化', '隧道窑、梭式窑烧成制度优化', 3],
    ['日用陶瓷隧道宣低能耗快速烧成技术', '日用陶瓷隧道窑低能耗快速烧成技术', 1],
    ['氧化铣耐磨陶瓷衬片、陶瓷球阅阅芯', '氧化铝耐磨陶瓷衬片、陶瓷球阀阀芯', 3],
    ['日用陶资餐具', '日用陶瓷餐具', 1],
  ])('%s → %s', (read, want, changed) => {
    expect(correctLookalikes(read, lexicon)).toEqual({ text: want, changed });
  });

  it.each([
    ['电炉和火炉'], // 电/火 are no look-alikes of 窑
    ['窗户和地窖'], // only look-alikes, no exact character of a term
    ['研究项目三项'],
  ])('leaves %s alone', (text) => {
    expect(correctLookalikes(text, lexicon)).toEqual({ text, changed: 0 });
  });

  it('names the file when the lexicon is broken', () => {
    expect(() => loadLexicon('/nonexistent/lexicon.yaml')).toThrow(/lexicon\.yaml/);
  });
  it('corrects a term that wraps onto the next line of its cell, keeping the line break', () => {
    expect(correctLookalikes('熟悉结\n智釉和窑变釉', lexicon)).toEqual({
      text: '熟悉结\n晶釉和窑变釉',
      changed: 1,
    });
  });
});

describe('dictionaryFrequency', () => {
  const text = (createRequire(import.meta.url)('@node-rs/jieba/dict.js') as { dict: Buffer }).dict.toString(
    'utf8',
  );
  const lines = text.split('\n').filter(Boolean);

  it('gives every word of the dictionary its frequency, rare and common alike', () => {
    // Every 97th line: words of each first character and every frequency band.
    for (let i = 0; i < lines.length; i += 97) {
      const [word, freq] = (lines[i] as string).split(' ');
      expect(dictionaryFrequency(word as string), word).toBe(Number(freq));
    }
  });

  it('knows no word that is only the start or the end of one', () => {
    expect(dictionaryFrequency('釉面砖')).toBe(5);
    expect(dictionaryFrequency('釉面')).not.toBe(5);
    expect(dictionaryFrequency('面砖瓷')).toBeUndefined();
    expect(dictionaryFrequency('')).toBeUndefined();
    expect(dictionaryFrequency('釉面砖\n')).toBeUndefined();
  });
});
