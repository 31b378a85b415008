// Text rows of an opinion cell with a seal on it. A seal is ~440 px across at 300 dpi and its ring
// is ink from top to bottom: the plain row projection merged the opinion's first line, the seal,
// "（盖章）" and the date into one "row" that OCR turned into garbage (measured: opinion CER 100 %
// and no date on the sealed cells of 1-bit and greyscale scans). Here the rows are found twice:
// outside the seal's disk with the usual test, and inside it with a darker ink test that a grey
// seal does not pass (print is black, a seal on a greyscale scan is mid-grey). Rows that overlap in
// height are joined, so a date that starts left of the seal is read as one line.

import type { Raster } from '../prepare/raster.js';
import { LIGHT_INK, ringEvidence } from '../prepare/stamp.js';

/** A line of print at 300 dpi is at most ~80 px high (小二 with its descenders). */
const MAX_LINE = 80;
/** Less than half a 五号 character: a fragment of the seal's own lettering or star. */
const MIN_LINE = 24;

export interface TextRow {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  /** Found inside the seal's disk: only the （盖章） words and the date are printed there. */
  underSeal?: boolean;
  /**
   * Under the seal, and running on beyond the disk for more than the seal's width: a sentence the
   * seal was stamped on the end of, not a date beside it — read as words, not as a date.
   */
  pastSeal?: boolean;
}

export interface SealRowsOptions {
  /** Finds rows in a (grey) raster: the reader's own projection. */
  rows(img: Raster): TextRow[];
  /** Ring cover (0–1) from which a circle counts as a seal. */
  minCover?: number;
  /** Darkest grey that still counts as seal, not print, inside the disk (default: from the seal's own grey). */
  printBelow?: number;
}

export interface SealRows {
  rows: TextRow[];
  /** The cell to read the rows from: a grey seal's ink whitened inside its disk (else the cell). */
  image: Raster;
  /** The seal's disk when one was found (cell coordinates). */
  seal?: { x: number; y: number; r: number };
  /**
   * The disk's rows came out as one block and were left out (a seal as black as the print): what is
   * printed under it (the date) is still to be found, by other means.
   */
  hidden?: true;
}

export function sealAwareRows(cell: Raster, opts: SealRowsOptions): SealRows {
  if (cell.channels !== 1) return { rows: opts.rows(cell), image: cell };
  const minCover = opts.minCover ?? 0.5;
  // A seal printed light is no ink to the ring search: looked for again among light greys only.
  let ring = ringEvidence(cell);
  if (ring.cover < minCover) ring = ringEvidence(cell, { inkBand: LIGHT_INK });
  if (ring.cover < minCover) return { rows: opts.rows(cell), image: cell };
  // The ring is a few pixels thick and the Hough radius is at the working scale: a margin.
  const r = ring.radius * 1.06 + 4;
  const { x: cx, y: cy } = ring.centre;
  const printBelow = opts.printBelow ?? printBelowSeal(cell, cx, cy, r);
  const outside = new Uint8Array(cell.data);
  const inside = new Uint8Array(cell.data.length).fill(255);
  const lifted = new Uint8Array(cell.data);
  let grey = 0;
  let dark = 0;
  for (let y = 0; y < cell.height; y++) {
    const dy = y - cy;
    if (Math.abs(dy) > r) continue;
    const half = Math.sqrt(r * r - dy * dy);
    const from = Math.max(0, Math.ceil(cx - half));
    const to = Math.min(cell.width - 1, Math.floor(cx + half));
    for (let x = from; x <= to; x++) {
      const i = y * cell.width + x;
      const v = cell.data[i] as number;
      outside[i] = 255;
      if (v < printBelow) {
        inside[i] = 0;
        dark++;
      } else {
        lifted[i] = 255;
        if (v < 200) grey++;
      }
    }
  }
  // A print stroke's grey edge lies within a few pixels of its black core: kept, so that lifting
  // a dark seal (cores only below printBelow) does not leave the print as thin as a hair.
  keepNearCores(cell, lifted, inside, { cx, cy, r });
  // On a 1-bit scan the seal is as black as the print and the disk gives one tall block, not rows:
  // what lies under the seal is then left out rather than read as one garbled line.
  const tallest = Math.max(MAX_LINE, ...opts.rows({ ...cell, data: outside }).map((r) => r.y1 - r.y0));
  // A row found outside the disk may still run across it (a date that starts left of the seal).
  const crosses = (row: TextRow): boolean => {
    const nx = Math.max(row.x0, Math.min(cx, row.x1));
    const ny = Math.max(row.y0, Math.min(cy, row.y1));
    return Math.hypot(nx - cx, ny - cy) < r - 8;
  };
  const insideRows = opts.rows({ ...cell, data: inside });
  const block = (row: TextRow) => row.y1 - row.y0 > tallest * 1.5;
  const rows = [
    ...opts.rows({ ...cell, data: outside }).map((row) => (crosses(row) ? { ...row, underSeal: true } : row)),
    ...insideRows.filter((r) => !block(r) && r.y1 - r.y0 >= MIN_LINE).map((r) => ({ ...r, underSeal: true })),
  ].sort((a, b) => a.y0 - b.y0);
  const joined: TextRow[] = [];
  for (const row of rows) {
    const last = joined.at(-1);
    const overlap = last ? Math.min(last.y1, row.y1) - Math.max(last.y0, row.y0) : 0;
    if (last && overlap > 0.5 * Math.min(last.y1 - last.y0, row.y1 - row.y0)) {
      joined[joined.length - 1] = {
        y0: Math.min(last.y0, row.y0),
        y1: Math.max(last.y1, row.y1),
        x0: Math.min(last.x0, row.x0),
        x1: Math.max(last.x1, row.x1),
        ...(last.underSeal || row.underSeal ? { underSeal: true } : {}),
      };
    } else joined.push(row);
  }
  for (const [i, row] of joined.entries()) {
    const beyond = Math.max(0, cx - r - row.x0) + Math.max(0, row.x1 - (cx + r));
    if (row.underSeal && beyond > 2 * r) joined[i] = { ...row, pastSeal: true };
  }
  // A grey seal (more mid-grey than black in its disk) is lifted off for reading; a 1-bit one is
  // print-black and stays.
  const image = grey > dark ? { ...cell, data: lifted } : cell;
  return {
    rows: joined,
    image,
    seal: { x: cx, y: cy, r },
    ...(insideRows.some(block) ? { hidden: true as const } : {}),
  };
}

/** Print's grey below which a seal's ink is taken for print when nothing tells them apart. */
const PRINT_BELOW = 90;
/** The darkest a print test inside a seal goes: print's cores are near black after the contrast is stretched. */
const PRINT_CORE = 20;
/** The print test's share of the seal's own grey: half way between print's black and the seal. */
const SEAL_SHARE = 0.5;

/**
 * The grey under which ink in the seal's disk is print. A red seal scanned in grey comes out at
 * any grey from 40 to 160 (dev seed office scans): with a fixed test at 90 a dark seal passed as
 * print, its disk became one tall block, and the date under it was lost. The seal's own grey is
 * the commonest ink grey in its disk other than print's near-black; the test is half way
 * between black and it. A disk whose ink is mostly black (a 1-bit scan) keeps the fixed test.
 */
export function printBelowSeal(cell: Raster, cx: number, cy: number, r: number): number {
  const hist = new Float64Array(256);
  for (let y = Math.max(0, Math.ceil(cy - r)); y <= Math.min(cell.height - 1, Math.floor(cy + r)); y++) {
    const half = Math.sqrt(Math.max(0, r * r - (y - cy) ** 2));
    const from = Math.max(0, Math.ceil(cx - half));
    const to = Math.min(cell.width - 1, Math.floor(cx + half));
    for (let x = from; x <= to; x++) {
      const v = cell.data[y * cell.width + x] as number;
      hist[v] = (hist[v] as number) + 1;
    }
  }
  let black = 0;
  for (let v = 0; v < PRINT_CORE + 10; v++) black += hist[v] as number;
  let sealInk = 0;
  let mode = -1;
  let best = 0;
  // The seal's grey: the fullest window of 11 greys between print's black and the paper.
  for (let v = PRINT_CORE + 10; v < 200; v++) {
    sealInk += hist[v] as number;
    let n = 0;
    for (let k = Math.max(0, v - 5); k <= Math.min(255, v + 5); k++) n += hist[k] as number;
    if (n > best || (n === best && (hist[v] as number) > (hist[mode] as number))) {
      best = n;
      mode = v;
    }
  }
  if (mode < 0 || sealInk < black) return PRINT_BELOW;
  return Math.max(PRINT_CORE, Math.min(PRINT_BELOW, Math.round(mode * SEAL_SHARE)));
}

/** Restores in `lifted` the disk's pixels within two of a print core (0 in `cores`). */
function keepNearCores(
  cell: Raster,
  lifted: Uint8Array,
  cores: Uint8Array,
  disk: { cx: number; cy: number; r: number },
): void {
  const { width, height, data } = cell;
  const reach = 2;
  for (
    let y = Math.max(0, Math.ceil(disk.cy - disk.r));
    y <= Math.min(height - 1, Math.floor(disk.cy + disk.r));
    y++
  )
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (lifted[i] === data[i] || cores[i] === 0) continue;
      let near = false;
      for (let dy = -reach; dy <= reach && !near; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -reach; dx <= reach && !near; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < width && cores[yy * width + xx] === 0) near = true;
        }
      }
      if (near) lifted[i] = data[i] as number;
    }
}
