// preparePage on the sample scans (samples/scans, made by scripts/make-samples.ts) against their
// truth files: skew, orientation, page corners of photos, seal evidence. Skipped when the samples
// have not been generated.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { crop, decodeImage, findPageQuad, preparePage, stampEvidence } from '../../src/prepare/index.js';
import { skipWithout } from '../tools.js';

const DIR = join(import.meta.dirname, '..', '..', 'samples', 'scans');

interface PageTruth {
  rotation: number;
  upsideDown: boolean;
  photo: boolean;
  seals: { cell: string; centre: [number, number]; radius: number }[];
  pageQuad?: [number, number][];
}
const truthOf = (file: string): PageTruth =>
  (JSON.parse(readFileSync(join(DIR, `${file}.truth.json`), 'utf8')) as { pages: PageTruth[] })
    .pages[0] as PageTruth;

describe.skipIf(skipWithout(existsSync(join(DIR, 'scan-20200526-002.jpg.truth.json'))))(
  'preparePage on the sample scans',
  () => {
    it.each([
      ['scan-20200526-002.jpg', 'colour scan, red seal'],
      ['scan-20200526-004.jpg', 'greyscale scan, grey seal'],
      ['reg-05-p1.png', 'bilevel scan'],
    ])('%s (%s): level within 0.2°, upright, seal evidence', async (file) => {
      const t = truthOf(file);
      const bytes = readFileSync(join(DIR, file));
      const res = await preparePage(bytes);
      expect(Math.abs((res.steps.skew?.angle ?? 0) - t.rotation)).toBeLessThanOrEqual(0.2);
      expect(res.steps.orientation?.angle).toBe(0);
      const raw = await decodeImage(bytes);
      for (const s of t.seals) {
        const r = s.radius;
        const ev = stampEvidence(
          crop(raw, { x: s.centre[0] - 3.2 * r, y: s.centre[1] - 1.3 * r, w: 4.8 * r, h: 2.6 * r }),
        );
        expect(ev.stamped, s.cell).toBe(true);
      }
    });

    it('scan-20200528.tif page 2 (bilevel, black seal): level, upright, ring found', async () => {
      const file = 'scan-20200528.tif';
      const t = (JSON.parse(readFileSync(join(DIR, `${file}.truth.json`), 'utf8')) as { pages: PageTruth[] })
        .pages[1] as PageTruth;
      const page = await sharp(readFileSync(join(DIR, file)), { page: 1 })
        .png()
        .toBuffer();
      const res = await preparePage(page);
      expect(Math.abs((res.steps.skew?.angle ?? 0) - t.rotation)).toBeLessThanOrEqual(0.2);
      expect(res.steps.orientation?.angle).toBe(0);
      const raw = await decodeImage(page);
      const s = t.seals[0] as PageTruth['seals'][number];
      const r = s.radius;
      const ev = stampEvidence(
        crop(raw, { x: s.centre[0] - 3.2 * r, y: s.centre[1] - 1.3 * r, w: 4.8 * r, h: 2.6 * r }),
      );
      expect(ev).toMatchObject({ method: 'ring', stamped: true });
    });

    it('a real scan fed upside down comes back upright', async () => {
      const file = 'scan-20200526-001.jpg';
      const t = truthOf(file);
      const flipped = await sharp(readFileSync(join(DIR, file)))
        .rotate(180)
        .jpeg({ quality: 90 })
        .toBuffer();
      const res = await preparePage(flipped);
      expect(res.steps.orientation?.angle).toBe(180);
      expect(Math.abs((res.steps.skew?.angle ?? 0) - t.rotation)).toBeLessThanOrEqual(0.2);
    });

    it('a phone photo: page corners within 1 % of the truth, seal found, page straightened', async () => {
      const file = 'IMG_20200525_093140.jpg';
      const t = truthOf(file);
      const bytes = readFileSync(join(DIR, file));
      const raw = await decodeImage(bytes);
      const q = await findPageQuad(raw);
      expect(q?.kind).toBe('page');
      const size = Math.max(raw.width, raw.height);
      q?.quad.forEach((p, i) => {
        const [x, y] = (t.pageQuad ?? [])[i] as [number, number];
        expect(Math.hypot(p.x - x, p.y - y)).toBeLessThan(size * 0.01);
      });
      const res = await preparePage(bytes);
      expect(res.steps.perspective?.applied).toBe(true);
      expect(res.steps.illumination.flattened).toBe(true);
      expect(res.steps.orientation?.angle).toBe(0);
      expect(res.page.height / res.page.width).toBeCloseTo(Math.SQRT2, 2);
      expect(Math.abs(res.steps.skew?.angle ?? 0)).toBeLessThan(0.3);
    });
  },
);
