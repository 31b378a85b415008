// The three attachments (报名表, 企业需求表, 难题征集表) as documents: blank for the notice and for
// people to fill in, or pre-filled from records. The templates in templates/ are the source of
// truth (people edit them in Word); this module only plans the data (pure), renders it through
// the one docxtemplater wrapper and converts every PDF of a run in a single LibreOffice call.

import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LibreOfficeConverter, type PdfConverter } from '../convert/index.js';
import { RunError } from '../errors.js';
import { type FieldDef, FORMS, type FormDef } from '../forms/index.js';
import type { FieldValues, FormKind, SubmissionRecord } from '../types.js';
import { listTags, renderDocx } from './docx.js';
import { chinesePunctuation } from './text.js';

export const TEMPLATES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../templates');

type FormRef = FormKind | FormDef;
type FieldValue = FieldValues[string];

const formOf = (form: FormRef): FormDef => (typeof form === 'string' ? FORMS[form] : form);

/** Fields that are cells to write into; stamps and photos are marks on paper, never tags. */
export const printedFields = (form: FormRef): FieldDef[] =>
  formOf(form).fields.filter((f) => f.printed !== false);

// A blank date leaves room to write one by hand: ideographic spaces (one character wide each; an
// ASCII space is a quarter of that in CJK fonts), which NFKC turns back into plain spaces.
export const BLANK_DATE = '\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;

/** One field's value as printed on the form. Values not in their normal form print as they are. */
export function formatValue(field: FieldDef, value: FieldValue | undefined): string {
  if (value === null || value === undefined || value === '') return field.kind === 'date' ? BLANK_DATE : '';
  switch (field.kind) {
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      return m ? `${m[1]} 年 ${Number(m[2])} 月 ${Number(m[3])} 日` : String(value);
    }
    case 'yearMonth': {
      const m = typeof value === 'string' ? YEAR_MONTH.exec(value) : null;
      return m ? `${m[1]}年${Number(m[2])}月` : String(value);
    }
    case 'amount':
      // Rounded to 4 decimals so 0.1 + 0.2 never prints as 0.30000000000000004万元.
      return typeof value === 'number' ? `${Math.round(value * 10_000) / 10_000}万元` : String(value);
    case 'text':
    case 'longText':
    case 'opinion':
      return chinesePunctuation(String(value));
    default:
      return String(value);
  }
}

/**
 * The template data of one form: every printed field key mapped to its text. Pure. `values` null
 * (or a missing key) gives the blank form. Keys that are not printed fields are ignored.
 */
export function planFormData(form: FormRef, values: FieldValues | null): Record<string, string> {
  const data: Record<string, string> = {};
  for (const field of printedFields(form)) data[field.key] = formatValue(field, values?.[field.key]);
  return data;
}

/** A record's normalised values, as the plan step takes them. */
export function valuesOf(record: SubmissionRecord): FieldValues {
  const values: FieldValues = {};
  for (const [key, field] of Object.entries(record.fields)) values[key] = field.value;
  return values;
}

export interface TemplateTagProblem {
  code: 'unknown_tag' | 'missing_tag' | 'loop_tag';
  tag: string;
  message: string;
}

/**
 * Lints a form template against the form's fields: every tag must be a printed field key (no typos,
 * no stamp/photo tags, no loops) and every printed field must have a tag. Empty list: all good.
 */
export function checkTemplateTags(form: FormRef, template: Buffer): TemplateTagProblem[] {
  const def = formOf(form);
  const name = def.template;
  const keys = new Set(printedFields(def).map((f) => f.key));
  const tags = listTags(template, name);
  const problems: TemplateTagProblem[] = [];
  const seen = new Set<string>();
  for (const t of tags) {
    seen.add(t.tag);
    if (t.isLoop || t.loops.length > 0) {
      problems.push({
        code: 'loop_tag',
        tag: t.tag,
        message: `${name}: {${t.tag}} is a loop or inside one; form templates hold plain field tags only`,
      });
    } else if (!keys.has(t.tag)) {
      const field = def.fields.find((f) => f.key === t.tag);
      problems.push({
        code: 'unknown_tag',
        tag: t.tag,
        message: field
          ? `${name}: {${t.tag}} is a ${field.kind} field, which is not printed as text`
          : `${name}: {${t.tag}} is not a field of the ${def.kind} form (${def.title})`,
      });
    }
  }
  for (const key of keys) {
    if (!seen.has(key)) {
      problems.push({
        code: 'missing_tag',
        tag: key,
        message: `${name}: the printed field ${key} has no {${key}} tag`,
      });
    }
  }
  return problems;
}

export async function loadFormTemplate(form: FormRef, templatesDir = TEMPLATES_DIR): Promise<Buffer> {
  const def = formOf(form);
  const path = join(templatesDir, def.template);
  try {
    return await readFile(path);
  } catch (err) {
    throw new RunError(
      'templateInvalid',
      `Form template ${path} cannot be read. 无法读取表格模板 ${def.template}（${def.title}）。`,
      'Restore templates/ from the repository, or regenerate it with `npx tsx scripts/make-templates.ts`.',
      { cause: err },
    );
  }
}

function renderWith(def: FormDef, template: Buffer, values: FieldValues | null): Buffer {
  return renderDocx(template, planFormData(def, values), def.template).buffer;
}

/** One form as a .docx: blank when `values` is null, pre-filled otherwise. */
export async function renderFormDocx(
  form: FormRef,
  values: FieldValues | null,
  options: { templatesDir?: string } = {},
): Promise<Buffer> {
  const def = formOf(form);
  return renderWith(def, await loadFormTemplate(def, options.templatesDir), values);
}

export interface RenderFormsOptions {
  /** Records to pre-fill; without them only blank forms are written. */
  records?: readonly SubmissionRecord[];
  outDir: string;
  /** Also write a PDF beside each .docx (one converter call for the whole run). */
  pdf: boolean;
  /** Defaults to LibreOffice when `pdf` is set. */
  converter?: PdfConverter;
  /** Restrict to these forms (blank forms and records alike). Default: all three. */
  forms?: readonly FormKind[];
  /** Write the blank forms. Default: true without records, false with them. */
  blank?: boolean;
  templatesDir?: string;
}

export interface WrittenForm {
  form: FormKind;
  /** `blank` or the record id. */
  id: string;
  filled: boolean;
  docx: string;
  pdf?: string;
}

export interface FormRenderFailure {
  form: FormKind;
  /** `blank` or the record id. */
  id: string;
  code: 'render_failed' | 'write_failed' | 'pdf_failed';
  message: string;
}

export interface RenderFormsSummary {
  outDir: string;
  written: WrittenForm[];
  failures: FormRenderFailure[];
  /** Tag problems of the templates used (a template edited by hand); the forms were still written. */
  templateProblems: (TemplateTagProblem & { form: FormKind })[];
}

/**
 * Writes `outDir/blank/<form>.docx` and `outDir/filled/<record id>.docx` (+ .pdf). A record that
 * fails is listed in `failures` and the others go on; an unreadable template ends the run.
 */
export async function renderForms(options: RenderFormsOptions): Promise<RenderFormsSummary> {
  const outDir = resolve(options.outDir);
  const kinds = options.forms ?? (Object.keys(FORMS) as FormKind[]);
  const records = (options.records ?? []).filter((r) => kinds.includes(r.form));
  const blank = options.blank ?? options.records === undefined;

  const templates = new Map<FormKind, Buffer>();
  const templateProblems: RenderFormsSummary['templateProblems'] = [];
  const needed = new Set<FormKind>([...(blank ? kinds : []), ...records.map((r) => r.form)]);
  for (const kind of needed) {
    const template = await loadFormTemplate(kind, options.templatesDir);
    templates.set(kind, template);
    // A tag renamed in Word would silently print an empty cell: say so, but still print.
    for (const p of checkTemplateTags(kind, template)) templateProblems.push({ ...p, form: kind });
  }

  const written: WrittenForm[] = [];
  const failures: FormRenderFailure[] = [];
  const jobs: { form: FormKind; id: string; values: FieldValues | null; path: string }[] = [];
  if (blank) {
    for (const kind of kinds) {
      jobs.push({ form: kind, id: 'blank', values: null, path: join(outDir, 'blank', `${kind}.docx`) });
    }
  }
  const names = new Set<string>();
  for (const record of records) {
    const name = uniqueName(fileNameOf(record.id), names);
    jobs.push({
      form: record.form,
      id: record.id,
      values: valuesOf(record),
      path: join(outDir, 'filled', `${name}.docx`),
    });
  }

  for (const job of jobs) {
    const def = FORMS[job.form];
    let buffer: Buffer;
    try {
      buffer = renderWith(def, templates.get(job.form) as Buffer, job.values);
    } catch (err) {
      failures.push({ form: job.form, id: job.id, code: 'render_failed', message: messageOf(err) });
      continue;
    }
    try {
      await mkdir(dirname(job.path), { recursive: true });
      await writeFile(job.path, buffer);
    } catch (err) {
      failures.push({ form: job.form, id: job.id, code: 'write_failed', message: messageOf(err) });
      continue;
    }
    written.push({ form: job.form, id: job.id, filled: job.values !== null, docx: job.path });
  }

  if (options.pdf && written.length > 0) {
    const converter = options.converter ?? new LibreOfficeConverter();
    await convertAll(converter, outDir, written, failures);
  }
  return { outDir, written, failures, templateProblems };
}

// LibreOffice names each PDF after its input's base name, so blank/registration.docx and a record
// whose id is "registration" would collide in one call: convert numbered copies in a staging
// folder (inside outDir, so the final rename never crosses file systems), then move each PDF home.
async function convertAll(
  converter: PdfConverter,
  outDir: string,
  written: WrittenForm[],
  failures: FormRenderFailure[],
): Promise<void> {
  const staging = await mkdtemp(join(outDir, '.pdf-staging-'));
  try {
    const inputs: string[] = [];
    for (const [i, w] of written.entries()) {
      const copy = join(staging, `${String(i).padStart(5, '0')}.docx`);
      await copyFile(w.docx, copy);
      inputs.push(copy);
    }
    const results = await converter.toPdf(inputs, join(staging, 'pdf'));
    for (const [i, w] of written.entries()) {
      const result = results.find((r) => r.input === inputs[i]);
      const target = w.docx.replace(/\.docx$/, '.pdf');
      if (result?.pdf) {
        await rename(result.pdf, target);
        w.pdf = target;
      } else {
        failures.push({
          form: w.form,
          id: w.id,
          code: 'pdf_failed',
          message: result?.error ?? 'the converter returned no result for this file',
        });
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

// Characters Windows or POSIX refuse in file names, or that would leave outDir/filled.
const UNSAFE_IN_NAMES = '/\\:*?"<>|';

/** A record id as a file name: path separators and control characters become `_`. */
export function fileNameOf(id: string): string {
  const safe = [...id]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || UNSAFE_IN_NAMES.includes(ch) ? '_' : ch))
    .join('');
  const name = safe.replace(/^\.+/, '_').trim();
  return name.length > 0 ? name.slice(0, 120) : 'record';
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}-${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
