import { beforeAll, describe, expect, it } from 'vitest';
import { estimateBackground, flattenIllumination } from '../../src/prepare/illumination.js';
import { looksBilevel } from '../../src/prepare/index.js';
import { crop, makeRaster, type Raster, toGrey } from '../../src/prepare/raster.js';
import { sealCover, separateRedInk, whitenPaper } from '../../src/prepare/redink.js';
import { stampEvidence } from '../../src/prepare/stamp.js';
import { jpegRoundTrip, renderForm, SEAL_MM, unevenLight } from './fixtures.js';

const DPI = 300;
const px = (mm: number) => Math.round((mm * DPI) / 25.4);
const sealBox = {
  x: px(SEAL_MM.cx - SEAL_MM.r - 3),
  y: px(SEAL_MM.cy - SEAL_MM.r - 3),
  w: px(2 * SEAL_MM.r + 6),
  h: px(2 * SEAL_MM.r + 6),
};
const opinionCell = { x: px(42.5), y: px(212.5), w: px(147), h: px(49) };
const paragraphCell = { x: px(42.5), y: px(132.5), w: px(147), h: px(39) };

let sealed: Raster;
let plainGrey: Raster;
beforeAll(async () => {
  // A colour scan saved as JPEG: the chroma of thin strokes is smeared, as FINDINGS warns.
  sealed = await jpegRoundTrip(await renderForm({ dpi: DPI, seal: true }), 80);
  plainGrey = toGrey(await renderForm({ dpi: DPI, seal: false, channels: 3 }));
});

describe('separateRedInk', () => {
  it('removes the seal and keeps the black print under it', () => {
    const { grey, share } = separateRedInk(sealed);
    expect(share).toBeGreaterThan(0.003);
    const out = crop(grey, sealBox);
    const truth = crop(plainGrey, sealBox);
    let paper = 0;
    let paperKept = 0;
    let print = 0;
    let printKept = 0;
    for (let i = 0; i < truth.data.length; i++) {
      const t = truth.data[i] as number;
      const v = out.data[i] as number;
      if (t > 230) {
        paper++;
        if (v >= 200) paperKept++;
      } else if (t < 80) {
        print++;
        if (v < 128) printKept++;
      }
    }
    expect(print).toBeGreaterThan(1000);
    // Seal ink gone from the paper (a few JPEG specks allowed)…
    expect(paperKept / paper).toBeGreaterThan(0.998);
    // …and the date and （盖章） under it still there.
    expect(printKept / print).toBeGreaterThan(0.98);
  });

  it('passes greyscale through untouched', () => {
    const { grey, share } = separateRedInk(plainGrey);
    expect(share).toBe(0);
    expect(grey).toBe(plainGrey);
  });

  it('keeps light grey rules away from the seal (a forwarded photo’s faint table)', () => {
    // A page 600 px wide: a red disk at the top left, a light grey rule (luma ~190) far from it.
    const img = makeRaster(600, 600, 3);
    for (let y = 0; y < 600; y++)
      for (let x = 0; x < 600; x++) {
        const o = (y * 600 + x) * 3;
        if (Math.hypot(x - 80, y - 80) < 60) img.data.set([220, 60, 60], o);
        else if (y >= 400 && y < 403) img.data.set([190, 190, 190], o);
      }
    const { grey, share } = separateRedInk(img);
    expect(share).toBeGreaterThan(0);
    expect(grey.data[401 * 600 + 300]).toBeLessThan(200);
    // The paper round the seal is still whitened.
    expect(grey.data[80 * 600 + 80]).toBe(255);
  });

  it('whitens paper above the threshold only', () => {
    const g: Raster = { width: 4, height: 1, channels: 1, data: Uint8Array.from([20, 150, 181, 240]) };
    expect([...whitenPaper(g).data]).toEqual([20, 150, 255, 255]);
  });
});

describe('stampEvidence', () => {
  it('finds red in a sealed opinion cell and none in the others (colour)', () => {
    const withSeal = stampEvidence(crop(sealed, opinionCell));
    expect(withSeal).toMatchObject({ method: 'red', stamped: true });
    expect(withSeal.share).toBeGreaterThan(0.01);
    expect(stampEvidence(crop(sealed, paragraphCell))).toMatchObject({
      method: 'red',
      stamped: false,
      share: 0,
    });
  });

  it('finds the mid-grey of a seal on greyscale, not the antialiasing of dense text', () => {
    const grey = toGrey(sealed);
    const withSeal = stampEvidence(crop(grey, opinionCell));
    expect(withSeal.stamped).toBe(true);
    expect(withSeal.method === 'grey' || withSeal.method === 'ring').toBe(true);
    expect(stampEvidence(crop(plainGrey, opinionCell)).stamped).toBe(false);
    expect(stampEvidence(crop(plainGrey, paragraphCell)).stamped).toBe(false);
  });

  it('under uneven light, takes a shadow’s grey for no sure seal, and a seal’s ring still for one', () => {
    const grey = toGrey(sealed);
    // A photo's opinion cell with a shadow over its left half: mid-grey, no ring.
    const cell = crop(plainGrey, opinionCell);
    const shadowed = { ...cell, data: new Uint8Array(cell.data) };
    for (let y = 0; y < cell.height; y++)
      for (let x = 0; x < cell.width / 2; x++) {
        const i = y * cell.width + x;
        shadowed.data[i] = Math.min(shadowed.data[i] as number, 160);
      }
    expect(stampEvidence(shadowed).confidence).toBeGreaterThanOrEqual(0.9);
    const uneven = stampEvidence(shadowed, { unevenLight: true });
    expect(uneven.stamped === false || uneven.confidence < 0.9).toBe(true);
    const seal = stampEvidence(crop(grey, opinionCell), { unevenLight: true });
    expect(seal.stamped).toBe(true);
  });

  it('finds a light seal with too little grey by its ring', () => {
    // A thin, light ring 40 mm across on white paper: under 3 % of the cell is mid-grey.
    const { width, height } = RING_CELL;
    const ev = stampEvidence(ringCell({ inner: 228, outer: 236, grey: 120 }));
    expect(ev).toMatchObject({ method: 'ring', stamped: true });
    const blank = stampEvidence({
      width,
      height,
      channels: 1,
      data: new Uint8Array(width * height).fill(255),
    });
    expect(blank.stamped).toBe(false);
  });

  it('finds a seal stamped across the cell’s border by its ring in the surround, centred in the cell', () => {
    // The ring round (900, 300), radius ~232, crosses x = 1000 where the cell ends: a quarter of
    // it lies outside the cell's own crop.
    const page = ringCell({ inner: 228, outer: 236, grey: 120 });
    const cell = { x: 0, y: 0, w: 1000, h: 600 };
    expect(stampEvidence(crop(page, cell)).stamped).toBe(false);
    expect(stampEvidence(crop(page, cell), { surround: { image: page, cell } })).toMatchObject({
      method: 'ring',
      stamped: true,
    });
    // The neighbour the seal overhangs (the centre is not in it) is not stamped by it.
    const neighbour = { x: 0, y: 0, w: 640, h: 600 };
    expect(stampEvidence(crop(page, neighbour), { surround: { image: page, cell: neighbour } }).stamped).toBe(
      false,
    );
  });

  it('finds a seal printed lighter than the grey band by a ring of light ink; a broken ring it leaves to a person', () => {
    // A pale ring (grey 215: paper-light, not ink to the ordinary ring search) beside a line of text;
    // `arc`: the share of the circle inked.
    const lightRing = (arc: number): Raster => {
      const cell = ringCell({ inner: 226, outer: 238, grey: 215, arc });
      const { width, data } = cell;
      // Characters with the grey edges a greyscale scan gives them (so the cell is not 1-bit).
      for (let i = 0; i < 8; i++)
        for (let y = 36; y < 84; y++)
          for (let x = 36 + i * 48; x < 84 + i * 48; x++) {
            const edge = y < 40 || y >= 80 || x < 40 + i * 48 || x >= 80 + i * 48;
            data[y * width + x] = edge ? 150 : 0;
          }
      return cell;
    };
    const whole = stampEvidence(lightRing(1));
    expect(whole).toMatchObject({ method: 'ring', stamped: true });
    expect(whole.confidence).toBeGreaterThanOrEqual(0.9);
    const broken = stampEvidence(lightRing(0.62));
    expect(broken).toMatchObject({ method: 'ring', stamped: true });
    expect(broken.confidence).toBeLessThan(0.9);
  });

  it('is sure of a seal whose grey share alone is near the threshold when its ring is also there', () => {
    // ~4.4 % of the cell mid-grey either way: a whole ring, and a thicker one broken off at 60 %.
    const whole = stampEvidence(ringCell({ inner: 220, outer: 242, grey: 120 }));
    expect(whole).toMatchObject({ method: 'grey', stamped: true, confidence: 0.95 });
    const broken = stampEvidence(ringCell({ inner: 210, outer: 251, grey: 120, arc: 0.6 }));
    expect(broken).toMatchObject({ method: 'grey', stamped: true });
    expect(broken.confidence).toBeLessThan(0.9);
  });

  it('finds a faded (pink) seal on a colour scan; a trace of pink it leaves to a person to confirm', () => {
    const width = 1200;
    const height = 600;
    const cell = (ring: [number, number, number], outer = 236) => {
      const data = new Uint8Array(width * height * 3).fill(250);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const d = Math.hypot(x - 900, y - 300);
          if (d > 200 && d < outer) data.set(ring, (y * width + x) * 3);
        }
      return { width, height, channels: 3 as const, data };
    };
    // Bright red ink: sure. Pink (R − max(G, B) ≈ 35) over 7 % of the cell: a seal, sure.
    expect(stampEvidence(cell([210, 40, 50]))).toMatchObject({ stamped: true });
    const faded = stampEvidence(cell([245, 205, 210]));
    expect(faded.stamped).toBe(true);
    expect(faded.confidence).toBeGreaterThanOrEqual(0.9);
    // A thin pink ring, 0.7 % of the cell (under 2.5 times the red share's threshold): found, for a person.
    const trace = stampEvidence(cell([245, 205, 210], 204));
    expect(trace.stamped).toBe(true);
    expect(trace.confidence).toBeLessThan(0.9);
    // Cream paper is not a seal.
    expect(stampEvidence(cell([250, 240, 215])).stamped).toBe(false);
  });
});

/** A 1200 × 600 greyscale cell of white paper. */
const RING_CELL = { width: 1200, height: 600 };

/** The cell with a ring of `grey` ink round (900, 300), between radii `inner` and `outer`; `arc`: the share inked. */
function ringCell(ring: { inner: number; outer: number; grey: number; arc?: number }): Raster {
  const { width, height } = RING_CELL;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - 900, y - 300);
      const angle = (Math.atan2(y - 300, x - 900) + Math.PI) / (2 * Math.PI);
      if (d > ring.inner && d < ring.outer && angle < (ring.arc ?? 1)) data[y * width + x] = ring.grey;
    }
  return { width, height, channels: 1, data };
}

describe('stampEvidence on bilevel scans', () => {
  const bilevel = (r: Raster): Raster => ({ ...r, data: r.data.map((v) => (v < 160 ? 0 : 255)) });
  it('finds the seal ring when the seal is as black as the print', () => {
    const withSeal = stampEvidence(crop(bilevel(toGrey(sealed)), opinionCell));
    expect(withSeal).toMatchObject({ method: 'ring', stamped: true });
    expect(withSeal.share).toBeGreaterThan(0.5);
  });
  it('sees no ring in text and rules', () => {
    for (const box of [opinionCell, paragraphCell]) {
      const ev = stampEvidence(crop(bilevel(plainGrey), box));
      expect(ev.method).toBe('ring');
      expect(ev.stamped).toBe(false);
    }
  });
});

describe('flattenIllumination', () => {
  it('evens out a light falloff and keeps the ink dark', async () => {
    const page = await renderForm({ dpi: 150 });
    const dim = unevenLight(page, 0.5);
    expect((await estimateBackground(dim)).spread).toBeGreaterThan(60);
    const { image, spread } = await flattenIllumination(dim);
    expect(spread).toBeGreaterThan(60);
    expect((await estimateBackground(image)).spread).toBeLessThan(12);
    // Paper in the dim corner is paper again; print there is still print.
    let paper = 0;
    let paperWhite = 0;
    let ink = 0;
    let inkDark = 0;
    for (let y = Math.floor(page.height * 0.7); y < page.height; y++) {
      for (let x = Math.floor(page.width * 0.5); x < page.width; x++) {
        const i = y * page.width + x;
        if ((page.data[i] as number) > 250) {
          paper++;
          if ((image.data[i] as number) > 225) paperWhite++;
        } else if ((page.data[i] as number) < 60) {
          ink++;
          if ((image.data[i] as number) < 100) inkDark++;
        }
      }
    }
    expect(paperWhite / paper).toBeGreaterThan(0.98);
    expect(inkDark / ink).toBeGreaterThan(0.9);
  });

  it('leaves an evenly lit page alone', async () => {
    expect((await estimateBackground(makeRaster(400, 600, 1, 235))).spread).toBe(0);
  });
});

describe('a black-and-white page kept in a colour or grey file', () => {
  it('is told from a grey scan, a rendered page and a colour page by its pixels', async () => {
    // A 1-bit scan a PDF keeps as 8-bit RGB: only 0 and 255, all three channels alike.
    const grey = toGrey(await renderForm({ dpi: 150, seal: false, channels: 3 }));
    const bw = { ...grey, data: grey.data.map((v) => (v < 128 ? 0 : 255)) };
    const asRgb = makeRaster(bw.width, bw.height, 3);
    for (let i = 0; i < bw.data.length; i++) asRgb.data.fill(bw.data[i] as number, i * 3, i * 3 + 3);
    expect(looksBilevel(bw)).toBe(true);
    expect(looksBilevel(asRgb)).toBe(true);
    // Saved as a good JPEG it is still a black-and-white scan: the ringing touches few pixels.
    expect(looksBilevel(await jpegRoundTrip(asRgb, 90))).toBe(true);
    // The rendered page's smoothed stroke edges, a seal's colour: not black and white.
    expect(looksBilevel(grey)).toBe(false);
    expect(looksBilevel(await renderForm({ dpi: 150, seal: true }))).toBe(false);
  });
});

describe('sealCover', () => {
  // A vertical rule at x = 50 on a 100 × 300 page, gone from y = 100 to 200 (lifted with a seal, or
  // never printed); `stretch(y)` says what each row of that stretch shows.
  const pageWith = (stretch: (y: number) => 'rule' | 'red' | 'paper') => {
    const page = makeRaster(100, 300, 1);
    const colour = makeRaster(100, 300, 3);
    for (let y = 0; y < 300; y++) {
      const shows = y >= 100 && y <= 200 ? stretch(y) : 'rule';
      for (let x = 48; x <= 52; x++) {
        const i = y * 100 + x;
        if (shows === 'rule') {
          page.data[i] = 20;
          colour.data.fill(20, i * 3, i * 3 + 3);
        } else if (shows === 'red') colour.data.set([210, 60, 60], i * 3);
      }
    }
    return sealCover(colour, page);
  };

  it('takes a stretch where the rule shows wherever the seal’s strokes do not for covered', () => {
    const cover = pageWith((y) => (Math.floor(y / 10) % 2 === 0 ? 'red' : 'rule'));
    expect(cover(true, 50, 100, 200)).toBe(true);
  });

  it('does not take bare paper along the line for a seal’s cover', () => {
    expect(pageWith((y) => (Math.floor(y / 10) % 2 === 0 ? 'red' : 'paper'))(true, 50, 100, 200)).toBe(false);
    expect(pageWith(() => 'paper')(true, 50, 100, 200)).toBe(false);
    // A rule that is all there has nothing covered by a seal.
    expect(pageWith(() => 'rule')(true, 50, 100, 200)).toBe(false);
  });
});
