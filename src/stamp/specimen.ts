// Specimen seals for demos and tests: a round red seal with the organisation's name along the upper
// arc, a five-pointed star and the word 样章 (specimen), drawn as SVG and rasterised by sharp to a
// PNG with a transparent background. The word 样章 marks them as specimens: they imitate no real
// seal, and no seal image is a valid electronic seal anyway (see SEAL_IMAGE_NOTICE).
//
// Run `npx tsx src/stamp/specimen.ts` to write samples/seals/*.png.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SPECIMEN_DIR = join(ROOT, 'samples/seals');

const RED = '#d4161c';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The SVG of a specimen seal, `size` pixels square. */
export function specimenSealSvg(name: string, size = 600): string {
  const c = size / 2;
  const ring = size * 0.46;
  const chars = [...name];
  // The name spans most of the upper arc, whatever its length; characters shrink as it grows and
  // are condensed, as engraved seals are.
  const span = Math.min(260, 60 + chars.length * 20);
  const outer = ring - size * 0.035;
  let fontSize = size * 0.13;
  for (let k = 0; k < 3; k++) {
    const perChar = ((outer - fontSize / 2) * Math.PI * span) / 180 / chars.length;
    fontSize = Math.min(size * 0.13, perChar / 0.78);
  }
  const baseline = outer - fontSize * 0.88;
  const letters = chars
    .map((ch, i) => {
      const deg = -span / 2 + (span * (i + 0.5)) / chars.length;
      return `<text transform="rotate(${deg.toFixed(2)} ${c} ${c}) translate(${c} ${(c - baseline).toFixed(1)}) scale(0.75 1)" font-size="${fontSize.toFixed(1)}" text-anchor="middle">${esc(ch)}</text>`;
    })
    .join('');
  const star = Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? size * 0.14 : size * 0.055;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    return `${(c + r * Math.cos(a)).toFixed(1)},${(c + r * Math.sin(a)).toFixed(1)}`;
  }).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<g fill="${RED}" stroke="none" font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif" font-weight="bold">
<circle cx="${c}" cy="${c}" r="${ring}" fill="none" stroke="${RED}" stroke-width="${(size * 0.025).toFixed(1)}"/>
${letters}
<polygon points="${star}"/>
<text x="${c}" y="${(c + size * 0.3).toFixed(1)}" font-size="${(size * 0.1).toFixed(1)}" text-anchor="middle">样章</text>
</g></svg>`;
}

/** A specimen seal as PNG bytes (transparent background). */
export async function specimenSealPng(name: string, size = 600): Promise<Buffer> {
  return sharp(Buffer.from(specimenSealSvg(name, size)))
    .png()
    .toBuffer();
}

/** Writes `<dir>/<name>.png` for each organisation; returns the paths. */
export async function writeSpecimenSeals(names: readonly string[], dir = SPECIMEN_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (const name of names) {
    const path = join(dir, `${name}.png`);
    await writeFile(path, await specimenSealPng(name));
    out.push(path);
  }
  return out;
}

/** The organisations of the samples: the notice's issuer and the projects' enterprises. */
export async function sampleOrganisations(): Promise<string[]> {
  const names = new Set<string>(['景德镇市科学技术局']);
  try {
    const projects = JSON.parse(await readFile(join(ROOT, 'samples/projects.json'), 'utf8')) as {
      projects?: { enterprise?: { name?: string } }[];
    };
    for (const p of projects.projects ?? []) if (p.enterprise?.name) names.add(p.enterprise.name);
  } catch {
    // the issuer alone is enough for the demo
  }
  return [...names];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const paths = await writeSpecimenSeals(await sampleOrganisations());
  for (const p of paths) process.stdout.write(`✓ ${p}\n`);
}
