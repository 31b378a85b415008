// The notice (通知) as an official document in GB/T 9704-2012 layout: a YAML data file is checked
// against a schema, planned into template data (pure), rendered through the one docxtemplater
// wrapper into templates/notice.docx, and converted to PDF by LibreOffice. The layout lives in the
// template (people edit it in Word); this module only decides what text goes where. The forms the
// 附件说明 names are bound after the body (src/render/bind.ts). Over 400 lines because the data
// file's schema, its plan and the render that reads the laid-out PDF back are one contract.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { z } from 'zod';
import { yamlData } from '../config-file.js';
import { LibreOfficeConverter, type PdfConverter } from '../convert/index.js';
import { RunError } from '../errors.js';
import { FORMS } from '../forms/index.js';
import { FORM_KINDS, type FormKind } from '../types.js';
import { type Attachment, bindAttachments, type RecordPage } from './bind.js';
import { renderDocx } from './docx.js';
import { renderFormDocx } from './forms.js';

export const NOTICE_TEMPLATE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../templates/notice.docx',
);

// ---- the data file -----------------------------------------------------------------------------

const text = z.string().trim().min(1, 'must not be empty');

// ISO (2020-04-28) as in the records, or the way the document prints it (2020年4月28日).
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const dateValue = z
  .string()
  .trim()
  .refine((s) => parseDate(s) !== undefined, 'must be a date like 2020-04-28 or 2020年4月28日');

const BODY_LEVELS = ['h1', 'h2', 'item', 'sub'] as const;
type BodyLevel = (typeof BODY_LEVELS)[number] | 'p';

const BodyEntrySchema = z.union(
  [
    text,
    z.strictObject({ h1: text }),
    z.strictObject({ h2: text }),
    z.strictObject({ item: text }),
    z.strictObject({ sub: text }),
  ],
  { error: 'must be a paragraph (a string) or one of h1: / h2: / item: / sub: with its text' },
);

const ASSUMABLE = [
  'date',
  'signer',
  'copyTo',
  'printedBy',
  'printedDate',
  'number',
  'title',
  'attachments',
] as const;

export const NoticeDataSchema = z.strictObject({
  issuer: z.strictObject({
    /** Full name of the issuing authority, e.g. 景德镇市科学技术局. */
    name: text,
    /** 发文机关标志, printed in red: the name, usually followed by 文件. */
    mark: text,
  }),
  /** 发文字号: the year in 〔〕, the number without leading zeros and without 第, then 号. */
  number: text.regex(
    /^\S+〔\d{4}〕\s?[1-9]\d*\s?号$/,
    'must read like 景科字〔2020〕14号: the year in hexagonal brackets 〔〕, no leading zero, ending in 号',
  ),
  /** The title as one string or as its lines (the author chooses where it breaks). */
  title: z.union([text, z.array(text).min(1)]),
  /** 主送机关, e.g. 各有关单位：. */
  addressee: text,
  body: z.array(BodyEntrySchema).min(1, 'needs at least one paragraph'),
  attachments: z.array(text).default([]),
  /** 发文机关署名; defaults to the issuer's name. */
  signer: text.optional(),
  /** 成文日期. Missing: printed empty and reported. */
  date: dateValue.optional(),
  /** 抄送机关: a list, or one string as it should print. */
  copyTo: z.union([text, z.array(text).min(1)]).optional(),
  /** 印发机关 and 印发日期 of the 版记. Missing: printed empty and reported. */
  printedBy: text.optional(),
  printedDate: dateValue.optional(),
  /** Keys whose values are invented or sample data; each gives a warning when rendering. */
  assumed: z.array(z.enum(ASSUMABLE)).default([]),
});

export type NoticeData = z.infer<typeof NoticeDataSchema>;

/** Parses and checks a notice data file's text. Throws RunError('badDataFile') naming every problem. */
export function parseNoticeData(source: string, file: string): NoticeData {
  const { data, problems } = yamlData(source);
  if (problems.length > 0) throw badDataFile(file, problems);
  const parsed = NoticeDataSchema.safeParse(data);
  if (!parsed.success) {
    throw badDataFile(
      file,
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** Reads a notice data file (YAML). */
export async function loadNoticeData(file: string): Promise<NoticeData> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `Cannot read the notice data file ${file}. 无法读取通知数据文件 ${file}。`,
      'Check the path; samples/notice.yaml is an example to copy.',
      { cause: err },
    );
  }
  return parseNoticeData(source, file);
}

function badDataFile(file: string, problems: string[]): RunError {
  return new RunError(
    'badDataFile',
    `通知数据文件 ${file} 有 ${problems.length} 处错误 / notice data file ${file} has ${problems.length} problem(s):\n` +
      problems.map((p) => `  - ${p}`).join('\n'),
    'Fix the entries listed above; samples/notice.yaml shows every key in use.',
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');
}

// ---- the plan ----------------------------------------------------------------------------------

export interface NoticeBodyParagraph {
  h1: boolean;
  h2: boolean;
  item: boolean;
  sub: boolean;
  p: boolean;
  text: string;
}

export interface NoticeAttachmentLine {
  first: boolean;
  /** «1.», «2.» … */
  label: string;
  name: string;
}

/** What the template receives. Keys are the template's tags, verbatim. */
export interface NoticeTemplateData {
  'issuer.mark': string;
  number: string;
  title: string;
  addressee: string;
  body: NoticeBodyParagraph[];
  singleAttachment: boolean;
  attachment: string;
  multipleAttachments: boolean;
  attachments: NoticeAttachmentLine[];
  signer: string;
  date: string | null;
  hasCopyTo: boolean;
  copyTo: string;
  printedBy: string | null;
  printedDate: string | null;
}

export interface NoticePlan {
  data: NoticeTemplateData;
  /** Keys of the data file that are needed but missing: they print empty. */
  missing: string[];
  /** Things a person should look at: assumed values, text that may not fit, numbering slips. */
  warnings: string[];
}

// The numbering each level of GB/T 9704 starts with; a mismatch is a warning, not an error.
const LEVEL_NUMBERING: Record<(typeof BODY_LEVELS)[number], RegExp> = {
  h1: /^[一二三四五六七八九十百]+、/,
  h2: /^（[一二三四五六七八九十百]+）/,
  item: /^\d+[.．]/,
  sub: /^（\d+）/,
};
const LEVEL_NAMES: Record<(typeof BODY_LEVELS)[number], string> = {
  h1: '一、',
  h2: '（一）',
  item: '1.',
  sub: '（1）',
};

// What the template holds: the mark is sized for 11 characters and a 2号 title line holds 20; the
// 版记 box (fixed height, see scripts/make-notice-template.ts) holds 抄送 on two lines of 26
// 4号 characters.
const MARK_MAX_CHARS = 11;
const TITLE_MAX_CHARS = 20;
const COPY_TO_LINE_CHARS = 26;
const COPY_TO_MAX_LINES = 2;

/** Width in characters of a full-width face: Latin letters, digits and ASCII punctuation are about half. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) < 0x2e80 ? 0.55 : 1;
  return w;
}

/** Builds the template data from a checked data file. Pure. */
export function planNotice(notice: NoticeData): NoticePlan {
  const warnings: string[] = [];
  const missing: string[] = [];

  const assumed = notice.assumed.filter((key) => notice[key] !== undefined);
  if (assumed.length > 0) {
    warnings.push(
      `assumed or sample data, not the issuer's — check before issuing / 假定或示例数据，发文前请核实: ${assumed.join(', ')}`,
    );
  }
  if ([...notice.issuer.mark].length > MARK_MAX_CHARS) {
    warnings.push(
      `issuer.mark has ${[...notice.issuer.mark].length} characters; the template fits ${MARK_MAX_CHARS} on one line: narrow the GwMark style in templates/notice.docx.`,
    );
  }
  const titleLines = (Array.isArray(notice.title) ? notice.title : notice.title.split('\n')).map((l) =>
    l.trim(),
  );
  for (const line of titleLines) {
    if ([...line].length > TITLE_MAX_CHARS) {
      warnings.push(
        `title line «${line}» is longer than ${TITLE_MAX_CHARS} characters and will wrap: break it where the meaning allows.`,
      );
    }
  }

  const body = notice.body.map((entry, i): NoticeBodyParagraph => {
    const [level, content] = bodyEntry(entry);
    if (level !== 'p' && !LEVEL_NUMBERING[level].test(content)) {
      warnings.push(`body[${i}] is a ${level} (${LEVEL_NAMES[level]}) but reads «${content.slice(0, 12)}…»`);
    }
    return {
      h1: level === 'h1',
      h2: level === 'h2',
      item: level === 'item',
      sub: level === 'sub',
      p: level === 'p',
      text: content,
    };
  });

  const copyTo = formatCopyTo(notice.copyTo);
  const copyToLines = Math.ceil(textWidth(copyTo) / COPY_TO_LINE_CHARS);
  if (copyToLines > COPY_TO_MAX_LINES) {
    warnings.push(
      `copyTo needs about ${copyToLines} lines; the 版记 box holds ${COPY_TO_MAX_LINES}: shorten it, or make the box taller in templates/notice.docx.`,
    );
  }

  const names = notice.attachments;
  const attachments =
    names.length > 1 ? names.map((name, i) => ({ first: i === 0, label: `${i + 1}.`, name })) : [];

  const date = notice.date ? formatDate(notice.date) : null;
  const printedDate = notice.printedDate ? formatDate(notice.printedDate) : null;
  if (date === null) missing.push('date');
  if (!notice.printedBy) missing.push('printedBy');
  if (printedDate === null) missing.push('printedDate');
  if (notice.date && notice.printedDate && isoDate(notice.printedDate) < isoDate(notice.date)) {
    warnings.push(
      `printedDate ${printedDate} is before the date ${date}: a notice is printed on or after the day it is signed.`,
    );
  }

  const data: NoticeTemplateData = {
    'issuer.mark': notice.issuer.mark,
    number: notice.number,
    title: titleLines.join('\n'),
    addressee: withColon(notice.addressee),
    body,
    singleAttachment: names.length === 1,
    attachment: names.length === 1 ? (names[0] ?? '') : '',
    multipleAttachments: names.length > 1,
    attachments,
    signer: notice.signer ?? notice.issuer.name,
    date,
    hasCopyTo: notice.copyTo !== undefined,
    copyTo,
    printedBy: notice.printedBy ?? null,
    printedDate,
  };
  return { data, missing, warnings };
}

function bodyEntry(entry: NoticeData['body'][number]): [BodyLevel, string] {
  if (typeof entry === 'string') return ['p', entry];
  for (const level of BODY_LEVELS) {
    const value = (entry as Partial<Record<BodyLevel, string>>)[level];
    if (value !== undefined) return [level, value];
  }
  // The schema admits nothing else.
  throw new Error(`unexpected body entry ${JSON.stringify(entry)}`);
}

function parseDate(s: string): { y: number; m: number; d: number } | undefined {
  const match = DATE.exec(s);
  if (!match) return undefined;
  const [y, m, d] = (match[1] ? match.slice(1, 4) : match.slice(4, 7)).map(Number) as [
    number,
    number,
    number,
  ];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
    return undefined;
  return { y, m, d };
}

const isoDate = (s: string): string => {
  const p = parseDate(s);
  return p ? `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}` : s;
};

/** 2020-04-28 → 2020年4月28日: Arabic numerals, the year in full, no leading zeros (GB/T 9704 7.3.5.4). */
export function formatDate(s: string): string {
  const p = parseDate(s);
  if (!p) throw new RangeError(`not a date: ${s}`);
  return `${p.y}年${p.m}月${p.d}日`;
}

/** 主送机关 ends with a full-width colon. */
function withColon(addressee: string): string {
  const bare = addressee.replace(/[:：]\s*$/, '');
  return `${bare}：`;
}

/** 抄送机关 separated by «，», the last followed by «。». */
function formatCopyTo(copyTo: NoticeData['copyTo']): string {
  if (copyTo === undefined) return '';
  if (typeof copyTo === 'string') return /[。.]$/.test(copyTo) ? copyTo : `${copyTo}。`;
  return `${copyTo.map((c) => c.replace(/[，,。.]$/, '')).join('，')}。`;
}

// ---- rendering ---------------------------------------------------------------------------------

export interface RenderNoticeOptions {
  outDir: string;
  /** Base name of the output files; defaults to `notice`. */
  name?: string;
  /** Also convert to PDF (needs LibreOffice). */
  pdf: boolean;
  template?: string;
  converter?: PdfConverter;
  /** Bind the attachments that are forms of the programme after the body (default true). */
  bind?: boolean;
  /** Where the forms' templates are (default templates/). */
  templatesDir?: string;
  /** Attachments that are not the programme's forms, rendered, by their name in the 附件说明. */
  otherAttachments?: ReadonlyMap<string, Buffer>;
  /** A missing 成文日期 or 印发日期 prints as 「　　年　　月　　日」 to write by hand, not as nothing. */
  handDates?: boolean;
}

export interface RenderNoticeResult {
  docx: string;
  pdf?: string;
  missing: string[];
  warnings: string[];
  /** The attachments bound after the body (a form's kind, or the name of another), in order. */
  bound: string[];
}

const squeeze = (s: string) => s.replace(/[\s《》]/g, '');

/**
 * The form each attachment names, by its title (《》 and spaces aside); null for an attachment
 * that is not one of the programme's forms (it cannot be bound and is reported).
 */
export function attachmentForms(names: readonly string[]): (FormKind | null)[] {
  return names.map((name) => FORM_KINDS.find((kind) => squeeze(FORMS[kind].title) === squeeze(name)) ?? null);
}

/** Renders the notice into `<outDir>/<name>.docx` and, when asked, `<outDir>/<name>.pdf`. */
export async function renderNotice(
  notice: NoticeData,
  options: RenderNoticeOptions,
): Promise<RenderNoticeResult> {
  const plan = planNotice(notice);
  if (options.handDates) {
    const hand = `${'\u3000'.repeat(4)}年${'\u3000'.repeat(2)}月${'\u3000'.repeat(2)}日`;
    if (plan.data.date === null) plan.data.date = hand;
    // The 版记's date column holds 11 characters of 4号 with «印发»: a narrower blank.
    if (plan.data.printedDate === null) plan.data.printedDate = `${'\u3000'.repeat(2)}年\u3000月\u3000日`;
    plan.missing = plan.missing.filter((k) => k !== 'date' && k !== 'printedDate');
  }
  const templatePath = options.template ?? NOTICE_TEMPLATE;
  let template: Buffer;
  try {
    template = await readFile(templatePath);
  } catch (err) {
    throw new RunError(
      'templateInvalid',
      `The notice template ${templatePath} cannot be read. 无法读取通知模板。`,
      'Restore templates/notice.docx from the repository, or recreate it with `npx tsx scripts/make-notice-template.ts`.',
      { cause: err },
    );
  }
  const rendered = renderDocx(
    template,
    plan.data as unknown as Record<string, unknown>,
    basename(templatePath),
    {
      title: (Array.isArray(notice.title) ? notice.title : [notice.title]).join(''),
      author: notice.issuer.name,
    },
  );
  const name = options.name ?? 'notice';
  await mkdir(options.outDir, { recursive: true });
  const docx = join(options.outDir, `${name}.docx`);
  const warnings = [...plan.warnings];
  const bound: string[] = [];
  const attachments: Attachment[] = [];
  if (options.bind !== false && notice.attachments.length > 0) {
    const forms = attachmentForms(notice.attachments);
    for (const [i, kind] of forms.entries()) {
      const other = options.otherAttachments?.get(notice.attachments[i] ?? '');
      if (other) {
        bound.push(notice.attachments[i] as string);
        attachments.push({ number: i + 1, docx: other });
        continue;
      }
      if (kind === null) {
        warnings.push(
          `attachment ${i + 1} «${notice.attachments[i]}» is not one of the programme's forms, so it is not bound: ` +
            `add its pages by hand. 附件${i + 1}不是本项目的表格，未能装订，请手工附上。`,
        );
        continue;
      }
      bound.push(kind);
      attachments.push({
        number: i + 1,
        docx: await renderFormDocx(kind, null, { templatesDir: options.templatesDir }),
      });
    }
  }
  // Where the 版记's page falls is known only once laid out: a PDF is made with the 版记 on the next
  // page and made again with a blank page before it when that page came out odd.
  const bind = (recordPage: RecordPage) =>
    attachments.length > 0 ? bindAttachments(rendered.buffer, attachments, recordPage) : rendered.buffer;
  await writeFile(docx, bind(options.pdf ? 'next' : 'even'));
  const missing = [...new Set([...plan.missing, ...rendered.missing])];
  const result: RenderNoticeResult = { docx, missing, warnings, bound };
  if (!options.pdf) return result;

  const converter = options.converter ?? new LibreOfficeConverter();
  const convert = async (): Promise<string> => {
    const [converted] = await converter.toPdf([docx], options.outDir);
    if (!converted?.pdf) {
      throw new RunError(
        'converterFailed',
        `LibreOffice could not convert ${docx} to PDF: ${converted?.error ?? 'no result'}. PDF 转换失败。`,
        `The .docx is written; open it to check it, or rerun with --no-pdf. Convert by hand with: soffice --headless --convert-to pdf ${docx}`,
      );
    }
    return converted.pdf;
  };
  let pdf = await convert();
  if (attachments.length > 0 && (await pageCount(pdf)) % 2 === 1) {
    await writeFile(docx, bind('afterBlank'));
    pdf = await convert();
  }
  result.pdf = pdf;
  const pageWarning = await checkSignaturePage(pdf, plan.data);
  if (pageWarning) result.warnings.push(pageWarning);
  return result;
}

const pageCount = async (pdf: string): Promise<number> =>
  (await PDFDocument.load(await readFile(pdf), { updateMetadata: false })).getPageCount();

/**
 * GB/T 9704 7.3.5.5: the page that carries the signer, date and seal must also carry body text
 * (a seal on a page of its own could sit under any text). The layout decides that, so it is read
 * back from the PDF; returns a warning, or undefined when the page is fine or pdftotext is missing.
 */
export async function checkSignaturePage(pdf: string, data: NoticeTemplateData): Promise<string | undefined> {
  const text = await new Promise<string | undefined>((done) => {
    execFile(
      'pdftotext',
      ['-enc', 'UTF-8', pdf, '-'],
      { timeout: 30_000, maxBuffer: 16 << 20 },
      (err, stdout) => done(err ? undefined : stdout),
    );
  });
  if (text === undefined) return undefined;
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const signer = squeeze(data.signer);
  const pages = text.split('\f');
  let at = pages.length - 1;
  while (at >= 0 && !(pages[at] ?? '').split('\n').some((line) => squeeze(line) === signer)) at--;
  if (at < 0) return undefined;
  const attachmentText = squeeze(
    data.singleAttachment
      ? `附件：${data.attachment}`
      : `附件：${data.attachments.map((a) => a.label + a.name).join('')}`,
  );
  const before: string[] = [];
  for (const line of (pages[at] ?? '').split('\n').map(squeeze)) {
    if (line === signer) break;
    if (line !== '' && !/^—\d+—$/.test(line)) before.push(line);
  }
  if (before.some((line) => !attachmentText.includes(line))) return undefined;
  return (
    `page ${at + 1} has the signature but no body text (GB/T 9704 7.3.5.5): shorten the text or tighten it so the ` +
    `signature shares a page with the body. 第 ${at + 1} 页只有署名和日期而无正文，请调整正文篇幅或行距字距。`
  );
}

/** The output name for a data file: samples/notice.yaml → notice. */
export const outputNameFor = (dataFile: string): string => basename(dataFile, extname(dataFile));
