// A batch of bad input: every file ends as a submission or as a named failure, and the batch
// finishes. The OCR engine is a scripted fake: the pages here need no real reading.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IngestResult, ingest } from '../../src/ingest/index.js';
import { FakeEngine } from '../../src/ocr/index.js';
import { createScanReader } from '../../src/read/index.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-bad-'));
const at = (name: string) => join(dir, name);

/** A bordered table of another document (a sign-in sheet), as a 300 dpi page. */
function otherFormSvg(): string {
  const rows = Array.from({ length: 8 }, (_, i) => 600 + i * 200);
  const lines = [
    ...rows.map((y) => `<line x1="200" y1="${y}" x2="2280" y2="${y}" stroke="black" stroke-width="4"/>`),
    ...[200, 600, 1400, 2280].map(
      (x) => `<line x1="${x}" y1="600" x2="${x}" y2="2000" stroke="black" stroke-width="4"/>`,
    ),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="3508"><rect width="100%" height="100%" fill="white"/><text x="900" y="400" font-size="90" font-family="Noto Sans CJK SC">会议签到表</text>${lines.join('')}<text x="260" y="730" font-size="60" font-family="Noto Sans CJK SC">序号</text></svg>`;
}

let result: IngestResult;
beforeAll(async () => {
  const jpeg = await sharp(Buffer.from(otherFormSvg())).jpeg().toBuffer();
  writeFileSync(at('a-truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  writeFileSync(at('b-empty.png'), Buffer.alloc(0));
  await sharp({ create: { width: 12000, height: 9000, channels: 3, background: '#fff' } })
    .png()
    .toFile(at('c-huge.png'));
  await sharp({ create: { width: 2480, height: 3508, channels: 3, background: '#fff' } })
    .jpeg()
    .toFile(at('d-blank.jpg'));
  writeFileSync(at('e-other-form.jpg'), jpeg);
  const pdf = await PDFDocument.create();
  const img = await pdf.embedJpg(jpeg);
  pdf.addPage([595, 842]).drawImage(img, { x: 0, y: 0, width: 595, height: 842 });
  writeFileSync(at('f-plain.pdf'), await pdf.save());
  execFileSync('qpdf', [
    '--encrypt',
    'secret',
    'owner',
    '256',
    '--',
    at('f-plain.pdf'),
    at('g-encrypted.pdf'),
  ]);
  copyFileSync('samples/docx/prob-01.docx', at('h-good.docx'));
  writeFileSync(at('i-notes.txt.docx'), 'meeting notes, not a Word file');

  // Whatever is asked, the fake reads the sign-in sheet's words: nothing of the three forms.
  const engine = new FakeEngine(() => ({ text: '会议签到表 序号 签名', confidence: 0.9 }));
  result = await ingest([dir], { reader: createScanReader({ engine }) });
});

describe('a batch of bad input', () => {
  it('ends every file as a submission or a failure', () => {
    const accounted = new Set([
      ...result.failures.map((f) => basename(f.file)),
      ...result.submissions.flatMap((s) => s.sources.map((src) => basename(src.file))),
    ]);
    expect([...accounted].sort()).toEqual(readdirSync(dir).sort());
  });

  it('names what is wrong with each file', () => {
    const codes = Object.fromEntries(result.failures.map((f) => [basename(f.file), f.code]));
    expect(codes).toEqual({
      'a-truncated.jpg': 'corrupt_image',
      'b-empty.png': 'empty_file',
      'c-huge.png': 'image_too_large',
      'd-blank.jpg': 'blank_page',
      'e-other-form.jpg': 'not_a_form',
      'f-plain.pdf': 'not_a_form',
      'g-encrypted.pdf': 'encrypted_pdf',
      'i-notes.txt.docx': 'unsupported_type',
    });
    for (const f of result.failures) {
      expect(f.message).toContain(basename(f.file));
      expect(f.messageEn).toBeTruthy();
    }
  });

  it('still reads the good file', () => {
    expect(result.submissions.map((s) => [s.form, basename(s.sources[0]?.file ?? '')])).toEqual([
      ['problem', 'h-good.docx'],
    ]);
  });
});
