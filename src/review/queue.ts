// The review queue: the pending records with fields a person must look at, worst first — most such
// fields, then the least sure reading, then the most errors, then the order they came in. The
// store only keeps records and says which fields need review (src/domain/review-rule.ts); the
// order a reviewer works in is decided here.
import { fieldDef } from '../forms/index.js';
import { titleOf } from '../store/index.js';
import type { RecordStore, ReviewItem } from '../store/types.js';
import type { FormKind } from '../types.js';

export async function reviewQueue(
  store: RecordStore,
  options: { form?: FormKind; limit?: number } = {},
): Promise<ReviewItem[]> {
  const items = (await store.listRecords({ form: options.form, status: 'pending' }))
    .map((r): ReviewItem & { seq: number } => {
      const fields = Object.entries(r.fields)
        .filter(([, f]) => f.needsReview)
        .map(([key, f]) =>
          withoutUndefined({
            key,
            label: fieldDef(r.form, key)?.label ?? key,
            value: f.value,
            raw: f.read?.raw,
            confidence: f.read?.confidence ?? 0,
            crop: f.read?.crop,
          }),
        );
      return {
        id: r.id,
        form: r.form,
        title: titleOf(r),
        fields,
        minConfidence: Math.min(1, ...fields.map((f) => f.confidence)),
        errors: r.readIssues.filter((i) => i.severity === 'error').length,
        seq: r.seq,
      };
    })
    .filter((i) => i.fields.length > 0)
    .sort(
      (a, b) =>
        b.fields.length - a.fields.length ||
        a.minConfidence - b.minConfidence ||
        b.errors - a.errors ||
        a.seq - b.seq,
    )
    .map(({ seq: _, ...item }) => item);
  return options.limit === undefined ? items : items.slice(0, options.limit);
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
