// The types that cross pipeline stages. Everything a stage hands to the next is declared here,
// so that ingest, check, store, review, export and render agree on one shape: the record (README: 记录格式 / The record).
import { z } from 'zod';

export const FORM_KINDS = ['registration', 'demand', 'problem'] as const;
export const FormKindSchema = z.enum(FORM_KINDS);
export type FormKind = z.infer<typeof FormKindSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/** A data problem: attached to a record, never thrown. `code` is stable snake_case. */
export const IssueSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  severity: SeveritySchema,
  field: z.string().optional(),
  message: z.string(),
  messageEn: z.string().optional(),
});
export type Issue = z.infer<typeof IssueSchema>;

/** Pixel box on a page image: left, top, width, height. */
export const BoxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
export type Box = z.infer<typeof BoxSchema>;

export const FieldValueSchema = z.object({
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  raw: z.string().optional(),
  confidence: z.number().min(0).max(1),
  page: z.number().int().positive().optional(),
  box: BoxSchema.optional(),
  crop: z.string().optional(),
  /** What the second OCR reader read where the two readers disagree: the clerk sees both. */
  other: z.string().optional(),
});
export type FieldValue = z.infer<typeof FieldValueSchema>;

export const SourceSchema = z.object({
  file: z.string(),
  page: z.number().int().positive().optional(),
  sha256: z.string().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

/** One submission (a form handed in, possibly over several pages or files), as in README.md (记录格式 / The record). */
export const SubmissionRecordSchema = z.object({
  id: z.string(),
  form: FormKindSchema,
  sources: z.array(SourceSchema),
  fields: z.record(z.string(), FieldValueSchema),
  issues: z.array(IssueSchema),
  /** The second copy of a form handed in 一式二份 points at its first copy instead of counting twice. */
  copyOf: z.string().optional(),
});
export type SubmissionRecord = z.infer<typeof SubmissionRecordSchema>;

/** Normalised values of a record, keyed by field name (dotted for groups). */
export type FieldValues = Record<string, string | number | boolean | null>;

/** What a batch could not turn into a record: named, explained, never dropped. */
export const FailureSchema = z.object({
  file: z.string(),
  page: z.number().int().positive().optional(),
  code: z.string(),
  message: z.string(),
  messageEn: z.string().optional(),
});
export type Failure = z.infer<typeof FailureSchema>;
