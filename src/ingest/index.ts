// Ingest: files in, records out. Reads as the stage sequence — intake, then
// per page prepare → locate → read (inside the ScanReader), then assemble → extract → check.
// A failure on one file or page is recorded and the batch goes on; only run-level problems throw.
import { validateRecord } from '../domain/index.js';
import { type ExtractOptions, extractRecord, type RawField } from '../extract/index.js';
import { FORMS } from '../forms/index.js';
import { hasControl } from '../terminal.js';
import type { Failure, FormKind, Issue, SubmissionRecord } from '../types.js';
import { assemble, type PageReading } from './assemble.js';
import { linkCopies } from './copies.js';
import { docxFields, readDocxForm } from './docx.js';
import {
  countPages,
  DEFAULT_LIMITS,
  discover,
  failure,
  type IntakeLimits,
  open,
  type PageImage,
  pagesOf,
} from './intake.js';

export interface ScanReader {
  /** Reads one page image: which form and page it is, and the raw text of each field. */
  readPage(page: PageImage): Promise<PageReading | Failure>;
  /** Ends the reader's own threads (the OCR engine belongs to the caller). */
  close?(): Promise<void>;
}

export interface IngestProgress {
  phase: 'discover' | 'page' | 'done';
  file?: string;
  pagesDone: number;
  pagesTotal?: number;
}

export interface IngestOptions {
  reader?: ScanReader;
  limits?: IntakeLimits;
  extract?: ExtractOptions;
  onProgress?: (p: IngestProgress) => void;
  referenceDate?: string;
  /** Pages read at once (default 3): the next prepared (on the reader's layout thread) while OCR reads. */
  concurrency?: number;
}

/** What became of each page: the form and page it was read as, or the failure it ended in. */
export interface PageOutcome {
  file: string;
  page: number;
  form?: FormKind;
  formPage?: number;
  failure?: string;
}

export interface IngestResult {
  submissions: SubmissionRecord[];
  failures: Failure[];
  pages: PageOutcome[];
  stats: { files: number; pages: number; seconds: number };
}

export async function ingest(paths: readonly string[], options: IngestOptions = {}): Promise<IngestResult> {
  const started = Date.now();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const { files, failures } = await discover(paths);
  options.onProgress?.({ phase: 'discover', pagesDone: 0 });
  const readings: (PageReading | null)[] = [];
  const docxRecords: SubmissionRecord[] = [];
  const outcomes: PageOutcome[] = [];
  let pages = 0;
  const total = await countPages(files);
  const concurrency = Math.max(1, options.concurrency ?? 3);
  const inflight: { file: string; page: number; reading: Promise<PageReading | Failure> }[] = [];
  const settle = (file?: string) => {
    pages++;
    options.onProgress?.({ phase: 'page', file, pagesDone: pages, pagesTotal: total });
  };
  const takeOldest = async () => {
    const next = inflight.shift();
    if (!next) return;
    const read = await next.reading;
    if ('code' in read) {
      failures.push(read);
      outcomes.push({ file: next.file, page: next.page, failure: read.code });
      if (read.code !== 'blank_page') readings.push(null);
    } else {
      readings.push(read);
      outcomes.push({ file: next.file, page: next.page, form: read.form, formPage: read.formPage });
    }
    settle(next.file);
  };

  for (const file of files) {
    const opened = await open(file, limits);
    if ('failure' in opened) {
      failures.push(opened.failure);
      continue;
    }
    const { input, bytes } = opened;
    if (input.kind === 'docx') {
      const r = readDocx(bytes, file, input.sha256, options);
      if ('code' in r) failures.push(r);
      else docxRecords.push(r);
      settle(file);
      continue;
    }
    for await (const page of pagesOf(input, bytes, limits)) {
      if ('code' in page) {
        failures.push(page);
        continue;
      }
      if (!options.reader) {
        failures.push(
          failure(
            file,
            'ocr_unavailable',
            `未启用文字识别，无法读取扫描件：${file}`,
            `${file}: scans need the OCR engine, which this run did not start.`,
            page.page,
          ),
        );
        settle();
        continue;
      }
      // Up to `concurrency` pages in flight: the next is prepared while the OCR workers read the
      // cells of those before. Results are taken in page order.
      const reading = options.reader
        .readPage(page)
        .catch(
          (err: unknown): Failure =>
            failure(
              file,
              'read_failed',
              `第 ${page.page} 页读取失败：${file}（${(err as Error)?.message ?? err}）`,
              `${file} page ${page.page} could not be read: ${(err as Error)?.message ?? err}`,
              page.page,
            ),
        );
      inflight.push({ file, page: page.page, reading });
      while (inflight.length >= concurrency) await takeOldest();
    }
  }
  while (inflight.length > 0) await takeOldest();

  const assembled = assemble(readings);
  // A page of only the opinion cells is the form it joined (see assemble): its outcome says so.
  const joined = new Map(assembled.flatMap((s) => s.pages.map((p) => [`${p.file}#${p.page}`, p] as const)));
  for (const o of outcomes) {
    const p = joined.get(`${o.file}#${o.page}`);
    if (p && o.form !== undefined) Object.assign(o, { form: p.form, formPage: p.formPage });
  }
  const scanned = assembled.map((s) => {
    const fields = pickReadings(s.pages.flatMap((p) => p.fields));
    const stamps = Object.assign({}, ...s.pages.map((p) => p.stamps ?? {}));
    const record = extractRecord(
      { form: s.form, fields, stamps, sources: s.sources, idSeed: s.idSeed },
      withYear(options.extract, fields),
    );
    return { ...record, issues: [...s.issues, ...record.issues] };
  });

  const submissions = linkCopies(
    [...scanned, ...docxRecords].map((r) => ({
      ...r,
      issues: mergeIssues(
        mergeIssues(r.issues, textHazards(r)),
        validateRecord(r, { referenceDate: options.referenceDate }),
      ),
    })),
  );
  options.onProgress?.({ phase: 'done', pagesDone: pages });
  return {
    submissions,
    failures,
    pages: outcomes,
    stats: { files: files.length, pages, seconds: (Date.now() - started) / 1000 },
  };
}

function readDocx(
  bytes: Buffer,
  file: string,
  sha256: string,
  options: IngestOptions,
): SubmissionRecord | Failure {
  const { value: read, messages } = parserMessages(() => readDocxForm(bytes));
  if (!read.ok) {
    if (read.code === 'archive_too_large')
      return failure(
        file,
        'archive_too_large',
        `Word 文件解压后过大或条目过多，已拒绝读取（疑似“压缩炸弹”）：${file}（${read.reason}）。请在 Word/WPS 中另存为普通 .docx 后再导入。`,
        `${file} was refused: inflated it is far larger than a form or holds too many parts (${read.reason}); save it again as a plain .docx.`,
      );
    return read.code === 'corrupt_docx'
      ? failure(
          file,
          'corrupt_docx',
          `Word 文件已损坏，无法读取：${file}（${read.reason}）。请在 Word/WPS 中另存为 .docx 后再导入。`,
          `${file} is not a readable .docx (${read.reason}): save it again as .docx in Word/WPS.`,
        )
      : failure(
          file,
          'not_a_form',
          `不是本项目的三种表格之一：${file}。请确认文件内容。`,
          `${file} is not one of the programme's three forms (${read.reason}).`,
        );
  }
  const fields = docxFields(read.form, read.content, read.header);
  // A typed .docx carries no seal: stamped is false, with certainty.
  const record = extractRecord(
    { form: read.form, fields, sources: [{ file, sha256 }], idSeed: sha256, typed: true },
    withYear(options.extract, fields),
  );
  const xmlIssues = [...new Set(messages)].slice(0, 5).map(
    (m): Issue => ({
      code: 'xml_problem',
      severity: 'warning',
      message: `Word 文件的 XML 有问题，内容可能不完整：${file}（${m}）。请对照原件核对。`,
      messageEn: `The XML of ${file} has a problem (${m}): check the record against the original.`,
    }),
  );
  return { ...record, issues: [...record.issues, ...xmlIssues] };
}

/**
 * The XML parser (xmldom) reports entities it cannot resolve and markup it repairs on the console,
 * without saying which file: its messages are caught around the synchronous read of one file and
 * become that record's issues.
 */
function parserMessages<T>(read: () => T): { value: T; messages: string[] } {
  const messages: string[] = [];
  const { warn, error } = console;
  const keep = (...args: unknown[]) => {
    messages.push(
      args
        .map(String)
        .join(' ')
        .replace(/^\[xmldom \w+\]\s*/, '')
        .split('\n')[0]
        ?.trim() ?? '',
    );
  };
  console.warn = keep;
  console.error = keep;
  try {
    return { value: read(), messages };
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

/**
 * Text that is not what a person typed: control characters (an ESC sequence, a NUL) and XML entity
 * references left unresolved (&xxe;) — kept as read, and put in front of a person.
 */
function textHazards(record: SubmissionRecord): Issue[] {
  const issues: Issue[] = [];
  for (const [key, f] of Object.entries(record.fields)) {
    const texts = [f.raw, typeof f.value === 'string' ? f.value : undefined].filter(
      (t): t is string => t !== undefined,
    );
    if (texts.some(hasControl))
      issues.push({
        code: 'control_characters',
        severity: 'warning',
        field: key,
        message: `该字段含有控制字符（如终端转义序列），不是正常填写的内容，请对照原件核对。`,
        messageEn:
          'The value holds control characters (e.g. terminal escapes): check it against the original.',
      });
    if (texts.some((t) => ENTITY_REFERENCE.test(t)))
      issues.push({
        code: 'unresolved_entity',
        severity: 'warning',
        field: key,
        message: `该字段含有未解析的 XML 实体引用（如 &xxe;），文件可能被篡改，请对照原件核对。`,
        messageEn:
          'The value holds an unresolved XML entity reference (e.g. &xxe;): check it against the original.',
      });
  }
  return issues;
}

/** &name; as left by a parser that does not expand DTD entities (the five XML ones are decoded already). */
const ENTITY_REFERENCE = /&[A-Za-z_][\w.-]*;/;

/**
 * One reading per field. A label matched on two pages of a submission (a copy that repeats a
 * heading, or a misread neighbour) keeps the reading that found text, then the surer one.
 */
function pickReadings(fields: readonly RawField[]): RawField[] {
  const best = new Map<string, RawField>();
  for (const f of fields) {
    const had = best.get(f.key);
    const better =
      !had ||
      (had.raw.trim() === '' && f.raw.trim() !== '') ||
      ((had.raw.trim() === '') === (f.raw.trim() === '') && f.confidence > had.confidence);
    if (better) best.set(f.key, f);
  }
  return [...best.values()];
}

/** Two-digit years (85年3月) are read against the year the form was filled in. */
function withYear(extract: ExtractOptions | undefined, fields: RawField[]): ExtractOptions {
  const date = fields.find((f) => f.key === 'fillingDate')?.raw ?? '';
  const year = /((?:19|20)\d\d)/.exec(date.normalize('NFKC'))?.[1];
  return { ...extract, referenceYear: extract?.referenceYear ?? (year ? Number(year) : undefined) };
}

function mergeIssues(a: Issue[], b: Issue[]): Issue[] {
  const seen = new Set(a.map((i) => `${i.code}|${i.field ?? ''}`));
  return [...a, ...b.filter((i) => !seen.has(`${i.code}|${i.field ?? ''}`))];
}

export function countByForm(records: readonly SubmissionRecord[]): Record<FormKind, number> {
  const out = { registration: 0, demand: 0, problem: 0 } as Record<FormKind, number>;
  for (const r of records) if (!r.copyOf) out[r.form]++;
  return out;
}

export { FORMS };
