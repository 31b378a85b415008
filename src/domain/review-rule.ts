// What needs a person's look: one rule for every reader of it. A value read with less confidence
// than the threshold needs review — except a blank cell read with fair confidence (an empty box is
// easy to see), and a photo (checked on the page, not as a value). The store marks fields with it;
// extract (src/extract/index.ts) flags the same fields as it reads, with these same numbers.
import { fieldDef } from '../forms/index.js';
import type { FormKind } from '../types.js';

/** Readings below this confidence are shown to a person. */
export const REVIEW_THRESHOLD = 0.9;

/** A blank read at least this sure is taken as blank. */
export const BLANK_CONFIDENCE = 0.5;

export function needsReview(
  form: FormKind,
  key: string,
  read: { value: unknown; confidence: number },
  threshold: number = REVIEW_THRESHOLD,
): boolean {
  if (fieldDef(form, key)?.kind === 'photo') return false;
  return read.confidence < threshold && !(read.value === null && read.confidence >= BLANK_CONFIDENCE);
}
