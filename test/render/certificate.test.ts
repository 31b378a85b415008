// 验收证书: goals against results, the conclusion boxes, consistency warnings, the blank
// certificate, the template's tags and the PDF.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, describe, expect, it } from 'vitest';
import { findSoffice } from '../../src/convert/index.js';
import { type Project, parseProjects } from '../../src/projects/types.js';
import { planCertificate, renderCertificates } from '../../src/render/certificates.js';
import { tagsNotProvided, templatePathOf } from '../../src/render/documents.js';
import { skipWithout } from '../tools.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/projects.json');
const projects = parseProjects(readFileSync(SAMPLE, 'utf8'), SAMPLE);
const project = (id: string): Project => projects.find((p) => p.id === id) as Project;

const tmp = mkdtempSync(join(tmpdir(), 'xietong-certificate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const docText = (docx: Buffer) =>
  [
    ...(new PizZip(docx).file('word/document.xml')?.asText() ?? '').matchAll(
      /<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g,
    ),
  ]
    .map((m) => m[1])
    .join('');

type ResultRow = { no: string; goal: string; result: string | null; assessment: string | null };

describe('planCertificate', () => {
  it('sets each agreed goal against its result, then the results beyond the agreement', () => {
    const { data, missing, warnings } = planCertificate(project('2020-XT-001'));
    const rows = data.results as ResultRow[];
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      no: '1',
      goal: '单位产品燃耗降低15%以上',
      result: expect.stringMatching(/降低18\.2%$/),
      assessment: '完成',
    });
    expect(rows[4]).toEqual({
      no: '5',
      goal: '（协议外成果）',
      result: '联合申请发明专利1件（已受理）',
      assessment: '',
    });
    expect(data['box.passed']).toBe('■');
    expect(data['box.reconsider']).toBe('□');
    expect(data['box.failed']).toBe('□');
    expect(data.period).toBe('2020年7月1日至2021年6月30日');
    expect(data.funding).toBe('15万元');
    expect(data.certificateNo).toBe('景科协验〔2021〕1号');
    expect((data.experts as { role: string }[]).map((e) => e.role)).toEqual([
      '组长',
      '成员',
      '成员',
      '成员',
      '成员',
    ]);
    expect(missing).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('ticks 需要复议 and warns when the conclusion contradicts the state or the results', () => {
    expect(planCertificate(project('2020-XT-003')).data['box.reconsider']).toBe('■');
    const contradicting: Project = { ...project('2020-XT-003'), state: 'accepted' };
    expect(planCertificate(contradicting).warnings).toEqual([expect.stringContaining('需要复议')]);
    const p1 = project('2020-XT-001');
    const notMet: Project = {
      ...p1,
      acceptance: {
        ...(p1.acceptance as NonNullable<Project['acceptance']>),
        results: [{ goal: 1, result: '未完成', assessment: 'notMet' }],
      },
    };
    const plan = planCertificate(notMet);
    expect(plan.warnings).toEqual([expect.stringContaining('有目标未完成')]);
    expect(plan.missing.map((m) => m.path ?? m.key)).toEqual([
      'acceptance.results[goal 2].result',
      'acceptance.results[goal 2].assessment',
      'acceptance.results[goal 3].result',
      'acceptance.results[goal 3].assessment',
      'acceptance.results[goal 4].result',
      'acceptance.results[goal 4].assessment',
    ]);
  });

  it('gives a blank certificate with rows for the panel when acceptance has not happened yet', () => {
    const { data, missing } = planCertificate(project('2020-XT-005'));
    expect(missing).toEqual([{ key: 'acceptance', label: '验收信息（acceptance）' }]);
    expect(data.experts).toHaveLength(5);
    // Blanks print as lines to write on.
    expect(data.opinion).toBe('＿＿＿＿');
    expect(['box.passed', 'box.reconsider', 'box.failed'].map((k) => data[k])).toEqual(['□', '□', '□']);
    expect((data.results as ResultRow[]).map((r) => r.result)).toEqual(['＿＿＿＿', '＿＿＿＿', '＿＿＿＿']);
  });
});

describe('the certificate template', () => {
  const template = readFileSync(templatePathOf('certificate'));

  it('asks only for what the plan provides, for every sample project', () => {
    for (const p of projects)
      expect(tagsNotProvided(template, planCertificate(p).data, 'certificate.docx'), p.id).toEqual([]);
  });
});

describe('renderCertificates', () => {
  it('writes the projects at acceptance, skips the others, never prints "undefined"', async () => {
    const { summary, skipped } = await renderCertificates(projects, {
      outDir: join(tmp, 'docx'),
      pdf: false,
    });
    // Only a passed 验收 is certified: 2020-XT-003 (需要复议) and 2020-XT-005 (no conclusion yet) are not.
    expect(summary.written.map((w) => w.id)).toEqual(['2020-XT-001', '2020-XT-002']);
    expect(skipped.find((s) => s.id === '2020-XT-003')?.reason).toBe(
      '验收结论为「需要复议」，不出具验收证书',
    );
    expect(skipped.map((s) => s.id)).toEqual([
      '2020-XT-003',
      '2020-XT-004',
      '2020-XT-005',
      '2020-XT-006',
      '2020-XT-007',
      '2020-XT-008',
      '2020-XT-009',
    ]);
    for (const w of summary.written) {
      const text = docText(readFileSync(w.docx));
      expect(text).not.toContain('undefined');
      expect(text).not.toMatch(/\{[#/^]?[A-Za-z.]+\}/);
    }
    const text = docText(readFileSync(summary.written[0]?.docx as string));
    for (const s of [
      '验收证书',
      '目标任务完成情况',
      '■通过',
      '□需要复议',
      '□不通过',
      '专家组组长（签字）',
      '景德镇市科学技术局（盖章）',
    ]) {
      expect(text).toContain(s);
    }
    const all = await renderCertificates(projects, { outDir: join(tmp, 'all'), pdf: false, all: true });
    // --all: a blank certificate for every project but the one whose 验收 needs 复议.
    expect(all.summary.written).toHaveLength(projects.length - 1);
  });
});

describe.skipIf(skipWithout(!!findSoffice()))('certificate PDF', () => {
  it('embeds the CJK faces and has no glyph missing from the boxes', async () => {
    const { summary } = await renderCertificates([project('2020-XT-001')], {
      outDir: join(tmp, 'pdf'),
      pdf: true,
    });
    const pdf = summary.written[0]?.pdf as string;
    const fonts = execFileSync('pdffonts', [pdf]).toString();
    expect(fonts).toMatch(/NotoSerifCJK/);
    expect(fonts).not.toMatch(/DejaVu|Liberation/); // a fallback face means a glyph CJK fonts lack
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString();
    expect(text).toContain('■通过');
    expect(text.replace(/\s+/g, '')).toContain('验收专家组名单');
  });
});
