// The notice: the data file's schema, the plan, the template's tags, and — through LibreOffice — the
// GB/T 9704-2012 geometry of the PDF, measured with pdftotext -bbox-layout and on rendered pixels.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderNoticeCommand } from '../../src/cli/render.js';
import { findSoffice } from '../../src/convert/index.js';
import { EXIT_CODES, RunError } from '../../src/errors.js';
import { listTags, renderDocx } from '../../src/render/docx.js';
import {
  formatDate,
  NOTICE_TEMPLATE,
  type NoticeData,
  parseNoticeData,
  planNotice,
  renderNotice,
} from '../../src/render/notice.js';
import { skipWithout } from '../tools.js';

const SAMPLE = resolve(import.meta.dirname, '../../samples/notice.yaml');
const sampleText = readFileSync(SAMPLE, 'utf8');
const sample = (): NoticeData => parseNoticeData(sampleText, SAMPLE);

const tmp = mkdtempSync(join(tmpdir(), 'xietong-notice-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ---- data file and plan ------------------------------------------------------------------------

describe('notice data file', () => {
  it('reads the sample: the seed notice in order, levels kept, no extraction artefacts', () => {
    const notice = sample();
    expect(notice.number).toBe('景科字〔2020〕14号');
    expect(notice.body).toHaveLength(28);
    expect(notice.body.filter((b) => typeof b === 'object' && 'h1' in b)).toHaveLength(4);
    expect(notice.body.filter((b) => typeof b === 'object' && 'h2' in b)).toHaveLength(3);
    const all = JSON.stringify(notice);
    expect(all).not.toContain('hxrc.com'); // the stray URL line of the extraction
    expect(all).toContain('http://kj.jdz.gov.cn/'); // the URL that is part of the text
    expect(notice.attachments).toHaveLength(3);
    expect(notice.assumed).toEqual(['date', 'copyTo', 'printedBy', 'printedDate']);
  });

  const bad = (patch: (text: string) => string) => () => parseNoticeData(patch(sampleText), 'bad.yaml');
  const problem = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(RunError);
      expect((err as RunError).exit).toBe('badDataFile');
      expect((err as RunError).message).toContain('bad.yaml');
      return (err as RunError).message;
    }
    throw new Error('expected a badDataFile error');
  };

  it('rejects a 发文字号 without 〔〕 or with a leading zero', () => {
    expect(problem(bad((t) => t.replace('景科字〔2020〕14号', '景科字[2020]14号')))).toMatch(
      /number: .*〔〕/,
    );
    expect(problem(bad((t) => t.replace('景科字〔2020〕14号', '景科字〔2020〕014号')))).toMatch(/number/);
  });

  it('names a body entry with an unknown level, an unknown key, an impossible date and a YAML error', () => {
    expect(problem(bad((t) => t.replace('  - h1: 一、入企', '  - h3: 一、入企')))).toMatch(
      /body\[1\]: must be a paragraph/,
    );
    expect(problem(bad((t) => t.replace('printedBy:', 'printedby:')))).toMatch(/printedby/);
    expect(problem(bad((t) => t.replace('date: 2020-04-28', 'date: 2020-02-30')))).toMatch(
      /date: must be a date/,
    );
    expect(problem(bad((t) => t.replace('addressee: 各有关单位：', 'addressee: [各有关单位')))).toMatch(
      /problem/,
    );
  });

  it('plans dates in Arabic numerals without leading zeros, 抄送 ending in 。, title lines', () => {
    const { data, missing, warnings } = planNotice(sample());
    expect(data.date).toBe('2020年4月28日');
    expect(formatDate('2020-01-05')).toBe('2020年1月5日');
    expect(data.copyTo).toBe(
      '市人民政府办公室，市人力资源和社会保障局，各县（市、区）科技局，高新区、陶瓷工业园区管委会。',
    );
    expect(data.title).toBe('关于遴选优秀专业技术人才入企开展\n协同创新工作的通知');
    expect(data.attachments.map((a) => a.label)).toEqual(['1.', '2.', '3.']);
    expect(data.signer).toBe('景德镇市科学技术局');
    expect(missing).toEqual([]);
    expect(warnings.join('\n')).toMatch(/assumed.*date, copyTo, printedBy, printedDate/);
  });
});

// ---- template ----------------------------------------------------------------------------------

describe('notice template', () => {
  const template = readFileSync(NOTICE_TEMPLATE);

  it('knows every tag of the template from the plan, and uses every key of the plan', () => {
    const { data } = planNotice(sample());
    const used = new Set<string>();
    for (const { tag, loops } of listTags(template, 'notice.docx')) {
      // docxtemplater looks a tag up in the innermost scope first; arrays open a scope per item,
      // conditions (booleans) do not.
      const scopes: Record<string, unknown>[] = [data as unknown as Record<string, unknown>];
      for (const loop of loops) {
        const value = scopes.find((s) => Object.hasOwn(s, loop))?.[loop];
        if (Array.isArray(value)) scopes.unshift(...(value as Record<string, unknown>[]).slice(0, 1));
      }
      const owner = scopes.find((s) => Object.hasOwn(s, tag));
      expect(owner, `tag {${tag}} inside [${loops.join(' > ')}]`).toBeDefined();
      used.add(tag);
    }
    const keys = [
      ...Object.keys(data),
      ...Object.keys(data.body[0] ?? {}),
      ...Object.keys(data.attachments[0] ?? {}),
    ];
    expect(keys.filter((k) => !used.has(k))).toEqual([]);
  });

  it('reports a missing value and prints it empty, never as undefined', () => {
    const notice = sample();
    delete notice.date;
    delete notice.printedBy;
    const plan = planNotice(notice);
    expect(plan.missing).toEqual(['date', 'printedBy']);
    const { buffer, missing } = renderDocx(
      template,
      plan.data as unknown as Record<string, unknown>,
      'notice.docx',
    );
    expect(missing.sort()).toEqual(['date', 'printedBy']);
    const xml = new PizZip(buffer).file('word/document.xml')?.asText() ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).not.toMatch(/undefined|null|\{|\}/);
    expect(text).toContain('景德镇市科学技术局文件');
    expect(text).toContain('2020年4月28日印发');
  });

  it('leaves out the 抄送 row and the 附件说明 when there are none, and writes one attachment without a number', () => {
    const notice = sample();
    delete notice.copyTo;
    notice.attachments = ['景德镇市选派全市优秀专业技术人才进企业报名表'];
    const { buffer } = renderDocx(template, planNotice(notice).data as unknown as Record<string, unknown>);
    const xml = new PizZip(buffer).file('word/document.xml')?.asText() ?? '';
    expect(xml).not.toContain('抄送');
    expect(xml).toContain('附件：景德镇市选派全市优秀专业技术人才进企业报名表');
    expect(xml.match(/<w:tr>/g)).toHaveLength(1);
  });
});

describe('notice bound with its attachments (.docx)', () => {
  it('appends each form as a section of its own after the body, relabelled, styles renamed, the 版记 last', async () => {
    const notice = sample();
    // the order of the 附件说明 decides the numbers, not the forms' own labels
    notice.attachments = [
      '产业发展重大技术难题征集表',
      '景德镇市选派全市优秀专业技术人才进企业报名表',
      '会议回执',
    ];
    const result = await renderNotice(notice, { outDir: join(tmp, 'bound'), pdf: false });
    expect(result.bound).toEqual(['problem', 'registration']);
    expect(result.warnings.join('\n')).toMatch(/attachment 3 «会议回执» is not one of the programme's forms/);
    const zip = new PizZip(readFileSync(result.docx));
    const xml = zip.file('word/document.xml')?.asText() ?? '';
    const text = xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
    const at = (s: string) => text.indexOf(s);
    expect(at('附件1\n产业发展重大技术难题征集表')).toBeGreaterThan(at('2020年4月28日'));
    expect(at('附件2\n景德镇市选派全市优秀专业技术人才')).toBeGreaterThan(at('附件1\n产业发展'));
    expect(at('抄送：')).toBeGreaterThan(at('附件2\n'));
    // body, two forms, the 版记: four sections, every one with the notice's footers, the last on an even page
    const sections = xml.match(/<w:sectPr>.*?<\/w:sectPr>/g) ?? [];
    expect(sections).toHaveLength(4);
    for (const sect of sections) expect(sect).toContain('r:id="rIdFooterEven"');
    expect(sections.at(-1)).toContain('<w:type w:val="evenPage"/>');
    const styles = zip.file('word/styles.xml')?.asText() ?? '';
    expect(styles).toContain('w:styleId="A1-Normal"');
    expect(styles.match(/w:default="1" w:styleId="Normal"/g)).toHaveLength(1);
    expect(text).not.toMatch(/\{|\}/);
  });
});

// ---- command line ------------------------------------------------------------------------------

describe('render notice command', () => {
  it('writes the .docx with --no-pdf and says what is missing', async () => {
    const file = join(tmp, 'undated.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, sampleText.replace(/\ndate: .*\n/, '\n'));
    let said = '';
    const result = await renderNoticeCommand(
      file,
      { out: join(tmp, 'cli'), pdf: false },
      { write: (s: string) => (said += s) },
    );
    expect(result.docx).toBe(join(tmp, 'cli', 'undated.docx'));
    expect(result.pdf).toBeUndefined();
    expect(said).toContain('missing / 缺少: date');
  });

  it('ends with the badDataFile exit code on a bad file', async () => {
    const file = join(tmp, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'issuer: {name: x}\n');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'xietong', 'render', 'notice', file, '--no-pdf'])).toBe(
        EXIT_CODES.badDataFile,
      );
      expect(stderr.mock.calls.join('')).toContain(file);
    } finally {
      stderr.mockRestore();
    }
  });
});

// ---- the PDF, measured -------------------------------------------------------------------------

const PT = 25.4 / 72; // mm per point
const LEFT = 28;
const TOP = 37;
const RIGHT = LEFT + 156;
const BOTTOM = TOP + 225;
const LINE_MM = 28.95 * PT;
const CHAR_MM = 156 / 28;
const NOTE_CHAR_MM = 14 * PT; // one 4号 character

interface Line {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
  words: { x0: number; x1: number; text: string }[];
}

function pdfPages(pdf: string): { width: number; height: number; lines: Line[] }[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8' });
  const num = (s: string | undefined) => Number(s) * PT;
  return html
    .split('<page ')
    .slice(1)
    .map((page) => {
      const size = /width="([\d.]+)" height="([\d.]+)"/.exec(page);
      const lines = [
        ...page.matchAll(
          /<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)<\/line>/gs,
        ),
      ].map((m) => {
        const words = [
          ...(m[5] ?? '').matchAll(
            /<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g,
          ),
        ].map((w) => ({ x0: num(w[1]), x1: num(w[2]), text: w[3] ?? '' }));
        return {
          x0: num(m[1]),
          y0: num(m[2]),
          x1: num(m[3]),
          y1: num(m[4]),
          text: words.map((w) => w.text).join(''),
          words,
        };
      });
      return { width: num(size?.[1]), height: num(size?.[2]), lines };
    });
}

/** Rows of one page (at 150 dpi) holding pixels that match, grouped into bands: [top, bottom, widest run] in mm. */
function inkBands(pdf: string, page: number, match: (r: number, g: number, b: number) => boolean) {
  const prefix = join(tmp, `ink-${page}`);
  execFileSync('pdftoppm', ['-r', '150', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix]);
  const ppm = readFileSync(`${prefix}.ppm`);
  const header = ppm.subarray(0, 20).toString('latin1').split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const offset = ppm.length - w * h * 3;
  const mm = 25.4 / 150;
  const bands: { top: number; bottom: number; width: number }[] = [];
  for (let y = 0; y < h; y++) {
    let count = 0;
    for (let x = 0; x < w; x++) {
      const i = offset + (y * w + x) * 3;
      if (match(ppm[i] ?? 0, ppm[i + 1] ?? 0, ppm[i + 2] ?? 0)) count++;
    }
    if (count === 0) continue;
    const last = bands.at(-1);
    if (last && y * mm - last.bottom < 1.5 * mm) {
      last.bottom = (y + 1) * mm;
      last.width = Math.max(last.width, count * mm);
    } else bands.push({ top: y * mm, bottom: (y + 1) * mm, width: count * mm });
  }
  return bands;
}

const red = (r: number, g: number, b: number) => r > 150 && g < 100 && b < 100;
const dark = (r: number, g: number, b: number) => r < 110 && g < 110 && b < 110;
const fullWidth = (s: string) => [...s].every((c) => (c.codePointAt(0) ?? 0) >= 0x2e80);
const PAGE_NUMBER = /^—\s*(\d+)\s*—$/;

describe.skipIf(skipWithout(!!findSoffice()))('notice PDF in GB/T 9704-2012 layout (LibreOffice)', () => {
  let pdf = '';
  let pages: ReturnType<typeof pdfPages> = [];
  /** The body: the first page to the one with the signer and the date. */
  let body: ReturnType<typeof pdfPages> = [];
  const inText = (l: Line) => l.y1 <= BOTTOM + 0.5 && !PAGE_NUMBER.test(l.text);
  const firstLine = (page: { lines: Line[] }) => page.lines.filter((l) => !PAGE_NUMBER.test(l.text))[0];

  beforeAll(async () => {
    const result = await renderNotice(sample(), { outDir: join(tmp, 'pdf'), pdf: true });
    expect(result.bound).toEqual(['registration', 'demand', 'problem']);
    pdf = result.pdf ?? '';
    pages = pdfPages(pdf);
    const signed = pages.findIndex((p) => p.lines.some((l) => l.text === '景德镇市科学技术局'));
    body = pages.slice(0, signed + 1);
  });

  it('is A4 with the text inside the 版心: left edge 28 mm, right edge 184 mm', () => {
    expect(body.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) {
      expect(page.width).toBeCloseTo(210, 0);
      expect(page.height).toBeCloseTo(297, 0);
    }
    const lines = body.slice(1).flatMap((p) => p.lines.filter(inText));
    const left = Math.min(...lines.map((l) => l.x0));
    const right = Math.max(...lines.map((l) => l.x1));
    expect(Math.abs(left - LEFT)).toBeLessThan(1);
    expect(right).toBeLessThan(RIGHT + 0.5);
    expect(right).toBeGreaterThan(RIGHT - 1);
  });

  it('starts the 版心 37 mm from the top and fits 22 lines of 28.95 pt on a full page', () => {
    // LibreOffice puts an exact line's extra leading above the text, so the bottom of a line's
    // box (the descent) is the bottom of its line: the first line's box starts one pitch above.
    const full = body.slice(1, -1);
    expect(full.length).toBeGreaterThan(0);
    for (const page of full) {
      const lines = page.lines.filter(inText);
      expect(lines).toHaveLength(22);
      const top = (lines[0]?.y1 ?? 0) - LINE_MM;
      expect(Math.abs(top - TOP)).toBeLessThan(1);
      expect(lines.at(-1)?.y1 ?? 0).toBeLessThanOrEqual(BOTTOM + 0.3);
      const pitch = ((lines.at(-1)?.y1 ?? 0) - (lines[0]?.y1 ?? 0)) / 21;
      expect(pitch).toBeCloseTo(LINE_MM, 1);
    }
  });

  it('sets 28 characters on a full line and never more', () => {
    const lines = body
      .flatMap((p) => p.lines.filter(inText))
      .filter((l) => fullWidth(l.text) && l.x0 < LEFT + 1);
    const counts = lines.map((l) => [...l.text].length);
    expect(Math.max(...counts)).toBe(28);
    expect(counts.filter((n) => n === 28).length).toBeGreaterThanOrEqual(20);
    const full = lines.filter((l) => [...l.text].length === 28);
    for (const l of full) expect(l.x1).toBeGreaterThan(RIGHT - CHAR_MM / 2);
  });

  it('numbers body pages «— N —» 7 mm under the 版心, odd pages right and even pages left', () => {
    body.forEach((page, i) => {
      const n = i + 1;
      const number = page.lines.find((l) => PAGE_NUMBER.exec(l.text)?.[1] === String(n));
      expect(number, `page number on page ${n}`).toBeDefined();
      if (!number) return;
      // the dash sits at the middle of the line's box
      expect(Math.abs((number.y0 + number.y1) / 2 - (BOTTOM + 7))).toBeLessThan(1.5);
      if (n % 2 === 1) expect(Math.abs(number.x1 - (RIGHT - NOTE_CHAR_MM))).toBeLessThan(1);
      else expect(Math.abs(number.x0 - (LEFT + NOTE_CHAR_MM))).toBeLessThan(1);
    });
  });

  it('binds the three forms after the body, each from a new page with its 附件N label top left and its title', () => {
    const titles = [
      '景德镇市选派全市优秀专业技术人才',
      '景德镇市企业对专业技术人才需求情况表',
      '产业发展重大技术难题征集表',
    ];
    const starts = titles.map((_, k) => pages.findIndex((p) => firstLine(p)?.text === `附件${k + 1}`));
    expect(starts[0]).toBe(body.length); // right after the signature page
    for (const [k, at] of starts.entries()) {
      expect(at, `附件${k + 1}`).toBeGreaterThan(k === 0 ? 0 : (starts[k - 1] ?? 0));
      const page = pages[at] as (typeof pages)[number];
      const label = firstLine(page) as Line;
      expect(label.x0).toBeLessThan(30); // the left edge of the form's text area
      expect(label.y0).toBeLessThan(40);
      // the title follows the label, before the table
      const text = page.lines.map((l) => l.text).join('');
      expect(text.indexOf(titles[k] as string)).toBeGreaterThan(0);
      expect(text.indexOf(titles[k] as string)).toBeLessThan(text.indexOf('填报单位'));
    }
    // the blank forms, not filled ones: labels and empty dates, no values
    const all = pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
    for (const label of ['所擅长的专', '推荐单位', '需解决的难', '难题名称', '（盖章）'])
      expect(all).toContain(label);
    expect(all).not.toMatch(/\{|\}|undefined/);
  });

  it('numbers pages continuously across body and attachments, odd right and even left, at the page foot', () => {
    let numbered = 0;
    pages.forEach((page, i) => {
      const n = i + 1;
      const number = page.lines.find((l) => PAGE_NUMBER.test(l.text));
      if (page.lines.length === 0) return; // a blank page before the 版记 page (GB/T 9704 7.5: 可不编排页码)
      expect(number, `page number on page ${n}`).toBeDefined();
      if (!number) return;
      numbered++;
      expect(PAGE_NUMBER.exec(number.text)?.[1]).toBe(String(n));
      expect(number.y0).toBeGreaterThan(BOTTOM);
      if (n % 2 === 1) expect(number.x0).toBeGreaterThan(105);
      else expect(number.x1).toBeLessThan(105);
    });
    expect(numbered).toBeGreaterThanOrEqual(pages.length - 1);
  });

  it('prints the red 发文机关标志 35 mm into the 版心 and the red rule 4 mm under the 发文字号', () => {
    const bands = inkBands(pdf, 1, red);
    const mark = bands[0];
    expect(Math.abs((mark?.top ?? 0) - (TOP + 35))).toBeLessThan(1);
    const rule = bands.find((b) => b.width > 150);
    expect(rule).toBeDefined();
    const number = pages[0]?.lines.find((l) => l.text === '景科字〔2020〕14号');
    expect(number).toBeDefined();
    expect(Math.abs(((number?.x0 ?? 0) + (number?.x1 ?? 0)) / 2 - (LEFT + 78))).toBeLessThan(1); // centred
    const ink = inkBands(pdf, 1, dark)
      .filter((b) => b.bottom < (rule?.top ?? 0))
      .at(-1);
    expect(Math.abs((rule?.top ?? 0) - (ink?.bottom ?? 0) - 4)).toBeLessThan(1);
  });

  it('ends the date 4 characters from the right edge, with the signer centred over it', () => {
    const last = body.at(-1)?.lines ?? [];
    const date = last.find((l) => l.text === '2020年4月28日');
    const signer = last.find((l) => l.text === '景德镇市科学技术局');
    expect(date && signer).toBeTruthy();
    if (!date || !signer) return;
    expect(Math.abs(date.x1 - (RIGHT - 4 * CHAR_MM))).toBeLessThan(1);
    expect(Math.abs((signer.x0 + signer.x1) / 2 - (date.x0 + date.x1) / 2)).toBeLessThan(1.5);
    expect(signer.y0).toBeGreaterThan(date.y0 - LINE_MM - 0.5); // on the line above the date
  });

  it('aligns the attachment names under each other', () => {
    const all = pages.flatMap((p) => p.lines);
    const at = all.findIndex((l) => l.text.startsWith('附件：1.'));
    const lines = all.slice(at, at + 3);
    expect(lines.map((l) => l.text.slice(0, 5))).toEqual(['附件：1.', '2.景德镇', '3.产业发']);
    const nameStarts = lines.map(
      (l) => l.words.find((w) => /^[\u4e00-\u9fff]/.test(w.text) && w.text !== '附件：1.')?.x0 ?? 0,
    );
    for (const x of nameStarts) expect(Math.abs(x - (nameStarts[0] ?? 0))).toBeLessThan(0.3);
    expect(Math.abs((lines[1]?.x0 ?? 0) - (LEFT + 5 * CHAR_MM))).toBeLessThan(0.5); // under «1.»
  });

  it('puts the 版记 after the attachments at the foot of the last page, an even one, its last rule on the 版心 bottom edge', () => {
    expect(pages.length % 2).toBe(0);
    const last = pages.at(-1);
    expect(pages.findIndex((p) => p.lines.some((l) => l.text.startsWith('抄送：')))).toBe(pages.length - 1);
    expect(last?.lines.some((l) => l.text.startsWith('附件'))).toBe(false);
    const copy = last?.lines.find((l) => l.text.startsWith('抄送：'));
    const printed = last?.lines.find((l) => l.text.endsWith('印发'));
    expect(copy && printed).toBeTruthy();
    expect(printed?.y1 ?? 0).toBeLessThanOrEqual(BOTTOM);
    expect(printed?.y1 ?? 0).toBeGreaterThan(BOTTOM - LINE_MM / 2);
    const rules = inkBands(pdf, pages.length, dark).filter((b) => b.width > 150 && b.bottom - b.top < 1);
    expect(rules).toHaveLength(3); // above 抄送, between, below 印发
    expect(Math.abs((rules.at(-1)?.bottom ?? 0) - BOTTOM)).toBeLessThan(1);
    expect(rules[0]?.top ?? 0).toBeLessThan(copy?.y0 ?? 0);
  });

  it('puts the 版记 on the page after the last attachment when that page is even, with no blank page', async () => {
    const notice = sample();
    notice.attachments = notice.attachments.slice(0, 2);
    const result = await renderNotice(notice, { outDir: join(tmp, 'pdf-two'), pdf: true });
    const two = pdfPages(result.pdf ?? '');
    expect(two.length % 2).toBe(0);
    expect(two.every((p) => p.lines.length > 0)).toBe(true);
    expect(two.at(-1)?.lines.some((l) => l.text.startsWith('抄送：'))).toBe(true);
    expect(two.at(-2)?.lines.some((l) => l.text.startsWith('抄送：'))).toBe(false);
    two.forEach((page, i) => {
      expect(page.lines.some((l) => PAGE_NUMBER.exec(l.text)?.[1] === String(i + 1))).toBe(true);
    });
  });

  it('embeds the faces standing in for 仿宋, 黑体 and 楷体', () => {
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSerifCJK/);
    expect(fonts).toMatch(/NotoSansCJK/);
    expect(fonts).toMatch(/Kai/i);
  });
});
