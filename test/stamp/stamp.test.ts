// Stamping and the print file, on small PDFs built here (CJK text through our own font embedding,
// so pdftotext finds the date). Checked by text, geometry and rendered pixels — never bytes, except
// for the default, which must leave the file exactly as it was.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  beginText,
  endText,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
  setFontAndSize,
  setTextMatrix,
  showText,
} from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedCjkFont, extractFace, subsetFace } from '../../src/stamp/font.js';
import { mergeForPrint, SEAL_IMAGE_NOTICE, stampPdf } from '../../src/stamp/index.js';
import { findDateLine, findDateLineNear, readTextLines, type TextLine } from '../../src/stamp/locate.js';
import { specimenSealPng } from '../../src/stamp/specimen.js';

const A4: [number, number] = [595.28, 841.89];
const dir = mkdtempSync(join(tmpdir(), 'xietong-stamp-test-'));
let seal: Buffer;

/** A PDF whose page `i` holds `lines[i]`: [text, x, y] in points from the bottom left, 16 pt. */
async function makePdf(name: string, pages: [string, number, number][][]): Promise<string> {
  const doc = await PDFDocument.create();
  const all = pages
    .flat()
    .map(([t]) => t)
    .join('');
  const font = embedCjkFont(doc, await subsetFace(all, { family: 'Noto Sans CJK SC' }));
  for (const lines of pages) {
    const page = doc.addPage(A4);
    const key = page.node.newFontDictionary('F', font.ref);
    for (const [text, x, y] of lines) {
      page.pushOperators(
        pushGraphicsState(),
        beginText(),
        setFontAndSize(key, 16),
        setTextMatrix(1, 0, 0, 1, x, y),
        showText(font.encode(text)),
        endText(),
        popGraphicsState(),
      );
    }
  }
  const path = join(dir, name);
  writeFileSync(path, await doc.save());
  return path;
}

/** Page `page` (1-based) rendered at 36 dpi: a mask of reddish pixels, and the image size. */
async function redMask(pdf: string, page: number) {
  const prefix = join(dir, `r-${Math.random().toString(36).slice(2)}`);
  execFileSync('pdftoppm', [
    '-r',
    '36',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    '-png',
    pdf,
    prefix,
  ]);
  const { data, info } = await sharp(`${prefix}.png`)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const red = (x: number, y: number): boolean => {
    const i = (y * info.width + x) * 3;
    return (data[i] as number) - Math.max(data[i + 1] as number, data[i + 2] as number) > 60;
  };
  return { red, width: info.width, height: info.height, scale: 36 / 72 };
}

const countRed = (m: Awaited<ReturnType<typeof redMask>>, x0: number, x1: number): number => {
  let n = 0;
  for (let y = 0; y < m.height; y++)
    for (let x = Math.max(0, x0); x < Math.min(m.width, x1); x++) if (m.red(x, y)) n++;
  return n;
};

beforeAll(async () => {
  seal = await specimenSealPng('景德镇市科学技术局');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fonts for stamps', () => {
  it('takes the Simplified Chinese face out of a .ttc and subsets it to a few KB', async () => {
    const ttc = readFileSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc');
    const face = extractFace(ttc, 'Noto Sans CJK SC');
    expect(face.toString('latin1', 0, 4)).toBe('OTTO');
    const subset = await subsetFace('草稿');
    expect(subset.length).toBeLessThan(20_000);
  });
});

describe('stampPdf', () => {
  let notice: string;
  beforeAll(async () => {
    notice = await makePdf('notice.pdf', [
      [
        ['各有关单位：请于2020年5月10日前报名。', 90, 700],
        ['景德镇市科学技术局', 360, 300],
        ['2020年4月28日', 372, 270],
      ],
    ]);
  });

  it('finds the 成文日期 line, not a date inside the body', async () => {
    const line = findDateLine(await readTextLines(notice));
    expect(line?.text).toBe('2020年4月28日');
    expect(line?.page).toBe(0);
    expect(line?.x).toBeCloseTo(372, 0);
  });

  it('adds nothing by default: seal areas stay blank for stamping by hand', async () => {
    const out = join(dir, 'plain.pdf');
    const result = await stampPdf(notice, { out });
    expect(readFileSync(out).equals(readFileSync(notice))).toBe(true);
    expect(result.seal).toBeUndefined();
  });

  it('centres the seal on the date, a little above it', async () => {
    const out = join(dir, 'sealed.pdf');
    const result = await stampPdf(notice, { out, seal: { image: seal } });
    expect(result.warnings).toEqual([]);
    const s = result.seal;
    expect(s?.dateText).toBe('2020年4月28日');
    const dateCentreX = 372 + (16 * 9) / 2; // nine full-width-ish characters: roughly
    expect(Math.abs((s?.x ?? 0) - dateCentreX)).toBeLessThan(25);
    expect(s?.y).toBeGreaterThan(270 + 8);
    expect(s?.y).toBeLessThan(270 + 8 + 30);
    expect(s?.diameter).toBeCloseTo((42 * 72) / 25.4, 1);
    // Red ink where the seal is, none far from it.
    const m = await redMask(out, 1);
    const cx = Math.round((s?.x ?? 0) * m.scale);
    expect(countRed(m, cx - 20, cx + 20)).toBeGreaterThan(100);
    expect(countRed(m, 0, Math.round(200 * m.scale))).toBe(0);
    // The words under the seal are still text.
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('2020年4月28日');
  });

  it('leaves the seal out, with a warning, when there is no date', async () => {
    const undated = await makePdf('undated.pdf', [[['没有日期的文件', 90, 700]]]);
    const result = await stampPdf(undated, { out: join(dir, 'undated-out.pdf'), seal: { image: seal } });
    expect(result.seal).toBeUndefined();
    expect(result.warnings[0]).toMatch(/no date line/);
  });

  it('splits a 骑缝章 across the right edge of every page', async () => {
    const three = await makePdf('three.pdf', [
      [['第一页', 90, 700]],
      [['第二页', 90, 700]],
      [['第三页', 90, 700]],
    ]);
    const out = join(dir, 'perforated.pdf');
    await stampPdf(three, { out, perforation: { image: seal } });
    const sliceWidth = (42 * 72) / 25.4 / 3;
    for (let p = 1; p <= 3; p++) {
      const m = await redMask(out, p);
      const edge = m.width - Math.ceil(sliceWidth * m.scale) - 1;
      expect(countRed(m, edge, m.width), `page ${p} shows its slice`).toBeGreaterThan(20);
      expect(countRed(m, 0, edge - 1), `page ${p} has nothing left of its slice`).toBe(0);
    }
    const one = await stampPdf(notice, { out: join(dir, 'one.pdf'), perforation: { image: seal } });
    expect(one.warnings[0]).toMatch(/two pages/);
  });

  it('writes a legible 草稿 watermark with an embedded CJK font', async () => {
    const out = join(dir, 'draft.pdf');
    await stampPdf(notice, { out, draft: true });
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' });
    expect(fonts).toMatch(/XietongDraft\s+CID Type 0C \(OT\)\s+Identity-H\s+yes\s+yes\s+yes/);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('草');
    expect(text).toContain('稿');
    // Light red over the middle of the page (opacity 0.18 leaves a pink the mask's threshold misses),
    // so look for any tint there.
    const png = join(dir, 'draft-page');
    execFileSync('pdftoppm', ['-r', '36', '-singlefile', '-png', out, png]);
    const { data, info } = await sharp(`${png}.png`)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let tinted = 0;
    for (let i = 0; i < info.width * info.height; i++) {
      const r = data[i * 3] as number;
      const g = data[i * 3 + 1] as number;
      if (r > 200 && r - g > 25) tinted++;
    }
    expect(tinted).toBeGreaterThan(info.width * info.height * 0.03);
  });

  it('stamps a document in well under a second', async () => {
    const out = join(dir, 'timed.pdf');
    await stampPdf(notice, { out, seal: { image: seal }, perforation: { image: seal }, draft: true });
    const t = performance.now();
    for (let i = 0; i < 5; i++) await stampPdf(notice, { out, seal: { image: seal }, draft: true });
    expect((performance.now() - t) / 5).toBeLessThan(500);
  });
});

describe('findDateLineNear', () => {
  const line = (text: string, x: number, y: number): TextLine => ({
    page: 0,
    text,
    x,
    y,
    width: 120,
    height: 12,
    pageWidth: A4[0],
    pageHeight: A4[1],
  });
  it("picks the date in the named party's column of a signature block", () => {
    const lines = [
      line('景德镇市瓷韵日用陶瓷有', 80, 600),
      line('限公司', 80, 585),
      line('景德镇陶瓷大学', 360, 600),
      line('2020年6月28日', 80, 480),
      line('2020年6月28日', 220, 480),
      line('2020年6月28日', 360, 480),
    ];
    expect(findDateLineNear(lines, '景德镇市瓷韵日用陶瓷有限公司')?.x).toBe(80);
    expect(findDateLineNear(lines, '景德镇陶瓷大学')?.x).toBe(360);
    expect(findDateLineNear(lines, '别的单位')).toBeUndefined();
    expect(findDateLine(lines)?.x).toBe(360);
  });
});

describe('mergeForPrint', () => {
  it('adds a blank page after each odd-length document, so each starts on a front side', async () => {
    const a = await makePdf('a.pdf', [[['甲', 90, 700]]]);
    const b = await makePdf('b.pdf', [[['乙一', 90, 700]], [['乙二', 90, 700]]]);
    const c = await makePdf('c.pdf', [[['丙一', 90, 700]], [['丙二', 90, 700]], [['丙三', 90, 700]]]);
    const out = join(dir, 'print.pdf');
    const result = await mergeForPrint([a, b, c, a], out);
    expect(result.documents.map((d) => d.firstPage)).toEqual([1, 3, 5, 9]);
    expect(result.documents.every((d) => d.firstPage % 2 === 1)).toBe(true);
    expect(result.blanksAdded).toBe(2);
    expect(result.pages).toBe(9);
    const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+9/);
    const pageText = (p: number) =>
      execFileSync('pdftotext', ['-f', String(p), '-l', String(p), out, '-'], { encoding: 'utf8' }).trim();
    expect(pageText(2)).toBe('');
    expect(pageText(3)).toBe('乙一');
    expect(pageText(8)).toBe('');
    expect(pageText(9)).toBe('甲');
  });
});

describe('the seal notice', () => {
  it('says plainly that a seal image is not an electronic seal', () => {
    expect(SEAL_IMAGE_NOTICE).toContain('GB/T 38540');
    expect(SEAL_IMAGE_NOTICE).toMatch(/not a legally valid electronic seal/);
    expect(SEAL_IMAGE_NOTICE).toContain('不是合法有效的电子印章');
  });

  it('draws specimen seals on a transparent background', async () => {
    const { data, info } = await sharp(seal).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0); // top-left corner: outside the ring
  });
});
