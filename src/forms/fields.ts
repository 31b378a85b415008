// Field definitions shared by the three forms. A form is described once — its labels in paper
// order, each field's kind, page and vocabulary — and everything else (schema, template tags,
// label matching in OCR, spreadsheet headers) is derived from that description.
import { z } from 'zod';
import type { FormKind } from '../types.js';

export type FieldKind =
  | 'text' // one line
  | 'longText' // paragraphs, feeds matching
  | 'yearMonth' // YYYY-MM
  | 'date' // YYYY-MM-DD
  | 'phone' // 11-digit mobile or 0798-8576556
  | 'integer'
  | 'amount' // 万元
  | 'gender' // 男 / 女
  | 'opinion' // free text in an opinion cell
  | 'stamp' // a seal is present
  | 'photo'; // image region; value is the crop's path

/** Vocabularies the bureau can edit (config/vocabularies.yaml). */
export type VocabularyName = 'district' | 'education' | 'titleLevel' | 'industry' | 'recommendingUnit';

export interface FieldDef {
  /** Name in records, JSON, templates — exactly as the record format spells it. */
  key: string;
  /** Label printed on the form (one line, without the line breaks of narrow cells). */
  label: string;
  /** Short Chinese header for spreadsheets and the review page. */
  header: string;
  kind: FieldKind;
  /** Page of the paper form the field's cell is printed on (1-based). */
  page: number;
  required?: boolean;
  vocabulary?: VocabularyName;
  /** Printed instructions that follow the label inside the same cell (not part of the value). */
  hint?: string;
  /** Printed on the form as a fillable cell (false: stamp presence, photo — not text). */
  printed?: boolean;
}

export interface FormDef {
  kind: FormKind;
  attachment: 1 | 2 | 3;
  /** Title as printed (line breaks of the original removed). */
  title: string;
  /** Chinese short name for summaries. */
  shortName: string;
  /** Template file in templates/. */
  template: string;
  pages: number;
  fields: readonly FieldDef[];
  /**
   * Words the form prints in its table that are no field's label: a block's heading, a note on how
   * to fill it in. A cell that reads as one of them is never a value.
   */
  printed?: readonly string[];
}

export const headerFields = (): FieldDef[] => [
  { key: 'fillingUnit', label: '填报单位', header: '填报单位', kind: 'text', page: 1 },
  { key: 'fillingDate', label: '填表日期', header: '填表日期', kind: 'date', page: 1 },
];

export const opinionFields = (
  group: 'recommendation' | 'approval',
  label: string,
  page: number,
): FieldDef[] => [
  { key: `${group}.opinion`, label, header: `${label}`, kind: 'opinion', page },
  {
    key: `${group}.stamped`,
    label: `${label}（盖章）`,
    header: `${label}盖章`,
    kind: 'stamp',
    page,
    printed: false,
  },
  { key: `${group}.date`, label: `${label}日期`, header: `${label}日期`, kind: 'date', page },
];

const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-\d{7,8}(-\d{1,6})?|[48]00-?\d{3}-?\d{4})$/;

/** The zod type of one field's normal form. Blank on paper is null for every kind. */
export function valueSchemaOf(kind: FieldKind): z.ZodType {
  switch (kind) {
    case 'text':
    case 'longText':
    case 'opinion':
    case 'photo':
      return z.string().min(1).nullable();
    case 'yearMonth':
      return z.string().regex(YEAR_MONTH, 'YYYY-MM').nullable();
    case 'date':
      return z.string().regex(DATE, 'YYYY-MM-DD').nullable();
    case 'phone':
      return z.string().regex(PHONE, 'mobile 11 digits or 0798-8576556').nullable();
    case 'integer':
      return z.number().int().nullable();
    case 'amount':
      return z.number().nonnegative().nullable();
    case 'gender':
      return z.enum(['男', '女']).nullable();
    case 'stamp':
      return z.boolean().nullable();
  }
}

/** A strict object schema of a form's normalised values: unknown keys are rejected. */
export function valuesSchemaOf(fields: readonly FieldDef[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) shape[f.key] = valueSchemaOf(f.kind).optional();
  return z.strictObject(shape);
}
