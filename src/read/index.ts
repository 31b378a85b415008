// Read: one scanned page → which form and page it is, and the raw text of each field. Follows the
// measured recipe of FINDINGS.md: prepare the page (orientation, skew, seals lifted out), find the
// table from its rules, read cells — never the whole page — splitting each cell into text rows read
// as single lines, then map cells to fields through their printed labels.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDate, parsePhone } from '../domain/normalize.js';
import type { RawField, StampEvidence } from '../extract/index.js';
import { fieldDef } from '../forms/index.js';
import type { PageReading } from '../ingest/assemble.js';
import type { ScanReader } from '../ingest/index.js';
import { failure, type PageImage } from '../ingest/intake.js';
import { findGrid } from '../locate/grid.js';
import { classifyTexts, type GridCell, locateFields } from '../locate/labels.js';
import type { OcrEngine, OcrMode } from '../ocr/types.js';
import { crop, encodePng, preparePage, type Raster, stampEvidence } from '../prepare/index.js';
import type { Box, Failure } from '../types.js';

export interface ScanReaderOptions {
  engine: OcrEngine;
  /** Where field crops are written; paths in records are relative to `baseDir`. */
  cropDir?: string;
  baseDir?: string;
}

interface CellText {
  text: string;
  confidence: number;
}

const INK = 140;

/** Text rows of a cell: horizontal ink projection, gaps of a few pixels bridged. */
export function textRows(img: Raster): { y0: number; y1: number; x0: number; x1: number }[] {
  const { width, height, data } = img;
  const counts = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    let n = 0;
    const row = y * width;
    for (let x = 0; x < width; x++) if ((data[row + x] as number) < INK) n++;
    counts[y] = n;
  }
  const minInk = Math.max(2, Math.round(width * 0.002));
  const spans: { y0: number; y1: number }[] = [];
  let start = -1;
  let last = -1;
  for (let y = 0; y < height; y++) {
    if ((counts[y] as number) >= minInk) {
      if (start < 0) start = y;
      else if (y - last > 4) {
        spans.push({ y0: start, y1: last + 1 });
        start = y;
      }
      last = y;
    }
  }
  if (start >= 0) spans.push({ y0: start, y1: last + 1 });
  const out: { y0: number; y1: number; x0: number; x1: number }[] = [];
  for (const s of spans) {
    const h = s.y1 - s.y0;
    if (h < 10) continue; // specks and leftover rule fragments; a 10 pt character is ~40 px at 300 dpi
    let x0 = width;
    let x1 = 0;
    for (let y = s.y0; y < s.y1; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        if ((data[row + x] as number) < INK) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
        }
      }
    }
    // A wide, flat band of ink is a rule remnant, not text.
    if (x1 - x0 > width * 0.9 && h < 14) continue;
    out.push({ y0: s.y0, y1: s.y1, x0, x1: x1 + 1 });
  }
  return out;
}

function inset(box: Box, by: number): Box {
  return { x: box.x + by, y: box.y + by, w: Math.max(1, box.w - 2 * by), h: Math.max(1, box.h - 2 * by) };
}

export function createScanReader(options: ScanReaderOptions): ScanReader {
  const { engine } = options;

  async function readRegion(page: Raster, box: Box, mode: OcrMode = 'line'): Promise<CellText> {
    const region = crop(page, box);
    const rows = textRows(region);
    if (rows.length === 0) return { text: '', confidence: 1 };
    const pad = 6;
    const results = await Promise.all(
      rows.map(async (r) => {
        const line = crop(region, {
          x: r.x0 - pad,
          y: r.y0 - pad,
          w: r.x1 - r.x0 + 2 * pad,
          h: r.y1 - r.y0 + 2 * pad,
        });
        return engine.recognize(await encodePng(line), { mode });
      }),
    );
    const kept = results.filter((r) => r.text.trim() !== '');
    if (kept.length === 0) return { text: '', confidence: 0.5 };
    const chars = kept.reduce((n, r) => n + r.text.length, 0);
    const confidence = kept.reduce((s, r) => s + r.confidence * r.text.length, 0) / Math.max(1, chars);
    return {
      text: kept.map((r) => r.text.trim()).join('\n'),
      confidence: Math.min(confidence, ...kept.map((r) => r.confidence + 0.1)),
    };
  }

  return {
    async readPage(image: PageImage): Promise<PageReading | Failure> {
      const t0 = performance.now();
      const prepared = await preparePage(image.image);
      const t1 = performance.now();
      const page = prepared.page;
      const grid = findGrid(page);
      if (!grid || grid.cells.length < 4) {
        const ink = inkShare(page);
        return ink < 0.003
          ? failure(
              image.file,
              'blank_page',
              `第 ${image.page} 页是空白页：${image.file}`,
              `${image.file} page ${image.page} is blank.`,
              image.page,
            )
          : failure(
              image.file,
              'not_a_form',
              `第 ${image.page} 页找不到表格，不是本项目的表格：${image.file}。如为表格，请摆正后以 300 dpi 重新扫描。`,
              `${image.file} page ${image.page}: no form table found. If it is a form, rescan it straight at 300 dpi.`,
              image.page,
            );
      }
      const border = Math.max(6, Math.round(page.width / 300));
      const cells: (GridCell & { read: CellText })[] = await Promise.all(
        grid.cells.map(async (c) => ({ ...c, read: await readRegion(page, inset(c.box as Box, border)) })),
      );
      for (const c of cells) c.text = c.read.text;
      const t2 = performance.now();
      if (process.env.XIETONG_DEBUG_READ) {
        process.stderr.write(
          `[read] prepare ${Math.round(t1 - t0)} ms, cells ${Math.round(t2 - t1)} ms (${cells.length})\n`,
        );
        for (const c of cells)
          process.stderr.write(`  ${c.row},${c.col} ${JSON.stringify(c.text).slice(0, 40)}\n`);
      }
      // Above the table: 附件N, the title and the header line 填报单位 … 填表日期.
      const top = grid.bounds.y;
      const above =
        top > 40
          ? await readRegion(page, { x: 0, y: 0, w: page.width, h: top - 4 })
          : { text: '', confidence: 0 };
      const aboveLines = above.text.split('\n').filter(Boolean);
      const cls = classifyTexts([...aboveLines, ...cells.map((c) => c.text)]);
      if (!cls) {
        return failure(
          image.file,
          'not_a_form',
          `第 ${image.page} 页不是本项目的三种表格之一：${image.file}`,
          `${image.file} page ${image.page} is not one of the programme's three forms.`,
          image.page,
        );
      }
      const { found } = locateFields(cls.form, cells);
      const cropBase = options.cropDir
        ? join(options.cropDir, `${image.sha256.slice(0, 10)}-p${image.page}`)
        : undefined;
      if (cropBase) await mkdir(cropBase, { recursive: true });
      const source = prepared.colour ?? page;
      const fields: RawField[] = [];
      const stamps: Partial<Record<'recommendation' | 'approval', StampEvidence>> = {};
      for (const loc of found) {
        if (loc.key.endsWith('.stamped') || loc.key.endsWith('.date')) continue;
        const def = fieldDef(cls.form, loc.key);
        if (!def || def.page !== cls.page) continue;
        const cell = loc.valueCell as GridCell & { read?: CellText };
        const box = cell.box as Box;
        let raw = loc.valueText;
        let confidence = cell.read?.confidence ?? 0;
        if (loc.mode === 'inline' && loc.labelCell === loc.valueCell && def.kind !== 'photo') {
          confidence = Math.min(confidence, 0.95);
        }
        // Digits: chi_sim misreads a leading 1 as 上/丨 and drops digits on noisy crops (FINDINGS);
        // a second read with eng settles most of what the first could not parse.
        if ((def.kind === 'phone' || def.kind === 'date') && raw && !parses(def.kind, raw)) {
          const again = await readRegion(page, inset(box, border), 'digits');
          if (parses(def.kind, again.text)) {
            raw = again.text;
            confidence = Math.min(again.confidence, 0.9);
          }
        }
        let cropPath: string | undefined;
        if (cropBase) {
          const file = join(cropBase, `${loc.key}.png`);
          await writeFile(file, await encodePng(crop(source, box)));
          cropPath = relative(options.baseDir ?? process.cwd(), file);
        }
        if (def.kind === 'opinion') {
          const group = loc.key.split('.')[0] as 'recommendation' | 'approval';
          const ev = stampEvidence(crop(source, inset(box, border)));
          stamps[group] = { present: ev.stamped, confidence: ev.confidence };
        }
        fields.push({
          key: loc.key,
          raw,
          confidence,
          page: image.page,
          box,
          ...(cropPath ? { crop: cropPath } : {}),
        });
      }
      if (cls.page === 1) {
        const header = aboveLines.find((l) => /填\s*报|填\s*表/.test(l)) ?? '';
        const m = /填\s*报\s*单\s*位\s*[:：]?(.*?)填\s*表\s*日\s*期\s*[:：]?(.*)$/.exec(header);
        const conf = Math.min(above.confidence, 0.95);
        fields.push(
          { key: 'fillingUnit', raw: (m?.[1] ?? '').trim(), confidence: m ? conf : 0.3, page: image.page },
          { key: 'fillingDate', raw: (m?.[2] ?? '').trim(), confidence: m ? conf : 0.3, page: image.page },
        );
      }
      return {
        file: image.file,
        sha256: image.sha256,
        page: image.page,
        form: cls.form,
        formPage: cls.page,
        fields,
        stamps,
      };
    },
  };
}

function parses(kind: 'phone' | 'date', raw: string): boolean {
  const r = kind === 'phone' ? parsePhone(raw) : parseDate(raw);
  return r.ok && r.value !== null;
}

function inkShare(page: Raster): number {
  let n = 0;
  for (let i = 0; i < page.data.length; i += 4) if ((page.data[i] as number) < INK) n++;
  return n / (page.data.length / 4);
}
