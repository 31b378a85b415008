// Phone photos: find the page (or, when the page fills the frame, the table's outer border) as a
// quadrilateral and warp it back to a rectangle.
//
// The quad comes from the largest bright region (the page on a darker desk) or the largest dark
// region (the table grid, whose rules all connect): its convex hull is cut down to four vertices,
// then each side is re-fitted to the region's boundary points and the sides are intersected, which
// is more precise than any single hull vertex.
//
// In a photo (a frame not shaped like an A4 scan) the page is first looked for by its straight
// edges (page-lines.ts), which a light desk, a paper pile, a shadow or glare do not break; the
// regions are the fallback, and the only path for scans.
// Over 400 lines because the region and line paths to a quad, the camera model and the warp
// share their geometry.
import { homographyFromPoints, type Point, type Quad, rectQuad, warpPerspective } from './homography.js';
import { pageFromLines } from './page-lines.js';
import { boxBlur, histogram, otsu, type Raster, shrinkTo, toGrey } from './raster.js';

export interface PageQuad {
  /** TL, TR, BR, BL in input pixels. */
  quad: Quad;
  kind: 'page' | 'table';
  /** Share of the image the quad covers. */
  area: number;
}

export interface FindQuadOptions {
  workingSize?: number;
  /** Look for the page, the table, or the page and then the table (default). */
  prefer?: 'page' | 'table' | 'auto';
}

interface Component {
  area: number;
  /** Per-row extremes and per-column extremes: the region's outer boundary. */
  boundary: Point[];
  touchesBorder: number;
}

/** Largest 4-connected component of `mask` by its bounding-box area. */
function largestComponent(mask: Uint8Array, W: number, H: number, skipBorder = false): Component | null {
  const label = new Int32Array(W * H);
  const stack = new Int32Array(W * H);
  let best: { id: number; box: number; area: number; touches: number } | null = null;
  let id = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    id++;
    let sp = 0;
    stack[sp++] = start;
    label[start] = id;
    let area = 0;
    let x0 = W;
    let x1 = 0;
    let y0 = H;
    let y1 = 0;
    while (sp > 0) {
      const p = stack[--sp] as number;
      area++;
      const x = p % W;
      const y = (p - x) / W;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && mask[p - 1] && !label[p - 1]) {
        label[p - 1] = id;
        stack[sp++] = p - 1;
      }
      if (x + 1 < W && mask[p + 1] && !label[p + 1]) {
        label[p + 1] = id;
        stack[sp++] = p + 1;
      }
      if (y > 0 && mask[p - W] && !label[p - W]) {
        label[p - W] = id;
        stack[sp++] = p - W;
      }
      if (y + 1 < H && mask[p + W] && !label[p + W]) {
        label[p + W] = id;
        stack[sp++] = p + W;
      }
    }
    const box = (x1 - x0 + 1) * (y1 - y0 + 1);
    const touches = (x0 === 0 ? 1 : 0) + (y0 === 0 ? 1 : 0) + (x1 === W - 1 ? 1 : 0) + (y1 === H - 1 ? 1 : 0);
    if (skipBorder && touches > 0) continue;
    if (!best || box > best.box) best = { id, box, area, touches };
  }
  if (!best) return null;
  const boundary: Point[] = [];
  const colTop = new Int32Array(W).fill(-1);
  const colBottom = new Int32Array(W).fill(-1);
  for (let y = 0; y < H; y++) {
    let l = -1;
    let r = -1;
    for (let x = 0; x < W; x++) {
      if (label[y * W + x] !== best.id) continue;
      if (l < 0) l = x;
      r = x;
      if ((colTop[x] as number) < 0) colTop[x] = y;
      colBottom[x] = y;
    }
    if (l >= 0) boundary.push({ x: l, y: y + 0.5 }, { x: r + 1, y: y + 0.5 });
  }
  for (let x = 0; x < W; x++) {
    if ((colTop[x] as number) < 0) continue;
    boundary.push({ x: x + 0.5, y: colTop[x] as number }, { x: x + 0.5, y: (colBottom[x] as number) + 1 });
  }
  return { area: best.area, boundary, touchesBorder: best.touches };
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Convex hull (Andrew's monotone chain), counter-clockwise in image coordinates. */
export function convexHull(points: Point[]): Point[] {
  const pts = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (pts.length < 3) return pts;
  const lower: Point[] = [];
  for (const p of pts) {
    while (
      lower.length >= 2 &&
      cross(lower[lower.length - 2] as Point, lower[lower.length - 1] as Point, p) <= 0
    )
      lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i] as Point;
    while (
      upper.length >= 2 &&
      cross(upper[upper.length - 2] as Point, upper[upper.length - 1] as Point, p) <= 0
    )
      upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/** Cuts a convex polygon down to four vertices, each time dropping the one whose loss costs least area. */
function reduceToQuad(hull: Point[]): Point[] {
  const poly = [...hull];
  while (poly.length > 4) {
    let bestI = 0;
    let bestA = Number.POSITIVE_INFINITY;
    for (let i = 0; i < poly.length; i++) {
      const a = poly[(i + poly.length - 1) % poly.length] as Point;
      const b = poly[i] as Point;
      const c = poly[(i + 1) % poly.length] as Point;
      const area = Math.abs(cross(a, b, c));
      if (area < bestA) {
        bestA = area;
        bestI = i;
      }
    }
    poly.splice(bestI, 1);
  }
  return poly;
}

/** Orders four corners as TL, TR, BR, BL. */
export function orderQuad(pts: Point[]): Quad {
  const cx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
  const cy = pts.reduce((s, p) => s + p.y, 0) / pts.length;
  const byAngle = [...pts].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  // In image coordinates atan2 runs clockwise on screen; start at the corner nearest the top-left.
  let start = 0;
  for (let i = 1; i < 4; i++) {
    const p = byAngle[i] as Point;
    const s = byAngle[start] as Point;
    if (p.x + p.y < s.x + s.y) start = i;
  }
  const q = [0, 1, 2, 3].map((k) => byAngle[(start + k) % 4] as Point);
  return [q[0] as Point, q[1] as Point, q[2] as Point, q[3] as Point];
}

interface Line {
  /** Unit normal and offset: n·p = d. */
  nx: number;
  ny: number;
  d: number;
}

/** Total-least-squares line through points. */
function fitLine(points: Point[]): Line | null {
  if (points.length < 5) return null;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.x;
    my += p.y;
  }
  mx /= points.length;
  my /= points.length;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    syy += (p.y - my) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  // Direction of largest spread; the normal is perpendicular to it.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const nx = -Math.sin(theta);
  const ny = Math.cos(theta);
  return { nx, ny, d: nx * mx + ny * my };
}

function intersect(a: Line, b: Line): Point | null {
  const det = a.nx * b.ny - a.ny * b.nx;
  if (Math.abs(det) < 1e-9) return null;
  return { x: (a.d * b.ny - a.ny * b.d) / det, y: (a.nx * b.d - a.d * b.nx) / det };
}

/** Re-fits each side to the boundary points near it (ignoring the ends, where corners round off). */
function refine(quad: Quad, boundary: Point[], tol: number): Quad {
  const lines: Line[] = [];
  for (let i = 0; i < 4; i++) {
    const a = quad[i] as Point;
    const b = quad[(i + 1) % 4] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let near: Point[] = [];
    for (let pass = 0; pass < 2; pass++) {
      const line = pass === 0 ? null : fitLine(near);
      const ref = line ?? { nx: -uy, ny: ux, d: -uy * a.x + ux * a.y };
      near = boundary.filter((p) => {
        const t = (p.x - a.x) * ux + (p.y - a.y) * uy;
        if (t < len * 0.1 || t > len * 0.9) return false;
        return Math.abs(ref.nx * p.x + ref.ny * p.y - ref.d) <= tol;
      });
    }
    const fitted = fitLine(near);
    if (!fitted) return quad;
    lines.push(fitted);
  }
  const out: Point[] = [];
  for (let i = 0; i < 4; i++) {
    const p = intersect(lines[(i + 3) % 4] as Line, lines[i] as Line);
    if (!p) return quad;
    out.push(p);
  }
  return [out[0] as Point, out[1] as Point, out[2] as Point, out[3] as Point];
}

function quadArea(q: Quad): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i] as Point;
    const b = q[(i + 1) % 4] as Point;
    s += a.x * b.y - b.x * a.y;
  }
  return Math.abs(s) / 2;
}

/** Interior angles in degrees, in corner order. */
export function quadAngles(q: Quad): number[] {
  return [0, 1, 2, 3].map((i) => {
    const p = q[i] as Point;
    const a = q[(i + 3) % 4] as Point;
    const b = q[(i + 1) % 4] as Point;
    const v1 = { x: a.x - p.x, y: a.y - p.y };
    const v2 = { x: b.x - p.x, y: b.y - p.y };
    const c = (v1.x * v2.x + v1.y * v2.y) / (Math.hypot(v1.x, v1.y) * Math.hypot(v2.x, v2.y));
    return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
  });
}

function plausible(q: Quad, W: number, H: number): boolean {
  const angles = quadAngles(q);
  if (angles.some((a) => a < 45 || a > 135)) return false;
  return quadArea(q) >= W * H * 0.15;
}

function quadOf(c: Component, W: number, H: number, tol: number): Quad | null {
  const hull = convexHull(c.boundary);
  if (hull.length < 4) return null;
  const q = refine(orderQuad(reduceToQuad(hull)), c.boundary, tol);
  return plausible(q, W, H) ? q : null;
}

/** Score a quad of straight edges needs to be taken for the page (see pageFromLines). */
const MIN_LINES_SCORE = 0.6;

/**
 * Whether an image is shaped like an A4 page (portrait or on its side), as a scan is; a photo is a
 * 4:3 or 16:9 frame with a desk around the page.
 */
export function scanShaped(r: { width: number; height: number }): boolean {
  const long = Math.max(r.width, r.height);
  const short = Math.min(r.width, r.height);
  return Math.abs(long / short / Math.SQRT2 - 1) <= 0.035;
}

/** Finds the page (or the outer table border) in a photo. Null when neither is found. */
export async function findPageQuad(image: Raster, opts: FindQuadOptions = {}): Promise<PageQuad | null> {
  const { image: small, scale } = await shrinkTo(toGrey(image), opts.workingSize ?? 900);
  const { width: W, height: H } = small;
  const blurred = boxBlur(small.data, W, H, 1);
  const t = otsu(histogram(small));
  const tol = Math.max(2, Math.round(Math.max(W, H) * 0.004));
  const toInput = (q: Quad): Quad => q.map((p) => ({ x: p.x / scale, y: p.y / scale })) as unknown as Quad;
  const prefer = opts.prefer ?? 'auto';

  // A photo (a 4:3 or 16:9 frame, not an A4-shaped scan): the page from its straight edges first.
  if (prefer !== 'table' && !scanShaped(image)) {
    const found = pageFromLines(small, { aspect: rectangleAspect });
    if (found && found.score >= MIN_LINES_SCORE)
      return { quad: toInput(found.quad), kind: 'page', area: quadArea(found.quad) / (W * H) };
  }
  if (prefer !== 'table') {
    const bright = new Uint8Array(W * H);
    for (let i = 0; i < bright.length; i++) bright[i] = (blurred[i] as number) > t ? 1 : 0;
    const page = largestComponent(bright, W, H);
    // A page touching three or four image edges fills the frame: its border is not in the picture.
    if (page && page.touchesBorder <= 2) {
      const q = quadOf(page, W, H, tol);
      if (q) return { quad: toInput(q), kind: 'page', area: quadArea(q) / (W * H) };
    }
    if (prefer === 'page') return null;
  }
  const dark = new Uint8Array(W * H);
  for (let i = 0; i < dark.length; i++) dark[i] = (small.data[i] as number) <= t ? 1 : 0;
  // The desk (if any) is dark too but touches the image edge; the grid does not.
  const grid = largestComponent(dark, W, H, true);
  if (!grid) return null;
  const q = quadOf(grid, W, H, tol);
  return q ? { quad: toInput(q), kind: 'table', area: quadArea(q) / (W * H) } : null;
}

/** Whether a quad is a plain rectangle (up to rotation): a scan that only needs deskewing. */
export function isRectangular(q: Quad, angleTol = 0.6, sideTol = 0.006): boolean {
  if (quadAngles(q).some((a) => Math.abs(a - 90) > angleTol)) return false;
  const side = (i: number) => {
    const a = q[i] as Point;
    const b = q[(i + 1) % 4] as Point;
    return Math.hypot(b.x - a.x, b.y - a.y);
  };
  return Math.abs(side(0) / side(2) - 1) <= sideTol && Math.abs(side(1) / side(3) - 1) <= sideTol;
}

/**
 * Height/width of the real rectangle behind a photographed quad, assuming a pinhole camera with
 * square pixels and the principal point at the image centre (Zhang & He, "Whiteboard scanning and
 * image enhancement", 2007). Null when the view is too frontal to tell (then the side lengths are
 * good enough) or the quad is not a projected rectangle.
 */
export function rectangleAspect(quad: Quad, imageWidth: number, imageHeight: number): number | null {
  const u0 = imageWidth / 2;
  const v0 = imageHeight / 2;
  const [tl, tr, br, bl] = quad;
  const m = (p: Point) => [p.x - u0, p.y - v0, 1] as [number, number, number];
  const m1 = m(tl);
  const m2 = m(tr);
  const m3 = m(bl);
  const m4 = m(br);
  const crossV = (a: number[], b: number[]) => [
    (a[1] as number) * (b[2] as number) - (a[2] as number) * (b[1] as number),
    (a[2] as number) * (b[0] as number) - (a[0] as number) * (b[2] as number),
    (a[0] as number) * (b[1] as number) - (a[1] as number) * (b[0] as number),
  ];
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
  const c14 = crossV(m1, m4);
  const k2 = dot(c14, m3) / dot(crossV(m2, m4), m3);
  const k3 = dot(c14, m2) / dot(crossV(m3, m4), m2);
  const n2 = m2.map((v, i) => k2 * v - (m1[i] as number));
  const n3 = m3.map((v, i) => k3 * v - (m1[i] as number));
  const [ax, ay, az] = n2 as [number, number, number];
  const [bx, by, bz] = n3 as [number, number, number];
  // Nearly frontal: no vanishing point in reach, the focal length is not observable.
  if (Math.abs(az) < 1e-3 || Math.abs(bz) < 1e-3) return null;
  const f2 = -(ax * bx + ay * by) / (az * bz);
  if (!(f2 > 0) || Math.sqrt(f2) < Math.max(imageWidth, imageHeight) * 0.3) return null;
  const wh2 = (ax * ax + ay * ay + f2 * az * az) / (bx * bx + by * by + f2 * bz * bz);
  return wh2 > 0 ? 1 / Math.sqrt(wh2) : null;
}

export interface PerspectiveOptions {
  /** Output size; default from the quad's side lengths and the estimated aspect ratio. */
  width?: number;
  height?: number;
  /** Snap the output to the A4 aspect ratio when the estimate is within 10 % of it (pages). */
  a4?: boolean;
  /** Size of the photo the quad was found in (for the aspect estimate); default: the image. */
  frame?: { width: number; height: number };
  /** Where the image lies in that photo when it is a crop of it (the quad is in the crop's pixels). */
  origin?: Point;
  /**
   * Scale up to at least this width: a page photographed from afar or forwarded by a chat app
   * (1280–2000 px on its long side) is read at the resolution the OCR settings were measured at.
   */
  minWidth?: number;
}

/** Warps the quad to an upright rectangle covering the whole output. */
export function correctPerspective(image: Raster, quad: Quad, opts: PerspectiveOptions = {}): Raster {
  const d = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);
  const [tl, tr, br, bl] = quad;
  const measuredW = Math.max(d(tl, tr), d(bl, br));
  const measuredH = Math.max(d(tl, bl), d(tr, br));
  const frame = opts.frame ?? image;
  // Foreshortening shrinks the far side: the camera model recovers the true proportions.
  const measured = measuredH / measuredW;
  const ox = opts.origin?.x ?? 0;
  const oy = opts.origin?.y ?? 0;
  const inFrame = quad.map((p) => ({ x: p.x + ox, y: p.y + oy })) as unknown as Quad;
  const estimated = rectangleAspect(inFrame, frame.width, frame.height);
  // A quad that is no projection of a rectangle through a centred lens gives a wild estimate.
  const ratio = estimated && estimated / measured < 1.6 && measured / estimated < 1.6 ? estimated : measured;
  let hOverW = ratio;
  if (opts.a4) {
    const a4 = Math.SQRT2;
    if (Math.abs(ratio / a4 - 1) < 0.1) hOverW = a4;
    else if (Math.abs(ratio * a4 - 1) < 0.1) hOverW = 1 / a4;
  }
  let w = opts.width ?? 0;
  let h = opts.height ?? 0;
  if (!w && !h) {
    // Keep the resolution of the sharper (nearer) sides.
    if (measuredH / measuredW > hOverW) {
      h = Math.round(measuredH);
      w = Math.round(measuredH / hOverW);
    } else {
      w = Math.round(measuredW);
      h = Math.round(measuredW * hOverW);
    }
  } else if (!h) h = Math.round(w * hOverW);
  else if (!w) w = Math.round(h / hOverW);
  if (opts.minWidth && w < opts.minWidth) {
    h = Math.round((h * opts.minWidth) / w);
    w = opts.minWidth;
  }
  const outToSrc = homographyFromPoints(rectQuad(w, h), quad);
  return warpPerspective(image, outToSrc, w, h);
}

/**
 * Warps so that the table quad becomes an upright rectangle while the page around it stays in
 * the picture (same canvas size): the title and header above the table are still needed.
 */
export function squareTable(image: Raster, quad: Quad): Raster {
  const d = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);
  const [tl, tr, br, bl] = quad;
  const w = (d(tl, tr) + d(bl, br)) / 2;
  const h = (d(tl, bl) + d(tr, br)) / 2;
  const x = (image.width - w) / 2;
  const y = Math.max(0, Math.min(image.height - h, (tl.y + tr.y) / 2));
  const outToSrc = homographyFromPoints(rectQuad(w, h, x, y), quad);
  return warpPerspective(image, outToSrc, image.width, image.height);
}
