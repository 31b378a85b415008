import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../src/ocr/fake.js';
import { detectOrientation } from '../../src/prepare/orientation.js';
import { type Raster, rotateQuarter } from '../../src/prepare/raster.js';
import { renderForm } from './fixtures.js';

let form: Raster;
let continuation: Raster;
let sealed: Raster;
beforeAll(async () => {
  form = await renderForm({ dpi: 150 });
  continuation = await renderForm({ dpi: 150, noTitle: true });
  sealed = await renderForm({ dpi: 150, seal: true });
});

describe('detectOrientation', () => {
  for (const turn of [0, 90, 180, 270] as const) {
    it(`finds a page turned ${turn}° (form with title)`, async () => {
      const est = await detectOrientation(await rotateQuarter(form, turn));
      expect(est.angle).toBe(turn);
      expect(est.method).toBe('statistics');
      expect(est.confidence).toBeGreaterThan(0.5);
    });
    it(`finds a page turned ${turn}° (continuation page, no title)`, async () => {
      expect((await detectOrientation(await rotateQuarter(continuation, turn))).angle).toBe(turn);
    });
  }

  it('is not misled by the dark frame a feeder leaves along the image edge', async () => {
    // A black band all round the page: long dark lines that are not the table's.
    const framed = async (page: Raster): Promise<Raster> => {
      const data = Uint8Array.from(page.data);
      const band = Math.round(page.width * 0.012);
      for (let y = 0; y < page.height; y++)
        for (let x = 0; x < page.width; x++)
          if (x < band || x >= page.width - band || y < band || y >= page.height - band)
            data[y * page.width + x] = 20;
      return { ...page, data };
    };
    for (const turn of [0, 180] as const) {
      const est = await detectOrientation(await framed(await rotateQuarter(form, turn)));
      expect(est.angle).toBe(turn);
      expect(est.confidence).toBeGreaterThan(0.5);
      // The title is seen above (or, turned over, below) the table, not inside a frame-sized one.
      expect(Math.sign(est.cues.title)).toBe(turn === 0 ? 1 : -1);
    }
  });

  it('finds an upside-down colour page with a seal', async () => {
    const est = await detectOrientation(await rotateQuarter(sealed, 180));
    expect(est.angle).toBe(180);
    expect(est.cues.title).toBeLessThan(0);
    expect(est.cues.alignment).toBeLessThan(0);
  });

  it('takes the broken pieces of a thin border for a rule, not for vertical text', async () => {
    // A page of two opinion cells: a few short lines of text, and a left border that a deskewed
    // 1-bit scan left in dashes shorter than a rule (each a stroke 2 px across).
    const dashes = Array.from(
      { length: 40 },
      (_, i) => `<rect x="120" y="${200 + i * 36}" width="5" height="26" fill="#000"/>`,
    ).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="100%" height="100%" fill="#fff"/>${dashes}
      <text x="320" y="260" font-family="Noto Serif CJK SC" font-size="40">同意推荐。</text>
      <text x="170" y="700" font-family="Noto Serif CJK SC" font-size="40">推荐单</text>
      <text x="170" y="760" font-family="Noto Serif CJK SC" font-size="40">位意见</text>
      <text x="170" y="1300" font-family="Noto Serif CJK SC" font-size="40">审核意见</text></svg>`;
    const { data, info } = await sharp(Buffer.from(svg))
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const page: Raster = { width: info.width, height: info.height, channels: 1, data: new Uint8Array(data) };
    for (const turn of [0, 90] as const) {
      const est = await detectOrientation(await rotateQuarter(page, turn));
      expect(est.cues.axis * (turn === 0 ? 1 : -1)).toBeGreaterThan(0);
    }
  });

  it('asks the OCR engine when the statistics cannot tell (centred text, no table)', async () => {
    // One centred line and nothing else: no ragged edge, no table, no title position.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="100%" height="100%" fill="#fff"/>
      <text x="620" y="877" font-family="Noto Serif CJK SC" font-size="44" text-anchor="middle">景德镇陶瓷大学科技处</text></svg>`;
    const { data, info } = await sharp(Buffer.from(svg))
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const page: Raster = { width: info.width, height: info.height, channels: 1, data: new Uint8Array(data) };
    // The engine reads the line as it is first, then turned over: the second reading is the sure one.
    const engine = new FakeEngine([
      { text: '卄学ㄨ', confidence: 0.31 },
      { text: '景德镇陶瓷大学科技处', confidence: 0.93 },
    ]);
    const est = await detectOrientation(page, { engine });
    expect(engine.calls).toHaveLength(2);
    expect(engine.calls[0]?.opts).toEqual({ mode: 'line', lang: 'chi_sim' });
    expect(est.method).toBe('ocr');
    expect(est.angle).toBe(180);
    expect(est.cues.ocr).toEqual({ asIs: 0.31, flipped: 0.93 });
    // Without an engine it still answers, with low confidence.
    const blind = await detectOrientation(page);
    expect(blind.method).toBe('statistics');
    expect(blind.confidence).toBeLessThan(0.5);
  });
});
