// Is there a seal in this (opinion) cell? On colour scans: red pixels. On greyscale scans the seal
// is no longer red but it is lighter than print and darker than paper: earlier measurements found about 1 %
// mid-grey pixels in an opinion cell without a seal against 6 % with one at 300 dpi.
// Works on the raw crop: never contrast-normalise a small crop (noise turns into speckle).
import type { Box } from '../types.js';
import type { Raster } from './raster.js';

export interface StampEvidence {
  /** 'ring' on bilevel scans, where the seal is as black as the print. */
  method: 'red' | 'grey' | 'ring';
  /** Share of the cell's pixels that look like seal ink. */
  share: number;
  stamped: boolean;
  /** 0–1: how far the share is from the decision threshold. */
  confidence: number;
}

export interface StampOptions {
  /** Red pixels: R − max(G, B) at least this. */
  minRedness?: number;
  /** Share of red pixels above which the cell counts as stamped. */
  redShare?: number;
  /** Mid-grey band [lo, hi] on greyscale. */
  greyBand?: [number, number];
  /** Share of mid-grey pixels above which the cell counts as stamped. */
  greyShare?: number;
  /** Resolution of the crop, for the seal sizes the ring search looks for. */
  dpi?: number;
  /** Share of a circle's circumference that must be ink (above chance) for a ring. */
  ringCover?: number;
  /**
   * The page was flattened from uneven light (a photo): shadow and the noise flattening lifts out
   * of it are mid-grey too, so on a greyscale page the grey share alone decides nothing sure.
   */
  unevenLight?: boolean;
  /**
   * The cell with the page around it, and where the cell lies in it: a seal stamped across the
   * cell's border (over the table's frame, half into the margin) has part of its ring outside the
   * cell, and a ring three quarters in the crop was taken for none (bench:ocr, dev-13 greyscale
   * scan). The ring is looked for here, its centre inside the cell — a seal belongs to the cell its
   * centre is in, never to a neighbour it overhangs.
   */
  surround?: { image: Raster; cell: Box };
}

function confidenceOf(share: number, threshold: number): number {
  // Log-distance to the threshold: twice or half the threshold is already fairly sure.
  const d = Math.abs(Math.log((share + 1e-5) / threshold)) / Math.LN2;
  return Math.max(0, Math.min(1, d));
}

/** Redness (R − max(G, B)) of a faded seal's ink; paper tints and grey print stay well below it. */
const FAINT_REDNESS = 25;
/**
 * A seal found only by the weaker looks (pink ink, a ring of light ink) is sure to this much once
 * the evidence is strong: pink over 2.5 times the red share's threshold, a light ring over three
 * quarters closed. On the dev seeds' office scans (dev-13 … dev-16) 21 seals were found that way,
 * none of them wrong; over their scans and photos the false pinks came to 1.5 times the threshold
 * at most, and no unstamped cell showed a light ring. Not under uneven light (a photo): a shadow's
 * edge makes a ring of light grey too.
 */
const WEAK_LOOK_SURE = 0.95;
const PINK_SURE = 2.5;
const LIGHT_RING_SURE = 0.75;
/** Grey levels of a light seal's ink on a greyscale scan: lighter than print, darker than paper. */
export const LIGHT_INK: [number, number] = [140, 230];

export function stampEvidence(cell: Raster, opts: StampOptions = {}): StampEvidence {
  const n = cell.width * cell.height;
  const d = cell.data;
  if (cell.channels === 3) {
    const minRed = opts.minRedness ?? 60;
    let red = 0;
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const r = d[o] as number;
      const g = d[o + 1] as number;
      const b = d[o + 2] as number;
      if (r - Math.max(g, b) >= minRed) red++;
    }
    const share = red / n;
    const threshold = opts.redShare ?? 0.004;
    if (share > threshold)
      return { method: 'red', share, stamped: true, confidence: confidenceOf(share, threshold) };
    // A faded or dry seal is pink, not red: counted with a lower redness, it is a seal found, but
    // one a person confirms; and a cell with some pink is never declared unstamped with certainty.
    let pink = 0;
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const r = d[o] as number;
      if (r - Math.max(d[o + 1] as number, d[o + 2] as number) >= FAINT_REDNESS) pink++;
    }
    const faint = pink / n;
    if (faint > threshold)
      return {
        method: 'red',
        share: faint,
        stamped: true,
        confidence: Math.min(
          faint >= threshold * PINK_SURE && !opts.unevenLight ? WEAK_LOOK_SURE : 0.85,
          confidenceOf(faint, threshold),
        ),
      };
    const sure = confidenceOf(share, threshold);
    return {
      method: 'red',
      share,
      stamped: false,
      confidence: faint > threshold * 0.3 ? Math.min(sure, 0.6) : sure,
    };
  }
  const [lo, hi] = opts.greyBand ?? [90, 200];
  let mid = 0;
  let dark = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i] as number;
    if (v >= lo && v <= hi) mid++;
    else if (v < lo) dark++;
  }
  // A bilevel (1-bit) scan has no grey at all: look for the seal's ring instead.
  if (mid < n * 0.002 && dark > 0) {
    const { best: ring } = ringAround(cell, opts);
    const threshold = opts.ringCover ?? 0.5;
    return {
      method: 'ring',
      share: ring.cover,
      stamped: ring.cover > threshold,
      confidence: Math.min(1, Math.abs(ring.cover - threshold) / 0.2),
    };
  }
  const share = mid / n;
  const threshold = opts.greyShare ?? 0.03;
  const grey: StampEvidence = {
    method: 'grey',
    share,
    stamped: share > threshold,
    confidence: confidenceOf(share, threshold),
  };
  if (grey.stamped && grey.confidence >= WEAK_LOOK_SURE && !opts.unevenLight) return grey;
  // A light seal on a clean scan has few mid-grey pixels, but its ring is still a circle.
  const { best: ring, own } = ringAround(cell, opts);
  if (grey.stamped && !opts.unevenLight) {
    // Grey enough, and a seal's ring three quarters closed: two looks that agree (dev seed grey
    // scans: seals at 0.5–0.75 on their grey share alone).
    if (ring.cover >= LIGHT_RING_SURE) return { ...grey, confidence: WEAK_LOOK_SURE };
    if (grey.confidence >= 0.5) return grey;
  }
  const ringThreshold = opts.ringCover ?? 0.5;
  if (ring.cover > ringThreshold) {
    return {
      method: 'ring',
      share: ring.cover,
      stamped: true,
      confidence: Math.min(1, (ring.cover - ringThreshold) / 0.2),
    };
  }
  // A seal printed light (a dry pad, a pale scan) is lighter than the grey band's print-free part
  // and not ink to the ring search: looked for again as a ring of light ink only. Found that way it
  // is a seal, but one a person confirms.
  const { best: light, own: ownLight } = ringAround(cell, { ...opts, inkBand: LIGHT_INK });
  if (light.cover > ringThreshold)
    return {
      method: 'ring',
      share: light.cover,
      stamped: true,
      confidence: Math.min(
        light.cover >= LIGHT_RING_SURE && !opts.unevenLight ? WEAK_LOOK_SURE : 0.85,
        (light.cover - ringThreshold) / 0.2,
      ),
    };
  // Few grey pixels, but part of a ring: a faded seal leaves no more grey than an unstamped cell,
  // and a broken ring is all that is left of it. Unstamped, but not with certainty.
  if (!grey.stamped) {
    // Part of a ring in the cell's own crop: the surround holds the neighbours' seals, whose arcs
    // a circle centred in this cell may touch — no sign this cell was stamped.
    const cover = Math.max(own.cover, ownLight.cover);
    return { ...grey, confidence: Math.min(grey.confidence, Math.max(0, (ringThreshold - cover) / 0.3)) };
  }
  // Grey enough for a seal but no ring of one: under uneven light that grey may be a shadow.
  return opts.unevenLight ? { ...grey, confidence: Math.min(grey.confidence, 0.6) } : grey;
}

/**
 * The ring search over the cell (`own`) and, where that finds no sure ring, over its surround with
 * the centre kept inside the cell; `best`: the more closed of the two. The surround adds what the
 * cell's edge cut off, and takes nothing away: its table rules, in the neighbouring circles, make
 * a ring near the border count less than in the cell's own crop.
 */
function ringAround(cell: Raster, opts: StampOptions & { inkBand?: [number, number] }) {
  const { surround, ...rest } = opts;
  const own = ringEvidence(cell, rest);
  if (!surround || own.cover >= LIGHT_RING_SURE) return { best: own, own };
  const around = ringEvidence(surround.image, { ...rest, centreWithin: surround.cell });
  return { best: around.cover > own.cover ? around : own, own };
}

/**
 * Circle search (Hough transform over the dark pixels) for seal-sized rings: official seals are
 * 38–45 mm across, round ones for units; small ones from 25 mm. Returns the best circle and the
 * share of its circumference that is ink, above chance (0: no better than a random circle).
 */
export function ringEvidence(
  cell: Raster,
  opts: { dpi?: number; inkBand?: [number, number]; centreWithin?: Box } = {},
): { cover: number; centre: { x: number; y: number }; radius: number } {
  const [inkFrom, inkTo] = opts.inkBand ?? [0, 127];
  const dpi = opts.dpi ?? 300;
  const rMin = ((25 / 2) * dpi) / 25.4;
  const rMax = ((46 / 2) * dpi) / 25.4;
  // Work at a scale where the largest ring is ~60 px in radius: enough to place it, cheap to vote.
  const step = Math.max(1, Math.floor(rMax / 60));
  const W = Math.floor(cell.width / step);
  const H = Math.floor(cell.height / step);
  const c = cell.channels;
  const ink = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let darkest = 255;
      for (let dy = 0; dy < step; dy++) {
        for (let dx = 0; dx < step; dx++) {
          const v = cell.data[((y * step + dy) * cell.width + x * step + dx) * c] as number;
          if (v < darkest) darkest = v;
        }
      }
      ink[y * W + x] = darkest >= inkFrom && darkest <= inkTo ? 1 : 0;
    }
  }
  // Ink grown by one pixel: what a sample point on a circle counts as a hit. Its share is the hit
  // rate of a circle drawn at random, which dense paragraphs push up.
  const near = new Uint8Array(W * H);
  let nearCount = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let hit = 0;
      for (let dy = -1; dy <= 1 && !hit; dy++) {
        for (let dx = -1; dx <= 1 && !hit; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < W && yy < H && ink[yy * W + xx]) hit = 1;
        }
      }
      near[y * W + x] = hit;
      nearCount += hit;
    }
  }
  const chance = nearCount / Math.max(1, W * H);
  let best = { cover: 0, centre: { x: 0, y: 0 }, radius: 0 };
  const acc = new Uint16Array(W * H);
  const angles = 72;
  // The ink points once, as flat coordinates: the vote below visits each of them for every radius.
  let inkCount = 0;
  for (let i = 0; i < ink.length; i++) inkCount += ink[i] as number;
  const inkX = new Int32Array(inkCount);
  const inkY = new Int32Array(inkCount);
  for (let y = 0, k = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!ink[y * W + x]) continue;
      inkX[k] = x;
      inkY[k] = y;
      k++;
    }
  }
  // Where a centre may lie (step-scaled): the whole image, or the cell within its surround.
  const within = opts.centreWithin;
  const cx0 = within ? Math.max(0, Math.floor(within.x / step)) : 0;
  const cy0 = within ? Math.max(0, Math.floor(within.y / step)) : 0;
  const cx1 = within ? Math.min(W, Math.ceil((within.x + within.w) / step)) : W;
  const cy1 = within ? Math.min(H, Math.ceil((within.y + within.h) / step)) : H;
  const offX = new Int32Array(angles);
  const offY = new Int32Array(angles);
  for (let r = rMin / step; r <= rMax / step; r *= 1.04) {
    acc.fill(0);
    for (let a = 0; a < angles; a++) {
      const t = (2 * Math.PI * a) / angles;
      offX[a] = Math.round(r * Math.cos(t));
      offY[a] = Math.round(r * Math.sin(t));
    }
    for (let k = 0; k < inkCount; k++) {
      const x = inkX[k] as number;
      const y = inkY[k] as number;
      for (let a = 0; a < angles; a++) {
        const cx = x + (offX[a] as number);
        const cy = y + (offY[a] as number);
        if (cx >= 0 && cy >= 0 && cx < W && cy < H) acc[cy * W + cx] = (acc[cy * W + cx] as number) + 1;
      }
    }
    let peak = 0;
    let at = 0;
    for (let y = cy0; y < cy1; y++) {
      for (let i = y * W + cx0; i < y * W + cx1; i++) {
        if ((acc[i] as number) > peak) {
          peak = acc[i] as number;
          at = i;
        }
      }
    }
    if (peak === 0) continue;
    // Cover: the share of sample points on this circle that land on ink, above the share on the
    // concentric circles just inside and outside it. A ring is ink exactly on its circle; a rule
    // passing by or a dense paragraph is ink on the neighbouring circles too.
    const cx = at % W;
    const cy = (at - cx) / W;
    const hits = (radius: number): { on: number; inside: number } => {
      let on = 0;
      let inside = 0;
      for (let a = 0; a < angles; a++) {
        const t = (2 * Math.PI * a) / angles;
        const x = Math.round(cx + radius * Math.cos(t));
        const y = Math.round(cy + radius * Math.sin(t));
        if (x < 0 || y < 0 || x >= W || y >= H) continue;
        inside++;
        on += near[y * W + x] as number;
      }
      return { on, inside };
    };
    const ring = hits(r);
    const neighbours = [hits(r * 0.82), hits(r * 1.18)];
    const around =
      neighbours.reduce((sum, h) => sum + h.on, 0) /
      Math.max(
        1,
        neighbours.reduce((sum, h) => sum + h.inside, 0),
      );
    // Seals sit inside their cell: a circle mostly outside the crop is not one.
    const onRing = ring.inside >= angles * 0.85 ? ring.on / ring.inside : 0;
    const baseline = Math.max(around, chance);
    const cover = Math.max(0, (onRing - baseline) / (1 - baseline + 1e-9));
    if (cover > best.cover) best = { cover, centre: { x: cx * step, y: cy * step }, radius: r * step };
  }
  return best;
}
