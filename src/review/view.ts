// What the review page shows of a record: every field with its Chinese label, and for the fields a
// person must look at, why (the reading's own message) and what the rules say about the current
// value. Built from the store and the same check as `xietong check`, so the page and the command
// never disagree about a record's issues.
import { createHash } from 'node:crypto';
import { checkRecords } from '../check/index.js';
import { BLANK_CONFIDENCE, REVIEW_THRESHOLD } from '../domain/review-rule.js';
import type { FieldKind } from '../forms/index.js';
import { FORMS, fieldDef } from '../forms/index.js';
import { titleOf } from '../store/index.js';
import type { RecordStore, Scalar, StoredField, StoredRecord } from '../store/types.js';
import type { FormKind, Issue, Severity } from '../types.js';

export interface IssueView {
  severity: Severity;
  code: string;
  message: string;
}

export interface FieldView {
  key: string;
  label: string;
  kind: FieldKind;
  value: Scalar;
  /** The value as a person types it (blank for null, 是/否 for booleans). */
  text: string;
  needsReview: boolean;
  /** Flagged when read: stays true after a correction, so the row keeps its place on the page. */
  flagged: boolean;
  confidence?: number;
  raw?: string;
  /** The second OCR reader's reading, where the two readers disagree. */
  other?: string;
  /** The reading's crop exists: the page asks /crop/<id>/<key> for it. */
  hasCrop: boolean;
  /** Why the field was flagged, in Chinese. */
  reason?: string;
  /** Rule messages about the current value. */
  issues: IssueView[];
  correction?: { by: string; at: string; oldText: string; newText: string };
  /** Long text: a textarea on the page. */
  multiline: boolean;
}

export interface RecordView {
  id: string;
  form: FormKind;
  formName: string;
  title: string;
  status: StoredRecord['status'];
  /** Changes whenever a value changes: an approval names the version it saw. */
  version: string;
  review?: { action: string; by: string; at: string };
  sources: string[];
  /** Sources whose whole page can be shown (scans and PDF pages; not typed forms): /page/<id>/<index>. */
  pages: { index: number; label: string }[];
  /** Issues that concern the whole record, not one field. */
  issues: IssueView[];
  fields: FieldView[];
}

export interface QueueEntry {
  id: string;
  form: FormKind;
  formName: string;
  title: string;
  /** Fields still needing review. */
  flagged: number;
  minConfidence: number;
  status: StoredRecord['status'];
}

export const textOf = (v: Scalar | undefined): string =>
  v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v);

const issueView = (i: Issue): IssueView => ({ severity: i.severity, code: i.code, message: i.message });

/** Files whose page can be drawn for the reviewer: images, and PDF pages (rasterised on request). */
export const PAGE_SOURCE = /\.(png|jpe?g|tiff?|webp|pdf)$/i;

const MULTILINE: ReadonlySet<FieldKind> = new Set(['longText', 'opinion']);

/** The record as the page shows it, or undefined when the store does not know it. */
export async function recordView(store: RecordStore, id: string): Promise<RecordView | undefined> {
  const all = await store.listRecords();
  const record = all.find((r) => r.id === id);
  if (!record) return undefined;
  // Cross-record rules (一式二份, duplicates) need every record, as in `xietong check`.
  const report = checkRecords(all);
  const issues = report.records.find((r) => r.id === id)?.issues ?? [];
  const fields = Object.entries(record.fields)
    // A photo's value is the crop's path: nothing a person types.
    .filter(([key]) => fieldDef(record.form, key)?.kind !== 'photo')
    .map(([key, f]) => fieldView(record, key, f, issues));
  const view: RecordView = {
    id: record.id,
    form: record.form,
    formName: FORMS[record.form].shortName,
    title: titleOf(record),
    status: record.status,
    version: versionOf(record),
    sources: record.sources.map((s) => `${s.file}${s.page ? ` 第${s.page}页` : ''}`),
    pages: record.sources.flatMap((s, index) =>
      PAGE_SOURCE.test(s.file) ? [{ index, label: `整页 ${index + 1}` }] : [],
    ),
    issues: issues.filter((i) => i.field === undefined || !(i.field in record.fields)).map(issueView),
    fields,
  };
  if (record.review)
    view.review = { action: record.review.action, by: record.review.by, at: record.review.at };
  return view;
}

/** A digest of the record's current values: what a reviewer approves is what they saw. */
export function versionOf(record: StoredRecord): string {
  const values = Object.keys(record.fields)
    .sort()
    .map((k) => [k, record.fields[k]?.value ?? null]);
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16);
}

/** The printed label, or the spreadsheet header where two cells print the same label (联系电话). */
function labelOf(form: FormKind, key: string): string {
  const def = fieldDef(form, key);
  if (!def) return key;
  const twice = FORMS[form].fields.filter((f) => f.label === def.label).length > 1;
  return twice ? def.header : def.label;
}

function fieldView(record: StoredRecord, key: string, f: StoredField, issues: readonly Issue[]): FieldView {
  const def = fieldDef(record.form, key);
  const readIssue = record.readIssues.find((i) => i.field === key && i.code === 'low_confidence');
  const confidence = f.read?.confidence;
  const lowAtRead =
    readIssue !== undefined ||
    (confidence !== undefined &&
      confidence < REVIEW_THRESHOLD &&
      !(f.read?.value === null && confidence >= BLANK_CONFIDENCE));
  const view: FieldView = {
    key,
    label: labelOf(record.form, key),
    kind: def?.kind ?? 'text',
    value: f.value,
    text: textOf(f.value),
    needsReview: f.needsReview,
    flagged: f.needsReview || lowAtRead,
    hasCrop: Boolean(f.read?.crop),
    // The low-confidence message is the reason; the rules speak about the value itself.
    issues: issues.filter((i) => i.field === key && i.code !== 'low_confidence').map(issueView),
    multiline: MULTILINE.has(def?.kind ?? 'text'),
  };
  if (confidence !== undefined) view.confidence = confidence;
  if (f.read?.raw !== undefined) view.raw = f.read.raw;
  if (f.read?.other !== undefined) view.other = f.read.other;
  if (view.flagged) {
    view.reason =
      readIssue?.message ??
      `${view.label}：识别把握不足（${Math.round((confidence ?? 0) * 100)}%），请人工核对。`;
  }
  if (f.correction) {
    view.correction = {
      by: f.correction.by,
      at: f.correction.at,
      oldText: textOf(f.correction.oldValue),
      newText: textOf(f.correction.newValue),
    };
  }
  return view;
}
