// Use case: approve records. A record with nothing uncertain (a filled .docx form: every value typed,
// none flagged) still waits for a person's approval; approving them one by one is busywork, so they
// can be approved together — each named with the version the person saw, and none approved when
// any of them changed since (another reviewer's correction must be looked at first).
import { FORMS } from '../forms/index.js';
import { reviewQueue } from '../review/queue.js';
import { versionOf } from '../review/view.js';
import { titleOf } from '../store/index.js';
import type { RecordStore } from '../store/types.js';
import type { FormKind } from '../types.js';

export interface Approvable {
  id: string;
  form: FormKind;
  formName: string;
  title: string;
  /** What the person saw: approving names it back. */
  version: string;
}

/** Pending records no field of which needs review. */
export async function approvableRecords(store: RecordStore): Promise<Approvable[]> {
  const uncertain = new Set((await reviewQueue(store)).map((q) => q.id));
  return (await store.listRecords({ status: 'pending' }))
    .filter((r) => !uncertain.has(r.id))
    .map((r) => ({
      id: r.id,
      form: r.form,
      formName: FORMS[r.form].shortName,
      title: titleOf(r),
      version: versionOf(r),
    }));
}

export interface ApproveAllInput {
  by: string;
  note?: string;
  /** Record id → the version the person saw. */
  versions: Readonly<Record<string, string>>;
}

export type ApproveAllOutcome =
  | { ok: true; approved: string[] }
  /** Nothing approved: these records changed, gained a doubt, were approved meanwhile or are gone. */
  | { ok: false; changed: string[] };

export async function approveAll(store: RecordStore, input: ApproveAllInput): Promise<ApproveAllOutcome> {
  const now = new Map((await approvableRecords(store)).map((a) => [a.id, a.version]));
  const ids = Object.keys(input.versions);
  const changed = ids.filter((id) => now.get(id) !== input.versions[id]);
  if (changed.length > 0) return { ok: false, changed };
  const approved: string[] = [];
  for (const id of ids) {
    await store.approveRecord(id, { by: input.by, note: input.note });
    approved.push(id);
  }
  return { ok: true, approved };
}
