// 三方协议: the configuration's checks, the plan (tasks from the duties and the demand's needs, the
// half-year rule, funding, IP variants, missing values), the template's tags, the rendered drafts
// and their PDF.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findSoffice } from '../../src/convert/index.js';
import { RunError } from '../../src/errors.js';
import { type Project, parseProjects } from '../../src/projects/types.js';
import {
  type AgreementConfig,
  DEFAULT_AGREEMENT_CONFIG,
  loadAgreementConfig,
  parseAgreementConfig,
  planAgreement,
  renderAgreements,
} from '../../src/render/agreements.js';
import {
  type DocumentPlan,
  printText,
  rmbUppercase,
  tagsNotProvided,
  templatePathOf,
} from '../../src/render/documents.js';
import { skipWithout } from '../tools.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/projects.json');
const projects = parseProjects(readFileSync(SAMPLE, 'utf8'), SAMPLE);
const project = (id: string): Project => projects.find((p) => p.id === id) as Project;

let config: AgreementConfig;
const tmp = mkdtempSync(join(tmpdir(), 'xietong-agreement-'));
beforeAll(async () => {
  config = await loadAgreementConfig();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const planOf = (p: Project): DocumentPlan => {
  const outcome = planAgreement(p, config);
  if (!outcome.ok) throw new Error(outcome.errors.join('; '));
  return outcome.plan;
};

const docText = (docx: Buffer) =>
  [
    ...(new PizZip(docx).file('word/document.xml')?.asText() ?? '').matchAll(
      /<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g,
    ),
  ]
    .map((m) => m[1])
    .join('');

describe('config/agreement.yaml', () => {
  const source = readFileSync(DEFAULT_AGREEMENT_CONFIG, 'utf8');
  const problem = (patched: string): string => {
    try {
      parseAgreementConfig(patched, 'bad.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(RunError);
      expect((err as RunError).exit).toBe('badDataFile');
      return (err as RunError).message;
    }
    throw new Error('expected an error');
  };

  it('joins folded Chinese lines without spaces', () => {
    expect(config.confidentiality).not.toMatch(/[\u4e00-\u9fff，。；] [\u4e00-\u9fff]/);
    expect(config.ipOwnership.variants.shared?.text).toContain('共同所有，甲方');
  });

  it('names an unknown default variant, a missing clause and too few copies', () => {
    expect(problem(source.replace('default: shared', 'default: joint'))).toMatch(
      /ipOwnership\.default: «joint»/,
    );
    expect(problem(source.replace('copies: 4', 'copies: 2'))).toMatch(/copies: at least one copy for each/);
    expect(problem(source.replace(/^disputeResolution:/m, 'disputeResolutio:'))).toMatch(/disputeResolution/);
  });
});

describe('planAgreement', () => {
  it('writes out each chosen duty from the demand’s needs, in the notice’s order of the agreement', () => {
    const { data, missing, warnings } = planOf(project('2020-XT-004'));
    expect(data.tasks).toEqual([
      {
        no: '（一）',
        name: '解决企业技术难题',
        detail: expect.stringMatching(/^甲方需求：氧化铝陶瓷阀芯在高压工况下易崩边开裂，/),
      },
      {
        no: '（二）',
        name: '搭建企业研发平台',
        detail: '甲方需求：拟组建“先进陶瓷材料工程技术研究中心”，需完善材料力学性能检测条件。',
      },
      {
        no: '（三）',
        name: '促成科技成果转化',
        detail: '甲方需求：联合申报氧化锆增韧氧化铝陶瓷阀门部件的省级重点研发项目。',
      },
    ]);
    expect(data.plannedWork).toMatch(/^帮助企业改进氧化铝耐磨陶瓷的配方与烧结制度，/);
    expect(data.isTeam).toBe(true);
    expect(data['partyB.name']).toBe('先进结构陶瓷创新团队');
    expect(data['team.size']).toBe('5');
    expect(data['team.members']).toContain('郑海燕（副教授）');
    expect(data.workMode).toBe('全职');
    expect(data.workModeText).toContain('暂时工作脱钩，合作期内的全部工作日均在甲方工作');
    expect(data['term.months']).toBe('18');
    expect(data.fundingText).toBe(
      '市科技局从景德镇市科技计划项目经费（优秀专业技术人才入企协同创新专项）中对本项目给予工作和科研经费支持20万元（人民币贰拾万元整）。',
    );
    expect(data.enterpriseFundingText).toMatch(/^甲方为本项目投入配套经费50万元（人民币伍拾万元整）/);
    expect(data.enterpriseDuty).toBe('按本协议第六条投入配套经费，');
    // One IP clause, its share from config/agreement.yaml: 甲方 60 %, 丙方 40 %.
    expect(data['ip.name']).toBe('甲方与丙方按比例共有');
    expect(data.ipText).toContain('由甲方与丙方共同所有，甲方占60%，丙方占40%');
    expect(data.breachText).toMatch(/^任何一方不履行/);
    expect(data['team.memberRows']).toHaveLength(5);
    expect(data.copiesText).toBe(
      '本协议一式四份，甲、乙、丙三方各执一份，报市科技局备案一份，具有同等法律效力。',
    );
    expect(data.confidentialityText).toContain('协议终止后3年内有效');
    expect(warnings).toEqual([]);
    // The dispatching unit's representative and contacts are on no form.
    expect(missing).toEqual([]);
    const bare = planOf({ ...project('2020-XT-004'), dispatchingUnit: { name: '景德镇陶瓷大学' } });
    expect(bare.missing[0]).toEqual({
      key: 'unit.legalRepresentative',
      label: '丙方法定代表人',
      path: 'dispatchingUnit.legalRepresentative',
    });
    // An empty value prints as a line to write on, never as nothing.
    expect(bare.data['unit.legalRepresentative']).toBe('＿＿＿＿');
  });

  it('refuses a term shorter than half a year, and one that ends before it starts', () => {
    const short = planAgreement(project('2020-XT-008'), config);
    expect(short.ok).toBe(false);
    expect(!short.ok && short.errors[0]).toMatch(/不足半年/);
    const exactlyHalf = { ...project('2020-XT-008'), term: { start: '2020-09-01', end: '2021-02-28' } };
    expect(planAgreement(exactlyHalf, config).ok).toBe(true);
    const dayShort = { ...project('2020-XT-008'), term: { start: '2020-09-01', end: '2021-02-27' } };
    expect(planAgreement(dayShort, config).ok).toBe(false);
    const backwards = { ...project('2020-XT-008'), term: { start: '2021-09-01', end: '2021-03-01' } };
    const outcome = planAgreement(backwards, config);
    expect(!outcome.ok && outcome.errors[0]).toMatch(/早于开始日期/);
  });

  it('falls back on the notice’s wording for a duty the demand says nothing about, and says so', () => {
    const { data, missing, warnings } = planOf(project('2020-XT-009'));
    const tasks = data.tasks as { name: string; detail: string }[];
    expect(tasks[0]?.detail).toMatch(/^针对甲方骨质瓷坯料配方依赖外购/);
    expect(tasks[1]?.detail).toMatch(/^帮助甲方加强技术人才队伍建设/);
    expect(warnings).toEqual([expect.stringContaining('tasks[1].detail')]);
    // reg-10 names a team but leaves its size blank.
    expect(missing.map((m) => m.key)).toContain('team.size');
  });

  it('words part-time work, requested funding and a missing term', () => {
    const p: Project = {
      ...project('2020-XT-007'),
      daysPerYear: null,
      daysPerMonth: 8,
      term: {},
      goals: [],
      funding: { requested: 12.5 },
    };
    const { data, missing } = planOf(p);
    expect(data.workModeText).toContain('在甲方工作时间每月不少于8个工作日');
    expect(data.fundingText).toMatch(/^乙方向市科技局申请.+支持12\.5万元（人民币壹拾贰万伍仟元整）；/);
    expect(data['term.start']).toBe('＿＿＿＿');
    expect(data.goalsBlank).toBe('＿＿＿＿');
    expect(missing.map((m) => m.key)).toEqual(
      expect.arrayContaining(['goals', 'term.start', 'term.end', 'term.months']),
    );
    expect(data['ip.name']).toBe('归丙方所有，甲方优先实施');
  });

  it('rejects an IP variant the configuration does not have', () => {
    const outcome = planAgreement(
      { ...project('2020-XT-001'), agreement: { ipOwnership: 'nobody' } },
      config,
    );
    expect(!outcome.ok && outcome.errors[0]).toMatch(/nobody.*shared, enterprise, dispatchingUnit/);
  });
});

describe('amounts and punctuation', () => {
  it('writes amounts in capital figures', () => {
    expect(rmbUppercase(20)).toBe('人民币贰拾万元整');
    expect(rmbUppercase(3)).toBe('人民币叁万元整');
    expect(rmbUppercase(12.5)).toBe('人民币壹拾贰万伍仟元整');
    expect(rmbUppercase(3.05)).toBe('人民币叁万零伍佰元整');
    expect(rmbUppercase(10.0001)).toBe('人民币壹拾万零壹元整');
    expect(rmbUppercase(0.00015)).toBe('人民币壹元伍角');
  });

  it('prints full-width punctuation in Chinese text, and leaves numbers and URLs alone', () => {
    expect(printText('温差达30°C以上,产品变形(阴黄)较多;培养2~3名。')).toBe(
      '温差达30°C以上，产品变形（阴黄）较多；培养2～3名。',
    );
    expect(printText('拟组建"研究中心",下载:http://kj.jdz.gov.cn/')).toBe(
      '拟组建“研究中心”，下载：http://kj.jdz.gov.cn/',
    );
    expect(printText('产值1,000万元,10:30开会')).toBe('产值1,000万元，10:30开会');
    expect(printText('plain, ASCII (text)')).toBe('plain, ASCII (text)');
  });
});

describe('the agreement template', () => {
  const template = readFileSync(templatePathOf('agreement'));

  it('asks only for what the plan provides, for every sample project', () => {
    for (const p of projects) {
      const outcome = planAgreement(p, config);
      if (outcome.ok)
        expect(tagsNotProvided(template, outcome.plan.data, 'agreement.docx'), p.id).toEqual([]);
    }
  });

  it('holds the clauses the notice requires', () => {
    const text = docText(template);
    for (const s of [
      '甲方（企业）',
      '丙方（派出单位）',
      '不少于半年',
      '违约责任',
      '协议的变更与解除',
      '争议解决',
      '生效与份数',
      '一切人事关系不变',
      '绩效考核与验收',
      '法定代表人或授权代表',
      '甲方（盖章）',
      '丙方（盖章）',
      '（以下无正文）',
    ]) {
      expect(text).toContain(s);
    }
  });
});

describe('renderAgreements', () => {
  it('writes a draft per project, refuses the short term, lists missing values, never prints "undefined"', async () => {
    const summary = await renderAgreements(projects, { outDir: join(tmp, 'docx'), pdf: false, config });
    expect(summary.written.map((w) => w.id)).toEqual(
      projects.filter((p) => p.id !== '2020-XT-008').map((p) => p.id),
    );
    expect(summary.failures).toEqual([
      { id: '2020-XT-008', code: 'plan_failed', message: expect.stringContaining('不足半年') },
    ]);
    expect(summary.templateProblems).toEqual([]);
    for (const w of summary.written) {
      const text = docText(readFileSync(w.docx));
      expect(text, w.id).not.toContain('undefined');
      expect(text, w.id).not.toMatch(/\{[#/^]?[A-Za-z.]+\}/);
      // The render step finds no empty tag the plan did not already name.
      expect(
        w.missing.every((m) => m.label !== m.key || m.key === 'goals'),
        w.id,
      ).toBe(true);
    }
    const text = docText(readFileSync(summary.written[0]?.docx as string));
    expect(text).toContain('甲方（企业）：景德镇市瓷韵日用陶瓷有限公司');
    expect(text).toContain('合作期限：自2020年7月1日起至2021年6月30日止，共12个月');
    expect(text).toContain('（一）解决企业技术难题。甲方需求：隧道窑烧成能耗偏高，');
  });

  it('is what `xietong render agreements` runs: from a projects file, its parties unverified', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    onTestFinished(() => {
      stdout.mockRestore();
      stderr.mockRestore();
    });
    const run = (...extra: string[]) =>
      main([
        'node',
        'xietong',
        'render',
        'agreements',
        SAMPLE,
        '--no-pdf',
        '--db',
        join(tmp, 'none.db'),
        '--out',
        join(tmp, 'cli'),
        ...extra,
      ]);
    // No database holds the sample records: nobody has approved them, so no agreement.
    expect(await run('--only', '2020-XT-002')).toBe(13);
    const printed = stdout.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toMatch(/乙方报名表 reg-02（潘慧敏）不在数据库中，无法核实/);
    expect(await run('--only', '2020-XT-002', '--draft')).toBe(0);
    expect(await run('--only', '2020-XT-008', '--draft')).toBe(13); // the short term: nothing could be written
  });
});

describe.skipIf(skipWithout(!!findSoffice()))('agreement PDF', () => {
  it('embeds the CJK faces, numbers the pages and keeps the three signature blocks together', async () => {
    const summary = await renderAgreements([project('2020-XT-004')], {
      outDir: join(tmp, 'pdf'),
      pdf: true,
      config,
    });
    const pdf = summary.written[0]?.pdf as string;
    expect(pdf).toBeTruthy();
    const fonts = execFileSync('pdffonts', [pdf]).toString();
    expect(fonts).toMatch(/NotoSerifCJK/);
    expect(fonts).toMatch(/NotoSansCJK/);
    const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'])
      .toString()
      .split('\f')
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages[0]?.replace(/\s+/g, '')).toContain('—1—');
    // The team's annex is the last page; the signatures are on the page before, with text of the
    // agreement above them.
    const last = pages[pages.length - 1]?.replace(/\s+/g, '') ?? '';
    expect(last).toContain('团队成员名单');
    expect(last).toContain('郑海燕');
    const signing = pages[pages.length - 2]?.replace(/\s+/g, '') ?? '';
    for (const s of [
      '甲方（盖章）',
      '丙方（盖章）',
      '法定代表人或授权代表',
      '团队负责人（签字）',
      '（以下无正文）',
    ])
      expect(signing).toContain(s);
    expect(signing).toMatch(/本协议自三方签字（盖章）之日起生效。（以下无正文）/);
  });
});
