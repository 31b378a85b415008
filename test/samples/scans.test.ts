// The sample scans: every file has ground truth that points at real records and agrees with them,
// the mix covers the cases ingest must handle, and samples/ stays small enough to commit.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ScanTruth, ScanTruthSchema, TRUTH_SUFFIX } from '../../scripts/samples/truth.js';
import { FORMS } from '../../src/forms/index.js';
import { FORM_KINDS, type SubmissionRecord, SubmissionRecordSchema } from '../../src/types.js';

const SAMPLES = fileURLToPath(new URL('../../samples', import.meta.url));
const SCANS = join(SAMPLES, 'scans');
// The scans are most of it; page images of every document and workbench view (16-colour PNGs,
// ~0.4 MB together) the rest.
const BUDGET_BYTES = 8_500_000;

const records = new Map<string, SubmissionRecord>();
for (const kind of FORM_KINDS) {
  const list = z
    .array(SubmissionRecordSchema)
    .parse(JSON.parse(readFileSync(join(SAMPLES, 'records', `${kind}.json`), 'utf8')));
  for (const r of list) records.set(r.id, r);
}

const names = readdirSync(SCANS);
const scanFiles = names.filter((n) => !n.endsWith(TRUTH_SUFFIX)).sort();
const truths = new Map<string, ScanTruth>(
  scanFiles
    .filter((f) => names.includes(`${f}${TRUTH_SUFFIX}`))
    .map((f) => [
      f,
      ScanTruthSchema.parse(JSON.parse(readFileSync(join(SCANS, `${f}${TRUTH_SUFFIX}`), 'utf8'))),
    ]),
);
const pages = [...truths.values()].flatMap((t) =>
  t.pages.map((p) => ({ ...p, file: t.file, format: t.format })),
);

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(path) : statSync(path).size;
  }
  return total;
}

describe('sample scans', () => {
  it('each have a ground-truth file, and each truth file its scan', () => {
    expect(scanFiles.length).toBeGreaterThan(0);
    for (const f of scanFiles) expect(truths.has(f), `${f} has no ${TRUTH_SUFFIX}`).toBe(true);
    for (const n of names.filter((x) => x.endsWith(TRUTH_SUFFIX))) {
      expect(scanFiles, n).toContain(n.slice(0, -TRUTH_SUFFIX.length));
    }
    for (const [f, t] of truths) expect(t.file).toBe(f);
  });

  it('point at existing records, of the right form and form page, numbered in order', () => {
    for (const t of truths.values()) {
      t.pages.forEach((p, i) => {
        expect(p.page, t.file).toBe(i + 1);
        const record = records.get(p.record);
        expect(record, `${t.file} p${p.page}: ${p.record}`).toBeDefined();
        expect(p.form).toBe(record?.form);
        expect(p.formPage).toBeLessThanOrEqual(FORMS[p.form].pages);
      });
    }
  });

  it('list exactly the stamped opinion cells of each page as sealed', () => {
    for (const p of pages) {
      const record = records.get(p.record) as SubmissionRecord;
      const stamped = FORMS[p.form].fields
        .filter((f) => f.kind === 'stamp' && f.page === p.formPage && record.fields[f.key]?.value === true)
        .map((f) => f.key.split('.')[0]);
      expect(p.seals.map((s) => s.cell).sort(), `${p.file} p${p.page}`).toEqual(stamped.sort());
      for (const s of p.seals) {
        expect(s.centre[0]).toBeGreaterThan(0);
        expect(s.centre[0]).toBeLessThan(p.width);
        expect(s.centre[1]).toBeGreaterThan(0);
        expect(s.centre[1]).toBeLessThan(p.height);
      }
    }
  });

  it('match the files: page count, size and format', async () => {
    for (const t of truths.values()) {
      const bytes = readFileSync(join(SCANS, t.file));
      if (t.format === 'pdf') {
        const doc = await PDFDocument.load(bytes);
        expect(doc.getPageCount(), t.file).toBe(t.pages.length);
        continue;
      }
      const meta = await sharp(bytes).metadata();
      expect(meta.format, t.file).toBe(t.format);
      expect(meta.pages ?? 1, t.file).toBe(t.pages.length);
      expect(meta.width, t.file).toBe(t.pages[0]?.width);
      expect(meta.height, t.file).toBe(t.pages[0]?.height);
      if (!t.pages[0]?.photo) expect(meta.density, t.file).toBe(300);
    }
  });

  it('cover what ingest has to handle', () => {
    const formats = new Set([...truths.values()].map((t) => t.format));
    expect([...formats].sort()).toEqual(['jpeg', 'pdf', 'png', 'tiff']);
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(pages.some((p) => p.upsideDown && Math.abs(p.rotation - 180) <= 2)).toBe(true);
    expect(pages.filter((p) => p.photo).length).toBeGreaterThanOrEqual(2);
    expect(pages.some((p) => p.greyscale && p.seals.length > 0)).toBe(true);
    expect(pages.some((p) => !p.greyscale && p.seals.length > 0)).toBe(true);
    expect(pages.some((p) => p.bilevel)).toBe(true);
    expect(pages.every((p) => p.photo || p.clean || p.upsideDown || Math.abs(p.rotation) <= 2)).toBe(true);
    // A multi-page file that holds more than one submission, and multi-page TIFF.
    expect(
      [...truths.values()].some((t) => t.format === 'pdf' && new Set(t.pages.map((p) => p.record)).size > 1),
    ).toBe(true);
    expect([...truths.values()].some((t) => t.format === 'tiff' && t.pages.length > 1)).toBe(true);
    for (const kind of FORM_KINDS)
      expect(
        pages.some((p) => p.form === kind),
        kind,
      ).toBe(true);
  });

  it('come with a filled .docx for every record', () => {
    const docx = new Set(readdirSync(join(SAMPLES, 'docx')));
    for (const id of records.keys()) expect(docx.has(`${id}.docx`), id).toBe(true);
  });

  it('keep samples/ within its 8 MB budget', () => {
    expect(sizeOf(SAMPLES)).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
