// Page images of the programme's paper from a demo run into samples/previews/: A4 at 70 dpi (579 × 819),
// 16-colour palette PNGs of some 15–30 KB each, as the agreement and certificate previews are.
//
//   node bin/xietong.js demo --no-ocr --out /tmp/demo && npx tsx scripts/document-previews.ts /tmp/demo
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const demo = resolve(process.argv[2] ?? 'output');
const OUT = resolve('samples/previews');
const tmp = mkdtempSync(join(tmpdir(), 'xietong-doc-previews-'));

const first = (dir: string, ending: string): string => {
  const name = readdirSync(join(demo, dir))
    .filter((f) => f.endsWith(ending))
    .sort()[0];
  if (!name) throw new Error(`no *${ending} in ${join(demo, dir)}: run the demo first`);
  return join(demo, dir, name);
};

/** Page number of the first page whose text starts with `label` (1-based). */
const pageStarting = (pdf: string, label: RegExp): number => {
  const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).split('\f');
  const at = pages.findIndex((p) => label.test(p.trim()));
  if (at < 0) throw new Error(`${pdf}: no page starts with ${label}`);
  return at + 1;
};

const previews: [string, string, number][] = [
  ['notice-attachment.png', join(demo, 'notice', 'notice.pdf'), 0],
  ['funding-notice.png', join(demo, 'funding-notice', '立项及经费通知.pdf'), 1],
  ['funding-notice-list.png', join(demo, 'funding-notice', '立项及经费通知.pdf'), 0],
  ['signin.png', first('review', '专家评审签到表-2020年9月15日.pdf'), 1],
  ['group-opinion.png', first('review', '专家组综合意见表.pdf'), 1],
  ['acceptance-application.png', first('acceptance', '验收申请表.pdf'), 1],
  ['enterprise-evaluation.png', first('acceptance', '甲方评价意见表.pdf'), 1],
];

try {
  for (const [name, pdf, fixed] of previews) {
    const page = fixed || pageStarting(pdf, /^附件\s*1/);
    const prefix = join(tmp, name.replace('.png', ''));
    execFileSync('pdftoppm', [
      '-r',
      '70',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      '-png',
      pdf,
      prefix,
    ]);
    const out = join(OUT, name);
    await sharp(`${prefix}.png`).png({ palette: true, colors: 16, compressionLevel: 9 }).toFile(out);
    process.stdout.write(`wrote ${out} (page ${page}, ${Math.round(statSync(out).size / 1024)} KB)\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
