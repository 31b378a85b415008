// Records for store, check and export tests: the fictional samples, and a way to vary them.
import { readFileSync } from 'node:fs';
import type { FieldValues, SubmissionRecord } from '../../src/types.js';

export function sampleRecords(): SubmissionRecord[] {
  return ['registration', 'demand', 'problem'].flatMap(
    (kind) => JSON.parse(readFileSync(`samples/records/${kind}.json`, 'utf8')) as SubmissionRecord[],
  );
}

export function sample(id: string): SubmissionRecord {
  const r = sampleRecords().find((s) => s.id === id);
  if (!r) throw new Error(`no sample ${id}`);
  return structuredClone(r);
}

/** A copy of a record with another id and some fields changed (value and raw). */
export function variant(
  record: SubmissionRecord,
  id: string,
  changes: Record<string, { value: string | number | boolean | null; confidence?: number }>,
): SubmissionRecord {
  const r = structuredClone(record);
  r.id = id;
  r.sources = [{ file: `docx/${id}.docx`, sha256: `sha-${id}` }];
  for (const [key, c] of Object.entries(changes)) {
    r.fields[key] = {
      value: c.value,
      ...(c.value === null ? {} : { raw: String(c.value) }),
      confidence: c.confidence ?? 1,
    };
  }
  return r;
}

export const valuesOf = (r: SubmissionRecord): FieldValues =>
  Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v.value]));

/** A clock that moves one second per call, so event order is plain in history. */
export function steppingClock(start = '2020-06-01T08:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}
