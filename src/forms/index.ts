import type { FormKind } from '../types.js';
import { demandForm, demandValuesSchema } from './demand.js';
import type { FieldDef, FormDef } from './fields.js';
import { problemForm, problemValuesSchema } from './problem.js';
import { registrationForm, registrationValuesSchema } from './registration.js';

export { NEEDS_KEYS } from './demand.js';
export type { FieldDef, FieldKind, FormDef, VocabularyName } from './fields.js';

export const FORMS: Record<FormKind, FormDef> = {
  registration: registrationForm,
  demand: demandForm,
  problem: problemForm,
};

export const VALUES_SCHEMAS = {
  registration: registrationValuesSchema,
  demand: demandValuesSchema,
  problem: problemValuesSchema,
} as const;

export function fieldDef(form: FormKind, key: string): FieldDef | undefined {
  return FORMS[form].fields.find((f) => f.key === key);
}
