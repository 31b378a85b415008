// Check: the field and programme rules (validateRecord) over the stored records with corrections
// applied, plus the rules across records. Issues are data: this never throws on a bad record.
//
// A record's issues are rebuilt each time from three parts:
//   - what the reading found that the values alone cannot show (a value that did not parse, low
//     confidence, a missing page), minus what concerns a field a person has since corrected, and
//     minus low confidence once a person has approved the record;
//   - validateRecord on the current values (so a correction clears or raises rule issues);
//   - the cross-record rules of ./cross.ts.
import { validateRecord } from '../domain/index.js';
import type { CheckContext } from '../domain/rules.js';
import { FORMS } from '../forms/index.js';
import { currentRecord, titleOf } from '../store/index.js';
import type { RecordStatus, RecordStore, StoredRecord } from '../store/types.js';
import type { FormKind, Issue, Severity, SubmissionRecord } from '../types.js';
import { crossRecordIssues } from './cross.js';

export { CROSS_CATALOGUE, CROSS_CODES, crossRecordIssues, normalizeCompanyName } from './cross.js';

export interface RecordCheck {
  id: string;
  form: FormKind;
  title: string;
  status: RecordStatus;
  copyOf?: string;
  issues: Issue[];
}

export interface CheckSummary {
  records: number;
  byForm: Record<FormKind, number>;
  copies: number;
  recordsWithIssues: number;
  bySeverity: Record<Severity, number>;
  byCode: Record<string, number>;
}

export interface CheckReport {
  records: RecordCheck[];
  summary: CheckSummary;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const keyOf = (i: Issue) => `${i.code}|${i.field ?? ''}`;

/** The record as it was read, before any correction. */
function readRecord(stored: StoredRecord): SubmissionRecord {
  const fields: SubmissionRecord['fields'] = {};
  for (const [key, f] of Object.entries(stored.fields)) {
    if (f.read) fields[key] = { value: f.read.value, confidence: f.read.confidence };
  }
  return { id: stored.id, form: stored.form, sources: stored.sources, fields, issues: [] };
}

export function checkRecords(stored: readonly StoredRecord[], ctx: CheckContext = {}): CheckReport {
  const current = stored.map(currentRecord);
  const cross = crossRecordIssues(current);
  const own = new Map<string, Issue[]>();

  const records = stored.map((s, i): RecordCheck => {
    const record = current[i] as SubmissionRecord;
    // Rule issues found at ingest are recomputed below from current values; what remains of the
    // read issues is what only the reading knew.
    const rulesAtRead = new Set(validateRecord(readRecord(s), ctx).map(keyOf));
    const fromReading = record.issues.filter(
      (issue) =>
        issue.code !== 'duplicate_copy' &&
        !rulesAtRead.has(keyOf(issue)) &&
        !(s.status === 'verified' && issue.code === 'low_confidence'),
    );
    const issues = dedupe([...fromReading, ...validateRecord(record, ctx)]);
    own.set(s.id, issues);
    return { id: s.id, form: s.form, title: titleOf(s), status: s.status, issues };
  });

  records.forEach((r, i) => {
    const s = stored[i] as StoredRecord;
    if (s.copyOf) {
      r.copyOf = s.copyOf;
      // A second copy repeats its first copy's rule issues: report them once, on the first copy.
      const first = new Set((own.get(s.copyOf) ?? []).map((i) => `${keyOf(i)}|${i.message}`));
      r.issues = r.issues.filter((i) => !first.has(`${keyOf(i)}|${i.message}`));
    }
    r.issues = sortIssues(r.form, dedupe([...r.issues, ...(cross.get(r.id) ?? [])]));
  });
  return { records, summary: summarise(records) };
}

/** Checks every record in the store. */
export async function checkStore(store: RecordStore, ctx: CheckContext = {}): Promise<CheckReport> {
  return checkRecords(await store.listRecords(), ctx);
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${keyOf(i)}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortIssues(form: FormKind, issues: Issue[]): Issue[] {
  const order = new Map(FORMS[form].fields.map((f, i) => [f.key, i]));
  const pos = (i: Issue) => (i.field === undefined ? -1 : (order.get(i.field) ?? 999));
  return issues
    .map((issue, n) => ({ issue, n }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.issue.severity] - SEVERITY_ORDER[b.issue.severity] ||
        pos(a.issue) - pos(b.issue) ||
        a.n - b.n,
    )
    .map((x) => x.issue);
}

function summarise(records: readonly RecordCheck[]): CheckSummary {
  const byForm = { registration: 0, demand: 0, problem: 0 } as Record<FormKind, number>;
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byCode: Record<string, number> = {};
  for (const r of records) {
    if (!r.copyOf) byForm[r.form]++;
    for (const i of r.issues) {
      bySeverity[i.severity]++;
      byCode[i.code] = (byCode[i.code] ?? 0) + 1;
    }
  }
  return {
    records: records.length,
    byForm,
    copies: records.filter((r) => r.copyOf).length,
    recordsWithIssues: records.filter((r) => r.issues.length > 0).length,
    bySeverity,
    byCode,
  };
}
