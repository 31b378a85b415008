// Filled .docx forms are read from their table cells directly — no OCR, confidence 1. Cells are
// found through their printed labels (src/locate/labels.ts), so a form typed into another copy of
// the original Word file (other widths, merged differently) reads too.
import { DOMParser, type Element } from '@xmldom/xmldom';
import { HEADER_LABELS, type HeaderKey } from '../extract/header.js';
import type { RawField } from '../extract/index.js';
import { FORMS, fieldDef } from '../forms/index.js';
import { classifyTexts, type GridCell, labelScore, locateFields, normalizeLabel } from '../locate/labels.js';
import type { FormKind } from '../types.js';
import { readZipText, ZipLimitError } from '../zip.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export interface DocxContent {
  /** Body paragraphs, outside tables. */
  paragraphs: string[];
  cells: GridCell[];
  /** How many of the paragraphs come before the first table. */
  beforeTables: number;
}

export type DocxReadResult =
  | {
      ok: true;
      form: FormKind;
      content: DocxContent;
      /** Undefined where the header label is not in the document. */
      header: { fillingUnit?: string; fillingDate?: string };
    }
  | { ok: false; code: 'corrupt_docx' | 'not_a_form' | 'archive_too_large'; reason: string };

const children = (el: Element, local: string): Element[] => {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === local && (n as Element).namespaceURI === W)
      out.push(n as Element);
  }
  return out;
};

const child = (el: Element, local: string): Element | undefined => children(el, local)[0];

function attr(el: Element | undefined, local: string): string | undefined {
  if (!el) return undefined;
  const v = el.getAttributeNS(W, local);
  return v === null || v === '' ? (el.hasAttributeNS(W, local) ? '' : undefined) : v;
}

/** Text of a paragraph: runs in order, w:br and w:cr as line breaks, tabs as spaces. */
function paragraphText(p: Element): string {
  let out = '';
  const walk = (el: Element) => {
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue;
      const e = n as Element;
      if (e.namespaceURI === W) {
        if (e.localName === 't') out += e.textContent ?? '';
        else if (e.localName === 'br' || e.localName === 'cr') out += '\n';
        else if (e.localName === 'tab') out += ' ';
        else if (e.localName === 'del' || e.localName === 'instrText') continue;
        else walk(e);
      } else if (e.localName !== 'Fallback') walk(e); // mc:AlternateContent: the Choice only
    }
  };
  walk(p);
  return out;
}

function cellText(tc: Element): string {
  const lines: string[] = [];
  for (const el of blockChildren(tc)) {
    if (el.localName === 'p') lines.push(paragraphText(el));
    // A table inside a cell: its text, row by row.
    else if (el.localName === 'tbl')
      for (const tr of rowsOf(el)) lines.push(cellsOf(tr).map(cellText).filter(Boolean).join(' '));
  }
  return lines.join('\n').replace(/\n+$/, '');
}

/** Children of a container, with content controls (w:sdt) and custom XML unwrapped. */
function blockChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1 || (n as Element).namespaceURI !== W) continue;
    const e = n as Element;
    if (e.localName === 'sdt') {
      const content = child(e, 'sdtContent');
      if (content) out.push(...blockChildren(content));
    } else if (e.localName === 'customXml') out.push(...blockChildren(e));
    else out.push(e);
  }
  return out;
}

const rowsOf = (tbl: Element) => blockChildren(tbl).filter((e) => e.localName === 'tr');
const cellsOf = (tr: Element) => blockChildren(tr).filter((e) => e.localName === 'tc');

function readTable(tbl: Element, table: number, cells: GridCell[]): void {
  // Open vertical merges by grid column: a continuing cell extends the cell that started it.
  const open = new Map<number, GridCell>();
  rowsOf(tbl).forEach((tr, row) => {
    let col = Number(attr(child(child(tr, 'trPr') ?? tr, 'gridBefore'), 'val') ?? 0);
    let previous: GridCell | undefined;
    for (const tc of cellsOf(tr)) {
      const pr = child(tc, 'tcPr');
      const span = Number(attr(pr && child(pr, 'gridSpan'), 'val') ?? 1) || 1;
      const vMerge = pr && child(pr, 'vMerge');
      const vVal = attr(vMerge, 'val');
      const hMerge = pr && child(pr, 'hMerge');
      if (hMerge && attr(hMerge, 'val') !== 'restart' && previous) {
        // The older horizontal merge (Word 97 files saved as .docx, some WPS saves).
        previous.colSpan += span;
        const more = cellText(tc);
        if (more) previous.text = `${previous.text}\n${more}`;
      } else if (vMerge && vVal !== 'restart') {
        const start = open.get(col);
        if (start) {
          start.rowSpan = row - start.row + 1;
          const more = cellText(tc);
          if (more) start.text = `${start.text}\n${more}`;
        }
        previous = start;
      } else {
        const cell: GridCell = { row, col, rowSpan: 1, colSpan: span, text: cellText(tc), table };
        cells.push(cell);
        if (vMerge) open.set(col, cell);
        else open.delete(col);
        previous = cell;
      }
      col += span;
    }
  });
}

export function readDocxContent(bytes: Buffer): DocxContent {
  const xml = readZipText(bytes, 'word/document.xml');
  if (!xml) throw new Error('word/document.xml is missing');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const body = doc.getElementsByTagNameNS(W, 'body')[0];
  if (!body) throw new Error('document has no body');
  const paragraphs: string[] = [];
  const cells: GridCell[] = [];
  let table = 0;
  let beforeTables: number | undefined;
  // Content controls wrap paragraphs and tables in some Word/WPS saves: unwrapped.
  for (const e of blockChildren(body)) {
    if (e.localName === 'p') paragraphs.push(paragraphText(e));
    else if (e.localName === 'tbl') {
      beforeTables ??= paragraphs.length;
      readTable(e, table++, cells);
    }
  }
  return { paragraphs, cells, beforeTables: beforeTables ?? paragraphs.length };
}

/**
 * The header fields 填报单位 and 填表日期, wherever this copy has them: one line above the table
 * (tabs or spaces between), two lines, the cells of a borderless table above the form, or the
 * form table's first row (label cells beside value cells). Paragraphs above the tables are read
 * first, then the cells, then the paragraphs below. A field whose label is nowhere is undefined —
 * not blank.
 */
export function findHeader(content: DocxContent): Partial<Record<HeaderKey, string>> {
  const ordered = [...content.cells].sort(
    (a, b) => (a.table ?? 0) - (b.table ?? 0) || a.row - b.row || a.col - b.col,
  );
  const sources: { text: string; cell?: GridCell }[] = [
    ...content.paragraphs.slice(0, content.beforeTables).map((text) => ({ text })),
    ...ordered.map((cell) => ({ text: cell.text, cell })),
    ...content.paragraphs.slice(content.beforeTables).map((text) => ({ text })),
  ];
  const out: Partial<Record<HeaderKey, string>> = {};
  for (const key of Object.keys(HEADER_LABELS) as HeaderKey[]) {
    for (const { text, cell } of sources) {
      const m = HEADER_LABELS[key].exec(text);
      if (!m) continue;
      let value = text.slice(m.index + m[0].length);
      // Up to the other header label, when both share the line or cell.
      for (const other of Object.values(HEADER_LABELS)) {
        const o = other.exec(value);
        if (o) value = value.slice(0, o.index);
      }
      value = headerValue(value);
      if (value === '' && cell) {
        const right = ordered
          .filter(
            (c) =>
              (c.table ?? 0) === (cell.table ?? 0) &&
              c.row === cell.row &&
              c.col >= cell.col + cell.colSpan &&
              !Object.values(HEADER_LABELS).some((l) => l.test(c.text)),
          )
          .sort((a, b) => a.col - b.col)[0];
        if (right && right.col === cell.col + cell.colSpan) value = headerValue(right.text);
      }
      out[key] = value;
      break;
    }
  }
  return out;
}

/** A header value: after a （盖章） note and the colon, without the underscores of a fill-in line. */
function headerValue(text: string): string {
  return text
    .replace(/^\s*(?:[（(][^（）()]{0,12}[）)])?\s*[:：]?/, '')
    .replace(/[_＿]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Which form a document is: by its title first, by its labels otherwise. */
export function classifyDocx(content: DocxContent): FormKind | undefined {
  for (const p of content.paragraphs.slice(0, 8)) {
    const text = normalizeLabel(p);
    if (!text) continue;
    for (const form of Object.values(FORMS)) {
      if (labelScore(text, form.title).score >= 0.8) return form.kind;
    }
  }
  // Titles split over two paragraphs (附件1) or edited away: fall back to the labels.
  const joined = normalizeLabel(content.paragraphs.slice(0, 8).join(''));
  for (const form of Object.values(FORMS)) if (joined.includes(normalizeLabel(form.title))) return form.kind;
  return classifyTexts(content.cells.map((c) => c.text))?.form;
}

export function readDocxForm(bytes: Buffer): DocxReadResult {
  let content: DocxContent;
  try {
    content = readDocxContent(bytes);
  } catch (err) {
    const code = err instanceof ZipLimitError ? 'archive_too_large' : 'corrupt_docx';
    return { ok: false, code, reason: (err as Error).message };
  }
  const form = classifyDocx(content);
  if (!form) return { ok: false, code: 'not_a_form', reason: 'no title or labels of the three forms found' };
  return { ok: true, form, content, header: findHeader(content) };
}

/**
 * Confidence of a value whose label stands alone in its cell with no cell beside or below: the
 * value may be blank or somewhere the mapping does not look — a person checks.
 */
export const UNPLACED_CONFIDENCE = 0.3;

/**
 * The raw fields of a .docx form, label-driven. Every field whose label is found comes out at
 * confidence 1 — its text is exact, and an empty value cell is verifiably blank; a field whose label
 * is not found is left out (extract makes it null at confidence 0, with an issue); one whose label
 * has no value cell anywhere near it is low.
 */
export function docxFields(
  form: FormKind,
  content: DocxContent,
  header: { fillingUnit?: string; fillingDate?: string },
): RawField[] {
  const fields: RawField[] = [];
  for (const loc of locateFields(form, content.cells).found) {
    // One opinion cell serves the group: its date is split from the text, and a typed file has no seal.
    if (loc.key.endsWith('.stamped') || loc.key.endsWith('.date')) continue;
    const kind = fieldDef(form, loc.key)?.kind;
    let raw = loc.valueText;
    // 审核意见（盖章）\n年 月 日 as the label, the opinion beside it: the date line is the label cell's.
    if (kind === 'opinion' && loc.labelNote && loc.mode !== 'inline') raw = `${raw}\n${loc.labelNote}`;
    // 年产值（万元） beside a bare number: the unit is the label's.
    const unit = /[（(]\s*(万元|亿元|元)\s*[)）]/.exec(loc.labelNote ?? '')?.[1];
    if (kind === 'amount' && unit && /^\s*\d+(?:\.\d+)?\s*$/.test(raw)) raw = `${raw.trim()}${unit}`;
    fields.push({
      key: loc.key,
      raw,
      confidence: loc.unplaced && raw.trim() === '' ? UNPLACED_CONFIDENCE : 1,
    });
  }
  for (const key of ['fillingUnit', 'fillingDate'] as const) {
    const raw = header[key];
    if (raw !== undefined) fields.push({ key, raw, confidence: 1 });
  }
  return fields;
}
