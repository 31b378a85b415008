import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  CAPTURE_KINDS,
  type CapturedFile,
  CaptureTruthSchema,
  type CleanPage,
  captureFiles,
} from '../../scripts/corpus/capture.js';
import type { Raster } from '../../scripts/samples/raster.js';

const run = promisify(execFile);

/** A small page: lines of "text", a table rule, and a solid red seal disc at a known place. */
function syntheticPage(id: string, formPage: number, sealed: boolean): CleanPage {
  const width = 600;
  const height = 850;
  const data = new Uint8ClampedArray(width * height * 3).fill(255);
  const set = (x: number, y: number, rgb: readonly number[]) => {
    const o = (y * width + x) * 3;
    data[o] = rgb[0] as number;
    data[o + 1] = rgb[1] as number;
    data[o + 2] = rgb[2] as number;
  };
  for (let y = 80; y < 780; y += 24)
    for (let x = 60; x < 540; x++)
      if ((x >> 3) % 3 !== 2) for (let k = 0; k < 8; k++) set(x, y + k, [20, 20, 20]);
  for (let x = 40; x < 560; x++) set(x, 60, [0, 0, 0]);
  const centre: [number, number] = [430, 620];
  const radius = 45;
  if (sealed) {
    for (let y = centre[1] - radius; y <= centre[1] + radius; y++)
      for (let x = centre[0] - radius; x <= centre[0] + radius; x++)
        if ((x - centre[0]) ** 2 + (y - centre[1]) ** 2 <= radius ** 2) set(x, y, [205, 30, 38]);
  }
  const image: Raster = { width, height, channels: 3, data };
  return {
    formPage,
    image,
    id,
    form: 'registration',
    seals: sealed ? [{ cell: 'recommendation', organisation: '测试单位', centre, radius }] : [],
  };
}

// Four submissions of two pages, the second page of each sealed.
const PAGES: CleanPage[] = ['a', 'b', 'c', 'd'].flatMap((id) => [
  syntheticPage(id, 1, false),
  syntheticPage(id, 2, true),
]);
const OPTIONS = { photoScale: 0.2 };
// Photos cost the most: one submission of them is enough.
const pagesFor = (kind: (typeof CAPTURE_KINDS)[number]) =>
  kind === 'phone-photo' || kind === 'chat-photo' ? PAGES.slice(0, 2) : PAGES;

const cache = new Map<string, Promise<CapturedFile[]>>();
const capture = (kind: (typeof CAPTURE_KINDS)[number], seed = 'test') => {
  const key = `${kind}#${seed}`;
  if (!cache.has(key)) cache.set(key, captureFiles(kind, pagesFor(kind), seed, OPTIONS));
  return cache.get(key) as Promise<CapturedFile[]>;
};

/** The pixel at (x, y) of page `page` (1-based) of a file, as RGB. */
async function pixelAt(f: CapturedFile, page: number, x: number, y: number): Promise<number[]> {
  let img: Buffer;
  if (f.truth.format === 'pdf') {
    const dir = await mkdtemp(join(tmpdir(), 'capture-test-'));
    try {
      await writeFile(join(dir, 'f.pdf'), f.bytes);
      const dpi = f.truth.pages[page - 1]?.capture?.fileDpi ?? 300;
      await run('pdftoppm', [
        '-r',
        String(dpi),
        '-f',
        String(page),
        '-l',
        String(page),
        '-singlefile',
        '-png',
        join(dir, 'f.pdf'),
        join(dir, 'p'),
      ]);
      img = await readFile(join(dir, 'p.png'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else {
    img = await sharp(f.bytes, { page: page - 1 })
      .rotate()
      .png()
      .toBuffer();
  }
  const { data, info } = await sharp(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const o = (Math.round(y) * info.width + Math.round(x)) * info.channels;
  return info.channels === 1
    ? [data[o], data[o], data[o]].map(Number)
    : [data[o], data[o + 1], data[o + 2]].map(Number);
}

describe('captureFiles', () => {
  it.each(CAPTURE_KINDS)('%s: same pages and seed give the same bytes', async (kind) => {
    const a = await capture(kind);
    const b = await captureFiles(kind, pagesFor(kind), 'test', OPTIONS);
    expect(b.map((f) => f.name)).toEqual(a.map((f) => f.name));
    for (const [i, f] of a.entries()) expect(Buffer.compare(f.bytes, (b[i] as CapturedFile).bytes)).toBe(0);
  });

  it('a different seed gives different files', async () => {
    const a = await capture('office-scan');
    const b = await capture('office-scan', 'other');
    expect(Buffer.concat(a.map((f) => f.bytes)).equals(Buffer.concat(b.map((f) => f.bytes)))).toBe(false);
  });

  it.each(CAPTURE_KINDS)('%s: the truth covers every page in order and each file decodes', async (kind) => {
    const files = await capture(kind);
    const pages = files.flatMap((f) => CaptureTruthSchema.parse(f.truth).pages);
    expect(pages.map((p) => `${p.record}#${p.formPage}`)).toEqual(
      pagesFor(kind).map((p) => `${p.id}#${p.formPage}`),
    );
    expect(new Set(files.map((f) => f.name)).size).toBe(files.length);
    for (const f of files) {
      expect(f.truth.file).toBe(f.name);
      expect(f.truth.pages.every((p) => p.capture?.kind === kind)).toBe(true);
      if (f.truth.format === 'pdf') {
        const doc = await PDFDocument.load(f.bytes);
        expect(doc.getPageCount()).toBe(f.truth.pages.length);
        continue;
      }
      const meta = await sharp(f.bytes).metadata();
      expect(meta.pages ?? 1).toBe(f.truth.pages.length);
      const t = f.truth.pages[0];
      const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
      expect([oriented.width, oriented.height]).toEqual([t?.width, t?.height]);
      // Scanners write the real resolution, phones 72 dpi.
      expect(meta.density).toBe(t?.capture?.fileDpi);
      if (kind === 'chat-photo') expect(meta.exif).toBeUndefined();
      if (kind === 'phone-photo') expect(meta.exif).toBeDefined();
    }
  });

  it('feeder batches have a page upside down and pages on their side, sized accordingly', async () => {
    const files = await capture('feeder-pdf');
    let sideways = 0;
    for (const f of files) {
      const turns = f.truth.pages.map((p) => p.capture?.quarterTurn);
      expect(turns.filter((t) => t === 180)).toHaveLength(1);
      const doc = await PDFDocument.load(f.bytes);
      for (const [i, p] of f.truth.pages.entries()) {
        const turn = p.capture?.quarterTurn ?? 0;
        expect(Math.abs(p.rotation - turn)).toBeLessThan(1.5);
        expect(p.upsideDown).toBe(turn === 180);
        const { width, height } = (doc.getPage(i) as ReturnType<typeof doc.getPage>).getSize();
        expect(width > height).toBe(turn === 90 || turn === 270);
        expect(width).toBeCloseTo((p.width * 72) / p.dpi, 3);
        if (turn === 90 || turn === 270) sideways++;
      }
    }
    expect(sideways).toBeGreaterThan(0);
  });

  it.each(['office-scan', 'feeder-pdf', 'phone-photo', 'chat-photo', 'clean'] as const)(
    '%s: every seal centre in the truth lands on the seal',
    async (kind) => {
      const files = await capture(kind);
      let checked = 0;
      let turned = 0;
      for (const f of files) {
        for (const [i, p] of f.truth.pages.entries()) {
          for (const s of p.seals) {
            const [r, g, b] = await pixelAt(f, i + 1, s.centre[0], s.centre[1]);
            const red = (r as number) > (g as number) + 50 && (r as number) > (b as number) + 40;
            const dark = (r as number) < 150 && Math.abs((r as number) - (g as number)) < 25;
            expect(red || dark, `${f.name} page ${i + 1}: ${r},${g},${b}`).toBe(true);
            // The radius scales with the resolution: 45 px at 300 dpi.
            expect(s.radius / ((45 * p.dpi) / 300)).toBeGreaterThan(0.85);
            expect(s.radius / ((45 * p.dpi) / 300)).toBeLessThan(1.15);
            checked++;
            if (p.capture?.quarterTurn === 90 || p.capture?.quarterTurn === 270) turned++;
          }
        }
      }
      expect(checked).toBe(pagesFor(kind).filter((p) => p.seals.length > 0).length);
      // With this seed the feeder turns sealed pages on their side: the quarter turn is checked too.
      if (kind === 'feeder-pdf') expect(turned).toBeGreaterThan(0);
    },
  );
});
