// The second reader's plain arithmetic, without onnxruntime or the models: PGM parsing, CTC
// decoding, confidence, edge-noise trimming, detector layout and boxes, reading order, comparing
// readings. The engine itself is exercised in test/real/paddle.test.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import {
  allowedClasses,
  boxesFromMap,
  charWords,
  comparable,
  ctcDecode,
  DET_MAX_PIXELS,
  decodePgm,
  detInput,
  detLayout,
  groupLines,
  lineConfidence,
  loadDictionary,
  PaddleEngine,
  paddleModelPaths,
  padGrey,
  REC_HEIGHT,
  REC_MAX_WIDTH,
  recInput,
  recWidth,
  sameReading,
  toGreyImage,
  trimEdgeNoise,
} from '../../src/ocr/paddle.js';
import { encodePgm, makeRaster } from '../../src/prepare/raster.js';

describe('decodePgm', () => {
  it('reads what encodePgm writes, pixels from the first byte after the header', () => {
    const r = makeRaster(3, 2, 1);
    r.data.set([0, 10, 20, 30, 40, 255]);
    const g = decodePgm(encodePgm(r));
    expect(g).not.toBeNull();
    expect(g?.width).toBe(3);
    expect(g?.height).toBe(2);
    expect([...(g?.data ?? [])]).toEqual([0, 10, 20, 30, 40, 255]);
  });

  it('skips comments and odd whitespace in the header', () => {
    const buf = Buffer.concat([
      Buffer.from('P5 # made by hand\n2  1\r\n255\n', 'latin1'),
      Buffer.from([7, 9]),
    ]);
    expect([...(decodePgm(buf)?.data ?? [])]).toEqual([7, 9]);
  });

  it('returns null for anything else: PNG, ASCII PGM, 16-bit, truncated', () => {
    expect(decodePgm(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toBeNull();
    expect(decodePgm(Buffer.from('P2\n1 1\n255\n0\n'))).toBeNull();
    expect(decodePgm(Buffer.concat([Buffer.from('P5\n1 1\n65535\n'), Buffer.from([0, 0])]))).toBeNull();
    expect(decodePgm(Buffer.concat([Buffer.from('P5\n4 4\n255\n'), Buffer.from([0, 0])]))).toBeNull();
  });

  it('toGreyImage reads a PGM and a PNG of the same pixels alike', async () => {
    const r = makeRaster(4, 2, 1);
    r.data.set([0, 50, 100, 150, 200, 250, 255, 1]);
    const png = await sharp(Buffer.from(r.data), { raw: { width: 4, height: 2, channels: 1 } })
      .png()
      .toBuffer();
    const a = await toGreyImage(png);
    const b = await toGreyImage(encodePgm(r));
    expect([...a.data]).toEqual([...b.data]);
    expect([...b.data]).toEqual([...r.data]);
  });
});

describe('recognition input', () => {
  it('resizes lines to 48 px high at their aspect ratio, in multiples of 8, within bounds', () => {
    expect(recWidth(480, 48)).toBe(480);
    expect(recWidth(307, 64)).toBe(232); // 230.25 → 232
    expect(recWidth(10, 100)).toBe(REC_HEIGHT / 2);
    expect(recWidth(100_000, 40)).toBe(REC_MAX_WIDTH);
  });

  it("scales pixels to PaddleOCR's −1…1 in three equal planes", () => {
    const x = recInput({ width: 2, height: 1, data: new Uint8Array([0, 255]) });
    expect([...x]).toEqual([-1, 1, -1, 1, -1, 1]);
  });
});

describe('CTC decoding', () => {
  const dict = loadDictionary('a\nb\nc\n');
  it('loads the dictionary with the blank first and a space last', () => {
    expect(dict).toEqual(['', 'a', 'b', 'c', ' ']);
  });

  // Steps × classes (blank, a, b, c, space).
  const probs = [
    [0.1, 0.8, 0.05, 0.05, 0], // a
    [0.1, 0.7, 0.1, 0.1, 0], // a (repeat, merged)
    [0.9, 0.05, 0.05, 0, 0], // blank
    [0.1, 0.6, 0.2, 0.1, 0], // a (after a blank: a new a)
    [0.2, 0, 0, 0.3, 0.5], // space
    [0.1, 0, 0.1, 0.8, 0], // c
  ].flat();

  it('merges repeats, drops blanks, keeps a character repeated across a blank', () => {
    const d = ctcDecode(probs, 6, 5, dict);
    expect(d.text).toBe('aa c');
    expect(d.probs).toEqual([0.8, 0.6, 0.5, 0.8]);
    expect(d.steps).toEqual([0, 3, 4, 5]);
  });

  it('restricts the choice to allowed classes (digits mode), the blank always allowed', () => {
    const d = ctcDecode(probs, 6, 5, dict, allowedClasses(dict, 'bc'));
    expect(d.text).toBe('bc');
    expect(allowedClasses(loadDictionary('1\n年\n-\n'), '0123456789-./:()+')).toEqual([1, 3]);
  });

  it('a line is as sure as its weakest character, spaces aside', () => {
    expect(lineConfidence({ text: 'abc', probs: [0.99, 0.4, 0.98] })).toBe(0.4);
    expect(lineConfidence({ text: '13 8', probs: [1, 1, 0.54, 0.99] })).toBe(0.99);
    expect(lineConfidence({ text: ' ', probs: [0.9] })).toBe(0);
    expect(lineConfidence({ text: '', probs: [] })).toBe(0);
  });

  it('places one word per character at its time step', () => {
    const words = charWords({ text: 'a c', probs: [0.9, 0.5, 0.8], steps: [1, 4, 6], scale: 8 }, 40);
    expect(words).toEqual([
      { text: 'a', confidence: 0.9, box: { x: 8, y: 0, w: 8, h: 40 } },
      { text: 'c', confidence: 0.8, box: { x: 48, y: 0, w: 8, h: 40 } },
    ]);
  });
});

describe('trimEdgeNoise', () => {
  const line = (text: string, probs: number[]) => ({ text, probs, steps: probs.map((_, i) => i) });
  it('drops unsure characters at both ends (cell ruling, specks), keeps the middle', () => {
    expect(trimEdgeNoise(line('【男', [0.36, 0.99])).text).toBe('男');
    expect(trimEdgeNoise(line('9500万元電', [0.99, 0.72, 0.99, 0.99, 0.99, 0.99, 0.13])).text).toBe(
      '9500万元',
    );
    const t = trimEdgeNoise(line('11980年', [0.64, 0.99, 0.99, 0.99, 0.99, 0.99]));
    expect(t).toEqual({ text: '1980年', probs: [0.99, 0.99, 0.99, 0.99, 0.99], steps: [1, 2, 3, 4, 5] });
  });

  it('leaves a sure line alone, and an unsure character inside it', () => {
    const l = line('9500', [0.99, 0.72, 0.99, 0.99]);
    expect(trimEdgeNoise(l)).toBe(l);
  });

  it('also drops spaces left at the ends, and can empty a line of noise', () => {
    expect(trimEdgeNoise(line('a :', [0.99, 0.99, 0.3])).text).toBe('a');
    expect(trimEdgeNoise(line('」', [0.2])).text).toBe('');
  });
});

describe('detection', () => {
  it('reads cells at their own size, padded to multiples of 32; large areas are scaled down', () => {
    expect(detLayout(1915, 67)).toEqual({ scale: 1, width: 1915, height: 67, padWidth: 1920, padHeight: 96 });
    const big = detLayout(1616, 1257);
    expect(big.scale).toBeCloseTo(Math.sqrt(DET_MAX_PIXELS / (1616 * 1257)), 6);
    expect(big.width * big.height).toBeLessThanOrEqual(DET_MAX_PIXELS * 1.01);
    expect(big.padWidth % 32).toBe(0);
    expect(detLayout(10, 10).padWidth).toBe(32);
  });

  it('pads with white on the right and bottom', () => {
    const p = padGrey({ width: 2, height: 1, data: new Uint8Array([1, 2]) }, 3, 2);
    expect([...p.data]).toEqual([1, 2, 255, 255, 255, 255]);
  });

  it('normalises like PaddleOCR (ImageNet mean and deviation per plane)', () => {
    const x = detInput({ width: 1, height: 1, data: new Uint8Array([255]) });
    expect(x[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(x[2]).toBeCloseTo((1 - 0.406) / 0.225, 5);
  });

  /** A probability map with filled rectangles. */
  function map(w: number, h: number, rects: [number, number, number, number, number][]): Float32Array {
    const m = new Float32Array(w * h);
    for (const [x, y, rw, rh, p] of rects)
      for (let j = y; j < y + rh; j++) for (let i = x; i < x + rw; i++) m[j * w + i] = p;
    return m;
  }

  it('finds regions above the threshold, grows them, drops weak and thin ones', () => {
    const m = map(100, 40, [
      [10, 10, 30, 10, 0.9], // a word
      [60, 10, 20, 10, 0.5], // above 0.3 but a weak region: dropped
      [10, 30, 40, 2, 0.9], // a ruling line, 2 px: dropped
    ]);
    const boxes = boxesFromMap(m, 100, 40);
    expect(boxes).toHaveLength(1);
    const b = boxes[0];
    // d = 30 × 10 × 1.5 / (2 × 40) = 5.625
    expect(b?.x).toBeCloseTo(4.375, 3);
    expect(b?.y).toBeCloseTo(4.375, 3);
    expect(b?.w).toBeCloseTo(30 + 2 * 5.625, 3);
    expect(b?.h).toBeCloseTo(10 + 2 * 5.625, 3);
    expect(b?.score).toBeCloseTo(0.9, 5);
  });

  it('joins diagonal neighbours and clips growth at the map edge', () => {
    const m = map(20, 20, [
      [0, 0, 4, 4, 0.8],
      [4, 4, 4, 4, 0.8],
    ]);
    const boxes = boxesFromMap(m, 20, 20);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]?.x).toBe(0);
    expect(boxes[0]?.y).toBe(0);
  });

  it('groups boxes into lines top to bottom, left to right', () => {
    const b = (x: number, y: number) => ({ x, y, w: 50, h: 20 });
    const lines = groupLines([b(200, 52), b(0, 10), b(100, 14), b(0, 50)]);
    expect(lines).toEqual([
      [b(0, 10), b(100, 14)],
      [b(0, 50), b(200, 52)],
    ]);
    expect(groupLines([])).toEqual([]);
  });
});

describe('comparing readings', () => {
  it('ignores spaces, width and the dash or dot variants between digits', () => {
    expect(sameReading('138 0000 0378', '13800000378')).toBe(true);
    expect(sameReading('０７９８－８０００５１１', '0798-8000511')).toBe(true);
    expect(sameReading('0798—8000511', '0798-8000511')).toBe(true);
    expect(sameReading('2020。5.18', '2020.5.18')).toBe(true);
    expect(sameReading('填报单位：景德镇', '填报单位:景德镇')).toBe(true);
  });

  it('tells different characters apart and never agrees on nothing', () => {
    expect(sameReading('邹青烧', '邹青岚')).toBe(false);
    expect(sameReading('', '')).toBe(false);
    expect(sameReading(' ', '')).toBe(false);
    // A dash between Chinese characters is not a digit separator.
    expect(comparable('一一')).toBe('一一');
  });
});

describe('models', () => {
  it('a folder without the models is a RunError with a hint, at construction', () => {
    const empty = mkdtempSync(join(tmpdir(), 'paddle-'));
    expect(() => paddleModelPaths(empty)).toThrow(RunError);
    let err: unknown;
    try {
      new PaddleEngine({ modelDir: empty });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).exit).toBe('ocrModelMissing');
    expect((err as RunError).hint).toMatch(/npm ci/);
  });
});
