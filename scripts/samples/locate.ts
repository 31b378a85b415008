// Where the opinion cells are on a rendered form: `pdftotext -bbox` gives each word's box in PDF
// points, and the （盖章） words (with the 年 月 日 line under them) mark where a unit stamps. Reading
// the positions from the rendered PDF, rather than hard-coding them, keeps the seals on the cells
// when the templates change.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WordBox {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PageWords {
  /** 1-based page of the PDF. */
  page: number;
  width: number;
  height: number;
  words: WordBox[];
}

/** Every word of every page of a PDF, with its box in points (origin top left). */
export async function pdfWords(pdf: string): Promise<PageWords[]> {
  const { stdout } = await run('pdftotext', ['-bbox', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });
  const pages: PageWords[] = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of stdout.matchAll(pageRe)) {
    const words: WordBox[] = [];
    for (const w of (m[3] as string).matchAll(wordRe)) {
      words.push({
        text: unescapeHtml(w[5] as string),
        xMin: Number(w[1]),
        yMin: Number(w[2]),
        xMax: Number(w[3]),
        yMax: Number(w[4]),
      });
    }
    pages.push({ page: pages.length + 1, width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export interface StampAnchor {
  /** The （盖章） word. */
  stamp: WordBox;
  /** The date line under it (printed 年 月 日, or a date as people write it: 2020.5.21), when found. */
  date?: WordBox;
}

/** The （盖章） marks of a page, top to bottom, each with the date line under it. */
export function stampAnchors(page: PageWords): StampAnchor[] {
  const stamps = page.words.filter((w) => w.text.includes('盖章')).sort((a, b) => a.yMin - b.yMin);
  return stamps.map((stamp) => {
    const h = stamp.yMax - stamp.yMin;
    const line = page.words.filter(
      (w) => w.yMin > stamp.yMin + 0.5 * h && w.yMin < stamp.yMax + 1.5 * h && w.xMax > stamp.xMin - 4 * h,
    );
    if (line.length === 0) return { stamp };
    const date: WordBox = {
      text: line.map((w) => w.text).join(' '),
      xMin: Math.min(...line.map((w) => w.xMin)),
      yMin: Math.min(...line.map((w) => w.yMin)),
      xMax: Math.max(...line.map((w) => w.xMax)),
      yMax: Math.max(...line.map((w) => w.yMax)),
    };
    return { stamp, date };
  });
}
