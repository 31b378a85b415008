// npx tsx bench/page-find.ts [folders…] [--dump out/dir] — how well the prepare stage finds the
// page in photos and the table grid on the prepared page, against the corpus's ground truth.
//
// Per page: the truth quad against the found quad (mean corner error in % of the page's diagonal,
// best of the four corner rotations, since the truth is in the page's own order), whether the
// perspective warp was applied, the cells findGrid finds on the prepared page, and the time of
// prepare + grid (and, after a slash, the cells found on the clean export of the same form page
// when the corpus has one). Totals per folder: quads within 2 % of the diagonal, pages with ≥ 4
// cells, and pages with as many cells as their clean export (±15 %).
//
//   npx tsx bench/page-find.ts output/corpus/dev-1/phone-photo output/corpus/dev-1/chat-photo
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { open, pagesOf } from '../src/ingest/intake.js';
import { findGrid } from '../src/locate/grid.js';
import type { Point, Quad } from '../src/prepare/homography.js';
import { preparePage } from '../src/prepare/index.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dump: { type: 'string' },
    only: { type: 'string' },
    timings: { type: 'boolean', default: false },
  },
});
const folders = positionals.length
  ? positionals
  : ['phone-photo', 'chat-photo', 'office-scan', 'feeder-pdf', 'clean'].map(
      (k) => `output/corpus/dev-1/${k}`,
    );

interface TruthPage {
  record?: string;
  formPage?: number;
  pageQuad?: [number, number][] | null;
  capture?: { desk?: string; tilt?: number[]; shadow?: { strength: number }; blur?: { kind: string } };
}

/** Mean corner distance over the best cyclic correspondence, in % of the truth quad's diagonal. */
function quadError(found: Quad, truth: Point[]): number {
  const [a, b, c, d] = truth as [Point, Point, Point, Point];
  const diag = (Math.hypot(c.x - a.x, c.y - a.y) + Math.hypot(d.x - b.x, d.y - b.y)) / 2;
  let best = Number.POSITIVE_INFINITY;
  for (let s = 0; s < 4; s++) {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      const a = found[(i + s) % 4] as Point;
      const b = truth[i] as Point;
      sum += Math.hypot(a.x - b.x, a.y - b.y);
    }
    best = Math.min(best, sum / 4);
  }
  return (best / diag) * 100;
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);

/** Cells findGrid finds on the clean export of the same form page (a sibling `clean` folder, or `<seed>-clean/clean`). */
const cleanCells = new Map<string, number>();
async function referenceCells(folder: string, t: TruthPage | undefined): Promise<number | undefined> {
  if (!t?.record || !t.formPage) return undefined;
  const name = `${t.record}-p${t.formPage}.png`;
  const path = [join(folder, '..', 'clean', name), join(`${join(folder, '..')}-clean`, 'clean', name)].find(
    (p) => existsSync(p),
  );
  if (!path) return undefined;
  const known = cleanCells.get(path);
  if (known !== undefined) return known;
  const prepared = await preparePage(readFileSync(path));
  const n = findGrid(prepared.page)?.cells.length ?? 0;
  cleanCells.set(path, n);
  return n;
}

for (const folder of folders) {
  const files = readdirSync(folder)
    .filter(
      (f) => !f.endsWith('.json') && ['.jpg', '.jpeg', '.png', '.pdf', '.tif', '.tiff'].includes(extname(f)),
    )
    .filter((f) => !args.only || f.includes(args.only))
    .sort();
  console.log(`\n== ${folder} (${files.length} files)`);
  console.log(
    `${pad('file', 34)}${pad('quad%', 8)}${pad('kind', 7)}${pad('warp', 6)}${pad('cells', 8)}${pad('ms', 7)}capture`,
  );
  let pages = 0;
  let withQuad = 0;
  let quadOk = 0;
  let gridOk = 0;
  let withRef = 0;
  let refOk = 0;
  let totalMs = 0;
  const times: number[] = [];
  for (const file of files) {
    const path = join(folder, file);
    const truthPath = `${path}.truth.json`;
    const truth = existsSync(truthPath)
      ? (JSON.parse(readFileSync(truthPath, 'utf8')) as { pages: TruthPage[] }).pages
      : [];
    const opened = await open(path);
    if (!('input' in opened)) continue;
    let pageNo = 0;
    for await (const p of pagesOf(opened.input, opened.bytes)) {
      if (!('image' in p)) continue;
      const t = truth[pageNo];
      pageNo++;
      pages++;
      const started = performance.now();
      const prepared = await preparePage(p.image);
      const gridStart = performance.now();
      const grid = findGrid(prepared.page);
      const gridMs = performance.now() - gridStart;
      const ms = performance.now() - started;
      totalMs += ms;
      times.push(ms);
      const cells = grid?.cells.length ?? 0;
      if (cells >= 4) gridOk++;
      const ref = await referenceCells(folder, t);
      if (ref !== undefined) {
        withRef++;
        if (Math.abs(cells - ref) <= Math.max(1, ref * 0.15)) refOk++;
      }
      const persp = prepared.steps.perspective;
      let err = '—';
      if (t?.pageQuad) {
        withQuad++;
        if (persp) {
          const e = quadError(
            persp.quad,
            t.pageQuad.map(([x, y]) => ({ x, y })),
          );
          err = e.toFixed(2);
          if (e <= 2 && persp.kind === 'page') quadOk++;
        } else err = 'none';
      }
      const c = t?.capture;
      const capture = c
        ? [
            c.desk,
            c.tilt ? `tilt ${c.tilt.map((v) => v.toFixed(0)).join('/')}` : '',
            c.shadow ? `shadow ${c.shadow.strength.toFixed(2)}` : '',
            c.blur?.kind ?? '',
            args.timings ? JSON.stringify({ ...prepared.steps.timingsMs, grid: Math.round(gridMs) }) : '',
          ]
            .filter(Boolean)
            .join(' ')
        : '';
      const name = pageNo > 1 || file.endsWith('.pdf') ? `${file}#${pageNo}` : file;
      console.log(
        `${pad(name.slice(-33), 34)}${pad(err, 8)}${pad(persp?.kind ?? '-', 7)}${pad(persp ? (persp.applied ? 'yes' : 'no') : '-', 6)}${pad(ref === undefined ? cells : `${cells}/${ref}`, 8)}${pad(Math.round(ms), 7)}${capture}`,
      );
      if (args.dump) {
        mkdirSync(args.dump, { recursive: true });
        const pg = prepared.page;
        await sharp(pg.data, { raw: { width: pg.width, height: pg.height, channels: 1 } })
          .resize({ width: 800 })
          .png()
          .toFile(join(args.dump, `${basename(folder)}-${basename(name, extname(file))}-${pageNo}.png`));
      }
    }
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `-- ${basename(folder)}: ${pages} pages; quad within 2 %: ${quadOk}/${withQuad}; grid ≥ 4 cells: ${gridOk}/${pages}; ` +
      (withRef ? `cells as on the clean page (±15 %): ${refOk}/${withRef}; ` : '') +
      `time per page mean ${Math.round(totalMs / Math.max(1, pages))} ms, median ${Math.round(median)} ms, max ${Math.round(times[times.length - 1] ?? 0)} ms`,
  );
}
