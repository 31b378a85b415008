// npm run bench:ocr — ingest scans and measure them against their ground truth: page
// classification, short-field exact match (after normal forms), long-text CER, stamp detection,
// fields reported confident (≥ 0.9) that are wrong, the share left to a clerk, a reliability table
// (confidence band → share right), pages/min and peak memory.
//
// Three sets, each printed per capture kind:
//   samples   samples/scans — our own templates, printed and spoilt (what the README used to quote);
//   dev       corpus seeds tuned on: the three forms typeset by "someone else" in many ways, captured
//             as clean exports, office scans, feeder PDFs, phone photos and chat forwards, plus the
//             filled .docx (scripts/make-corpus.ts; written to output/corpus/<seed>, made if absent);
//   test      a seed never looked at while tuning: only its totals are printed.
//
//   npm run bench:ocr                                   all three sets
//   npm run bench:ocr -- --set dev --misses             dev only, listing every wrong field
//   npm run bench:ocr -- --set samples --text           samples, long texts read against truth
//   npm run bench:ocr -- --set dev --kinds phone-photo,chat-photo
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeCorpus } from '../scripts/make-corpus.js';
import { rerunWithFewerArenas } from '../src/cli/malloc-arenas.js';
import { defaultLexicon } from '../src/domain/lexicon.js';
import { defaultVocabularies, snap } from '../src/domain/vocabulary.js';
import { vocabularySnapper } from '../src/extract/index.js';
import { type IngestResult, ingest } from '../src/ingest/index.js';
import { PaddleEngine, TesseractEngine } from '../src/ocr/index.js';
import type { TesseractModel } from '../src/ocr/types.js';
import { createScanReader } from '../src/read/index.js';
import type { SubmissionRecord } from '../src/types.js';
import {
  type FieldOutcome,
  fieldTable,
  kindTable,
  type PageOutcome,
  reliabilityTable,
  scoreRun,
  type TruthPage,
} from './ocr-score.js';

// Measured as the CLI runs: with two malloc arenas (see src/cli/malloc-arenas.ts).
const rerun = rerunWithFewerArenas();
if (rerun !== undefined) process.exit(rerun);

const { values: args } = parseArgs({
  options: {
    set: { type: 'string', multiple: true },
    seeds: { type: 'string' },
    'test-seed': { type: 'string', default: 'test-1' },
    'per-form': { type: 'string', default: '3' },
    kinds: { type: 'string' },
    misses: { type: 'boolean', default: false },
    text: { type: 'boolean', default: false },
    unsure: { type: 'boolean', default: false },
    fields: { type: 'boolean', default: false },
    'no-second': { type: 'boolean', default: false },
  },
});
const sets = args.set ?? ['samples', 'dev', 'test'];
const devSeeds = (args.seeds ?? 'dev-1').split(',').filter(Boolean);
const perForm = Number(args['per-form']);
const onlyKinds = args.kinds?.split(',').filter(Boolean);
const model = (process.env.XIETONG_OCR_MODEL as TesseractModel | undefined) ?? '4.0.0';

const engine = new TesseractEngine({ model });
// The second reader (PaddleOCR) as ingest uses it; --no-second measures tesseract alone.
const second = args['no-second'] ? undefined : new PaddleEngine();
const reader = createScanReader({ engine, ...(second ? { secondReader: second } : {}) });
defaultVocabularies();
const extract = { snap: vocabularySnapper((v, t) => snap(v, t)), lexicon: defaultLexicon() };

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 100);

interface RunTotals {
  pages: PageOutcome[];
  fields: FieldOutcome[];
  /** Per capture kind: scan pages and seconds, for pages/min. */
  speed: Map<string, { pages: number; seconds: number }>;
}

async function run(paths: string[], label: string): Promise<IngestResult> {
  const started = Date.now();
  const result = await ingest(paths, {
    reader,
    extract,
    onProgress: (p) => {
      if (p.phase === 'page')
        process.stderr.write(`\r  ${label}: ${p.pagesDone}/${p.pagesTotal ?? '?'} pages…`);
    },
  });
  process.stderr.write(
    `\r  ${label}: ${result.stats.pages} pages in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return result;
}

function addSpeed(totals: RunTotals, kind: string, result: IngestResult): void {
  const s = totals.speed.get(kind) ?? { pages: 0, seconds: 0 };
  s.pages += result.pages.length;
  s.seconds += result.stats.seconds;
  totals.speed.set(kind, s);
}

function loadRecords(files: string[]): Map<string, SubmissionRecord> {
  const out = new Map<string, SubmissionRecord>();
  for (const f of files)
    for (const r of JSON.parse(readFileSync(f, 'utf8')) as SubmissionRecord[]) out.set(r.id, r);
  return out;
}

interface FileTruth {
  pages: {
    page: number;
    record: string;
    form: string;
    formPage: number;
    photo?: boolean;
    clean?: boolean;
    bilevel?: boolean;
    seals: { cell: string }[];
  }[];
}

/** Our own samples: the capture kind from the page's flags. */
async function samplesSet(totals: RunTotals): Promise<void> {
  const dir = 'samples/scans';
  const files = readdirSync(dir)
    .filter((f) => !f.endsWith('.truth.json'))
    .sort();
  const truth = new Map<string, TruthPage>();
  for (const f of files) {
    const t = JSON.parse(readFileSync(join(dir, `${f}.truth.json`), 'utf8')) as FileTruth;
    for (const p of t.pages) {
      const kind = p.photo
        ? 'phone-photo'
        : p.clean
          ? 'clean'
          : f.endsWith('.pdf')
            ? 'feeder-pdf'
            : 'office-scan';
      truth.set(`${f}#${p.page}`, { ...p, kind, seals: p.seals.map((s) => s.cell) });
    }
  }
  const records = loadRecords(['registration', 'demand', 'problem'].map((k) => `samples/records/${k}.json`));
  const result = await run(
    files.map((f) => join(dir, f)),
    'samples',
  );
  addSpeed(totals, 'samples', result);
  const scored = scoreRun(result, (file, page) => truth.get(`${basename(file)}#${page ?? 1}`), records);
  totals.pages.push(...scored.pages);
  totals.fields.push(...scored.fields);
}

interface Manifest {
  forms: { id: string; pages: { formPage: number; fields: string[] }[] }[];
  kinds: string[];
}

/** One corpus seed: each capture kind ingested on its own, so its speed is its own. */
async function corpusSet(seed: string, totals: RunTotals): Promise<void> {
  const dir = join('output', 'corpus', seed);
  if (!existsSync(join(dir, 'manifest.json'))) {
    process.stderr.write(`  making corpus ${seed} (${perForm} per form) in ${dir}…\n`);
    await makeCorpus({ seed, perForm, out: dir });
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const records = loadRecords([join(dir, 'records.json')]);
  const fieldsOn = new Map<string, string[]>();
  for (const f of manifest.forms) for (const p of f.pages) fieldsOn.set(`${f.id}#${p.formPage}`, p.fields);
  for (const kind of ['docx', ...manifest.kinds]) {
    if (onlyKinds && !onlyKinds.includes(kind)) continue;
    const kindDir = join(dir, kind);
    const files = readdirSync(kindDir)
      .filter((f) => !f.endsWith('.truth.json'))
      .sort();
    const truth = new Map<string, TruthPage>();
    for (const f of files) {
      if (kind === 'docx') {
        const id = f.replace(/\.docx$/, '');
        const rec = records.get(id);
        if (rec)
          truth.set(`${f}#1`, {
            kind,
            record: id,
            form: rec.form,
            formPage: 0,
            seals: [],
            fields: Object.keys(rec.fields),
          });
        continue;
      }
      const t = JSON.parse(readFileSync(join(kindDir, `${f}.truth.json`), 'utf8')) as FileTruth;
      for (const p of t.pages)
        truth.set(`${f}#${p.page}`, {
          kind,
          record: p.record,
          form: p.form,
          formPage: p.formPage,
          seals: p.seals.map((s) => s.cell),
          fields: fieldsOn.get(`${p.record}#${p.formPage}`),
        });
    }
    const result = await run(
      files.map((f) => join(kindDir, f)),
      `${seed} ${kind}`,
    );
    if (kind !== 'docx') addSpeed(totals, kind, result);
    const scored = scoreRun(result, (file, page) => truth.get(`${basename(file)}#${page ?? 1}`), records);
    totals.pages.push(...scored.pages);
    totals.fields.push(...scored.fields);
    for (const f of result.failures)
      if (!scored.pages.some((p) => p.label.startsWith(`${f.file}#`)))
        totals.pages.push({ kind, classified: false, label: `${f.file}: ${f.code}` });
  }
}

function report(name: string, totals: RunTotals, detail: boolean): void {
  console.log(`\n## ${name}\n`);
  console.log(kindTable(totals.pages, totals.fields));
  console.log('\nreliability (confidence band → share right):\n');
  console.log(reliabilityTable(totals.fields));
  const speeds = [...totals.speed.entries()]
    .map(([k, s]) => `${k} ${((s.pages / Math.max(0.001, s.seconds)) * 60).toFixed(1)}`)
    .join(', ');
  console.log(`\npages/min: ${speeds}`);
  if (!detail) return;
  if (args.fields) console.log(`\n${fieldTable(totals.fields)}`);
  if (args.misses || args.unsure) {
    for (const p of totals.pages) if (!p.classified) console.log(`  page ${p.label}`);
    for (const f of totals.fields) {
      if (f.right && !(args.text && f.chars) && !(args.unsure && f.confidence < 0.9)) continue;
      const mark =
        !f.right && f.confidence >= 0.9 ? '  ← CONFIDENT BUT WRONG' : f.right ? '  (right, unsure)' : '';
      console.log(
        `  ${f.kind} ${f.record} ${f.field}: read ${JSON.stringify(f.read)} (conf ${f.confidence}), truth ${JSON.stringify(f.truth)}${mark}${f.why?.length ? `\n      why: ${f.why.join(' | ').replace(/\s+/g, ' ').slice(0, 300)}` : ''}`,
      );
    }
  }
}

const fresh = (): RunTotals => ({ pages: [], fields: [], speed: new Map() });
const started = Date.now();
try {
  if (sets.includes('samples')) {
    const t = fresh();
    await samplesSet(t);
    report('samples (our own templates)', t, true);
  }
  if (sets.includes('dev')) {
    const t = fresh();
    for (const seed of devSeeds) await corpusSet(seed, t);
    report(`dev (${devSeeds.join(', ')}; tuned on)`, t, true);
  }
  if (sets.includes('test')) {
    const t = fresh();
    await corpusSet(args['test-seed'], t);
    // Totals only: looking at the test seed's misses would be tuning on it.
    report(`test (${args['test-seed']}; never tuned on)`, t, false);
  }
} finally {
  await Promise.all([engine.close(), second?.close(), reader.close?.()]);
  clearInterval(sampler);
}
console.log(
  `\nbench:ocr — model ${model}${second ? ' + PaddleOCR PP-OCRv4 as second reader' : ', no second reader'}, ${cpus().length} cores, ${((Date.now() - started) / 1000).toFixed(0)} s in all, peak memory (RSS) ${(peak / 1024 / 1024).toFixed(0)} MB (target < 1536 MB; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'})`,
);
