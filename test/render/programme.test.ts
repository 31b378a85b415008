// The rest of the programme's paper: sign-in sheet with 回避承诺, the panel's opinion, the 立项及经费
// notice with its list bound, 验收申请表 and 甲方评价意见表 — plans, the templates' tags, and the PDFs
// read back as a clerk would (pdftotext).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderAcceptanceApplicationsCommand,
  renderEnterpriseEvaluationsCommand,
  renderFundingNoticeCommand,
  renderGroupOpinionsCommand,
  renderSignInCommand,
} from '../../src/cli/render-programme.js';
import { findSoffice } from '../../src/convert/index.js';
import { type Project, parseProjects } from '../../src/projects/types.js';
import { BLANK, printText, tagsNotProvided, templatePathOf } from '../../src/render/documents.js';
import {
  fundedProjects,
  loadFundingNoticeConfig,
  planFundingNotice,
  renderFundingNotice,
  titleLines,
} from '../../src/render/funding-notice.js';
import {
  EVALUATED_STATES,
  panelOf,
  planAcceptanceApplication,
  planEnterpriseEvaluation,
  planGroupOpinion,
  planSignIn,
  renderAcceptanceApplications,
  renderEnterpriseEvaluations,
  renderGroupOpinions,
  renderSignIn,
} from '../../src/render/programme.js';
import type { PanelExpert } from '../../src/scores/experts.js';
import { skipWithout } from '../tools.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/projects.json');
const projects = parseProjects(readFileSync(SAMPLE, 'utf8'), SAMPLE);
const project = (id: string): Project => projects.find((p) => p.id === id) as Project;
const reviewed = projects.filter((p) => EVALUATED_STATES.includes(p.state));
const experts: PanelExpert[] = [
  { key: 'E01', name: '周文涛', title: '教授', employer: '南昌大学' },
  { key: 'E02', name: '胡秀英', title: '正高级工程师', employer: '江西省科学院' },
  { key: 'E03', name: '黎志强', title: null, employer: null },
];

const tmp = mkdtempSync(join(tmpdir(), 'xietong-programme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const template = (kind: Parameters<typeof templatePathOf>[0]) => readFileSync(templatePathOf(kind));
const strings = (data: unknown): string[] =>
  typeof data === 'string'
    ? [data]
    : Array.isArray(data)
      ? data.flatMap(strings)
      : data && typeof data === 'object'
        ? Object.values(data).flatMap(strings)
        : [];

describe('plans', () => {
  it('sign-in: every project reviewed, a row per expert with what is known, blank lines for the rest', () => {
    const { data } = planSignIn(reviewed, experts, '2020-08-20');
    expect(data.date).toBe('2020年8月20日');
    expect(data.place).toBe(BLANK);
    expect((data.projects as { id: string }[]).map((p) => p.id)).toEqual(reviewed.map((p) => p.id));
    const rows = data.experts as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(['周文涛', '胡秀英', '黎志强']);
    expect(rows[2]).toMatchObject({ employer: BLANK, title: BLANK, signature: '' });
    // No panel known: rows to write names in, not a sheet without rows.
    const anonymous = planSignIn(reviewed, [], null);
    expect((anonymous.data.experts as unknown[]).length).toBeGreaterThanOrEqual(5);
    expect(anonymous.data.date).toMatch(/^\u3000+年\u3000+月\u3000+日$/);
  });

  it('group opinion: the scores and the proposal pre-filled, the doubts the experts must see', () => {
    const p = {
      ...project('2020-XT-003'),
      evaluation: { mean: 81.5, rank: 2, proposed: 6, experts: [{ name: '周文涛', title: '教授' }] },
    } as Project;
    const { data } = planGroupOpinion(p, 7, []);
    expect(data.mean).toBe('81.50');
    expect(data.rank).toBe('第2名（共7个项目）');
    expect(data['box.recommend']).toBe('■');
    expect(data['box.notRecommend']).toBe('□');
    expect(data.proposed).toBe('6万元');
    expect(data.doubts).toMatch(/不满 2 年/);
    expect((data.experts as { name: string }[]).map((e) => e.name)).toEqual(['周文涛']);
    // the project's own panel, with what the panel file knows of each expert
    const own = planGroupOpinion(
      { ...p, evaluation: { ...p.evaluation, experts: [{ id: 'E02', name: '胡秀英' }] } } as Project,
      7,
      experts,
    ).data.experts;
    expect(own).toEqual([{ no: '1', name: '胡秀英', employer: '江西省科学院', title: '正高级工程师' }]);
    // Not ranked: neither box ticked, the reason in its place.
    const unranked = planGroupOpinion(
      { ...p, evaluation: { note: '有效评分不足 3 份' } } as Project,
      7,
      experts,
    ).data;
    expect(unranked['box.recommend']).toBe('□');
    expect(unranked['box.notRecommend']).toBe('□');
    expect(unranked.rank).toBe('未能排序：有效评分不足 3 份');
    expect(unranked.proposed).toBe(BLANK);
  });

  it('acceptance application: the agreed goals with the results reported, the money granted and 配套', () => {
    const { data } = planAcceptanceApplication(project('2020-XT-001'));
    const goals = data.goals as { goal: string; result: string }[];
    expect(goals.map((g) => g.goal)).toEqual(project('2020-XT-001').goals.map(printText));
    expect(goals[0]?.result).toMatch(/18\.2%/);
    expect(data.granted).toBe('15');
    expect(data.enterpriseFunding).toBe('20');
    expect(data.term).toBe('2020年7月1日至2021年6月30日（共12个月）');
    // Nothing reported yet, no 配套 agreed: cells to write in and a line, never nothing.
    const fresh = planAcceptanceApplication(project('2020-XT-005')).data;
    expect((fresh.goals as { result: string }[]).every((g) => g.result === '')).toBe(true);
    expect(fresh.enterpriseFunding).toBe(BLANK);
  });

  it('enterprise evaluation: the opinion 甲方 gave at acceptance, else a box to write in', () => {
    const accepted = planEnterpriseEvaluation(project('2020-XT-001')).data;
    expect(accepted.opinion).toBe(printText(project('2020-XT-001').acceptance?.enterpriseOpinion as string));
    expect(planEnterpriseEvaluation(project('2020-XT-004')).data.opinion).toBe('');
  });

  it('funding notice: the funded projects only, their total, the count in the text, the list titled as the 附件说明', () => {
    const config = loadFundingNoticeConfig();
    const { notice, list, total } = planFundingNotice(projects, config, 2020, null);
    const ids = fundedProjects(projects).map((p) => p.id);
    expect(ids).toEqual(['2020-XT-001', '2020-XT-002', '2020-XT-003', '2020-XT-004', '2020-XT-005']);
    expect(total).toBe(15 + 10 + 6 + 20 + 10);
    expect(notice.number).toBe(`景科字〔2020〕${BLANK}号`);
    expect(JSON.stringify(notice.body)).toContain('决定对5个优秀专业技术人才入企协同创新项目予以立项支持');
    expect(JSON.stringify(notice.body)).toContain('共计61万元');
    expect(JSON.stringify(notice.body)).not.toMatch(/\{(count|total|year)\}/);
    expect((list.rows as { amount: string }[]).map((r) => r.amount)).toEqual(['15', '10', '6', '20', '10']);
    expect(String(list.title).replace('\n', '')).toBe(notice.attachments[0]);
    expect(titleLines(notice.attachments[0] as string)).toBe(
      '2020年度优秀专业技术人才入企协同创新\n项目及经费安排表',
    );
  });

  it('takes the panel from what scores import recorded, each expert once', () => {
    const withPanel = reviewed.map((p, i) => ({
      ...p,
      evaluation: {
        experts: [
          { id: 'E01', name: '周文涛' },
          ...(i === 0 ? [{ id: 'E02', name: '胡秀英', title: '研究员' }] : []),
        ],
      },
    })) as Project[];
    expect(panelOf(withPanel).map((e) => [e.key, e.name, e.title])).toEqual([
      ['E01', '周文涛', null],
      ['E02', '胡秀英', '研究员'],
    ]);
  });
});

describe('templates', () => {
  it('ask only for what the plans provide', () => {
    const cases: [Parameters<typeof templatePathOf>[0], Record<string, unknown>][] = [
      ['signin', planSignIn(reviewed, experts, '2020-08-20').data],
      ['groupopinion', planGroupOpinion(project('2020-XT-003'), 7, experts).data],
      ['acceptanceapp', planAcceptanceApplication(project('2020-XT-001')).data],
      ['enterpriseeval', planEnterpriseEvaluation(project('2020-XT-001')).data],
      ['fundinglist', planFundingNotice(projects, loadFundingNoticeConfig(), 2020, null).list],
    ];
    for (const [kind, data] of cases) {
      expect(tagsNotProvided(template(kind), data, `${kind}.docx`), kind).toEqual([]);
      for (const s of strings(data)) expect(s, kind).not.toMatch(/undefined|null|NaN/);
    }
  });
});

describe('commands (.docx only)', () => {
  const quiet = () => {
    let said = '';
    return { out: { write: (s: string) => (said += s) }, said: () => said };
  };

  it('render signin / group-opinions / acceptance-applications / enterprise-evaluations take the projects at their stage', async () => {
    const o = quiet();
    const base = { db: join(tmp, 'none.db'), pdf: false };
    const signIn = await renderSignInCommand(SAMPLE, { ...base, out: join(tmp, 'cmd') }, o.out);
    expect(signIn.written).toHaveLength(1);
    expect(o.said()).toMatch(/跳过 1 个尚未到此阶段的项目.*2020-XT-008/);
    const opinions = await renderGroupOpinionsCommand(SAMPLE, { ...base, out: join(tmp, 'cmd') }, o.out);
    expect(opinions.written.map((w) => w.id)).toEqual(reviewed.map((p) => p.id));
    const apps = await renderAcceptanceApplicationsCommand(SAMPLE, { ...base, out: join(tmp, 'cmd') }, o.out);
    expect(apps.written.map((w) => w.id)).toEqual([
      '2020-XT-001',
      '2020-XT-002',
      '2020-XT-003',
      '2020-XT-004',
      '2020-XT-005',
    ]);
    const evals = await renderEnterpriseEvaluationsCommand(
      SAMPLE,
      { ...base, out: join(tmp, 'cmd'), only: '2020-XT-006' },
      o.out,
    );
    expect(evals.written.map((w) => w.id)).toEqual(['2020-XT-006']); // --only, whatever the state
  });

  it('render funding-notice says what is left to fill; a bad date is a usage error', async () => {
    const o = quiet();
    const r = await renderFundingNoticeCommand(SAMPLE, { pdf: false, out: join(tmp, 'cmd-fn') }, o.out);
    expect(r.bound).toHaveLength(1);
    expect(o.said()).toContain('5 个项目，合计 61 万元');
    expect(o.said()).toContain('发文字号留空待填');
    await expect(
      renderFundingNoticeCommand(SAMPLE, { pdf: false, out: join(tmp, 'cmd-fn'), date: '2020-02-30' }, o.out),
    ).rejects.toMatchObject({ exit: 'usage' });
  });
});

const pdfText = (pdf: string, layout = false) =>
  execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', pdf, '-'], {
    encoding: 'utf8',
  });
const squeeze = (s: string) => s.replace(/\s+/g, '');
const pages = (pdf: string) => pdfText(pdf).split('\f').slice(0, -1);

describe.skipIf(skipWithout(!!findSoffice()))('the PDFs (LibreOffice)', () => {
  let signIn = '';
  let opinion = '';
  let application = '';
  let evaluation = '';
  let notice = '';

  beforeAll(async () => {
    const out = join(tmp, 'pdf');
    signIn = (await renderSignIn(reviewed, experts, '2020-08-20', { outDir: out, pdf: true })).written[0]
      ?.pdf as string;
    opinion = (await renderGroupOpinions([project('2020-XT-003')], experts, { outDir: out, pdf: true }))
      .written[0]?.pdf as string;
    application = (await renderAcceptanceApplications([project('2020-XT-001')], { outDir: out, pdf: true }))
      .written[0]?.pdf as string;
    evaluation = (await renderEnterpriseEvaluations([project('2020-XT-001')], { outDir: out, pdf: true }))
      .written[0]?.pdf as string;
    notice = (await renderFundingNotice(projects, { outDir: out, pdf: true, year: 2020, date: '2020-09-28' }))
      .pdf as string;
  }, 120_000);

  it('sign-in: one page with the projects, the 回避承诺 and a row to sign per expert', () => {
    expect(pages(signIn)).toHaveLength(1);
    const t = squeeze(pdfText(signIn));
    for (const p of reviewed) expect(t).toContain(p.id);
    expect(t).toContain('回避与保密承诺');
    expect(t).toContain('不存在近亲属关系、隶属关系');
    expect(t).toContain('主动向市科技局说明并申请回避');
    for (const e of experts) expect(t).toContain(e.name as string);
    expect(t).toContain('2020年8月20日');
  });

  it('group opinion: one page, the leader signs under the panel', () => {
    expect(pages(opinion)).toHaveLength(1);
    const t = squeeze(pdfText(opinion));
    expect(t).toContain('2020-XT-003');
    expect(t).toContain('专家组综合意见');
    expect(t.indexOf('专家组组长（签字）')).toBeGreaterThan(t.indexOf('黎志强'));
    expect(t).toContain('不满2年');
  });

  it('acceptance application and enterprise evaluation: goals, money and signatures, none orphaned', () => {
    const t = squeeze(pdfText(application));
    // A cell's lines interleave with its neighbour's in pdftotext's order: each goal's first line.
    for (const goal of project('2020-XT-001').goals)
      expect(t).toContain(squeeze(printText(goal)).slice(0, 10));
    expect(t).toContain('经费使用情况');
    expect(t).toContain('人员劳务费');
    const last = squeeze(pages(application).at(-1) ?? '');
    // the pledge, both opinions and their seals share the last page
    for (const s of ['申请与意见', '乙方（签字）', '甲方（盖章）', '派出单位（盖章）'])
      expect(last).toContain(s);
    const e = squeeze(pdfText(evaluation));
    expect(e).toContain('分项评价');
    expect(e).toContain('总体评价');
    expect(e).toContain(squeeze(printText(project('2020-XT-001').acceptance?.enterpriseOpinion as string)));
    expect(e).toContain('甲方（盖章）');
  });

  it('funding notice: body in GB/T 9704 layout, then the list from a new page as 附件1, page numbers running on', () => {
    const all = pages(notice);
    expect(all.length % 2).toBe(0); // the 版记 on an even page
    const listAt = all.findIndex((p) => /^\s*附件\s*1\s*$/m.test(p.split('\n').find((l) => l.trim()) ?? ''));
    expect(listAt).toBeGreaterThan(0);
    const body = squeeze(all.slice(0, listAt).join(''));
    expect(body).toContain('景德镇市科学技术局文件');
    expect(body).toContain('附件：2020年度优秀专业技术人才入企协同创新项目及经费安排表');
    expect(body).toContain('2020年9月28日');
    const list = squeeze(all[listAt] ?? '');
    expect(list).toContain('项目及经费安排表');
    for (const p of fundedProjects(projects)) expect(list).toContain(p.id);
    expect(list).toContain('合计：5个项目，市科技局支持经费61万元');
    all.forEach((page, i) => {
      if (page.trim() === '') return; // the blank page before the 版记 page
      expect(squeeze(page)).toMatch(new RegExp(`—${i + 1}—`));
    });
    expect(squeeze(all.at(-1) ?? '')).toMatch(/抄送：.*印发/);
    const fonts = execFileSync('pdffonts', [notice], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSerifCJK/);
    expect(fonts).toMatch(/NotoSansCJK/);
  });
});
