// Scoring an ingest run against its ground truth, for bench:ocr. Pure: records and truth in,
// one outcome per field out, then tables by capture kind, by field and by confidence band.
//
// "Right" for a short field: the normal form equals the truth's (blank on paper: both null). For a
// long text or opinion: CER ≤ 1 %. For a stamp: presence equals the truth. A field the reader did
// not report at all counts as wrong at confidence 0 — it is the clerk's work, never silently right.
import { FORMS } from '../src/forms/index.js';
import { characterErrorRate } from '../src/ocr/metrics.js';
import type { SubmissionRecord } from '../src/types.js';

export interface TruthPage {
  /** Capture kind (office-scan, phone-photo, …) — the row the page is counted under. */
  kind: string;
  record: string;
  form: string;
  formPage: number;
  /** Opinion groups carrying a seal on this page. */
  seals: string[];
  /** Field keys printed on this page; from the form definition when the truth does not say. */
  fields?: string[];
}

export interface FieldOutcome {
  kind: string;
  record: string;
  field: string;
  fieldKind: string;
  right: boolean;
  /** The record's issue messages for this field. */
  why?: string[];
  confidence: number;
  /** Long texts: errors and truth length, for a pooled CER. */
  errors?: number;
  chars?: number;
  read: unknown;
  truth: unknown;
}

export interface PageOutcome {
  kind: string;
  classified: boolean;
  label: string;
}

/** Pages and fields of one ingest, scored. `truthOf(file, page)` finds a page's truth. */
export function scoreRun(
  result: {
    submissions: readonly SubmissionRecord[];
    pages: readonly { file: string; page: number; form?: string; formPage?: number; failure?: string }[];
  },
  truthOf: (file: string, page: number | undefined) => TruthPage | undefined,
  truthRecords: ReadonlyMap<string, SubmissionRecord>,
): { pages: PageOutcome[]; fields: FieldOutcome[] } {
  const pages: PageOutcome[] = [];
  const seenPages = new Set<string>();
  for (const p of result.pages) {
    const t = truthOf(p.file, p.page);
    if (!t) continue;
    seenPages.add(`${t.record}#${t.formPage}#${t.kind}`);
    pages.push({
      kind: t.kind,
      classified: p.form === t.form && p.formPage === t.formPage,
      label: `${p.file}#${p.page}: read ${p.form ?? p.failure}/${p.formPage ?? ''}, truth ${t.form}/${t.formPage}`,
    });
  }

  const fields: FieldOutcome[] = [];
  const scoredPages = new Set<string>();
  for (const rec of result.submissions) {
    const truthPagesOf = rec.sources.map((s) => truthOf(s.file, s.page)).filter((t) => t !== undefined);
    const first = truthPagesOf[0];
    const truth = first && truthRecords.get(first.record);
    if (!first || !truth || truth.form !== rec.form) continue;
    // A second record of the same truth page (a page read twice) is scored once.
    const key = `${first.record}#${first.kind}#${truthPagesOf.map((t) => t.formPage).join(',')}`;
    if (scoredPages.has(key)) continue;
    scoredPages.add(key);
    const sealed = new Set(truthPagesOf.flatMap((t) => t.seals));
    const printedHere = new Set(
      truthPagesOf.flatMap(
        (t) =>
          t.fields ??
          FORMS[rec.form].fields
            .filter((d) => d.page === t.formPage && t.form === rec.form)
            .map((d) => d.key),
      ),
    );
    for (const def of FORMS[rec.form].fields) {
      if (def.kind === 'photo' || !printedHere.has(def.key)) continue;
      const got = rec.fields[def.key];
      const confidence = got?.confidence ?? 0;
      const base = {
        kind: first.kind,
        record: first.record,
        field: def.key,
        fieldKind: def.kind,
        confidence,
        // What ingest said about the field: why a person was asked to look.
        why: rec.issues.filter((i) => i.field === def.key).map((i) => i.messageEn ?? i.message),
      };
      if (def.kind === 'stamp') {
        const want = sealed.has(def.key.split('.')[0] as string);
        fields.push({ ...base, right: got?.value === want, read: got?.value, truth: want });
      } else if (def.kind === 'longText' || def.kind === 'opinion') {
        const want = String(truth.fields[def.key]?.value ?? '');
        const read = String(got?.value ?? '');
        const cer = characterErrorRate(read, want);
        const chars = Math.max(1, [...want].length);
        fields.push({ ...base, right: cer <= 0.01, errors: cer * chars, chars, read, truth: want });
      } else {
        const want = truth.fields[def.key]?.value ?? null;
        const read = got?.value ?? null;
        fields.push({ ...base, right: JSON.stringify(read) === JSON.stringify(want), read, truth: want });
      }
    }
  }
  return { pages, fields };
}

export interface Summary {
  pages: number;
  classified: number;
  shortTotal: number;
  shortRight: number;
  longErrors: number;
  longChars: number;
  stampTotal: number;
  stampRight: number;
  confidentTotal: number;
  confidentWrong: number;
  /** Fields below 0.9: what a clerk looks at. */
  unsure: number;
  fields: number;
}

export function summarise(pages: readonly PageOutcome[], fields: readonly FieldOutcome[]): Summary {
  const s: Summary = {
    pages: pages.length,
    classified: pages.filter((p) => p.classified).length,
    shortTotal: 0,
    shortRight: 0,
    longErrors: 0,
    longChars: 0,
    stampTotal: 0,
    stampRight: 0,
    confidentTotal: 0,
    confidentWrong: 0,
    unsure: 0,
    fields: fields.length,
  };
  for (const f of fields) {
    if (f.fieldKind === 'stamp') {
      s.stampTotal++;
      if (f.right) s.stampRight++;
    } else if (f.chars !== undefined) {
      s.longErrors += f.errors ?? 0;
      s.longChars += f.chars;
    } else {
      s.shortTotal++;
      if (f.right) s.shortRight++;
    }
    if (f.confidence >= 0.9) {
      s.confidentTotal++;
      if (!f.right) s.confidentWrong++;
    } else s.unsure++;
  }
  return s;
}

const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((a / b) * 100).toFixed(1)} %`);

/** One row per capture kind (and a total), the issue's table. */
export function kindTable(pages: readonly PageOutcome[], fields: readonly FieldOutcome[]): string {
  const kinds = [...new Set([...pages.map((p) => p.kind), ...fields.map((f) => f.kind)])].sort();
  const rows = kinds.map((k) => ({
    k,
    s: summarise(
      pages.filter((p) => p.kind === k),
      fields.filter((f) => f.kind === k),
    ),
  }));
  rows.push({ k: 'all', s: summarise(pages, fields) });
  const head =
    '| capture | pages classified | short fields exact | long-text CER | stamps found | wrong at ≥ 0.9 | fields below 0.9 |\n' +
    '|---|---|---|---|---|---|---|';
  const lines = rows.map(
    ({ k, s }) =>
      `| ${k} | ${pct(s.classified, s.pages)} (${s.classified}/${s.pages}) | ${pct(s.shortRight, s.shortTotal)} (${s.shortRight}/${s.shortTotal}) | ${s.longChars ? `${((s.longErrors / s.longChars) * 100).toFixed(2)} %` : '—'} | ${pct(s.stampRight, s.stampTotal)} (${s.stampRight}/${s.stampTotal}) | ${s.confidentWrong} of ${s.confidentTotal} | ${pct(s.unsure, s.fields)} |`,
  );
  return [head, ...lines].join('\n');
}

/** Share right per field key, worst first: where the errors live. */
export function fieldTable(fields: readonly FieldOutcome[], limit = 40): string {
  const by = new Map<string, FieldOutcome[]>();
  for (const f of fields) by.set(f.field, [...(by.get(f.field) ?? []), f]);
  const rows = [...by.entries()]
    .map(([field, list]) => ({
      field,
      n: list.length,
      right: list.filter((f) => f.right).length,
      confidentWrong: list.filter((f) => !f.right && f.confidence >= 0.9).length,
      unsure: list.filter((f) => f.confidence < 0.9).length,
    }))
    .sort((a, b) => a.right / a.n - b.right / b.n || b.n - a.n)
    .slice(0, limit);
  return [
    '| field | right | wrong at ≥ 0.9 | below 0.9 |',
    '|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.field} | ${pct(r.right, r.n)} (${r.right}/${r.n}) | ${r.confidentWrong} | ${r.unsure} |`,
    ),
  ].join('\n');
}

export const BANDS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001] as const;

/** Confidence band → share right: is a reported 0.9 right nine times in ten, or more? */
export function reliabilityTable(fields: readonly FieldOutcome[]): string {
  const rows: string[] = ['| confidence | fields | right | share right |', '|---|---|---|---|'];
  for (let i = 0; i < BANDS.length - 1; i++) {
    const lo = BANDS[i] as number;
    const hi = BANDS[i + 1] as number;
    const inBand = fields.filter((f) => f.confidence >= lo && f.confidence < hi);
    const right = inBand.filter((f) => f.right).length;
    const label = hi > 1 ? `${lo.toFixed(2)}–1.00` : `${lo.toFixed(2)}–${hi.toFixed(2)}`;
    rows.push(`| ${label} | ${inBand.length} | ${right} | ${pct(right, inBand.length)} |`);
  }
  return rows.join('\n');
}
