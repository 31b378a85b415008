// 一式二份: the registration form is handed in twice. The second copy is linked to the first
// (copyOf) instead of being counted as another applicant; disagreements between the two copies
// are left for `xietong check` to report.
import type { FormKind, SubmissionRecord } from '../types.js';

/** The fields that make two records copies of one submission. */
export const IDENTITY: Record<FormKind, readonly string[]> = {
  registration: ['name', 'birthMonth', 'phone'],
  demand: ['companyName'],
  problem: ['title', 'contactPerson'],
};

function identity(r: SubmissionRecord): string | undefined {
  const parts = IDENTITY[r.form].map((k) => r.fields[k]?.value);
  if (parts.some((p) => p === null || p === undefined || p === '')) return undefined;
  return `${r.form}|${parts.map((p) => String(p).replace(/\s+/g, '')).join('|')}`;
}

export function linkCopies(records: SubmissionRecord[]): SubmissionRecord[] {
  const first = new Map<string, SubmissionRecord>();
  return records.map((r) => {
    const key = identity(r);
    if (!key) return r;
    const original = first.get(key);
    if (!original) {
      first.set(key, r);
      return r;
    }
    return {
      ...r,
      copyOf: original.id,
      issues: [
        ...r.issues,
        {
          code: 'duplicate_copy',
          severity: 'info',
          message: `这是 ${original.id} 的另一份（一式二份），不重复计数。`,
          messageEn: `Second copy of ${original.id} (handed in twice); not counted again.`,
        },
      ],
    };
  });
}
