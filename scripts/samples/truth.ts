// The ground truth written beside every sample scan (`<file>.truth.json`): which record and form
// page each page of the file shows and what was done to it. Values are not repeated here — the
// records in samples/records/ are the truth for values.
import { z } from 'zod';
import { FormKindSchema } from '../../src/types.js';

const XY = z.tuple([z.number(), z.number()]);

export const SealTruthSchema = z.object({
  cell: z.enum(['recommendation', 'approval']),
  /** Name on the seal's arc (every sample seal also says 样章, "specimen"). */
  organisation: z.string(),
  /** Centre and radius of the seal's ring, in the output image's pixels. */
  centre: XY,
  radius: z.number().positive(),
});
export type SealTruth = z.infer<typeof SealTruthSchema>;

export const PageTruthSchema = z.object({
  /** 1-based page of the file (1 for single-image files). */
  page: z.number().int().positive(),
  record: z.string(),
  form: FormKindSchema,
  formPage: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Resolution of the paper in the image; approximate for photos (whose files say 72 dpi). */
  dpi: z.number().positive(),
  /** Clockwise rotation of the content in degrees: the skew, plus 180 for a page fed upside down. */
  rotation: z.number(),
  upsideDown: z.boolean(),
  greyscale: z.boolean(),
  /** 1-bit black and white. */
  bilevel: z.boolean(),
  photo: z.boolean(),
  /** Exported straight from the document: never printed or scanned, no skew or noise. */
  clean: z.boolean(),
  /** The opinion cells that carry a seal on this page; empty when none does. */
  seals: z.array(SealTruthSchema),
  /** Photos: the page's corners (top-left, top-right, bottom-right, bottom-left) in pixels. */
  pageQuad: z.array(XY).length(4).optional(),
});
export type PageTruth = z.infer<typeof PageTruthSchema>;

export const ScanTruthSchema = z.object({
  file: z.string(),
  format: z.enum(['jpeg', 'png', 'tiff', 'pdf']),
  description: z.string(),
  pages: z.array(PageTruthSchema).min(1),
});
export type ScanTruth = z.infer<typeof ScanTruthSchema>;

export const TRUTH_SUFFIX = '.truth.json';
