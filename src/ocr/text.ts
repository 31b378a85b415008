// Post-processing of OCR text. Tesseract puts spaces between Chinese characters (fewer with
// preserve_interword_spaces=1, but still some); Chinese text has none, so whitespace touching a
// Chinese character goes. Between Latin words and digit groups a single space stays: "ISO 9001",
// "138 0798 1234" (the phone normaliser decides later what the groups mean).

// Han (incl. extensions and compatibility ideographs), CJK punctuation, kana, bopomofo, full-width
// and CJK compatibility forms.
const CJK =
  /[\u2E80-\u2FDF\u3000-\u303F\u3040-\u30FF\u3100-\u312F\u3190-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3134F}]/u;

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/** One line: spaces collapsed, removed where they touch a Chinese character, trimmed. */
export function stripCjkSpaces(line: string): string {
  const chars = Array.from(line.replace(/\s+/gu, ' ').trim());
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === ' ') {
      const prev = chars[i - 1];
      const next = chars[i + 1];
      if (prev === undefined || next === undefined || isCjk(prev) || isCjk(next)) continue;
    }
    out += c;
  }
  return out;
}

/**
 * NFKC (full-width digits and letters become ASCII, the ideographic space a space), spaces
 * between Chinese characters removed, empty lines dropped. 'line' and 'digits' results come back
 * as one line; 'block' results keep their line breaks (the extract stage decides about paragraphs).
 */
export function normaliseOcrText(text: string, mode: 'line' | 'block' | 'digits' = 'block'): string {
  const lines = text
    .normalize('NFKC')
    .split(/\r?\n/)
    .map(stripCjkSpaces)
    .filter((l) => l.length > 0);
  return mode === 'block' ? lines.join('\n') : stripCjkSpaces(lines.join(' '));
}
