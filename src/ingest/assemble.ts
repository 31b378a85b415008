// Multi-page assembly: pages read in input order become submissions. Page 2 joins the page 1
// before it — in the same feeder PDF, or in the next file when its table is the same printing's
// (photos forwarded one by one arrive interleaved) — and a page that has no partner still becomes
// a record (marked incomplete), never a silent loss.

import type { RawField, StampEvidence } from '../extract/index.js';
import { FORMS } from '../forms/index.js';
import type { FormKind, Issue, Source } from '../types.js';

export interface PageReading {
  file: string;
  sha256: string;
  page: number;
  form: FormKind;
  formPage: number;
  fields: RawField[];
  stamps?: Partial<Record<'recommendation' | 'approval', StampEvidence>>;
  issues?: Issue[];
  /** Where the table's left and right borders are, as shares of the page's width (scans). */
  table?: { left: number; right: number };
  /**
   * Other pages of the forms this page may as well be: it showed only labels they print too (the
   * opinion cells every form ends with). Their fields have the same keys.
   */
  alternatives?: { form: FormKind; page: number }[];
}

/**
 * How far the table's borders of two pages of one printing may differ, as a share of the page's
 * width: the page is squared and scaled to A4 before its table is found, so one printer's two
 * pages agree within a page corner found a little off (measured: at most 0.012 over the ten
 * two-page submissions of a development seed, photographed and forwarded); copies typeset by
 * different people differ by their margins and column widths.
 */
const SAME_PRINTING = 0.02;

/**
 * Two pages in different files whose tables are not as wide or not where the other's is: not one
 * printing. Each border may be off by a page corner found a little off; the width is compared too,
 * since two copies' borders can each fall just within the allowance on opposite sides (a development
 * seed's chat forwards: two enterprises' pages 1.8 % and 1.6 % apart at the borders, 3.5 % in width;
 * one printing's pages at most 1.5 % apart in width over 24 photographed pairs).
 */
function samePrinting(a: PageReading, b: PageReading): boolean {
  if (a.file === b.file || !a.table || !b.table) return true;
  const width = (t: { left: number; right: number }) => t.right - t.left;
  return (
    Math.abs(a.table.left - b.table.left) <= SAME_PRINTING &&
    Math.abs(a.table.right - b.table.right) <= SAME_PRINTING &&
    Math.abs(width(a.table) - width(b.table)) <= SAME_PRINTING
  );
}

/**
 * How sure a field can be on a page that joined a page 1 from another file when the batch's files
 * come from more than one source. One scanner or one phone numbers its files in the order the pages
 * were taken; two apps' forwards (QQ图片2022….jpg, mmexport16….jpg) sorted by name interleave, a page
 * 1 then meets another submission's page 2 from its own app, and the table's borders do not tell two
 * copies apart (over the development seeds' photographed pages, 105 of 296 page-2s of another
 * submission of the same form passed the same-printing test). Which submission the page belongs to
 * is then a guess, and a person confirms it.
 */
const JOINED_FROM_ANOTHER_FILE = 0.85;

/**
 * What a source puts before the counter or time in its file names (IMG_, scan-, mmexport, QQ图片):
 * the name up to its first digit (all of it, without the extension, when it has none).
 */
export function namePattern(file: string): string {
  const base = (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '');
  return /^\D*/.exec(base)?.[0] ?? base;
}

function joinedFromAnotherFile(page: PageReading, first: PageReading): PageReading {
  const cap = (c: number) => Math.min(c, JOINED_FROM_ANOTHER_FILE);
  const stamps = page.stamps
    ? Object.fromEntries(
        Object.entries(page.stamps).map(([k, v]) => [k, v ? { ...v, confidence: cap(v.confidence) } : v]),
      )
    : undefined;
  return {
    ...page,
    fields: page.fields.map((f) => ({ ...f, confidence: cap(f.confidence) })),
    ...(stamps ? { stamps } : {}),
    issues: [
      ...(page.issues ?? []),
      {
        code: 'page_from_another_file',
        severity: 'warning',
        message: `第 ${page.formPage} 页取自另一文件（${page.file}），按导入顺序与第 1 页（${first.file}）合为一份，请核对是否同一份表格。`,
        messageEn: `Page ${page.formPage} comes from another file (${page.file}) and was joined to page 1 (${first.file}) by order: check that they are one submission.`,
      },
    ],
  };
}

export interface AssembledSubmission {
  form: FormKind;
  pages: PageReading[];
  sources: Source[];
  idSeed: string;
  issues: Issue[];
}

/**
 * `readings` in input order; `null` where a page was there but could not be read as a form (no
 * table, unreadable): what lies on either side of it is not joined across it — the lost page may
 * have been the page 1 that a following page 2 belongs to (a page 2 joined to the page 1 of another
 * submission read the wrong enterprise's opinions with certainty). A blank page (the empty back of
 * a duplex scan) is left out of the sequence, not marked.
 */
export function assemble(readings: readonly (PageReading | null)[]): AssembledSubmission[] {
  const out: AssembledSubmission[] = [];
  const sources = new Set(readings.flatMap((r) => (r ? [namePattern(r.file)] : [])));
  const interleaved = sources.size > 1;
  let open: PageReading[] = [];
  const close = () => {
    if (open.length === 0) return;
    const first = open[0] as PageReading;
    const form = FORMS[first.form];
    const have = new Set(open.map((p) => p.formPage));
    const issues: Issue[] = open.flatMap((p) => p.issues ?? []);
    for (let n = 1; n <= form.pages; n++) {
      if (!have.has(n))
        issues.push({
          code: 'missing_page',
          severity: 'error',
          message: `${form.shortName}缺少第 ${n} 页，请补扫该页后重新导入。`,
          messageEn: `${first.form} is missing page ${n}: scan that page and ingest again.`,
        });
    }
    out.push({
      form: first.form,
      pages: open,
      sources: open.map((p) => ({ file: p.file, page: p.page, sha256: p.sha256 })),
      idSeed: open.map((p) => `${p.sha256}:${p.page}`).join('|'),
      issues,
    });
    open = [];
  };
  for (const reading of readings) {
    if (reading === null) {
      close();
      continue;
    }
    const last = open[open.length - 1];
    const continues = (r: PageReading) =>
      last !== undefined && last.form === r.form && r.formPage === last.formPage + 1 && samePrinting(last, r);
    // A page of only the opinion cells is the next page of whichever form it follows.
    const asNext = continues(reading)
      ? undefined
      : reading.alternatives?.find((a) => continues({ ...reading, form: a.form, formPage: a.page }));
    const r = asNext ? { ...reading, form: asNext.form, formPage: asNext.page } : reading;
    if (!continues(r)) close();
    const first = open[0];
    open.push(interleaved && first && first.file !== r.file ? joinedFromAnotherFile(r, first) : r);
    if (r.formPage >= FORMS[r.form].pages) close();
  }
  close();
  return out;
}
