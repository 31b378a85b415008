// Chinese word segmentation for matching: jieba with its default dictionary (loaded once per
// process, ~0.3 s) plus the domain words of config/match.yaml, so that 隧道窑, 釉料, 3D打印 or
// 高技术陶瓷 stay whole instead of falling apart into 隧道/窑 or 3D/打印.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { MatchConfig } from './config.js';

// High enough that a domain word wins over the general dictionary's split of it, low enough that
// it does not swallow a neighbouring character that forms a common word with its last one.
const DOMAIN_WORD_FREQ = 50_000;

// One jieba per distinct domain dictionary: loading the default dictionary is the expensive part,
// and words loaded into an instance cannot be removed again.
const instances = new Map<string, Jieba>();

function jiebaFor(dictionary: readonly string[]): Jieba {
  const key = dictionary.join('\n');
  let jieba = instances.get(key);
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    if (dictionary.length > 0) {
      jieba.loadDict(Buffer.from(dictionary.map((w) => `${w} ${DOMAIN_WORD_FREQ} n`).join('\n')));
    }
    instances.set(key, jieba);
  }
  return jieba;
}

export interface Segmenter {
  /** The text's words in order, stop words and noise (numbers, punctuation) removed. */
  words(text: string): string[];
  /**
   * Term frequencies of a text: each word counts 1; a dictionary word inside a longer word
   * (颜色釉 in 高温颜色釉, 氧化铝 in 氧化铝陶瓷) counts `partWeight`, so related compounds still meet.
   */
  terms(text: string): Map<string, number>;
}

const HAN = /\p{Script=Han}/u;
const LATIN = /[a-z]/g;

export function createSegmenter(config: MatchConfig): Segmenter {
  const jieba = jiebaFor(config.dictionary);
  const partWeight = config.data.partWeight;
  const partsCache = new Map<string, string[]>();

  const keep = (w: string): boolean => {
    if (config.stopWords.has(w)) return false;
    if (HAN.test(w)) return [...w].length > 1 || config.singleChars.has(w);
    // Latin and digits: keep names like smt, pcb, stm32, 3d打印 (Han above); drop 30, 92%, c, m·k.
    return (w.match(LATIN)?.length ?? 0) >= 2;
  };

  const words = (text: string): string[] => {
    // Line breaks and spaces stay: they separate words (squeezing them out would join two words).
    const normal = text.normalize('NFKC').toLowerCase();
    // HMM off: unknown-word guessing joins characters differently depending on their neighbours,
    // so the same phrase could become different words in a demand and in a registration.
    return jieba.cut(normal, false).filter(keep);
  };

  // Domain words of two characters or more, longest first: the candidates for parts of a word.
  const domainWords = config.dictionary.filter((d) => [...d].length >= 2);
  const partsOf = (w: string): string[] => {
    let parts = partsCache.get(w);
    if (!parts) {
      // Only domain words count as parts: jieba's general dictionary would also offer fragments
      // such as 化铝 (in 氧化铝) or 升机 (in 直升机) that mean nothing.
      const inside = domainWords.filter((d) => d !== w && w.includes(d) && keep(d));
      // Keep the longest: 颜色釉 in 高温颜色釉, not also 色釉 inside 颜色釉.
      parts = inside.filter((d) => !inside.some((o) => o !== d && o.includes(d)));
      partsCache.set(w, parts);
    }
    return parts;
  };

  const terms = (text: string): Map<string, number> => {
    const tf = new Map<string, number>();
    for (const w of words(text)) {
      tf.set(w, (tf.get(w) ?? 0) + 1);
      if (partWeight > 0) for (const p of partsOf(w)) tf.set(p, (tf.get(p) ?? 0) + partWeight);
    }
    return tf;
  };

  return { words, terms };
}
