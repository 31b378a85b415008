// Label-driven field location: a form is read through its printed labels, not through fixed
// coordinates, so a copy printed from another version of the original (other column widths, row
// heights, fonts, a label wrapped differently) reads as well as one printed from our templates.
// The same mapping serves filled .docx files (cells from the XML) and scans (cells from the
// ruling lines, text from OCR — hence the tolerance for misread characters).
// Over 400 lines because label matching, classification and the mapping of labels to value
// cells share their fuzzy-matching helpers and must stay consistent with each other.

import { TYPED_DATE, TYPED_STAMP } from '../extract/opinion.js';
import { headerFields } from '../forms/fields.js';
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
  /**
   * Scans: text rows of the cell below those read as its label. A label cell with more text is a
   * label with its value inline (a full-width 技术水平现状…： cell), never a label over the cell below.
   */
  unreadRows?: number;
}

export interface FieldLocation {
  key: string;
  labelCell: GridCell;
  /** The cell holding the value: right of the label, below it, or the label cell itself (`inline`). */
  valueCell: GridCell;
  mode: 'right' | 'inline' | 'below';
  /** Value text with the label (and a leading colon) removed when inline. */
  valueText: string;
  /** 0–1: how well the printed label matched. */
  labelScore: number;
  /**
   * What the label's cell holds after the label when the value is elsewhere: a note such as
   * （万元）, or an opinion's （盖章） and date line typed beside its label.
   */
  labelNote?: string;
  /**
   * The label alone in its cell, with no cell beside or below it: a blank value cannot be told from
   * one this mapping did not find.
   */
  unplaced?: boolean;
}

/** Removes what varies between copies and OCR runs: spaces, line breaks, punctuation widths. */
export function normalizeLabel(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(/[\s\u3000]/g, '')
      // Brackets of every shape: OCR reads a printed （ as 【, [ or 〔 as often as not. A cell's
      // ruling line beside the text comes back as | or ‖.
      .replace(/[()（）[\]【】〔〕{}「」『』<>《》〈〉|‖¦:：,，、.。;；_*＊]/g, '')
  );
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

/** How a cell matched a target: against its printed label or its label without the bracketed part. */
interface LabelMatch {
  score: number;
  prefixOnly: boolean;
  /** The label text matched (the one to strip from the cell). */
  label: string;
}

/**
 * Shorter forms of a label that copies print: without its bracketed part (技术水平现状 for
 * 技术水平现状（含工艺…）), or up to its first comma (希望承接转化的技术成果 for …，如新产品…).
 */
function shortLabels(label: string): string[] {
  const out = new Set<string>();
  const core = label.replace(/[（(][^（）()]*[）)]/g, '');
  out.add(core);
  out.add(core.split(/[，,]/)[0] ?? core);
  out.delete(label);
  return [...out].filter((l) => normalizeLabel(l).length >= 4);
}

function matchLabel(text: string, label: string): LabelMatch {
  let best: LabelMatch = { ...labelScore(text, label), label };
  // The whole printed label, read with a few characters wrong, is that label: its short form
  // matching the start exactly must not make the misread rest look like a value written inline.
  const wholeLabelRead = !best.prefixOnly && best.score >= 0.8;
  for (const short of shortLabels(label)) {
    const s = labelScore(text, short);
    if (s.score > best.score + 0.05 && !(s.prefixOnly && wholeLabelRead)) best = { ...s, label: short };
  }
  return best;
}

const isOpinion = (target: LabelTarget) => target.defs[0]?.kind === 'opinion';

const BRACKETED = /[（(][^（）()]{0,40}[）)]/g;
const TYPED_DATE_ANY = new RegExp(TYPED_DATE, 'g');

/**
 * Whether what follows a label in its cell is only more label: a bracketed note (（万元）,
 * （尽量详细）), the printed （盖章）, and for opinions the date line (typed or blank 年 月 日).
 */
function isLabelNote(rest: string, dates: boolean): boolean {
  let r = rest.replace(TYPED_STAMP, '');
  if (dates) r = r.replace(TYPED_DATE_ANY, '');
  return normalizeLabel(r.replace(BRACKETED, '').replace(WRAPPED_NOTE, '')) === '';
}

/**
 * A note whose bracket the cell's width wrapped: 审核意见（盖 on the row read, 章） on the next. A few
 * characters at most, so that a value starting with a bracket (（1）参与… read without its ）) is
 * not taken for one.
 */
const WRAPPED_NOTE = /[（(][^（）()]{0,3}$/;

/** The raw text after a label's characters (spaces, line breaks and punctuation between them allowed). */
function afterLabel(text: string, label: string): string {
  const norm = normalizeLabel(label);
  let consumed = 0;
  let i = 0;
  const chars = [...text];
  while (i < chars.length && consumed < norm.length) {
    if (normalizeLabel(chars[i] as string) !== '') consumed++;
    i++;
  }
  return chars.slice(i).join('');
}

const trimValue = (text: string) =>
  text
    .replace(/^\s*[）)]/, '')
    .replace(/^[\s:：。]+/, '')
    .trim();

/** What follows the label and, where this copy prints them, the label's instructions (hint). */
function afterHint(rest: string, target: LabelTarget): string {
  const hint = target.defs[0]?.hint;
  if (!hint || labelScore(rest, hint).score < 0.6) return rest;
  return afterFuzzy(trimValue(rest), hint);
}

/**
 * The text after a long printed passage read by OCR (a dropped or doubled character, a copy that
 * words it a little differently): where the passage ends is where the text read so far is
 * closest to it, searched a few characters either side of its length.
 */
function afterFuzzy(text: string, passage: string): string {
  const want = normalizeLabel(passage);
  const chars = [...text];
  // Normalised characters of the text, each with the index of the character after it.
  const seen: { ch: string; end: number }[] = [];
  chars.forEach((c, i) => {
    const n = normalizeLabel(c);
    if (n !== '') seen.push({ ch: n, end: i + 1 });
  });
  const n = [...want].length;
  let best = { cost: Number.POSITIVE_INFINITY, end: 0 };
  for (let k = Math.max(1, n - 6); k <= Math.min(seen.length, n + 6); k++) {
    const prefix = seen
      .slice(0, k)
      .map((s) => s.ch)
      .join('');
    const cost = editDistance(prefix, want);
    if (cost <= best.cost) best = { cost, end: (seen[k - 1] as { end: number }).end };
  }
  return best.cost === Number.POSITIVE_INFINITY ? afterLabel(text, passage) : chars.slice(best.end).join('');
}

/**
 * Whether what follows the short form of a label that matched is the rest of the printed label,
 * misread: a narrow cell's bracketed part in small type (（含工艺、设备、人才团队…） read as
 * 《仅工芸,许 名“人寸团…, bench:ocr dev-12 office scans). Up to half its characters may be wrong; a
 * value written inline after the label shares next to none with it.
 */
function isLabelTail(rest: string, label: string, matched: string): boolean {
  if (matched === label) return false;
  const whole = normalizeLabel(label);
  const short = normalizeLabel(matched);
  const tail = whole.startsWith(short) ? whole.slice(short.length) : '';
  const read = normalizeLabel(rest);
  if ([...tail].length < 4 || read === '') return false;
  return editDistance(read, tail) <= Math.floor([...tail].length * 0.5);
}

/**
 * Whether what follows a label is the start of its printed instructions (a narrow label cell whose
 * small-type hint was read only in part): the value is then in the next cell, not in this one.
 */
function isHintStart(rest: string, target: LabelTarget): boolean {
  const hint = normalizeLabel(target.defs[0]?.hint ?? '');
  const read = normalizeLabel(rest);
  if (!hint || read.length < 4 || read.length > hint.length + 4) return false;
  const prefix = [...hint].slice(0, [...read].length).join('');
  return editDistance(read, prefix) <= Math.ceil([...read].length * 0.3);
}

/**
 * A value written in its label's cell: after the label, and after a bracketed note that ends the
 * label (年产值（万元）：3500).
 */
function inlineValue(rest: string): string {
  return trimValue(
    rest
      .replace(/^\s*[:：]?\s*[（(][^（）()]{0,40}[）)]\s*[:：]/, '')
      // A mark alone after the label's colon, the value starting on the row below: the cell's
      // right rule or a speck read as 1, l or |, no value's first character.
      .replace(/^\s*[）)]?\s*[:：]?\s*[1lI|｜]\s*\n(?=\S)/u, ''),
  );
}

/** The labels of a form (and the header's) as a test of whether a cell is a label, not a value. */
/** How well a cell must match words the form prints (a block's heading) to be them. */
const PRINTED_SCORE = 0.8;

function labelishTest(form: FormDef): (cell: GridCell) => boolean {
  const labels = [
    ...labelTargets(form).flatMap((t) => [t.label, ...shortLabels(t.label)]),
    ...headerFields().map((f) => f.label),
  ];
  const memo = new Map<GridCell, boolean>();
  return (cell) => {
    let v = memo.get(cell);
    if (v === undefined) {
      v = (form.printed ?? []).some((words) => {
        // All the cell holds: a value may begin with the same words.
        const s = labelScore(cell.text, words);
        return !s.prefixOnly && s.score >= PRINTED_SCORE;
      });
      v ||= labels.some((label) => {
        const s = labelScore(cell.text, label);
        if (!s.prefixOnly) return s.score >= 0.8;
        if (s.score < 0.9) return false;
        // 性别：男 — a label with its value after a colon; or a label with its note.
        const rest = afterLabel(cell.text, label);
        return /^\s*[:：]/.test(rest) || isLabelNote(rest, true);
      });
      memo.set(cell, v);
    }
    return v;
  };
}

const sameTable = (a: GridCell, b: GridCell) => (a.table ?? 0) === (b.table ?? 0);

/** The cells right of a label — the nearest column, over the rows the label spans — or none. */
function rightOf(
  label: GridCell,
  ordered: readonly GridCell[],
  usable: (c: GridCell) => boolean,
): GridCell[] {
  const candidates = ordered.filter(
    (c) =>
      c !== label &&
      sameTable(c, label) &&
      c.col >= label.col + label.colSpan &&
      c.row < label.row + label.rowSpan &&
      c.row + c.rowSpan > label.row,
  );
  if (candidates.length === 0) return [];
  const col = Math.min(...candidates.map((c) => c.col));
  const out: GridCell[] = [];
  for (const c of candidates.filter((c) => c.col === col).sort((a, b) => a.row - b.row)) {
    if (!usable(c)) break;
    out.push(c);
  }
  return out;
}

/** The cell under a label (a row of labels over a row of values; a full-width label over its text). */
function belowOf(
  label: GridCell,
  ordered: readonly GridCell[],
  usable: (c: GridCell) => boolean,
): GridCell | undefined {
  const overlap = (c: GridCell) =>
    Math.min(c.col + c.colSpan, label.col + label.colSpan) - Math.max(c.col, label.col);
  let best: GridCell | undefined;
  for (const c of ordered) {
    if (!sameTable(c, label) || c.row !== label.row + label.rowSpan || overlap(c) <= 0 || !usable(c))
      continue;
    if (!best || overlap(c) > overlap(best)) best = c;
  }
  return best;
}

type ValuePlace = Pick<FieldLocation, 'valueCell' | 'mode' | 'valueText' | 'labelNote' | 'unplaced'>;

/**
 * Maps each field of `form` to its cells. Cells come in reading order. Labels that appear twice
 * (联系电话 after 法人代表 and after 联系人) are assigned in order of appearance.
 *
 * A value is looked for, in order: after the label in the label's own cell (姓名：张三); in the
 * cell right of the label; in the cell below it (a row of labels over a row of values). A label
 * cell may hold more than its label — a note such as （万元）, an opinion's （盖章） and date line —
 * and still have its value beside it; a cell that reads as a label is never taken as a value.
 */
export function locateFields(
  formKind: FormKind,
  cells: readonly GridCell[],
): { found: FieldLocation[]; missing: string[] } {
  const form = FORMS[formKind];
  const targets = labelTargets(form);
  const used = new Set<GridCell>();
  const missing: string[] = [];
  const ordered = [...cells].sort(
    (a, b) => (a.table ?? 0) - (b.table ?? 0) || a.row - b.row || a.col - b.col,
  );
  const labelish = labelishTest(form);
  const usable = (c: GridCell) => !used.has(c) && !labelish(c);
  const located: ({ target: LabelTarget; labelCell: GridCell; match: LabelMatch; rest: string } & {
    place?: ValuePlace;
  })[] = [];

  // Each target takes the best-scoring unused cell, searching in order so duplicates go in turn,
  // and the cell right of it when that is a value.
  // A label printed more than once (联系电话 after 法人代表, then after 联系人) belongs to its rows in
  // order: the first good enough match is its own, however much better a later copy was read.
  const printedTwice = (t: LabelTarget) => targets.filter((o) => o.label === t.label).length > 1;
  for (const target of targets) {
    let best: { cell: GridCell; match: LabelMatch } | undefined;
    const inTurn = printedTwice(target);
    for (const cell of ordered) {
      if (used.has(cell)) continue;
      const m = matchLabel(cell.text, target.label);
      if (m.score >= minScoreFor(cell.text, m.label) && (!best || m.score > best.match.score + 0.02))
        best = { cell, match: m };
      if (inTurn && best) break;
    }
    if (!best) {
      missing.push(...target.keys);
      continue;
    }
    const { cell: labelCell, match } = best;
    used.add(labelCell);
    const rest = afterHint(afterLabel(labelCell.text, match.label), target);
    const entry: (typeof located)[number] = { target, labelCell, match, rest };
    located.push(entry);
    if (
      match.prefixOnly &&
      !isLabelNote(rest, isOpinion(target)) &&
      !isHintStart(rest, target) &&
      !isLabelTail(rest, target.label, match.label)
    ) {
      entry.place = { valueCell: labelCell, mode: 'inline', valueText: inlineValue(rest) };
      continue;
    }
    // A photo's value is an image: never a neighbour's text.
    const right = target.defs[0]?.kind === 'photo' ? [] : rightOf(labelCell, ordered, usable);
    if (right.length > 0) {
      for (const c of right) used.add(c);
      entry.place = {
        valueCell: right[0] as GridCell,
        mode: 'right',
        valueText: right.map((c) => c.text).join('\n'),
        labelNote: trimValue(rest) || undefined,
      };
    }
  }

  // Labels with nothing usable to their right: the value is below, or nowhere this mapping looks.
  for (const entry of located) {
    if (entry.place) continue;
    const { target, labelCell, match, rest } = entry;
    const below =
      target.defs[0]?.kind === 'photo' || (labelCell.unreadRows ?? 0) > 0
        ? undefined
        : belowOf(labelCell, ordered, usable);
    if (below) {
      used.add(below);
      entry.place = {
        valueCell: below,
        mode: 'below',
        valueText: below.text,
        labelNote: trimValue(rest) || undefined,
      };
    } else {
      entry.place = {
        valueCell: labelCell,
        mode: 'inline',
        valueText: isOpinion(target) ? inlineValue(rest) : '',
        labelNote: trimValue(rest) || undefined,
        // Only the label in its cell and no cell beside or below it: a blank value cannot be told
        // from a value somewhere this mapping does not look.
        // The same when all it holds besides is the label's note (（万元）, an opinion's （盖章）).
        // Rows of the cell not read yet are the value under its label (个人或团队简介及主要业绩：
        // above the paragraph, in one cell): that value is placed.
        unplaced:
          ((labelCell.unreadRows ?? 0) === 0 &&
            (afterLabel(labelCell.text, match.label).trim() === '' ||
              isLabelNote(rest, isOpinion(target)) ||
              isLabelTail(rest, target.label, match.label))) ||
          undefined,
      };
    }
  }

  splitSharedValueCells(located);

  const found: FieldLocation[] = [];
  for (const { target, labelCell, match, place } of located) {
    if (!place) continue;
    for (const key of target.keys) {
      const loc: FieldLocation = { key, labelCell, ...place, labelScore: match.score };
      if (loc.labelNote === undefined) delete loc.labelNote;
      if (loc.unplaced === undefined) delete loc.unplaced;
      found.push(loc);
    }
  }
  return { found, missing };
}

/**
 * One value cell right of two or more stacked labels that found no value of their own: the rule
 * between their value cells was lost (a seal lifted off it, a fold, a photo's warp), while the
 * label column kept its rules. Each label gets the part of the cell level with it; without this the
 * first label's value ran on into the next field's (同意推荐。 then 同意。) and both readers agreed.
 */
function splitSharedValueCells(
  located: readonly { labelCell: GridCell; rest: string; place?: ValuePlace }[],
): void {
  for (const entry of located) {
    const place = entry.place;
    const value = place?.valueCell;
    const label = entry.labelCell;
    if (place?.mode !== 'right' || !value?.box || !label.box) continue;
    if (value.rowSpan <= label.rowSpan) continue;
    const within = (c: GridCell) => c.row >= value.row && c.row + c.rowSpan <= value.row + value.rowSpan;
    const sharers = located.filter(
      (o) =>
        o !== entry &&
        o.place?.mode === 'inline' &&
        (o.place.unplaced === true || !o.place.valueText.trim()) &&
        o.labelCell.box !== undefined &&
        sameTable(o.labelCell, value) &&
        o.labelCell.col === label.col &&
        within(o.labelCell),
    );
    if (sharers.length === 0) continue;
    const stack = [entry, ...sharers].sort((a, b) => a.labelCell.row - b.labelCell.row);
    const box = value.box;
    stack.forEach((e, i) => {
      const own = e.labelCell.box as Box;
      const top = i === 0 ? box.y : own.y;
      const next = stack[i + 1]?.labelCell.box;
      const bottom = next ? next.y : box.y + box.h;
      const first = e === entry;
      e.place = {
        valueCell: {
          ...value,
          row: e.labelCell.row,
          rowSpan: e.labelCell.rowSpan,
          box: { ...box, y: top, h: Math.max(1, bottom - top) },
          text: first ? value.text : '',
        },
        mode: 'right',
        valueText: first ? place.valueText : '',
        labelNote: first ? place.labelNote : trimValue(e.rest) || undefined,
      };
    });
  }
}

/**
 * Another field's printed label standing on a line of its own (or starting one) inside a value: the
 * rule between two cells was lost and the value ran into the next field's cell (推荐单位意见's text,
 * then 审核意见：). Labels of three characters or more; the field's own label is not another's.
 * Found also after a rule read as a bar within a row (万霞|联系电话|0798-…: the divider between a
 * row's cells was lost and the label cell beside ran into the value); with the text before it, the
 * value as far as it is this field's.
 */
export function otherLabelAt(
  form: FormKind,
  key: string,
  text: string,
): { label: string; before: string } | undefined {
  const targets = labelTargets(FORMS[form]).filter(
    (t) => !t.keys.includes(key) && [...normalizeLabel(t.label)].length >= 3,
  );
  const lines = text.split('\n');
  for (const [n, line] of lines.entries()) {
    const pieces = line.split(/(?=[|｜‖])/u);
    for (const [k, piece] of pieces.entries()) {
      if ([...normalizeLabel(piece)].length < 3) continue;
      const hit = targets.find((t) => labelScore(piece, t.label).score >= OTHER_LABEL_SCORE);
      if (hit)
        return {
          label: hit.label,
          before: [...lines.slice(0, n), pieces.slice(0, k).join('')].join('\n').replace(/[|｜‖\s]+$/u, ''),
        };
    }
  }
  return undefined;
}

/** How well a line inside a value must match another field's label to be that label. */
const OTHER_LABEL_SCORE = 0.8;

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
 *
 * `distinctive` says whether a label (or title) found belongs to the winning page alone: 推荐单位意见
 * and 审核意见 are printed on the last page of every form, so a page where only they were read is
 * any form's last page — the caller should read it better before trusting the form.
 */
export function classifyTexts(texts: readonly string[]): PageClass | undefined {
  const norm = texts.map(normalizeLabel).filter(Boolean);
  const signatures = pageSignatures();
  const pagesWith = new Map<string, number>();
  for (const sig of signatures)
    for (const item of new Set([...sig.labels, ...(sig.title ? [sig.title] : [])].map(normalizeLabel)))
      pagesWith.set(item, (pagesWith.get(item) ?? 0) + 1);
  const scored = signatures.map((sig) => {
    const items = [...sig.labels, ...(sig.title ? [sig.title, sig.title] : [])];
    let hit = 0;
    let own = 0;
    const matched = new Set<string>();
    for (const item of items) {
      const n = normalizeLabel(item);
      const best = Math.max(0, ...norm.map((t) => labelScore(t, n).score));
      if (best < 0.75) continue;
      hit++;
      matched.add(n);
      if (pagesWith.get(n) === 1) own++;
    }
    const printed = new Set(items.map(normalizeLabel));
    return { sig, score: hit / items.length, distinctive: own > 0, matched, printed };
  });
  // A page whose labels of its own were read is that page, whatever share of a shorter page's
  // labels (the opinion cells every form ends with) it also shows.
  scored.sort((a, b) => {
    const fits = (x: typeof a) => x.score >= 0.4;
    return Number(fits(b) && b.distinctive) - Number(fits(a) && a.distinctive) || b.score - a.score;
  });
  const [top, second] = scored;
  if (!top || top.score < 0.4) return undefined;
  // Only labels other pages print too (a page of just the two opinion cells every form ends with):
  // every page printing all of them is as likely, and which one it is, the pages around it tell.
  const alternatives = top.distinctive
    ? []
    : scored
        .filter((s) => s !== top && [...top.matched].every((n) => s.printed.has(n)))
        .map((s) => ({ form: s.sig.form, page: s.sig.page }));
  return {
    form: top.sig.form,
    page: top.sig.page,
    score: top.score,
    runnerUp: second?.score ?? 0,
    distinctive: top.distinctive,
    ...(alternatives.length ? { alternatives } : {}),
  };
}

export interface PageClass {
  form: FormKind;
  page: number;
  score: number;
  runnerUp: number;
  distinctive: boolean;
  /** Not distinctive: the other pages that print every label read (see `classifyTexts`). */
  alternatives?: { form: FormKind; page: number }[];
}
