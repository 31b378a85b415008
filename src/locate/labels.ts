// Label-driven field location: a form is read through its printed labels, not through fixed
// coordinates, so a copy printed from another version of the original (other column widths, row
// heights, fonts, a label wrapped differently) reads as well as one printed from our templates.
// The same mapping serves filled .docx files (cells from the XML) and scans (cells from the
// ruling lines, text from OCR — hence the tolerance for misread characters).

import type { FieldDef, FormDef } from '../forms/index.js';
import { FORMS } from '../forms/index.js';
import { editDistance } from '../ocr/metrics.js';
import type { Box, FormKind } from '../types.js';

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** Text of the cell; line breaks of a wrapped label are kept as \n. */
  text: string;
  box?: Box;
  /** Index of the table on the page (0-based) — forms split by a page break have two. */
  table?: number;
}

export interface FieldLocation {
  key: string;
  labelCell: GridCell;
  /** The cell holding the value: right of the label, or the label cell itself (`inline`). */
  valueCell: GridCell;
  mode: 'right' | 'inline' | 'below';
  /** Value text with the label (and a leading colon) removed when inline. */
  valueText: string;
  /** 0–1: how well the printed label matched. */
  labelScore: number;
}

/** Removes what varies between copies and OCR runs: spaces, line breaks, punctuation widths. */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000]/g, '')
    .replace(/[()（）:：,，、.。;；_*＊]/g, '');
}

export { editDistance };

/** Similarity of a cell's text to a label, 0–1. A cell may start with the label and go on. */
export function labelScore(cellText: string, label: string): { score: number; prefixOnly: boolean } {
  const c = normalizeLabel(cellText);
  const l = normalizeLabel(label);
  if (!c || !l) return { score: 0, prefixOnly: false };
  const whole = 1 - editDistance(c, l) / Math.max(c.length, l.length);
  // "填报单位：某某公司" or "产业发展重大技术难题简要描述：主要包括…" — label first, then more.
  let prefix = 0;
  if (c.length > l.length) prefix = 1 - editDistance(c.slice(0, l.length), l) / l.length;
  return prefix > whole + 0.05 ? { score: prefix, prefixOnly: true } : { score: whole, prefixOnly: false };
}

/** A field's printed label as matched on paper: opinion groups share one label cell. */
interface LabelTarget {
  keys: string[];
  label: string;
  defs: FieldDef[];
}

function labelTargets(form: FormDef): LabelTarget[] {
  const out: LabelTarget[] = [];
  for (const def of form.fields) {
    if (def.key === 'fillingUnit' || def.key === 'fillingDate') continue; // the header line, not the table
    if (def.kind === 'stamp' || def.key.endsWith('.date')) {
      const group = def.key.split('.')[0];
      const t = out.find((o) => o.keys[0]?.startsWith(`${group}.`));
      if (t) {
        t.keys.push(def.key);
        t.defs.push(def);
        continue;
      }
    }
    out.push({ keys: [def.key], label: def.label, defs: [def] });
  }
  return out;
}

const MIN_SCORE = 0.6;

/** Two-character labels (姓名, 学历) misread by one character still score 0.5; accept that when the cell is as short. */
function minScoreFor(cellText: string, label: string): number {
  const c = [...normalizeLabel(cellText)].length;
  const l = [...normalizeLabel(label)].length;
  return c <= 3 && l <= 3 ? 0.5 : MIN_SCORE;
}

/**
 * Maps each field of `form` to its cells. Cells come in reading order. Labels that appear twice
 * (联系电话 after 法人代表 and after 联系人) are assigned in order of appearance.
 */
export function locateFields(
  formKind: FormKind,
  cells: readonly GridCell[],
): { found: FieldLocation[]; missing: string[] } {
  const form = FORMS[formKind];
  const targets = labelTargets(form);
  const used = new Set<GridCell>();
  const found: FieldLocation[] = [];
  const missing: string[] = [];
  const ordered = [...cells].sort(
    (a, b) => (a.table ?? 0) - (b.table ?? 0) || a.row - b.row || a.col - b.col,
  );

  // Each target takes the best-scoring unused cell, searching in order so duplicates go in turn.
  for (const target of targets) {
    let best: { cell: GridCell; score: number; prefixOnly: boolean } | undefined;
    for (const cell of ordered) {
      if (used.has(cell)) continue;
      const s = labelScore(cell.text, target.label);
      if (s.score >= minScoreFor(cell.text, target.label) && (!best || s.score > best.score + 0.02))
        best = { cell, ...s };
    }
    if (!best) {
      missing.push(...target.keys);
      continue;
    }
    used.add(best.cell);
    const labelCell = best.cell;
    const right = ordered
      .filter(
        (c) =>
          c !== labelCell &&
          (c.table ?? 0) === (labelCell.table ?? 0) &&
          c.col >= labelCell.col + labelCell.colSpan &&
          c.row < labelCell.row + labelCell.rowSpan &&
          c.row + c.rowSpan > labelCell.row,
      )
      .sort((a, b) => a.col - b.col || a.row - b.row)[0];
    for (const key of target.keys) {
      if (best.prefixOnly || !right) {
        found.push({
          key,
          labelCell,
          valueCell: labelCell,
          mode: 'inline',
          valueText: stripLabel(stripLabel(labelCell.text, target.label), target.defs[0]?.hint ?? ''),
          labelScore: best.score,
        });
      } else {
        used.add(right);
        found.push({
          key,
          labelCell,
          valueCell: right,
          mode: 'right',
          valueText: right.text,
          labelScore: best.score,
        });
      }
    }
  }
  return { found, missing };
}

/** Text of a cell after its printed label (and the explanation that follows a colon on paper). */
export function stripLabel(text: string, label: string): string {
  const norm = normalizeLabel(label);
  if (!norm) return text.trim();
  let consumed = 0;
  let i = 0;
  const chars = [...text];
  while (i < chars.length && consumed < norm.length) {
    const ch = chars[i] as string;
    if (normalizeLabel(ch) !== '') consumed++;
    i++;
  }
  let rest = chars.slice(i).join('');
  // The label's own parenthesised part, e.g. （尽量详细）, may be left when the match was fuzzy.
  if (norm.length > 0) rest = rest.replace(/^\s*[）)]/, '').replace(/^[\s:：。]+/, '');
  return rest.trim();
}

/** Every page of every form with the labels printed on it, for classification. */
export interface PageSignature {
  form: FormKind;
  page: number;
  title?: string;
  labels: string[];
}

export function pageSignatures(): PageSignature[] {
  const out: PageSignature[] = [];
  for (const form of Object.values(FORMS)) {
    for (let page = 1; page <= form.pages; page++) {
      const labels = labelTargets(form)
        .filter((t) => t.defs[0]?.page === page)
        .map((t) => t.label);
      out.push({ form: form.kind, page, title: page === 1 ? form.title : undefined, labels });
    }
  }
  return out;
}

/**
 * Which form and page a set of texts (the page's cells, title line) comes from. Scores each page
 * signature by the share of its labels (and title) found; a clear winner or nothing.
 */
export function classifyTexts(
  texts: readonly string[],
): { form: FormKind; page: number; score: number; runnerUp: number } | undefined {
  const norm = texts.map(normalizeLabel).filter(Boolean);
  const scored = pageSignatures().map((sig) => {
    const items = [...sig.labels, ...(sig.title ? [sig.title, sig.title] : [])];
    let hit = 0;
    for (const item of items) {
      const n = normalizeLabel(item);
      const best = Math.max(0, ...norm.map((t) => labelScore(t, n).score));
      if (best >= 0.75) hit++;
    }
    return { sig, score: hit / items.length };
  });
  scored.sort((a, b) => b.score - a.score);
  const [top, second] = scored;
  if (!top || top.score < 0.4) return undefined;
  return { form: top.sig.form, page: top.sig.page, score: top.score, runnerUp: second?.score ?? 0 };
}
