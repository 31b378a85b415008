// Filled .docx forms are read from their table cells directly — no OCR, confidence 1. Cells are
// found through their printed labels (src/locate/labels.ts), so a form typed into another copy of
// the original Word file (other widths, merged differently) reads too.
import { DOMParser, type Element } from '@xmldom/xmldom';
import PizZip from 'pizzip';
import { FORMS } from '../forms/index.js';
import { classifyTexts, type GridCell, labelScore, normalizeLabel } from '../locate/labels.js';
import type { FormKind } from '../types.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export interface DocxContent {
  paragraphs: string[];
  cells: GridCell[];
}

export type DocxReadResult =
  | { ok: true; form: FormKind; content: DocxContent; header: { fillingUnit: string; fillingDate: string } }
  | { ok: false; code: 'corrupt_docx' | 'not_a_form'; reason: string };

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
      } else walk(e);
    }
  };
  walk(p);
  return out;
}

function cellText(tc: Element): string {
  return children(tc, 'p').map(paragraphText).join('\n').replace(/\n+$/, '');
}

function readTable(tbl: Element, table: number, cells: GridCell[]): void {
  // Open vertical merges by grid column: a continuing cell extends the cell that started it.
  const open = new Map<number, GridCell>();
  children(tbl, 'tr').forEach((tr, row) => {
    let col = Number(attr(child(child(tr, 'trPr') ?? tr, 'gridBefore'), 'val') ?? 0);
    for (const tc of children(tr, 'tc')) {
      const pr = child(tc, 'tcPr');
      const span = Number(attr(pr && child(pr, 'gridSpan'), 'val') ?? 1);
      const vMerge = pr && child(pr, 'vMerge');
      const vVal = attr(vMerge, 'val');
      if (vMerge && vVal !== 'restart') {
        const start = open.get(col);
        if (start) {
          start.rowSpan = row - start.row + 1;
          const more = cellText(tc);
          if (more) start.text = `${start.text}\n${more}`;
        }
      } else {
        const cell: GridCell = { row, col, rowSpan: 1, colSpan: span, text: cellText(tc), table };
        cells.push(cell);
        if (vMerge) open.set(col, cell);
        else open.delete(col);
      }
      col += span;
    }
  });
}

export function readDocxContent(bytes: Buffer): DocxContent {
  const zip = new PizZip(bytes);
  const xml = zip.file('word/document.xml')?.asText();
  if (!xml) throw new Error('word/document.xml is missing');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const body = doc.getElementsByTagNameNS(W, 'body')[0];
  if (!body) throw new Error('document has no body');
  const paragraphs: string[] = [];
  const cells: GridCell[] = [];
  let table = 0;
  for (let n = body.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const e = n as Element;
    if (e.localName === 'p') paragraphs.push(paragraphText(e));
    else if (e.localName === 'tbl') readTable(e, table++, cells);
    else if (e.localName === 'sdt') {
      // Content controls wrap paragraphs and tables in some Word/WPS saves.
      const content = child(e, 'sdtContent');
      if (content) for (const p of children(content, 'p')) paragraphs.push(paragraphText(p));
    }
  }
  return { paragraphs, cells };
}

/** The header line above the table: 填报单位：…  填表日期：… 年 … 月 … 日. */
export function parseHeaderLine(paragraphs: readonly string[]): { fillingUnit: string; fillingDate: string } {
  for (const p of paragraphs) {
    const m = /填\s*报\s*单\s*位\s*[:：]?(.*?)填\s*表\s*日\s*期\s*[:：]?(.*)$/s.exec(p.replace(/\n/g, ' '));
    if (m) return { fillingUnit: (m[1] ?? '').trim(), fillingDate: (m[2] ?? '').trim() };
  }
  return { fillingUnit: '', fillingDate: '' };
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
    return { ok: false, code: 'corrupt_docx', reason: (err as Error).message };
  }
  const form = classifyDocx(content);
  if (!form) return { ok: false, code: 'not_a_form', reason: 'no title or labels of the three forms found' };
  return { ok: true, form, content, header: parseHeaderLine(content.paragraphs) };
}
