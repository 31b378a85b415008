// Purpose-built page and cell images for the prepare and OCR tests, drawn as SVG and rendered by
// sharp (librsvg + fontconfig, Noto CJK). Built in the test rather than stored, so that the geometry
// (angles, corners, seal position) is known exactly.
import sharp, { type Sharp } from 'sharp';
import {
  applyHomography,
  homographyFromPoints,
  invertHomography,
  type Quad,
  rectQuad,
  warpPerspective,
} from '../../src/prepare/homography.js';
import type { Raster } from '../../src/prepare/raster.js';

const SERIF = 'Noto Serif CJK SC';
const SANS = 'Noto Sans CJK SC';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function text(
  x: number,
  y: number,
  s: string,
  size = 3.7,
  anchor: 'start' | 'middle' | 'end' = 'start',
  extra = '',
): string {
  return `<text x="${x}" y="${y}" font-family="${SERIF}" font-size="${size}" text-anchor="${anchor}" fill="#000" ${extra}>${esc(s)}</text>`;
}

export interface FormOptions {
  dpi?: number;
  /** Draw a red seal over the recommendation opinion. */
  seal?: boolean;
  /** Leave the title and header out (as on a continuation page). */
  noTitle?: boolean;
}

/** Where the seal is drawn, in millimetres on the A4 page. */
export const SEAL_MM = { cx: 166, cy: 246, r: 19 };
export const TABLE_MM = { left: 20, right: 190, top: 44, bottom: 262 };

/** A registration-like form page: title, header line, bordered table with labels and values. */
export function formSvg(opts: FormOptions = {}): string {
  const dpi = opts.dpi ?? 150;
  const W = 210;
  const H = 297;
  const px = (mm: number) => Math.round((mm * dpi) / 25.4);
  const parts: string[] = [];
  const { left: L, right: R, top: T, bottom: B } = TABLE_MM;
  if (!opts.noTitle) {
    parts.push(
      text(105, 26, '景德镇市选派全市优秀专业技术人才进企业报名表', 6.3, 'middle', 'font-weight="bold"'),
    );
    parts.push(text(L, 39, '填报单位：景德镇陶瓷大学'));
    parts.push(text(R, 39, '填表日期：2020年5月12日', 3.7, 'end'));
  }
  const rows = [T, 58, 72, 86, 100, 132, 172, 212, B];
  const line = (x1: number, y1: number, x2: number, y2: number, w = 0.35) =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#000" stroke-width="${w}"/>`;
  // Seal first: the black print stays black where the red ink covers it (as multiply would).
  if (opts.seal) {
    const { cx, cy, r } = SEAL_MM;
    parts.push(
      `<g fill="none" stroke="#d42b26" stroke-width="1.1"><circle cx="${cx}" cy="${cy}" r="${r}"/></g>`,
      `<path d="M ${cx} ${cy - 7} L ${cx + 2.2} ${cy - 2} L ${cx + 7.2} ${cy - 2} L ${cx + 3.2} ${cy + 1.2} L ${cx + 4.6} ${cy + 6.5} L ${cx} ${cy + 3.3} L ${cx - 4.6} ${cy + 6.5} L ${cx - 3.2} ${cy + 1.2} L ${cx - 7.2} ${cy - 2} L ${cx - 2.2} ${cy - 2} Z" fill="#d42b26"/>`,
      `<text x="${cx}" y="${cy - 10}" font-family="${SANS}" font-size="4.2" text-anchor="middle" fill="#d42b26">景德镇陶瓷大学</text>`,
      `<text x="${cx}" y="${cy + 13}" font-family="${SANS}" font-size="3.6" text-anchor="middle" fill="#d42b26">科技处专用章</text>`,
    );
  }
  for (const y of rows) parts.push(line(L, y, R, y, y === T || y === B ? 0.6 : 0.35));
  parts.push(line(L, T, L, B, 0.6), line(R, T, R, B, 0.6));
  // Short rows: six columns; long rows: label + one wide value.
  const six = [L, 42, 78, 94, 110, 138, R];
  for (const x of six.slice(1, -1)) parts.push(line(x, rows[0] as number, x, rows[3] as number));
  parts.push(line(42, rows[3] as number, 42, B));
  const mid = (a: number, b: number) => (a + b) / 2 + 1.3;
  const cells: [number, number, string, 'label' | 'value'][] = [
    [0, 0, '姓名', 'label'],
    [0, 1, '王建国', 'value'],
    [0, 2, '性别', 'label'],
    [0, 3, '男', 'value'],
    [0, 4, '出生年月', 'label'],
    [0, 5, '1985年3月', 'value'],
    [1, 0, '参加工作', 'label'],
    [1, 1, '2008年7月', 'value'],
    [1, 2, '学历', 'label'],
    [1, 3, '硕士', 'value'],
    [1, 4, '职称', 'label'],
    [1, 5, '高级工程师', 'value'],
    [2, 0, '联系电话', 'label'],
    [2, 1, '13807981234', 'value'],
    [2, 2, '团队', 'label'],
    [2, 3, '3人', 'value'],
    [2, 4, '单位', 'label'],
    [2, 5, '景德镇陶瓷大学', 'value'],
  ];
  for (const [r, c, s, kind] of cells) {
    const x0 = six[c] as number;
    const x1 = six[c + 1] as number;
    const y = mid(rows[r] as number, rows[r + 1] as number);
    parts.push(kind === 'label' ? text((x0 + x1) / 2, y, s, 3.7, 'middle') : text(x0 + 2, y, s));
  }
  parts.push(text(31, mid(rows[3] as number, rows[4] as number), '现工作单位', 3.7, 'middle'));
  parts.push(text(44, mid(rows[3] as number, rows[4] as number), '景德镇陶瓷大学材料科学与工程学院 副院长'));
  const para = (label: string[], lines: string[], y0: number, y1: number) => {
    const lm = (y0 + y1) / 2 - ((label.length - 1) * 5) / 2 + 1.3;
    label.forEach((s, i) => {
      parts.push(text(31, lm + i * 5, s, 3.7, 'middle'));
    });
    lines.forEach((s, i) => {
      parts.push(text(44, y0 + 6 + i * 6, s));
    });
  };
  para(
    ['所擅长的', '专业技术', '领域'],
    [
      '陶瓷材料制备与烧成工艺，窑炉节能改造，',
      '釉料配方设计与色釉稳定性控制，日用瓷及',
      '艺术瓷生产线的质量管理与检测。',
    ],
    rows[4] as number,
    rows[5] as number,
  );
  para(
    ['个人或', '团队简介'],
    [
      '长期从事陶瓷工艺研究，主持省级科研项目三',
      '项，获授权发明专利五件，指导企业完成隧道',
      '窑技术改造两次，年节约能耗百分之十二以上。',
      '熟悉企业生产管理，具有较强的组织能力。',
    ],
    rows[5] as number,
    rows[6] as number,
  );
  para(
    ['拟在企业', '开展的工作'],
    ['协助企业建立釉料实验室，培养技术骨干，', '开展新产品研发与成果转化。'],
    rows[6] as number,
    rows[7] as number,
  );
  para(['推荐单位', '意见'], ['同意推荐。'], rows[7] as number, rows[8] as number);
  parts.push(text(186, (rows[8] as number) - 13, '（盖章）', 3.7, 'end'));
  parts.push(text(186, (rows[8] as number) - 6, '2020年5月12日', 3.7, 'end'));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px(W)}" height="${px(H)}" viewBox="0 0 ${W} ${H}"><rect width="${W}" height="${H}" fill="#fff"/>${parts.join('')}</svg>`;
}

async function rasterOf(png: Sharp, channels: 1 | 3): Promise<Raster> {
  const s = channels === 1 ? png.toColourspace('b-w') : png.toColourspace('srgb').removeAlpha();
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels, data: new Uint8Array(data) };
}

/** The form page as a raster; colour when sealed, greyscale otherwise (unless asked). */
export async function renderForm(opts: FormOptions & { channels?: 1 | 3 } = {}): Promise<Raster> {
  const channels = opts.channels ?? (opts.seal ? 3 : 1);
  return rasterOf(sharp(Buffer.from(formSvg(opts))).flatten({ background: '#ffffff' }), channels);
}

/** Rotates a raster clockwise by `degrees` with sharp (canvas grows; corners white). */
export async function rotated(r: Raster, degrees: number): Promise<Raster> {
  const s = sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } }).rotate(
    degrees,
    {
      background: '#ffffff',
    },
  );
  return rasterOf(s, r.channels);
}

/** JPEG round trip: smears the chroma of thin strokes as a real colour scan does. */
export async function jpegRoundTrip(r: Raster, quality = 80): Promise<Raster> {
  const jpg = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  return rasterOf(sharp(jpg), r.channels);
}

/**
 * A phone photo of the page: the page warped onto a darker desk so that its corners land on `quad`
 * (canvas pixels). Returns the canvas.
 */
/** A checked (gingham) cloth: light and dark bands crossing, squares `size` px wide. */
export function gingham(size: number): (x: number, y: number) => number {
  return (x, y) => {
    const across = Math.floor(x / size) % 2;
    const down = Math.floor(y / size) % 2;
    return across && down ? 70 : across || down ? 150 : 235;
  };
}

export function photoOf(
  page: Raster,
  quad: Quad,
  width: number,
  height: number,
  desk: number | ((x: number, y: number) => number) = 70,
): Raster {
  const pageToCanvas = homographyFromPoints(rectQuad(page.width, page.height), quad);
  const canvasToPage = invertHomography(pageToCanvas);
  // Warp with an out-of-page marker, then paint the desk with a little texture.
  const out = warpPerspective(page, canvasToPage, width, height, 1);
  const c = page.channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = applyHomography(canvasToPage, { x: x + 0.5, y: y + 0.5 });
      if (p.x >= 0 && p.y >= 0 && p.x <= page.width && p.y <= page.height) continue;
      const v = typeof desk === 'number' ? desk + ((x * 7 + y * 13) % 11) - 5 : desk(x, y);
      for (let k = 0; k < c; k++) out.data[(y * width + x) * c + k] = v;
    }
  }
  return out;
}

/** Multiplies by a smooth light falloff (bright top-left, dim bottom-right), as an indoor photo. */
export function unevenLight(r: Raster, darkest = 0.55): Raster {
  const out = new Uint8Array(r.data.length);
  const c = r.channels;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const t = (x / r.width + y / r.height) / 2;
      const f = 1 - (1 - darkest) * t * t;
      for (let k = 0; k < c; k++) {
        const i = (y * r.width + x) * c + k;
        out[i] = Math.round((r.data[i] as number) * f);
      }
    }
  }
  return { ...r, data: out };
}

export interface CellOptions {
  dpi?: number;
  widthMm?: number;
  heightMm?: number;
  sizeMm?: number;
  /** Lines of a paragraph cell; one entry for a one-line cell. */
  lines?: string[];
  seal?: boolean;
  border?: boolean;
}

/** One table cell at scan resolution: the crop the read stage hands to the OCR engine. */
export function cellSvg(value: string, opts: CellOptions = {}): string {
  const dpi = opts.dpi ?? 300;
  const lines = opts.lines ?? [value];
  const size = opts.sizeMm ?? 3.7;
  const w = opts.widthMm ?? 60;
  const h = opts.heightMm ?? Math.max(10, 4 + lines.length * 6);
  const parts = lines.map((s, i) => text(2, lines.length === 1 ? h / 2 + 1.3 : 6 + i * 6, s, size));
  if (opts.seal) {
    const cx = Math.min(w - 12, 26);
    parts.unshift(
      `<circle cx="${cx}" cy="${h / 2}" r="${Math.min(h / 2 + 4, 14)}" fill="none" stroke="#d42b26" stroke-width="1.1"/>`,
      `<text x="${cx}" y="${h / 2 + 1.5}" font-family="${SANS}" font-size="4" text-anchor="middle" fill="#d42b26">专用章</text>`,
    );
  }
  const px = (mm: number) => Math.round((mm * dpi) / 25.4);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px(w)}" height="${px(h)}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#fff"/>${parts.join('')}</svg>`;
}

export async function renderCell(
  value: string,
  opts: CellOptions & { channels?: 1 | 3 } = {},
): Promise<Raster> {
  return rasterOf(
    sharp(Buffer.from(cellSvg(value, opts))).flatten({ background: '#ffffff' }),
    opts.channels ?? (opts.seal ? 3 : 1),
  );
}

/**
 * Corners of an A4 page (210 × 297 mm) photographed by a pinhole camera (focal length `f` pixels,
 * principal point at the frame centre) from 450 mm, tilted by `tilt` about the page's horizontal
 * axis and `yaw` about its vertical axis (radians): the quad a real phone photo shows.
 */
export function cameraQuad(frameW: number, frameH: number, tilt: number, yaw: number, f = 1500): Quad {
  const project = (X: number, Y: number) => {
    const x = X - 105;
    const y = Y - 148.5;
    const y1 = y * Math.cos(tilt);
    const z1 = y * Math.sin(tilt);
    const x2 = x * Math.cos(yaw) + z1 * Math.sin(yaw);
    const z2 = -x * Math.sin(yaw) + z1 * Math.cos(yaw) + 450;
    return { x: frameW / 2 + (f * x2) / z2, y: frameH / 2 + (f * y1) / z2 };
  };
  return [project(0, 0), project(210, 0), project(210, 297), project(0, 297)];
}
