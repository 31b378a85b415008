// The demo as a bureau clerk would read it: one project says one thing in its score sheets, the
// funding proposal, its agreement and its certificate (amount, period, parties, mode), and no
// produced PDF carries a store id, a placeholder sentence or an empty 「自起至止」. Read from the
// PDFs' text (pdftotext), not from the data that made them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SAMPLES, runDemo } from '../../src/cli/demo.js';
import { findSoffice } from '../../src/convert/index.js';
import { formatChineseDate, type Project } from '../../src/projects/types.js';
import { openStore } from '../../src/store/index.js';
import { skipWithout } from '../tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'xietong-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const out = join(tmp, 'out');

const pdfsUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pdfsUnder(path);
    return name.endsWith('.pdf') ? [path] : [];
  });

/** The PDF's text with every space and line break taken out: names and dates wrap anywhere. */
const textOf = (pdf: string): string =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');

it('finds its samples from the package, whatever the working folder', () => {
  expect(isAbsolute(BUNDLED_SAMPLES)).toBe(true);
  expect(existsSync(join(BUNDLED_SAMPLES, 'projects.json'))).toBe(true);
});

describe.skipIf(skipWithout(!!findSoffice()))('xietong demo', () => {
  let projects: Project[] = [];
  let pdfs: string[] = [];
  const pdfOf = (dir: string, p: Project, kind: string) =>
    pdfs.find((f) => f.startsWith(join(out, dir)) && f.includes(`${p.id} `) && f.endsWith(`-${kind}.pdf`));

  beforeAll(async () => {
    await runDemo({ out, samples: BUNDLED_SAMPLES, ocr: false }, () => {});
    const store = await openStore(join(out, 'xietong.db'));
    projects = await store.listProjects();
    await store.close();
    pdfs = pdfsUnder(out);
  }, 300_000);

  it('gives every project a readable number and the documents its stage calls for', () => {
    expect(projects.length).toBeGreaterThanOrEqual(5);
    for (const p of projects) expect(p.id).toMatch(/^2020-XT-\d{3}$/);
    const agreements = projects.filter((p) => pdfOf('agreements', p, '三方协议'));
    expect(agreements.length).toBeGreaterThanOrEqual(5);
    // One record was reopened after signing: its agreement is a draft, watermarked and listed.
    const drafts = pdfs.filter((f) => f.includes(join('agreements', '草稿')));
    expect(drafts).toHaveLength(1);
    const draft = textOf(drafts[0] as string);
    expect(draft).toContain('〔待核对〕');
    expect(draft).toContain('待核对事项');
    expect(draft).toContain('草稿');
    const certified = projects.filter((p) => pdfOf('certificates', p, '验收证书'));
    expect(certified.map((p) => p.acceptance?.conclusion)).toEqual(certified.map(() => 'passed'));
    expect(certified.length).toBeGreaterThanOrEqual(1);
  });

  it('says the same amount, period, parties and mode in score sheets, proposal, agreement and certificate', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'scoresheets', '评分汇总与经费建议.xlsx'));
    const summary = wb.getWorksheet('汇总') as ExcelJS.Worksheet;
    const head: string[] = [];
    summary.getRow(1).eachCell((c, n) => {
      head[n] = String(c.value);
    });
    const col = (h: string) => head.indexOf(h);
    const proposal = new Map<string, { requested: unknown; proposed: unknown }>();
    summary.eachRow((row, r) => {
      // Row 1 is the header; a row without a project number is the totals line.
      if (r === 1 || !row.getCell(col('项目编号')).value) return;
      proposal.set(String(row.getCell(col('项目编号')).value), {
        requested: row.getCell(col('申请经费（万元）')).value,
        proposed: row.getCell(col('建议资助（万元）')).value,
      });
    });

    // The A4 proposal the panel signs lists the same projects and amounts as the workbook.
    const signedProposal = textOf(join(out, 'scoresheets', '评审结果与经费建议.pdf'));
    for (const [id, row] of proposal) {
      expect(signedProposal).toMatch(
        new RegExp(`${id}[^]*?${row.requested}[^]*?${row.proposed ?? '不资助'}`),
      );
    }

    let checked = 0;
    for (const p of projects) {
      const period = [p.term.start, p.term.end].map((d) => formatChineseDate(d as string));
      const mode = p.fullTime ? '全职' : '兼职';
      const parties = [p.enterprise.name, p.professional.name, p.dispatchingUnit.name];
      const agreementPdf =
        pdfOf('agreements', p, '三方协议') ?? pdfOf(join('agreements', '草稿'), p, '三方协议');
      if (agreementPdf) {
        const t = textOf(agreementPdf);
        for (const s of [p.id, ...parties, ...period, `以${mode}方式`])
          expect(t, `${p.id} agreement`).toContain(s);
        const amount = p.funding.granted ?? p.funding.requested;
        expect(t, `${p.id} agreement`).toContain(`${amount}万元`);
        checked++;
      }
      const sheets = pdfs.filter((f) => f.includes(`${p.id} `) && f.includes('-评审打分表-'));
      if (p.state !== 'matched') expect(sheets.length, p.id).toBeGreaterThan(0);
      for (const sheet of sheets) {
        const t = textOf(sheet);
        for (const s of [
          p.id,
          ...parties,
          `${period[0]}至${period[1]}`,
          `${mode}入企`,
          `${p.funding.requested}万元`,
        ]) {
          expect(t, `${p.id} score sheet`).toContain(s);
        }
      }
      const row = proposal.get(p.id);
      if (sheets.length > 0) {
        expect(row, p.id).toBeDefined();
        expect(row?.requested).toBe(p.funding.requested);
        expect(row?.proposed ?? null).toBe(p.evaluation.proposed ?? null);
        // The bureau adopted the proposal: what the agreement and certificate say is what was proposed.
        if (p.funding.granted != null) expect(row?.proposed).toBe(p.funding.granted);
      }
      const certificate = pdfOf('certificates', p, '验收证书');
      if (certificate) {
        const t = textOf(certificate);
        for (const s of [
          p.id,
          ...parties,
          `${period[0]}至${period[1]}`,
          `${mode}入企`,
          `${p.funding.granted}万元`,
        ]) {
          expect(t, `${p.id} certificate`).toContain(s);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('writes the rest of the programme’s paper from the store, saying what the store says', () => {
    const reviewed = projects.filter((p) => !['matched'].includes(p.state));
    const funded = projects.filter(
      (p) => p.funding.granted && ['funded', 'underway', 'accepted', 'notAccepted'].includes(p.state),
    );
    expect(funded.length).toBeGreaterThanOrEqual(3);
    const signIn = pdfs.find((f) => f.startsWith(join(out, 'review', '专家评审签到表')));
    expect(signIn).toBeDefined();
    const s = textOf(signIn as string);
    expect(s).toContain('回避与保密承诺');
    for (const p of reviewed) expect(s).toContain(p.id);
    for (const p of reviewed) {
      const opinion = pdfOf('review', p, '专家组综合意见表');
      expect(opinion, p.id).toBeDefined();
      const t = textOf(opinion as string);
      expect(t).toContain(p.enterprise.name);
      if (p.evaluation.mean != null) expect(t).toContain(p.evaluation.mean.toFixed(2));
      if (p.evaluation.proposed) expect(t).toContain(`${p.evaluation.proposed}万元`);
    }
    // The programme's notice carries its three blank forms, each from a page of its own.
    const noticePages = execFileSync('pdftotext', ['-enc', 'UTF-8', join(out, 'notice', 'notice.pdf'), '-'], {
      encoding: 'utf8',
    }).split('\f');
    for (const k of [1, 2, 3]) {
      expect(noticePages.some((page) => new RegExp(`^附件\\s*${k}\\s`).test(page.trim()))).toBe(true);
    }
    const notice = textOf(join(out, 'funding-notice', '立项及经费通知.pdf'));
    const total = funded.reduce((sum, p) => sum + (p.funding.granted ?? 0), 0);
    expect(notice).toContain(`决定对${funded.length}个优秀专业技术人才入企协同创新项目予以立项支持`);
    expect(notice).toContain(`合计：${funded.length}个项目，市科技局支持经费${total}万元`);
    for (const p of funded) {
      expect(notice).toMatch(new RegExp(`${p.id}[^]*?${p.funding.granted}`));
      for (const kind of ['验收申请表', '甲方评价意见表']) {
        const pdf = pdfOf('acceptance', p, kind);
        expect(pdf, `${p.id} ${kind}`).toBeDefined();
        const t = textOf(pdf as string);
        for (const x of [p.id, p.enterprise.name, p.professional.name, p.dispatchingUnit.name])
          expect(t).toContain(x);
      }
      expect(textOf(pdfOf('acceptance', p, '验收申请表') as string)).toContain(`${p.funding.granted}`);
    }
  });

  it('prints no internal id, placeholder sentence or empty 「自起至止」 in any PDF', () => {
    expect(pdfs.length).toBeGreaterThan(20);
    for (const pdf of pdfs) {
      const t = textOf(pdf);
      expect(t, pdf).not.toMatch(/\b(dem|reg|prb|prob)-[0-9a-f]{8,}/);
      expect(t, pdf).not.toMatch(/\bp-[0-9a-f]{16}\b/);
      expect(t, pdf).not.toMatch(/dem-\d+_reg-\d+/);
      expect(t, pdf).not.toContain('具体目标由三方商定后填写');
      expect(t, pdf).not.toContain('自起至止');
      expect(t, pdf).not.toContain('共个月');
      expect(t, pdf).not.toContain('undefined');
      expect(t, pdf).not.toMatch(/\{[#/^]?[A-Za-z.]+\}/);
    }
    for (const f of readdirSync(join(out, 'agreements'))) expect(f).not.toMatch(/(dem|reg)-[0-9a-f]{8,}/);
  });

  it('keeps every change to a project with who made it', async () => {
    const store = await openStore(join(out, 'xietong.db'));
    try {
      const p = projects.find((x) => x.funding.granted != null) as Project;
      const changes = await store.projectChanges(p.id);
      expect(changes.map((c) => c.path)).toEqual(
        expect.arrayContaining(['enterprise.address', 'goals', 'evaluation.proposed', 'funding.granted']),
      );
      expect(changes.every((c) => c.by.length > 0 && c.at.length > 0)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
