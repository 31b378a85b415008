// Filled .docx forms typed into other copies of the three forms — retyped in Word or WPS by an
// applicant or the bureau — read label-driven whatever the cell arrangement: labels typed a little
// differently, values beside, below or inside their label's cell, opinion cells with （盖章） and
// the date on either side, the header line inside or outside the table. Every typed value must come
// back exact, and a blank must be confident only when its cell is verifiably blank.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitOpinion } from '../../src/extract/opinion.js';
import { FORMS } from '../../src/forms/index.js';
import { type IngestResult, ingest } from '../../src/ingest/index.js';
import * as ox from '../../src/render/ooxml.js';
import type { FormKind, SubmissionRecord } from '../../src/types.js';

// ---- building documents -------------------------------------------------------------------------

const WIDTH = 9000;
const PAGE = { width: 11906, height: 16838, top: 1440, bottom: 1440, left: 1418, right: 1418 };

/** Paragraphs, one per line; `|` inside a line is a line break (w:br) within the paragraph. */
const paras = (text: string): string =>
  text
    .split('\n')
    .map((line) => ox.para(ox.text(line.replace(/\|/g, '\n'))))
    .join('');

const cell = (text: string, width: number | 'rest' = 'rest', vMerge?: 'restart' | 'continue'): ox.Cell => ({
  width,
  body: paras(text),
  ...(vMerge ? { vMerge } : {}),
});

const row = (...cells: ox.Cell[]): ox.Row => ({ height: 400, cells });
const grid = (rows: ox.Row[], borderless = false): string =>
  ox.table(rows, { width: WIDTH, ...(borderless ? { borders: ox.noBorders() } : {}) });
/** A paragraph with a tab between its parts, as the header line is typed. */
const tabbed = (...parts: string[]): string => ox.para(parts.map((p) => ox.text(p)).join(ox.tab()));

/** Raw WordprocessingML for what the helpers do not write: legacy merges, content controls. */
const tc = (text: string, pr = ''): string => `<w:tc><w:tcPr>${pr}</w:tcPr>${paras(text)}</w:tc>`;
const rawTable = (rows: string[][]): string =>
  `<w:tbl><w:tblPr><w:tblW w:w="${WIDTH}" w:type="dxa"/></w:tblPr>${rows.map((r) => `<w:tr>${r.join('')}</w:tr>`).join('')}</w:tbl>`;
const contentControl = (inner: string): string =>
  `<w:sdt><w:sdtPr/><w:sdtContent>${inner}</w:sdtContent></w:sdt>`;

const docx = (body: string): Buffer =>
  ox.packageDocx({
    title: 'copy',
    application: 'test',
    document: ox.documentXml(body + ox.hairline(), PAGE),
    styles: ox.stylesXml({ font: '仿宋', size: 24 }, []),
  });

const TITLES: Record<FormKind, string> = {
  registration: paras('附件1\n景德镇市选派全市优秀专业技术人才\n进企业报名表'),
  demand: paras('附件2\n景德镇市企业对专业技术人才需求情况表'),
  problem: paras('附件3\n产业发展重大技术难题征集表'),
};

// ---- the values typed, and in their normal forms ------------------------------------------------

/** Texts as typed (full-width punctuation, soft line ends); their normal forms are in REG, DEM, PRB. */
const TYPED = {
  employerAndPosition: '景德镇陶瓷大学材料学院副院长',
  expertise: '陶瓷窑炉节能烧成技术;\n日用瓷釉料配方设计。',
  profile: '主持省级科研项目两项,获授权发明专利三件。',
  plannedWork: '协助企业改造梭式窑，降低烧成能耗。',
  approval: '经审核，该同志符合条件，同意。',
  techStatus: '现有梭式窑两座，\n研发人员五名。',
  urgentTalent: '热工专业，中级以上职称。',
  recommendation: '情况属实，同意推荐。',
  description: '我市日用瓷企业烧成能耗高，\n需要低温快烧釉料与工艺。',
} as const;

const REG = {
  fillingUnit: '景德镇陶瓷大学',
  fillingDate: '2020-05-03',
  name: '张三',
  gender: '男',
  birthMonth: '1985-03',
  photo: null,
  workStart: '2008-07',
  education: '硕士研究生',
  professionalTitle: '副教授',
  teamName: '窑炉节能团队',
  teamSize: 3,
  phone: '13807981234',
  employerAndPosition: '景德镇陶瓷大学材料学院副院长',
  expertise: '陶瓷窑炉节能烧成技术;\n日用瓷釉料配方设计。',
  profile: '主持省级科研项目两项,获授权发明专利三件。',
  plannedWork: '协助企业改造梭式窑,降低烧成能耗。',
  'recommendation.opinion': '同意推荐。',
  'recommendation.stamped': false,
  'recommendation.date': '2020-05-03',
  'approval.opinion': '经审核,该同志符合条件,同意。',
  'approval.stamped': false,
  'approval.date': '2020-05-08',
} as const;

const DEM = {
  fillingUnit: '景德镇某某陶瓷有限公司',
  fillingDate: '2020-05-03',
  companyName: '景德镇某某陶瓷有限公司',
  district: '珠山区',
  legalRepresentative: '李明',
  legalRepresentativePhone: '13900000001',
  contactPerson: '赵红',
  contactPhone: '0798-8576556',
  mainProducts: '日用陶瓷',
  annualOutput: 3500,
  techStatus: '现有梭式窑两座,研发人员五名。',
  'needs.problems': '降低烧成能耗百分之十五。',
  'needs.teamTraining': null,
  'needs.rdPlatform': '组建市级陶瓷工程技术研究中心。',
  'needs.techTransfer': null,
  'needs.majorCooperation': '窑炉余热利用项目。',
  'needs.urgentTalent': '热工专业,中级以上职称。',
  'recommendation.opinion': '情况属实,同意推荐。',
  'recommendation.stamped': false,
  'recommendation.date': '2020-05-06',
  'approval.opinion': '同意。',
  'approval.stamped': false,
  'approval.date': null,
} as const;

const PRB = {
  fillingUnit: '景德镇某某陶瓷有限公司',
  fillingDate: '2020-05-03',
  title: '日用瓷低温快烧技术',
  industry: '陶瓷',
  contactPerson: '赵红',
  contactPhone: '13900000002',
  address: '景德镇市珠山区某某路1号',
  description: '我市日用瓷企业烧成能耗高,需要低温快烧釉料与工艺。',
} as const;

type Values = Record<string, string | number | boolean | null>;

// ---- the copies ---------------------------------------------------------------------------------

const FIXTURES: Record<string, { form: FormKind; body: string }> = {
  // Our grid, labels typed by a person: spaces inside, ASCII brackets, colons, other line breaks,
  // a note after a label; the photo merged over four rows; one table for both pages; the opinion
  // label carrying （盖章）, and the approval's 年 月 日 typed into the label cell.
  'reg-labels-retyped': {
    form: 'registration',
    body:
      TITLES.registration +
      tabbed(`填报单位：${REG.fillingUnit}`, '填表日期：2020年5月3日') +
      grid([
        row(
          cell('姓  名', 1000),
          cell('张三', 1400),
          cell('性别：', 900),
          cell('男', 1200),
          cell('出生年月|(公历)', 1100),
          cell('1985.03', 1900),
          cell('照 片', 'rest', 'restart'),
        ),
        row(
          cell('参加工作|时间', 1000),
          cell('2008年7月', 1400),
          cell('学  历', 900),
          cell('硕士研究生', 1200),
          cell('专业技术|职称', 1100),
          cell('副教授', 1900),
          cell('', 'rest', 'continue'),
        ),
        row(
          cell('所属团队名称', 1000),
          cell('窑炉节能团队', 1400),
          cell('团队入企|人数(人)', 900),
          cell('3', 1200),
          cell('联系电话：', 1100),
          cell('138 0798 1234', 1900),
          cell('', 'rest', 'continue'),
        ),
        row(
          cell('现工作单位|及职务', 2400),
          cell(TYPED.employerAndPosition, 5100),
          cell('', 'rest', 'continue'),
        ),
        row(cell('所擅长的专业技术领域(尽量详细)', 2400), cell(TYPED.expertise)),
        row(cell('个人或团队简介|和主要业绩', 2400), cell(TYPED.profile)),
        row(cell('拟在企业开展的工作', 2400), cell(TYPED.plannedWork)),
        // The opinion label merged down two rows: the text in one, （盖章） and the date in the other.
        row(cell('推荐单位意见（盖章）', 2400, 'restart'), cell('同意推荐。')),
        row(cell('', 2400, 'continue'), cell('（盖章）\n2020年5月3日')),
        row(cell('审核意见（盖章）\n2020.5.8', 2400), cell(TYPED.approval)),
      ]),
  },
  // Label and value in one cell everywhere (姓名：张三), the opinions as single full-width cells,
  // the header as two paragraphs.
  'reg-inline': {
    form: 'registration',
    body:
      TITLES.registration +
      paras(`填报单位：${REG.fillingUnit}\n填表日期：2020-05-03`) +
      grid([
        row(cell('姓名：张三', 2500), cell('性别：男', 2000), cell('出生年月：1985年3月', 'rest')),
        row(
          cell('参加工作时间：2008.07', 2500),
          cell('学历：硕士研究生', 2000),
          cell('专业技术职称：副教授'),
        ),
        row(cell('所属团队名称：窑炉节能团队', 4500), cell('团队入企人数：3人')),
        row(cell('联系电话：13807981234', 4500), cell(`现工作单位及职务：${TYPED.employerAndPosition}`)),
        row(cell(`所擅长的专业技术领域（尽量详细）：${TYPED.expertise}`)),
        row(cell(`个人或团队简介和主要业绩：\n${TYPED.profile}`)),
        row(cell(`拟在企业开展的工作：${TYPED.plannedWork}`)),
        row(cell('推荐单位意见：同意推荐。\n（盖章）\n2020年5月3日')),
        row(cell(`审核意见：\n${TYPED.approval}\n（盖章）\n2020-05-08`)),
      ]),
  },
  // Labels above their values: a row of labels over a row of values, full-width labels over their
  // texts, the header as the form table's first row, the date before the opinion text.
  'reg-below': {
    form: 'registration',
    body:
      TITLES.registration +
      grid([
        row(
          cell('填报单位', 1800),
          cell(REG.fillingUnit, 3200),
          cell('填表日期', 1800),
          cell('2020年5月3日'),
        ),
        row(
          cell('姓名', 1800),
          cell('性别', 1600),
          cell('出生年月', 1600),
          cell('参加工作时间', 2000),
          cell('照片'),
        ),
        row(cell('张三', 1800), cell('男', 1600), cell('1985.3', 1600), cell('2008.7', 2000), cell('')),
        row(
          cell('学历', 1800),
          cell('专业技术职称', 1600),
          cell('所属团队名称', 1600),
          cell('团队入企人数', 2000),
          cell('联系电话'),
        ),
        row(
          cell('硕士研究生', 1800),
          cell('副教授', 1600),
          cell('窑炉节能团队', 1600),
          cell('3', 2000),
          cell('13807981234'),
        ),
        row(cell('现工作单位及职务')),
        row(cell(TYPED.employerAndPosition)),
        row(cell('所擅长的专业技术领域（尽量详细）')),
        row(cell(TYPED.expertise)),
        row(cell('个人或团队简介和主要业绩')),
        row(cell(TYPED.profile)),
        row(cell('拟在企业开展的工作')),
        row(cell(TYPED.plannedWork)),
        row(cell('推荐单位|意见')),
        row(cell('2020年5月3日\n（盖章）\n同意推荐。')),
        row(cell('审核意见')),
        row(cell(`${TYPED.approval}\n\n二〇二〇年五月八日`)),
      ]),
  },
  // No 技术人才需求 cell: the six need labels directly in column 1; the header in a borderless
  // table above the form; 年产值（万元） beside a bare number; the stamp after the date.
  'dem-no-block': {
    form: 'demand',
    body:
      TITLES.demand +
      grid([row(cell(`填报单位：${DEM.fillingUnit}`, 5000), cell('填表日期：2020年5月3日'))], true) +
      grid([
        row(
          cell('单位名称', 1500),
          cell(DEM.companyName, 3000),
          cell('所属县(市、区)、园区', 2000),
          cell('珠山区'),
        ),
        row(cell('法人代表', 1500), cell('李明', 3000), cell('联系电话', 2000), cell('13900000001')),
        row(cell('联 系 人', 1500), cell('赵红', 3000), cell('联系电话', 2000), cell('0798-8576556')),
        row(cell('主要产品', 1500), cell('日用陶瓷', 3000), cell('年产值（万元）', 2000), cell('3500')),
        row(cell('技术水平现状（含工艺、设备、人才团队、研发平台等情况）', 1500), cell(TYPED.techStatus)),
        row(
          cell('需解决的难题及预期效果（含技术难题、产品设计、项目申报等）', 1500),
          cell(DEM['needs.problems']),
        ),
        row(cell('研发团队及专业技术人才培养', 1500), cell('')),
        row(cell('拟组建或需完善的技术研发平台（含名称及要求）', 1500), cell(DEM['needs.rdPlatform'])),
        row(cell('希望承接转化的技术成果，如新产品、新技术、新工艺等', 1500), cell('')),
        row(cell('重大科技合作项目需求', 1500), cell(DEM['needs.majorCooperation'])),
        row(cell('急需专业人才类别及层次要求', 1500), cell(TYPED.urgentTalent)),
        row(cell('推荐单位|意见', 1500), cell(`${TYPED.recommendation}\n\n2020年5月6日\n（盖章）`)),
        row(cell('审核意见', 1500), cell('同意。\n（盖章）\n年    月    日')),
      ]),
  },
  // The 技术人才需求 block merged down the first column over all six needs, in one table; labels
  // shortened (技术水平现状 without its bracket); the header on one line with spaces and an
  // unfilled date; the opinion labels holding （盖章） and a blank 年 月 日 — the recommendation's
  // date typed after its text, the approval's left blank.
  'dem-block': {
    form: 'demand',
    body:
      TITLES.demand +
      paras(`填报单位：${DEM.fillingUnit}        填表日期：    年  月  日`) +
      grid([
        row(
          cell('单位名称', 1500),
          cell(DEM.companyName, 3000),
          cell('所属县（市、区）、园区', 2000),
          cell('珠山区'),
        ),
        row(cell('法人代表', 1500), cell('李明', 3000), cell('联系电话', 2000), cell('13900000001')),
        row(cell('联系人', 1500), cell('赵红', 3000), cell('联系电话', 2000), cell('0798-8576556')),
        row(cell('主要产品', 1500), cell('日用陶瓷', 3000), cell('年产值', 2000), cell('3500万元')),
        row(cell('技术水平现状', 3000), cell(TYPED.techStatus)),
        row(
          cell('技|术|人|才|需|求', 1000, 'restart'),
          cell('需解决的难题及预期效果', 2000),
          cell(DEM['needs.problems']),
        ),
        row(cell('', 1000, 'continue'), cell('研发团队及专业|技术人才培养', 2000), cell('')),
        row(
          cell('', 1000, 'continue'),
          cell('拟组建或需完善的|技术研发平台', 2000),
          cell(DEM['needs.rdPlatform']),
        ),
        row(cell('', 1000, 'continue'), cell('希望承接转化的技术成果', 2000), cell('')),
        row(
          cell('', 1000, 'continue'),
          cell('重大科技合作|项目需求', 2000),
          cell(DEM['needs.majorCooperation']),
        ),
        row(cell('', 1000, 'continue'), cell('急需专业人才类别|及层次要求', 2000), cell(TYPED.urgentTalent)),
        row(cell('推荐单位意见（盖章）年 月 日', 3000), cell(`${TYPED.recommendation} 2020年5月6日`)),
        row(cell('审核意见（盖章）|年 月 日', 3000), cell('同意。')),
      ]),
  },
  // The description's label over its text, with the instructions in brackets; a blank 填报单位.
  'prb-below': {
    form: 'problem',
    body:
      TITLES.problem +
      tabbed('填报单位：', '填表日期：2020.5.3') +
      grid([
        row(cell('难题名称：', 1500), cell(PRB.title)),
        row(
          cell('所属产业', 1500),
          cell('陶瓷', 1500),
          cell('联 系 人', 1500),
          cell('赵红', 1500),
          cell('联系电话', 1500),
          cell('13900000002'),
        ),
        row(cell('通讯地址', 1500), cell(PRB.address)),
        row(
          cell(
            '产业发展重大技术难题简要描述（主要包括发展现状、技术难题、经济技术指标、需要解决的问题及难题攻关的预期效果）',
          ),
        ),
        row(cell(TYPED.description)),
      ]),
  },
  // The description typed after its label in one cell without the printed instructions; no header
  // at all; 通讯地址 alone in the last row with no cell for its value.
  'prb-no-hint': {
    form: 'problem',
    body:
      TITLES.problem +
      grid([
        row(cell('难题名称', 1500), cell(PRB.title)),
        row(
          cell('所属产业', 1500),
          cell('陶瓷', 1500),
          cell('联系人', 1500),
          cell('赵红', 1500),
          cell('联系电话', 1500),
          cell('13900000002'),
        ),
        row(cell(`产业发展重大技术难题简要描述：${TYPED.description}`)),
        row(cell('通讯地址')),
      ]),
  },
  // Saved by an older Word or WPS: the header and the table inside content controls, a label
  // merged with the old horizontal merge (w:hMerge), the description after the printed
  // instructions in one cell spanning the width.
  'prb-content-controls': {
    form: 'problem',
    body:
      TITLES.problem +
      contentControl(tabbed(`填报单位：${PRB.fillingUnit}`, '填表日期：2020年5月3日')) +
      contentControl(
        rawTable([
          [tc('难题名称'), tc(PRB.title, '<w:gridSpan w:val="6"/>')],
          [
            tc('所属产业'),
            tc('陶瓷'),
            tc('联系人', '<w:hMerge w:val="restart"/>'),
            tc('', '<w:hMerge/>'),
            tc('赵红'),
            tc('联系电话'),
            tc('13900000002'),
          ],
          [tc('通讯地址'), tc(PRB.address, '<w:gridSpan w:val="6"/>')],
          [
            tc(
              `产业发展重大技术难题简要描述：主要包括发展现状、技术难题、经济技术指标、需要解决的问题及难题攻关的预期效果。\n${TYPED.description}`,
              '<w:gridSpan w:val="7"/>',
            ),
          ],
        ]),
      ),
  },
};

/** What each copy must read as: every field's value and confidence. */
const EXPECTED: Record<string, { values: Values; confidence?: Record<string, number> }> = {
  'reg-labels-retyped': { values: { ...REG } },
  'reg-inline': { values: { ...REG }, confidence: { photo: 0 } },
  'reg-below': { values: { ...REG, 'approval.date': '2020-05-08' } },
  'dem-no-block': { values: { ...DEM } },
  'dem-block': {
    values: { ...DEM, fillingDate: null, 'recommendation.date': '2020-05-06', 'approval.date': null },
  },
  'prb-below': { values: { ...PRB, fillingUnit: null } },
  'prb-content-controls': { values: { ...PRB } },
  'prb-no-hint': {
    values: { ...PRB, fillingUnit: null, fillingDate: null, address: null },
    // No header line: not found, not blank. 通讯地址 with nowhere for its value: low.
    confidence: { fillingUnit: 0, fillingDate: 0, address: 0.3 },
  },
};

// ---- the run ------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'xietong-arrangements-'));
let result: IngestResult;
beforeAll(async () => {
  for (const [name, f] of Object.entries(FIXTURES)) writeFileSync(join(dir, `${name}.docx`), docx(f.body));
  result = await ingest([dir], { referenceDate: '2020-06-30' });
});

const record = (name: string): SubmissionRecord | undefined =>
  result.submissions.find((s) => s.sources[0]?.file.endsWith(`/${name}.docx`));

describe('.docx forms typed into other copies of the templates', () => {
  it('reads every copy as its form, without failures', () => {
    expect(result.failures).toEqual([]);
    expect(Object.keys(FIXTURES).map((n) => [n, record(n)?.form])).toEqual(
      Object.entries(FIXTURES).map(([n, f]) => [n, f.form]),
    );
  });

  it.each(Object.keys(FIXTURES))('%s: every typed value exact, every confidence honest', (name) => {
    const got = record(name);
    const want = EXPECTED[name];
    const form = FORMS[FIXTURES[name]?.form ?? 'problem'];
    const expected = Object.fromEntries(
      form.fields.map((f) => [
        f.key,
        { value: want?.values[f.key] ?? null, confidence: want?.confidence?.[f.key] ?? 1 },
      ]),
    );
    const actual = Object.fromEntries(
      form.fields.map((f) => [
        f.key,
        { value: got?.fields[f.key]?.value ?? null, confidence: got?.fields[f.key]?.confidence },
      ]),
    );
    expect(actual).toEqual(expected);
  });

  it('flags what it could not place, and nothing it read exactly', () => {
    const lowIssues = (name: string) =>
      (record(name)?.issues ?? [])
        .filter((i) => i.code === 'low_confidence')
        .map((i) => i.field)
        .sort();
    expect(lowIssues('prb-no-hint')).toEqual(['address', 'fillingDate', 'fillingUnit']);
    for (const name of Object.keys(FIXTURES).filter((n) => n !== 'prb-no-hint'))
      expect({ name, fields: lowIssues(name) }).toEqual({ name, fields: [] });
  });

  it('keeps the raw opinion free of the （盖章） and the date', () => {
    expect(record('dem-no-block')?.fields['recommendation.opinion']?.raw).toBe(`${TYPED.recommendation}`);
    expect(record('reg-below')?.fields['recommendation.date']?.raw).toBe('2020年5月3日');
    expect(record('dem-block')?.fields['recommendation.date']?.raw).toBe('2020年5月6日');
  });

  it('does not take a label missing from the copy for a blank', async () => {
    // The registration without its page 2 rows: no opinions, no planned work.
    const partial = join(dir, 'partial');
    mkdirSync(partial);
    writeFileSync(
      join(partial, 'reg-page1-only.docx'),
      docx(
        TITLES.registration +
          tabbed(`填报单位：${REG.fillingUnit}`, '填表日期：2020年5月3日') +
          grid([
            row(cell('姓名', 1500), cell('张三', 3000), cell('性别', 1500), cell('男')),
            row(cell('出生年月', 1500), cell('1985.03', 3000), cell('联系电话', 1500), cell('13807981234')),
          ]),
      ),
    );
    const r = (await ingest([partial], { referenceDate: '2020-06-30' })).submissions[0];
    const f = (key: string) => [r?.fields[key]?.value, r?.fields[key]?.confidence];
    expect(f('name')).toEqual(['张三', 1]);
    expect(f('plannedWork')).toEqual([null, 0]);
    expect(f('recommendation.opinion')).toEqual([null, 0]);
    expect(f('recommendation.date')).toEqual([null, 0]);
    // A typed file carries no seal, whatever else it lacks.
    expect(f('recommendation.stamped')).toEqual([false, 1]);
    const flagged = new Set((r?.issues ?? []).filter((i) => i.code === 'low_confidence').map((i) => i.field));
    for (const key of ['plannedWork', 'recommendation.opinion', 'recommendation.date', 'expertise'])
      expect(flagged.has(key)).toBe(true);
    expect(flagged.has('name')).toBe(false);
  });
});

describe('splitOpinion on typed text', () => {
  it.each([
    ['同意推荐。\n（盖章）\n2020年5月3日', '同意推荐。', '2020年5月3日'],
    ['2020.5.3\n（盖章）\n同意推荐。', '同意推荐。', '2020.5.3'],
    ['同意推荐。 2020-05-03', '同意推荐。', '2020-05-03'],
    ['同意。\n（盖章）\n年  月  日', '同意。', '年  月  日'],
    // The label cell's blank date line after the value cell's typed one: the typed one wins.
    ['同意。\n2020年5月8日\n（盖章）\n年 月 日', '同意。', '2020年5月8日'],
    // A date inside a sentence is the opinion's, not the date line.
    ['经2020年5月3日党委会研究，同意推荐。', '经2020年5月3日党委会研究，同意推荐。', ''],
    ['同意，盖章后报送。\n审核日期：2020年5月8日', '同意，盖章后报送。', '2020年5月8日'],
  ])('%j', (text, opinion, dateRaw) => {
    expect(splitOpinion(text, { typed: true })).toEqual({ opinion, dateRaw });
  });
});
