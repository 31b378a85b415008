// Readings that confirm each other beyond two readers reading one cell alike: a name the form
// asks for twice, read in two places; a vocabulary entry one reader read exactly and the other one
// character off.
import type { FieldDef } from '../forms/index.js';
import type { FieldValue, FormKind, Issue } from '../types.js';
import type { Snapper } from './index.js';

/**
 * Fields a form asks for twice: the demand form's 填报单位 above the table is the enterprise that
 * fills it in, whose name the table's 单位名称 holds too. Two crops of one name, read apart.
 */
const TWINS: Partial<Record<FormKind, readonly (readonly [string, string])[]>> = {
  demand: [['fillingUnit', 'companyName']],
};
/** What a twin confirmed by the other's sure reading is worth: short of two readers agreeing. */
const TWIN_CONFIRMED = 0.95;

/**
 * A name the readers disagreed on (景德镇金岭… against 金岩…) whose one reading is exactly what its
 * twin was read as, surely, elsewhere on the page: that reading is the name. A name whose readings
 * both differ from its twin's stays with the clerk — it may truly differ.
 */
export function confirmByTwin(
  form: FormKind,
  fields: Record<string, FieldValue>,
  issues: Issue[],
  threshold: number,
): void {
  for (const pair of TWINS[form] ?? []) {
    for (const [key, twinKey] of [pair, [pair[1], pair[0]] as const]) {
      const unsure = fields[key];
      const twin = fields[twinKey];
      if (!unsure || !twin || unsure.confidence >= threshold || twin.confidence < threshold) continue;
      if (typeof twin.value !== 'string' || twin.value.trim() === '') continue;
      if (unsure.value !== twin.value && unsure.other !== twin.value) continue;
      const { other: _, ...kept } = unsure;
      fields[key] = { ...kept, value: twin.value, confidence: Math.min(twin.confidence, TWIN_CONFIRMED) };
      for (let i = issues.length - 1; i >= 0; i--)
        if (issues[i]?.field === key && issues[i]?.code === 'low_confidence') issues.splice(i, 1);
    }
  }
}

/** Two readings of one vocabulary entry (see extractRecord): sure, short of both reading it alike. */
export const VOCABULARY_AGREED = 0.95;

/**
 * Whether `value` is exactly an entry of the field's vocabulary and `other` differs from it in one
 * character only and snaps to no other entry. A reading that dropped or added characters (工程师
 * for 高级工程师) is no such pair.
 */
export function sameVocabularyEntry(
  def: FieldDef,
  value: unknown,
  other: unknown,
  snap: Snapper | undefined,
): boolean {
  if (!snap || !def.vocabulary || typeof value !== 'string' || typeof other !== 'string') return false;
  const a = [...value];
  const b = [...other];
  if (a.length !== b.length || a.length < 2 || a.filter((c, i) => c !== b[i]).length !== 1) return false;
  const own = snap(def, value);
  // The other reading may be as near an entry a character shorter (剪教授: 副教授 and 教授), which
  // leaves its snap undecided; nearer another entry of its length, it is no reading of this one.
  const theirs = snap(def, other);
  return own?.value === value && own.similarity === 1 && (theirs === undefined || theirs.value === value);
}
