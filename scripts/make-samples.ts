// Regenerates everything under samples/ from the fictional records in samples/records/*.json:
//   samples/docx/<id>.docx          every record as the filled form a person hands in;
//   samples/scans/<file>            scans, photos, a feeder PDF and a multi-page TIFF of some of them
//                                   (plan in scripts/samples/plan.ts), each with <file>.truth.json.
// The records are the ground truth for values; the truth files say which record and form page each
// scanned page shows, how it was rotated and degraded, and where the seals are.
//
// Run: npx tsx scripts/make-samples.ts  (or npm run samples). Deterministic: every random choice
// comes from a PRNG seeded by the file name and page number, and every encoder is given fixed
// metadata, so a second run writes the same bytes.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import { LibreOfficeConverter } from '../src/convert/index.js';
import { FORMS } from '../src/forms/index.js';
import { type SubmissionRecord, SubmissionRecordSchema } from '../src/types.js';
import { type Degraded, degrade } from './samples/degrade.js';
import { renderSampleDocx } from './samples/docx.js';
import { encodeBilevelTiff, encodeJpeg, encodeJpegPdf, encodePng, SCAN_DPI } from './samples/encode.js';
import { type PageWords, pdfWords, stampAnchors } from './samples/locate.js';
import { rasterisePdfPage } from './samples/pdf-page.js';
import { JPEG_QUALITY, SCAN_PLAN, type ScanFilePlan, type ScanPagePlan } from './samples/plan.js';
import { createRandom, type Random } from './samples/random.js';
import { applyMat, type Point, type Raster, stampInk, toRgb } from './samples/raster.js';
import { SEAL_DIAMETER_MM, SEAL_INK, sealInk, sealRadius } from './samples/seal.js';
import { type PageTruth, type ScanTruth, TRUTH_SUFFIX } from './samples/truth.js';

const run = promisify(execFile);

export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../samples');
const FORM_FILES = ['registration', 'demand', 'problem'] as const;
const OPINION_GROUPS = ['recommendation', 'approval'] as const;
type OpinionGroup = (typeof OPINION_GROUPS)[number];

const PT_TO_PX = SCAN_DPI / 72;
const SEAL_PX = Math.round((SEAL_DIAMETER_MM / 25.4) * SCAN_DPI);

async function loadRecords(): Promise<Map<string, SubmissionRecord>> {
  const byId = new Map<string, SubmissionRecord>();
  for (const name of FORM_FILES) {
    const text = await readFile(join(SAMPLES_DIR, 'records', `${name}.json`), 'utf8');
    for (const record of z.array(SubmissionRecordSchema).parse(JSON.parse(text))) {
      if (byId.has(record.id)) throw new Error(`duplicate record id ${record.id}`);
      byId.set(record.id, record);
    }
  }
  return byId;
}

/** Empties a generated folder, so files dropped from the plan do not linger. */
async function freshDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const rasterise = (pdf: string, page: number, outPrefix: string): Promise<Raster> =>
  rasterisePdfPage(pdf, page, SCAN_DPI, outPrefix);

// Who stamps which cell: the professional's unit recommends a registration, the district's science
// bureau (or the park's administration) an enterprise's demand; the city bureau approves both.
const DISTRICT_SEALS: Record<string, string> = {
  珠山区: '景德镇市珠山区科学技术局',
  昌江区: '景德镇市昌江区科学技术局',
  浮梁县: '浮梁县科学技术局',
  乐平市: '乐平市科学技术局',
  高新区: '景德镇高新技术产业开发区管理委员会',
  陶瓷工业园区: '景德镇陶瓷工业园区管理委员会',
};

function sealOrganisation(record: SubmissionRecord, group: OpinionGroup): string {
  if (group === 'approval') return '景德镇市科学技术局';
  const text = (key: string) => {
    const v = record.fields[key]?.value;
    return typeof v === 'string' ? v : undefined;
  };
  if (record.form === 'demand') {
    const district = text('district');
    return (district && DISTRICT_SEALS[district]) ?? '景德镇市科学技术局';
  }
  return text('fillingUnit') ?? '推荐单位';
}

function round(n: number, digits = 1): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

/** Lays the record's seals on a clean page; returns their centres in clean-page pixels. */
async function stampPage(
  record: SubmissionRecord,
  formPage: number,
  words: PageWords,
  clean: Raster,
  rng: Random,
): Promise<{ page: Raster; seals: { cell: OpinionGroup; organisation: string; centre: Point }[] }> {
  const groups = OPINION_GROUPS.filter(
    (g) => FORMS[record.form].fields.find((f) => f.key === `${g}.stamped`)?.page === formPage,
  );
  if (groups.length === 0) return { page: clean, seals: [] };
  const anchors = stampAnchors(words);
  if (anchors.length !== groups.length) {
    throw new Error(
      `${record.id} page ${formPage}: expected ${groups.length} （盖章） marks in the rendered form, found ${anchors.length}; ` +
        'has the template changed?',
    );
  }
  let page = clean;
  const seals: { cell: OpinionGroup; organisation: string; centre: Point }[] = [];
  for (const [i, cell] of groups.entries()) {
    if (record.fields[`${cell}.stamped`]?.value !== true) continue;
    const anchor = anchors[i];
    if (!anchor) continue;
    // Over （盖章） and the date, as units stamp, with the ring ending just below the date line so
    // the seal stays (mostly) inside its own cell; a little wobble from hand to hand.
    const left = Math.min(anchor.stamp.xMin, anchor.date?.xMin ?? Number.POSITIVE_INFINITY);
    const right = Math.max(anchor.stamp.xMax, anchor.date?.xMax ?? 0);
    const bottom = anchor.date?.yMax ?? anchor.stamp.yMax;
    const cx = ((left + right) / 2) * PT_TO_PX + rng.range(-0.12, 0.12) * SEAL_PX;
    const cy = bottom * PT_TO_PX - 0.4 * SEAL_PX + rng.range(-0.06, 0.06) * SEAL_PX;
    const organisation = sealOrganisation(record, cell);
    const ink = await sealInk(organisation, SEAL_PX, rng);
    page = toRgb(page);
    stampInk(page, ink, Math.round(cx - SEAL_PX / 2), Math.round(cy - SEAL_PX / 2), SEAL_INK);
    seals.push({ cell, organisation, centre: [cx, cy] });
  }
  return { page, seals };
}

/** The seal's radius after the page transform: mean distance of mapped rim points. */
function mappedRadius(d: Degraded, centre: Point, radius: number): number {
  const c = applyMat(d.transform, centre);
  let sum = 0;
  for (let k = 0; k < 8; k++) {
    const t = (k * Math.PI) / 4;
    const p = applyMat(d.transform, [centre[0] + radius * Math.cos(t), centre[1] + radius * Math.sin(t)]);
    sum += Math.hypot(p[0] - c[0], p[1] - c[1]);
  }
  return sum / 8;
}

interface RenderedPage {
  truth: PageTruth;
  image: Raster;
  style: ScanPagePlan['style'];
}

async function main(): Promise<void> {
  const started = performance.now();
  const lap = (what: string) =>
    console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${what}`);
  const records = await loadRecords();

  // (a) every record as a filled .docx
  const docxDir = join(SAMPLES_DIR, 'docx');
  await freshDir(docxDir);
  for (const record of records.values()) {
    await writeFile(join(docxDir, `${record.id}.docx`), await renderSampleDocx(record));
  }
  lap(`${records.size} .docx written`);

  const work = await mkdtemp(join(tmpdir(), 'xietong-samples-'));
  try {
    // (b) PDFs of the records that get scanned, in one LibreOffice call, then 300 dpi rasters
    const scannedIds = [...new Set(SCAN_PLAN.flatMap((f) => f.pages.map((p) => p.record)))];
    for (const id of scannedIds)
      if (!records.has(id)) throw new Error(`scan plan names unknown record ${id}`);
    const results = await new LibreOfficeConverter().toPdf(
      scannedIds.map((id) => join(docxDir, `${id}.docx`)),
      join(work, 'pdf'),
    );
    const words = new Map<string, PageWords[]>();
    for (const [i, id] of scannedIds.entries()) {
      const result = results[i];
      if (!result?.pdf)
        throw new Error(`LibreOffice could not convert ${id}.docx: ${result?.error ?? 'no result'}`);
      const pages = await pdfWords(result.pdf);
      const record = records.get(id) as SubmissionRecord;
      const expected = FORMS[record.form].pages;
      if (pages.length !== expected) {
        throw new Error(
          `${id}.docx renders to ${pages.length} pages, but the ${record.form} form has ${expected}: ` +
            'shorten the record’s long texts or fix the template.',
        );
      }
      words.set(id, pages);
    }
    lap(`${scannedIds.length} PDFs converted`);

    const pageKeys = [...new Set(SCAN_PLAN.flatMap((f) => f.pages.map((p) => `${p.record}#${p.formPage}`)))];
    const rasters = new Map<string, Raster>();
    await mapLimit(pageKeys, 2, async (key) => {
      const [id, n] = key.split('#') as [string, string];
      const pdf = join(work, 'pdf', `${id}.pdf`);
      rasters.set(key, await rasterise(pdf, Number(n), join(work, `${id}-${n}`)));
    });
    lap(`${pageKeys.length} pages rasterised at ${SCAN_DPI} dpi`);

    // (c)-(h) scans, photos, the feeder PDF and the TIFF, each with its truth file
    const scansDir = join(SAMPLES_DIR, 'scans');
    await freshDir(scansDir);
    for (const plan of SCAN_PLAN) {
      const rendered: RenderedPage[] = [];
      for (const [i, p] of plan.pages.entries()) {
        const record = records.get(p.record) as SubmissionRecord;
        const rng = createRandom(`${plan.file}#${i + 1}`);
        const clean = rasters.get(`${p.record}#${p.formPage}`) as Raster;
        const pageWords = (words.get(p.record) as PageWords[])[p.formPage - 1] as PageWords;
        const stamped = await stampPage(record, p.formPage, pageWords, clean, rng);
        const d = await degrade(stamped.page, rng, { style: p.style, upsideDown: p.upsideDown });
        const photo = p.style === 'photo';
        const truth: PageTruth = {
          page: i + 1,
          record: record.id,
          form: record.form,
          formPage: p.formPage,
          width: d.image.width,
          height: d.image.height,
          dpi: photo
            ? Math.round((SCAN_DPI * mappedRadius(d, [clean.width / 2, clean.height / 2], 100)) / 100)
            : SCAN_DPI,
          rotation: round(d.rotation, 2),
          upsideDown: p.upsideDown === true,
          greyscale: d.image.channels === 1,
          bilevel: p.style === 'scan-bilevel',
          photo,
          clean: p.style === 'clean',
          seals: stamped.seals.map((s) => {
            const c = applyMat(d.transform, s.centre);
            return {
              cell: s.cell,
              organisation: s.organisation,
              centre: [round(c[0]), round(c[1])],
              radius: round(mappedRadius(d, s.centre, sealRadius(SEAL_PX))),
            };
          }),
        };
        if (d.pageQuad) truth.pageQuad = d.pageQuad.map(([x, y]) => [round(x), round(y)]);
        rendered.push({ truth, image: d.image, style: p.style });
      }
      await writeFile(join(scansDir, plan.file), await encodeFile(plan, rendered));
      const truth: ScanTruth = {
        file: plan.file,
        format: plan.format,
        description: plan.description,
        pages: rendered.map((r) => r.truth),
      };
      await writeFile(join(scansDir, `${plan.file}${TRUTH_SUFFIX}`), `${JSON.stringify(truth, null, 2)}\n`);
      lap(`${plan.file} (${plan.pages.length} page${plan.pages.length > 1 ? 's' : ''})`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const { stdout } = await run('du', ['-sh', SAMPLES_DIR]);
  lap(`done; samples/ takes ${stdout.split('\t')[0]}`);
}

async function encodeFile(plan: ScanFilePlan, pages: readonly RenderedPage[]): Promise<Buffer> {
  const only = pages[0];
  switch (plan.format) {
    case 'jpeg':
    case 'png': {
      if (pages.length !== 1 || !only) throw new Error(`${plan.file}: a ${plan.format} file holds one page`);
      if (plan.format === 'jpeg') {
        // Phones write their own (meaningless) 72 dpi; scanners write the real resolution.
        return encodeJpeg(
          only.image,
          JPEG_QUALITY[only.style],
          only.style === 'photo' ? undefined : SCAN_DPI,
        );
      }
      const colours = only.style === 'scan-bilevel' ? 2 : only.image.channels === 3 ? 64 : 16;
      return encodePng(only.image, SCAN_DPI, colours);
    }
    case 'tiff':
      return encodeBilevelTiff(
        pages.map((p) => p.image),
        SCAN_DPI,
      );
    case 'pdf': {
      const jpegs = [];
      for (const p of pages) {
        jpegs.push({
          jpeg: await encodeJpeg(p.image, JPEG_QUALITY[p.style], SCAN_DPI),
          width: p.image.width,
          height: p.image.height,
        });
      }
      return encodeJpegPdf(jpegs, SCAN_DPI);
    }
  }
}

// Only when run as a script: the tests import the types and SAMPLES_DIR.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
