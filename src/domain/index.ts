// The domain model: normal forms, identifiers, vocabularies, the issue catalogue and the programme's
// rules. `validateRecord` is the check stage's core: schema and rules in, Issues out, never an exception.
import { FORMS, VALUES_SCHEMAS } from '../forms/index.js';
import type { FieldValues, Issue, SubmissionRecord } from '../types.js';
import { makeIssue } from './issues.js';
import { type CheckContext, checkValues } from './rules.js';

export * from './ids.js';
export * from './issues.js';
export * from './normalize.js';
export * from './rules.js';
export * from './vocabulary.js';

/** The record's values by field key, without raw text and provenance. */
export function valuesOf(record: SubmissionRecord): FieldValues {
  return Object.fromEntries(Object.entries(record.fields).map(([key, field]) => [key, field.value]));
}

/**
 * Schema problems (a value not in its normal form, a key the form does not define) and programme
 * rules for one record. Where a rule already explains a field, the generic schema issue for the
 * same field is dropped.
 */
export function validateRecord(record: SubmissionRecord, ctx: CheckContext = {}): Issue[] {
  const values = valuesOf(record);
  const form = FORMS[record.form];
  const labelOf = (key: string) => form.fields.find((f) => f.key === key)?.label ?? key;

  const schemaIssues: Issue[] = [];
  const parsed = VALUES_SCHEMAS[record.form].safeParse(values);
  if (!parsed.success) {
    for (const problem of parsed.error.issues) {
      if (problem.code === 'unrecognized_keys') {
        for (const key of problem.keys) schemaIssues.push(makeIssue('unknown_field', key, { key }));
        continue;
      }
      const key = problem.path.map(String).join('.');
      const detail = `${problem.message}（值：${JSON.stringify(values[key] ?? null)}）`;
      schemaIssues.push(makeIssue('invalid_format', key, { label: labelOf(key), detail }));
    }
  }
  const ruleIssues = checkValues(record.form, values, ctx);
  const explained = new Set(ruleIssues.filter((i) => i.severity === 'error').map((i) => i.field));
  return [
    ...schemaIssues.filter((i) => i.code !== 'invalid_format' || !explained.has(i.field)),
    ...ruleIssues,
  ];
}
