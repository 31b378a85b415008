import { beforeAll, describe, expect, it } from 'vitest';
import type { Quad } from '../../src/prepare/homography.js';
import { pageFromLines, quadEvidence } from '../../src/prepare/page-lines.js';
import { correctPerspective, findPageQuad, rectangleAspect } from '../../src/prepare/perspective.js';
import { boxBlur, crop, type Raster } from '../../src/prepare/raster.js';
import { cameraQuad, photoOf, renderForm } from './fixtures.js';

let page: Raster;
beforeAll(async () => {
  page = await renderForm({ dpi: 100 });
});

function maxCornerError(found: Quad, truth: Quad): number {
  return Math.max(
    ...found.map((p, i) => Math.hypot(p.x - (truth[i] as Quad[0]).x, p.y - (truth[i] as Quad[0]).y)),
  );
}

/** The fixture's photo softened a little, as a lens does (a staircase edge has no direction). */
function photo(truth: Quad, W: number, H: number, desk: number): Raster {
  const raw = photoOf(page, truth, W, H, desk);
  return { ...raw, data: Uint8Array.from(boxBlur(raw.data, W, H, 1), (v) => Math.round(v)) };
}

/** A shadow (a hand or a phone) over the lower left of the frame, page and desk alike. */
function shadow(r: Raster, depth = 0.65): Raster {
  const out = new Uint8Array(r.data);
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const dx = (x - r.width * 0.25) / (r.width * 0.35);
      const dy = (y - r.height * 0.8) / (r.height * 0.3);
      // Dark inside the ellipse, a short penumbra across its rim.
      const t = Math.min(1, Math.max(0, (Math.hypot(dx, dy) - 0.9) / 0.2));
      const f = depth + (1 - depth) * t;
      out[y * r.width + x] = Math.round((out[y * r.width + x] as number) * f);
    }
  }
  return { ...r, data: out };
}

describe('pageFromLines', () => {
  // 3:4 frames, as phones take them: not shaped like a scan, so findPageQuad looks for edges.
  const W = 720;
  const H = 960;

  it('finds a page on a light desk under a shadow', async () => {
    const truth = cameraQuad(W, H, 0.25, 0.08, 1100);
    // Paper 255, desk 205: a pale laminate; the shadow darkens paper below the lit desk.
    const found = await findPageQuad(shadow(photo(truth, W, H, 205)));
    expect(found?.kind).toBe('page');
    expect(maxCornerError(found?.quad as Quad, truth)).toBeLessThan(0.01 * H);
  });

  it('takes the sheet, not the table drawn on it', async () => {
    const truth = cameraQuad(W, H, -0.2, 0.1, 1100);
    const found = pageFromLines(photo(truth, W, H, 60), { aspect: rectangleAspect });
    expect(found).not.toBeNull();
    expect(maxCornerError(found?.quad as Quad, truth)).toBeLessThan(0.01 * H);
    // The table's border has paper on both sides: no contrast on any side of its quad.
    expect(found?.sides.every((s) => s.edge > 0.8 && s.contrast > 0.8)).toBe(true);
  });

  it('scores every side of the true quad and none beyond its corners', async () => {
    const truth = cameraQuad(W, H, 0.15, -0.1, 1100);
    for (const side of quadEvidence(photo(truth, W, H, 90), truth)) {
      expect(side.edge).toBeGreaterThan(0.9);
      expect(side.contrast).toBeGreaterThan(0.9);
      expect(side.beyond).toBeLessThan(0.1);
    }
  });

  it('finds nothing on an empty desk', () => {
    const desk: Raster = { width: W, height: H, channels: 1, data: new Uint8Array(W * H).fill(120) };
    expect(pageFromLines(desk, { aspect: rectangleAspect })).toBeNull();
  });
});

describe('correctPerspective on a crop of the photo', () => {
  it('gives the same page as on the whole photo', async () => {
    const W = 720;
    const H = 960;
    const truth = cameraQuad(W, H, 0.3, 0.05, 1100);
    const shot = photoOf(page, truth, W, H, 60);
    const whole = correctPerspective(shot, truth, { a4: true });
    // The quad's bounding box and a margin (as preparePage cuts it).
    const x0 = Math.floor(Math.min(...truth.map((p) => p.x))) - 8;
    const y0 = Math.floor(Math.min(...truth.map((p) => p.y))) - 8;
    const x1 = Math.ceil(Math.max(...truth.map((p) => p.x))) + 8;
    const y1 = Math.ceil(Math.max(...truth.map((p) => p.y))) + 8;
    const box = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
    const part = crop(shot, box);
    const shifted = truth.map((p) => ({ x: p.x - box.x, y: p.y - box.y })) as unknown as Quad;
    const cut = correctPerspective(part, shifted, { a4: true, frame: { width: W, height: H }, origin: box });
    expect([cut.width, cut.height]).toEqual([whole.width, whole.height]);
    expect(Buffer.compare(Buffer.from(cut.data), Buffer.from(whole.data))).toBe(0);
  });
});
