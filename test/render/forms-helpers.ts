// Shared by the form rendering tests: what a form prints, in paper order, and the text of a .docx.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PizZip from 'pizzip';
import { FORMS } from '../../src/forms/index.js';
import { TEMPLATES_DIR } from '../../src/render/forms.js';
import { type FormKind, type SubmissionRecord, SubmissionRecordSchema } from '../../src/types.js';

// Printed text that is not a field label: the vertical block of 附件2 and the seal hint.
const EXTRA_BEFORE: Partial<Record<FormKind, Record<string, string>>> = {
  demand: {
    'needs.problems': '技术人才需求',
    'needs.rdPlatform': '（可选其中一项或多，要尽可能详实、准确）',
  },
};

/** Every label of a form as printed, in paper order (line breaks of narrow cells removed). */
export function printedLabels(kind: FormKind): string[] {
  const form = FORMS[kind];
  const labels = [`附件${form.attachment}`, form.title];
  for (const f of form.fields) {
    const extra = EXTRA_BEFORE[kind]?.[f.key];
    if (extra) labels.push(extra);
    if (f.kind === 'stamp') continue; // printed as （盖章） after the opinion label
    if (f.kind === 'date' && f.key.includes('.')) continue; // a tag: 年 月 日 comes from the data
    labels.push(f.label);
    if (f.kind === 'opinion') labels.push('（盖章）');
  }
  if (kind === 'problem') labels.push('注：重大技术难题指能够突破产业或行业发展技术瓶颈');
  return labels;
}

/** Labels missing from `text` or out of order; empty when all are there in order. */
export function labelsOutOfOrder(text: string, labels: string[]): string[] {
  const flat = text.replace(/\s+/g, '');
  const bad: string[] = [];
  let at = 0;
  for (const label of labels) {
    const i = flat.indexOf(label, at);
    if (i < 0) bad.push(label);
    else at = i + label.length;
  }
  return bad;
}

export const documentXml = (docx: Buffer): string =>
  new PizZip(docx).file('word/document.xml')?.asText() ?? '';

/** The visible text of a .docx body, in document order. */
export const docxText = (docx: Buffer): string =>
  [...documentXml(docx).matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

export const template = (kind: FormKind): Buffer => readFileSync(join(TEMPLATES_DIR, FORMS[kind].template));

export const fixtureRecords = (): SubmissionRecord[] => {
  const json = JSON.parse(
    readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/form-records.json'), 'utf8'),
  );
  return json.submissions.map((r: unknown) => SubmissionRecordSchema.parse(r));
};
