// Authors the first versions of the rest of the programme's paper: templates/signin.docx (专家评审签到表
// with the 回避承诺), groupopinion.docx (专家组综合意见表), fundinglist.docx (the 立项及经费 notice's
// attachment, 项目及经费安排表), acceptanceapp.docx (验收申请表) and enterpriseeval.docx (甲方评价意见表).
// As with scripts/make-document-templates.ts, whose building blocks and styles these share, the .docx
// files are the source of truth once written: people edit them in Word, and this script refuses to
// overwrite one unless given --force.
//
//   npx tsx scripts/make-programme-templates.ts [--force] [--out templates/] [signin|groupopinion|…]
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hairline, mm, noBorders, para, type Row, rightTab, table, tag, text } from '../src/render/ooxml.js';
import {
  CH,
  cell,
  handDate,
  IDEOGRAPHIC_SPACE,
  labelCell,
  loopTable,
  OFFICIAL_PAGE,
  OFFICIAL_WIDTH,
  P,
  pkg,
  pt,
  SHEET_PAGE,
  SHEET_WIDTH,
  T,
  titleLines,
  valueCell,
  writeTemplates,
} from './make-document-templates.js';

const sp = IDEOGRAPHIC_SPACE;
const BOX = '□';

/** A section heading of an official form: 黑体, no indent. */
const S = (s: string) =>
  para(text(s), {
    style: 'XtHeading',
    spacing: { before: 200, after: 100, line: pt(26), rule: 'exact' },
    ind: { firstLine: 0 },
  });

/** A box for hand-written text: the prompt in small type, then room, then who signs and the date. */
const writeBox = (height: number, prompt: string, valueTag: string | null, signer?: string): Row => ({
  height,
  cantSplit: true,
  cells: [
    cell(
      'rest',
      P('XtTable', prompt) +
        (valueTag ? P('XtBody', T(valueTag)) : '') +
        (signer
          ? para('', { style: 'XtPlain' }) +
            para(text(signer), { style: 'XtPlain', align: 'right', ind: { right: 2 * CH } }) +
            handDate(3)
          : ''),
      { vAlign: 'top' },
    ),
  ],
});

/**
 * loopTable whose rows keep with the next paragraph: a short list (the experts) stays on one page
 * with the signature line under it, never leaving that line alone on a page.
 */
function keptLoopTable(
  W: number,
  loop: string,
  columns: { header: string; tag: string; width: number | 'rest'; style?: string }[],
  height = mm(9),
): string {
  const head: Row = {
    height,
    header: true,
    cells: columns.map((c) => cell(c.width, para(text(c.header), { style: 'XtSheetHead', keepNext: true }))),
  };
  const last = columns.length - 1;
  const item: Row = {
    height,
    cantSplit: true,
    cells: columns.map((c, i) =>
      cell(
        c.width,
        para(`${i === 0 ? tag(`#${loop}`) : ''}${tag(c.tag)}${i === last ? tag(`/${loop}`) : ''}`, {
          style: c.style ?? 'XtSheet',
          keepNext: true,
        }),
      ),
    ),
  };
  return table([head, item], { width: W });
}

const gap = () => para('', { style: 'XtSheet', spacing: { line: pt(6), rule: 'exact' } });

// ---- 专家评审签到表 --------------------------------------------------------------------------------

function signin(): Buffer {
  const W = SHEET_WIDTH;
  const commitment =
    '本人已知悉本次评审的项目及其承担企业、入企人才（团队）和派出单位（见上表），郑重承诺：本人与上述单位和人员不存在' +
    '近亲属关系、隶属关系、任职或兼职关系、合作研究或经济利益关系，也不存在其他可能影响公正评审的利害关系；如存在应当回避的' +
    '情形，本人将在评审前主动向市科技局说明并申请回避。评审中本人独立、客观、公正地发表意见，不接受任何单位和个人的请托，' +
    '对评审材料、评审意见和评审结果严格保密。如违反上述承诺，本人愿承担相应责任。';
  const body =
    titleLines(['景德镇市优秀专业技术人才入企协同创新项目', '专家评审签到表'], 32) +
    para(`${text('评审日期：')}${tag('date')}${text(`${sp.repeat(2)}评审地点：`)}${tag('place')}`, {
      style: 'XtSheet',
      tabs: rightTab(W),
      spacing: { after: 120, line: pt(18), rule: 'exact' },
    }) +
    P('XtHeading', '一、评审项目') +
    loopTable(W, 'projects', [
      { header: '序号', tag: 'no', width: mm(9), style: 'XtSheetCenter' },
      { header: '项目编号', tag: 'id', width: mm(25), style: 'XtSheetCenter' },
      { header: '项目名称', tag: 'title', width: 'rest', style: 'XtSheet' },
      { header: '承担企业（甲方）', tag: 'enterprise', width: mm(38), style: 'XtSheet' },
      { header: '入企人才（团队）', tag: 'professional', width: mm(28), style: 'XtSheet' },
      { header: '派出单位（丙方）', tag: 'unit', width: mm(26), style: 'XtSheet' },
    ]) +
    P('XtHeading', '二、回避与保密承诺') +
    para(text(commitment), {
      style: 'XtSheet',
      ind: { firstLine: 2 * 210 },
      spacing: { line: pt(16), rule: 'exact', after: 120 },
    }) +
    P('XtHeading', '三、专家签到（签字即表示作出上述承诺）') +
    keptLoopTable(
      W,
      'experts',
      [
        { header: '序号', tag: 'no', width: mm(10), style: 'XtSheetCenter' },
        { header: '姓名', tag: 'name', width: mm(20), style: 'XtSheetCenter' },
        { header: '工作单位', tag: 'employer', width: mm(46), style: 'XtSheet' },
        { header: '职称/职务', tag: 'title', width: mm(24), style: 'XtSheetCenter' },
        { header: '联系电话', tag: 'phone', width: mm(26), style: 'XtSheetCenter' },
        { header: '签到时间', tag: 'time', width: mm(16), style: 'XtSheetCenter' },
        { header: '本人签字', tag: 'signature', width: 'rest', style: 'XtSheetCenter' },
      ],
      mm(10),
    ) +
    para(text('经办人（签字）：\t市科技局（盖章）'), {
      style: 'XtSheet',
      tabs: rightTab(W - 14 * 210),
      keepNext: true,
      spacing: { before: 360, line: pt(18), rule: 'exact' },
    }) +
    hairline();
  return pkg('专家评审签到表', SHEET_PAGE, body, true);
}

// ---- 专家组综合意见表 ------------------------------------------------------------------------------

function groupOpinion(): Buffer {
  // One page per project, as the score sheet: the panel fills it in at the end of the session.
  const W = SHEET_WIDTH;
  const la = mm(32);
  const [va, lb] = [mm(52), mm(28)];
  const lab = (width: number | 'rest', label: string) => labelCell(width, label, 'XtSheetCenter');
  const val = (width: number | 'rest', name: string) => valueCell(width, name, 'XtSheet');
  const row = (label: string, value: string): Row => ({
    height: mm(8),
    cells: [lab(la, label), val('rest', value)],
  });
  const pair = (l1: string, v1: string, l2: string, v2: string): Row => ({
    height: mm(8),
    cells: [lab(la, l1), val(va, v1), lab(lb, l2), val('rest', v2)],
  });
  const info: Row[] = [
    row('项目名称', 'project.title'),
    pair('承担企业（甲方）', 'enterprise.name', '所属县区、园区', 'enterprise.district'),
    pair('入企人才（团队）\n（乙方）', 'professional', '派出单位\n（丙方）', 'unit.name'),
    row('合作期限', 'term'),
    pair('工作方式', 'workMode', '申请经费', 'requested'),
    pair('评审日期', 'date', '评审专家', 'expertCount'),
    pair('专家平均分', 'mean', '排序', 'rank'),
    row('资格提示', 'doubts'),
  ];
  const opinion: Row[] = [
    {
      height: mm(52),
      cantSplit: true,
      cells: [
        lab(la, '专家组\n综合意见'),
        cell(
          'rest',
          P(
            'XtSheet',
            '（对项目的合作基础、目标措施是否具体可行、技术水平与创新程度、难易程度与工作量、经济和社会效益及发展潜力的综合评价，以及对实施的建议）',
          ) + P('XtSheet', T('opinion')),
          { vAlign: 'top' },
        ),
      ],
    },
    {
      height: mm(9),
      cells: [
        lab(la, '评审结论'),
        cell(
          va,
          para(
            `${tag('box.recommend')}${text(`推荐立项${sp.repeat(2)}`)}${tag('box.notRecommend')}${text('不推荐立项')}`,
            { style: 'XtSheet' },
          ),
        ),
        lab(lb, '建议资助经费'),
        val('rest', 'proposed'),
      ],
    },
  ];
  const members: Row[] = [
    {
      height: mm(8),
      header: true,
      cells: ['序号', '姓名', '工作单位', '职称/职务', '签字'].map((h, i) =>
        cell([mm(12), mm(24), mm(62), mm(30), 'rest'][i] as number | 'rest', P('XtSheetHead', h)),
      ),
    },
    {
      height: mm(8),
      cantSplit: true,
      cells: [
        cell(mm(12), para(tag('#experts') + tag('no'), { style: 'XtSheetCenter', keepNext: true })),
        cell(mm(24), para(tag('name'), { style: 'XtSheetCenter', keepNext: true })),
        cell(mm(62), para(tag('employer'), { style: 'XtSheet', keepNext: true })),
        cell(mm(30), para(tag('title'), { style: 'XtSheetCenter', keepNext: true })),
        cell('rest', para(tag('/experts'), { style: 'XtSheet', keepNext: true })),
      ],
    },
  ];
  const body =
    titleLines(['景德镇市优秀专业技术人才入企协同创新项目', '专家组综合意见表'], 32) +
    para(`${text('项目编号：')}${tag('project.id')}`, {
      style: 'XtSheet',
      align: 'right',
      spacing: { after: 80, line: pt(16), rule: 'exact' },
    }) +
    table(info, { width: W }) +
    gap() +
    table(opinion, { width: W }) +
    para(text('评审专家组成员'), {
      style: 'XtSheetHead',
      align: 'left',
      keepNext: true,
      spacing: { before: 160, after: 80, line: pt(16), rule: 'exact' },
    }) +
    table(members, { width: W }) +
    para(text(`专家组组长（签字）：${sp.repeat(8)}年${sp.repeat(2)}月${sp.repeat(2)}日`), {
      style: 'XtSheet',
      align: 'right',
      spacing: { before: 360, line: pt(16), rule: 'exact' },
    }) +
    hairline();
  return pkg('专家组综合意见表', SHEET_PAGE, body, false);
}

// ---- 项目及经费安排表（立项通知的附件）------------------------------------------------------------

function fundingList(): Buffer {
  const W = OFFICIAL_WIDTH;
  const body =
    // «附件» in 3号黑体 at the top left; binding numbers it as the notice's 附件说明 does.
    para(text('附件', { size: 32 }), {
      style: 'XtHeading',
      spacing: { after: 240, line: pt(28.95), rule: 'exact' },
      ind: { firstLine: 0 },
    }) +
    para(tag('title'), {
      style: 'XtTitle',
      spacing: { after: 240, line: pt(34), rule: 'exact' },
    }) +
    para(tag('unit'), {
      style: 'XtSheet',
      align: 'right',
      spacing: { after: 80, line: pt(16), rule: 'exact' },
    }) +
    loopTable(W, 'rows', [
      { header: '序号', tag: 'no', width: mm(8), style: 'XtSheetCenter' },
      { header: '项目编号', tag: 'id', width: mm(25), style: 'XtSheetCenter' },
      { header: '项目名称', tag: 'title', width: 'rest', style: 'XtSheet' },
      { header: '承担企业', tag: 'enterprise', width: mm(28), style: 'XtSheet' },
      { header: '入企人才（团队）', tag: 'professional', width: mm(24), style: 'XtSheet' },
      { header: '派出单位', tag: 'unit', width: mm(19), style: 'XtSheet' },
      { header: '资助经费', tag: 'amount', width: mm(14), style: 'XtSheetCenter' },
    ]) +
    para(tag('total'), { style: 'XtSheet', spacing: { before: 120, line: pt(16), rule: 'exact' } }) +
    hairline();
  return pkg('项目及经费安排表', OFFICIAL_PAGE, body, false);
}

// ---- 验收申请表 ------------------------------------------------------------------------------------

function acceptanceApplication(): Buffer {
  const W = OFFICIAL_WIDTH;
  const la = mm(40);
  const row = (label: string, value: string): Row => ({
    height: mm(9),
    cells: [labelCell(la, label), valueCell('rest', value)],
  });
  const info: Row[] = [
    row('项目名称', 'project.title'),
    row('承担企业（甲方）', 'enterprise.name'),
    row('入企人才（团队）（乙方）', 'professional'),
    row('派出单位（丙方）', 'unit.name'),
    row('合作期限', 'term'),
    row('工作方式', 'workMode'),
    row('联系人及电话', 'contact'),
  ];
  const goals: Row[] = [
    {
      height: mm(9),
      header: true,
      cells: [
        cell(mm(12), P('XtTableHead', '序号')),
        cell(mm(62), P('XtTableHead', '协议约定的目标与考核指标')),
        cell('rest', P('XtTableHead', '完成情况（可另附佐证材料）')),
      ],
    },
    {
      height: mm(16),
      cantSplit: true,
      cells: [
        cell(mm(12), para(tag('#goals') + tag('no'), { style: 'XtTableCenter' })),
        valueCell(mm(62), 'goal'),
        cell('rest', para(tag('result') + tag('/goals'), { style: 'XtTable' })),
      ],
    },
  ];
  const [c1, c2, c3] = [mm(68), mm(26), mm(26)];
  const moneyRow = (label: string, a: string, b: string, note = ''): Row => ({
    height: mm(9),
    cantSplit: true,
    cells: [
      labelCell(c1, label, 'XtTable'),
      cell(c2, a ? P('XtTableCenter', T(a)) : P('XtTableCenter', '')),
      cell(c3, b ? P('XtTableCenter', T(b)) : P('XtTableCenter', '')),
      cell('rest', P('XtTable', note)),
    ],
  });
  const money: Row[] = [
    {
      height: mm(12),
      header: true,
      cells: [
        cell(c1, P('XtTableHead', '项目')),
        cell(c2, P('XtTableHead', '市科技局\n支持经费')),
        cell(c3, P('XtTableHead', '企业\n配套经费')),
        cell('rest', P('XtTableHead', '说明')),
      ],
    },
    moneyRow('到位经费', 'granted', 'enterpriseFunding'),
    moneyRow('其中：人员劳务费', '', ''),
    moneyRow('　　　设备（仪器）购置与使用费', '', ''),
    moneyRow('　　　材料、测试化验加工费', '', ''),
    moneyRow('　　　差旅、会议与交流费', '', ''),
    moneyRow('　　　其他支出', '', ''),
    moneyRow('已使用合计', '', ''),
    moneyRow('结余', '', '', '结余经费按市科技局规定处理'),
  ];
  const use: Row[] = [writeBox(mm(26), '经费使用情况说明：', 'fundingUse')];
  const summary: Row[] = [
    writeBox(
      mm(70),
      '（主要工作、取得的成效、解决的技术难题、培养的人员、形成的成果及存在的问题）',
      'summary',
    ),
  ];
  // The pledge and the two opinions keep together on the last page: every paragraph but the last
  // keeps with the next, every row is whole.
  const kept = (content: string, props = {}) => para(content, { style: 'XtPlain', keepNext: true, ...props });
  const signBox = (height: number, lines: string): Row => ({
    height,
    cantSplit: true,
    cells: [cell('rest', lines, { vAlign: 'top' })],
  });
  const handDateKept = kept(text(`${sp.repeat(3)}年${sp.repeat(2)}月${sp.repeat(2)}日`), {
    align: 'right',
    ind: { right: 3 * CH },
    spacing: { after: 120, line: pt(26), rule: 'exact' },
  });
  const closing: Row[] = [
    signBox(
      mm(36),
      para(
        text(
          '本人（团队）承诺：以上内容及所附材料真实、准确，经费使用符合三方协议和市科技局的规定。现申请验收。',
        ),
        { style: 'XtBody', keepNext: true },
      ) +
        kept(text(`乙方（签字）：${sp.repeat(8)}`), {
          ind: { left: mm(70) },
          spacing: { before: 240, line: pt(26), rule: 'exact' },
        }) +
        handDateKept,
    ),
    signBox(
      mm(40),
      para(text('甲方（企业）意见：'), { style: 'XtTable', keepNext: true }) +
        kept('') +
        kept(text('甲方（盖章）'), { align: 'right', ind: { right: 2 * CH } }) +
        handDateKept,
    ),
    signBox(
      mm(40),
      para(text('派出单位意见：'), { style: 'XtTable', keepNext: true }) +
        kept('') +
        kept(text('派出单位（盖章）'), { align: 'right', ind: { right: 2 * CH } }) +
        para(text(`${sp.repeat(3)}年${sp.repeat(2)}月${sp.repeat(2)}日`), {
          style: 'XtPlain',
          align: 'right',
          ind: { right: 3 * CH },
          spacing: { after: 120, line: pt(26), rule: 'exact' },
        }),
    ),
  ];
  const body =
    titleLines(['景德镇市优秀专业技术人才入企', '协同创新项目验收申请表']) +
    para(`${text('项目编号：')}${tag('project.id')}`, {
      style: 'XtPlain',
      align: 'right',
      spacing: { after: 120, line: pt(26), rule: 'exact' },
    }) +
    S('一、项目基本情况') +
    table(info, { width: W }) +
    S('二、目标任务与考核指标完成情况') +
    table(goals, { width: W }) +
    S('三、经费使用情况（金额单位：万元）') +
    table(money, { width: W }) +
    gap() +
    table(use, { width: W }) +
    S('四、工作总结') +
    table(summary, { width: W }) +
    S('五、申请与意见') +
    table(closing, { width: W }) +
    hairline();
  return pkg('验收申请表', OFFICIAL_PAGE, body, true);
}

// ---- 甲方评价意见表 --------------------------------------------------------------------------------

function enterpriseEvaluation(): Buffer {
  const W = OFFICIAL_WIDTH;
  const la = mm(40);
  const row = (label: string, value: string): Row => ({
    height: mm(9),
    cells: [labelCell(la, label), valueCell('rest', value)],
  });
  const info: Row[] = [
    row('项目名称', 'project.title'),
    row('企业名称（甲方）', 'enterprise.name'),
    row('入企人才（团队）（乙方）', 'professional'),
    row('派出单位（丙方）', 'unit.name'),
    row('合作期限', 'term'),
    row('工作方式', 'workMode'),
  ];
  const grade = mm(17);
  const items = [
    '遵守企业规章制度，按协议保证在企工作时间',
    '完成三方协议约定的工作任务和考核指标',
    '解决企业技术难题、改进产品和工艺的成效',
    '培养企业技术人员、帮助组建研发团队',
    '搭建研发平台、促成科技成果在企业转化',
    '为企业带来的经济效益和社会效益',
  ];
  const marks = () => [0, 1, 2, 3].map(() => cell(grade, P('XtTableCenter', BOX)));
  const rows: Row[] = [
    {
      height: mm(9),
      header: true,
      cells: [
        cell(mm(10), P('XtTableHead', '序号')),
        cell('rest', P('XtTableHead', '评价内容')),
        ...['优秀', '良好', '合格', '不合格'].map((h) => cell(grade, P('XtTableHead', h))),
      ],
    },
    ...items.map(
      (item, i): Row => ({
        height: mm(10),
        cantSplit: true,
        cells: [
          cell(mm(10), P('XtTableCenter', String(i + 1))),
          cell('rest', P('XtTable', item)),
          ...marks(),
        ],
      }),
    ),
    {
      height: mm(10),
      cantSplit: true,
      cells: [cell(mm(10), P('XtTableHead', '')), cell('rest', P('XtTableHead', '总体评价')), ...marks()],
    },
  ];
  // Column widths must add up: the «rest» column takes what the others leave.
  const opinion: Row[] = [
    writeBox(
      mm(64),
      '甲方对乙方工作的综合评价意见（工作态度、完成任务情况、取得的成效，以及是否同意提请验收）：',
      'opinion',
      '甲方（盖章）',
    ),
  ];
  const signer: Row[] = [
    {
      height: mm(20),
      cantSplit: true,
      cells: [
        cell(
          'rest',
          para(text('法定代表人或授权代表（签字）：'), {
            style: 'XtPlain',
            keepNext: true,
            spacing: { before: 200, line: pt(26), rule: 'exact' },
          }) + para(`${text('经办人及联系电话：')}${tag('enterprise.contact')}`, { style: 'XtPlain' }),
          { vAlign: 'top' },
        ),
      ],
    },
  ];
  const body =
    titleLines(['景德镇市优秀专业技术人才入企', '协同创新甲方评价意见表']) +
    para(`${text('项目编号：')}${tag('project.id')}`, {
      style: 'XtPlain',
      align: 'right',
      spacing: { after: 120, line: pt(26), rule: 'exact' },
    }) +
    S('一、基本情况') +
    table(info, { width: W }) +
    S('二、分项评价（在相应栏内打「√」）') +
    table(rows, { width: W }) +
    S('三、综合评价意见') +
    table(opinion, { width: W }) +
    table(signer, { width: W, borders: noBorders() }) +
    hairline();
  return pkg('甲方评价意见表', OFFICIAL_PAGE, body, true);
}

// ---- main ----------------------------------------------------------------------------------------

export const PROGRAMME_TEMPLATES = {
  signin,
  groupopinion: groupOpinion,
  fundinglist: fundingList,
  acceptanceapp: acceptanceApplication,
  enterpriseeval: enterpriseEvaluation,
} as const;
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writeTemplates(PROGRAMME_TEMPLATES, process.argv.slice(2));
}
