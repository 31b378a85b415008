// What goes into the 汇总表, planned as plain data before any file is written: one sheet per form,
// its columns (Chinese headers from the field definitions, widths from the content) and one row per
// submission — second copies (一式二份) are left out, their differences reported on the first copy.
// The .xlsx and the CSV files are both written from this plan, and tests compare against it.
import type { CheckReport } from '../check/index.js';
import type { FieldKind } from '../forms/fields.js';
import { FORMS } from '../forms/index.js';
import type { StoredRecord } from '../store/types.js';
import { FORM_KINDS, type FormKind, type Issue, type Severity } from '../types.js';

export type Cell = string | number | null;

export interface Column {
  /** Field key, or one of the extra columns (#index, #status …). */
  key: string;
  header: string;
  fieldKind?: FieldKind;
  /** Excel character units. */
  width: number;
  wrap: boolean;
}

export interface CellNote {
  column: number;
  kind: 'review' | 'corrected';
  text: string;
}

export interface SheetRow {
  id: string;
  cells: Cell[];
  notes: CellNote[];
  verified: boolean;
  hasErrors: boolean;
  /** Text lines of the tallest cell once wrapped at its column's width (rows are sized to it). */
  lines: number;
}

export interface SheetPlan {
  form: FormKind;
  /** Sheet name: the form's Chinese short name (报名表, 企业需求表, 难题征集表). */
  name: string;
  columns: Column[];
  rows: SheetRow[];
}

export const STATUS_TEXT = { pending: '待审核', verified: '已核对' } as const;
const SEVERITY_TAG: Record<Severity, string> = { error: '【错误】', warning: '【警告】', info: '【提示】' };

/** Width on screen: CJK and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      c >= 0x20000
        ? 2
        : 1;
  }
  return w;
}

/** The store keeps UTC; people read the time of the machine they are at (Beijing time at the bureau). */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function cellOf(value: unknown): Cell {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return value;
  return String(value);
}

export const issuesText = (issues: readonly Issue[]): string | null =>
  issues.length === 0 ? null : issues.map((i) => `${SEVERITY_TAG[i.severity]}${i.message}`).join('\n');

const HEADER_FIELDS = new Set(['fillingUnit', 'fillingDate']);
// Long text wraps in a wide column; short fields size to their content.
const MAX_WIDTH: Partial<Record<FieldKind | 'issues', number>> = {
  longText: 50,
  opinion: 30,
  text: 30,
  issues: 60,
};
const WRAPPED: ReadonlySet<string> = new Set(['longText', 'opinion', 'text', 'issues']);

export function planSheets(records: readonly StoredRecord[], report: CheckReport): SheetPlan[] {
  const issuesById = new Map(report.records.map((r) => [r.id, r.issues]));
  return FORM_KINDS.map((form): SheetPlan => {
    const def = FORMS[form];
    const fieldDefs = [
      ...def.fields.filter((f) => !HEADER_FIELDS.has(f.key) && f.kind !== 'photo'),
      ...def.fields.filter((f) => HEADER_FIELDS.has(f.key)),
    ];
    const columns: Column[] = [
      { key: '#index', header: '序号', width: 0, wrap: false },
      ...fieldDefs.map((f) => ({ key: f.key, header: f.header, fieldKind: f.kind, width: 0, wrap: false })),
      { key: '#status', header: '状态', width: 0, wrap: false },
      { key: '#verifiedBy', header: '核对人', width: 0, wrap: false },
      { key: '#verifiedAt', header: '核对时间', width: 0, wrap: false },
      { key: '#issues', header: '问题', width: 0, wrap: true },
      { key: '#id', header: '记录编号', width: 0, wrap: false },
      { key: '#sources', header: '来源文件', width: 0, wrap: true },
    ];
    const rows = records
      .filter((r) => r.form === form && !r.copyOf)
      .map((r, n): SheetRow => {
        const issues = issuesById.get(r.id) ?? [];
        const verified = r.status === 'verified';
        const notes: CellNote[] = [];
        const cells = columns.map((c, col): Cell => {
          switch (c.key) {
            case '#index':
              return n + 1;
            case '#status':
              return STATUS_TEXT[r.status];
            case '#verifiedBy':
              return verified ? (r.review?.by ?? null) : null;
            case '#verifiedAt':
              return verified && r.review ? localTime(r.review.at) : null;
            case '#issues':
              return issuesText(issues);
            case '#id':
              return r.id;
            case '#sources':
              return r.sources.map((s) => `${s.file}${s.page ? ` 第${s.page}页` : ''}`).join('\n') || null;
          }
          const f = r.fields[c.key];
          if (f?.correction) {
            const was = cellOf(f.read?.value) ?? '空';
            notes.push({
              column: col,
              kind: 'corrected',
              text: `已更正：原识别「${was}」（${f.correction.by}，${localTime(f.correction.at)}${f.correction.reason ? `，${f.correction.reason}` : ''}）`,
            });
          } else if (f?.needsReview && !verified) {
            notes.push({
              column: col,
              kind: 'review',
              text: `识别把握不足（${Math.round((f.read?.confidence ?? 0) * 100)}%），请对照原件核对`,
            });
          }
          return cellOf(f?.value);
        });
        return {
          id: r.id,
          cells,
          notes,
          verified,
          hasErrors: issues.some((i) => i.severity === 'error'),
          lines: 1,
        };
      });
    for (const [i, c] of columns.entries()) {
      const kind = c.key === '#issues' ? 'issues' : c.fieldKind;
      const longest = Math.max(
        0,
        ...rows.map((r) => {
          const v = r.cells[i];
          return v === null || v === undefined ? 0 : Math.max(...String(v).split('\n').map(displayWidth));
        }),
      );
      // Headers wrap too, so a long header over a 是/否 column does not make it wide.
      const natural = Math.max(longest, Math.min(displayWidth(c.header), 12), 4) + 2;
      const cap = (kind && MAX_WIDTH[kind as keyof typeof MAX_WIDTH]) ?? 40;
      c.width = Math.min(natural, cap);
      c.wrap = c.wrap || (kind !== undefined && WRAPPED.has(kind) && natural > cap);
    }
    // Neither Excel nor LibreOffice reliably grows a row for wrapped text it did not lay out itself:
    // the rows get explicit heights from an estimate of the wrapped lines.
    for (const row of rows) {
      row.lines = Math.max(
        1,
        ...row.cells.map((v, i) => {
          const c = columns[i];
          if (v === null || !c) return 1;
          const usable = Math.max(1, c.width - 1.5);
          return String(v)
            .split('\n')
            .reduce((n, line) => n + (c.wrap ? Math.max(1, Math.ceil(displayWidth(line) / usable)) : 1), 0);
        }),
      );
    }
    return { form, name: def.shortName, columns, rows };
  });
}
