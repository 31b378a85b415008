// A sample record as the filled .docx a person would hand in. The paper shows what people wrote
// (the `raw` text: 1985.03, 138 0000 0131, 1.2亿元), not the normal form, so the raw text is what
// goes into the template wherever a record has it; formatValue prints non-normal values as given.
import PizZip from 'pizzip';
import { FORMS } from '../../src/forms/index.js';
import { renderFormDocx } from '../../src/render/forms.js';
import type { FieldValues, SubmissionRecord } from '../../src/types.js';

// Zip entries carry modification times; docxtemplater stamps the parts it rewrites with "now".
const FIXED_ZIP_DATE = new Date('2020-05-01T00:00:00Z');

export function paperValues(record: SubmissionRecord): FieldValues {
  const values: FieldValues = {};
  for (const field of FORMS[record.form].fields) {
    const v = record.fields[field.key];
    if (!v) continue;
    values[field.key] = v.raw ?? v.value;
  }
  return values;
}

/** Rewrites a .docx with fixed entry dates so the same record always gives the same bytes. */
export function normaliseZip(docx: Buffer): Buffer {
  const zip = new PizZip(docx);
  for (const file of Object.values(zip.files)) file.date = FIXED_ZIP_DATE;
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

export async function renderSampleDocx(record: SubmissionRecord): Promise<Buffer> {
  return normaliseZip(await renderFormDocx(record.form, paperValues(record)));
}
