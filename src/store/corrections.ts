// Corrections and history: a person's correction of a field (checked against the field's value
// schema and the version the person saw), and the whole story of a record — readings, re-readings,
// corrections, approvals — in order.
import { valueSchemaOf } from '../forms/fields.js';
import { FORMS, fieldDef } from '../forms/index.js';
import {
  CorrectionRow,
  IDENTITY_KEYS,
  parseRows,
  ReadingRow,
  ReviewRow,
  type StoreCore,
  sameScalar,
  stripUndefined,
  toCorrection,
  toReading,
  toReview,
} from './rows.js';
import {
  type Correction,
  type CorrectionInput,
  CorrectionInputSchema,
  type HistoryEvent,
  type Scalar,
  ScalarSchema,
  StoreError,
} from './types.js';

export async function correctField(
  s: StoreCore,
  id: string,
  key: string,
  input: CorrectionInput,
): Promise<Correction> {
  const parsed = CorrectionInputSchema.safeParse(input);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new StoreError('invalid_input', `更正内容无效：${msg}`, `Invalid correction: ${msg}`);
  }
  const { value, by, reason, expected } = parsed.data;
  const form = s.formOf(id);
  const def = fieldDef(form, key);
  if (!def) {
    throw new StoreError(
      'unknown_field',
      `${FORMS[form].shortName}没有字段「${key}」。`,
      `The ${form} form has no field "${key}".`,
    );
  }
  const valueCheck = valueSchemaOf(def.kind).safeParse(value);
  if (!valueCheck.success) {
    throw new StoreError(
      'invalid_value',
      `「${def.label}」的值 ${JSON.stringify(value)} 不是规定格式：${valueCheck.error.issues[0]?.message ?? ''}`,
      `${JSON.stringify(value)} is not a valid value for ${key} (${def.kind}): ${valueCheck.error.issues[0]?.message ?? ''}`,
    );
  }
  const correction = s.db
    .transaction((): Correction => {
      const current = currentValue(s, id, key);
      if (expected !== undefined && !sameScalar(expected, current)) {
        throw new StoreError(
          'conflict',
          `「${def.label}」已被改为 ${JSON.stringify(current)}（不是 ${JSON.stringify(expected)}），请刷新后重试。`,
          `${key} is now ${JSON.stringify(current)}, not ${JSON.stringify(expected)}: reload and try again.`,
        );
      }
      const at = s.stamp();
      const info = s.db
        .prepare(
          'INSERT INTO corrections (record_id, key, old_value, new_value, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, key, JSON.stringify(current), JSON.stringify(value), at, by, reason ?? null);
      return stripUndefined({
        id: Number(info.lastInsertRowid),
        recordId: id,
        field: key,
        oldValue: current,
        newValue: value as Scalar,
        at,
        by,
        reason,
      });
    })
    .immediate();
  // A corrected name or phone can make two records copies of each other, or no longer.
  if (IDENTITY_KEYS.has(key)) s.relink();
  return correction;
}

export function currentValue(s: StoreCore, id: string, key: string): Scalar {
  const row = (s.db
    .prepare(
      'SELECT new_value AS v FROM corrections WHERE record_id = ? AND key = ? ORDER BY id DESC LIMIT 1',
    )
    .get(id, key) ??
    s.db
      .prepare('SELECT value AS v FROM readings WHERE record_id = ? AND key = ? ORDER BY id DESC LIMIT 1')
      .get(id, key)) as { v: string } | undefined;
  return row ? ScalarSchema.parse(JSON.parse(row.v)) : null;
}

export async function history(s: StoreCore, id: string, key?: string): Promise<HistoryEvent[]> {
  s.formOf(id);
  const byKey = key === undefined ? '' : ' AND key = ?';
  const args = key === undefined ? [id] : [id, key];
  const readings = parseRows(
    ReadingRow,
    s.db.prepare(`SELECT * FROM readings WHERE record_id = ?${byKey} ORDER BY id`).all(...args),
    'readings',
  );
  const corrections = parseRows(
    CorrectionRow,
    s.db.prepare(`SELECT * FROM corrections WHERE record_id = ?${byKey} ORDER BY id`).all(...args),
    'corrections',
  );
  const reviews =
    key === undefined
      ? parseRows(
          ReviewRow,
          s.db.prepare('SELECT * FROM reviews WHERE record_id = ? ORDER BY id').all(id),
          'reviews',
        )
      : [];
  const seen = new Set<string>();
  const events: (HistoryEvent & { order: number })[] = [
    ...readings.map((r) => {
      const kind = seen.has(r.key) ? ('reread' as const) : ('read' as const);
      seen.add(r.key);
      return { kind, field: r.key, ...toReading(r), order: 0 };
    }),
    ...corrections.map((c) => ({ kind: 'correction' as const, ...toCorrection(c), order: 1 })),
    ...reviews.map((r) => {
      const { action, ...rest } = toReview(r);
      return { kind: action, ...rest, order: 2 };
    }),
  ];
  const at = (e: HistoryEvent) => ('readAt' in e ? e.readAt : e.at);
  events.sort((a, b) => at(a).localeCompare(at(b)) || a.order - b.order || a.id - b.id);
  return events.map(({ order: _, ...e }) => e as HistoryEvent);
}
