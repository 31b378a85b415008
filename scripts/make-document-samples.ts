// Writes the fictional sample data of the official documents:
//   samples/projects.json          9 projects built from the intended matches (samples/intended-matches.json)
//                                  and the sample records, at every stage from matched to accepted
//   samples/scores/experts.yaml    5 fictional experts
//   samples/scores/scores-a.xlsx   the score workbook with experts E01–E03 filled in
//   samples/scores/scores-b.xlsx   the same workbook with experts E04–E05 filled in (each expert fills
//                                  the copy sent to them; `xietong scores import` puts them together)
//
//   npx tsx scripts/make-document-samples.ts
//
// Deterministic: the scores come from a seeded generator and the workbooks carry fixed dates, so a
// second run writes the same bytes. Facts are copied from the records (as the bureau would when a
// match is confirmed); titles, goals, terms, funding and results are invented here, per project.
// Special cases on purpose: 2020-XT-008 has a four-month term (its agreement is refused), 2020-XT-009
// comes from dem-09 (no needs filled) and reg-10 (team size blank), 2020-XT-003's experts disagree.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { stringify } from 'yaml';
import type { Expert, ProjectInput } from '../src/projects/types.js';
import { ProjectListSchema } from '../src/projects/types.js';
import { loadScoringConfig } from '../src/scores/config.js';
import { assignPanel, panelExpert } from '../src/scores/experts.js';
import { buildScoreWorkbook, finishXlsx, LAYOUT } from '../src/scores/workbook.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = join(ROOT, 'samples');
const DATE = new Date('2020-09-15T00:00:00Z');

interface RecordJson {
  id: string;
  fields: Record<string, { value: string | number | boolean | null }>;
}

const records = (form: string): Map<string, Record<string, string | number | boolean | null>> => {
  const list = JSON.parse(readFileSync(join(SAMPLES, 'records', `${form}.json`), 'utf8')) as RecordJson[];
  return new Map(
    list.map((r) => [r.id, Object.fromEntries(Object.entries(r.fields).map(([k, f]) => [k, f.value]))]),
  );
};

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

// ---- fictional experts -----------------------------------------------------------------------------

export const EXPERTS: Expert[] = [
  { id: 'E01', name: '周文涛', title: '教授', employer: '南昌大学' },
  { id: 'E02', name: '胡秀英', title: '正高级工程师', employer: '江西省科学院' },
  { id: 'E03', name: '黎志强', title: '教授', employer: '南昌航空大学' },
  { id: 'E04', name: '姚佩琳', title: '研究员', employer: '江西省科学院' },
  { id: 'E05', name: '章国华', title: '高级经济师', employer: '景德镇市科技咨询服务中心' },
];

const ACCEPTANCE_PANEL: Expert[] = [
  { name: '周文涛', title: '教授', employer: '南昌大学', role: '组长' },
  { name: '姚佩琳', title: '研究员', employer: '江西省科学院', role: '成员' },
  { name: '邬立群', title: '正高级工程师', employer: '景德镇市陶瓷产业服务中心', role: '成员' },
  { name: '傅晓梅', title: '高级会计师', employer: '景德镇市科技咨询服务中心', role: '成员' },
  { name: '章国华', title: '高级经济师', employer: '景德镇市科技咨询服务中心', role: '成员' },
];

// ---- the projects ----------------------------------------------------------------------------------

// What no form holds but an agreement states: the dispatching units' legal representatives and
// contacts, the enterprises' addresses, the teams' members. All invented (people and street
// numbers); the bureau's clerk types them into the project terms workbook.
const UNITS: Record<
  string,
  { legalRepresentative: string; address: string; contactPerson: string; contactPhone: string }
> = {
  景德镇陶瓷大学: {
    legalRepresentative: '林承宇',
    address: '景德镇市昌江区陶阳南路27号',
    contactPerson: '方晓岚',
    contactPhone: '0798-8000201',
  },
  景德镇学院: {
    legalRepresentative: '钱思远',
    address: '景德镇市昌江区新厂西路838号',
    contactPerson: '陶静怡',
    contactPhone: '0798-8000302',
  },
  中国轻工业陶瓷研究所: {
    legalRepresentative: '贺振华',
    address: '景德镇市珠山区新厂东路2号',
    contactPerson: '黎雪梅',
    contactPhone: '0798-8000403',
  },
};
const ADDRESSES: Record<string, string> = {
  'dem-02': '景德镇市珠山区新厂东路116号',
  'dem-03': '景德镇市昌江区陶溪川文创街区B区12号',
  'dem-04': '景德镇市高新区长虹大道88号',
  'dem-05': '浮梁县工业园区瓷都大道21号',
  'dem-09': '景德镇市昌江区鱼山工业园区5号',
};
const MEMBERS: Record<string, { name: string; title?: string; role?: string }[]> = {
  'dem-01': [
    { name: '程立新', title: '教授', role: '负责人，窑炉热工与烧成制度' },
    { name: '孔令杰', title: '副教授', role: '热平衡测试与数据分析' },
    { name: '舒雨桐', title: '讲师', role: '烧成缺陷分析' },
    { name: '汪子墨', title: '工程师', role: '窑炉改造现场实施' },
  ],
  'dem-06': [
    { name: '戴明远', title: '教授', role: '负责人，精密加工工艺' },
    { name: '欧阳帆', title: '高级工程师', role: '工装夹具设计' },
    { name: '宁可欣', title: '讲师', role: '检测与质量控制' },
  ],
  'dem-09': [
    { name: '钟雅琴', title: '研究员', role: '负责人，坯釉配方' },
    { name: '邹一鸣', title: '工程师', role: '原料检测' },
  ],
};

type Extra = Omit<
  ProjectInput,
  'id' | 'sources' | 'enterprise' | 'professional' | 'dispatchingUnit' | 'needs' | 'plannedWork'
> & { problem?: string; members?: { name: string; title?: string; role?: string }[] };

const EXTRAS: Record<string, Extra> = {
  'dem-01': {
    title: '日用瓷隧道窑节能降耗与烧成缺陷控制',
    problem: 'prob-01',
    state: 'accepted',
    tasks: [{ duty: 'solveProblems' }, { duty: 'trainTeam' }],
    goals: [
      '单位产品燃耗降低15%以上',
      '烧成合格率由约86%提高到92%以上',
      '建立烧成工艺数据库，形成隧道窑烧成操作规程1套',
      '培养能独立调整烧成制度的窑炉技术骨干2~3名',
    ],
    position: '窑炉技术顾问',
    term: { start: '2020-07-01', end: '2021-06-30' },
    fullTime: false,
    daysPerMonth: 10,
    funding: { requested: 15, granted: 15, enterprise: 20 },
    agreement: { signedDate: '2020-06-28' },
    evaluation: { date: '2020-09-15' },
    acceptance: {
      certificateNo: '景科协验〔2021〕1号',
      date: '2021-07-15',
      method: '现场考察、查阅资料、质询',
      experts: ACCEPTANCE_PANEL,
      results: [
        {
          goal: 1,
          result: '完成窑体保温改造和烧成曲线优化，单位产品天然气消耗由1.32立方米降至1.08立方米，降低18.2%',
          assessment: 'met',
        },
        { goal: 2, result: '连续3个月统计烧成合格率93.1%，变形和阴黄缺陷显著减少', assessment: 'met' },
        {
          goal: 3,
          result: '建成含2条隧道窑、1200余批次记录的烧成工艺数据库，制定操作规程1套',
          assessment: 'met',
        },
        { goal: 4, result: '培养窑炉技术骨干3名，均能独立调整烧成制度', assessment: 'met' },
        { result: '联合申请发明专利1件（已受理）' },
      ],
      opinion:
        '项目组按协议完成了隧道窑热平衡测试、窑体改造和烧成制度优化，节能和提质效果明显，数据真实，资料齐全，培养了企业技术骨干，达到了协议约定的目标。专家组同意通过验收。建议企业继续完善烧成工艺数据库，将改造经验在同类企业推广。',
      conclusion: 'passed',
    },
  },
  'dem-02': {
    title: '高温颜色釉釉面缺陷控制与特色釉开发',
    state: 'accepted',
    tasks: [{ duty: 'solveProblems' }, { duty: 'transferResults' }],
    goals: [
      '釉面针孔、缩釉缺陷明显减少，成品率由不足75%提高到85%以上',
      '同一釉色不同窑次色差稳定可控',
      '开发结晶釉、窑变釉等特色釉色产品2~3个',
    ],
    position: '釉料技术总监（兼）',
    term: { start: '2020-07-01', end: '2021-06-30' },
    daysPerMonth: 8,
    funding: { requested: 10, granted: 10 },
    agreement: { ipOwnership: 'shared', signedDate: '2020-06-29' },
    evaluation: { date: '2020-09-15' },
    acceptance: {
      certificateNo: '景科协验〔2021〕2号',
      date: '2021-07-16',
      experts: ACCEPTANCE_PANEL.slice(0, 3),
      results: [
        { goal: 1, result: '调整釉料配方和施釉厚度，成品率提高到86.5%', assessment: 'met' },
        { goal: 2, result: '建立釉料原料进厂检验和色差比对制度，色差投诉明显减少', assessment: 'met' },
        { goal: 3, result: '开发结晶釉、窑变釉产品各1个，第3个釉色处于中试阶段', assessment: 'partlyMet' },
      ],
      opinion:
        '项目解决了企业高温颜色釉釉面缺陷和色差问题，成品率达到协议目标，新开发的2个特色釉色产品已投放市场。专家组同意通过验收，建议加快第3个釉色的中试。',
      conclusion: 'passed',
    },
  },
  'dem-03': {
    title: '陈设瓷复杂造型3D打印快速打样',
    state: 'underway',
    // reg-03's rule warning, as match confirm keeps it for the experts.
    doubts: ['参加工作时间 2019-07 至 2020-05-18 不满 2 年（通知要求原则上工作 2 年以上）'],
    tasks: [{ duty: 'solveProblems' }, { duty: 'buildPlatform' }, { duty: 'transferResults' }],
    goals: [
      '新品打样周期由2~3个月缩短到2周以内',
      '建成数字化设计与快速成型工作室',
      '掌握陶瓷泥料直接打印成型工艺，完成10款以上新品打样',
    ],
    term: { start: '2020-08-01', end: '2021-07-31' },
    daysPerMonth: 8,
    funding: { requested: 8, granted: 6 },
    evaluation: { date: '2020-09-15' },
    acceptance: {
      certificateNo: '景科协验〔2021〕3号',
      date: '2021-08-20',
      experts: ACCEPTANCE_PANEL.slice(0, 3),
      results: [
        { goal: 1, result: '采用三维扫描和模具打印，打样周期缩短到约3周', assessment: 'partlyMet' },
        { goal: 2, result: '配置三维扫描仪1台、陶瓷打印机2台，工作室已投入使用', assessment: 'met' },
        { goal: 3, result: '泥料直接打印工艺尚不稳定，完成新品打样6款', assessment: 'partlyMet' },
      ],
      opinion:
        '项目建成了数字化设计与快速成型工作室，但打样周期和新品打样数量未达到协议目标，泥料直接打印工艺稳定性有待提高。专家组建议补充近三个月的打样记录后复议。',
      conclusion: 'reconsider',
    },
  },
  'dem-04': {
    title: '氧化锆增韧氧化铝陶瓷阀芯研制',
    state: 'funded',
    tasks: [{ duty: 'solveProblems' }, { duty: 'buildPlatform' }, { duty: 'transferResults' }],
    goals: [
      '阀芯断裂韧性和耐磨性达到进口同类产品水平，使用寿命提高50%',
      '与企业共建先进陶瓷材料研发中心，完善材料力学性能检测条件',
      '联合申报省级重点研发项目1项',
    ],
    position: '技术副总经理（兼）',
    term: { start: '2020-07-01', end: '2021-12-31' },
    fullTime: true,
    funding: { requested: 20, granted: 20, enterprise: 50 },
    agreement: { ipOwnership: 'shared' },
    evaluation: { date: '2020-09-15' },
    members: [
      { name: '廖国栋', title: '教授', role: '负责人' },
      { name: '郑海燕', title: '副教授' },
      { name: '简明', title: '讲师' },
      { name: '严可馨', title: '博士研究生' },
      { name: '付佳豪', title: '硕士研究生' },
    ],
  },
  'dem-05': {
    title: '日用瓷自主花面与器型设计及设计团队培养',
    state: 'underway',
    tasks: [{ duty: 'solveProblems' }, { duty: 'trainTeam' }],
    goals: [
      '每年推出具有自主知识产权的日用瓷新产品系列2个以上',
      '申请外观设计专利4件以上',
      '培养产品设计人员3~5名，建立企业设计团队和产品设计档案',
    ],
    position: '设计总监（兼）',
    term: { start: '2020-09-01', end: '2021-08-31' },
    daysPerMonth: 8,
    funding: { requested: 10, granted: 10 },
    agreement: { ipOwnership: 'enterprise' },
    evaluation: { date: '2020-09-15' },
  },
  'dem-06': {
    title: '直升机钛合金薄壁件数控加工变形控制',
    problem: 'prob-03',
    state: 'evaluated',
    tasks: [{ duty: 'solveProblems' }, { duty: 'trainTeam' }],
    goals: [
      '薄壁零件一次交检合格率达到95%以上',
      '形成薄壁件加工工艺规范和装夹方案',
      '培养数控编程及工艺人员5名',
    ],
    term: { start: '2020-09-01', end: '2021-08-31' },
    daysPerMonth: 10,
    funding: { requested: 12 },
    evaluation: { date: '2020-09-15' },
  },
  'dem-07': {
    title: '原料药合成收率提升与结晶工艺优化',
    problem: 'prob-04',
    state: 'agreed',
    tasks: [{ duty: 'solveProblems' }, { duty: 'transferResults' }],
    goals: [
      '主导原料药合成收率由约62%提高到70%以上',
      '结晶晶型稳定，有关物质稳定达到药典标准',
      '完成母液溶剂回收工艺小试',
    ],
    term: { start: '2020-09-01', end: '2021-08-31' },
    daysPerMonth: 8,
    funding: { requested: 10 },
    agreement: { ipOwnership: 'dispatchingUnit' },
  },
  'dem-08': {
    title: '电路板焊点机器视觉自动检测系统开发',
    problem: 'prob-05',
    state: 'matched',
    tasks: [{ duty: 'solveProblems' }, { duty: 'buildPlatform' }],
    goals: ['焊点缺陷自动检测准确率达到98%以上', '完善企业嵌入式软件研发室'],
    // Four months: shorter than the notice's half a year, so no agreement can be drafted yet.
    term: { start: '2020-09-01', end: '2020-12-31' },
    funding: { requested: 6 },
  },
  'dem-09': {
    title: '骨质瓷坯料配方优化与烧成变形控制',
    state: 'agreed',
    tasks: [
      {
        duty: 'solveProblems',
        detail:
          '针对甲方骨质瓷坯料配方依赖外购、烧成变形率偏高、产品白度和透光度不稳定的问题，优化坯料配方和烧成制度，降低烧成变形率，稳定白度和透光度',
      },
      // No need on the demand form for this one: the agreement falls back on the notice's wording.
      { duty: 'trainTeam' },
    ],
    goals: ['烧成变形率明显降低', '产品白度和透光度稳定达到企业标准', '建立原料进厂检测制度'],
    term: { start: '2020-09-01', end: '2021-08-31' },
    daysPerMonth: 8,
    funding: { requested: 8 },
  },
};

export function buildProjects(): ProjectInput[] {
  const demands = records('demand');
  const registrations = records('registration');
  const problems = records('problem');
  const matches = (
    JSON.parse(readFileSync(join(SAMPLES, 'intended-matches.json'), 'utf8')) as {
      matches: { demand: string; registration: string }[];
    }
  ).matches;
  return matches.map((match, i): ProjectInput => {
    const d = demands.get(match.demand);
    const r = registrations.get(match.registration);
    const extra = EXTRAS[match.demand];
    if (!d || !r || !extra)
      throw new Error(`no record or extras for ${match.demand} ↔ ${match.registration}`);
    const { problem, members, title, state, ...rest } = extra;
    const prob = problem ? problems.get(problem) : undefined;
    return {
      id: `2020-XT-${String(i + 1).padStart(3, '0')}`,
      title,
      state,
      sources: { demand: match.demand, registration: match.registration, ...(problem ? { problem } : {}) },
      enterprise: {
        name: str(d.companyName) ?? '',
        district: str(d.district),
        legalRepresentative: str(d.legalRepresentative),
        legalRepresentativePhone: str(d.legalRepresentativePhone),
        contactPerson: str(d.contactPerson),
        contactPhone: str(d.contactPhone),
        address: str(prob?.address) ?? ADDRESSES[match.demand] ?? null,
        mainProducts: str(d.mainProducts),
      },
      professional: {
        name: str(r.name) ?? '',
        gender: r.gender === '男' || r.gender === '女' ? r.gender : null,
        professionalTitle: str(r.professionalTitle),
        employerAndPosition: str(r.employerAndPosition),
        phone: str(r.phone),
        expertise: str(r.expertise),
        teamName: str(r.teamName),
        teamSize: typeof r.teamSize === 'number' ? r.teamSize : null,
        ...(members ? { members } : MEMBERS[match.demand] ? { members: MEMBERS[match.demand] } : {}),
      },
      // The unit's legal representative and contacts are not on any form: the clerk adds them.
      dispatchingUnit: { name: str(r.fillingUnit) ?? '', ...(UNITS[str(r.fillingUnit) ?? ''] ?? {}) },
      needs: {
        problems: str(d['needs.problems']),
        teamTraining: str(d['needs.teamTraining']),
        rdPlatform: str(d['needs.rdPlatform']),
        techTransfer: str(d['needs.techTransfer']),
        majorCooperation: str(d['needs.majorCooperation']),
        urgentTalent: str(d['needs.urgentTalent']),
      },
      plannedWork: str(r.plannedWork),
      ...withDaysPerYear(rest),
      ...(rest.acceptance?.conclusion === 'passed'
        ? { acceptance: { ...rest.acceptance, ...acceptanceOpinions(rest, str(r.fillingUnit) ?? '') } }
        : {}),
    };
  });
}

/** The bureau's workbook asks for days a year: the samples' days a month, times twelve. */
function withDaysPerYear<T extends { daysPerMonth?: number | null }>(
  extra: T,
): Omit<T, 'daysPerMonth'> & { daysPerYear?: number } {
  const { daysPerMonth, ...rest } = extra;
  return daysPerMonth ? { ...rest, daysPerYear: daysPerMonth * 12 } : rest;
}

/** 甲方意见, 派出单位意见 and 经费使用情况 of a passed 验收 (invented, plausible). */
function acceptanceOpinions(extra: Pick<Extra, 'funding'>, unit: string): Record<string, string> {
  const granted = extra.funding?.granted ?? 0;
  const own = extra.funding?.enterprise ?? 0;
  return {
    enterpriseOpinion:
      '入企人才按协议在我公司开展工作，解决了生产中的关键技术问题，带出了技术骨干，工作认真负责，成效明显。同意提请验收。',
    unitOpinion: `该同志（团队）在企业工作期间遵守${unit}和企业的各项规定，按协议完成了协同创新任务，工作业绩已记入考核档案。同意提请验收。`,
    fundingUse:
      `市科技局支持经费${granted}万元已全部到位，支出${granted}万元，主要用于测试化验、材料和差旅，专款专用、单独核算。` +
      (own > 0
        ? `甲方配套经费${own}万元已到位并使用完毕。`
        : '甲方未另行投入配套资金，提供了场地、设备和生产条件。'),
  };
}

// ---- scores ------------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How good each project looks to an average expert (share of the points), and one outlier. */
const QUALITY: Record<string, number> = {
  '2020-XT-001': 0.9,
  '2020-XT-002': 0.86,
  '2020-XT-003': 0.78,
  '2020-XT-004': 0.93,
  '2020-XT-005': 0.84,
  '2020-XT-006': 0.81,
  '2020-XT-007': 0.76,
  '2020-XT-009': 0.69,
};
const EXPERT_BIAS: Record<string, number> = { E01: 0.02, E02: -0.01, E03: 0, E04: 0.03, E05: -0.03 };
/** E05 thinks little of the 3D-printing project: a spread the import flags for review. */
const OUTLIER = { expert: 'E05', project: '2020-XT-003', shift: -0.24 };

async function main(): Promise<void> {
  const projects = ProjectListSchema.parse(buildProjects());
  await writeFile(
    join(SAMPLES, 'projects.json'),
    `${JSON.stringify(
      {
        note: 'Fictional projects built from samples/intended-matches.json by scripts/make-document-samples.ts. Facts are copied from the sample records; titles, goals, terms, funding, panels and results are invented.',
        projects: buildProjects(),
      },
      null,
      2,
    )}\n`,
  );

  const scoresDir = join(SAMPLES, 'scores');
  await mkdir(scoresDir, { recursive: true });
  await writeFile(
    join(scoresDir, 'experts.yaml'),
    `# Fictional experts for the sample evaluation (xietong render scoresheets --experts-file).\n${stringify({ experts: EXPERTS })}`,
  );

  const config = await loadScoringConfig();
  const scored = projects.filter((p) => p.state !== 'matched');
  const { assignments } = assignPanel(scored, EXPERTS.map(panelExpert));
  const { buffer, meta } = await buildScoreWorkbook({ assignments, config, date: DATE });
  const random = mulberry32(20200915);
  const copies: [string, string[]][] = [
    ['scores-a.xlsx', ['E01', 'E02', 'E03']],
    ['scores-b.xlsx', ['E04', 'E05']],
  ];
  for (const [file, experts] of copies) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    for (const sheet of meta.sheets) {
      if (!experts.includes(sheet.expert.key)) continue;
      const ws = wb.getWorksheet(sheet.sheet);
      if (!ws) throw new Error(`sheet ${sheet.sheet} missing`);
      ws.getCell(LAYOUT.dateCell).value = DATE;
      sheet.projects.forEach((id, i) => {
        const row = ws.getRow(LAYOUT.firstRow + i);
        const shift = sheet.expert.key === OUTLIER.expert && id === OUTLIER.project ? OUTLIER.shift : 0;
        config.criteria.forEach((c, j) => {
          const share =
            (QUALITY[id] ?? 0.75) + (EXPERT_BIAS[sheet.expert.key] ?? 0) + shift + (random() - 0.5) * 0.08;
          const score = Math.max(0, Math.min(c.points, Math.round(c.points * share)));
          row.getCell(LAYOUT.firstScoreColumn + j).value = score;
        });
        if (shift !== 0) {
          row.getCell(LAYOUT.firstScoreColumn + config.criteria.length + 1).value =
            '泥料直接打印工艺不成熟，目标偏乐观，建议压缩经费。';
        }
      });
    }
    const filled = finishXlsx(Buffer.from(await wb.xlsx.writeBuffer()), DATE);
    await writeFile(join(scoresDir, file), filled);
  }
  process.stdout.write(
    `wrote samples/projects.json (${projects.length} projects), samples/scores/experts.yaml, ${copies.map(([f]) => `samples/scores/${f}`).join(', ')}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
