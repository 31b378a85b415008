// The OCR engine seen by the rest of the pipeline. Engines are plug-ins: tesseract.js in
// production, a replaying cache in most tests, a scripted fake for failure handling.
import type { Box } from '../types.js';

/** 'line': one line of text (PSM 7); 'block': a paragraph (PSM 6); 'digits': phone numbers, dates. */
export type OcrMode = 'line' | 'block' | 'digits';
export type OcrLang = 'chi_sim' | 'eng' | 'chi_sim+eng';
export const OCR_MODES: readonly OcrMode[] = ['line', 'block', 'digits'];
export const OCR_LANGS: readonly OcrLang[] = ['chi_sim', 'eng', 'chi_sim+eng'];

/** The two model folders of @tesseract.js-data: '4.0.0' is the accurate one (despite the names). */
export type TesseractModel = '4.0.0' | '4.0.0_best_int';

export interface OcrOptions {
  mode: OcrMode;
  /** Default: 'chi_sim', except 'eng' for digits. */
  lang?: OcrLang;
}

export interface OcrWord {
  text: string;
  /** 0–1. */
  confidence: number;
  box: Box;
}

export interface OcrResult {
  /** Post-processed: NFKC, no spaces between Chinese characters, trimmed lines. */
  text: string;
  /** 0–1; 0 when nothing was read. */
  confidence: number;
  words?: OcrWord[];
  /** The engine's own text before post-processing. */
  raw?: string;
}

/** Provenance: which engine and model produced a value. */
export interface OcrEngineInfo {
  /** e.g. 'tesseract.js', 'replay', 'fake'. */
  engine: string;
  /** Engine package version, when there is one. */
  version?: string;
  /** Model the results come from (keys recorded OCR output). */
  model: string;
}

export interface OcrEngine {
  readonly info: OcrEngineInfo;
  /** Reads one image (PNG or any format sharp reads; greyscale preferred). */
  recognize(image: Buffer, opts: OcrOptions): Promise<OcrResult>;
  /** Starts workers for `lang` ahead of the first image (optional: engines without workers skip it). */
  warm?(lang: OcrLang): void;
  /** Releases workers; safe to call twice. Callers use try/finally. */
  close(): Promise<void>;
}

/** The language actually used for a request. */
export function langFor(opts: OcrOptions): OcrLang {
  return opts.lang ?? (opts.mode === 'digits' ? 'eng' : 'chi_sim');
}
