// `npm run bench:render [-- --docs 200 --pdfs 2000 --workers 2 --combine 20]`: how fast
// documents are rendered (.docx, from the agreement template and samples/projects.json), converted
// to PDF through the persistent LibreOffice pool (`--combine` documents per conversion), and
// stamped; and whether memory stays flat over many PDFs (the pool recycles each listener every
// `--recycle` conversions; a combined one counts once). PDFs are deleted chunk by chunk so the disk
// stays flat too. Prints one table; exit code 1 when the PDF rate misses the target.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
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
    pdfs: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '2' },
    recycle: { type: 'string', default: '300' },
    chunk: { type: 'string', default: '200' },
    combine: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const DOCS = Number(args.docs);
const PDFS = Number(args.pdfs);
const CHUNK = Number(args.chunk);
const PDF_TARGET = 25;
/** Linux's USER_HZ: /proc times are in hundredths of a second on every common build. */
const CLOCK_TICKS = 100;
/** Page size for /proc's rss: 4 KiB on x86-64 and the usual arm64 kernels. */
const PAGE_BYTES = 4096;

const root = resolve(import.meta.dirname, '..');
const work = await mkdtemp(join(tmpdir(), 'xietong-bench-render-'));
let stampLine = '';
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface GroupUsage {
  /** Resident memory of every process in the groups, bytes. */
  rss: number;
  /** CPU time (user + system) those processes have used so far, ms. */
  cpuMs: number;
}

/**
 * Memory and CPU of the listeners' process groups (soffice, oosplash, soffice.bin), read from
 * /proc. Not `ps`: spawning it four times a second cost the node process ~5 s of CPU over 400 PDFs,
 * taken from the cores the listeners need; a synchronous call halved the PDF rate.
 */
async function groupUsage(groups: number[]): Promise<GroupUsage> {
  const usage = { rss: 0, cpuMs: 0 };
  if (groups.length === 0) return usage;
  const wanted = new Set(groups.map(String));
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces), from field 3 on: pgrp is field 5,
    // utime 14, stime 15, rss (pages) 24.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!wanted.has(fields[2] ?? '')) continue;
    usage.cpuMs += ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / CLOCK_TICKS;
    usage.rss += Number(fields[21] ?? 0) * PAGE_BYTES;
  }
  return usage;
}

const pool = new LibreOfficePool({
  workers: Number(args.workers),
  recycleAfter: Number(args.recycle),
  combine: Number(args.combine),
});
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
    peakListeners = Math.max(peakListeners, (await groupUsage(pool.processGroups())).rss);
  };
  const sampler = setInterval(() => void sample(), 250);
  let converted = 0;
  let failed = 0;
  let convertMs = 0;
  let cpuNodeMs = 0;
  let cpuListenersMs = 0;
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
    const cpuBefore = { node: process.cpuUsage(), listeners: (await groupUsage(pool.processGroups())).cpuMs };
    const results = await pool.toPdf(inputs, join(chunkDir, 'pdf'));
    convertMs += performance.now() - convertStarted;
    const nodeCpu = process.cpuUsage(cpuBefore.node);
    cpuNodeMs += (nodeCpu.user + nodeCpu.system) / 1000;
    // A listener restarted inside the chunk loses its count: recycles make this an underestimate.
    cpuListenersMs += Math.max(0, (await groupUsage(pool.processGroups())).cpuMs - cpuBefore.listeners);
    converted += results.filter((r) => r.pdf).length;
    failed += results.filter((r) => r.error).length;
    await sample();
    perChunk.push({
      done: done + n,
      listeners: (await groupUsage(pool.processGroups())).rss,
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
      `CPU per PDF         listeners ${(cpuListenersMs / converted).toFixed(0)} ms, node ${(cpuNodeMs / converted).toFixed(0)} ms (user + system)`,
      `pool                starts ${pool.stats.starts}, recycles ${pool.stats.recycles}, crashes ${pool.stats.crashes}, ` +
        `combined ${pool.stats.combined} (up to ${args.combine} per conversion, ${pool.stats.combineFallbacks} fell back)`,
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
