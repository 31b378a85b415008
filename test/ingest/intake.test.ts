import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { discover, open, type PageImage, pagesOf, sniff } from '../../src/ingest/intake.js';
import type { Failure } from '../../src/types.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-intake-'));
const at = (name: string) => join(dir, name);

async function collect(path: string) {
  const opened = await open(path);
  if ('failure' in opened) return { pages: [] as PageImage[], failures: [opened.failure] };
  const pages: PageImage[] = [];
  const failures: Failure[] = [];
  for await (const p of pagesOf(opened.input, opened.bytes)) {
    if ('code' in p) failures.push(p);
    else pages.push(p);
  }
  return { pages, failures };
}

const page = (w = 400, h = 560) =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#ffffff' } }).composite([
    {
      input: Buffer.from(
        `<svg width="${w}" height="${h}"><rect x="40" y="40" width="${w - 80}" height="80" fill="none" stroke="black" stroke-width="3"/></svg>`,
      ),
    },
  ]);

beforeAll(async () => {
  const jpeg = await page().jpeg().toBuffer();
  writeFileSync(at('good.jpg'), jpeg);
  writeFileSync(at('truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
  writeFileSync(at('empty.png'), Buffer.alloc(0));
  writeFileSync(at('notes.txt.png'), Buffer.from('not an image at all'));
  await sharp({ create: { width: 10000, height: 10000, channels: 3, background: '#fff' } })
    .greyscale()
    .png()
    .toFile(at('huge.png'));
  // A feeder PDF: three pages, each one embedded JPEG.
  const pdf = await PDFDocument.create();
  for (let i = 0; i < 3; i++) {
    const img = await pdf.embedJpg(
      await page(400 + i * 10)
        .jpeg()
        .toBuffer(),
    );
    pdf.addPage([img.width, img.height]).drawImage(img, { x: 0, y: 0, width: img.width, height: img.height });
  }
  writeFileSync(at('feeder.pdf'), await pdf.save());
  execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', at('feeder.pdf'), at('encrypted.pdf')]);
  execFileSync('qpdf', ['--encrypt', '', 'owner', '256', '--', at('feeder.pdf'), at('restricted.pdf')]);
  writeFileSync(at('broken.pdf'), Buffer.from('%PDF-1.7\n1 0 obj garbage'));
  // A PDF page that is text, not an image: must be rasterised.
  const textPdf = await PDFDocument.create();
  textPdf.addPage([595, 842]).drawText('hello', { x: 50, y: 700, size: 24 });
  writeFileSync(at('vector.pdf'), await textPdf.save());
  // A two-page TIFF.
  const p1 = await page().png().toBuffer();
  await sharp([p1, p1], { join: { animated: true } })
    .tiff()
    .toFile(at('two.tif'))
    .catch(() => undefined);
});

describe('intake', () => {
  it('sniffs by content, not by name', async () => {
    expect(sniff(Buffer.from('%PDF-1.4'))).toBe('pdf');
    expect(sniff(await page().png().toBuffer())).toBe('png');
    expect(sniff(Buffer.from('hello'))).toBe('unknown');
  });

  it('reads a good image as one page', async () => {
    const r = await collect(at('good.jpg'));
    expect(r.failures).toEqual([]);
    expect(r.pages).toHaveLength(1);
  });

  it('extracts each embedded image of a feeder PDF at its own resolution', async () => {
    const r = await collect(at('feeder.pdf'));
    expect(r.failures).toEqual([]);
    expect(r.pages.map((p) => p.origin)).toEqual(['pdf-embedded', 'pdf-embedded', 'pdf-embedded']);
    const widths = await Promise.all(r.pages.map(async (p) => (await sharp(p.image).metadata()).width));
    expect(widths).toEqual([400, 410, 420]);
  });

  it('reads a PDF that has only an owner password (print/copy restrictions)', async () => {
    const r = await collect(at('restricted.pdf'));
    expect(r.failures).toEqual([]);
    expect(r.pages).toHaveLength(3);
  });

  it('rasterises PDF pages that are not a plain image', async () => {
    const r = await collect(at('vector.pdf'));
    expect(r.pages[0]?.origin).toBe('pdf-rasterised');
    expect((await sharp(r.pages[0]?.image).metadata()).width).toBe(2480);
  });

  it.each([
    ['truncated.jpg', 'corrupt_image'],
    ['empty.png', 'empty_file'],
    ['notes.txt.png', 'unsupported_type'],
    ['huge.png', 'image_too_large'],
    ['encrypted.pdf', 'encrypted_pdf'],
    ['broken.pdf', 'corrupt_pdf'],
    ['missing.png', 'file_not_found'],
  ])('%s becomes a failure %s with a message naming the file', async (name, code) => {
    const r = await collect(at(name));
    expect(r.pages).toEqual([]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]?.code).toBe(code);
    expect(r.failures[0]?.message).toContain(name);
    expect(r.failures[0]?.messageEn).toContain(name);
  });

  it('splits a multi-page TIFF', async () => {
    const r = await collect(at('two.tif'));
    expect(r.failures).toEqual([]);
    expect(r.pages.length).toBe(2);
  });

  it('discovers inputs in folders and reports missing paths', async () => {
    const r = await discover([dir, at('nope')]);
    expect(r.files.some((f) => f.endsWith('feeder.pdf'))).toBe(true);
    expect(r.failures.map((f) => f.code)).toEqual(['file_not_found']);
  });
});
