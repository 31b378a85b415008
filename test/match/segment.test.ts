// Segmentation: domain words stay whole, stop words and numbers go, compounds keep their parts.
import { describe, expect, it } from 'vitest';
import { defaultMatchConfig } from '../../src/match/config.js';
import { displayTerm } from '../../src/match/explain.js';
import { createSegmenter } from '../../src/match/segment.js';

const seg = createSegmenter(defaultMatchConfig());

describe('segmentation with the domain dictionary', () => {
  it.each([
    ['隧道窑烧成能耗偏高', ['隧道窑', '烧成', '能耗']],
    ['釉料配方与釉面针孔', ['釉料配方', '釉面', '针孔']],
    ['引入陶瓷3D打印技术', ['陶瓷', '3d打印']],
    ['高技术陶瓷材料', ['高技术陶瓷', '材料']],
    ['陶瓷增材制造与快速成型', ['陶瓷', '增材制造', '快速成型']],
    ['梭式窑和辊道窑', ['梭式窑', '辊道窑']],
  ])('%s → %j', (text, words) => {
    expect(seg.words(text)).toEqual(words);
  });

  it('keeps 3D打印 whole whatever the keyboard: full-width and lower-case letters', () => {
    expect(seg.words('３Ｄ打印')).toEqual(['3d打印']);
    expect(seg.words('3d打印')).toEqual(['3d打印']);
  });

  it('drops stop words, numbers, units and punctuation; keeps Latin names', () => {
    const words = seg.words('希望通过改造，使合格率提高到92%以上，窑内温差30°C；SMT贴片线3条');
    expect(words).not.toContain('希望');
    expect(words).not.toContain('提高');
    expect(words).not.toContain('92');
    expect(words).not.toContain('c');
    expect(words).toContain('合格率');
    expect(words).toContain('smt');
  });

  it('drops single characters except the domain ones listed in the config', () => {
    expect(seg.words('釉')).toEqual(['釉']);
    expect(seg.words('高')).toEqual([]);
  });

  it('does not join the last word of one paragraph with the first of the next', () => {
    expect(seg.words('隧道\n窑炉')).not.toContain('隧道窑');
  });

  it('counts domain words inside a longer word as parts, at partWeight', () => {
    const terms = seg.terms('高温颜色釉');
    expect(terms.get('高温颜色釉')).toBe(1);
    expect(terms.get('颜色釉')).toBe(defaultMatchConfig().data.partWeight);
    // only the longest part: 色釉 sits inside 颜色釉
    expect(terms.has('色釉')).toBe(false);
    // fragments of jieba's general dictionary are not parts
    expect(seg.terms('氧化铝陶瓷').has('化铝')).toBe(false);
    expect(seg.terms('氧化铝陶瓷').get('氧化铝')).toBe(0.5);
  });
});

describe('display', () => {
  it('shows Latin letters of compared words as the acronyms they are', () => {
    expect(displayTerm('3d打印')).toBe('3D打印');
    expect(displayTerm('smt贴片')).toBe('SMT贴片');
  });
});
