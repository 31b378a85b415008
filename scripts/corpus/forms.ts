// The typesetting side of the development corpus: fictional records (values.ts) typeset many ways
// (typeset.ts), converted to PDF in one LibreOffice call, checked for their page count (a form that
// overflows is refitted, deterministically, and converted again), rasterised at 300 dpi and stamped
// with red seals where units stamp — over the date line at the bottom right of the opinion cell.
//
// Everything is drawn from PRNGs seeded by `${seed}#${form}#${i}#<what>`: the same seed gives the
// same records, .docx bytes and pages. Which fields each page prints is read back from the PDF
// (pdftotext word boxes), since a typesetting may start page 2 elsewhere than our templates do.
//
//   npx tsx scripts/corpus/forms.ts --seed dev-1 --per-form 2 --out /tmp/corpus-preview
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { FONTCONFIG_FILE, LibreOfficeConverter } from '../../src/convert/index.js';
import { FORMS } from '../../src/forms/index.js';
import { normalizeLabel } from '../../src/locate/labels.js';
import { FORM_KINDS, type FormKind, type SubmissionRecord } from '../../src/types.js';
import { type PageWords, pdfWords, type WordBox } from '../samples/locate.js';
import { rasterisePdfPage } from '../samples/pdf-page.js';
import { createRandom, type Random } from '../samples/random.js';
import { type InkMap, type Raster, smoothField, stampInk, toRgb, toSharp } from '../samples/raster.js';
import { SEAL_INK, sealInk, sealRadius } from '../samples/seal.js';
import { CLEAN_DPI, type CleanSeal } from './capture.js';
import {
  ALL_FONTS,
  CJK_FACES,
  estimateOverflow,
  type PrintedLabel,
  printedLabels,
  randomTypesetting,
  refitTypesetting,
  type Typesetting,
  typesetDocx,
} from './typeset.js';
import { chance, fictionalRecord, weighted } from './values.js';

const run = promisify(execFile);

const PT_TO_PX = CLEAN_DPI / 72;

export type OpinionGroup = 'recommendation' | 'approval';

export interface CleanPage {
  formPage: number;
  /** 300 dpi from pdftoppm: one channel, three once a seal is stamped. */
  image: Raster;
  seals: CleanSeal[];
  /** Field keys whose label is printed on this page (opinion groups: all three keys). */
  fieldsOnPage: string[];
}

export interface CorpusForm {
  record: SubmissionRecord;
  /** JSON-serialisable: how the form was typeset (after any refit). */
  typesetting: Typesetting;
  docx: Buffer;
  pages: CleanPage[];
}

export interface CorpusOptions {
  seed: string;
  perForm: number;
  /** Scratch folder for .docx, PDF and rasters (created; not cleaned). */
  workDir: string;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
}

const PREFIX: Record<FormKind, string> = { registration: 'reg', demand: 'dem', problem: 'prb' };

/** A file-name-safe id: corpus seed, form, number. */
export function corpusId(seed: string, form: FormKind, i: number): string {
  return `${seed.replace(/[^A-Za-z0-9_-]+/g, '_')}-${PREFIX[form]}-${String(i + 1).padStart(2, '0')}`;
}

// ---- fonts ---------------------------------------------------------------------------------------

/**
 * Every face the typesettings name must resolve to itself (or, for Word names, to a CJK face via
 * config/fonts.conf), or LibreOffice substitutes silently and the corpus lies about its fonts.
 */
export async function checkFonts(): Promise<void> {
  const env = { ...process.env, FONTCONFIG_FILE };
  const { stdout } = await run('fc-list', [':lang=zh', 'family'], { env });
  const installed = new Set(stdout.split('\n').flatMap((l) => l.split(',').map((f) => f.trim())));
  const missing: string[] = CJK_FACES.filter((f) => !installed.has(f));
  for (const name of ALL_FONTS.filter((f) => !(CJK_FACES as readonly string[]).includes(f))) {
    const { stdout: matched } = await run('fc-match', ['-f', '%{family}', name], { env });
    if (!matched.split(',').some((f) => installed.has(f.trim()))) missing.push(`${name} (fonts.conf alias)`);
  }
  if (missing.length > 0) {
    throw new Error(
      `fonts missing for the corpus: ${missing.join(', ')}. Install the Debian packages fonts-noto-cjk ` +
        'fonts-arphic-gkai00mp fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gbsn00lp fonts-wqy-zenhei ' +
        'fonts-wqy-microhei fonts-lxgw-wenkai.',
    );
  }
}

// ---- rasters -------------------------------------------------------------------------------------

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---- where the labels are ------------------------------------------------------------------------

interface ColumnText {
  /** Normalised text of the words inside one cell's x-range, top to bottom, left to right. */
  text: string;
  /** For each character of `text`, the word it came from. */
  owner: WordBox[];
}

/**
 * The words whose centre lies between `x0` and `x1` (points), as one text in reading order. Within
 * one cell's x-range the words of a row all come from that cell, so a wrapped label's lines follow
 * each other — pdftotext's own order interleaves them with the value cell beside.
 */
function columnText(page: PageWords, x0: number, x1: number): ColumnText {
  const inside = page.words.filter((w) => {
    const c = (w.xMin + w.xMax) / 2;
    return c >= x0 && c <= x1;
  });
  inside.sort((a, b) => {
    const h = Math.min(a.yMax - a.yMin, b.yMax - b.yMin);
    return Math.abs(a.yMin - b.yMin) < h * 0.4 ? a.xMin - b.xMin : a.yMin - b.yMin;
  });
  let text = '';
  const owner: WordBox[] = [];
  for (const w of inside) {
    for (const ch of normalizeLabel(w.text)) {
      text += ch;
      owner.push(w);
    }
  }
  return { text, owner };
}

interface LabelHit {
  keys: string[];
  /** 0-based page of the PDF. */
  page: number;
  box?: { xMin: number; yMin: number; xMax: number; yMax: number };
}

/**
 * The page (and box) of every printed label, in document order. Each label is looked for in its
 * cell's x-range on the current page, not far above the previous label (labels of one row may start
 * higher than the one before), then on the pages after; each occurrence is used once.
 */
function locateLabels(
  pages: PageWords[],
  labels: readonly PrintedLabel[],
  ts: Typesetting,
): { hits: LabelHit[]; lost: string[] } {
  const used = new Set<string>();
  const hits: LabelHit[] = [];
  const lost: string[] = [];
  let current = 0;
  let currentY = 0;
  const left = ts.margins.left / 20;
  for (const label of labels) {
    const needle = normalizeLabel(label.text);
    let hit: LabelHit | undefined;
    for (let p = current; p < pages.length && !hit && needle; p++) {
      const page = pages[p] as PageWords;
      const col = columnText(page, left + label.x[0] / 20 - 4, left + label.x[1] / 20 + 4);
      for (let at = col.text.indexOf(needle); at >= 0 && !hit; at = col.text.indexOf(needle, at + 1)) {
        const words = col.owner.slice(at, at + needle.length);
        const box = {
          xMin: Math.min(...words.map((w) => w.xMin)),
          yMin: Math.min(...words.map((w) => w.yMin)),
          xMax: Math.max(...words.map((w) => w.xMax)),
          yMax: Math.max(...words.map((w) => w.yMax)),
        };
        const id = `${p}:${box.xMin.toFixed(1)}:${box.yMin.toFixed(1)}`;
        if (used.has(id) || (p === current && box.yMin < currentY - 90)) continue;
        used.add(id);
        hit = { keys: label.keys, page: p, box };
        current = p;
        currentY = box.yMin;
      }
    }
    if (!hit) {
      lost.push(label.text.replace(/\n/g, '/'));
      hit = { keys: label.keys, page: current };
    }
    hits.push(hit);
  }
  return { hits, lost };
}

// ---- seals ---------------------------------------------------------------------------------------

interface Line {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words grouped into lines: same baseline band, left to right, a gap of a few characters splits. */
function lines(words: readonly WordBox[]): Line[] {
  const sorted = [...words].sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
  const out: (Line & { words: WordBox[] })[] = [];
  for (const w of sorted) {
    const h = w.yMax - w.yMin;
    const line = out.find(
      (l) => Math.abs(l.yMin - w.yMin) < h * 0.4 && w.xMin - l.xMax < h * 6 && w.xMin >= l.xMin,
    );
    if (line) {
      line.words.push(w);
      line.xMax = Math.max(line.xMax, w.xMax);
      line.yMax = Math.max(line.yMax, w.yMax);
      line.text += w.text;
    } else out.push({ text: w.text, xMin: w.xMin, yMin: w.yMin, xMax: w.xMax, yMax: w.yMax, words: [w] });
  }
  return out;
}

const DATE_LINE =
  /^(?:(?:\d{4}|[〇零一二三四五六七八九]{4})年\d{0,2}[一二三四五六七八九十]{0,3}月\d{0,2}[一二三四五六七八九十]{0,3}日|年月日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})$/;

interface SealAnchor {
  date?: Line;
  stamp?: Line;
}

/** The date line (and （盖章） above it, when printed) of a group's opinion cell. */
function sealAnchor(page: PageWords, label: LabelHit, next: LabelHit | undefined): SealAnchor {
  const box = label.box;
  if (!box) return {};
  const bottom = next?.box && next.page === label.page ? next.box.yMin : Number.POSITIVE_INFINITY;
  // Right-aligned lines in the cell: right of the label's start (inline labels share the line
  // with the opinion), below its top, above the next group's label.
  const inCell = lines(page.words).filter(
    (l) => l.xMin > box.xMin + 60 && l.yMin > box.yMin - 4 && l.yMax < bottom,
  );
  const dates = inCell.filter((l) => DATE_LINE.test(l.text.replace(/\s+/g, '')));
  const date = dates.sort((a, b) => b.yMin - a.yMin)[0];
  const stamp = inCell
    .filter((l) => l.text.includes('盖章') && (!date || (l.yMin < date.yMin && date.yMin - l.yMin < 60)))
    .sort((a, b) => b.yMin - a.yMin)[0];
  return { date, stamp };
}

// Who stamps: the recommending unit (registration), the district's science bureau or the park's
// administration (demand); the city bureau approves both.
const DISTRICT_SEALS: readonly (readonly [string, string])[] = [
  ['珠山', '景德镇市珠山区科学技术局'],
  ['昌江', '景德镇市昌江区科学技术局'],
  ['乐平', '乐平市科学技术局'],
  ['浮梁', '浮梁县科学技术局'],
  ['高新', '景德镇高新技术产业开发区管理委员会'],
  ['陶瓷工业园', '景德镇陶瓷工业园区管理委员会'],
  ['昌南', '景德镇昌南新区管理委员会'],
  ['经济开发区', '景德镇经济开发区管理委员会'],
  ['经开区', '景德镇经济开发区管理委员会'],
];

function sealOrganisation(record: SubmissionRecord, group: OpinionGroup): string {
  if (group === 'approval') return '景德镇市科学技术局';
  const value = (key: string) => {
    const v = record.fields[key]?.value;
    return typeof v === 'string' ? v : undefined;
  };
  if (record.form === 'demand') {
    const district = value('district') ?? '';
    return DISTRICT_SEALS.find(([k]) => district.includes(k))?.[1] ?? '景德镇市科学技术局';
  }
  return value('fillingUnit') ?? '推荐单位';
}

type InkStyle = 'standard' | 'bright' | 'faded' | 'dark';

const INK_COLOURS: Record<InkStyle, readonly [number, number, number]> = {
  standard: SEAL_INK,
  bright: [228, 22, 32],
  faded: [226, 96, 104],
  dark: [150, 18, 34],
};

/**
 * A seal's ink: the samples' seal texture, then the corpus's own variation — colour, overall
 * density (faded pads), and partial ink (one side barely touching the paper, blotches).
 */
async function corpusSealInk(
  name: string,
  sizePx: number,
  rng: Random,
): Promise<{ ink: InkMap; colour: readonly [number, number, number]; style: InkStyle; partial: boolean }> {
  const base = await sealInk(name, sizePx, rng);
  const style = weighted<InkStyle>(rng, [
    ['standard', 4],
    ['bright', 2],
    ['faded', 2],
    ['dark', 2],
  ]);
  const strength = style === 'faded' ? rng.range(0.45, 0.7) : rng.range(0.85, 1);
  const partial = chance(rng, 0.3);
  const density = new Float32Array(base.density.length);
  const tilt = rng.range(0, 2 * Math.PI);
  const edge = rng.range(-0.1, 0.35);
  const blotch = partial ? smoothField(rng, sizePx, sizePx, 6) : undefined;
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      const i = y * sizePx + x;
      const d = base.density[i] as number;
      if (d === 0) continue;
      let k = strength;
      if (partial && blotch) {
        // Along one direction the pressure fades to nothing past `edge`; blotches take ink elsewhere.
        const along = (x / sizePx - 0.5) * Math.cos(tilt) + (y / sizePx - 0.5) * Math.sin(tilt);
        const fade = Math.min(1, Math.max(0, (edge + 0.5 - along) * 4));
        k *= fade * (0.35 + 0.65 * Math.min(1, (blotch[i] as number) * 1.6));
      }
      density[i] = Math.min(1, d * k);
    }
  }
  return { ink: { size: sizePx, density }, colour: INK_COLOURS[style], style, partial };
}

async function stampPage(
  record: SubmissionRecord,
  ts: Typesetting,
  page: PageWords,
  hits: LabelHit[],
  clean: Raster,
  rng: Random,
): Promise<{ image: Raster; seals: CleanSeal[] }> {
  let image = clean;
  const seals: CleanSeal[] = [];
  for (const group of ['recommendation', 'approval'] as const) {
    if (record.fields[`${group}.stamped`]?.value !== true) continue;
    const index = hits.findIndex((h) => h.keys[0] === `${group}.opinion`);
    const label = hits[index];
    if (!label || label.page !== page.page - 1) continue;
    const anchor = sealAnchor(page, label, hits[index + 1]);
    const diameterMm = rng.range(38, 42);
    const size = Math.round((diameterMm / 25.4) * CLEAN_DPI);
    let cx: number;
    let cy: number;
    if (anchor.date) {
      const d = anchor.date;
      if (anchor.stamp) {
        // Over （盖章） and the date, the ring ending just below the date line (as in the samples).
        const left = Math.min(anchor.stamp.xMin, d.xMin);
        const right = Math.max(anchor.stamp.xMax, d.xMax);
        cx = ((left + right) / 2) * PT_TO_PX + rng.range(-0.15, 0.15) * size;
        cy = d.yMax * PT_TO_PX - 0.4 * size + rng.range(-0.08, 0.08) * size;
      } else {
        // Over the date; pressed higher, it covers the end of the opinion text.
        cx = ((d.xMin + d.xMax) / 2) * PT_TO_PX + rng.range(-0.18, 0.12) * size;
        cy = ((d.yMin + d.yMax) / 2) * PT_TO_PX - rng.range(0.05, 0.55) * size;
      }
      // Not pressed above the cell: its top is the inline label's top, or as far above a centred
      // label as the cell's bottom (just under the date) is below it.
      const box = label.box;
      if (box) {
        const bottom = d.yMax + 6;
        const top = ts.opinion === 'inline' ? box.yMin - 4 : 2 * ((box.yMin + box.yMax) / 2) - bottom;
        cy = Math.max(cy, top * PT_TO_PX + 0.42 * size);
      }
    } else if (anchor.stamp) {
      const st = anchor.stamp;
      cx = ((st.xMin + st.xMax) / 2) * PT_TO_PX + rng.range(-0.15, 0.15) * size;
      cy = st.yMax * PT_TO_PX - 0.2 * size + rng.range(-0.08, 0.08) * size;
    } else {
      // No date line found (should not happen): right half of the cell, under the label's top.
      const box = label.box ?? { xMin: 0, yMin: page.height / 2, xMax: 0, yMax: page.height / 2 };
      cx = page.width * 0.68 * PT_TO_PX;
      cy = (box.yMin + 40) * PT_TO_PX;
      process.stderr.write(`${record.id}: no date line found for the ${group} seal; stamped by the label\n`);
    }
    const organisation = sealOrganisation(record, group);
    const { ink, colour } = await corpusSealInk(organisation, size, rng);
    image = toRgb(image);
    stampInk(image, ink, Math.round(cx - size / 2), Math.round(cy - size / 2), colour);
    seals.push({
      cell: group,
      organisation,
      centre: [round1(cx), round1(cy)],
      radius: round1(sealRadius(size)),
    });
  }
  return { image, seals };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

// ---- the corpus ----------------------------------------------------------------------------------

interface Draft {
  record: SubmissionRecord;
  typesetting: Typesetting;
  seed: string;
}

const MAX_REFITS = 5;

/** The text-height estimate errs on the safe side; refit before LibreOffice only when clearly over (twips). */
const OVERFLOW_SLACK = 1200;

/**
 * `perForm` forms of each kind, typeset, converted, page-checked, rasterised and stamped. Dev seeds
 * for tuning, one unseen seed for reporting.
 */
export async function typesetCorpus(opts: CorpusOptions): Promise<CorpusForm[]> {
  const log = opts.log ?? (() => {});
  await checkFonts();
  await mkdir(opts.workDir, { recursive: true });

  const drafts: Draft[] = [];
  for (const form of FORM_KINDS) {
    for (let i = 0; i < opts.perForm; i++) {
      const seed = `${opts.seed}#${form}#${i}`;
      const record = fictionalRecord(createRandom(`${seed}#record`), form, corpusId(opts.seed, form, i));
      let typesetting = randomTypesetting(createRandom(`${seed}#typeset`), form);
      // Refit before LibreOffice when the estimate already says the texts cannot fit.
      while (typesetting.attempt < 3 && estimateOverflow(record, typesetting) > OVERFLOW_SLACK)
        typesetting = refitTypesetting(typesetting, FORMS[form].pages + 1, FORMS[form].pages, record);
      drafts.push({ record, typesetting, seed });
    }
  }

  // Convert; refit and convert again the forms whose page count is wrong.
  const pdfs = new Map<Draft, { pdf: string; words: PageWords[]; docx: Buffer }>();
  let pending = drafts;
  for (let round = 0; pending.length > 0; round++) {
    const dir = join(opts.workDir, `round-${round}`);
    await mkdir(dir, { recursive: true });
    const docxPaths: string[] = [];
    const docxBytes: Buffer[] = [];
    for (const d of pending) {
      const bytes = typesetDocx(d.record, d.typesetting);
      const path = join(dir, `${d.record.id}.docx`);
      await writeFile(path, bytes);
      docxPaths.push(path);
      docxBytes.push(bytes);
    }
    const results = await new LibreOfficeConverter().toPdf(docxPaths, join(dir, 'pdf'));
    const again: Draft[] = [];
    for (const [i, d] of pending.entries()) {
      const result = results[i];
      if (!result?.pdf)
        throw new Error(`LibreOffice could not convert ${d.record.id}: ${result?.error ?? 'no result'}`);
      const words = await pdfWords(result.pdf);
      const expected = FORMS[d.record.form].pages;
      if (words.length === expected) {
        pdfs.set(d, { pdf: result.pdf, words, docx: docxBytes[i] as Buffer });
        continue;
      }
      if (round >= MAX_REFITS)
        throw new Error(`${d.record.id} still prints on ${words.length} pages after ${round} refits`);
      log(`${d.record.id}: ${words.length} pages, expected ${expected}; refitting`);
      d.typesetting = refitTypesetting(d.typesetting, words.length, expected, d.record);
      again.push(d);
    }
    log(`round ${round}: ${pending.length} converted, ${again.length} to refit`);
    pending = again;
  }

  // Rasterise every page, find the labels, stamp the seals.
  const jobs = drafts.flatMap((d) =>
    Array.from({ length: FORMS[d.record.form].pages }, (_, p) => ({ d, p })),
  );
  const rasters = await mapLimit(jobs, 4, ({ d, p }) => {
    const done = pdfs.get(d);
    if (!done) throw new Error(`no PDF for ${d.record.id}`);
    return rasterisePdfPage(done.pdf, p + 1, CLEAN_DPI, join(opts.workDir, `${d.record.id}-p${p + 1}`));
  });
  const out: CorpusForm[] = [];
  let job = 0;
  for (const d of drafts) {
    const done = pdfs.get(d) as { pdf: string; words: PageWords[]; docx: Buffer };
    const { hits, lost } = locateLabels(done.words, printedLabels(d.record, d.typesetting), d.typesetting);
    if (lost.length > 0) log(`${d.record.id}: labels not found in the PDF text: ${lost.join(', ')}`);
    const pages: CleanPage[] = [];
    for (const [p, words] of done.words.entries()) {
      const clean = rasters[job++] as Raster;
      const rng = createRandom(`${d.seed}#seal#${p + 1}`);
      const stamped = await stampPage(d.record, d.typesetting, words, hits, clean, rng);
      const fieldsOnPage = hits.filter((h) => h.page === p).flatMap((h) => h.keys);
      pages.push({ formPage: p + 1, image: stamped.image, seals: stamped.seals, fieldsOnPage });
    }
    out.push({ record: d.record, typesetting: d.typesetting, docx: done.docx, pages });
  }
  return out;
}

// ---- preview CLI ---------------------------------------------------------------------------------

async function preview(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: 'dev-1' },
      'per-form': { type: 'string', default: '2' },
      out: { type: 'string', default: '/tmp/corpus-preview' },
    },
  });
  const out = resolve(values.out as string);
  const started = performance.now();
  const work = join(out, '.work');
  await rm(out, { recursive: true, force: true });
  const forms = await typesetCorpus({
    seed: values.seed as string,
    perForm: Number(values['per-form']),
    workDir: work,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  for (const f of forms) {
    const id = f.record.id;
    await writeFile(join(out, `${id}.docx`), f.docx);
    await writeFile(
      join(out, `${id}.json`),
      `${JSON.stringify({ typesetting: f.typesetting, pages: f.pages.map((p) => ({ formPage: p.formPage, seals: p.seals, fieldsOnPage: p.fieldsOnPage })), record: f.record }, null, 1)}\n`,
    );
    for (const p of f.pages) {
      await toSharp(p.image)
        .png({ compressionLevel: 6 })
        .toFile(join(out, `${id}-p${p.formPage}.png`));
    }
  }
  // The PDFs as LibreOffice printed them (last round of each form).
  await run('bash', ['-c', `for f in "${work}"/round-*/pdf/*.pdf; do cp "$f" "${out}/"; done`]);
  process.stderr.write(`${forms.length} forms in ${seconds.toFixed(1)} s → ${out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  preview().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
