// Extract: raw texts read from a form (by OCR or from a .docx) become a record in the format
// README describes (记录格式) — each value in its normal form, the raw text beside it, and a confidence that means
// something: the reader's own confidence, lowered when the value does not parse, does not fit its
// vocabulary or breaks its rules. A field under the review threshold carries an issue saying why.
import { createHash } from 'node:crypto';
import { correctLookalikes, type Lexicon } from '../domain/lexicon.js';
import { normalizeField } from '../domain/normalize.js';
import { BLANK_CONFIDENCE, REVIEW_THRESHOLD } from '../domain/review-rule.js';
import type { FieldDef } from '../forms/index.js';
import { FORMS } from '../forms/index.js';
import type { Box, FieldValue, FormKind, Issue, Source, SubmissionRecord } from '../types.js';
import { splitOpinion } from './opinion.js';
import { repairOcrText } from './repair.js';
import { confirmByTwin, sameVocabularyEntry, VOCABULARY_AGREED } from './twins.js';

/** What a reader found for one printed field (opinion cells: the whole cell's text). */
export interface RawField {
  key: string;
  raw: string;
  /** The reader's confidence 0–1 (1 for a .docx). */
  confidence: number;
  page?: number;
  box?: Box;
  crop?: string;
  /**
   * A second OCR engine's verdict: it read the same, or read `other`. `decided`: characters of a
   * paragraph the two read differently and the words decided between (each may be the wrong one).
   */
  readers?: { agree: boolean; other?: string; decided?: number; undecided?: number };
  /**
   * Opinion cells read by OCR: how sure the rows of the opinion text and of the date line are, apart
   * (a date read through a seal does not make the sentence above it doubtful, nor the reverse).
   */
  parts?: {
    opinion: number;
    date: number;
    /** Characters the two readers left undecided in each part's rows (in place of `readers.undecided`). */
    undecided?: { opinion: number; date: number };
    /** Characters the words decided in each part's rows (in place of `readers.decided`). */
    decided?: { opinion: number; date: number };
  };
}

export interface StampEvidence {
  present: boolean;
  confidence: number;
}

export interface ExtractInput {
  form: FormKind;
  fields: RawField[];
  /** Seal presence per opinion group; absent for .docx input (a typed file carries no seal). */
  stamps?: Partial<Record<'recommendation' | 'approval', StampEvidence>>;
  sources: Source[];
  /** Stable identity of the submission: derived from the content of its source files. */
  idSeed: string;
  /** The texts were typed (a .docx), exact: opinion cells are split strictly (see splitOpinion). */
  typed?: boolean;
}

/** Optional vocabulary snapping: canonical text and a 0–1 similarity, or undefined when nothing fits. */
export type Snapper = (def: FieldDef, value: string) => { value: string; similarity: number } | undefined;

export interface ExtractOptions {
  /** Fields below this confidence are flagged for a person. */
  reviewThreshold?: number;
  snap?: Snapper;
  /** Year for expanding two-digit years; the filling date's year when known. */
  referenceYear?: number;
  /** Domain words and their OCR look-alikes, to correct text read by OCR. */
  lexicon?: Lexicon;
}

export { REVIEW_THRESHOLD };

/** A value two OCR engines read differently: a person decides. */
const DISAGREED = 0.6;
/** A required field read blank from a scan (see put): below BLANK_CONFIDENCE, so a person looks. */
const REQUIRED_BLANK = 0.4;

export function recordId(form: FormKind, idSeed: string): string {
  const prefix = { registration: 'reg', demand: 'dem', problem: 'prb' }[form];
  return `${prefix}-${createHash('sha256').update(idSeed).digest('hex').slice(0, 12)}`;
}

/** A paragraph without trailing rows that hold only an opinion cell's printed （盖章） and date line. */
function withoutOpinionTail(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 1) {
    const last = (lines.at(-1) as string).trim();
    const parts = splitOpinion(last);
    const printed = /盖\s*章|年.{0,4}月.{0,4}[日曰]/.test(last);
    if (last !== '' && !(printed && parts.opinion.replace(/[\p{P}\p{S}\s]/gu, '') === '')) break;
    lines.pop();
  }
  return lines.join('\n');
}

/**
 * An OCR reading without what is not text: quotes, bars and underscores at the ends of a line are
 * rule fragments and specks; a short value (a name, a unit, a title) never starts or ends with a
 * stop or a comma, so one there is a speck beside the first or last character (曾静若.).
 */
/**
 * A corner bracket at a line's start or end that opens or closes nothing in the text is a speck
 * read as one (「(3)帮助企业…, a paragraph's third item): 「 」 quote words in pairs.
 */
function unmatchedCornersOff(text: string): string {
  const opens = (text.match(/[「『]/gu) ?? []).length;
  const closes = (text.match(/[」』]/gu) ?? []).length;
  if (opens === closes) return text;
  const lines = text.split('\n');
  let extra = Math.abs(opens - closes);
  const out = lines.map((line) => {
    if (extra === 0) return line;
    const bare = opens > closes ? line.replace(/^(\s*)[「『]/u, '$1') : line.replace(/[」』](\s*)$/u, '$1');
    if (bare !== line) extra--;
    return bare;
  });
  return out.join('\n');
}

function specksOff(def: FieldDef, text: string): string {
  // A date holds digits, 年 月 日 and separators: a quote, bar or bracket anywhere in it is a speck
  // (年 月“日 is the printed line left blank, 2020年5月9日【 a date).
  if (def.kind === 'date') return text.replace(/[“”"'‘’|丨_【】[\]〔〕]/gu, ' ').trim();
  const trimmed = unmatchedCornersOff(text).replace(/^[\s“”"'‘’|丨_]+|[\s“”"'‘’|丨_]+$/gu, '');
  if (def.kind === 'text') return trimmed.replace(/^[.,，。、·]+|[.,，。、·]+$/gu, '');
  // No sentence begins with a stop or a comma: one before a paragraph's first word is a speck (a
  // chat forward's JPEG noise read as .; bench:ocr, dev seeds).
  if (def.kind === 'longText' || def.kind === 'opinion') return trimmed.replace(/^[.,，。、·]+/u, '');
  return trimmed;
}

export function extractRecord(input: ExtractInput, options: ExtractOptions = {}): SubmissionRecord {
  const form = FORMS[input.form];
  const threshold = options.reviewThreshold ?? REVIEW_THRESHOLD;
  const byKey = new Map(input.fields.map((f) => [f.key, f]));
  const fields: Record<string, FieldValue> = {};
  const issues: Issue[] = [];

  const put = (
    def: FieldDef,
    raw: RawField | undefined,
    rawText: string | undefined,
    baseConfidence: number,
    /** The second reader's text for this field, when it read the cell differently. */
    otherText?: string,
  ) => {
    let text = rawText ?? '';
    let corrected = 0;
    // OCR output only: domain words misread as look-alikes (窑 → 窄/宣/寇 …) are put right.
    if (
      baseConfidence < 1 &&
      options.lexicon &&
      (def.kind === 'text' || def.kind === 'longText' || def.kind === 'opinion')
    ) {
      const fixed = correctLookalikes(text, options.lexicon);
      text = fixed.text;
      corrected = fixed.changed;
    }
    if (baseConfidence < 1 && def.kind === 'longText') {
      // The printed （盖章） and 年 月 日 of the opinion cell below, read into a paragraph whose cell
      // ran on past a rule that was not found: not the applicant's words.
      const kept = withoutOpinionTail(text);
      if (kept !== text) {
        text = kept;
        corrected++;
      }
    }
    if (baseConfidence < 1 && (def.kind === 'longText' || def.kind === 'opinion')) {
      const repaired = repairOcrText(text);
      text = repaired.text;
      corrected += repaired.guessed;
    }
    // Quotes, bars and underscores at the ends of a line are rule fragments and specks, not text.
    if (baseConfidence < 1) text = specksOff(def, text);
    // The other reader's text is cleaned the same way: a rule's edge it took for 丨 (|新能源) is no
    // disagreement about the value.
    if (otherText !== undefined && baseConfidence < 1) otherText = specksOff(def, otherText);
    let parsed = normalizeField(def, text, { referenceYear: options.referenceYear });
    // The other reader's text, kept on the field where the readers disagree (the clerk sees both).
    let otherReading: string | undefined;
    const reasons: string[] = [];
    // One reader's text does not parse (a digit lost: 「人」 for 7人) and the other's does: the
    // other's value is the better guess to show, and a person still decides.
    let swapped = false;
    if (!parsed.ok && otherText !== undefined && otherText.trim() !== '' && baseConfidence < 1) {
      const other = normalizeField(def, otherText.trim(), { referenceYear: options.referenceYear });
      if (other.ok && other.value !== null) {
        const shown = text.trim() || '（空）';
        reasons.push(
          `另一识别引擎读作「${shown}」、无法解析 / the second OCR engine read "${shown}", does not parse`,
        );
        otherText = undefined;
        otherReading = text.trim();
        parsed = other;
        swapped = true;
      }
    }
    let value = parsed.ok ? parsed.value : null;
    let confidence = swapped ? Math.min(baseConfidence, DISAGREED) : baseConfidence;
    issues.push(...parsed.issues);
    // Characters changed by rule rather than read: each is probably right, but a person should see
    // them — unless they are so few in a paragraph that it would still be right (a long text is
    // right within 1 % of its characters wrong). A look-alike correction counts whole; a character
    // the words decided between two readers a quarter (bench:ocr on the development seeds: of 157
    // decisions checkable against the truth, none wrong).
    // A single character the two readers read differently and nothing decided counts whole.
    // An opinion is a stock sentence (情况属实，同意推荐。), no name or number: the words decide its
    // characters as they do a paragraph's, and a decided character leaves it sure.
    // The allowance is a share, not whole characters: one decided character in a paragraph of 76
    // (a quarter against 0.76) leaves it sure, as one wrong character in 100 leaves it right.
    const decidedCost = def.kind === 'opinion' ? 0 : (raw?.readers?.decided ?? 0) / 4;
    // A paragraph of sentences (it has a 。) whose last one ends in none: its final stop, small and
    // at a row's end, was most likely missed by both readers (bench:ocr dev seeds: of three
    // paragraphs wrong at ≥ 0.9, two lacked only their last 。). Counted as a character not read.
    const stopMissed =
      def.kind === 'longText' && /。/u.test(text) && !/[。！？；;!?.…）)”"」]\s*$/u.test(text) ? 1 : 0;
    const guessed = corrected + decidedCost + (raw?.readers?.undecided ?? 0) + stopMissed;
    const allowance = def.kind === 'longText' ? [...text].length / 100 : 0;
    if (guessed > allowance) {
      confidence = Math.min(confidence, 0.85);
      if (corrected > 0) reasons.push('已按词表更正形近字 / look-alike characters corrected');
      if (raw?.readers?.decided || raw?.readers?.undecided)
        reasons.push('两个识别引擎有个别字读法不同 / the two OCR engines read a few characters differently');
    }
    if (otherText !== undefined && baseConfidence < 1) {
      // The two readers differ in the text; whether they differ in the value is what counts
      // (a full stop, a space, 1985.3 against 1985.03).
      const other = normalizeField(def, otherText.trim(), { referenceYear: options.referenceYear });
      if (corrected === 0 && other.ok && sameVocabularyEntry(def, value, other.value, options.snap)) {
        // Both readings name one entry of the field's list: the first exactly, the other one
        // character off it and nearer no other entry (副教授 against 剪教授). The readers agree on
        // the entry, and the entry is the value.
        confidence = Math.max(confidence, VOCABULARY_AGREED);
      } else if (!other.ok || JSON.stringify(other.value) !== JSON.stringify(value)) {
        confidence = Math.min(confidence, DISAGREED);
        otherReading = otherText.trim();
        const shown = otherText.trim() || '（空）';
        reasons.push(`另一识别引擎读作「${shown}」 / the second OCR engine read "${shown}"`);
      }
    }
    if (!parsed.ok) {
      confidence = Math.min(confidence, 0.3);
      reasons.push('无法解析 / does not parse');
    } else if (parsed.issues.some((i) => i.severity !== 'info')) {
      confidence = Math.min(confidence, 0.6);
    }
    if (typeof value === 'string' && def.vocabulary && options.snap) {
      const snapped = options.snap(def, value);
      if (snapped) {
        if (snapped.value !== value) {
          value = snapped.value;
          // A corrected look-alike is likely right, but not certain enough to skip review on its own.
          confidence = Math.min(confidence, snapped.similarity >= 0.8 ? 0.85 : 0.6);
        }
      } else if (confidence < 1) {
        confidence = Math.min(confidence, 0.8);
        reasons.push('不在词表中 / not in the vocabulary');
      }
    }
    // A required field a scan shows blank: forms come in filled, so a blank read there is more often
    // a value cell missed (a rule lost, the wrong cell) than a blank on paper. Never sure; the
    // required-field rule says what is missing.
    if (!input.typed && def.required && (value === null || value === '') && raw !== undefined)
      confidence = Math.min(confidence, REQUIRED_BLANK);
    const fv: FieldValue = { value, confidence: round(confidence) };
    if (rawText !== undefined && rawText !== '') fv.raw = rawText;
    if (raw?.page) fv.page = raw.page;
    if (raw?.box) fv.box = raw.box;
    if (raw?.crop) fv.crop = raw.crop;
    if (otherReading !== undefined) fv.other = otherReading;
    fields[def.key] = fv;
    if (confidence < threshold && !(value === null && confidence >= BLANK_CONFIDENCE)) {
      issues.push({
        code: 'low_confidence',
        severity: 'warning',
        field: def.key,
        message: `${def.label}：识别把握不足（${Math.round(confidence * 100)}%）${reasons.length ? `，${reasons.map((r) => r.split(' / ')[0]).join('、')}` : ''}，请人工核对。`,
        messageEn: `${def.key}: low confidence (${Math.round(confidence * 100)}%)${reasons.length ? `, ${reasons.map((r) => r.split(' / ')[1]).join(', ')}` : ''}; please check.`,
      });
    }
  };

  for (const def of form.fields) {
    const [group, part] = def.key.split('.') as [string, string | undefined];
    if ((group === 'recommendation' || group === 'approval') && part) {
      const cell = byKey.get(`${group}.opinion`);
      const parts = splitOpinion(cell?.raw ?? '', { typed: input.typed });
      const otherParts =
        cell?.readers && !cell.readers.agree ? splitOpinion(cell.readers.other ?? '') : undefined;
      const partConfidence = (p: 'opinion' | 'date') => cell?.parts?.[p] ?? cell?.confidence ?? 0;
      // The cell with the decided and undecided characters of this part's rows only.
      const partCell = (p: 'opinion' | 'date'): RawField | undefined => {
        const undecided = cell?.parts?.undecided?.[p];
        const decided = cell?.parts?.decided?.[p];
        if (!cell?.readers || (undecided === undefined && decided === undefined)) return cell;
        return {
          ...cell,
          readers: {
            ...cell.readers,
            ...(undecided !== undefined ? { undecided } : {}),
            ...(decided !== undefined ? { decided } : {}),
          },
        };
      };
      if (part === 'opinion')
        put(def, partCell('opinion'), parts.opinion, partConfidence('opinion'), otherParts?.opinion);
      else if (part === 'date') {
        // An opinion written and no date line (年 月 日) found with it: the reading failed there more
        // often than the date was left off. A cell of only its printed （盖章） is a copy that prints
        // no date line: its date is as blank as its opinion.
        const missingLine =
          cell !== undefined && cell.confidence < 1 && parts.dateRaw === '' && parts.opinion.trim() !== '';
        put(
          def,
          partCell('date'),
          parts.dateRaw,
          missingLine ? Math.min(cell.confidence, 0.4) : partConfidence('date'),
          otherParts?.dateRaw,
        );
      } else if (part === 'stamped') {
        const ev = input.stamps?.[group];
        fields[def.key] = ev
          ? {
              value: ev.present,
              confidence: round(ev.confidence),
              ...(cell?.page ? { page: cell.page } : {}),
              ...(cell?.box ? { box: cell.box } : {}),
            }
          : input.typed
            ? // A typed file carries no seal.
              { value: false, confidence: 1 }
            : // A scan whose opinion cell was not found: nothing is known about its seal.
              { value: null, confidence: 0 };
        if (!ev && !input.typed)
          issues.push({
            code: 'low_confidence',
            severity: 'warning',
            field: def.key,
            message: `${def.label}：未找到意见栏，无法判断是否盖章，请人工核对。`,
            messageEn: `${def.key}: the opinion cell was not found, so whether it is stamped is unknown; please check.`,
          });
        if (ev && ev.confidence < threshold)
          issues.push({
            code: 'low_confidence',
            severity: 'warning',
            field: def.key,
            message: `${def.label}：是否盖章无法确定，请人工核对。`,
            messageEn: `${def.key}: cannot tell whether the cell is stamped; please check.`,
          });
      }
      continue;
    }
    const raw = byKey.get(def.key);
    if (def.kind === 'photo') {
      fields[def.key] = {
        value: raw?.crop ?? null,
        confidence: raw ? 1 : 0,
        ...(raw?.box ? { box: raw.box } : {}),
      };
      continue;
    }
    put(
      def,
      raw,
      raw?.raw,
      raw ? raw.confidence : 0,
      raw?.readers?.agree === false ? raw.readers.other : undefined,
    );
  }

  if (!input.typed) confirmByTwin(input.form, fields, issues, threshold);
  return { id: recordId(input.form, input.idSeed), form: input.form, sources: input.sources, fields, issues };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Snapping for OCR output: a value that is already a known spelling (canonical or alias) stays as
 * written; one a few look-alike characters away from a known spelling is corrected to it.
 */
export function vocabularySnapper(
  snapFn: (
    vocab: NonNullable<FieldDef['vocabulary']>,
    text: string,
  ) => { matched: string; distance: number } | null,
): Snapper {
  return (def, value) => {
    if (!def.vocabulary) return undefined;
    const r = snapFn(def.vocabulary, value);
    if (!r) return undefined;
    const len = Math.max(1, [...value].length);
    return { value: r.distance === 0 ? value : r.matched, similarity: 1 - r.distance / len };
  };
}
