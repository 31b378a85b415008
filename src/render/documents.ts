// What the score sheets, agreements and certificates share: a plan per document (pure data, with
// the values it could not fill and the errors that stop it), a check that the template asks only
// for what the plan provides, and one run that writes every .docx and converts them all to PDF in
// a single LibreOffice call. A document that fails is listed and the others go on.
// Over 400 lines because the shared run is one sequence — plan, check the template,
// render, convert, stamp, list the failures — and splitting it would scatter one document's story.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { LibreOfficeConverter, type PdfConverter } from '../convert/index.js';
import { RunError } from '../errors.js';
import { formatChineseDate, type Project } from '../projects/types.js';
import type { Party, Readiness } from '../projects/verify.js';
import { stampPdf } from '../stamp/index.js';
import { listTags, renderDocx } from './docx.js';
import { BLANK_DATE, fileNameOf, TEMPLATES_DIR } from './forms.js';

export type DocumentKind =
  | 'scoresheet'
  | 'agreement'
  | 'certificate'
  | 'proposal'
  | 'signin'
  | 'groupopinion'
  | 'fundinglist'
  | 'acceptanceapp'
  | 'enterpriseeval';

export const DOCUMENT_NAMES: Record<DocumentKind, string> = {
  scoresheet: '评审打分表',
  agreement: '三方协议',
  certificate: '验收证书',
  proposal: '评审结果与经费建议',
  signin: '专家评审签到表',
  groupopinion: '专家组综合意见表',
  fundinglist: '项目及经费安排表',
  acceptanceapp: '验收申请表',
  enterpriseeval: '甲方评价意见表',
};

/** Who the documents say made them (PDF Author): the bureau that runs the programme. */
export const DOCUMENT_AUTHOR = '景德镇市科学技术局';

export const templatePathOf = (kind: DocumentKind, dir = TEMPLATES_DIR): string => join(dir, `${kind}.docx`);

/** A value a document needs but the data lacks: printed empty, listed for the user. */
export interface MissingValue {
  /** The template tag that prints empty, e.g. `unit.legalRepresentative`, or a plan key such as `goals`. */
  key: string;
  /** What it is, in Chinese, e.g. 丙方法定代表人. */
  label: string;
  /** Where to fill it in projects.json, when that differs from `key`. */
  path?: string;
}

export interface DocumentPlan {
  /** Template data: keys are the template's tags, verbatim (dotted), loops are arrays of objects. */
  data: Record<string, unknown>;
  missing: MissingValue[];
  warnings: string[];
}

export type PlanOutcome = { ok: true; plan: DocumentPlan } | { ok: false; errors: string[] };

export interface DocumentJob {
  /** The project id (and expert, for score sheets). */
  id: string;
  /** Base name of the output files, without extension. */
  name: string;
  outcome: PlanOutcome;
}

export interface WrittenDocument {
  id: string;
  docx: string;
  pdf?: string;
  missing: MissingValue[];
  warnings: string[];
}

export interface DocumentFailure {
  id: string;
  code: 'plan_failed' | 'render_failed' | 'write_failed' | 'pdf_failed';
  message: string;
}

export interface TagProblem {
  tag: string;
  message: string;
}

export interface RenderDocumentsSummary {
  kind: DocumentKind;
  outDir: string;
  written: WrittenDocument[];
  failures: DocumentFailure[];
  /** Tags of the template the plan does not provide (a template edited by hand): they print empty. */
  templateProblems: TagProblem[];
}

// ---- small pieces every plan uses ----------------------------------------------------------------

/** A plan-building helper: records a missing value and returns null for the template. */
export class MissingCollector {
  readonly list: MissingValue[] = [];
  /** `value` when present and not blank; otherwise null, recorded under key and label. */
  take<T>(value: T | null | undefined, key: string, label: string, path?: string): T | null {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
      this.add(key, label, path);
      return null;
    }
    return value;
  }
  add(key: string, label: string, path?: string): void {
    if (this.list.some((m) => m.key === key)) return;
    this.list.push(path && path !== key ? { key, label, path } : { key, label });
  }
}

/** What an empty value prints as: a line to write on by hand, never nothing. */
export const BLANK = '＿＿＿＿';
/** Marks in a draft: a value from a form nobody approved, and a required value still empty. */
export const UNVERIFIED_MARK = '〔待核对〕';
export const MISSING_MARK = '〔待补〕';

/** `2020-XT-001 景德镇某某瓷业有限公司-张三-三方协议`: what a clerk finds a file by. */
export const documentName = (p: Project, kind: string): string =>
  `${p.id} ${p.enterprise.name}-${p.professional.name}-${kind}`;

/** Every null in the data (loops included) as `blank`. */
export function blankNulls<T>(value: T, blank = BLANK): T {
  if (value === null) return blank as T;
  if (Array.isArray(value)) return value.map((v) => blankNulls(v, blank)) as T;
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as object).map(([k, v]) => [k, blankNulls(v, blank)]),
    ) as T;
  }
  return value;
}

/**
 * The last step of a legal document's plan: empty values become lines to write on; in a draft,
 * values from a party's unapproved form are marked 〔待核对〕, empty required ones 〔待补〕, and
 * every problem is listed for the 待核对 page (`review`, shown when `hasReview`).
 */
export function markForReview(
  data: Record<string, unknown>,
  missing: MissingValue[],
  project: Project,
  legal: { readiness?: Readiness; draft?: boolean },
  partyKeys: Record<Party, readonly string[]>,
): { data: Record<string, unknown>; missing: MissingValue[] } {
  const out = { ...data };
  const draft = Boolean(legal.draft && legal.readiness && legal.readiness.problems.length > 0);
  const missingKeys = new Set(missing.map((m) => m.key));
  for (const [k, v] of Object.entries(out)) {
    if (v === null) out[k] = draft && missingKeys.has(k) ? `${BLANK}${MISSING_MARK}` : BLANK;
  }
  if (draft && legal.readiness) {
    for (const party of legal.readiness.unverified) {
      for (const k of partyKeys[party]) {
        const v = out[k];
        if (typeof v === 'string' && v !== '' && !v.startsWith(BLANK)) out[k] = `${v}${UNVERIFIED_MARK}`;
      }
    }
    if (missingKeys.has('goals') && typeof out.goalsBlank === 'string')
      out.goalsBlank = `${BLANK}${MISSING_MARK}`;
  }
  const review = draft
    ? (legal.readiness?.problems ?? []).map((p, i) => ({
        no: String(i + 1),
        item: p.label,
        value:
          p.party === 'professional'
            ? (project.professional.teamName ?? project.professional.name)
            : p.party === 'enterprise'
              ? project.enterprise.name
              : '（空）',
        reason: p.kind === 'record' ? '表格尚未核对' : '尚未填写',
      }))
    : [];
  out.review = review;
  out.hasReview = review.length > 0;
  return { data: blankNulls(out), missing };
}

/**
 * A draft of a legal document must not pass for the real thing: the PDF of every project that is
 * not ready (and was rendered anyway, as a draft) gets the 草稿 watermark on every page, in place.
 */
export async function watermarkDrafts(
  summary: RenderDocumentsSummary,
  readiness: ReadonlyMap<string, Readiness> | undefined,
): Promise<void> {
  for (const w of summary.written) {
    if (!w.pdf || !readiness?.get(w.id)?.problems.length) continue;
    await stampPdf(w.pdf, { draft: true });
  }
}

/** A date to print: 2020年7月1日, or blanks to write one by hand (and then it is not «missing»). */
export const dateOrBlank = (iso: string | null | undefined): string =>
  iso ? formatChineseDate(iso) : BLANK_DATE;

/** 12.5 → «12.5», 10 → «10»: amounts as people write them. */
export const formatAmount = (wan: number): string => String(Math.round(wan * 10_000) / 10_000);

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿'];

/**
 * An amount in 万元 as the capital figures of a contract: 10 → 人民币壹拾万元整, 12.5 → 人民币壹拾贰万伍仟元整.
 * Up to 亿, to the fen.
 */
export function rmbUppercase(wan: number): string {
  const fen = Math.round(wan * 1_000_000);
  if (fen === 0) return '人民币零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let out = '';
  const groups: number[] = [];
  for (let v = yuan; v > 0; v = Math.floor(v / 10_000)) groups.push(v % 10_000);
  let zeroPending = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g] as number;
    if (group === 0) {
      zeroPending = out !== '';
      continue;
    }
    if (out !== '' && (zeroPending || group < 1000)) out += '零';
    zeroPending = false;
    let groupText = '';
    let zero = false;
    for (let i = 3; i >= 0; i--) {
      const d = Math.floor(group / 10 ** i) % 10;
      if (d === 0) {
        zero = groupText !== '';
        continue;
      }
      if (zero) groupText += '零';
      zero = false;
      groupText += (DIGITS[d] as string) + SMALL_UNITS[i];
    }
    out += groupText + BIG_UNITS[g];
  }
  out = out ? `${out}元` : '';
  if (jiao === 0 && cents === 0) return `人民币${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (out) out += '零';
  if (cents > 0) out += `${DIGITS[cents]}分`;
  return `人民币${out}`;
}

const HAN = /[\u2e80-\u9fff\uf900-\ufaff]/;

/**
 * Text as it is printed in a Chinese document. Records hold NFKC text (README: the record), which turns the
 * full-width punctuation people wrote into ASCII: «，；：（）» come back here, straight quotes become
 * “”, and 2~3 becomes 2～3. Text without Chinese, numbers (1,000; 10:30) and URLs are left alone.
 */
export function printText(s: string): string {
  if (!HAN.test(s)) return s;
  return s
    .replace(/\(([^()]*)\)/g, (m, inner: string) => (HAN.test(inner) ? `（${inner}）` : m))
    .replace(/"([^"\n]*)"/g, '“$1”')
    .replace(/,(?!\d)|(?<!\d),/g, '，')
    .replace(/;/g, '；')
    .replace(/:(?!\/\/)(?!\d)|(?<!\d):(?!\/\/)/g, '：')
    .replace(/(\d)\s*~\s*(\d)/g, '$1～$2')
    .replace(/(?<=[\u2e80-\u9fff])\?/g, '？')
    .replace(/(?<=[\u2e80-\u9fff])!/g, '！');
}

/** printText over every string of a plan's data (loops included). */
export function printData<T>(value: T): T {
  if (typeof value === 'string') return printText(value) as T;
  if (Array.isArray(value)) return value.map(printData) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printData(v)])) as T;
  }
  return value;
}

// ---- the template contract -----------------------------------------------------------------------

/**
 * Tags of a template that the plan's data does not provide. A tag inside loops is looked up in the
 * loop items (every item, so optional keys count) and, as docxtemplater does, in the outer scopes.
 * Loop and condition tags must be keys of their scope too. A loop with no items in `data` cannot be
 * checked inside: its inner tags are skipped, so test with data that fills every loop.
 */
export function tagsNotProvided(template: Buffer, data: Record<string, unknown>, name: string): TagProblem[] {
  const problems: TagProblem[] = [];
  const tags = listTags(template, name);
  const scopesFor = (loops: string[]): Record<string, unknown>[][] | undefined => {
    // Each level: the candidate objects in scope at that depth.
    const levels: Record<string, unknown>[][] = [[data]];
    for (const loop of loops) {
      const items: Record<string, unknown>[] = [];
      for (const scope of levels[levels.length - 1] as Record<string, unknown>[]) {
        const v = scope[loop];
        if (Array.isArray(v))
          items.push(...v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null));
        else if (v !== null && typeof v === 'object') items.push(v as Record<string, unknown>);
        // A boolean condition keeps the enclosing scope.
        else if (typeof v === 'boolean') items.push(scope);
      }
      if (items.length === 0) return undefined;
      levels.push(items);
    }
    return levels;
  };
  const seen = new Set<string>();
  for (const t of tags) {
    const id = `${t.loops.join('>')}>${t.tag}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (t.tag === '.') continue;
    const levels = scopesFor(t.loops);
    if (!levels) continue;
    const provided = levels.some((level) => level.some((scope) => Object.hasOwn(scope, t.tag)));
    if (!provided) {
      problems.push({
        tag: t.tag,
        message:
          `${name}: {${t.isLoop ? '#' : ''}${t.tag}}${t.loops.length ? ` (inside ${t.loops.map((l) => `{#${l}}`).join(' ')})` : ''} ` +
          'is not provided by the plan: a typo, or a tag added in Word that xietong does not know',
      });
    }
  }
  return problems;
}

// ---- the run -------------------------------------------------------------------------------------

export async function loadTemplate(kind: DocumentKind, path = templatePathOf(kind)): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new RunError(
      'templateInvalid',
      `Template ${path} cannot be read. 无法读取${DOCUMENT_NAMES[kind]}模板 ${basename(path)}。`,
      'Restore templates/ from the repository, or recreate it with `npx tsx scripts/make-document-templates.ts --force`.',
      { cause: err },
    );
  }
}

export interface RenderDocumentsOptions {
  outDir: string;
  pdf: boolean;
  converter?: PdfConverter;
  /** Another template for this kind (default templates/<kind>.docx). */
  template?: string;
}

/** Merges the plan's missing values with the tags the renderer found empty. */
function mergeMissing(planned: MissingValue[], rendered: string[]): MissingValue[] {
  const out = [...planned];
  for (const tag of rendered) {
    const covered = out.some(
      (m) => m.key === tag || m.key.endsWith(`.${tag}`) || m.key.split(/[.[\]]/).includes(tag),
    );
    if (!covered) out.push({ key: tag, label: tag });
  }
  return out;
}

export async function renderDocuments(
  kind: DocumentKind,
  jobs: readonly DocumentJob[],
  options: RenderDocumentsOptions,
): Promise<RenderDocumentsSummary> {
  const outDir = resolve(options.outDir);
  const templatePath = options.template ?? templatePathOf(kind);
  const template = await loadTemplate(kind, templatePath);
  const templateName = basename(templatePath);
  const written: WrittenDocument[] = [];
  const failures: DocumentFailure[] = [];

  // Check the template against the plans of this run, all of them together (so every loop that
  // has an item anywhere is checked), before anything is written.
  const plans = jobs.flatMap((j) => (j.outcome.ok ? [j.outcome.plan] : []));
  const templateProblems = plans.length > 0 ? tagsNotProvided(template, mergedData(plans), templateName) : [];

  const names = new Set<string>();
  await mkdir(outDir, { recursive: true });
  for (const job of jobs) {
    if (!job.outcome.ok) {
      failures.push({ id: job.id, code: 'plan_failed', message: job.outcome.errors.join('；') });
      continue;
    }
    const { plan } = job.outcome;
    let base = fileNameOf(job.name);
    for (let i = 2; names.has(base); i++) base = `${fileNameOf(job.name)}-${i}`;
    names.add(base);
    let rendered: ReturnType<typeof renderDocx>;
    try {
      rendered = renderDocx(template, plan.data, templateName, { title: base, author: DOCUMENT_AUTHOR });
    } catch (err) {
      // A broken template fails every document the same way: stop at the first.
      if (err instanceof RunError) throw err;
      failures.push({ id: job.id, code: 'render_failed', message: (err as Error).message });
      continue;
    }
    const docx = join(outDir, `${base}.docx`);
    try {
      await writeFile(docx, rendered.buffer);
    } catch (err) {
      failures.push({ id: job.id, code: 'write_failed', message: (err as Error).message });
      continue;
    }
    written.push({
      id: job.id,
      docx,
      missing: mergeMissing(plan.missing, rendered.missing),
      warnings: plan.warnings,
    });
  }

  if (options.pdf && written.length > 0) {
    const converter = options.converter ?? new LibreOfficeConverter();
    // One soffice for the whole batch; names are unique in outDir, so the PDFs land beside them.
    const results = await converter.toPdf(
      written.map((w) => w.docx),
      outDir,
    );
    for (const w of written) {
      const result = results.find((r) => r.input === w.docx);
      if (result?.pdf) w.pdf = result.pdf;
      else
        failures.push({
          id: w.id,
          code: 'pdf_failed',
          message: result?.error ?? 'no result from the converter',
        });
    }
  }
  return { kind, outDir, written, failures, templateProblems };
}

/** All plans' data as one object whose arrays hold every plan's items, for the tag check. */
function mergedData(plans: DocumentPlan[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of plans) {
    for (const [k, v] of Object.entries(p.data)) {
      if (Array.isArray(v)) out[k] = [...((out[k] as unknown[] | undefined) ?? []), ...v];
      else if (!(k in out) || out[k] === null) out[k] = v;
    }
  }
  return out;
}
