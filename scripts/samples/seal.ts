// A red round seal for the sample scans: ring, five-pointed star, the organisation's name on the
// upper arc and 样章 ("specimen") under the star, so nobody mistakes a sample for a real seal.
// It is drawn as SVG, rasterised by sharp (librsvg + fontconfig finds the CJK face), then given an
// ink texture — uneven pressure, a few dry gaps — because a flat vector disc is far easier to
// detect and mask than the stamps on real paper.
import sharp from 'sharp';
import type { Random } from './random.js';
import { type InkMap, smoothField } from './raster.js';

/** Official seals are 38-42 mm across; 40 mm at 300 dpi. */
export const SEAL_DIAMETER_MM = 40;

export const SEAL_INK: readonly [number, number, number] = [205, 30, 38];

/** Radius of the ring's outer edge in a seal drawn on a `sizePx` square. */
export const sealRadius = (sizePx: number): number => (sizePx / 2) * 0.96;

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sealSvg(name: string, sizePx: number, rotationDeg = 0): string {
  const c = sizePx / 2;
  const R = sealRadius(sizePx);
  const ring = R * 0.065;
  const chars = [...name];
  // Longer names spread over more of the circle and use narrower characters, as seal engravers do.
  const span = Math.min(250, Math.max(150, chars.length * 24));
  const textR = R * 0.7;
  const fontSize = R * (chars.length > 10 ? 0.23 : 0.27);
  const squeeze = chars.length > 10 ? 0.78 : 0.9;
  const glyphs = chars
    .map((ch, i) => {
      const a = chars.length === 1 ? 0 : -span / 2 + (span * i) / (chars.length - 1);
      const t = (a * Math.PI) / 180;
      const x = c + textR * Math.sin(t);
      const y = c - textR * Math.cos(t);
      return (
        `<text transform="translate(${x.toFixed(2)} ${y.toFixed(2)}) rotate(${a.toFixed(2)}) scale(${squeeze} 1)" ` +
        `font-size="${fontSize.toFixed(2)}" text-anchor="middle" dominant-baseline="central">${escapeXml(ch)}</text>`
      );
    })
    .join('');
  const star = Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? R * 0.27 : R * 0.105;
    const t = (i * Math.PI) / 5;
    return `${(c + r * Math.sin(t)).toFixed(2)},${(c - R * 0.02 - r * Math.cos(t)).toFixed(2)}`;
  }).join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${sizePx}" height="${sizePx}" viewBox="0 0 ${sizePx} ${sizePx}">` +
    `<g transform="rotate(${rotationDeg.toFixed(2)} ${c} ${c})" fill="#000" font-family="Noto Serif CJK SC" font-weight="bold">` +
    `<circle cx="${c}" cy="${c}" r="${(R - ring / 2).toFixed(2)}" fill="none" stroke="#000" stroke-width="${ring.toFixed(2)}"/>` +
    glyphs +
    `<polygon points="${star}"/>` +
    `<text x="${c}" y="${(c + R * 0.5).toFixed(2)}" font-size="${(R * 0.22).toFixed(2)}" text-anchor="middle" dominant-baseline="central">样  章</text>` +
    '</g></svg>'
  );
}

/** The seal as an ink density map with a stamped texture. */
export async function sealInk(name: string, sizePx: number, rng: Random): Promise<InkMap> {
  const rotation = rng.range(-18, 18);
  const svg = sealSvg(name, sizePx, rotation);
  const { data } = await sharp(Buffer.from(svg))
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Pressure: one side of the stamp presses harder; plus blotchy low-frequency variation.
  const pressure = smoothField(rng, sizePx, sizePx, 5);
  const mottle = smoothField(rng, sizePx, sizePx, 22);
  const tilt = rng.range(0, 2 * Math.PI);
  const strength = rng.range(0.86, 1);
  const density = new Float32Array(sizePx * sizePx);
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      const i = y * sizePx + x;
      const a = (data[i] as number) / 255;
      if (a === 0) continue;
      const side =
        0.5 + 0.5 * (((x / sizePx - 0.5) * Math.cos(tilt) + (y / sizePx - 0.5) * Math.sin(tilt)) * 1.4);
      let d =
        a *
        strength *
        (0.72 + 0.2 * (pressure[i] as number) + 0.1 * side) *
        (0.85 + 0.15 * (mottle[i] as number));
      // Dry gaps where the paper did not take ink.
      if (rng.next() < 0.04) d *= rng.range(0.2, 0.7);
      density[i] = Math.min(1, d);
    }
  }
  return { size: sizePx, density };
}
