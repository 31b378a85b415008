// An opinion cell holds three things on paper: the opinion text, the words （盖章） with a seal
// (or not) over them, and the date line 年 月 日 at the bottom right. They come out of a cell as
// one text; this splits it. Seal presence is decided from the image, not from the text.
import { wordCoverage } from '../domain/lexicon.js';

export interface OpinionParts {
  opinion: string;
  /** The date line as written (may be the unfilled "年 月 日"). */
  dateRaw: string;
  /**
   * The date line lost characters (its 年 月 日 with a seal's red ink, its 日 cut off at the cell's
   * edge): what is left may read as a date, but whether its numbers are whole nobody can tell.
   */
  incomplete?: true;
}

const DATE_LINE = new RegExp(
  [
    // 2020 年 5 月 12 日, with the blanks of an unfilled date
    '[0-9０-９〇零一二三四五六七八九十OoIl|]{0,4}\\s*年\\s*[0-9０-９一二三四五六七八九十]{0,2}\\s*月\\s*[0-9０-９一二三四五六七八九十]{0,3}\\s*[日号月曰]',
    // 2020.5.21, 2020-05-21, 2020/5/21; OCR reads a small full stop as a colon or a comma, or
    // loses it and leaves a space (2020 05.25)
    '(?:19|20)\\d\\d(?:\\s*[.．\\-/:：,，]\\s*|\\s+)\\d{1,2}(?:\\s*[.．\\-/:：,，]\\s*|\\s+)\\d{1,2}',
  ].join('|'),
);
// What is left of a date line that lost characters: a year, then numbers, separators, 年 and 月
// only — no 日 to end it (a date line with its 日 is DATE_LINE's).
const DATE_REMNANT = /^(?:19|20)\d\d[\d\s.．\-/:：,，年月]*$/u;
// （盖章） as printed, and as OCR reads it when a seal sits on it: (盖鞍), （盍章）, 盖 章.
const STAMP_WORDS = /[（(]\s*(?:盖\s*\S|\S\s*章)\s*[)）]|[（(]?\s*盖\s*章\s*[)）]?/g;

// A typed date: 2020年5月3日 (digits or Chinese numerals, blanks where unfilled: 年 月 日),
// 2020.5.3, 2020-05-03, 2020/5/3.
const DIGIT = '0-9０-９';
const NUMERAL = '〇○零一二三四五六七八九十';
export const TYPED_DATE = `(?:(?:(?:19|20|１９|２０)[${DIGIT}]{2}|[${NUMERAL}]{2,4})\\s*)?年\\s*[${DIGIT}${NUMERAL}]{0,3}\\s*月\\s*[${DIGIT}${NUMERAL}]{0,3}\\s*[日号]|(?:19|20)\\d\\d\\s*[.．\\-/]\\s*\\d{1,2}\\s*[.．\\-/]\\s*\\d{1,2}(?![\\d.．\\-/])`;
/** The printed （盖章） as typed: （盖章）, (公章), 单位（签章）, or 盖章 alone on its line. */
export const TYPED_STAMP =
  /(?:单位)?\s*[（(]\s*(?:单位)?\s*(?:盖|签|公)?\s*章\s*[)）]|^\s*(?:单位)?\s*(?:盖|签|公)\s*章\s*[:：]?\s*$/gm;
// The date at the end of a line, alone or after the opinion's last sentence (同意推荐。 2020年5月3日).
const TYPED_DATE_LINE = new RegExp(
  `(^|[\\s。！!；;，,：:])(?:[\\u4e00-\\u9fff]{0,4}(?:日期|时间)\\s*[:：]?\\s*)?(${TYPED_DATE})\\s*[。.]?$`,
);

/**
 * The parts of an opinion cell typed in a .docx: text exact, so a date counts only where a date
 * line is (alone on its line, or ending the line) — a date inside a sentence (经2020年5月3日会议研究)
 * stays in the opinion. Several date lines (the label cell's unfilled 年 月 日 and the value cell's
 * typed date): the filled one wins.
 */
function splitTypedOpinion(text: string): OpinionParts {
  const kept: string[] = [];
  const dates: string[] = [];
  // A narrow label cell wraps （盖章） over two lines: taken out before the text is split into lines.
  const unwrapped = text.replace(/[（(]\s*(?:单位)?\s*(?:盖|签|公)?\s*章\s*[)）]/g, ' ');
  for (const rawLine of unwrapped.split('\n')) {
    const line = rawLine.replace(TYPED_STAMP, ' ').trim();
    const m = TYPED_DATE_LINE.exec(line);
    if (m) {
      dates.push((m[2] ?? '').trim());
      const before = line.slice(0, m.index + (m[1] ?? '').length).trim();
      if (before) kept.push(before);
    } else if (line) kept.push(line);
  }
  const filled = dates.filter((d) => new RegExp(`[${DIGIT}${NUMERAL}]`).test(d));
  return { opinion: kept.join('\n').trim(), dateRaw: filled.at(-1) ?? dates[0] ?? '' };
}

const SENTENCE_END = /[。！!？?]\s*$/u;
/** Below this share of its characters in words, a row after a finished opinion is debris. */
const DEBRIS_COVERAGE = 0.5;

/** Nothing, or punctuation and symbols only: no words. */
const onlyMarks = (s: string): boolean => /^[\p{P}\p{S}\s]*$/u.test(s);

/** Opinion text and date line of a cell; `typed`: from a .docx (exact text), not OCR. */
export function splitOpinion(text: string, options: { typed?: boolean } = {}): OpinionParts {
  if (options.typed) return splitTypedOpinion(text);
  const lines = text.split('\n');
  let dateRaw = '';
  let incomplete = false;
  const kept: string[] = [];
  for (const rawLine of lines) {
    // Specks under a seal come out as quotes and bars between 年, 月 and 日.
    const line = rawLine.replace(/[“”"'‘’|丨_]/g, ' ');
    const m = DATE_LINE.exec(line);
    if (m && !dateRaw) {
      // The day's 日 under a seal reads as 月 or 曰: the last character of a date line is 日.
      dateRaw = m[0]
        .trim()
        .replace(/(月\s*[0-9０-９一二三四五六七八九十]{1,3}\s*)[月曰]$/, '$1日')
        .replace(/(\d)\s*[:：,，]\s*(?=\d)/g, '$1.')
        // A numeric date whose full stop was lost: the space stands for it.
        .replace(/^((?:19|20)\d\d)\s+(?=\d)/, '$1.')
        .replace(/^((?:19|20)\d\d[.．\-/]\d{1,2})\s+(?=\d)/, '$1.');
      const before = line.slice(0, m.index).replace(STAMP_WORDS, '').trim();
      const after = line.slice(m.index + m[0].length).trim();
      if (!onlyMarks(before)) kept.push(before);
      if (!onlyMarks(after)) kept.push(after);
      continue;
    }
    const rest = line.replace(STAMP_WORDS, '').trim();
    // A bare parenthetical of a few characters on its own line is the printed （盖章） under a seal,
    // misread (若单, 盖鞍): opinions are sentences, not a word in brackets.
    if (/^[（(][^)）]{1,3}[)）]?$/.test(rest)) continue;
    // Half of it read (章), 盖) ), or what is left of an unfilled date line on a row of its own (日,
    // 年 月): the form's print, not the opinion.
    // Specks read between them (年月.日) are no more than specks.
    if (
      /^[（(]?\s*[盖章]\s*[)）]?$/.test(rest) ||
      /^[年月日\s]{1,5}$/.test(rest.replace(/[\p{P}\p{S}]/gu, ''))
    )
      continue;
    // Specks beside the printed words (年月日, and 、(盖章) .): marks, no words of an opinion.
    if (onlyMarks(rest)) continue;
    // A year and numbers, nothing else (2020 7, 2020年6月14): a date line whose 年 月 日 went with a
    // seal's ink when the red was lifted, or whose 日 the cell's edge cut off. The date, never the
    // opinion's words.
    if (!dateRaw && DATE_REMNANT.test(rest)) {
      dateRaw = rest;
      incomplete = true;
      continue;
    }
    if (rest) kept.push(rest);
  }
  // Rows after a finished sentence that make no words (年1日, 20).,1(), 沥沥沥沥ed): a seal's
  // texture or a date under it read as characters, not more of the opinion.
  const sentences: string[] = [];
  for (const row of kept) {
    const last = sentences[sentences.length - 1];
    if (last !== undefined && SENTENCE_END.test(last) && wordCoverage(row) < DEBRIS_COVERAGE) continue;
    sentences.push(row);
  }
  // A speck after the sentence's full stop (同意。: ) is no part of it; nor is a closing bracket
  // there that closes nothing (同意。) — the rim of a seal or of the printed （盖章）).
  let opinion = sentences
    .join('\n')
    .trim()
    .replace(/。[,，:：;；、.·]+$/u, '。');
  const count = (re: RegExp) => opinion.match(re)?.length ?? 0;
  if (/。\s*[)）]$/u.test(opinion) && count(/[(（]/gu) < count(/[)）]/gu))
    opinion = opinion.replace(/\s*[)）]$/u, '');
  return { opinion, dateRaw, ...(incomplete ? { incomplete: true as const } : {}) };
}
