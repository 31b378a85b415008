// File formats the bureau receives: single-page JPEG and PNG scans, a multi-page 1-bit TIFF from
// an office scanner, and PDFs from a document feeder (one full-resolution JPEG per page). Encoders
// are given fixed settings and no clock, so the same pixels always give the same bytes.
import { PDFDocument } from 'pdf-lib';
import { type Raster, toSharp } from './raster.js';

export const SCAN_DPI = 300;

// PDF metadata carries dates; a fixed one keeps the feeder PDFs byte-identical across runs.
const FIXED_DATE = new Date('2020-05-26T09:30:00+08:00');

// A one-channel raw input would otherwise be written as three identical sRGB channels.
const source = (r: Raster, pageHeight?: number) => {
  const s = toSharp(r, pageHeight);
  return r.channels === 1 ? s.toColourspace('b-w') : s;
};

export async function encodeJpeg(r: Raster, quality: number, dpi?: number): Promise<Buffer> {
  let s = source(r);
  if (dpi) s = s.withDensity(dpi);
  return s.jpeg({ quality, chromaSubsampling: '4:2:0', optimiseCoding: true }).toBuffer();
}

/**
 * PNG as scanner and export software write them: `colours` reduces to a palette (2 gives a 1-bit
 * image), which keeps a noise-free page small; without it, 8-bit grey or RGB.
 */
export async function encodePng(r: Raster, dpi: number, colours?: number): Promise<Buffer> {
  const palette = colours ? { palette: true, colours, dither: 0 } : {};
  return source(r)
    .withDensity(dpi)
    .png({ compressionLevel: 9, adaptiveFiltering: true, ...palette })
    .toBuffer();
}

/** A multi-page CCITT G4 TIFF; all pages must be 1-bit rasters (0/255) of the same size. */
export async function encodeBilevelTiff(pages: readonly Raster[], dpi: number): Promise<Buffer> {
  const first = pages[0];
  if (!first) throw new Error('no pages');
  for (const p of pages) {
    if (p.width !== first.width || p.height !== first.height || p.channels !== 1) {
      throw new Error('TIFF pages must be greyscale and of one size');
    }
  }
  const stacked = new Uint8ClampedArray(first.data.length * pages.length);
  pages.forEach((p, i) => {
    stacked.set(p.data, i * first.data.length);
  });
  const tall: Raster = {
    width: first.width,
    height: first.height * pages.length,
    channels: 1,
    data: stacked,
  };
  return source(tall, first.height)
    .tiff({
      compression: 'ccittfax4',
      bitdepth: 1,
      miniswhite: true,
      xres: dpi / 25.4,
      yres: dpi / 25.4,
      resolutionUnit: 'inch',
    })
    .toBuffer();
}

/** A PDF with one JPEG per page, each drawn at full resolution to fill a page of its size at `dpi`. */
export async function encodeJpegPdf(
  jpegs: readonly { jpeg: Buffer; width: number; height: number }[],
  dpi: number,
) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  doc.setProducer('xietong samples');
  doc.setCreator('xietong scripts/make-samples.ts');
  for (const j of jpegs) {
    const image = await doc.embedJpg(j.jpeg);
    const w = (j.width * 72) / dpi;
    const h = (j.height * 72) / dpi;
    const page = doc.addPage([w, h]);
    page.drawImage(image, { x: 0, y: 0, width: w, height: h });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
