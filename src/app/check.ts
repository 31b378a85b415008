// Use case: check every stored record. The report is the one `xietong check` prints; the workbench
// shows the rule problems apart from OCR doubts (those belong to 核对, field by field).
import { type CheckReport, checkStore, type RecordCheck } from '../check/index.js';
import type { RecordStore } from '../store/types.js';
import type { Issue } from '../types.js';

export interface CheckOptions {
  /** Date for the service-years rule when a form has no filling date. */
  referenceDate?: string;
}

export interface CheckOutcome {
  report: CheckReport;
  /** Records with rule problems (what a person must fix or accept), OCR doubts left out. */
  problems: RecordCheck[];
  /** How many OCR doubts (low confidence, readers disagreeing) remain, for the pointer to 核对. */
  doubts: number;
}

/** An issue about how sure the reading is, not about what the form says. */
export const isOcrDoubt = (issue: Issue): boolean => issue.code === 'low_confidence';

export async function checkAll(store: RecordStore, options: CheckOptions = {}): Promise<CheckOutcome> {
  const report = await checkStore(
    store,
    options.referenceDate ? { referenceDate: options.referenceDate } : {},
  );
  let doubts = 0;
  const problems: RecordCheck[] = [];
  for (const r of report.records) {
    const rules = r.issues.filter((i) => !isOcrDoubt(i));
    doubts += r.issues.length - rules.length;
    if (rules.length > 0) problems.push({ ...r, issues: rules });
  }
  return { report, problems, doubts };
}
