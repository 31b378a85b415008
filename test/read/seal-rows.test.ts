import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../src/ocr/index.js';
import { decodeImage, type Raster } from '../../src/prepare/raster.js';
import { dateRowsUnder, textRows } from '../../src/read/index.js';
import { printBelowSeal, sealAwareRows } from '../../src/read/seal-rows.js';

// A 300 dpi opinion cell, 1500 × 520: the opinion's first line top left, a seal ring 440 px across
// bottom right, and the date line running under the seal.
function cell(seal: number | null, opts: { borders?: boolean } = {}): Raster {
  const width = 1500;
  const height = 520;
  const data = new Uint8Array(width * height).fill(255);
  const block = (x0: number, y0: number, x1: number, y1: number, v = 0) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = v;
  };
  // Text as rows of character-sized blocks with gaps.
  const line = (x0: number, y0: number, chars: number, v = 0) => {
    for (let i = 0; i < chars; i++) block(x0 + i * 48, y0, x0 + i * 48 + 40, y0 + 40, v);
  };
  line(10, 15, 5); // 同意推荐。
  line(1080, 300, 4); // （盖章）
  line(1050, 375, 9); // 2020 年 5 月 20 日
  if (seal !== null) {
    const cx = 1250;
    const cy = 250;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d > 208 && d < 220) data[y * width + x] = seal;
        // the seal's own lettering along the inside of the ring
        else if (d > 160 && d < 190 && y < cy && (x >> 4) % 3 === 0) data[y * width + x] = seal;
      }
  }
  if (opts.borders) {
    block(0, 0, 4, height);
    block(width - 4, 0, width, height);
  }
  return { width, height, channels: 1, data };
}

describe('text rows of a sealed opinion cell', () => {
  it('without a seal: the opinion line, （盖章） and the date, each its own row', () => {
    const rows = textRows(cell(null));
    expect(rows.map((r) => [r.y0, r.y1])).toEqual([
      [15, 55],
      [300, 340],
      [375, 415],
    ]);
  });

  it('a seal as black as the print (1-bit scan) joins them all in the plain projection', () => {
    expect(textRows(cell(0))).toHaveLength(1);
  });

  it('seal-aware rows keep the opinion line apart and mark what lies under the seal', () => {
    const { rows, seal } = sealAwareRows(cell(0), { rows: textRows });
    expect(seal).toBeDefined();
    expect(rows[0]).toMatchObject({ y0: 15, y1: 55, x0: 10 });
    expect(rows[0]?.underSeal).toBeUndefined();
    const date = rows.find((r) => r.y0 <= 380 && r.y1 >= 410);
    expect(date?.underSeal).toBe(true);
  });

  it('a sentence the seal was stamped on the end of is under the seal and past it; the date beside it is not', () => {
    const sealed = cell(0);
    // 26 characters from the cell's left edge into the disk (to x ≈ 1258), at y 110–150.
    for (let i = 0; i < 26; i++)
      for (let y = 110; y < 150; y++)
        for (let x = 10 + i * 48; x < 10 + i * 48 + 40; x++) sealed.data[y * sealed.width + x] = 0;
    const { rows } = sealAwareRows(sealed, { rows: textRows });
    const sentence = rows.find((r) => r.y0 <= 115 && r.y1 >= 145);
    expect(sentence).toMatchObject({ x0: 10, underSeal: true, pastSeal: true });
    const date = rows.find((r) => r.y0 <= 380 && r.y1 >= 410);
    expect(date?.underSeal).toBe(true);
    expect(date?.pastSeal).toBeUndefined();
  });

  it('a grey seal is lifted off the image the rows are read from; the print stays', () => {
    const { rows, image } = sealAwareRows(cell(120), { rows: textRows });
    expect(rows.map((r) => [r.y0, r.y1])).toEqual([
      [15, 55],
      [300, 340],
      [375, 415],
    ]);
    const at = (x: number, y: number) => image.data[y * image.width + x];
    expect(at(1250 + 214, 250)).toBe(255); // the ring
    expect(at(1060, 390)).toBe(0); // the date under it
  });

  it('a seal scanned dark grey, nearly as dark as the print, is lifted too: (盖章) and the date under it stay', () => {
    const { rows, image } = sealAwareRows(cell(50), { rows: textRows });
    expect(rows.map((r) => [r.y0, r.y1])).toEqual([
      [15, 55],
      [300, 340],
      [375, 415],
    ]);
    const at = (x: number, y: number) => image.data[y * image.width + x];
    expect(at(1250 + 214, 250)).toBe(255);
    expect(at(1090, 320)).toBe(0); // （盖章）
  });

  it('a seal printed light is found by its ring among the light greys, and lifted', () => {
    const { rows, image, seal } = sealAwareRows(cell(170), { rows: textRows });
    expect(seal).toBeDefined();
    expect(rows.filter((r) => r.underSeal).map((r) => [r.y0, r.y1])).toEqual([
      [300, 340],
      [375, 415],
    ]);
    expect(image.data[250 * image.width + 1250 + 214]).toBe(255);
  });

  it('tests for print half way between black and the seal’s own grey; a 1-bit seal keeps the fixed test', () => {
    const disk = { cx: 1250, cy: 250, r: 231 };
    expect(printBelowSeal(cell(50), disk.cx, disk.cy, disk.r)).toBe(25);
    expect(printBelowSeal(cell(120), disk.cx, disk.cy, disk.r)).toBe(60);
    expect(printBelowSeal(cell(0), disk.cx, disk.cy, disk.r)).toBe(90);
    // A seal lighter than print's edges: never above the fixed test.
    expect(printBelowSeal(cell(190), disk.cx, disk.cy, disk.r)).toBe(90);
  });

  it("a cell's own border left inside the crop does not join its rows", () => {
    expect(textRows(cell(null, { borders: true }))).toHaveLength(3);
  });
});

describe('text rows of a paragraph set solid', () => {
  it('are found one by one though no empty pixel row parts them', async () => {
    // Four lines of 10.5 pt text at 300 dpi with line spacing equal to the font size: ascenders
    // of one line touch the descenders of the line above.
    const sharp = (await import('sharp')).default;
    const lines = [
      '开展茶饮料新产品设计与开发，帮助企业拓展市场。',
      '帮助企业优化冷链保鲜工艺，提高产品合格率。',
      '定期到企业开展技术培训和现场指导，每月不少于',
      '七天。指导企业建设茶叶品质检测室。',
    ];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="260"><rect width="100%" height="100%" fill="#fff"/>${lines
      .map(
        (t, i) =>
          `<text x="10" y="${46 + i * 44}" font-size="46" font-family="Noto Serif CJK SC">${t}</text>`,
      )
      .join('')}</svg>`;
    const { data, info } = await sharp(Buffer.from(svg))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const img: Raster = { width: info.width, height: info.height, channels: 1, data: new Uint8Array(data) };
    expect(textRows(img)).toHaveLength(4);
  });
});

describe('a date under a seal as black as the print', () => {
  // The recommendation cell of a dev-seed 1-bit office scan: 同意推荐。 top left, a black seal over
  // （盖章） and the date 2020-05-10 bottom right; the seal's lettering touches the date.
  const fixture = async () =>
    decodeImage(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'paddle', 'black-seal.cell.png')));

  it('leaves the disk out as one block, and says so', async () => {
    const { rows, seal, hidden } = sealAwareRows(await fixture(), { rows: textRows });
    expect(seal).toBeDefined();
    expect(hidden).toBe(true);
    expect(rows).toHaveLength(1);
  });

  it('is found where the second reader’s detector reads a date in the disk, in cell coordinates', async () => {
    const cell = await fixture();
    const seal = { x: 1364, y: 1152, r: 245 };
    const asked: { width: number; height: number }[] = [];
    const detector = new FakeEngine(async (image, opts) => {
      expect(opts.mode).toBe('block');
      // The disk as the readers take a crop: binary PGM, "P5 <width> <height> 255" before the pixels.
      const [, width, height] = image.subarray(0, 32).toString('latin1').split(/\s+/);
      asked.push({ width: Number(width), height: Number(height) });
      return {
        text: '江西陶瓷工艺美术职业技术学院\n（盖章）\n2020-05-10',
        confidence: 0.9,
        words: [
          { text: '江西陶瓷工艺美术职业技术学院', confidence: 0.5, box: { x: 40, y: 60, w: 400, h: 300 } },
          { text: '（盖章）', confidence: 0.9, box: { x: 60, y: 300, w: 140, h: 50 } },
          { text: '2020-05-10', confidence: 0.9, box: { x: 110, y: 345, w: 330, h: 55 } },
        ],
      };
    });
    const rows = await dateRowsUnder(cell, seal, detector);
    expect(asked).toEqual([{ width: 2 * 245, height: 2 * 245 }]);
    expect(rows).toEqual([{ x0: 1119 + 110, y0: 907 + 345, x1: 1119 + 440, y1: 907 + 400, underSeal: true }]);
  });
});
