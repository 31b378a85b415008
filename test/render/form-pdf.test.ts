// The forms as LibreOffice prints them: page counts of the originals (2, 2, 1), CJK fonts embedded
// (not boxes), and every label in paper order in the PDF text — blank and filled, one soffice call.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSoffice } from '../../src/convert/index.js';
import { FORMS } from '../../src/forms/index.js';
import { type RenderFormsSummary, renderForms, valuesOf } from '../../src/render/forms.js';
import { FORM_KINDS } from '../../src/types.js';
import { skipWithout } from '../tools.js';
import { fixtureRecords, labelsOutOfOrder, printedLabels } from './forms-helpers.js';

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

describe.skipIf(skipWithout(!!findSoffice()))('forms as PDF (LibreOffice)', () => {
  const records = fixtureRecords();
  const outDir = mkdtempSync(join(tmpdir(), 'xietong-forms-pdf-'));
  let summary: RenderFormsSummary;

  beforeAll(async () => {
    summary = await renderForms({ records, outDir, pdf: true, blank: true });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const pdfs = () =>
    summary.written.map((w) => {
      if (!w.pdf) throw new Error(`no PDF for ${w.id}`);
      return { ...w, pdf: w.pdf };
    });

  it('converts the blank and the filled forms', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.written).toHaveLength(FORM_KINDS.length + records.length);
  });

  it('prints on as many pages as the originals: 2, 2, 1', () => {
    for (const w of pdfs()) {
      const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [w.pdf]))?.[1]);
      expect(pages, `${w.form} ${w.id}`).toBe(FORMS[w.form].pages);
    }
  });

  it('embeds CJK fonts', () => {
    for (const w of pdfs()) {
      const rows = run('pdffonts', [w.pdf]).split('\n').slice(2).filter(Boolean);
      const cjk = rows.filter((r) => /Noto(Serif|Sans)CJK|AR ?PL|GBZenKai/i.test(r));
      expect(cjk.length, `${w.id}: ${rows.join('; ')}`).toBeGreaterThan(0);
      for (const r of rows) expect(r.split(/\s+/).at(-5), `not embedded: ${r}`).toBe('yes');
    }
  });

  it('prints every label in paper order', () => {
    for (const w of pdfs()) {
      // -raw keeps the content stream order, which is the document order of cells.
      const text = run('pdftotext', ['-raw', w.pdf, '-']);
      expect(labelsOutOfOrder(text, printedLabels(w.form)), `${w.form} ${w.id}`).toEqual([]);
    }
  });

  it('prints the filled values, and 年 月 日 where a date is blank', () => {
    for (const w of pdfs()) {
      const text = run('pdftotext', ['-raw', w.pdf, '-']).replace(/\s+/g, '');
      expect(text).not.toContain('undefined');
      if (!w.filled) {
        const opinions = FORMS[w.form].fields.filter((f) => f.kind === 'opinion').length;
        expect(text.split('年月日').length - 1).toBe(opinions + 1); // + 填表日期
        continue;
      }
      const record = records.find((r) => r.id === w.id);
      const values = valuesOf(record as (typeof records)[number]);
      expect(text).toContain(String(values.fillingUnit));
      if (w.form === 'registration') expect(text).toContain('林晓舟');
      if (w.form === 'demand') expect(text).toContain('12000万元');
      if (w.form === 'problem') expect(text).toContain('2020年5月18日');
    }
  });
});
