// Stamping finished PDFs and making the print file. By default nothing is added: the seal areas
// stay blank for stamping by hand, which is the only form that counts on paper. On request:
// an organisation's seal image over the signer and the date (GB/T 9704-2012 7.3.5: the seal
// presses down on 发文机关署名 and 成文日期, which sit a little below its centre), a 骑缝章 split
// across the right edge of all pages, and a 草稿 watermark. A seal image is a picture, not an
// electronic seal: SEAL_IMAGE_NOTICE says so wherever seals are offered.
import { readFile, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import {
  beginText,
  clip,
  concatTransformationMatrix,
  drawObject,
  endPath,
  endText,
  PDFDocument,
  type PDFName,
  type PDFPage,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingRgbColor,
  setFontAndSize,
  setGraphicsState,
  setTextMatrix,
  showText,
} from 'pdf-lib';
import sharp from 'sharp';
import { type CjkFontSource, embedCjkFont, subsetFace } from './font.js';
import { findDateLine, findDateLineNear, readTextLines } from './locate.js';

/** For the CLI and the README, shown wherever a seal image is offered. */
export const SEAL_IMAGE_NOTICE =
  '印章图片仅为图像，不是合法有效的电子印章；电子印章须依 GB/T 38540 使用数字证书签章。正式文件请打印后加盖实物印章。\n' +
  'A seal image in a PDF is only a picture, not a legally valid electronic seal: that needs ' +
  'certificate-based signing per GB/T 38540. Print and stamp by hand for documents that must be valid.';

const MM = 72 / 25.4;

export interface SealOptions {
  /** The organisation's seal: a PNG with a transparent background (path or bytes). */
  image: string | Uint8Array;
  /** Printed diameter. Default 42 mm (the usual round seal of an organ or company). */
  diameterMm?: number;
  /** How far the seal's centre sits above the centre of the date line. Default 6 mm. */
  raiseMm?: number;
  /** Place here instead of on the date: 0-based page, centre in points from the bottom left. */
  at?: { page: number; x: number; y: number };
  /** A line matching this is the date line (default: a line holding only 2020年4月28日 or similar). */
  datePattern?: RegExp;
  /**
   * The organisation whose seal this is, when several parties sign (an agreement's columns): the
   * seal goes on the date below this name instead of the document's last date line.
   */
  near?: string;
}

export interface PerforationOptions {
  image: string | Uint8Array;
  diameterMm?: number;
  /** Height of the seal's centre as a fraction of the page height from the bottom. Default 0.5. */
  heightRatio?: number;
}

export interface DraftOptions {
  /** Default 草稿. */
  text?: string;
  /** Default 0.18: legible, and the text under it stays readable. */
  opacity?: number;
  font?: CjkFontSource;
}

export interface StampOptions {
  /** Where to write; default: over the input. */
  out?: string;
  seal?: SealOptions;
  perforation?: PerforationOptions;
  draft?: boolean | DraftOptions;
}

export interface StampResult {
  out: string;
  pages: number;
  /** Where the seal went (centre, points), when one was asked for and placed. */
  seal?: { page: number; x: number; y: number; diameter: number; dateText?: string };
  warnings: string[];
}

const nothingToDo = (o: StampOptions): boolean => !o.seal && !o.perforation && !o.draft;

/**
 * Stamps one PDF. With no seal, perforation or draft option it writes the PDF unchanged (blank
 * seal areas for stamping by hand). A seal whose date line cannot be found is left out with a
 * warning rather than put somewhere wrong.
 */
export async function stampPdf(pdfPath: string, options: StampOptions = {}): Promise<StampResult> {
  const out = options.out ?? pdfPath;
  const bytes = await readFile(pdfPath);
  const warnings: string[] = [];
  // updateMetadata: false keeps the producer and dates: a stamped file differs only by the stamps.
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = doc.getPages();
  if (nothingToDo(options)) {
    if (out !== pdfPath) await writeFile(out, bytes);
    return { out, pages: pages.length, warnings };
  }

  let seal: StampResult['seal'];
  if (options.seal) {
    const s = options.seal;
    const diameter = (s.diameterMm ?? 42) * MM;
    let at = s.at;
    let dateText: string | undefined;
    if (!at) {
      const lines = await readTextLines(pdfPath);
      const line = s.near
        ? findDateLineNear(lines, s.near, s.datePattern)
        : findDateLine(lines, s.datePattern);
      if (line) {
        at = {
          page: line.page,
          x: line.x + line.width / 2,
          y: line.y + line.height / 2 + (s.raiseMm ?? 6) * MM,
        };
        dateText = line.text.trim();
      } else
        warnings.push(
          `no date line (成文日期)${s.near ? ` below ${s.near}` : ''} found in ${pdfPath}: seal not placed`,
        );
    }
    const page = at ? pages[at.page] : undefined;
    if (at && page) {
      const image = embedImage(doc, await prepareImage(s.image));
      const h = (diameter * image.height) / image.width;
      drawImage(page, image, at.x - diameter / 2, at.y - h / 2, diameter, h);
      seal = { page: at.page, x: at.x, y: at.y, diameter, ...(dateText ? { dateText } : {}) };
    } else if (at) warnings.push(`seal page ${at.page + 1} does not exist in ${pdfPath}`);
  }

  if (options.perforation) {
    if (pages.length < 2) warnings.push(`骑缝章 needs at least two pages; ${pdfPath} has ${pages.length}`);
    else {
      const p = options.perforation;
      const image = embedImage(doc, await prepareImage(p.image));
      drawPerforation(pages, image, (p.diameterMm ?? 42) * MM, p.heightRatio ?? 0.5);
    }
  }

  if (options.draft) {
    const d: DraftOptions = options.draft === true ? {} : options.draft;
    await drawDraft(doc, pages, d);
  }

  await writeFile(out, await doc.save());
  return { out, pages: pages.length, ...(seal ? { seal } : {}), warnings };
}

// ---- seal images ---------------------------------------------------------------------------------

interface PreparedImage {
  width: number;
  height: number;
  /** Deflated RGB samples and alpha samples: compressed once per seal, not once per document. */
  rgb: Uint8Array;
  alpha: Uint8Array;
}

interface PlacedImage {
  width: number;
  height: number;
  ref: PDFRef;
  multiply: PDFRef;
}

// pdf-lib decodes and recompresses a PNG in JavaScript on every embed (~0.1–0.4 s for a 600 px
// seal); a batch stamps the same seal hundreds of times, so decode it once with sharp.
const prepared = new Map<string, Promise<PreparedImage>>();
const preparedBytes = new WeakMap<Uint8Array, Promise<PreparedImage>>();

function prepareImage(image: string | Uint8Array): Promise<PreparedImage> {
  const cached = typeof image === 'string' ? prepared.get(image) : preparedBytes.get(image);
  if (cached) return cached;
  const made = decode(image);
  if (typeof image === 'string') prepared.set(image, made);
  else preparedBytes.set(image, made);
  // A failed read must not stay cached: the next call should try (and report) again.
  made.catch(() => (typeof image === 'string' ? prepared.delete(image) : preparedBytes.delete(image)));
  return made;
}

async function decode(image: string | Uint8Array): Promise<PreparedImage> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const rgb = Buffer.alloc(n * 3);
  const alpha = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = data[i * 4] as number;
    rgb[i * 3 + 1] = data[i * 4 + 1] as number;
    rgb[i * 3 + 2] = data[i * 4 + 2] as number;
    alpha[i] = data[i * 4 + 3] as number;
  }
  return { width: info.width, height: info.height, rgb: deflateSync(rgb), alpha: deflateSync(alpha) };
}

function embedImage(doc: PDFDocument, img: PreparedImage): PlacedImage {
  const ctx = doc.context;
  const common = {
    Type: 'XObject',
    Subtype: 'Image',
    Width: img.width,
    Height: img.height,
    BitsPerComponent: 8,
    Filter: 'FlateDecode',
  };
  const smask = ctx.register(ctx.stream(img.alpha, { ...common, ColorSpace: 'DeviceGray' }));
  const ref = ctx.register(ctx.stream(img.rgb, { ...common, ColorSpace: 'DeviceRGB', SMask: smask }));
  // Multiply: the red ink darkens the words under it instead of hiding them, as on paper.
  const multiply = ctx.register(ctx.obj({ Type: 'ExtGState', BM: 'Multiply' }));
  return { width: img.width, height: img.height, ref, multiply };
}

function drawImage(page: PDFPage, image: PlacedImage, x: number, y: number, w: number, h: number): void {
  const name: PDFName = page.node.newXObject('XtSeal', image.ref);
  const gs = page.node.newExtGState('XtSealGS', image.multiply);
  page.pushOperators(
    pushGraphicsState(),
    setGraphicsState(gs),
    concatTransformationMatrix(w, 0, 0, h, x, y),
    drawObject(name),
    popGraphicsState(),
  );
}

/**
 * The seal cut into as many vertical slices as there are pages; page i shows slice i at its right
 * edge, so the pages fanned out (or stacked and aligned on the right) show the whole seal.
 */
function drawPerforation(pages: PDFPage[], image: PlacedImage, diameter: number, heightRatio: number): void {
  const slice = diameter / pages.length;
  const h = (diameter * image.height) / image.width;
  for (const [i, page] of pages.entries()) {
    const { width, height } = page.getSize();
    const y = height * heightRatio - h / 2;
    page.pushOperators(pushGraphicsState(), rectangle(width - slice, y, slice, h), clip(), endPath());
    drawImage(page, image, width - slice * (i + 1), y, diameter, h);
    page.pushOperators(popGraphicsState());
  }
}

const draftFonts = new Map<string, Promise<Buffer>>();

async function drawDraft(doc: PDFDocument, pages: PDFPage[], options: DraftOptions): Promise<void> {
  const text = options.text ?? '草稿';
  const key = `${options.font?.file ?? ''}\n${options.font?.family ?? ''}\n${text}`;
  let subset = draftFonts.get(key);
  if (!subset) {
    subset = subsetFace(text, options.font);
    draftFonts.set(key, subset);
  }
  const font = embedCjkFont(doc, await subset, 'XietongDraft');
  const gs = doc.context.register(doc.context.obj({ Type: 'ExtGState', ca: options.opacity ?? 0.18 }));
  const encoded = font.encode(text);
  for (const page of pages) {
    const { width, height } = page.getSize();
    const fontKey = page.node.newFontDictionary('XtDraft', font.ref);
    const gsKey = page.node.newExtGState('XtDraftGS', gs);
    // 45°, as large as fits inside the page's shorter side with a margin.
    const angle = Math.PI / 4;
    const size = Math.min(
      180,
      (Math.min(width, height) * Math.SQRT2 * 0.6) / Math.max(1, font.widthOf(text, 1)),
    );
    const w = font.widthOf(text, size);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // Start point so that the text's centre (w/2 along, ~0.35 em up) lands on the page's centre.
    const x = width / 2 - (w / 2) * cos + 0.35 * size * sin;
    const y = height / 2 - (w / 2) * sin - 0.35 * size * cos;
    page.pushOperators(
      pushGraphicsState(),
      setGraphicsState(gsKey),
      setFillingRgbColor(0.75, 0.1, 0.1),
      beginText(),
      setFontAndSize(fontKey, size),
      setTextMatrix(cos, sin, -sin, cos, x, y),
      showText(encoded),
      endText(),
      popGraphicsState(),
    );
  }
}

// ---- the print file ------------------------------------------------------------------------------

export interface MergeResult {
  out: string;
  pages: number;
  blanksAdded: number;
  /** Where each input starts in the print file (1-based), for a table of contents or a check. */
  documents: { pdf: string; firstPage: number; pages: number }[];
}

/**
 * One PDF for a batch: the documents in order, with a blank page after each document of odd page
 * count (except the last), so that on a duplex printer every document starts on a front side.
 */
export async function mergeForPrint(pdfs: readonly string[], out: string): Promise<MergeResult> {
  const merged = await PDFDocument.create();
  const documents: MergeResult['documents'] = [];
  let blanksAdded = 0;
  for (const [i, pdf] of pdfs.entries()) {
    const src = await PDFDocument.load(await readFile(pdf), { updateMetadata: false });
    const copied = await merged.copyPages(src, src.getPageIndices());
    documents.push({ pdf, firstPage: merged.getPageCount() + 1, pages: copied.length });
    for (const page of copied) merged.addPage(page);
    const last = copied[copied.length - 1];
    if (copied.length % 2 === 1 && i < pdfs.length - 1 && last) {
      const { width, height } = last.getSize();
      merged.addPage([width, height]);
      blanksAdded++;
    }
  }
  await writeFile(out, await merged.save());
  return { out, pages: merged.getPageCount(), blanksAdded, documents };
}
