// The small set of cell crops the real-engine suite reads and records: typical values of the
// registration form, drawn at scan resolution (300 dpi) in a Song face, as the read stage will
// hand them to the engine (one cell, greyscale, not contrast-stretched).

import type { OcrMode } from '../../src/ocr/types.js';
import { encodePng, toGrey } from '../../src/prepare/raster.js';
import { separateRedInk } from '../../src/prepare/redink.js';
import { jpegRoundTrip, renderCell } from '../prepare/fixtures.js';

export interface CellCase {
  name: string;
  truth: string;
  mode: OcrMode;
  png: Buffer;
}

const PARAGRAPH = [
  '陶瓷材料制备与烧成工艺，窑炉节能改造，',
  '釉料配方设计与色釉稳定性控制，日用瓷及',
  '艺术瓷生产线的质量管理与检测。',
];

export async function buildCells(): Promise<CellCase[]> {
  const one = async (name: string, truth: string, mode: OcrMode, widthMm = 45) => ({
    name,
    truth,
    mode,
    png: await encodePng(await renderCell(truth, { widthMm })),
  });
  const cells: CellCase[] = [
    await one('name', '王建国', 'line', 30),
    await one('name-4', '欧阳晓明', 'line', 30),
    await one('date', '2020年5月12日', 'line'),
    await one('birth-month', '1985年3月', 'line', 30),
    await one('phone', '13807981234', 'digits'),
    await one('landline', '0798-8576556', 'digits'),
    await one('employer', '景德镇陶瓷大学材料科学与工程学院', 'line', 80),
    {
      name: 'paragraph',
      truth: PARAGRAPH.join(''),
      mode: 'block',
      png: await encodePng(await renderCell('', { lines: PARAGRAPH, widthMm: 80 })),
    },
  ];
  // A date under a red seal, as a JPEG colour scan: read as plain greyscale and after lifting the seal.
  const sealed = await jpegRoundTrip(
    await renderCell('2020年5月12日', { widthMm: 45, heightMm: 16, seal: true }),
    80,
  );
  cells.push({
    name: 'sealed-date-grey',
    truth: '2020年5月12日',
    mode: 'line',
    png: await encodePng(toGrey(sealed)),
  });
  cells.push({
    name: 'sealed-date-masked',
    truth: '2020年5月12日',
    mode: 'line',
    png: await encodePng(separateRedInk(sealed).grey),
  });
  return cells;
}
