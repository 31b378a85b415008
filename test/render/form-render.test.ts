// Planning and rendering the forms without LibreOffice: what each value prints as, that nothing
// prints "undefined", and how a batch keeps going when one file fails.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import type { ConvertResult, PdfConverter } from '../../src/convert/index.js';
import { FORMS } from '../../src/forms/index.js';
import {
  BLANK_DATE,
  fileNameOf,
  formatValue,
  planFormData,
  printedFields,
  renderFormDocx,
  renderForms,
  TEMPLATES_DIR,
  valuesOf,
} from '../../src/render/forms.js';
import { FORM_KINDS, type SubmissionRecord } from '../../src/types.js';
import { documentXml, docxText, fixtureRecords } from './forms-helpers.js';

const field = (key: string) =>
  FORMS.registration.fields.find((f) => f.key === key) ?? FORMS.demand.fields.find((f) => f.key === key);
const fmt = (key: string, value: string | number | boolean | null | undefined) => {
  const f = field(key);
  if (!f) throw new Error(key);
  return formatValue(f, value);
};

describe('formatValue', () => {
  it('prints dates the Chinese way, and a blank date with room to write one', () => {
    expect(fmt('fillingDate', '2020-05-12')).toBe('2020 年 5 月 12 日');
    expect(fmt('recommendation.date', '2020-12-01')).toBe('2020 年 12 月 1 日');
    expect(fmt('recommendation.date', null)).toBe(BLANK_DATE);
    expect(BLANK_DATE.normalize('NFKC').replace(/ +/g, ' ').trim()).toBe('年 月 日');
  });

  it('prints year-months, amounts and integers', () => {
    expect(fmt('birthMonth', '1985-03')).toBe('1985年3月');
    expect(fmt('annualOutput', 12000)).toBe('12000万元');
    expect(fmt('annualOutput', 0.1 + 0.2)).toBe('0.3万元');
    expect(fmt('teamSize', 3)).toBe('3');
  });

  it('prints null as empty and values not in normal form as they are', () => {
    expect(fmt('name', null)).toBe('');
    expect(fmt('name', undefined)).toBe('');
    expect(fmt('birthMonth', '85年3月')).toBe('85年3月');
    expect(fmt('fillingDate', '2020年5月')).toBe('2020年5月');
  });
});

describe('planFormData', () => {
  it('has one entry per printed field, none for stamps and photos', () => {
    for (const kind of FORM_KINDS) {
      const data = planFormData(kind, null);
      expect(Object.keys(data).sort()).toEqual(
        printedFields(kind)
          .map((f) => f.key)
          .sort(),
      );
      expect(data).not.toHaveProperty('photo');
      expect(data).not.toHaveProperty('recommendation.stamped');
    }
  });

  it('ignores keys that are not fields and keeps paragraph breaks', () => {
    const data = planFormData('problem', { title: '难题', bogus: 'x', description: '一\n二' });
    expect(data.title).toBe('难题');
    expect(data.description).toBe('一\n二');
    expect(data).not.toHaveProperty('bogus');
  });
});

describe('renderFormDocx', () => {
  it.each(FORM_KINDS)('renders a blank %s with no tag left and no "undefined"', async (kind) => {
    const xml = documentXml(await renderFormDocx(kind, null));
    expect(xml).not.toContain('undefined');
    expect(docxText(await renderFormDocx(kind, null))).not.toMatch(/[{}]/);
  });

  it('renders a record with missing values: filled values appear, missing ones are empty', async () => {
    const docx = await renderFormDocx('registration', {
      name: '测试人',
      gender: null,
      birthMonth: '1990-11',
      teamSize: 2,
      'recommendation.date': '2020-06-01',
      'recommendation.stamped': true,
      expertise: '第一段\n第二段',
    });
    const xml = documentXml(docx);
    const text = docxText(docx);
    expect(xml).not.toContain('undefined');
    expect(xml).not.toContain('null');
    expect(text).not.toMatch(/[{}]/);
    for (const s of ['测试人', '1990年11月', '2020 年 6 月 1 日', '第一段', '第二段'])
      expect(text).toContain(s);
    expect(xml).toMatch(/第一段<\/w:t><\/w:r><w:r>.*?<w:br\/>.*?第二段/);
    expect(text).not.toContain('true');
  });

  it('renders the fixture records with all their printed values', async () => {
    for (const record of fixtureRecords()) {
      const text = docxText(await renderFormDocx(record.form, valuesOf(record)));
      expect(text).not.toContain('undefined');
      const data = planFormData(record.form, valuesOf(record));
      for (const value of Object.values(data)) {
        for (const line of value.split('\n')) expect(text).toContain(line);
      }
    }
  });
});

/** Writes a small fake PDF per input; fails the inputs whose copy index is in `fail`. */
function fakeConverter(fail: (index: number) => boolean): PdfConverter & { calls: number } {
  const converter = {
    calls: 0,
    async toPdf(inputs: readonly string[], outDir: string): Promise<ConvertResult[]> {
      converter.calls++;
      await mkdir(outDir, { recursive: true });
      return inputs.map((input, i) => {
        if (fail(i)) return { input, error: 'simulated failure' };
        const pdf = join(outDir, `${basename(input, extname(input))}.pdf`);
        writeFileSync(pdf, `%PDF-fake ${basename(input)}`);
        return { input, pdf };
      });
    },
    convert(): Promise<ConvertResult[]> {
      throw new Error('not used');
    },
  };
  return converter;
}

describe('renderForms', () => {
  const records = fixtureRecords();

  it('writes blank forms by default, with PDFs from one converter call', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'xietong-forms-'));
    const converter = fakeConverter(() => false);
    const summary = await renderForms({ outDir, pdf: true, converter });
    expect(converter.calls).toBe(1);
    expect(summary.failures).toEqual([]);
    expect(summary.templateProblems).toEqual([]);
    expect(summary.written.map((w) => w.docx)).toEqual(
      FORM_KINDS.map((k) => join(outDir, 'blank', `${k}.docx`)),
    );
    for (const w of summary.written) expect(w.pdf).toBe(w.docx.replace(/\.docx$/, '.pdf'));
  });

  it('keeps going when one record fails, and never lets two files share a name', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'xietong-forms-'));
    const [reg, demand] = records as [SubmissionRecord, SubmissionRecord];
    const batch: SubmissionRecord[] = [
      { ...reg, id: 'registration' }, // same base name as the blank registration form
      { ...demand, id: 'a/b' },
      { ...demand, id: 'a_b' },
    ];
    // Order: 3 blank forms, then the records; fail the PDF of the second record (a/b).
    const converter = fakeConverter((i) => i === 4);
    const summary = await renderForms({ records: batch, outDir, pdf: true, converter, blank: true });
    expect(converter.calls).toBe(1);
    expect(summary.written).toHaveLength(6);
    expect(summary.failures).toEqual([
      expect.objectContaining({ id: 'a/b', form: 'demand', code: 'pdf_failed' }),
    ]);
    const pdfs = summary.written.filter((w) => w.pdf).map((w) => readFileSync(w.pdf as string, 'utf8'));
    expect(new Set(pdfs).size).toBe(5); // each PDF came from its own input
    const names = summary.written.map((w) => w.docx);
    expect(new Set(names).size).toBe(6);
    expect(names).toContain(join(outDir, 'filled', 'registration.docx'));
    expect(names).toContain(join(outDir, 'filled', 'a_b.docx'));
    expect(names).toContain(join(outDir, 'filled', 'a_b-2.docx'));
  });

  it('reports tag problems of a template edited by hand, and still prints', async () => {
    const templatesDir = mkdtempSync(join(tmpdir(), 'xietong-templates-'));
    const zip = new PizZip(readFileSync(join(TEMPLATES_DIR, 'registration.docx')));
    zip.file(
      'word/document.xml',
      (zip.file('word/document.xml')?.asText() ?? '').replace('{name}', '{nmae}'),
    );
    writeFileSync(join(templatesDir, 'registration.docx'), zip.generate({ type: 'nodebuffer' }) as Buffer);
    const outDir = mkdtempSync(join(tmpdir(), 'xietong-forms-'));
    const summary = await renderForms({ outDir, pdf: false, forms: ['registration'], templatesDir });
    expect(summary.written).toHaveLength(1);
    expect(summary.templateProblems.map((p) => `${p.form} ${p.code} ${p.tag}`).sort()).toEqual([
      'registration missing_tag name',
      'registration unknown_tag nmae',
    ]);
  });

  it('restricts to the forms asked for', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'xietong-forms-'));
    const summary = await renderForms({ records, outDir, pdf: false, forms: ['problem'] });
    expect(summary.written.map((w) => w.id)).toEqual(['pro-fixture-001']);
  });

  it('makes safe file names from record ids', () => {
    expect(fileNameOf('../etc/passwd')).toBe('__etc_passwd');
    expect(fileNameOf('报名-001')).toBe('报名-001');
    expect(fileNameOf('')).toBe('record');
  });
});
