// The three forms typeset the many ways other people retype them in Word or WPS: other fonts and
// sizes, other column widths and row heights, labels wrapped elsewhere, values centred or not, the
// header line laid out otherwise, opinion cells as we print them or as the bureau does, the vertical
// 技术人才需求 block kept or dropped, page 2 starting at another row (or wherever a continuous table
// breaks). The values are written into the cells as text, exactly as their `raw` says.
//
// `randomTypesetting` draws a JSON-serialisable description; `typesetDocx` turns a record and a
// description into .docx bytes, deterministically (fixed zip dates). Row heights are fitted to the
// page from an estimate of each cell's text; forms.ts checks the page count LibreOffice gives and,
// if a form overflows, asks `refitTypesetting` for a tighter variant.
import { FORMS } from '../../src/forms/index.js';
import * as ox from '../../src/render/ooxml.js';
import type { FormKind, SubmissionRecord } from '../../src/types.js';
import type { Random } from '../samples/random.js';
import { chance, int, pick, weighted } from './values.js';

// ---- fonts ---------------------------------------------------------------------------------------

/**
 * CJK faces the corpus typesets with, by their fontconfig family names. forms.ts checks with
 * fc-list that each is installed (Debian: fonts-noto-cjk, fonts-arphic-gkai00mp, fonts-arphic-uming,
 * fonts-arphic-ukai, fonts-arphic-gbsn00lp, fonts-wqy-zenhei, fonts-wqy-microhei, fonts-lxgw-wenkai):
 * LibreOffice would otherwise substitute silently and the description would lie.
 */
export const CJK_FACES = [
  'Noto Serif CJK SC',
  'Noto Sans CJK SC',
  'AR PL UMing CN',
  'AR PL UKai CN',
  'AR PL KaitiM GB',
  'AR PL SungtiL GB',
  'WenQuanYi Zen Hei',
  'WenQuanYi Micro Hei',
  'LXGW WenKai',
] as const;

/** Names Word users pick; config/fonts.conf maps them to the faces above for LibreOffice. */
export const WORD_FONT_NAMES = ['仿宋', '仿宋_GB2312', '宋体', '楷体', '楷体_GB2312', '黑体'] as const;

/** Title faces: Word names (方正小标宋简体 as the notice asks) and installed faces. */
export const TITLE_FONTS = [
  '方正小标宋简体',
  '黑体',
  '宋体',
  'Noto Serif CJK SC',
  'Noto Sans CJK SC',
  'AR PL SungtiL GB',
] as const;

/** Every font name a typesetting may use. */
export const ALL_FONTS: readonly string[] = [
  ...new Set<string>([...CJK_FACES, ...WORD_FONT_NAMES, ...TITLE_FONTS]),
];

/**
 * Line height of single spacing as a multiple of the font size, measured in LibreOffice (12 pt,
 * pdftotext line pitch), rounded up. Word names resolve through config/fonts.conf.
 */
const LINE_FACTOR: Record<string, number> = {
  'Noto Serif CJK SC': 1.45,
  'Noto Sans CJK SC': 1.46,
  'AR PL UMing CN': 1.07,
  'AR PL UKai CN': 1.13,
  'AR PL KaitiM GB': 1.03,
  'AR PL SungtiL GB': 1.37,
  'WenQuanYi Zen Hei': 1.2,
  'WenQuanYi Micro Hei': 1.2,
  'LXGW WenKai': 1.45,
  仿宋: 1.45,
  仿宋_GB2312: 1.45,
  宋体: 1.45,
  楷体: 1.03,
  楷体_GB2312: 1.03,
  黑体: 1.46,
  方正小标宋简体: 1.45,
};
const lineFactor = (font: string): number => LINE_FACTOR[font] ?? 1.46;

// ---- the description -----------------------------------------------------------------------------

export type OpinionStyle = 'ours' | 'bureau' | 'inline';
export type HeaderStyle = 'tab' | 'spaces' | 'twoLines' | 'twoLinesRight';
export type LabelWrap = 'ours' | 'even' | 'narrow' | 'none';

export interface Typesetting {
  form: FormKind;
  /** 0 as drawn; each refit after an overflow adds one. */
  attempt: number;
  /** Page margins in twips (A4). */
  margins: { top: number; bottom: number; left: number; right: number };
  fonts: { label: string; value: string; title: string; header: string };
  /** Sizes in half-points. */
  sizes: { label: number; value: number; title: number; header: number; attachment: number };
  labelBold: boolean;
  titleBold: boolean;
  /** Table paragraphs: single spacing times `lines` ('auto'), or an exact height in twips. */
  lineSpacing: { rule: 'auto' | 'exact'; value: number };
  /** Left and right cell margins in twips. */
  cellMargin: number;
  /** Rule widths in eighths of a point: outer frame and inside lines. */
  borders: { outer: number; inner: number };
  /** 附件N line above the title. */
  attachment: 'plain' | 'spaced' | 'colon' | 'none';
  /** Where the title breaks into two lines (characters on line 1), or null for one line. */
  titleBreak: number | null;
  header: HeaderStyle;
  /** The header values underlined (a fill-in line). */
  headerUnderline: boolean;
  labelAlign: 'center' | 'distribute' | 'left';
  valueAlign: 'center' | 'left';
  /** Paragraph values: first-line indent of two characters, and justified or left. */
  longIndent: boolean;
  longAlign: 'left' | 'both';
  labelWrap: LabelWrap;
  /** Two-character labels spread: 姓  名. */
  spreadShortLabels: boolean;
  brackets: 'full' | 'half';
  /** Paragraph fields: label in a cell on the left, or at the top of the value's own cell. */
  longLabel: 'left' | 'inline';
  opinion: OpinionStyle;
  /** Relative column widths (1 = ours) for the layout's columns, and per-row height factors. */
  widthJitter: number[];
  heightJitter: number[];
  /** Share of the free page height the table's rows take. */
  fill: number;
  /** Field key whose row starts page 2 (a page break between two tables), or null: one table, broken where it breaks. */
  page2Start: string | null;
  /** registration: threePairs | twoPairs; demand: vertical | verticalOne | flat; problem: oneRow | twoRows. */
  layout: string;
  photoLabel: string;
  /** problem: the 注 line under the table. */
  note: boolean;
  /** problem: the description's label inline at the top of the cell, or in a cell on the left. */
  descriptionLabel: 'inline' | 'left';
  /** opinion 'inline': （盖章） printed above the date. */
  inlineStampWords: boolean;
}

const PAGE = ox.A4;
const textWidth = (ts: Typesetting) => PAGE.width - ts.margins.left - ts.margins.right;

const PAGE2_STARTS: Record<FormKind, readonly (readonly [string | null, number])[]> = {
  registration: [
    ['plannedWork', 5],
    ['profile', 2],
    ['recommendation.opinion', 1],
    [null, 2],
  ],
  demand: [
    ['needs.rdPlatform', 4],
    ['needs.teamTraining', 2],
    ['needs.techTransfer', 1],
    ['needs.problems', 1],
    [null, 2],
  ],
  problem: [[null, 1]],
};

const LAYOUTS: Record<FormKind, readonly (readonly [string, number])[]> = {
  registration: [
    ['threePairs', 3],
    ['twoPairs', 2],
  ],
  demand: [
    ['vertical', 3],
    ['verticalOne', 1],
    ['flat', 2],
  ],
  problem: [
    ['oneRow', 2],
    ['twoRows', 1],
  ],
};

const hp = (pt: number) => Math.round(pt * 2);

export function randomTypesetting(rng: Random, form: FormKind): Typesetting {
  const bodyFont = weighted<string>(rng, [
    ...WORD_FONT_NAMES.map((f) => [f, f.startsWith('仿宋') ? 3 : 1.5] as const),
    ...CJK_FACES.map((f) => [f, 1] as const),
  ]);
  const valueFont = chance(rng, 0.75) ? bodyFont : pick(rng, [...CJK_FACES, ...WORD_FONT_NAMES]);
  const labelFont = chance(rng, 0.8)
    ? bodyFont
    : pick(rng, ['黑体', '宋体', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei']);
  const table = pick(rng, [10.5, 10.5, 11, 12, 12, 12, 13, 14]);
  const value = chance(rng, 0.8)
    ? table
    : Math.max(10.5, Math.min(14, table + pick(rng, [-1.5, -1, 1, 1.5])));
  const opinion = weighted<OpinionStyle>(rng, [
    ['ours', 4],
    ['bureau', 4],
    ['inline', 2],
  ]);
  const exact = chance(rng, 0.3);
  const ts: Typesetting = {
    form,
    attempt: 0,
    margins: {
      top: int(rng, 1100, 1600),
      bottom: int(rng, 1050, 1500),
      left: int(rng, 1000, 1600),
      right: int(rng, 1000, 1600),
    },
    fonts: {
      label: labelFont,
      value: valueFont,
      title: pick(rng, TITLE_FONTS),
      header: chance(rng, 0.8) ? bodyFont : pick(rng, WORD_FONT_NAMES),
    },
    sizes: {
      label: hp(table),
      value: hp(value),
      title: hp(pick(rng, [16, 18, 18, 20, 22, 22])),
      header: hp(pick(rng, [10.5, 12, 12, 14])),
      attachment: hp(pick(rng, [12, 14, 16, 16])),
    },
    labelBold: chance(rng, 0.2),
    titleBold: chance(rng, 0.5),
    lineSpacing: exact
      ? { rule: 'exact', value: Math.round(table * 20 * pick(rng, [1.25, 1.35, 1.5])) }
      : { rule: 'auto', value: pick(rng, [240, 240, 240, 264, 288]) },
    cellMargin: pick(rng, [57, 85, 108, 108, 140]),
    borders: chance(rng, 0.3)
      ? { outer: pick(rng, [12, 18]), inner: pick(rng, [4, 6]) }
      : { outer: pick(rng, [4, 6, 8]), inner: 0 },
    attachment: weighted(rng, [
      ['plain', 5],
      ['spaced', 1],
      ['colon', 1],
      ['none', 2],
    ] as const),
    titleBreak: null, // settled below, once the title size is known
    header: weighted<HeaderStyle>(rng, [
      ['tab', 4],
      ['spaces', 2],
      ['twoLines', 1],
      ['twoLinesRight', 1],
    ]),
    headerUnderline: chance(rng, 0.2),
    labelAlign: weighted(rng, [
      ['center', 6],
      ['distribute', 1],
      ['left', 1],
    ] as const),
    valueAlign: chance(rng, 0.6) ? 'center' : 'left',
    longIndent: chance(rng, 0.45),
    longAlign: chance(rng, 0.5) ? 'both' : 'left',
    labelWrap: weighted<LabelWrap>(rng, [
      ['ours', 3],
      ['even', 3],
      ['narrow', 1],
      ['none', 2],
    ]),
    spreadShortLabels: chance(rng, 0.3),
    brackets: chance(rng, 0.7) ? 'full' : 'half',
    longLabel: chance(rng, 0.75) ? 'left' : 'inline',
    opinion,
    widthJitter: Array.from({ length: 8 }, () => round2(rng.range(0.78, 1.25))),
    heightJitter: Array.from({ length: 16 }, () => round2(rng.range(0.75, 1.25))),
    fill: round2(rng.range(0.8, 0.97)),
    page2Start: weighted(rng, PAGE2_STARTS[form]),
    layout: weighted(rng, LAYOUTS[form]),
    photoLabel: pick(rng, ['照片', '照片', '照 片', '（照片）', '照\n片']),
    note: chance(rng, 0.7),
    descriptionLabel: chance(rng, 0.65) ? 'inline' : 'left',
    inlineStampWords: chance(rng, 0.5),
  };
  return settleTitle(ts, rng);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A tighter variant after LibreOffice printed `pages` pages where the form has `expected`: smaller
 * type and rows, then our own page break, then the plainest setting. Deterministic.
 */
export function refitTypesetting(
  ts: Typesetting,
  pages: number,
  expected: number,
  record?: SubmissionRecord,
): Typesetting {
  const attempt = ts.attempt + 1;
  const next: Typesetting = structuredClone(ts);
  next.attempt = attempt;
  if (pages < expected) {
    // A continuous table that did not reach page 2: taller rows.
    next.fill = Math.min(0.99, ts.fill + 0.1);
    return next;
  }
  const shrink = (v: number, by: number, min: number) => Math.max(min, v - by);
  if (attempt <= 2) {
    // Smaller type (not under 10.5 pt) and shorter rows, single spacing, tighter cells.
    next.sizes.label = shrink(ts.sizes.label, 2, 21);
    next.sizes.value = shrink(ts.sizes.value, 2, 21);
    next.sizes.title = shrink(ts.sizes.title, 4, 32);
    next.sizes.header = shrink(ts.sizes.header, 2, 21);
    next.fill = round2(Math.max(0.7, ts.fill * 0.92));
    if (next.lineSpacing.rule === 'auto') next.lineSpacing.value = 240;
    else next.lineSpacing.value = Math.round(next.sizes.value * 10 * 1.25);
    if (attempt === 2) {
      next.cellMargin = Math.min(ts.cellMargin, 85);
      next.margins = {
        top: Math.min(ts.margins.top, 1300),
        bottom: Math.min(ts.margins.bottom, 1200),
        left: Math.min(ts.margins.left, 1300),
        right: Math.min(ts.margins.right, 1300),
      };
    }
  }
  if (attempt >= 3) {
    // Plain margins, and page 2 where the texts fit best by the estimate (ours without the record).
    next.margins = { top: 1200, bottom: 1100, left: 1200, right: 1200 };
    const ours = { registration: 'plannedWork', demand: 'needs.rdPlatform', problem: null }[ts.form];
    next.page2Start = ours;
    if (record && attempt === 3) {
      let best = Number.POSITIVE_INFINITY;
      for (const [start] of PAGE2_STARTS[ts.form]) {
        if (start === null) continue;
        const overflow = estimateOverflow(record, { ...next, page2Start: start });
        if (overflow < best - 1) {
          best = overflow;
          next.page2Start = start;
        }
      }
    }
  }
  if (attempt >= 4) {
    next.sizes = { label: 21, value: 21, title: 32, header: 21, attachment: 28 };
    next.note = false;
    next.fill = 0.7;
  }
  return next;
}

// ---- labels -------------------------------------------------------------------------------------

/** Our templates' line splits, where a label is wrapped on the original. */
const OUR_BREAKS: Record<string, string> = {
  workStart: '参加工\n作时间',
  professionalTitle: '专业技\n术职称',
  teamName: '所属团队\n名称',
  teamSize: '团队入\n企人数',
  expertise: '所擅长的专\n业技术领域\n（尽量详\n细）',
  profile: '个人或团队\n简介和主要\n业绩',
  plannedWork: '拟在企\n业开展\n的工作',
  'recommendation.opinion': '推荐单\n位意见',
  'approval.opinion': '审核\n意见',
  techStatus: '技术水平\n现状（含\n工艺、设\n备、人才\n团队、研\n发平台等\n情况）',
  'needs.problems': '需解决的难\n题及预期效\n果（含技术难\n题、产品设\n计、项目申报\n等）',
  'needs.teamTraining': '研发团队及\n专业技术人\n才培养',
  'needs.rdPlatform': '拟组建或需\n完善的技术\n研发平台（含\n名称及要求）',
  'needs.techTransfer': '希望承接转\n化的技术成\n果，如新产\n品、新技术、\n新工艺等',
  'needs.majorCooperation': '重大科技合\n作项目需求',
  'needs.urgentTalent': '急需专业人\n才类别及层\n次要求',
};

const NO_LINE_START = /^[）)、，,：:；;。]/;

/** Breaks `label` into lines of at most `perLine` characters, keeping closing marks off line starts. */
function breakEvery(label: string, perLine: number): string {
  const chars = [...label];
  const lines: string[] = [];
  let line = '';
  for (const ch of chars) {
    if ([...line].length >= perLine && !NO_LINE_START.test(ch) && !/[（(]$/.test(line)) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function evenBreak(label: string, perLine: number): string {
  const n = [...label].length;
  if (n <= perLine) return label;
  const lines = Math.ceil(n / perLine);
  return breakEvery(label, Math.ceil(n / lines));
}

function labelText(ts: Typesetting, key: string, base: string, width: number): string {
  let label = base;
  if (ts.brackets === 'half') label = label.replace(/（/g, '(').replace(/）/g, ')');
  const perLine = Math.max(2, Math.floor((width - 2 * ts.cellMargin) / (ts.sizes.label * 10)));
  const short = [...base].length <= 3 && !base.includes('（');
  if (short && ts.spreadShortLabels && [...base].length === 2) return [...label].join('\u3000');
  if (short && ts.spreadShortLabels && [...base].length === 3 && perLine >= 5) return [...label].join(' ');
  switch (ts.labelWrap) {
    case 'none':
      return label;
    case 'narrow':
      return breakEvery(label, Math.max(2, perLine - 1));
    case 'even':
      return evenBreak(label, perLine);
    case 'ours': {
      let ours = OUR_BREAKS[key];
      if (ours && ts.brackets === 'half') ours = ours.replace(/（/g, '(').replace(/）/g, ')');
      if (
        ours &&
        base === OUR_BREAKS[key]?.replace(/\n/g, '') &&
        ours.split('\n').every((l) => [...l].length <= perLine)
      )
        return ours;
      return evenBreak(label, perLine);
    }
  }
}

/** A label printed on the form, in document order, with the field keys it stands for. */
export interface PrintedLabel {
  keys: string[];
  /** As printed, line breaks included (label part only for inline cells). */
  text: string;
  /** The label's cell, left and right edge in twips from the table's left edge (the left margin). */
  x: [number, number];
}

// ---- values and estimates -----------------------------------------------------------------------

const rawOf = (record: SubmissionRecord, key: string): string => {
  const f = record.fields[key];
  if (!f) return '';
  if (f.raw !== undefined) return f.raw;
  return f.value === null || f.value === undefined ? '' : String(f.value);
};

/** Width of a text in ems: CJK and full-width 1, the rest about half. */
function ems(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F\u2014\u2026\u201C\u201D]/u.test(ch)
      ? 1
      : 0.56;
  return w;
}

interface TextStyle {
  font: string;
  /** Half-points. */
  size: number;
}

function lineHeight(ts: Typesetting, style: TextStyle): number {
  if (ts.lineSpacing.rule === 'exact') return Math.max(ts.lineSpacing.value, style.size * 10);
  return Math.ceil(style.size * 10 * lineFactor(style.font) * (ts.lineSpacing.value / 240));
}

/** Lines a text takes in a cell of `width` twips (paragraphs split at \n). */
function linesOf(ts: Typesetting, s: string, width: number, style: TextStyle, indentEms = 0): number {
  const usable = Math.max(200, width - 2 * ts.cellMargin) * 0.96;
  const perLine = usable / (style.size * 10);
  let lines = 0;
  for (const para of s.split('\n')) lines += Math.max(1, Math.ceil((ems(para) + indentEms) / perLine));
  return lines;
}

// ---- paragraphs and cells -----------------------------------------------------------------------

const spacing = (ts: Typesetting, after = 0): ox.Spacing =>
  ts.lineSpacing.rule === 'exact'
    ? { before: 0, after, line: ts.lineSpacing.value, rule: 'exact' }
    : { before: 0, after, line: ts.lineSpacing.value, rule: 'auto' };

const labelStyle = (ts: Typesetting): ox.RunStyle => ({
  font: ts.fonts.label,
  size: ts.sizes.label,
  bold: ts.labelBold || undefined,
});
const valueStyle = (ts: Typesetting): ox.RunStyle => ({ font: ts.fonts.value, size: ts.sizes.value });

function labelPara(ts: Typesetting, s: string, align?: ox.ParaProps['align']): string {
  const multiLine = s.includes('\n');
  const a = align ?? (ts.labelAlign === 'distribute' && multiLine ? 'center' : ts.labelAlign);
  return ox.para(ox.text(s, labelStyle(ts)), { spacing: spacing(ts), align: a, mark: labelStyle(ts) });
}

const emptyPara = (ts: Typesetting, style: ox.RunStyle): string =>
  ox.para('', { spacing: spacing(ts), mark: style });

function valuePara(ts: Typesetting, s: string, align: ox.ParaProps['align']): string {
  return ox.para(s ? ox.text(s, valueStyle(ts)) : '', { spacing: spacing(ts), align, mark: valueStyle(ts) });
}

/** Paragraph values: one w:p per paragraph of the raw text. */
function longParas(ts: Typesetting, s: string): string {
  if (!s) return emptyPara(ts, valueStyle(ts));
  return s
    .split('\n')
    .map((p) =>
      ox.para(ox.text(p, valueStyle(ts)), {
        spacing: spacing(ts),
        align: ts.longAlign,
        ind: ts.longIndent ? { firstLineChars: 200, firstLine: ts.sizes.value * 20 } : undefined,
        mark: valueStyle(ts),
      }),
    )
    .join('');
}

/** A cell whose content depends on the resolved width and the row's final height. */
interface CellPlan {
  width: number | 'rest';
  /** The label printed in this cell, whose `x` is settled with the widths. */
  label?: PrintedLabel;
  /** Height the content needs in a cell of this width (twips). */
  need: (width: number) => number;
  render: (width: number, rowHeight: number) => ox.Cell;
}

interface RowPlan {
  /** Height in twips before fitting (ours, scaled by the typesetting's jitter). */
  design: number;
  cells: CellPlan[];
  cantSplit?: boolean;
}

/** A table of rows, or a page break between tables. */
type Block = { rows: RowPlan[] } | 'pageBreak';

interface Builder {
  ts: Typesetting;
  record: SubmissionRecord;
  labels: PrintedLabel[];
  width: number;
  /** Row counter, for height jitter. */
  row: number;
}

const PAD = 90; // cell padding and rules, twips

function labelCell(
  b: Builder,
  keys: string[],
  base: string,
  width: number | 'rest',
  key = keys[0] ?? '',
): CellPlan {
  const { ts } = b;
  let printed: string | undefined;
  const textFor = (w: number) => {
    printed ??= labelText(ts, key, base, w);
    return printed;
  };
  // Register in document order now; the text is settled when the width is known (below, at once).
  const entry: PrintedLabel = { keys, text: base, x: [0, 0] };
  b.labels.push(entry);
  return {
    width,
    label: entry,
    need: (w) => {
      const t = textFor(w);
      entry.text = t;
      return (
        linesOf(ts, t, w, { font: ts.fonts.label, size: ts.sizes.label }) *
          lineHeight(ts, { font: ts.fonts.label, size: ts.sizes.label }) +
        PAD
      );
    },
    render: (w) => ({ width: w, body: labelPara(ts, textFor(w)), vAlign: 'center' }),
  };
}

function shortValue(b: Builder, key: string, width: number | 'rest'): CellPlan {
  const { ts } = b;
  const raw = rawOf(b.record, key);
  const style = { font: ts.fonts.value, size: ts.sizes.value };
  return {
    width,
    need: (w) => linesOf(ts, raw, w, style) * lineHeight(ts, style) + PAD,
    render: (w) => ({ width: w, body: valuePara(ts, raw, ts.valueAlign), vAlign: 'center' }),
  };
}

function longValue(b: Builder, key: string, width: number | 'rest'): CellPlan {
  const { ts } = b;
  const raw = rawOf(b.record, key);
  const style = { font: ts.fonts.value, size: ts.sizes.value };
  return {
    width,
    need: (w) => linesOf(ts, raw, w, style, ts.longIndent ? 2 : 0) * lineHeight(ts, style) + PAD,
    render: (w) => ({ width: w, body: longParas(ts, raw), vAlign: 'top' }),
  };
}

/** Label and value in one cell: the label (and a colon) at the top, the value's paragraphs below. */
function inlineCell(b: Builder, keys: string[], base: string, key: string, hint?: string): CellPlan {
  const { ts } = b;
  const raw = rawOf(b.record, key);
  let label = base;
  if (ts.brackets === 'half') label = label.replace(/（/g, '(').replace(/）/g, ')');
  const head = `${label}${hint ? `：${hint}` : '：'}`;
  const entry: PrintedLabel = { keys, text: label, x: [0, 0] };
  b.labels.push(entry);
  const lStyle = { font: ts.fonts.label, size: ts.sizes.label };
  const vStyle = { font: ts.fonts.value, size: ts.sizes.value };
  return {
    width: 'rest',
    label: entry,
    need: (w) =>
      linesOf(ts, head, w, lStyle) * lineHeight(ts, lStyle) +
      linesOf(ts, raw, w, vStyle, ts.longIndent ? 2 : 0) * lineHeight(ts, vStyle) +
      PAD +
      60,
    render: (w) => ({
      width: w,
      vAlign: 'top',
      body:
        ox.para(ox.text(head, labelStyle(ts)), {
          spacing: spacing(ts, 60),
          align: 'left',
          mark: labelStyle(ts),
        }) + longParas(ts, raw),
    }),
  };
}

function mergedCell(b: Builder, text: string, width: number, first: boolean, label?: PrintedLabel): CellPlan {
  const { ts } = b;
  return {
    width,
    label,
    need: () => 0,
    render: (w) =>
      first
        ? { width: w, body: labelPara(ts, text, 'center'), vAlign: 'center', vMerge: 'restart' }
        : { width: w, body: emptyPara(ts, labelStyle(ts)), vAlign: 'center', vMerge: 'continue' },
  };
}

// ---- opinion cells -------------------------------------------------------------------------------

type Group = 'recommendation' | 'approval';
const GROUP_LABEL: Record<Group, string> = { recommendation: '推荐单位意见', approval: '审核意见' };
const groupKeys = (g: Group) => [`${g}.opinion`, `${g}.stamped`, `${g}.date`];

function opinionBody(b: Builder, g: Group, w: number, rowHeight: number, inlineLabel?: string): string {
  const { ts, record } = b;
  const opinion = rawOf(record, `${g}.opinion`);
  const date = rawOf(record, `${g}.date`);
  const vs = valueStyle(ts);
  const style = { font: ts.fonts.value, size: ts.sizes.value };
  const lh = lineHeight(ts, style);
  const paras: string[] = [];
  let used = PAD;
  if (inlineLabel !== undefined) {
    const head = `${inlineLabel}：`;
    paras.push(
      ox.para(ox.text(head, labelStyle(ts)) + (opinion ? ox.text(opinion, vs) : ''), {
        spacing: spacing(ts),
        align: 'left',
        mark: vs,
      }),
    );
    used += linesOf(ts, head + opinion, w, style) * lh;
  } else {
    paras.push(longParasPlain(ts, opinion));
    used += linesOf(ts, opinion || ' ', w, style) * lh;
  }
  const stampWords = ts.opinion === 'ours' || (ts.opinion === 'inline' && ts.inlineStampWords);
  const tail: string[] = [];
  if (stampWords)
    tail.push(
      ox.para(ox.text('（盖章）', vs), {
        spacing: spacing(ts),
        align: 'right',
        ind: { right: 1300 },
        mark: vs,
      }),
    );
  // The date line is printed in every cell of the bureau's form; ours prints what is filled in.
  const dateText = date;
  tail.push(
    ox.para(dateText ? ox.text(dateText, vs) : '', {
      spacing: spacing(ts, 80),
      align: 'right',
      ind: { right: 360 },
      mark: vs,
    }),
  );
  used += tail.length * lh + 80;
  const gap = Math.max(1, Math.floor((rowHeight - used) / lh) - 1);
  for (let i = 0; i < gap; i++) paras.push(emptyPara(ts, vs));
  return paras.join('') + tail.join('');
}

function longParasPlain(ts: Typesetting, s: string): string {
  if (!s) return emptyPara(ts, valueStyle(ts));
  return s
    .split('\n')
    .map((p) =>
      ox.para(ox.text(p, valueStyle(ts)), { spacing: spacing(ts), align: 'left', mark: valueStyle(ts) }),
    )
    .join('');
}

/** Height a seal needs in an opinion cell: 40 mm and a little (twips). */
const SEAL_ROOM = 2500;

function opinionNeed(b: Builder, g: Group, w: number, inlineLabel?: string): number {
  const { ts, record } = b;
  const style = { font: ts.fonts.value, size: ts.sizes.value };
  const lh = lineHeight(ts, style);
  const opinion = `${inlineLabel ?? ''}${rawOf(record, `${g}.opinion`)}` || ' ';
  // opinion, blank lines, （盖章）, the date — and room for a 40 mm seal under the opinion.
  return (
    Math.max((linesOf(ts, opinion, w, style) + 5) * lh, linesOf(ts, opinion, w, style) * lh + SEAL_ROOM) +
    PAD +
    80
  );
}

/** The opinion row of group `g` in the typesetting's arrangement. */
function opinionRow(b: Builder, g: Group, labelWidth: number, design: number): RowPlan {
  const { ts } = b;
  const label = GROUP_LABEL[g];
  if (ts.opinion === 'inline') {
    const l = label;
    const entry: PrintedLabel = { keys: groupKeys(g), text: l, x: [0, 0] };
    b.labels.push(entry);
    return {
      design,
      cantSplit: true,
      cells: [
        {
          width: 'rest',
          label: entry,
          need: (w) => opinionNeed(b, g, w, l),
          render: (w, h) => ({ width: w, vAlign: 'top', body: opinionBody(b, g, w, h, l) }),
        },
      ],
    };
  }
  const printed = ts.opinion === 'bureau' ? `${label}（盖章）` : label;
  const labelPlan = labelCell(b, groupKeys(g), printed, labelWidth, `${g}.opinion`);
  return {
    design,
    cantSplit: true,
    cells: [
      labelPlan,
      {
        width: 'rest',
        need: (w) => opinionNeed(b, g, w),
        render: (w, h) => ({ width: w, vAlign: 'top', body: opinionBody(b, g, w, h) }),
      },
    ],
  };
}

// ---- the heading --------------------------------------------------------------------------------

/** Heading paragraphs and their estimated height. */
function heading(b: Builder): { xml: string; height: number } {
  const { ts, record } = b;
  const form = FORMS[record.form];
  const parts: string[] = [];
  let height = 0;
  if (ts.attachment !== 'none') {
    const t = {
      plain: `附件${form.attachment}`,
      spaced: `附件 ${form.attachment}`,
      colon: `附件${form.attachment}：`,
    }[ts.attachment];
    const style = { font: '黑体', size: ts.sizes.attachment };
    parts.push(
      ox.para(ox.text(t, style), {
        spacing: { before: 0, after: 160, line: 240, rule: 'auto' },
        mark: style,
      }),
    );
    height += ts.sizes.attachment * 10 * lineFactor('黑体') + 160;
  }
  const titleStyle = { font: ts.fonts.title, size: ts.sizes.title, bold: ts.titleBold || undefined };
  const title = form.title;
  const lines =
    ts.titleBreak === null ? [title] : [title.slice(0, ts.titleBreak), title.slice(ts.titleBreak)];
  lines.forEach((line, i) => {
    const after = i === lines.length - 1 ? 240 : 0;
    parts.push(
      ox.para(ox.text(line, titleStyle), {
        spacing: { before: 0, after, line: 240, rule: 'auto' },
        align: 'center',
        mark: titleStyle,
      }),
    );
    height +=
      ts.sizes.title *
        10 *
        lineFactor(ts.fonts.title) *
        Math.ceil((ems(line) * ts.sizes.title * 10) / textWidth(ts)) +
      after;
  });
  const header = headerLine(b);
  parts.push(header.xml);
  height += header.height;
  return { xml: parts.join(''), height: Math.ceil(height) };
}

function headerLine(b: Builder): { xml: string; height: number } {
  const { ts, record } = b;
  const style = { font: ts.fonts.header, size: ts.sizes.header };
  const valueRun = { ...style, underline: ts.headerUnderline || undefined };
  const unit = rawOf(record, 'fillingUnit');
  const date = rawOf(record, 'fillingDate');
  const lh = ts.sizes.header * 10 * lineFactor(ts.fonts.header);
  const sp = { before: 0, after: 100, line: 240, rule: 'auto' } as const;
  const all: [number, number] = [0, textWidth(ts)];
  b.labels.push(
    { keys: ['fillingUnit'], text: '填报单位', x: all },
    { keys: ['fillingDate'], text: '填表日期', x: all },
  );
  const unitPart = ox.text('填报单位：', style) + (unit ? ox.text(unit, valueRun) : '');
  const datePart = ox.text('填表日期：', style) + (date ? ox.text(date, valueRun) : '');
  const tw = textWidth(ts);
  switch (ts.header) {
    case 'tab':
      return {
        xml: ox.para(`${unitPart}${ox.tab(style)}${datePart}`, {
          spacing: sp,
          tabs: ox.rightTab(tw),
          mark: style,
        }),
        height: lh + 100,
      };
    case 'spaces': {
      const used = ems(`填报单位：${unit}填表日期：${date}`) * ts.sizes.header * 10;
      const spaces = Math.max(4, Math.floor(((tw - used) * 0.8) / (ts.sizes.header * 10 * 0.5)));
      return {
        xml: ox.para(`${unitPart}${ox.text(' '.repeat(spaces), style)}${datePart}`, {
          spacing: sp,
          mark: style,
        }),
        height: lh * (used + spaces * ts.sizes.header * 5 > tw ? 2 : 1) + 100,
      };
    }
    case 'twoLines':
    case 'twoLinesRight':
      return {
        xml:
          ox.para(unitPart, { spacing: { ...sp, after: 40 }, mark: style }) +
          ox.para(datePart, {
            spacing: sp,
            align: ts.header === 'twoLinesRight' ? 'right' : 'left',
            mark: style,
          }),
        height: 2 * lh + 140,
      };
  }
}

// ---- the three forms ----------------------------------------------------------------------------

/** Column widths: ours (for a 9070-twip text width) jittered, scaled to the text width. */
function columns(b: Builder, ours: number[]): number[] {
  const jittered = ours.map((w, i) => w * (b.ts.widthJitter[i % b.ts.widthJitter.length] ?? 1));
  const total = jittered.reduce((s, w) => s + w, 0);
  const scaled = jittered.map((w) => Math.round((w / total) * b.width));
  scaled[scaled.length - 1] = b.width - scaled.slice(0, -1).reduce((s, w) => s + w, 0);
  return scaled;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

function design(b: Builder, ours: number): number {
  const j = b.ts.heightJitter[b.row % b.ts.heightJitter.length] ?? 1;
  b.row++;
  return ours * j;
}

/** A paragraph field: label on the left (or inline), value on the right. */
function longRow(b: Builder, key: string, labelWidth: number, ours: number): RowPlan {
  const def = FORMS[b.record.form].fields.find((f) => f.key === key);
  const base = def?.label ?? key;
  if (b.ts.longLabel === 'inline')
    return { design: design(b, ours), cells: [inlineCell(b, [key], base, key)] };
  return {
    design: design(b, ours),
    cells: [labelCell(b, [key], base, labelWidth), longValue(b, key, 'rest')],
  };
}

const labelOf = (form: FormKind, key: string) => FORMS[form].fields.find((f) => f.key === key)?.label ?? key;

function registrationBlocks(b: Builder): Block[] {
  const { ts } = b;
  const L = (key: string) => labelOf('registration', key);
  const rows: { key: string; row: RowPlan }[] = [];
  const photoText = ts.photoLabel;
  const photoKeys = ['photo'];
  if (ts.layout === 'threePairs') {
    const [a, bb, c, d, e, f, photo] = columns(b, [1100, 1450, 900, 1420, 1150, 1750, 1300]) as number[];
    const triples: [string, string, string][] = [
      ['name', 'gender', 'birthMonth'],
      ['workStart', 'education', 'professionalTitle'],
      ['teamName', 'teamSize', 'phone'],
    ];
    triples.forEach((keys, i) => {
      const cells: CellPlan[] = [];
      const widths = [a, bb, c, d, e, f] as number[];
      keys.forEach((k, j) => {
        cells.push(labelCell(b, [k], L(k), widths[2 * j] as number));
        cells.push(shortValue(b, k, widths[2 * j + 1] as number));
      });
      const photoLabel: PrintedLabel | undefined =
        i === 0 ? { keys: photoKeys, text: photoText, x: [0, 0] } : undefined;
      if (photoLabel) b.labels.push(photoLabel);
      cells.push(mergedCell(b, photoText, photo as number, i === 0, photoLabel));
      rows.push({ key: keys[0], row: { design: design(b, 780), cells, cantSplit: true } });
    });
    rows.push({
      key: 'employerAndPosition',
      row: {
        design: design(b, 780),
        cantSplit: true,
        cells: [
          labelCell(b, ['employerAndPosition'], L('employerAndPosition'), (a as number) + (bb as number)),
          shortValue(b, 'employerAndPosition', 'rest'),
        ],
      },
    });
  } else {
    const [a, bb, c, d, photo] = columns(b, [1300, 2000, 1500, 2270, 2000]) as number[];
    const pairs: [string, string][] = [
      ['name', 'gender'],
      ['birthMonth', 'workStart'],
      ['education', 'professionalTitle'],
      ['teamName', 'teamSize'],
    ];
    pairs.forEach((keys, i) => {
      const cells: CellPlan[] = [
        labelCell(b, [keys[0]], L(keys[0]), a as number),
        shortValue(b, keys[0], bb as number),
        labelCell(b, [keys[1]], L(keys[1]), c as number),
        shortValue(b, keys[1], d as number),
      ];
      const photoLabel: PrintedLabel | undefined =
        i === 0 ? { keys: photoKeys, text: photoText, x: [0, 0] } : undefined;
      if (photoLabel) b.labels.push(photoLabel);
      cells.push(mergedCell(b, photoText, photo as number, i === 0, photoLabel));
      rows.push({ key: keys[0], row: { design: design(b, 700), cells, cantSplit: true } });
    });
    rows.push({
      key: 'phone',
      row: {
        design: design(b, 700),
        cantSplit: true,
        cells: [
          labelCell(b, ['phone'], L('phone'), a as number),
          shortValue(b, 'phone', bb as number),
          labelCell(b, ['employerAndPosition'], L('employerAndPosition'), c as number),
          shortValue(b, 'employerAndPosition', 'rest'),
        ],
      },
    });
  }
  const wide = columns(b, [1400, 7670])[0] as number;
  const narrow = columns(b, [1100, 7970])[0] as number;
  const labelW = ts.widthJitter[7] !== undefined && ts.widthJitter[7] > 1 ? wide : narrow;
  rows.push({ key: 'expertise', row: longRow(b, 'expertise', wide, 3500) });
  rows.push({ key: 'profile', row: longRow(b, 'profile', wide, 4150) });
  rows.push({ key: 'plannedWork', row: longRow(b, 'plannedWork', labelW, 6200) });
  rows.push({ key: 'recommendation.opinion', row: opinionRow(b, 'recommendation', labelW, design(b, 3700)) });
  rows.push({ key: 'approval.opinion', row: opinionRow(b, 'approval', labelW, design(b, 3700)) });
  return split(rows, ts.page2Start);
}

function split(rows: { key: string; row: RowPlan }[], page2Start: string | null): Block[] {
  const at = page2Start === null ? -1 : rows.findIndex((r) => r.key === page2Start);
  if (at <= 0) return [{ rows: rows.map((r) => r.row) }];
  return [
    { rows: rows.slice(0, at).map((r) => r.row) },
    'pageBreak',
    { rows: rows.slice(at).map((r) => r.row) },
  ];
}

const NEEDS = [
  'needs.problems',
  'needs.teamTraining',
  'needs.rdPlatform',
  'needs.techTransfer',
  'needs.majorCooperation',
  'needs.urgentTalent',
] as const;

const NEED_DESIGN = [3500, 2500, 2200, 2200, 2000, 2000];

function demandBlocks(b: Builder): Block[] {
  const { ts } = b;
  const L = (key: string) => labelOf('demand', key);
  const rows: { key: string; row: RowPlan }[] = [];
  const [a, bb, c] = columns(b, [1400, 2600, 2780, 2290]) as number[];
  const pairs: [string, string][] = [
    ['companyName', 'district'],
    ['legalRepresentative', 'legalRepresentativePhone'],
    ['contactPerson', 'contactPhone'],
    ['mainProducts', 'annualOutput'],
  ];
  for (const [k1, k2] of pairs) {
    rows.push({
      key: k1,
      row: {
        design: design(b, 700),
        cantSplit: true,
        cells: [
          labelCell(b, [k1], L(k1), a as number),
          shortValue(b, k1, bb as number),
          labelCell(b, [k2], L(k2), c as number),
          shortValue(b, k2, 'rest'),
        ],
      },
    });
  }
  rows.push({ key: 'techStatus', row: longRow(b, 'techStatus', a as number, 2600) });

  // The six needs: beside a vertical 技术人才需求 block (split where the page breaks), or flat.
  const flat = ts.layout === 'flat';
  const [blockW, subW] = columns(b, [1000, 1600, 6470]) as number[];
  const breakAt = ts.page2Start ? NEEDS.indexOf(ts.page2Start as (typeof NEEDS)[number]) : -1;
  const segments: (readonly string[])[] =
    breakAt > 0 ? [NEEDS.slice(0, breakAt), NEEDS.slice(breakAt)] : [NEEDS];
  const blockText = (seg: number, nSegments: number): string => {
    const hint = '（可选其中一项或多项，要尽可能详实、准确）';
    if (ts.layout === 'verticalOne' || nSegments === 1)
      return `${[...'技术人才需求'].join('\n')}\n${evenBreak(hint, Math.max(2, Math.floor(((blockW as number) - 2 * ts.cellMargin) / (ts.sizes.label * 10))))}`;
    return seg === 0
      ? [...'技术人才需求'].join('\n')
      : evenBreak(
          hint,
          Math.max(2, Math.floor(((blockW as number) - 2 * ts.cellMargin) / (ts.sizes.label * 10))),
        );
  };
  if (flat) {
    for (const [i, key] of NEEDS.entries()) {
      const row = longRow(b, key, a as number, NEED_DESIGN[i] as number);
      rows.push({ key, row });
    }
  } else {
    // verticalOne: one block over all six rows when they share a page.
    segments.forEach((seg, s) => {
      seg.forEach((key, i) => {
        const cells: CellPlan[] = [
          mergedCell(b, blockText(s, segments.length), blockW as number, i === 0),
          labelCell(b, [key], L(key), subW as number),
          longValue(b, key, 'rest'),
        ];
        rows.push({
          key,
          row: {
            design: design(b, NEED_DESIGN[NEEDS.indexOf(key as (typeof NEEDS)[number])] as number),
            cells,
          },
        });
      });
    });
  }
  rows.push({
    key: 'recommendation.opinion',
    row: opinionRow(b, 'recommendation', a as number, design(b, 2600)),
  });
  rows.push({ key: 'approval.opinion', row: opinionRow(b, 'approval', a as number, design(b, 2600)) });
  return split(rows, ts.page2Start);
}

const PROBLEM_HINT = '主要包括发展现状、技术难题、经济技术指标、需要解决的问题及难题攻关的预期效果。';

function problemBlocks(b: Builder): Block[] {
  const { ts } = b;
  const L = (key: string) => labelOf('problem', key);
  const rows: RowPlan[] = [];
  const [a, v1, l2, v2, l3] = columns(b, [1400, 1900, 1000, 1450, 1200, 2120]) as number[];
  rows.push({
    design: design(b, 760),
    cantSplit: true,
    cells: [labelCell(b, ['title'], L('title'), a as number), shortValue(b, 'title', 'rest')],
  });
  if (ts.layout === 'oneRow') {
    rows.push({
      design: design(b, 760),
      cantSplit: true,
      cells: [
        labelCell(b, ['industry'], L('industry'), a as number),
        shortValue(b, 'industry', v1 as number),
        labelCell(b, ['contactPerson'], L('contactPerson'), l2 as number),
        shortValue(b, 'contactPerson', v2 as number),
        labelCell(b, ['contactPhone'], L('contactPhone'), l3 as number),
        shortValue(b, 'contactPhone', 'rest'),
      ],
    });
  } else {
    const half = Math.round((b.width - 2 * (a as number)) / 2);
    rows.push({
      design: design(b, 760),
      cantSplit: true,
      cells: [labelCell(b, ['industry'], L('industry'), a as number), shortValue(b, 'industry', 'rest')],
    });
    rows.push({
      design: design(b, 760),
      cantSplit: true,
      cells: [
        labelCell(b, ['contactPerson'], L('contactPerson'), a as number),
        shortValue(b, 'contactPerson', half),
        labelCell(b, ['contactPhone'], L('contactPhone'), a as number),
        shortValue(b, 'contactPhone', 'rest'),
      ],
    });
  }
  rows.push({
    design: design(b, 760),
    cantSplit: true,
    cells: [labelCell(b, ['address'], L('address'), a as number), shortValue(b, 'address', 'rest')],
  });
  const label = L('description');
  if (ts.descriptionLabel === 'inline') {
    rows.push({
      design: design(b, 8400),
      cells: [inlineCell(b, ['description'], label, 'description', PROBLEM_HINT)],
    });
  } else {
    const lw = Math.round((a as number) * 1.15);
    const cell = labelCell(b, ['description'], label, lw);
    const hint =
      ts.brackets === 'half'
        ? `(${PROBLEM_HINT.replace(/。$/, '')})`
        : `（${PROBLEM_HINT.replace(/。$/, '')}）`;
    const small = { font: ts.fonts.label, size: Math.max(18, ts.sizes.label - 3) };
    rows.push({
      design: design(b, 8400),
      cells: [
        {
          width: lw,
          label: cell.label,
          need: (w) => cell.need(w) + linesOf(ts, hint, w, small) * lineHeight(ts, small),
          render: (w, h) => {
            const base = cell.render(w, h);
            return {
              ...base,
              body:
                base.body +
                ox.para(ox.text(hint, small), { spacing: spacing(ts), align: 'left', mark: small }),
            };
          },
        },
        longValue(b, 'description', 'rest'),
      ],
    });
  }
  return [{ rows }];
}

const NOTE =
  '注：重大技术难题指能够突破产业或行业发展技术瓶颈、显著提升产业竞争力、能够取得自主知识产权的关键技术。';

// ---- fitting and output -------------------------------------------------------------------------

const rowNeed = (r: RowPlan, widths: number[]): number =>
  Math.max(...r.cells.map((c, j) => c.need(widths[j] as number)));

/** Scales design heights so a table's rows fill `target` twips, never below what their text needs. */
function fitHeights(rows: RowPlan[], widths: number[][], target: number): number[] {
  const needs = rows.map((r, i) => rowNeed(r, widths[i] as number[]));
  const heightsFor = (k: number) =>
    rows.map((r, i) => Math.max(needs[i] as number, Math.round(r.design * k)));
  let lo = 0;
  let hi = 4;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (sum(heightsFor(mid)) > target) hi = mid;
    else lo = mid;
  }
  return heightsFor(lo);
}

function resolveWidths(row: RowPlan, width: number): number[] {
  const fixed = row.cells.reduce((s, c) => s + (c.width === 'rest' ? 0 : c.width), 0);
  return row.cells.map((c) => (c.width === 'rest' ? width - fixed : c.width));
}

function bordersXml(ts: Typesetting): string {
  const rule = (side: string, sz: number) =>
    `<w:${side} w:val="single" w:sz="${sz}" w:space="0" w:color="000000"/>`;
  const inner = ts.borders.inner || ts.borders.outer;
  return (
    ['top', 'left', 'bottom', 'right'].map((s) => rule(s, ts.borders.outer)).join('') +
    ['insideH', 'insideV'].map((s) => rule(s, inner)).join('')
  );
}

interface Built {
  body: string;
  labels: PrintedLabel[];
  /** Estimated height the rows' text needs beyond the room on the page (twips; negative: room left). */
  overflow: number;
}

function build(record: SubmissionRecord, ts: Typesetting): Built {
  if (record.form !== ts.form)
    throw new Error(`record ${record.id} is a ${record.form}, typesetting a ${ts.form}`);
  const b: Builder = { ts, record, labels: [], width: textWidth(ts), row: 0 };
  const head = heading(b);
  const blocks = { registration: registrationBlocks, demand: demandBlocks, problem: problemBlocks }[
    record.form
  ](b);
  const tables = blocks.filter((x): x is { rows: RowPlan[] } => x !== 'pageBreak');
  const pageHeight = PAGE.height - ts.margins.top - ts.margins.bottom;
  const noteHeight =
    record.form === 'problem' && ts.note
      ? Math.ceil((ems(NOTE) * ts.sizes.label * 10) / b.width + 1) *
          lineHeight(ts, { font: ts.fonts.label, size: ts.sizes.label }) +
        120
      : 0;
  // Room on each page: the heading takes page 1's top; a continuous table spreads over all pages.
  const pages = FORMS[record.form].pages;
  const free = (i: number, n: number) =>
    n === 1 && tables.length === 1
      ? pages * pageHeight - head.height - noteHeight - 300 * pages
      : (i === 0 ? pageHeight - head.height : pageHeight) - 300;
  const parts: string[] = [head.xml];
  let t = 0;
  let overflow = Number.NEGATIVE_INFINITY;
  for (const block of blocks) {
    if (block === 'pageBreak') {
      // A one-point paragraph that starts page 2 (break before, not a break inside it: when page 1
      // is full the paragraph lands on page 2 by itself, and no empty page appears).
      parts.push(
        '<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>' +
          '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>',
      );
      continue;
    }
    const widths = block.rows.map((r) => resolveWidths(r, b.width));
    block.rows.forEach((r, i) => {
      let x = 0;
      r.cells.forEach((c, j) => {
        const w = (widths[i] as number[])[j] as number;
        if (c.label) c.label.x = [x, x + w];
        x += w;
      });
    });
    const avail = free(t, tables.length);
    const heights = fitHeights(block.rows, widths, avail * ts.fill);
    const needed = sum(block.rows.map((r, i) => rowNeed(r, widths[i] as number[])));
    overflow = Math.max(overflow, needed - avail);
    const rows: ox.Row[] = block.rows.map((r, i) => ({
      height: heights[i] as number,
      cantSplit: r.cantSplit,
      cells: r.cells.map((c, j) => c.render((widths[i] as number[])[j] as number, heights[i] as number)),
    }));
    parts.push(ox.table(rows, { width: b.width, borders: bordersXml(ts), cellMargin: ts.cellMargin }));
    t++;
  }
  if (record.form === 'problem' && ts.note) {
    const style = { font: ts.fonts.label, size: ts.sizes.label };
    parts.push(
      ox.para(ox.text(NOTE, style), {
        spacing: { before: 120, after: 0, line: 240, rule: 'auto' },
        mark: style,
      }),
    );
  } else parts.push(ox.hairline());
  return { body: parts.join(''), labels: b.labels, overflow };
}

/** Settles the title break once sizes are known: one line when it fits (and the dice say so). */
export function settleTitle(ts: Typesetting, rng: Random): Typesetting {
  const title = FORMS[ts.form].title;
  const fits = ems(title) * ts.sizes.title * 10 <= textWidth(ts) * 0.95;
  const ours = ts.form === 'registration' ? 16 : Math.ceil([...title].length / 2);
  const mid = Math.ceil([...title].length / 2);
  ts.titleBreak =
    fits && chance(rng, 0.6) ? null : pick(rng, [ours, mid, Math.min(title.length - 2, mid + 2)]);
  return ts;
}

// Fixed zip entry dates: the same record and typesetting give the same bytes.
const ZIP_DATE = new Date('2020-05-01T00:00:00Z');

export function typesetDocx(record: SubmissionRecord, ts: Typesetting): Buffer {
  const { body } = build(record, ts);
  const page = { ...PAGE, ...ts.margins };
  return ox.packageDocx({
    title: FORMS[record.form].title,
    application: 'Microsoft Office Word',
    document: ox.documentXml(body, page),
    styles: ox.stylesXml({ font: ts.fonts.value, size: ts.sizes.value }, []),
    date: ZIP_DATE,
  });
}

/**
 * Whether the record's texts fit the typesetting's pages by the estimate (LibreOffice has the last
 * word): the height they need beyond the room, in twips; negative when there is room left.
 */
export function estimateOverflow(record: SubmissionRecord, ts: Typesetting): number {
  return build(record, ts).overflow;
}

/** The labels printed on the form, in document order, each with the field keys it stands for. */
export function printedLabels(record: SubmissionRecord, ts: Typesetting): PrintedLabel[] {
  // Label texts are settled when widths are resolved, which build does.
  return build(record, ts).labels;
}
