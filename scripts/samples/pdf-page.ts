// One page of a PDF as an 8-bit greyscale raster, through poppler's pdftoppm: how the sample scans
// and the corpus both start from a rendered form.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Raster } from './raster.js';

const run = promisify(execFile);

function readPgm(buf: Buffer): Raster {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(buf.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write an 8-bit PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const start = header[0].length;
  return {
    width,
    height,
    channels: 1,
    data: new Uint8ClampedArray(buf.subarray(start, start + width * height)),
  };
}

/** Page `page` (1-based) of `pdf` at `dpi`; `outPrefix` names the temporary PGM, removed after. */
export async function rasterisePdfPage(
  pdf: string,
  page: number,
  dpi: number,
  outPrefix: string,
): Promise<Raster> {
  await run('pdftoppm', [
    '-r',
    String(dpi),
    '-gray',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    pdf,
    outPrefix,
  ]);
  const file = `${outPrefix}.pgm`;
  const raster = readPgm(await readFile(file));
  await rm(file, { force: true });
  return raster;
}
