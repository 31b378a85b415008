// 评审打分表: the plan (pure), the template's tags against the plan, the rendered .docx, and one page
// per sheet through LibreOffice.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSoffice } from '../../src/convert/index.js';
import { type Project, parseProjects } from '../../src/projects/types.js';
import { loadTemplate, tagsNotProvided, templatePathOf } from '../../src/render/documents.js';
import { listTags } from '../../src/render/docx.js';
import { planScoreSheet, renderScoreSheets } from '../../src/render/scoresheets.js';
import { loadScoringConfig, type ScoringConfig } from '../../src/scores/config.js';
import { anonymousExperts, type PanelExpert } from '../../src/scores/experts.js';
import { skipWithout } from '../tools.js';

const ROOT = resolve(import.meta.dirname, '../..');
const projects = parseProjects(
  readFileSync(join(ROOT, 'samples/projects.json'), 'utf8'),
  'samples/projects.json',
);
const project = (id: string): Project => projects.find((p) => p.id === id) as Project;
const named: PanelExpert = { key: 'E01', name: '周文涛', title: '教授', employer: '南昌大学' };

let config: ScoringConfig;
const tmp = mkdtempSync(join(tmpdir(), 'xietong-scoresheet-'));
beforeAll(async () => {
  config = await loadScoringConfig();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const docText = (docx: Buffer) =>
  [
    ...(new PizZip(docx).file('word/document.xml')?.asText() ?? '').matchAll(
      /<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g,
    ),
  ]
    .map((m) => m[1])
    .join('');

describe('planScoreSheet', () => {
  it("prints the project's facts, the criteria with points and bands, and the expert", () => {
    const { data, missing } = planScoreSheet(project('2020-XT-001'), named, config);
    expect(data['project.title']).toBe('日用瓷隧道窑节能降耗与烧成缺陷控制');
    expect(data.professional).toBe('陶瓷窑炉节能与烧成技术团队（负责人：程立新（副教授））');
    expect(data.term).toBe('2020年7月1日至2021年6月30日');
    expect(data.workMode).toBe('兼职入企');
    expect(data.duties).toBe('解决企业技术难题、培养企业技术团队');
    expect(data['funding.requested']).toBe('15万元');
    expect(data['expert.name']).toBe('周文涛');
    expect(data['expert.employer']).toBe('南昌大学  教授');
    expect(data['evaluation.date']).toBe('2020年9月15日');
    const criteria = data.criteria as {
      name: string;
      points: string;
      bands: { band: string; description: string }[];
    }[];
    expect(criteria.map((c) => c.name)).toEqual([
      '技术水平',
      '创新程度',
      '难易程度',
      '工作量',
      '经济和社会效益',
    ]);
    expect(criteria.map((c) => Number(c.points)).reduce((a, b) => a + b)).toBe(100);
    expect(criteria[0]?.bands[0]).toEqual({
      band: '优 21–25',
      description: '技术路线先进成熟，关键指标达到国内先进水平',
    });
    expect(data.preferences).toContain('有良好合作基础');
    expect(missing).toEqual([]);
  });

  it('leaves the name and date blank on an anonymous sheet, without calling them missing', () => {
    const p = { ...project('2020-XT-007'), evaluation: {} };
    const { data, missing } = planScoreSheet(p, anonymousExperts(1)[0] as PanelExpert, config);
    expect(data['expert.name']).toBe('');
    expect(data['expert.key']).toBe('E01');
    expect(data['evaluation.date']).toMatch(/^\u3000+年\u3000+月\u3000+日$/);
    expect(missing).toEqual([]);
  });

  it('reports a missing district, term and requested funding', () => {
    const p = project('2020-XT-001');
    const bare: Project = {
      ...p,
      enterprise: { ...p.enterprise, district: null },
      term: { start: '2020-07-01', end: null },
      funding: {},
    };
    const { data, missing } = planScoreSheet(bare, named, config);
    expect(missing.map((m) => m.key)).toEqual(['enterprise.district', 'term', 'funding.requested']);
    expect(data.term).toBeNull();
  });
});

describe('eligibility doubts on the score sheet', () => {
  it('shows the experts what the bureau doubts: service, a short term, no needs stated', () => {
    expect(planScoreSheet(project('2020-XT-001'), named, config).data.doubts).toBe('无');
    expect(planScoreSheet(project('2020-XT-003'), named, config).data.doubts).toMatch(/不满 2 年/);
    expect(planScoreSheet(project('2020-XT-008'), named, config).data.doubts).toMatch(/合作期限不足半年/);
    expect(planScoreSheet(project('2020-XT-009'), named, config).data.doubts).toMatch(/未填写技术人才需求/);
  });
});

describe('the score sheet template', () => {
  const template = readFileSync(templatePathOf('scoresheet'));

  it('asks only for what the plan provides (every tag of the template)', async () => {
    const tags = listTags(template, 'scoresheet.docx').map((t) => t.tag);
    expect(tags).toEqual(
      expect.arrayContaining(['project.title', 'criteria', 'bands', 'band', 'description', 'expert.name']),
    );
    const plans = projects.map((p) => planScoreSheet(p, named, config).data);
    for (const data of plans) expect(tagsNotProvided(template, data, 'scoresheet.docx')).toEqual([]);
  });

  it('names a tag the plan does not know', () => {
    const zip = new PizZip(template);
    const xml = zip.file('word/document.xml')?.asText() ?? '';
    zip.file('word/document.xml', xml.replace('{expert.name}', '{expert.nmae}').replace('{band}', '{bnad}'));
    const edited = zip.generate({ type: 'nodebuffer' }) as Buffer;
    const problems = tagsNotProvided(
      edited,
      planScoreSheet(project('2020-XT-001'), named, config).data,
      't.docx',
    );
    expect(problems.map((p) => p.tag).sort()).toEqual(['bnad', 'expert.nmae']);
    expect(problems.find((p) => p.tag === 'bnad')?.message).toContain('{#criteria} {#bands}');
  });
});

describe('renderScoreSheets', () => {
  it('writes a sheet per project and expert and the workbook, never printing "undefined"', async () => {
    const out = join(tmp, 'docx');
    const chosen = projects.filter((p) => ['2020-XT-001', '2020-XT-004'].includes(p.id));
    const result = await renderScoreSheets(chosen, {
      outDir: out,
      pdf: false,
      config,
      experts: anonymousExperts(2),
      date: new Date('2020-09-15T00:00:00Z'),
    });
    expect(result.sheets.written.map((w) => w.id)).toEqual([
      '2020-XT-001 E01',
      '2020-XT-001 E02',
      '2020-XT-004 E01',
      '2020-XT-004 E02',
    ]);
    expect(result.sheets.templateProblems).toEqual([]);
    expect(result.workbook).toMatch(/评分录入表\.xlsx$/);
    const text = docText(readFileSync(result.sheets.written[0]?.docx as string));
    expect(text).not.toContain('undefined');
    expect(text).not.toMatch(/\{[^}]*\}/);
    for (const s of [
      '评审打分表',
      '技术水平',
      '经济和社会效益',
      '优 21–25',
      '合计',
      '专家意见',
      '签字：',
      '陶瓷工业园区',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('uses each project’s own panel when none is given, and names a project without one', async () => {
    const withPanel = { ...project('2020-XT-002'), evaluation: { experts: [{ id: 'X1', name: '甲专家' }] } };
    const without = { ...project('2020-XT-005'), evaluation: {} };
    const result = await renderScoreSheets([withPanel, without], {
      outDir: join(tmp, 'own'),
      pdf: false,
      config,
    });
    expect(result.sheets.written.map((w) => w.id)).toEqual(['2020-XT-002 X1']);
    expect(result.panelProblems.map((p) => p.projectId)).toEqual(['2020-XT-005']);
  });
});

describe.skipIf(skipWithout(!!findSoffice()))('score sheet PDF', () => {
  it('fits one page, embeds the CJK faces and prints every criterion', async () => {
    const result = await renderScoreSheets([project('2020-XT-004')], {
      outDir: join(tmp, 'pdf'),
      pdf: true,
      config,
      experts: [named],
    });
    const pdf = result.sheets.written[0]?.pdf as string;
    expect(pdf).toBeTruthy();
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/Pages:\s+1\n/);
    const fonts = execFileSync('pdffonts', [pdf]).toString();
    expect(fonts).toMatch(/NotoSerifCJK/);
    expect(fonts).toMatch(/NotoSansCJK/); // 黑体 headings
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString().replace(/\s+/g, '');
    for (const c of config.criteria) expect(text).toContain(c.name);
    expect(text).toContain('氧化锆增韧氧化铝陶瓷阀芯研制');
    expect(text).toContain('评审专家：周文涛');
  });
});

it('loads the template it renders', async () => {
  expect((await loadTemplate('scoresheet')).length).toBeGreaterThan(1000);
});
