// Writes one file of each capture kind into /tmp/capture-preview/ (or the folder given as the first
// argument), with its truth JSON and a small overlay PNG per page — truth seal rings in green, the
// page quad in blue — to eyeball that the captures look like the real thing and the truth fits.
//
// Run: npx tsx scripts/corpus/capture-preview.ts [outDir] [seed]
// The clean pages are sample exports from samples/scans/ (reg-05-p2.png carries two seals).
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { readRaster } from '../samples/raster.js';
import { ScanTruthSchema } from '../samples/truth.js';
import { CAPTURE_KINDS, type CapturedFile, type CleanPage, captureFiles } from './capture.js';

const run = promisify(execFile);
const SCANS = resolve(dirname(fileURLToPath(import.meta.url)), '../../samples/scans');

async function cleanPage(file: string, id: string): Promise<CleanPage> {
  const truth = ScanTruthSchema.parse(JSON.parse(await readFile(join(SCANS, `${file}.truth.json`), 'utf8')));
  const t = truth.pages[0];
  if (!t) throw new Error(`${file}: no page in truth`);
  return {
    formPage: t.formPage,
    image: await readRaster(join(SCANS, file)),
    seals: t.seals.map((s) => ({ ...s, centre: [s.centre[0], s.centre[1]] })),
    id,
    form: t.form,
  };
}

/** Each page of the file as a downscaled PNG with the truth drawn over it. */
async function overlays(dir: string, f: CapturedFile): Promise<void> {
  const pages = f.truth.pages;
  for (const [i, t] of pages.entries()) {
    let img: Buffer;
    let scale: number;
    if (f.truth.format === 'pdf') {
      const tmp = join(dir, '.pdfpage');
      const res = 50;
      await run('pdftoppm', [
        '-r',
        String(res),
        '-f',
        String(i + 1),
        '-l',
        String(i + 1),
        '-singlefile',
        '-png',
        join(dir, f.name),
        tmp,
      ]);
      img = await readFile(`${tmp}.png`);
      await rm(`${tmp}.png`);
      scale = res / (t.capture?.fileDpi ?? t.dpi);
    } else {
      const target = 900;
      scale = target / Math.max(t.width, t.height);
      img = await sharp(f.bytes, { page: i })
        .rotate()
        .resize(Math.round(t.width * scale), Math.round(t.height * scale))
        .png()
        .toBuffer();
    }
    const meta = await sharp(img).metadata();
    const circles = t.seals
      .map(
        (s) =>
          `<circle cx="${s.centre[0] * scale}" cy="${s.centre[1] * scale}" r="${s.radius * scale}" fill="none" stroke="#0c0" stroke-width="2"/>` +
          `<circle cx="${s.centre[0] * scale}" cy="${s.centre[1] * scale}" r="3" fill="#0c0"/>`,
      )
      .join('');
    const quad = t.pageQuad
      ? `<polygon points="${t.pageQuad.map(([x, y]) => `${x * scale},${y * scale}`).join(' ')}" fill="none" stroke="#06f" stroke-width="2"/>`
      : '';
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${meta.width}" height="${meta.height}">${quad}${circles}</svg>`;
    await sharp(img)
      .composite([{ input: Buffer.from(svg) }])
      .png()
      .toFile(join(dir, `${f.name}.p${i + 1}.overlay.png`));
  }
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? '/tmp/capture-preview';
  const seed = process.argv[3] ?? 'preview';
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const sealed = await cleanPage('reg-05-p2.png', 'reg-05');
  const plain = await cleanPage('prob-02-export.png', 'prob-02');
  // A little stack: three submissions, one of two pages.
  const stack: CleanPage[] = [
    { ...plain, id: 'prob-02' },
    { ...plain, id: 'reg-05', formPage: 1 },
    sealed,
    { ...plain, id: 'prob-03' },
    { ...sealed, id: 'reg-07' },
  ];
  for (const kind of CAPTURE_KINDS) {
    const started = performance.now();
    const pages = kind === 'feeder-pdf' || kind === 'office-scan' ? stack : [sealed];
    const files = await captureFiles(kind, pages, seed);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${kind.padEnd(12)} ${files.length} file(s), ${pages.length} page(s), ${(seconds / pages.length).toFixed(2)} s/page`,
    );
    for (const f of files) {
      await writeFile(join(out, f.name), f.bytes);
      await writeFile(join(out, `${f.name}.truth.json`), `${JSON.stringify(f.truth, null, 2)}\n`);
      await overlays(out, f);
      console.log(`  ${f.name}  ${(f.bytes.length / 1024).toFixed(0)} KiB`);
    }
  }
  console.log(`${(await readdir(out)).length} files in ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
