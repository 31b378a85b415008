// Authors the first versions of templates/scoresheet.docx (评审打分表), templates/agreement.docx
// (三方协议) and templates/certificate.docx (验收证书). The .docx files are the source of truth:
// people edit their wording and layout in Word, WPS or LibreOffice, and xietong renders from them.
// This script refuses to overwrite an existing template unless given --force, so edits made in
// Word are never lost by running it again. After editing a template by hand, run the tests: they
// list every tag of every template and fail on one the plan does not provide.
//
//   npx tsx scripts/make-document-templates.ts [--force] [--out templates/] [scoresheet|agreement|certificate …]
//
// Layout: A4; the agreement and the certificate use the GB/T 9704 版心 (156 × 225 mm: top 37,
// bottom 35, left 28, right 26 mm) with page numbers «— N —»; the score sheet has narrower margins so
// one project fits on one page for the site visit. Titles in 小标宋, headings in 黑体, text in 仿宋
// (config/fonts.conf maps all three to Noto CJK for LibreOffice). Every tag is alone in one run,
// loops over table rows hold their opening tag in the first cell and the closing tag in the last.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  A4,
  type Cell,
  documentXml,
  fontTableXml,
  hairline,
  mm,
  noBorders,
  type PageSetup,
  type ParaProps,
  packageDocx,
  pageNumberFooterXml,
  para,
  type Row,
  rightTab,
  type StyleDef,
  stylesXml,
  table,
  tag,
  tagPara,
  text,
  ZIHAO,
} from '../src/render/ooxml.js';

const FONT = {
  body: '仿宋',
  title: '方正小标宋简体',
  heading: '黑体',
  song: '宋体',
} as const;

const FONT_TABLE = fontTableXml([
  { name: FONT.body, alt: '仿宋_GB2312', family: 'modern' },
  { name: FONT.title, alt: '宋体', family: 'roman' },
  { name: FONT.heading, alt: 'SimHei', family: 'modern' },
  { name: FONT.song, alt: 'SimSun', family: 'roman' },
]);

/** The GB/T 9704 版心. */
export const OFFICIAL_PAGE: PageSetup = {
  ...A4,
  top: mm(37),
  bottom: mm(35),
  left: mm(28),
  right: A4.width - mm(28) - mm(156),
  footer: mm(24.7),
};
export const OFFICIAL_WIDTH = mm(156);

/** The score sheet: one page per project and expert. */
export const SHEET_PAGE: PageSetup = { ...A4, top: mm(15), bottom: mm(13), left: mm(22), right: mm(22) };
export const SHEET_WIDTH = A4.width - mm(22) * 2;

/** Where a band's description starts, after «优 21–25». */
const BAND_TAB = mm(20);

/** One character of 四号 (14 pt): the body's indent unit. */
export const CH = 280;
export const IDEOGRAPHIC_SPACE = '\u3000';

// ---- styles --------------------------------------------------------------------------------------

const STYLES: StyleDef[] = [
  {
    id: 'XtTitle',
    name: '协同 标题（小标宋）',
    pPr: { keepNext: true, spacing: { line: pt(34), rule: 'exact' }, align: 'center' },
    rPr: { font: FONT.title, size: ZIHAO['2'] },
  },
  {
    id: 'XtBody',
    name: '协同 正文（仿宋）',
    pPr: {
      spacing: { line: pt(26), rule: 'exact' },
      ind: { firstLineChars: 200, firstLine: 2 * CH },
      align: 'both',
    },
    rPr: { font: FONT.body, size: ZIHAO['4'] },
  },
  {
    id: 'XtPlain',
    name: '协同 正文无缩进',
    basedOn: 'XtBody',
    pPr: { ind: { firstLineChars: 0, firstLine: 0 } },
  },
  {
    id: 'XtHeading',
    name: '协同 条款标题（黑体）',
    basedOn: 'XtBody',
    next: 'XtBody',
    pPr: { keepNext: true, spacing: { before: 120, line: pt(26), rule: 'exact' }, outline: 0 },
    rPr: { font: FONT.heading },
  },
  {
    id: 'XtTable',
    name: '协同 表格文字（仿宋）',
    pPr: { spacing: { line: pt(18), rule: 'exact' }, align: 'left' },
    rPr: { font: FONT.body, size: ZIHAO.small4 },
  },
  { id: 'XtTableCenter', name: '协同 表格文字居中', basedOn: 'XtTable', pPr: { align: 'center' } },
  {
    id: 'XtTableHead',
    name: '协同 表头（黑体）',
    basedOn: 'XtTable',
    pPr: { align: 'center' },
    rPr: { font: FONT.heading },
  },
  {
    id: 'XtSheet',
    name: '协同 打分表文字（五号仿宋）',
    pPr: { spacing: { line: pt(14), rule: 'exact' }, align: 'left' },
    rPr: { font: FONT.body, size: ZIHAO['5'] },
  },
  { id: 'XtSheetCenter', name: '协同 打分表文字居中', basedOn: 'XtSheet', pPr: { align: 'center' } },
  {
    id: 'XtSheetHead',
    name: '协同 打分表表头（黑体）',
    basedOn: 'XtSheet',
    pPr: { align: 'center' },
    rPr: { font: FONT.heading },
  },
  {
    id: 'XtBand',
    name: '协同 评分档次',
    basedOn: 'XtSheet',
    pPr: {
      spacing: { line: pt(13), rule: 'exact' },
      tabs: `<w:tabs><w:tab w:val="left" w:pos="${BAND_TAB}"/></w:tabs>`,
      ind: { left: BAND_TAB, hanging: BAND_TAB },
    },
  },
];

export function pt(v: number): number {
  return Math.round(v * 20);
}

// ---- building blocks -----------------------------------------------------------------------------

export type Piece = string | { tag: string };
/** A paragraph of literal text and tags, e.g. P('XtBody', '自', { tag: 'term.start' }, '起'). */
export function P(style: string, ...pieces: Piece[]): string {
  return para(pieces.map((p) => (typeof p === 'string' ? text(p) : tag(p.tag))).join(''), { style });
}
export const T = (name: string) => ({ tag: name });
/** A loop or condition tag in a paragraph of its own (removed by paragraphLoop). */
export const L = (name: string, style = 'XtBody') => tagPara(name, { style });

export const cell = (width: number | 'rest', body: string, extra: Partial<Cell> = {}): Cell => ({
  width,
  body,
  vAlign: 'center',
  ...extra,
});
export const labelCell = (width: number | 'rest', label: string, style = 'XtTableCenter') =>
  cell(width, P(style, label));
export const valueCell = (width: number | 'rest', name: string, style = 'XtTable') =>
  cell(width, P(style, T(name)));

export function pkg(title: string, page: PageSetup, body: string, footer: boolean): Buffer {
  return packageDocx({
    title,
    application: 'xietong scripts/make-document-templates.ts',
    document: documentXml(body, page, footer),
    styles: stylesXml({ font: FONT.body, size: ZIHAO['4'] }, STYLES),
    fontTable: FONT_TABLE,
    footer: footer ? pageNumberFooterXml({ font: FONT.song, size: ZIHAO['4'] }) : undefined,
  });
}

/** The title, one paragraph per line (the author chooses the breaks), space after the last. */
export const titleLines = (lines: string[], size?: number): string =>
  lines
    .map((l, i) => {
      const props: ParaProps = { style: 'XtTitle' };
      if (size) props.spacing = { line: Math.round(size * 10 * 1.5), rule: 'exact' };
      if (i === lines.length - 1)
        props.spacing = { ...(props.spacing ?? { line: pt(34), rule: 'exact' }), after: 200 };
      return para(text(l, size ? { size } : {}), props);
    })
    .join('');

// ---- 评审打分表 ------------------------------------------------------------------------------------

function scoresheet(): Buffer {
  const W = SHEET_WIDTH;
  const title = ['景德镇市优秀专业技术人才入企协同创新项目', '评审打分表'];
  const head = para(`${text('项目编号：')}${tag('project.id')}${text('\t专家编号：')}${tag('expert.key')}`, {
    style: 'XtSheet',
    tabs: rightTab(W),
    spacing: { after: 80, line: pt(16), rule: 'exact' },
  });
  const [la, va, lb] = [mm(32), mm(54), mm(28)];
  const lab = (width: number, label: string) => labelCell(width, label, 'XtSheetCenter');
  const val = (width: number | 'rest', name: string) => valueCell(width, name, 'XtSheet');
  const facts: Row[] = [
    { height: mm(8), cells: [lab(la, '项目名称'), val('rest', 'project.title')] },
    {
      height: mm(9),
      cells: [
        lab(la, '承担企业\n（甲方）'),
        val(va, 'enterprise.name'),
        lab(lb, '所属县区、园区'),
        val('rest', 'enterprise.district'),
      ],
    },
    {
      height: mm(9),
      cells: [
        lab(la, '入企人才（团队）\n（乙方）'),
        val(va, 'professional'),
        lab(lb, '派出单位\n（丙方）'),
        val('rest', 'dispatchingUnit.name'),
      ],
    },
    // The period and the duties each on a full-width row: a date wrapped inside a narrow cell is
    // misread by eye and by pdftotext alike.
    { height: mm(8), cells: [lab(la, '合作期限'), val('rest', 'term')] },
    {
      height: mm(8),
      cells: [
        lab(la, '工作方式'),
        val(va, 'workMode'),
        lab(lb, '申请经费'),
        val('rest', 'funding.requested'),
      ],
    },
    { height: mm(8), cells: [lab(la, '工作职责'), val('rest', 'duties')] },
  ];
  const [c1, c2, c4] = [mm(24), mm(12), mm(20)];
  const criteria: Row[] = [
    {
      height: mm(7),
      header: true,
      cells: [
        cell(c1, P('XtSheetHead', '评审指标')),
        cell(c2, P('XtSheetHead', '分值')),
        cell('rest', P('XtSheetHead', '评分标准')),
        cell(c4, P('XtSheetHead', '得分')),
      ],
    },
    {
      height: mm(12),
      cantSplit: true,
      cells: [
        cell(c1, para(tag('#criteria') + tag('name'), { style: 'XtSheetCenter' })),
        cell(c2, P('XtSheetCenter', T('points'))),
        cell(
          'rest',
          tagPara('#bands', { style: 'XtBand' }) +
            para(`${tag('band')}${text('\t')}${tag('description')}`, { style: 'XtBand' }) +
            tagPara('/bands', { style: 'XtBand' }),
        ),
        cell(c4, P('XtSheetCenter', T('/criteria'))),
      ],
    },
    {
      height: mm(9),
      cantSplit: true,
      cells: [
        cell(c1, P('XtSheetHead', '合计')),
        cell(c2, P('XtSheetCenter', T('total'))),
        cell('rest', P('XtSheet', '各项得分之和')),
        cell(c4, P('XtSheetCenter', '')),
      ],
    },
  ];
  const opinion: Row[] = [
    {
      height: mm(30),
      cantSplit: true,
      cells: [
        cell(c1, P('XtSheetHead', '专家意见')),
        cell('rest', P('XtSheet', '（对项目合作基础、目标措施、效益和发展潜力的评价及建议）'), {
          vAlign: 'top',
        }),
      ],
    },
  ];
  const half = Math.round(W / 2);
  const sign: Row[] = [
    {
      height: mm(8),
      cells: [
        cell(half, para(`${text('评审专家：')}${tag('expert.name')}`, { style: 'XtSheet' }), {
          vAlign: 'bottom',
        }),
        cell('rest', para(`${text('工作单位及职称：')}${tag('expert.employer')}`, { style: 'XtSheet' }), {
          vAlign: 'bottom',
        }),
      ],
    },
    {
      height: mm(10),
      cells: [
        cell(half, P('XtSheet', '签字：'), { vAlign: 'bottom' }),
        cell('rest', para(`${text('日期：')}${tag('evaluation.date')}`, { style: 'XtSheet' }), {
          vAlign: 'bottom',
        }),
      ],
    },
  ];
  // Tables that touch are merged into one by Word and LibreOffice: a thin paragraph keeps them apart.
  const gap = (height = pt(6)) => para('', { style: 'XtSheet', spacing: { line: height, rule: 'exact' } });
  const body =
    titleLines(title, ZIHAO.small2) +
    head +
    table(facts, { width: W }) +
    gap() +
    table(criteria, { width: W }) +
    // What the bureau doubts about the project's eligibility, so that the experts weigh it too.
    para(`${text('资格提示：')}${tag('doubts')}`, {
      style: 'XtSheet',
      spacing: { before: 60, line: pt(14), rule: 'exact' },
    }) +
    para(`${text('择优导向：')}${tag('preferences')}`, {
      style: 'XtSheet',
      spacing: { before: 60, after: 60, line: pt(14), rule: 'exact' },
    }) +
    table(opinion, { width: W }) +
    gap(pt(2)) +
    table(sign, { width: W, borders: noBorders() }) +
    hairline();
  return pkg('评审打分表模板', SHEET_PAGE, body, false);
}

// ---- 三方协议 --------------------------------------------------------------------------------------

function agreement(): Buffer {
  const W = OFFICIAL_WIDTH;
  const B = (...pieces: Piece[]) => P('XtBody', ...pieces);
  const N = (...pieces: Piece[]) => P('XtPlain', ...pieces);
  const H = (s: string) => P('XtHeading', s);
  const sp = IDEOGRAPHIC_SPACE.repeat(2);
  const parties = [
    N('甲方（企业）：', T('enterprise.name')),
    N('法定代表人：', T('enterprise.legalRepresentative')),
    N('地址：', T('enterprise.address')),
    N('联系人：', T('enterprise.contactPerson'), sp, '联系电话：', T('enterprise.contactPhone')),
    para('', { style: 'XtPlain' }),
    N('乙方（', T('partyB.kind'), '）：', T('partyB.name')),
    L('#isTeam', 'XtPlain'),
    N('团队负责人：', T('professional.name'), sp, '团队入企人数：', T('team.size'), '人'),
    L('#team.hasMembers', 'XtPlain'),
    N('团队成员：', T('team.members')),
    L('/team.hasMembers', 'XtPlain'),
    L('/isTeam', 'XtPlain'),
    N('现工作单位及职务：', T('professional.employerAndPosition')),
    N('专业技术职称：', T('professional.title'), sp, '联系电话：', T('professional.phone')),
    para('', { style: 'XtPlain' }),
    N('丙方（派出单位）：', T('unit.name')),
    N('法定代表人：', T('unit.legalRepresentative')),
    N('地址：', T('unit.address')),
    N('联系人：', T('unit.contactPerson'), sp, '联系电话：', T('unit.contactPhone')),
    para('', { style: 'XtPlain' }),
  ];
  // The articles in the order a reader looks for them: what, how long and how, who does what, money,
  // results, secrets, breach, change, disputes, effect. Every sentence that depends on the project
  // is a tag the plan fills; nothing is left to 「另行约定」 that the document itself can say.
  const KN = (...pieces: Piece[]) =>
    para(pieces.map((p) => (typeof p === 'string' ? text(p) : tag(p.tag))).join(''), {
      style: 'XtBody',
      keepNext: true,
    });
  const articles = [
    B(
      '为贯彻落实景德镇市科学技术局《关于遴选优秀专业技术人才入企开展协同创新工作的通知》（景科字〔2020〕14号）精神，推进企业与高校院所深度融合，甲、乙、丙三方本着平等自愿、优势互补、互惠互利的原则，经充分沟通协商，就乙方入驻甲方开展协同创新工作达成如下协议：',
    ),
    H('第一条　项目名称'),
    B('项目名称：', T('project.title'), '（项目编号：', T('agreementNo'), '）。'),
    H('第二条　合作内容、目标与考核指标'),
    B('乙方根据甲方的技术、人才需求和自身专业特长，承担以下工作职责：'),
    L('#tasks'),
    B(T('no'), T('name'), '。', T('detail')),
    L('/tasks'),
    B('乙方拟在甲方开展的工作：', T('plannedWork')),
    B('合作期满应实现以下目标，并以所列考核指标作为验收依据：'),
    L('#goals'),
    B(T('no'), T('text')),
    L('/goals'),
    L('^goals'),
    B(T('goalsBlank')),
    L('/goals'),
    H('第三条　合作期限与工作方式'),
    B(
      '合作期限：自',
      T('term.start'),
      '起至',
      T('term.end'),
      '止，共',
      T('term.months'),
      '个月（不少于半年）。期满经三方协商一致，可以续签。',
    ),
    B('乙方以', T('workMode'), '方式入驻甲方开展工作。', T('workModeText')),
    B('甲方根据乙方的专业特长和实际需要，安排乙方担任', T('position'), '，并赋予其开展工作的相关便利。'),
    H('第四条　人事关系与待遇'),
    B(
      '协同创新期间，乙方（含团队成员）的一切人事关系不变，原职务、工资、福利、待遇、岗位、社保与丙方其他在职人员同等对待。丙方将乙方在甲方开展协同创新的工作业绩作为其考核、职称评审和评先评优的依据之一。',
    ),
    H('第五条　三方的权利和义务'),
    B(
      '（一）甲方为乙方提供工作岗位、场地、设备和生产条件，指定对接人员和技术骨干参与协同创新，',
      T('enterpriseDuty'),
      '保障乙方在甲方工作期间的人身安全和合法权益，并在合作期满前对乙方的工作出具书面意见。',
    ),
    B(
      '（二）乙方遵守甲方的规章制度，按本协议完成工作任务和目标，如实记录工作情况，接受三方和市科技局的管理与考核。',
    ),
    B(
      '（三）丙方支持乙方入企开展工作，为乙方提供必要的科研条件，开放共享设备资源，做好乙方的人事、经费和日常管理，并在验收时出具派出单位意见。',
    ),
    H('第六条　经费'),
    B(T('fundingText')),
    B(T('fundingUse')),
    B(T('enterpriseFundingText')),
    H('第七条　知识产权'),
    B(T('ipText')),
    H('第八条　保密'),
    B(T('confidentialityText')),
    H('第九条　绩效考核与验收'),
    B(
      '乙方签订本协议后进入甲方开展工作。市科技局及所属县（市、区）、园区科技管理部门和丙方对乙方进行日常管理、跟踪服务和绩效监督，甲方如实记录乙方在甲方的工作情况。',
    ),
    B(
      '合作期满前一个月，乙方向甲方、丙方和市科技局提交工作总结，甲方和丙方分别出具意见。合作期满，市科技局组织专家，以本协议第二条约定的工作任务、目标和考核指标为依据进行验收，验收结论分为通过、需要复议和不通过。',
    ),
    H('第十条　违约责任'),
    B(T('breachText')),
    H('第十一条　协议的变更与解除'),
    B(
      '本协议的变更须经三方协商一致并以书面形式确定，报市科技局备案。有下列情形之一的，守约方可以书面通知其他各方解除本协议，并告知市科技局：（一）因不可抗力致使协议目的无法实现；（二）一方严重违约，经书面催告后三十日内仍未改正；（三）乙方因丙方工作安排确需提前结束入企工作，经三方协商一致。协议解除的，乙方应与甲方办理工作交接，未使用的市科技局经费按市科技局规定处理。',
    ),
    H('第十二条　争议解决'),
    B(T('disputeText')),
    H('第十三条　生效与份数'),
    B('本协议未尽事宜，由三方协商签订补充协议，补充协议与本协议具有同等法律效力。'),
    // The last article, 「（以下无正文）」 and the signatures keep together: the signature page
    // always carries text of the agreement, never the signatures (or the line) alone.
    KN(T('copiesText'), '本协议自三方签字（盖章）之日起生效。'),
    para(text('（以下无正文）'), { style: 'XtPlain', align: 'center', keepNext: true, keepLines: true }),
  ];
  // Rows that keep together (every paragraph but the last row's keeps with the next), so the three
  // signature blocks never part across pages and stay aligned whatever the length of a name. Each
  // block leaves room for a 42 mm seal over the party's name (乙方 signs: a person has no seal).
  const third = Math.floor(W / 3);
  const kp = (content: string, style = 'XtTable', keepNext = true) => para(content, { style, keepNext });
  const row = (
    height: number,
    contents: [string, string, string],
    style = 'XtTable',
    keepNext = true,
  ): Row => ({
    height,
    cantSplit: true,
    cells: contents.map((c, i) => cell(i < 2 ? third : 'rest', kp(c, style, keepNext), { vAlign: 'top' })),
  });
  const legal = text('法定代表人或授权代表\n（签字）：');
  const signature: Row[] = [
    row(mm(8), [text('甲方（盖章）'), text('乙方'), text('丙方（盖章）')], 'XtTableHead'),
    row(mm(36), [tag('enterprise.name'), tag('partyB.name'), tag('unit.name')]),
    row(mm(24), [legal, tag('partyB.signLabel'), legal]),
    row(mm(8), [tag('signedDate'), tag('signedDate'), tag('signedDate')], 'XtTable', false),
  ];
  const body =
    titleLines(['景德镇市优秀专业技术人才入企', '协同创新三方协议']) +
    para(tag('draftNote'), { style: 'XtPlain', align: 'center' }) +
    para(`${text('协议编号：')}${tag('agreementNo')}`, {
      style: 'XtPlain',
      align: 'right',
      spacing: { after: 240, line: pt(26), rule: 'exact' },
    }) +
    parties.join('') +
    articles.join('') +
    para('', { style: 'XtPlain', keepNext: true }) +
    table(signature, { width: W, borders: noBorders() }) +
    teamAnnex(W) +
    reviewPage(W) +
    hairline();
  return pkg('三方协议模板', OFFICIAL_PAGE, body, true);
}

/**
 * A numbered list as a table: a header row, then one row per item of `loop` (序号 first, the
 * loop's tags opening in the first cell and closing in the last).
 */
export function loopTable(
  W: number,
  loop: string,
  columns: { header: string; tag: string; width: number | 'rest'; style?: string }[],
): string {
  const head: Row = {
    height: mm(9),
    header: true,
    cells: columns.map((c) => cell(c.width, P('XtTableHead', c.header))),
  };
  const last = columns.length - 1;
  const item: Row = {
    height: mm(9),
    cantSplit: true,
    cells: columns.map((c, i) => {
      const inner = `${i === 0 ? tag(`#${loop}`) : ''}${tag(c.tag)}${i === last ? tag(`/${loop}`) : ''}`;
      return cell(c.width, para(inner, { style: c.style ?? 'XtTable' }));
    }),
  };
  return table([head, item], { width: W });
}

/** 附件 团队成员名单: a team signs as 乙方, so its members are named in the agreement itself. */
function teamAnnex(W: number): string {
  return (
    L('#isTeam', 'XtPlain') +
    para(text('附件'), { style: 'XtHeading', pageBreakBefore: true, ind: { firstLine: 0 } }) +
    titleLines(['团队成员名单']) +
    P('XtPlain', '团队名称：', T('partyB.name'), IDEOGRAPHIC_SPACE, '负责人：', T('professional.name')) +
    loopTable(W, 'team.memberRows', [
      { header: '序号', tag: 'no', width: mm(14), style: 'XtTableCenter' },
      { header: '姓名', tag: 'name', width: mm(30), style: 'XtTableCenter' },
      { header: '职称', tag: 'title', width: mm(40), style: 'XtTableCenter' },
      { header: '在项目中的分工', tag: 'role', width: 'rest' },
    ]) +
    P('XtPlain', '团队负责人（签字）：') +
    L('/isTeam', 'XtPlain')
  );
}

/**
 * 待核对事项: the last page of a draft, listing every value taken from a form nobody has approved
 * and every term still empty. Absent from a document rendered from verified data.
 */
function reviewPage(W: number): string {
  return (
    L('#hasReview', 'XtPlain') +
    para(text('待核对事项'), {
      style: 'XtTitle',
      pageBreakBefore: true,
      spacing: { line: pt(34), rule: 'exact', after: 200 },
    }) +
    P(
      'XtBody',
      '本文件为草稿，下列内容取自尚未核对的表格或尚未填写，核对、补齐并重新生成前不得签署。文中以「〔待核对〕」「〔待补〕」标出。',
    ) +
    loopTable(W, 'review', [
      { header: '序号', tag: 'no', width: mm(12), style: 'XtTableCenter' },
      { header: '事项', tag: 'item', width: mm(52) },
      { header: '文中的值', tag: 'value', width: mm(50) },
      { header: '原因', tag: 'reason', width: 'rest' },
    ]) +
    L('/hasReview', 'XtPlain')
  );
}

// ---- 验收证书 --------------------------------------------------------------------------------------

/** A right-aligned 「年 月 日」 to write by hand, `right` characters from the edge. */
export const handDate = (right: number): string =>
  para(
    text(`${IDEOGRAPHIC_SPACE.repeat(3)}年${IDEOGRAPHIC_SPACE.repeat(2)}月${IDEOGRAPHIC_SPACE.repeat(2)}日`),
    {
      style: 'XtPlain',
      align: 'right',
      ind: { right: right * CH },
      spacing: { after: 120, line: pt(26), rule: 'exact' },
    },
  );

function certificate(): Buffer {
  const W = OFFICIAL_WIDTH;
  const S = (s: string) =>
    para(text(s), {
      style: 'XtHeading',
      spacing: { before: 240, after: 120, line: pt(26), rule: 'exact' },
      ind: { firstLine: 0 },
    });
  const la = mm(44);
  const info: Row[] = [
    ['项目名称', 'project.title'],
    ['项目编号', 'project.id'],
    ['承担企业（甲方）', 'enterprise.name'],
    ['入企人才（团队）（乙方）', 'professional'],
    ['派出单位（丙方）', 'unit.name'],
  ].map(([l, t]) => ({ height: mm(9), cells: [labelCell(la, l as string), valueCell('rest', t as string)] }));
  info.push(
    {
      height: mm(9),
      cells: [labelCell(la, '实施期限'), cell('rest', P('XtTable', T('period'), '（', T('workMode'), '）'))],
    },
    { height: mm(9), cells: [labelCell(la, '市科技局支持经费'), valueCell('rest', 'funding')] },
    { height: mm(9), cells: [labelCell(la, '验收日期'), valueCell('rest', 'acceptance.date')] },
    { height: mm(9), cells: [labelCell(la, '验收方式'), valueCell('rest', 'acceptance.method')] },
  );
  const [n1, n2, n4] = [mm(12), mm(52), mm(20)];
  const results: Row[] = [
    {
      height: mm(9),
      header: true,
      cells: [
        cell(n1, P('XtTableHead', '序号')),
        cell(n2, P('XtTableHead', '协议约定的目标')),
        cell('rest', P('XtTableHead', '完成情况')),
        cell(n4, P('XtTableHead', '评价')),
      ],
    },
    {
      height: mm(12),
      cantSplit: true,
      cells: [
        cell(n1, para(tag('#results') + tag('no'), { style: 'XtTableCenter' })),
        valueCell(n2, 'goal'),
        valueCell('rest', 'result'),
        cell(n4, para(tag('assessment') + tag('/results'), { style: 'XtTableCenter' })),
      ],
    },
  ];
  const sp = IDEOGRAPHIC_SPACE;
  const opinion: Row[] = [
    {
      height: mm(60),
      cantSplit: true,
      cells: [
        cell(
          'rest',
          P('XtBody', T('opinion')) +
            para('', { style: 'XtPlain' }) +
            para(
              `${text('验收结论：')}${tag('box.passed')}${text(`通过${sp}${sp}`)}${tag('box.reconsider')}${text(`需要复议${sp}${sp}`)}${tag('box.failed')}${text('不通过')}`,
              { style: 'XtPlain', ind: { left: 2 * CH } },
            ) +
            para('', { style: 'XtPlain' }) +
            // Trailing spaces vanish at the end of a right-aligned line: a right indent keeps the gap.
            para(text(`专家组组长（签字）：${sp.repeat(6)}`), { style: 'XtPlain', ind: { left: mm(70) } }) +
            handDate(2),
          { vAlign: 'top' },
        ),
      ],
    },
  ];
  const widths = [mm(12), mm(22), mm(44), mm(26), mm(20)];
  const panelHeader: Row = {
    height: mm(9),
    header: true,
    cells: ['序号', '姓名', '工作单位', '职称/职务', '组内分工', '签字'].map((h, i) =>
      cell(i < widths.length ? (widths[i] as number) : 'rest', P('XtTableHead', h)),
    ),
  };
  const panelRow: Row = {
    height: mm(11),
    cantSplit: true,
    cells: [
      cell(widths[0] as number, para(tag('#experts') + tag('no'), { style: 'XtTableCenter' })),
      valueCell(widths[1] as number, 'name', 'XtTableCenter'),
      valueCell(widths[2] as number, 'employer'),
      valueCell(widths[3] as number, 'title', 'XtTableCenter'),
      valueCell(widths[4] as number, 'role', 'XtTableCenter'),
      cell('rest', P('XtTable', T('/experts'))),
    ],
  };
  const bureau: Row[] = [
    {
      height: mm(52),
      cantSplit: true,
      cells: [
        cell(
          'rest',
          para('', { style: 'XtPlain' }) +
            para('', { style: 'XtPlain' }) +
            para('', { style: 'XtPlain' }) +
            para('', { style: 'XtPlain' }) +
            para(text('景德镇市科学技术局（盖章）'), {
              style: 'XtPlain',
              align: 'right',
              ind: { right: 2 * CH },
            }) +
            handDate(3),
          { vAlign: 'top' },
        ),
      ],
    },
  ];
  // An opinion box: the text, then the organisation's seal line and a date to write by hand.
  const opinionBox = (tagName: string, signer: string): Row[] => [
    {
      height: mm(40),
      cantSplit: true,
      cells: [
        cell(
          'rest',
          P('XtBody', T(tagName)) +
            para('', { style: 'XtPlain' }) +
            para(text(signer), { style: 'XtPlain', align: 'right', ind: { right: 2 * CH } }) +
            handDate(3),
          { vAlign: 'top' },
        ),
      ],
    },
  ];
  const money: Row[] = [
    { height: mm(9), cells: [labelCell(la, '市科技局支持经费'), valueCell('rest', 'funding')] },
    { height: mm(9), cells: [labelCell(la, '甲方配套经费'), valueCell('rest', 'enterpriseFunding')] },
    { height: mm(18), cantSplit: true, cells: [labelCell(la, '使用情况'), valueCell('rest', 'fundingUse')] },
  ];
  const body =
    titleLines(['景德镇市优秀专业技术人才入企', '协同创新项目验收证书']) +
    para(tag('draftNote'), { style: 'XtPlain', align: 'center' }) +
    para(`${text('证书编号：')}${tag('certificateNo')}`, {
      style: 'XtPlain',
      align: 'right',
      spacing: { after: 120, line: pt(26), rule: 'exact' },
    }) +
    S('一、项目基本情况') +
    table(info, { width: W }) +
    S('二、目标任务完成情况') +
    table(results, { width: W }) +
    S('三、经费使用情况') +
    table(money, { width: W }) +
    S('四、甲方（企业）意见') +
    table(opinionBox('enterpriseOpinion', '甲方（盖章）'), { width: W }) +
    S('五、派出单位意见') +
    table(opinionBox('unitOpinion', '派出单位（盖章）'), { width: W }) +
    S('六、验收专家组意见') +
    table(opinion, { width: W }) +
    S('七、验收专家组名单') +
    table([panelHeader, panelRow], { width: W }) +
    S('八、市科技局意见') +
    table(bureau, { width: W }) +
    reviewPage(W) +
    hairline();
  return pkg('验收证书模板', OFFICIAL_PAGE, body, true);
}

// ---- 评审结果与经费建议 -----------------------------------------------------------------------------

/**
 * The funding proposal as the bureau files it: every project scored (one that could not be ranked
 * with the reason), the totals, and lines for the panel's leader and the bureau to sign.
 */
function proposal(): Buffer {
  const W = SHEET_WIDTH;
  const body =
    titleLines(['景德镇市优秀专业技术人才入企协同创新项目', '评审结果与经费建议'], ZIHAO.small2) +
    para(`${text('评审日期：')}${tag('date')}`, {
      style: 'XtSheet',
      align: 'center',
      spacing: { after: 120, line: pt(16), rule: 'exact' },
    }) +
    para(tag('summary'), { style: 'XtSheet', spacing: { after: 120, line: pt(16), rule: 'exact' } }) +
    loopTable(W, 'rows', [
      { header: '排名', tag: 'rank', width: mm(10), style: 'XtSheetCenter' },
      { header: '项目编号', tag: 'id', width: mm(25), style: 'XtSheetCenter' },
      { header: '承担企业', tag: 'enterprise', width: mm(32), style: 'XtSheet' },
      { header: '入企人才（团队）', tag: 'professional', width: mm(26), style: 'XtSheet' },
      { header: '平均分', tag: 'mean', width: mm(14), style: 'XtSheetCenter' },
      { header: '申请', tag: 'requested', width: mm(11), style: 'XtSheetCenter' },
      { header: '建议', tag: 'proposed', width: mm(11), style: 'XtSheetCenter' },
      { header: '说明', tag: 'note', width: 'rest', style: 'XtSheet' },
    ]) +
    para(tag('total'), { style: 'XtSheet', spacing: { before: 120, line: pt(16), rule: 'exact' } }) +
    para('', { style: 'XtSheet' }) +
    para(text('评审专家组组长（签字）：\t经办人（签字）：'), {
      style: 'XtSheet',
      tabs: rightTab(W),
      spacing: { before: 360, line: pt(16), rule: 'exact' },
    }) +
    para(text('市科技局审核意见：'), {
      style: 'XtSheet',
      spacing: { before: 480, line: pt(16), rule: 'exact' },
    }) +
    para(text('（盖章）　　　年　　月　　日'), {
      style: 'XtSheet',
      align: 'right',
      spacing: { before: 720, line: pt(16), rule: 'exact' },
    }) +
    hairline();
  return pkg('评审结果与经费建议', SHEET_PAGE, body, true);
}

// ---- main ----------------------------------------------------------------------------------------

export const DOCUMENT_TEMPLATES = { scoresheet, agreement, certificate, proposal } as const;
export type DocumentTemplateName = keyof typeof DOCUMENT_TEMPLATES;

/**
 * The command line of a template script: writes the named templates (all when none is named) into
 * templates/ or --out, never over a file that may hold edits made in Word unless --force.
 */
export async function writeTemplates(
  templates: Readonly<Record<string, () => Buffer | Uint8Array>>,
  argv: string[],
): Promise<void> {
  const force = argv.includes('--force');
  const outAt = argv.indexOf('--out');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = resolve(
    outAt >= 0 && argv[outAt + 1] ? (argv[outAt + 1] as string) : join(root, 'templates'),
  );
  const named = argv.filter((a, i) => a in templates && argv[i - 1] !== '--out');
  const names = named.length > 0 ? named : Object.keys(templates);
  await mkdir(outDir, { recursive: true });
  for (const name of names) {
    const out = join(outDir, `${name}.docx`);
    if (existsSync(out) && !force) {
      process.stderr.write(`${out} exists and may hold edits made in Word; pass --force to overwrite it.\n`);
      process.exitCode = 1;
      continue;
    }
    await writeFile(out, (templates[name] as () => Buffer | Uint8Array)());
    process.stdout.write(`wrote ${out}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writeTemplates(DOCUMENT_TEMPLATES, process.argv.slice(2));
}
