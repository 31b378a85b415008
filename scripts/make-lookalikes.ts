// Look-alike characters from the glyphs themselves, not from misreads: every character of a
// character set is drawn in several installed CJK typefaces (serif, sans, kai, ming, hei), and each
// character's visually nearest characters — by the correlation of blurred bitmaps, averaged over the
// faces — are written to config/lookalikes.generated.yaml, which src/domain/lexicon.ts reads.
//
//   npx tsx scripts/make-lookalikes.ts [--chars 3500] [--out config/lookalikes.generated.yaml]
//
// The character set: the most frequent characters of jieba's dictionary (summed word frequency),
// plus every character of the trade words (config/trade-words.yaml), of the programme's
// vocabularies (config/vocabularies.yaml) and of the terms in config/lexicon.yaml. No pair is ever
// added by hand: re-run this script (same fonts → same output) instead of editing the table.
// Re-run it after changing the trade words or the vocabularies (their characters join the set).
//
// Run time with the default 3,515 characters × 7 faces on 2 cores: ~65 s (drawing ~11 s, comparing
// all 6.2M pairs of 2,800-value maps ~50 s); slower on a busy machine. Output is deterministic:
// two runs gave byte-identical tables. Known pairs that come out: 窑/窗/窖, 瓷/资, 己/已, 未/末,
// 土/士, 人/入, 目/自, 机/饥; that do not (too different as glyphs at this size): 锆/锋, 人/八,
// 巳 (not among the 3,500 most frequent characters).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Installed faces (fontconfig family names): serif, sans, kai ×3, ming, hei. */
export const DEFAULT_FACES = [
  'Noto Serif CJK SC',
  'Noto Sans CJK SC',
  'AR PL UKai CN',
  'AR PL KaitiM GB',
  'LXGW WenKai',
  'AR PL UMing CN',
  'WenQuanYi Zen Hei',
] as const;

export interface LookalikeOptions {
  faces?: readonly string[];
  /** Pixels of the square each character is drawn in. */
  cell?: number;
  /** Side of the blurred feature grid the cell is reduced to (cell must be a multiple). */
  grid?: number;
  /** Largest distance (1 − mean correlation over the faces) at which two characters look alike. */
  maxDistance?: number;
  /** Most look-alikes kept per character. */
  maxPerChar?: number;
}

export const DEFAULTS: Required<LookalikeOptions> = {
  faces: DEFAULT_FACES,
  cell: 40,
  grid: 20,
  maxDistance: 0.22,
  maxPerChar: 6,
};

const HAN = /^\p{Script=Han}$/u;

/** Characters of jieba's dictionary by summed word frequency, most frequent first (ties by code point). */
export function charsByFrequency(dictText: string): string[] {
  const freq = new Map<string, number>();
  for (const line of dictText.split('\n')) {
    const [word, f] = line.split(' ');
    if (!word || !f) continue;
    const n = Number(f);
    for (const c of word) if (HAN.test(c)) freq.set(c, (freq.get(c) ?? 0) + n);
  }
  return [...freq].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).map(([c]) => c);
}

const cmp = (a: string, b: string): number => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0);

/** Every string value anywhere in a parsed YAML document. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/** The character set: the `top` most frequent characters plus every character of the domain's words. */
export function characterSet(top: number): string[] {
  const dict = readFileSync(resolve(ROOT, 'node_modules/@node-rs/jieba/dict.txt'), 'utf8');
  const set = new Set(charsByFrequency(dict).slice(0, top));
  const trade = parse(readFileSync(resolve(ROOT, 'config/trade-words.yaml'), 'utf8'));
  const vocab = parse(readFileSync(resolve(ROOT, 'config/vocabularies.yaml'), 'utf8'));
  const lexicon = parse(readFileSync(resolve(ROOT, 'config/lexicon.yaml'), 'utf8')) as { terms?: unknown };
  for (const s of [...stringsIn(trade), ...stringsIn(vocab), ...stringsIn(lexicon.terms)]) {
    for (const c of s) if (HAN.test(c)) set.add(c);
  }
  return [...set].sort(cmp);
}

const COLUMNS = 64;

/**
 * Each character drawn in one face, black on white, in a `cell`-pixel square on the em box (so
 * 一 stays a thin bar in the middle, not a stretched block), reduced to a `grid`×`grid` blurred ink
 * map, mean-removed and scaled to unit length: the dot product of two maps is their correlation.
 */
export async function glyphFeatures(
  chars: readonly string[],
  face: string,
  cell: number,
  grid: number,
): Promise<Float32Array[]> {
  const rows = Math.ceil(chars.length / COLUMNS);
  const width = COLUMNS * cell;
  const size = cell * 0.9;
  const texts = chars
    .map(
      (c, i) =>
        `<text x="${(i % COLUMNS) * cell + cell / 2}" y="${Math.floor(i / COLUMNS) * cell + cell * 0.84}">${c}</text>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${rows * cell}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="${face}" font-size="${size}" text-anchor="middle" fill="#000">${texts}</g></svg>`;
  const { data } = await sharp(Buffer.from(svg), { limitInputPixels: false })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const step = cell / grid;
  return chars.map((_, i) => {
    const x0 = (i % COLUMNS) * cell;
    const y0 = Math.floor(i / COLUMNS) * cell;
    const ink = new Float64Array(grid * grid);
    for (let y = 0; y < cell; y++) {
      const row = (y0 + y) * width + x0;
      const gy = Math.floor(y / step) * grid;
      for (let x = 0; x < cell; x++) {
        const g = gy + Math.floor(x / step);
        ink[g] = (ink[g] as number) + (255 - (data[row + x] as number)) / 255;
      }
    }
    return unit(blur(ink, grid));
  });
}

/** A [1 2 1]² blur, so a stroke one cell over still overlaps. */
function blur(src: Float64Array, n: number): Float64Array {
  const tmp = new Float64Array(n * n);
  const out = new Float64Array(n * n);
  const at = (a: Float64Array, x: number, y: number) =>
    x < 0 || y < 0 || x >= n || y >= n ? 0 : (a[y * n + x] as number);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) tmp[y * n + x] = at(src, x - 1, y) + 2 * at(src, x, y) + at(src, x + 1, y);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) out[y * n + x] = at(tmp, x, y - 1) + 2 * at(tmp, x, y) + at(tmp, x, y + 1);
  return out;
}

function unit(v: Float64Array): Float32Array {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let norm = 0;
  for (const x of v) norm += (x - mean) ** 2;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(v, (x) => (x - mean) / norm);
}

export interface LookalikeTable {
  chars: string[];
  /** For each character, its look-alikes nearest first, with their distances. */
  nearest: Map<string, { char: string; distance: number }[]>;
  options: Required<LookalikeOptions>;
  seconds: { render: number; compare: number };
}

/** Renders `chars` in every face and finds each one's nearest characters. */
export async function makeLookalikes(
  chars: readonly string[],
  options: LookalikeOptions = {},
): Promise<LookalikeTable> {
  const opts = { ...DEFAULTS, ...options };
  const sorted = [...new Set(chars)].sort(cmp);
  const t0 = performance.now();
  const perFace: Float32Array[][] = [];
  for (const face of opts.faces) perFace.push(await glyphFeatures(sorted, face, opts.cell, opts.grid));
  // One vector per character: the faces side by side, each weighted 1/faces, so that the dot
  // product of two vectors is the mean of their per-face correlations.
  const dim = opts.grid * opts.grid;
  const faces = perFace.length;
  const vec = new Float32Array(sorted.length * dim * faces);
  const w = 1 / Math.sqrt(faces);
  sorted.forEach((_, i) => {
    perFace.forEach((f, k) => {
      const src = f[i] as Float32Array;
      const base = (i * faces + k) * dim;
      for (let d = 0; d < dim; d++) vec[base + d] = (src[d] as number) * w;
    });
  });
  const t1 = performance.now();
  const len = dim * faces;
  const n = sorted.length;
  const best: { j: number; s: number }[][] = sorted.map(() => []);
  const minSim = 1 - opts.maxDistance;
  const keep = (i: number, j: number, s: number) => {
    const list = best[i] as { j: number; s: number }[];
    list.push({ j, s });
    if (list.length > opts.maxPerChar * 4) {
      list.sort((a, b) => b.s - a.s || a.j - b.j);
      list.length = opts.maxPerChar;
    }
  };
  for (let i = 0; i < n; i++) {
    const a = i * len;
    for (let j = i + 1; j < n; j++) {
      const b = j * len;
      let s = 0;
      for (let d = 0; d < len; d++) s += (vec[a + d] as number) * (vec[b + d] as number);
      if (s >= minSim) {
        keep(i, j, s);
        keep(j, i, s);
      }
    }
  }
  const t2 = performance.now();
  const nearest = new Map<string, { char: string; distance: number }[]>();
  sorted.forEach((c, i) => {
    const list = (best[i] as { j: number; s: number }[])
      .sort((a, b) => b.s - a.s || a.j - b.j)
      .slice(0, opts.maxPerChar);
    if (list.length > 0)
      nearest.set(
        c,
        list.map(({ j, s }) => ({ char: sorted[j] as string, distance: round3(1 - s) })),
      );
  });
  return {
    chars: sorted,
    nearest,
    options: opts,
    seconds: { render: (t1 - t0) / 1000, compare: (t2 - t1) / 1000 },
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Words of `text` as comment lines of at most `width` characters. */
function commentLines(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The YAML file: a header saying how it was made, then `char: look-alikes` nearest first. */
export function tableYaml(table: LookalikeTable, charset: string): string {
  const o = table.options;
  const pairs = [...table.nearest.values()].reduce((n, l) => n + l.length, 0);
  const lines = [
    '# GENERATED by scripts/make-lookalikes.ts — do not edit by hand, and never add pairs here from',
    '# misreads seen in our samples or corpus: re-run the script instead. Hand-listed look-alikes the',
    '# bureau wants belong in config/lexicon.yaml.',
    '#',
    ...commentLines(
      `${charset} Each of the ${table.chars.length} characters was drawn in a ${o.cell} px square in ` +
        `${o.faces.join(', ')}; reduced to a blurred ${o.grid}×${o.grid} ink map per face. Two ` +
        `characters look alike when 1 − (the correlation of their maps, averaged over the faces) ≤ ` +
        `${o.maxDistance}; at most ${o.maxPerChar} per character, nearest first. ` +
        'src/domain/lexicon.ts links every pair both ways.',
    ),
    `# ${table.nearest.size} characters have look-alikes, ${pairs} entries in all.`,
    'lookalikes:',
    ...[...table.nearest].map(([c, list]) => `  ${c}: ${list.map((l) => l.char).join('')}`),
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      chars: { type: 'string', default: '3500' },
      out: { type: 'string', default: resolve(ROOT, 'config/lookalikes.generated.yaml') },
      verbose: { type: 'boolean', default: false },
    },
  });
  const top = Number(values.chars);
  const started = performance.now();
  const chars = characterSet(top);
  const table = await makeLookalikes(chars);
  const seconds = (performance.now() - started) / 1000;
  const charset =
    `Character set: the ${top} most frequent characters of jieba's dict.txt (by summed word frequency) ` +
    'and every character of config/trade-words.yaml, config/vocabularies.yaml and the terms of config/lexicon.yaml.';
  writeFileSync(values.out, tableYaml(table, charset));
  if (values.verbose)
    for (const [c, l] of table.nearest) console.log(c, l.map((x) => `${x.char}${x.distance}`).join(' '));
  console.log(
    `${chars.length} characters, ${table.nearest.size} with look-alikes → ${values.out} ` +
      `(render ${table.seconds.render.toFixed(1)} s, compare ${table.seconds.compare.toFixed(1)} s, ` +
      `total ${seconds.toFixed(1)} s)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
