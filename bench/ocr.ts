// npm run bench:ocr — ingest the sample scans and measure them against their ground truth:
// page classification, short-field exact match (after normal forms), long-text CER, stamp
// detection, fields reported confident (≥ 0.9) that are wrong, pages/min and peak memory.
//
// "Wrong" for a confident field: a short field whose value differs from the truth; a long text
// whose CER exceeds 1 %. Blank-on-paper fields count too (truth null, read non-null or vice versa).
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { defaultLexicon } from '../src/domain/lexicon.js';
import { defaultVocabularies, snap } from '../src/domain/vocabulary.js';
import { vocabularySnapper } from '../src/extract/index.js';
import { FORMS } from '../src/forms/index.js';
import { ingest } from '../src/ingest/index.js';
import { TesseractEngine } from '../src/ocr/index.js';
import { characterErrorRate } from '../src/ocr/metrics.js';
import type { TesseractModel } from '../src/ocr/types.js';
import { createScanReader } from '../src/read/index.js';
import type { SubmissionRecord } from '../src/types.js';

const SCANS = 'samples/scans';
const model = (process.env.XIETONG_OCR_MODEL as TesseractModel | undefined) ?? '4.0.0';
const showText = process.argv.includes('--text');
const only = process.argv.slice(2).filter((a) => a !== '--text');

interface TruthPage {
  page: number;
  record: string;
  form: string;
  formPage: number;
  seals: { cell: string }[];
}

const truthRecords = new Map<string, SubmissionRecord>();
for (const kind of ['registration', 'demand', 'problem']) {
  for (const r of JSON.parse(readFileSync(`samples/records/${kind}.json`, 'utf8')) as SubmissionRecord[])
    truthRecords.set(r.id, r);
}
const files = readdirSync(SCANS)
  .filter((f) => !f.endsWith('.truth.json'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const truthPages = new Map<string, TruthPage>();
for (const f of files) {
  const t = JSON.parse(readFileSync(join(SCANS, `${f}.truth.json`), 'utf8')) as { pages: TruthPage[] };
  for (const p of t.pages) truthPages.set(`${f}#${p.page}`, p);
}

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 100);

const engine = new TesseractEngine({ model });
const reader = createScanReader({ engine });
const started = Date.now();
let result: Awaited<ReturnType<typeof ingest>>;
try {
  defaultVocabularies();
  result = await ingest(
    files.map((f) => join(SCANS, f)),
    {
      reader,
      extract: { snap: vocabularySnapper((v, t) => snap(v, t)), lexicon: defaultLexicon() },
      onProgress: (p) => {
        if (p.phase === 'page') process.stderr.write(`\r  ${p.pagesDone} pages…`);
      },
    },
  );
} finally {
  await Promise.all([engine.close(), reader.close?.()]);
}
const seconds = (Date.now() - started) / 1000;
clearInterval(sampler);
process.stderr.write('\n');

// Page classification.
let classified = 0;
for (const p of result.pages) {
  const t = truthPages.get(`${basename(p.file)}#${p.page}`);
  if (t && p.form === t.form && p.formPage === t.formPage) classified++;
  else
    console.log(
      `  page ${basename(p.file)}#${p.page}: read ${p.form ?? p.failure}/${p.formPage ?? ''}, truth ${t?.form}/${t?.formPage}`,
    );
}

// Fields.
let shortTotal = 0;
let shortRight = 0;
let longErrors = 0;
let longChars = 0;
let stampTotal = 0;
let stampRight = 0;
let confidentWrong = 0;
let confidentTotal = 0;
const misses: string[] = [];
for (const rec of result.submissions) {
  const firstSource = rec.sources[0];
  if (!firstSource) continue;
  const tp = truthPages.get(`${basename(firstSource.file)}#${firstSource.page}`);
  const truth = tp && truthRecords.get(tp.record);
  if (!truth || truth.form !== rec.form) continue;
  const sealed = new Set(
    rec.sources.flatMap(
      (s) => truthPages.get(`${basename(s.file)}#${s.page}`)?.seals.map((x) => x.cell) ?? [],
    ),
  );
  const pagesRead = new Set(
    rec.sources.map((s) => truthPages.get(`${basename(s.file)}#${s.page}`)?.formPage).filter(Boolean),
  );
  for (const def of FORMS[rec.form].fields) {
    if (def.kind === 'photo' || !pagesRead.has(def.page)) continue;
    const got = rec.fields[def.key];
    if (!got) continue;
    let right: boolean;
    if (def.kind === 'stamp') {
      const want = sealed.has(def.key.split('.')[0] as string);
      stampTotal++;
      right = got.value === want;
      if (right) stampRight++;
      else misses.push(`${tp?.record} ${def.key}: read ${got.value}, truth ${want}`);
    } else if (def.kind === 'longText' || def.kind === 'opinion') {
      const want = String(truth.fields[def.key]?.value ?? '');
      const read = String(got.value ?? '');
      const cer = characterErrorRate(read, want);
      longErrors += cer * Math.max(1, want.length);
      longChars += Math.max(1, want.length);
      right = cer <= 0.01;
      if (cer > 0.05 || (showText && cer > 0)) {
        misses.push(`${tp?.record} ${def.key}: CER ${(cer * 100).toFixed(1)} %`);
        if (showText)
          misses.push(`      read  ${JSON.stringify(read)}`, `      truth ${JSON.stringify(want)}`);
      }
    } else {
      const want = truth.fields[def.key]?.value ?? null;
      shortTotal++;
      right = JSON.stringify(got.value) === JSON.stringify(want);
      if (right) shortRight++;
      else
        misses.push(
          `${tp?.record} ${def.key}: read ${JSON.stringify(got.value)} (raw ${JSON.stringify(got.raw ?? '')}, conf ${got.confidence}), truth ${JSON.stringify(want)}`,
        );
    }
    if (got.confidence >= 0.9) {
      confidentTotal++;
      if (!right) {
        confidentWrong++;
        misses.push(`  ↑ CONFIDENT BUT WRONG: ${tp?.record} ${def.key} (conf ${got.confidence})`);
      }
    }
  }
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((a / b) * 100).toFixed(1)} %`);
if (process.env.XIETONG_BENCH_VERBOSE !== '0') for (const m of misses) console.log(`  ${m}`);
console.log(`
bench:ocr — ${files.length} files, ${result.stats.pages} pages, model ${model}, ${cpus().length} cores
  page classification      ${pct(classified, result.pages.length)}   (target 100 %)
  short-field exact        ${pct(shortRight, shortTotal)}   (${shortRight}/${shortTotal}; target ≥ 97 %)
  long-text CER            ${longChars ? ((longErrors / longChars) * 100).toFixed(2) : 'n/a'} %   (target ≤ 1 %)
  stamp detection          ${pct(stampRight, stampTotal)}   (${stampRight}/${stampTotal}; target ≥ 98 %)
  confident (≥0.9) wrong   ${confidentWrong} of ${confidentTotal} confident fields   (target 0)
  failures                 ${result.failures.length}
  pages/min                ${((result.stats.pages / seconds) * 60).toFixed(1)}   (target ≥ 40 on 2 cores)
  peak memory (RSS)        ${(peak / 1024 / 1024).toFixed(0)} MB   (target < 1536 MB)`);
