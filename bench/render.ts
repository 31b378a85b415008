// `npm run bench:render [-- --docs 200 --pdfs 2000 --workers 2]`: how fast documents are rendered
// (.docx, from the agreement template and samples/projects.json), converted to PDF through the
// persistent LibreOffice pool, and stamped; and whether memory stays flat over many PDFs (the pool
// recycles each listener every `--recycle` documents). PDFs are deleted chunk by chunk so the disk
// stays flat too. Prints one table; exit code 1 when the PDF rate misses the target.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { LibreOfficePool } from '../src/convert/pool.js';
import { loadProjects } from '../src/projects/types.js';
import { loadAgreementConfig, planAgreement } from '../src/render/agreements.js';
import { loadTemplate } from '../src/render/documents.js';
import { renderDocx } from '../src/render/docx.js';
import { stampPdf } from '../src/stamp/index.js';
import { specimenSealPng } from '../src/stamp/specimen.js';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '200' },
    pdfs: { type: 'string', default: '200' },
    workers: { type: 'string', default: '2' },
    recycle: { type: 'string', default: '300' },
    chunk: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
  },
});
const DOCS = Number(args.docs);
const PDFS = Number(args.pdfs);
const CHUNK = Number(args.chunk);
const PDF_TARGET = 25;

const root = resolve(import.meta.dirname, '..');
const work = await mkdtemp(join(tmpdir(), 'xietong-bench-render-'));
let stampLine = '';
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * Resident memory of the listeners' process groups (soffice, oosplash), in bytes. Asynchronous:
 * a synchronous `ps` four times a second blocked the event loop that feeds the listeners, and the
 * measured PDF rate halved (9 against 16 docs/s on 2 listeners).
 */
async function listenerRss(groups: number[]): Promise<number> {
  if (groups.length === 0) return 0;
  try {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'rss=', '-g', groups.join(',')], {
      encoding: 'utf8',
    });
    return (
      stdout
        .split('\n')
        .map((l) => Number(l.trim()) || 0)
        .reduce((a, b) => a + b, 0) * 1024
    );
  } catch {
    return 0;
  }
}

const pool = new LibreOfficePool({ workers: Number(args.workers), recycleAfter: Number(args.recycle) });
try {
  // ---- .docx ------------------------------------------------------------------------------------
  const projects = await loadProjects(join(root, 'samples/projects.json'));
  const config = await loadAgreementConfig();
  const template = await loadTemplate('agreement');
  const plans = projects.flatMap((p) => {
    const outcome = planAgreement(p, config);
    return outcome.ok ? [outcome.plan] : [];
  });
  if (plans.length === 0) throw new Error('no agreement could be planned from samples/projects.json');
  const docxDir = join(work, 'docx');
  await mkdir(docxDir);
  const docxs: string[] = [];
  let t = performance.now();
  for (let i = 0; i < DOCS; i++) {
    const plan = plans[i % plans.length];
    if (!plan) continue;
    const path = join(docxDir, `agreement-${String(i).padStart(5, '0')}.docx`);
    await writeFile(path, renderDocx(template, plan.data, 'agreement.docx').buffer);
    docxs.push(path);
  }
  const docxRate = DOCS / ((performance.now() - t) / 1000);

  // ---- PDF ---------------------------------------------------------------------------------------
  t = performance.now();
  await pool.warmUp();
  const warmUpS = (performance.now() - t) / 1000;
  let peakNode = 0;
  let peakListeners = 0;
  const perChunk: { done: number; listeners: number; node: number }[] = [];
  const sample = async (): Promise<void> => {
    peakNode = Math.max(peakNode, process.memoryUsage().rss);
    peakListeners = Math.max(peakListeners, await listenerRss(pool.processGroups()));
  };
  const sampler = setInterval(() => void sample(), 250);
  let converted = 0;
  let failed = 0;
  let convertMs = 0;
  t = performance.now();
  for (let done = 0; done < PDFS; done += CHUNK) {
    const n = Math.min(CHUNK, PDFS - done);
    const chunkDir = join(work, `chunk-${done}`);
    await mkdir(chunkDir);
    // Unique names per chunk: LibreOffice names each PDF after its input.
    const inputs: string[] = [];
    for (let i = 0; i < n; i++) {
      const src = docxs[(done + i) % docxs.length] as string;
      const copy = join(chunkDir, `d${done + i}.docx`);
      await copyFile(src, copy);
      inputs.push(copy);
    }
    // Only the conversions count: copying inputs, sampling and the stamp bench are not the PDF rate.
    const convertStarted = performance.now();
    const results = await pool.toPdf(inputs, join(chunkDir, 'pdf'));
    convertMs += performance.now() - convertStarted;
    converted += results.filter((r) => r.pdf).length;
    failed += results.filter((r) => r.error).length;
    await sample();
    perChunk.push({
      done: done + n,
      listeners: await listenerRss(pool.processGroups()),
      node: process.memoryUsage().rss,
    });
    if (done === 0) await stampBench(join(chunkDir, 'pdf'));
    if (!args.keep) await rm(chunkDir, { recursive: true, force: true });
  }
  clearInterval(sampler);
  const pdfS = convertMs / 1000;
  const pdfRate = converted / pdfS;

  process.stdout.write(
    [
      '',
      `documents: agreement.docx × ${DOCS} (from ${plans.length} projects), PDFs: ${PDFS} on ${pool.size} listener(s)`,
      `.docx render        ${docxRate.toFixed(0)} docs/s`,
      `listener warm-up    ${warmUpS.toFixed(1)} s (not in the PDF rate)`,
      `PDF conversion      ${pdfRate.toFixed(1)} docs/s  (${converted} ok, ${failed} failed, ${pdfS.toFixed(1)} s; target ≥ ${PDF_TARGET})`,
      `pool                starts ${pool.stats.starts}, recycles ${pool.stats.recycles}, crashes ${pool.stats.crashes}`,
      `peak memory         node ${mb(peakNode)}, listeners ${mb(peakListeners)}, sum ≤ ${mb(peakNode + peakListeners)}`,
      `memory by chunk     ${perChunk.map((c) => `${c.done}: ${mb(c.listeners)}+${mb(c.node)}`).join(' | ')}`,
      stampLine,
      '',
    ].join('\n'),
  );
  if (pdfRate < PDF_TARGET) process.exitCode = 1;
} finally {
  await pool.close();
  await rm(work, { recursive: true, force: true });
}

/** Stamp time per document: seal on the date + 草稿 watermark, over the first chunk's PDFs. */
async function stampBench(pdfDir: string): Promise<void> {
  const seal = await specimenSealPng('景德镇市科学技术局');
  const pdfs = (await readdir(pdfDir)).filter((f) => f.endsWith('.pdf')).slice(0, 50);
  if (pdfs.length === 0) return;
  const out = join(pdfDir, 'stamped.pdf');
  await stampPdf(join(pdfDir, pdfs[0] as string), { out, seal: { image: seal }, draft: true }); // font, seal decode
  const t = performance.now();
  let placed = 0;
  for (const f of pdfs) {
    const r = await stampPdf(join(pdfDir, f), { out, seal: { image: seal }, draft: true });
    if (r.seal) placed++;
  }
  const ms = (performance.now() - t) / pdfs.length;
  stampLine = `stamp (seal+草稿)    ${ms.toFixed(0)} ms/doc over ${pdfs.length} PDFs (seal placed on ${placed})`;
}
