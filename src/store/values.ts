// What a reviewer types (1985年3月, 139 0000 0131, 3人) → the field's normal form, by the same
// parsers ingest uses. The CLI and the review page both go through here before correctField.
import { normalizeField } from '../domain/normalize.js';
import { fieldDef } from '../forms/index.js';
import type { FormKind } from '../types.js';
import type { Scalar } from './types.js';

export type ParsedText =
  | { ok: true; value: Scalar; notes: string[] }
  | { ok: false; message: string; messageEn: string };

export function valueFromText(form: FormKind, key: string, text: string): ParsedText {
  const def = fieldDef(form, key);
  if (!def) {
    return {
      ok: false,
      message: `表格没有字段「${key}」`,
      messageEn: `The ${form} form has no field "${key}"`,
    };
  }
  const parsed = normalizeField(def, text);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    return {
      ok: false,
      message: first?.message ?? `「${def.label}」的值无法识别：${text}`,
      messageEn: first?.messageEn ?? `Cannot read "${text}" as ${def.kind}`,
    };
  }
  // Warnings (a two-digit year, an assumed area code) are worth showing, not refusing.
  return { ok: true, value: parsed.value, notes: parsed.issues.map((i) => i.message) };
}
