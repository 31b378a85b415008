import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { lowResolutionScanScale, preparePage } from '../../src/prepare/index.js';
import {
  decodeImage,
  encodePgm,
  encodePng,
  type Raster,
  resize,
  rotateQuarter,
} from '../../src/prepare/raster.js';
import { redness } from '../../src/prepare/redink.js';
import { cameraQuad, jpegRoundTrip, photoOf, renderForm, rotated, unevenLight } from './fixtures.js';

async function jpeg(r: Raster): Promise<Buffer> {
  return sharp(await encodePng(r))
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** Mean absolute difference of two pages, compared 300 px wide over their common size. */
async function difference(a: Raster, b: Raster): Promise<number> {
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  const small = async (r: Raster) =>
    sharp(await encodePng(r))
      .extract({ left: 0, top: 0, width: w, height: h })
      .resize(300, Math.round((300 * h) / w))
      .toColourspace('b-w')
      .raw()
      .toBuffer();
  const [x, y] = [await small(a), await small(b)];
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs((x[i] as number) - (y[i] as number));
  return s / x.length;
}

describe('preparePage', () => {
  it('a sealed colour scan, a little skewed: levels it, lifts the seal, keeps a colour copy', async () => {
    const scan = await jpegRoundTrip(await rotated(await renderForm({ dpi: 150, seal: true }), 2.2));
    const res = await preparePage(await jpeg(scan));
    expect(res.steps.source.channels).toBe(3);
    expect(res.steps.skew?.angle).toBeCloseTo(2.2, 0);
    expect(Math.abs((res.steps.skew?.angle ?? 0) - 2.2)).toBeLessThanOrEqual(0.2);
    expect(res.steps.orientation).toMatchObject({ angle: 0 });
    expect(res.steps.perspective?.applied).toBe(false);
    expect(res.steps.redInk?.share).toBeGreaterThan(0.003);
    expect(res.page.channels).toBe(1);
    expect(res.colour?.channels).toBe(3);
    expect([res.colour?.width, res.colour?.height]).toEqual([res.page.width, res.page.height]);
    // The colour copy still has the seal (for stamp evidence); the grey page has no trace of it.
    expect(redness(res.colour as Raster).some((v) => v > 100)).toBe(true);
    for (const k of [
      'decode',
      'perspective',
      'illumination',
      'redInk',
      'deskew',
      'orientation',
      'contrast',
      'total',
    ]) {
      expect(res.steps.timingsMs[k]).toBeGreaterThanOrEqual(0);
    }
  });

  it('an upside-down greyscale scan comes back upright', async () => {
    const upright = await renderForm({ dpi: 150 });
    const res = await preparePage(await jpeg(await rotateQuarter(upright, 180)));
    expect(res.steps.orientation).toMatchObject({ angle: 180, method: 'statistics' });
    expect(res.colour).toBeUndefined();
    // Scanned at 150 dpi: read at 300, like every page.
    expect([res.page.width, res.page.height]).toEqual([upright.width * 2, upright.height * 2]);
    expect(await difference(res.page, await resize(upright, res.page.width, res.page.height))).toBeLessThan(
      4,
    );
  });

  it('scales a low-resolution A4 scan up to 300 dpi, and leaves other shapes to the perspective step', () => {
    expect(lowResolutionScanScale({ width: 1240, height: 1754 })).toBeCloseTo(2, 2);
    expect(lowResolutionScanScale({ width: 1754, height: 1240 })).toBeCloseTo(2, 2);
    expect(lowResolutionScanScale({ width: 2481, height: 3508 })).toBe(1);
    // A 4:3 chat photo is no A4 scan, however small.
    expect(lowResolutionScanScale({ width: 1500, height: 2000 })).toBe(1);
  });

  it('a phone photo: finds the page, straightens it, evens the light', async () => {
    const page = await renderForm({ dpi: 150, seal: true });
    const W = 1300;
    const H = 1600;
    const photo = unevenLight(photoOf(page, cameraQuad(W, H, 0.3, -0.12, 1500), W, H), 0.5);
    const res = await preparePage(await jpeg(photo));
    expect(res.steps.perspective).toMatchObject({ kind: 'page', applied: true });
    expect(res.steps.illumination.flattened).toBe(true);
    expect(res.page.height / res.page.width).toBeCloseTo(Math.SQRT2, 2);
    expect(Math.abs(res.steps.skew?.angle ?? 0)).toBeLessThan(0.5);
    expect(res.steps.orientation?.angle).toBe(0);
  });

  it('does not square a scan around a small piece of a table whose faint rules broke it up', async () => {
    // An A4 scan (150 dpi) whose only dark outline is a skewed box over 15 % of the page.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="100%" height="100%" fill="#fff"/>
      <polygon points="200,1100 1050,1180 1040,1500 210,1560" fill="none" stroke="#000" stroke-width="6"/>
      <line x1="205" y1="1330" x2="1045" y2="1340" stroke="#000" stroke-width="4"/></svg>`;
    const png = await sharp(Buffer.from(svg)).greyscale().png().toBuffer();
    const prepared = await preparePage(png, { orientation: 0 });
    expect(prepared.steps.perspective?.kind).toBe('table');
    expect(prepared.steps.perspective?.applied).toBe(false);
  });

  it('squares no 1-bit image: it comes from a scanner, flat', async () => {
    // A large skewed quad that a greyscale image would be squared around.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="100%" height="100%" fill="#fff"/>
      <polygon points="150,200 1090,150 1100,1600 140,1650" fill="none" stroke="#000" stroke-width="6"/>
      <line x1="145" y1="900" x2="1095" y2="880" stroke="#000" stroke-width="4"/></svg>`;
    const grey = await sharp(Buffer.from(svg)).greyscale().png().toBuffer();
    const found = await preparePage(grey, { orientation: 0 });
    expect(found.steps.perspective?.applied).toBe(true);
    const bilevel = await sharp(Buffer.from(svg))
      .greyscale()
      .threshold(128)
      .png({ palette: true, colours: 2 })
      .toBuffer();
    const scanned = await preparePage(bilevel, { orientation: 0 });
    expect(scanned.steps.source.bilevel).toBe(true);
    expect(scanned.steps.perspective).toBeNull();
  });

  it('honours a fixed orientation and switched-off steps', async () => {
    const page = await renderForm({ dpi: 100 });
    const res = await preparePage(await rotateQuarter(page, 90), {
      orientation: 90,
      deskew: false,
      perspective: 'never',
      illumination: 'never',
      upscale: false,
    });
    expect(res.steps).toMatchObject({ skew: null, perspective: null, orientation: { angle: 90 } });
    expect([res.page.width, res.page.height]).toEqual([page.width, page.height]);
  });

  it('rejects a truncated file with sharp’s message', async () => {
    const bytes = await jpeg(await renderForm({ dpi: 100 }));
    await expect(preparePage(bytes.subarray(0, bytes.length / 2))).rejects.toThrow();
  });
});

describe('encodePgm and decodeImage', () => {
  it('writes a binary PGM: header, then the grey pixels as they are (colour turned to luma)', () => {
    const grey: Raster = {
      width: 3,
      height: 2,
      channels: 1,
      data: Uint8Array.from([0, 50, 100, 150, 200, 255]),
    };
    const pgm = encodePgm(grey);
    expect(pgm.subarray(0, 11).toString('latin1')).toBe('P5\n3 2\n255\n');
    expect([...pgm.subarray(11)]).toEqual([0, 50, 100, 150, 200, 255]);
    const rgb: Raster = { width: 1, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0]) };
    expect([...encodePgm(rgb).subarray(-1)]).toEqual([77]);
  });

  it('decodes a greyscale JPEG to one channel and a colour one to three', async () => {
    const page = await renderForm();
    const greyJpeg = await sharp(await encodePng(page))
      .toColourspace('b-w')
      .jpeg()
      .toBuffer();
    expect((await sharp(greyJpeg).metadata()).channels).toBe(1);
    const decoded = await decodeImage(greyJpeg);
    expect(decoded.channels).toBe(1);
    expect([decoded.width, decoded.height]).toEqual([page.width, page.height]);
    const red = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#c00000' } })
      .jpeg()
      .toBuffer();
    expect((await decodeImage(red)).channels).toBe(3);
  });
});
