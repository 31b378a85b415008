// Finds where the 成文日期 is printed, so a seal can be centred on it. The PDF's text layer is read
// with poppler's `pdftotext -bbox-layout` (lines with boxes, top-left origin, points). The date
// line is a line holding nothing but a date; the last such line of the document wins, because the
// 成文日期 comes after the body, while dates inside the body share their line with other words.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TextLine {
  /** 0-based page index. */
  page: number;
  text: string;
  /** Box in PDF user space: origin bottom-left, points. */
  x: number;
  y: number;
  width: number;
  height: number;
  pageWidth: number;
  pageHeight: number;
}

// 2020年4月28日, with or without spaces; 〇/○/零 and Chinese numerals as printed in some documents.
export const DATE_LINE =
  /^[\s\u3000]*(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d〇○零一二三四五六七八九十]{1,3}\s*月\s*[\d〇○零一二三四五六七八九十]{1,3}\s*日[\s\u3000]*$/;
const DATE_ANYWHERE =
  /(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d〇○零一二三四五六七八九十]{1,3}\s*月\s*[\d〇○零一二三四五六七八九十]{1,3}\s*日/;

const attr = (tag: string, name: string): number =>
  Number(new RegExp(`${name}="([-\\d.]+)"`).exec(tag)?.[1] ?? 0);

const decodeXml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Every text line of the PDF with its box. Needs poppler-utils. */
export async function readTextLines(pdfPath: string): Promise<TextLine[]> {
  const { stdout } = await run('pdftotext', ['-bbox-layout', pdfPath, '-'], { maxBuffer: 64 * 1024 * 1024 });
  const lines: TextLine[] = [];
  let page = -1;
  let pageWidth = 0;
  let pageHeight = 0;
  const tokens = /<page [^>]*>|<line [^>]*>([\s\S]*?)<\/line>/g;
  for (let m = tokens.exec(stdout); m; m = tokens.exec(stdout)) {
    const tag = m[0];
    if (tag.startsWith('<page')) {
      page++;
      pageWidth = attr(tag, 'width');
      pageHeight = attr(tag, 'height');
      continue;
    }
    const words = [...(m[1] ?? '').matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) =>
      decodeXml(w[1] ?? ''),
    );
    const xMin = attr(tag, 'xMin');
    const yMin = attr(tag, 'yMin');
    const xMax = attr(tag, 'xMax');
    const yMax = attr(tag, 'yMax');
    lines.push({
      page,
      text: words.join(''),
      x: xMin,
      y: pageHeight - yMax,
      width: xMax - xMin,
      height: yMax - yMin,
      pageWidth,
      pageHeight,
    });
  }
  return lines;
}

/** The line of the 成文日期: the last line that is only a date, else the last line holding one. */
export function findDateLine(lines: readonly TextLine[], pattern?: RegExp): TextLine | undefined {
  const whole = pattern ?? DATE_LINE;
  const only = lines.filter((l) => whole.test(l.text));
  if (only.length > 0) return only[only.length - 1];
  const any = lines.filter((l) => (pattern ?? DATE_ANYWHERE).test(l.text));
  return any[any.length - 1];
}

/**
 * The date line that belongs to `name` (a party's name printed above its own date, as in the
 * signature columns of an agreement): the date line on the same page below the name's line, in
 * its column. A name wrapped over lines is found by its first line. Undefined when `name` is not
 * printed.
 */
export function findDateLineNear(
  lines: readonly TextLine[],
  name: string,
  pattern?: RegExp,
): TextLine | undefined {
  const compact = (s: string): string => s.replace(/[\s\u3000]/g, '');
  const target = compact(name);
  const anchors = lines.filter((l) => {
    const t = compact(l.text);
    return t.length >= 4 && (t.includes(target) || target.startsWith(t));
  });
  const anchor = anchors[anchors.length - 1];
  if (!anchor) return undefined;
  const dates = lines.filter(
    (l) => l.page === anchor.page && l.y < anchor.y && (pattern ?? DATE_ANYWHERE).test(l.text),
  );
  const cx = anchor.x + anchor.width / 2;
  const distance = (l: TextLine): number => Math.abs(l.x + l.width / 2 - cx) * 3 + (anchor.y - l.y);
  return dates.sort((a, b) => distance(a) - distance(b))[0];
}
