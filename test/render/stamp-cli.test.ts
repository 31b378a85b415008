// The render commands' --seal, --draft, --perforation and --print-file: one real agreements run
// (two projects, so a filled and a blank signing date), then the rules that need no rendering.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderAgreementsCommand } from '../../src/cli/render-documents.js';
import { hasSealArea, stampDocuments } from '../../src/cli/stamp-options.js';
import { findSoffice } from '../../src/convert/index.js';
import { EXIT_CODES, RunError } from '../../src/errors.js';
import type { TextLine } from '../../src/stamp/locate.js';
import { specimenSealPng } from '../../src/stamp/specimen.js';
import { skipWithout } from '../tools.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PROJECTS = join(ROOT, 'samples/projects.json');
const BUREAU_SEAL = join(ROOT, 'samples/seals/景德镇市科学技术局.png');
const tmp = mkdtempSync(join(tmpdir(), 'xietong-stamp-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const silent = () => {
  let said = '';
  return { out: { write: (s: string) => (said += s) }, said: () => said };
};

/** Names of the image XObjects drawn on a page (pdf-lib gives each a unique key from its tag). */
async function imagesOn(pdf: string, page: number): Promise<string[]> {
  const doc = await PDFDocument.load(readFileSync(pdf));
  const resources = doc.getPage(page).node.Resources();
  const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xobjects) return [];
  return xobjects
    .keys()
    .filter((key) => {
      const stream = xobjects.lookup(key);
      return stream instanceof PDFRawStream && stream.dict.get(PDFName.of('Subtype')) === PDFName.of('Image');
    })
    .map((key) => key.asString());
}

const pageCount = async (pdf: string) => (await PDFDocument.load(readFileSync(pdf))).getPageCount();

describe.skipIf(skipWithout(!!findSoffice()))('render agreements --seal --draft --print-file', () => {
  // 丙方 of both projects; 2020-XT-003 is unsigned, so its dates are printed blank (年 月 日).
  const seal = join(tmp, '景德镇陶瓷大学.png');
  const out = join(tmp, 'agreements');
  const printFile = join(tmp, 'print', '三方协议-打印.pdf');
  let result: Awaited<ReturnType<typeof renderAgreementsCommand>>;
  let said = '';

  beforeAll(async () => {
    writeFileSync(seal, await specimenSealPng('景德镇陶瓷大学'));
    const io = silent();
    result = await renderAgreementsCommand(
      PROJECTS,
      { out, pdf: true, only: '2020-XT-001,2020-XT-003', seal, draft: true, printFile },
      io.out,
    );
    said = io.said();
  }, 180_000);

  it('keeps the plain PDFs and writes a stamped copy beside each', async () => {
    expect(result.written.map((w) => w.id)).toEqual(['2020-XT-001', '2020-XT-003']);
    const stamped = result.stamping?.stamped ?? [];
    expect(stamped.map((s) => basename(s.out))).toEqual([
      '2020-XT-001 景德镇市瓷韵日用陶瓷有限公司-程立新-三方协议-盖章-草稿.pdf',
      '2020-XT-003 景德镇市瓷境文化创意有限公司-邵子航-三方协议-盖章-草稿.pdf',
    ]);
    expect(result.stamping?.failures).toEqual([]);
    for (const s of stamped) {
      expect(existsSync(s.pdf)).toBe(true);
      expect(existsSync(s.out)).toBe(true);
      // The seal sits on the signing page, drawn as an image there; the plain PDF has none. The
      // signing page comes before a team's member list and a draft's 待核对 page.
      const signing = s.seal?.page as number;
      const text = execFileSync(
        'pdftotext',
        ['-f', String(signing + 1), '-l', String(signing + 1), s.out, '-'],
        {
          encoding: 'utf8',
        },
      ).replace(/\s+/g, '');
      expect(text).toContain('丙方（盖章）');
      expect((await imagesOn(s.out, signing)).some((k) => k.startsWith('/XtSeal'))).toBe(true);
      expect(await imagesOn(s.pdf, signing)).toEqual([]);
      // Drafts from unverified records end with the 待核对 page.
      const all = execFileSync('pdftotext', [s.out, '-'], { encoding: 'utf8' })
        .split('\f')
        .filter((x) => x.trim());
      expect(all[all.length - 1]?.replace(/\s+/g, '')).toContain('待核对事项');
      expect(execFileSync('pdffonts', [s.out], { encoding: 'utf8' })).toContain('XietongDraft');
    }
    expect(stamped[0]?.seal?.dateText).toBe('2020年6月28日');
    expect(stamped[1]?.seal?.dateText?.trim()).toBe('年');
    // In 丙方's column, the right one of three.
    const width = (await PDFDocument.load(readFileSync(stamped[0]?.out as string))).getPage(0).getWidth();
    expect(stamped[0]?.seal?.x).toBeGreaterThan(width * 0.6);
    expect(said).toContain('盖章 2 份');
    expect(said).toContain('不是合法有效的电子印章');
  });

  it('merges the stamped copies into one print file, each document starting on a front side', async () => {
    const print = result.stamping?.print;
    expect(print?.out).toBe(printFile);
    const pages = await Promise.all((result.stamping?.stamped ?? []).map((s) => pageCount(s.out)));
    // Every document but the last rounded up to an even count; the last needs no blank after it.
    const expected = pages.reduce((sum, n, i) => sum + (i < pages.length - 1 ? n + (n % 2) : n), 0);
    expect(await pageCount(printFile)).toBe(expected);
    expect(print?.pages).toBe(expected);
    expect(print?.blanksAdded).toBe(pages.slice(0, -1).filter((n) => n % 2 === 1).length);
    expect(print?.documents.every((d) => d.firstPage % 2 === 1)).toBe(true);
    expect(said).toMatch(/打印文件 \/ print file: .*三方协议-打印\.pdf — 2 份 \d+ 页/);
  });

  it("refuses to put a seal where its organisation does not sign, and leaves no '-盖章' file", async () => {
    // The bureau is named in the agreement's body but is no party to it.
    const inputs = result.written.map((w) => ({ id: w.id, pdf: w.pdf as string }));
    const io = silent();
    const run = stampDocuments(inputs, { seal: BUREAU_SEAL }, 'party', io.out);
    await expect(run).rejects.toBeInstanceOf(RunError);
    await expect(run).rejects.toMatchObject({ exit: 'usage' });
    expect(io.said()).toContain('景德镇市科学技术局 has no seal area');
    for (const w of result.written)
      expect(existsSync((w.pdf as string).replace(/\.pdf$/, '-盖章.pdf'))).toBe(false);
  });
});

describe('stamping options that need no rendering', () => {
  const xietong = (...args: string[]) => main(['node', 'xietong', ...args]);
  let stderr = '';
  beforeAll(() => {
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      stderr += String(s);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterAll(() => vi.restoreAllMocks());

  it('rejects --seal with --no-pdf as a usage error, before writing anything', async () => {
    stderr = '';
    const out = join(tmp, 'no-pdf');
    expect(
      await xietong('render', 'agreements', PROJECTS, '--no-pdf', '--seal', BUREAU_SEAL, '--out', out),
    ).toBe(EXIT_CODES.usage);
    expect(stderr).toContain('不能与 --no-pdf 同用');
    expect(stderr).toContain('not with --no-pdf');
    expect(existsSync(out)).toBe(false);
  });

  it('wants --seal for --perforation, an existing seal image, and a .pdf print file', async () => {
    stderr = '';
    expect(await xietong('render', 'notice', 'samples/notice.yaml', '--perforation')).toBe(EXIT_CODES.usage);
    expect(stderr).toContain('--perforation 需要 --seal');
    expect(await xietong('render', 'certificates', PROJECTS, '--seal', join(tmp, 'nope.png'))).toBe(
      EXIT_CODES.inputNotFound,
    );
    expect(await xietong('render', 'agreements', PROJECTS, '--print-file', tmp)).toBe(EXIT_CODES.usage);
  });

  it('offers no seal on score sheets (experts sign them), only the draft mark and the print file', async () => {
    expect(await xietong('render', 'scoresheets', PROJECTS, '--seal', BUREAU_SEAL)).toBe(EXIT_CODES.usage);
    expect(await xietong('render', 'scoresheets', PROJECTS, '--draft', '--no-pdf')).toBe(EXIT_CODES.usage);
  });
});

describe('hasSealArea', () => {
  const line = (text: string, x: number, y: number, page = 0): TextLine => ({
    page,
    text,
    x,
    y,
    width: 120,
    height: 12,
    pageWidth: 595,
    pageHeight: 842,
  });
  it('finds an organisation at its （盖章） label, on the line or in the column below, wrapped or not', () => {
    const lines = [
      line('为贯彻落实景德镇市科学技术局《关于遴选……》', 80, 700),
      line('甲方（盖章）', 80, 666),
      line('丙方（盖章）', 380, 666),
      line('景德镇市瓷韵日用陶瓷有', 80, 644),
      line('限公司', 80, 626),
      line('景德镇陶瓷大学', 380, 644),
      line('景德镇市科学技术局（盖章）', 300, 400, 1),
    ];
    expect(hasSealArea(lines, '景德镇市瓷韵日用陶瓷有限公司')).toBe(true);
    expect(hasSealArea(lines, '景德镇陶瓷大学')).toBe(true);
    expect(hasSealArea(lines, '景德镇市科学技术局')).toBe(true);
    expect(hasSealArea(lines.slice(0, 6), '景德镇市科学技术局')).toBe(false);
    expect(hasSealArea(lines, '别的单位')).toBe(false);
  });
});
