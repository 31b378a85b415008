// Authors templates/notice.docx, the docxtemplater template of the notice (通知) in GB/T 9704-2012
// layout. The .docx is what users edit (in Word, WPS or LibreOffice): this script only wrote its
// first version, and it refuses to overwrite an existing template unless given --force, so that
// edits made in Word are never lost by re-running it.
//
//   npx tsx scripts/make-notice-template.ts [--force] [--out templates/notice.docx]
//
// Layout (GB/T 9704-2012, measured against LibreOffice 7.4, see FINDINGS.md «Documents»):
// - A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so right 26 mm, bottom 35 mm).
// - Body 3号 (16 pt) 仿宋_GB2312, 22 lines × 28 characters: LibreOffice ignores docGrid
//   compression, so there is no grid; lines are exactly 579 twips (28.95 pt) and every run has
//   −0.25 pt character spacing (28 × 15.75 pt = 441 pt fits the 442.25 pt 版心).
// - Indents are written in twips as well as in chars: LibreOffice ignores w:firstLineChars alone.
// - Table cells have explicit zero margins; the 版记 is a table inside a DrawingML text box
//   anchored to the bottom of the 版心, so its last rule sits on the 版心's bottom edge.
// - Page numbers «— N —» in 4号 宋体, odd pages right and even pages left (even/odd footers).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import PizZip from 'pizzip';

// ---- units -------------------------------------------------------------------------------------

const TWIPS_PER_MM = 1440 / 25.4;
const mm = (v: number) => Math.round(v * TWIPS_PER_MM);
const EMU_PER_MM = 36_000;
const pt = (v: number) => Math.round(v * 20); // twips

// ---- the page ----------------------------------------------------------------------------------

const PAGE_W = 11906; // A4 210 mm
const PAGE_H = 16838; // A4 297 mm
const MARGIN_TOP = mm(37);
const MARGIN_LEFT = mm(28);
const TEXT_W = mm(156);
const MARGIN_RIGHT = PAGE_W - MARGIN_LEFT - TEXT_W;
const TEXT_H = mm(225);
const MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - TEXT_H;

/** Exact line pitch of the body: 22 lines in 225 mm. */
const LINE = 579;
const BODY_PT = 16; // 3号
const CHAR_SPACING = -5; // −0.25 pt, in twentieths of a point
/** One character of body text as laid out: 16 pt − 0.25 pt. */
const CH = pt(BODY_PT - 0.25); // 315 twips
const NOTE_PT = 14; // 4号, for the 版记 and the page numbers
const NOTE_CH = pt(NOTE_PT);

// The 发文机关标志: 小标宋, red, its top edge 35 mm below the top of the 版心. Sized for marks of up
// to 11 characters (景德镇市科学技术局文件) across 150 mm; longer marks need a smaller w:w.
const MARK_PT = 50;
const MARK_SCALE = 76; // % width
const MARK_LINE = pt(60);
const MARK_BEFORE = pt(93.3); // measured: puts the ink top at 37 + 35 = 72 mm
const RED = 'FF0000';

// The 发文字号 sits two blank lines below the mark; the red rule 4 mm under its characters.
const NUMBER_RULE_SPACE = 7; // pt between the line box and the rule (measured: 4.1 mm under the ink)
const RULE_SZ = 12; // eighths of a point: 1.5 pt

// The signer is centred over the date (以成文日期为准居中), which ends 4 characters from the right
// edge. A date like 2020年4月28日 (three characters, seven digits and the automatic spaces between
// Chinese and digits) measures 125 pt, so the signer is centred on an axis 62.7 pt left of the
// date's end. Dates with six or eight digits move the axis by 4.4 pt (1.5 mm).
const DATE_RIGHT = 4 * CH;
const SIGNER_AXIS = DATE_RIGHT + pt(62.7);

// 附件说明: «附件：1.名称», numbers aligned under the first one, a wrapped name aligned with the first
// character of the name above (附件名称较长需回行时，应当与上一行附件名称的首字对齐).
const ATT_NUMBER_AT = 5 * CH; // 2 characters of indent + «附件：»
const ATT_NAME_AT = ATT_NUMBER_AT + pt(BODY_PT); // «1.» is two half-width characters in 仿宋_GB2312

// 版记 rules: first and last 0.35 mm, those between 0.25 mm (in eighths of a point).
const RULE_THICK = 8;
const RULE_THIN = 6;
/** Lines the 版记 box holds: 抄送 on up to two lines, then 印发机关 and 印发日期 (see RECORD_LINES in src/render/notice.ts). */
const RECORD_LINES = 3;

// No widow control (it would leave 21 lines on some pages) and no punctuation hanging past the 版心.
// LibreOffice 7.4 reads w:overflowPunct inverted (writerfilter sets ParaIsHangingPunctuation to
// «value == 0»), so val="1" is what keeps every line inside 156 mm there; Word reads val="1" as its
// own default, allowing a final «，» to hang as Word documents usually do.
const NO_HANGING_PUNCTUATION = '<w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>';

const FONT_BODY = '仿宋_GB2312';
const FONT_TITLE = '方正小标宋简体';
const FONT_HEI = '黑体';
const FONT_KAI = '楷体_GB2312';
const FONT_SONG = '宋体';

// ---- XML helpers -------------------------------------------------------------------------------

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const fonts = (name: string) =>
  `<w:rFonts w:ascii="${name}" w:eastAsia="${name}" w:hAnsi="${name}" w:cs="${name}" w:hint="eastAsia"/>`;

/** A run of text; docxtemplater tags go in one run each so Word never splits them. */
const run = (text: string, rPr = '') =>
  `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;

const para = (style: string | undefined, content: string, pPr = '') =>
  `<w:p><w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ''}${pPr}</w:pPr>${content}</w:p>`;

/** A paragraph holding only a loop or condition tag: paragraphLoop removes it from the output. */
const tagPara = (tag: string) => para(undefined, run(tag));

const blank = () => para(undefined, '');

// ---- styles ------------------------------------------------------------------------------------

interface StyleDef {
  id: string;
  name: string;
  basedOn?: string;
  pPr?: string;
  rPr?: string;
  type?: 'paragraph' | 'table';
}

const style = (s: StyleDef) =>
  `<w:style w:type="${s.type ?? 'paragraph'}" w:customStyle="1" w:styleId="${s.id}"><w:name w:val="${s.name}"/>` +
  `${s.basedOn ? `<w:basedOn w:val="${s.basedOn}"/>` : ''}<w:qFormat/>` +
  `${s.pPr ? `<w:pPr>${s.pPr}</w:pPr>` : ''}${s.rPr ? `<w:rPr>${s.rPr}</w:rPr>` : ''}</w:style>`;

const exactLine = (twips: number, before = 0, after = 0) =>
  `<w:spacing w:before="${before}" w:after="${after}" w:line="${twips}" w:lineRule="exact"/>`;

const firstLine = (chars: number) => `<w:ind w:firstLineChars="${chars * 100}" w:firstLine="${chars * CH}"/>`;

const STYLES: StyleDef[] = [
  {
    id: 'GwMark',
    name: '公文 发文机关标志',
    basedOn: 'Normal',
    pPr: `<w:keepNext/>${exactLine(MARK_LINE, MARK_BEFORE)}<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/>`,
    rPr: `${fonts(FONT_TITLE)}<w:color w:val="${RED}"/><w:spacing w:val="0"/><w:w w:val="${MARK_SCALE}"/><w:sz w:val="${MARK_PT * 2}"/><w:szCs w:val="${MARK_PT * 2}"/>`,
  },
  {
    id: 'GwNumber',
    name: '公文 发文字号',
    basedOn: 'Normal',
    pPr:
      `<w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="${RULE_SZ}" w:space="${NUMBER_RULE_SPACE}" w:color="${RED}"/></w:pBdr>` +
      `<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/>`,
  },
  {
    id: 'GwTitle',
    name: '公文 标题',
    basedOn: 'Normal',
    pPr: `<w:keepNext/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/>`,
    rPr: `${fonts(FONT_TITLE)}<w:spacing w:val="0"/><w:sz w:val="44"/><w:szCs w:val="44"/>`,
  },
  {
    id: 'GwAddressee',
    name: '公文 主送机关',
    basedOn: 'Normal',
    pPr: '<w:ind w:left="0" w:right="0" w:firstLine="0"/>',
  },
  { id: 'GwBody', name: '公文 正文', basedOn: 'Normal', pPr: firstLine(2) },
  {
    id: 'GwLevel1',
    name: '公文 一级标题（一、黑体）',
    basedOn: 'GwBody',
    pPr: '<w:keepNext/><w:outlineLvl w:val="0"/>',
    rPr: fonts(FONT_HEI),
  },
  {
    id: 'GwLevel2',
    name: '公文 二级标题（（一）楷体）',
    basedOn: 'GwBody',
    pPr: '<w:keepNext/><w:outlineLvl w:val="1"/>',
    rPr: fonts(FONT_KAI),
  },
  { id: 'GwLevel3', name: '公文 三级标题（1.仿宋）', basedOn: 'GwBody' },
  { id: 'GwLevel4', name: '公文 四级标题（（1）仿宋）', basedOn: 'GwBody' },
  {
    id: 'GwAttachment',
    name: '公文 附件说明',
    basedOn: 'Normal',
    pPr:
      `<w:keepNext/><w:tabs><w:tab w:val="left" w:pos="${ATT_NUMBER_AT}"/><w:tab w:val="left" w:pos="${ATT_NAME_AT}"/></w:tabs>` +
      `<w:ind w:left="${ATT_NAME_AT}" w:hanging="${ATT_NAME_AT - 2 * CH}"/><w:jc w:val="left"/>`,
  },
  {
    id: 'GwAttachmentSingle',
    name: '公文 附件说明（单个附件）',
    basedOn: 'Normal',
    pPr: `<w:keepNext/><w:ind w:left="${ATT_NUMBER_AT}" w:hanging="${ATT_NUMBER_AT - 2 * CH}"/><w:jc w:val="left"/>`,
  },
  {
    id: 'GwSealSpace',
    name: '公文 用印位置',
    basedOn: 'Normal',
    pPr: '<w:keepNext/>',
  },
  {
    id: 'GwSigner',
    name: '公文 发文机关署名',
    basedOn: 'Normal',
    // centred between indents symmetric about the date's centre
    pPr: `<w:keepNext/><w:ind w:left="${TEXT_W - 2 * SIGNER_AXIS}" w:right="0" w:firstLine="0"/><w:jc w:val="center"/>`,
  },
  {
    id: 'GwDate',
    name: '公文 成文日期',
    basedOn: 'Normal',
    pPr: `<w:ind w:left="0" w:right="${DATE_RIGHT}" w:rightChars="400" w:firstLine="0"/><w:jc w:val="right"/>`,
  },
  {
    id: 'GwRecord',
    name: '公文 版记',
    basedOn: 'Normal',
    pPr: `${exactLine(LINE)}<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="left"/>`,
    rPr: `<w:spacing w:val="0"/><w:sz w:val="${NOTE_PT * 2}"/><w:szCs w:val="${NOTE_PT * 2}"/>`,
  },
  {
    id: 'GwPageNumber',
    name: '公文 页码',
    basedOn: 'Normal',
    pPr: exactLine(pt(20)),
    rPr: `${fonts(FONT_SONG)}<w:spacing w:val="0"/><w:sz w:val="${NOTE_PT * 2}"/><w:szCs w:val="${NOTE_PT * 2}"/>`,
  },
  {
    id: 'GwAnchor',
    name: '公文 版记锚点',
    basedOn: 'Normal',
    pPr: exactLine(2),
    rPr: '<w:sz w:val="2"/><w:szCs w:val="2"/>',
  },
];

const stylesXml = () => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults>
<w:rPrDefault><w:rPr>${fonts(FONT_BODY)}<w:spacing w:val="${CHAR_SPACING}"/><w:kern w:val="0"/><w:sz w:val="${BODY_PT * 2}"/><w:szCs w:val="${BODY_PT * 2}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr>${NO_HANGING_PUNCTUATION}${exactLine(LINE)}<w:jc w:val="both"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>${NO_HANGING_PUNCTUATION}</w:pPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>
${STYLES.map(style).join('\n')}
</w:styles>`;

// ---- the document ------------------------------------------------------------------------------

const NS = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
].join(' ');

const tab = '<w:r><w:tab/></w:r>';

const cellMarginsZero =
  '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>';

const cell = (width: number, content: string, span = 1) =>
  `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}<w:vAlign w:val="top"/></w:tcPr>${content}</w:tc>`;

/**
 * The 版记: 抄送 (optional row) and 印发机关/印发日期, between full-width rules — thick above the first
 * and below the last, thin between. Table-level borders keep that true whichever rows remain.
 */
function recordTable(): string {
  const colLabel = NOTE_CH * 4 + 20; // 左空一字 + «抄送：», plus 1 pt so LibreOffice does not wrap it
  const colDate = mm(62);
  const colMid = TEXT_W - colLabel - colDate;
  const rule = (side: string, sz: number) =>
    `<w:${side} w:val="single" w:sz="${sz}" w:space="0" w:color="000000"/>`;
  const none = (side: string) => `<w:${side} w:val="nil"/>`;
  const tblPr =
    `<w:tblPr><w:tblW w:w="${TEXT_W}" w:type="dxa"/><w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/>` +
    `<w:tblBorders>${rule('top', RULE_THICK)}${none('left')}${rule('bottom', RULE_THICK)}${none('right')}${rule('insideH', RULE_THIN)}${none('insideV')}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/>${cellMarginsZero}<w:tblLook w:val="0000"/></w:tblPr>`;
  const grid = `<w:tblGrid><w:gridCol w:w="${colLabel}"/><w:gridCol w:w="${colMid}"/><w:gridCol w:w="${colDate}"/></w:tblGrid>`;
  const p = (content: string, pPr = '') => para('GwRecord', content, pPr);
  // The condition's tags sit in two cells of one row, so docxtemplater drops the whole row.
  const copyRow =
    '<w:tr><w:trPr><w:cantSplit/></w:trPr>' +
    cell(colLabel, p(run('{#hasCopyTo}抄送：'), `<w:ind w:left="${NOTE_CH}"/>`)) +
    cell(
      colMid + colDate,
      p(run('{copyTo}{/hasCopyTo}'), `<w:ind w:right="${NOTE_CH}"/><w:jc w:val="both"/>`),
      2,
    ) +
    '</w:tr>';
  const printRow =
    '<w:tr><w:trPr><w:cantSplit/></w:trPr>' +
    cell(colLabel + colMid, p(run('{printedBy}'), `<w:ind w:left="${NOTE_CH}"/>`), 2) +
    cell(colDate, p(run('{printedDate}印发'), `<w:ind w:right="${NOTE_CH}"/><w:jc w:val="right"/>`)) +
    '</w:tr>';
  return `<w:tbl>${tblPr}${grid}${copyRow}${printRow}</w:tbl>`;
}

/**
 * A text box as wide as the 版心, its bottom on the 版心's bottom edge, its text anchored to the
 * box's bottom. Wrap top-and-bottom keeps body text out of it. The box has a fixed height for
 * RECORD_LINES lines: with auto-grow, LibreOffice 7.4 places the box by its declared height, grows
 * it downwards and leaves the text 2 mm above the 版心's edge.
 */
function recordBox(): string {
  const width = 156 * EMU_PER_MM;
  const height = Math.round(((LINE * RECORD_LINES) / TWIPS_PER_MM) * EMU_PER_MM) + 2 * EMU_PER_MM;
  const anchor =
    `<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">` +
    '<wp:simplePos x="0" y="0"/>' +
    '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>' +
    '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>' +
    `<wp:extent cx="${width}" cy="${height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>` +
    '<wp:docPr id="1" name="版记"/><wp:cNvGraphicFramePr/>' +
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>' +
    '<wps:cNvSpPr txBox="1"/>' +
    `<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${width}" cy="${height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>` +
    `<wps:txbx><w:txbxContent>${recordTable()}${para('GwAnchor', '')}</w:txbxContent></wps:txbx>` +
    '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr>' +
    '</wps:wsp></a:graphicData></a:graphic></wp:anchor>';
  return `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>${anchor}</w:drawing></mc:Choice></mc:AlternateContent></w:r>`;
}

function documentXml(): string {
  const body = [
    // 版头
    para('GwMark', run('{issuer.mark}')),
    blank(),
    blank(),
    para('GwNumber', run('{number}')),
    // 主体
    blank(),
    blank(),
    para('GwTitle', run('{title}')),
    blank(),
    para('GwAddressee', run('{addressee}')),
    tagPara('{#body}'),
    tagPara('{#h1}'),
    para('GwLevel1', run('{text}')),
    tagPara('{/h1}'),
    tagPara('{#h2}'),
    para('GwLevel2', run('{text}')),
    tagPara('{/h2}'),
    tagPara('{#item}'),
    para('GwLevel3', run('{text}')),
    tagPara('{/item}'),
    tagPara('{#sub}'),
    para('GwLevel4', run('{text}')),
    tagPara('{/sub}'),
    tagPara('{#p}'),
    para('GwBody', run('{text}')),
    tagPara('{/p}'),
    tagPara('{/body}'),
    // 附件说明: one blank line under the body
    tagPara('{#singleAttachment}'),
    para('GwSealSpace', ''),
    para('GwAttachmentSingle', run('附件：{attachment}')),
    tagPara('{/singleAttachment}'),
    tagPara('{#multipleAttachments}'),
    para('GwSealSpace', ''),
    tagPara('{#attachments}'),
    para(
      'GwAttachment',
      `${run('{#first}附件：{/first}{^first}')}${tab}${run('{/first}{label}')}${tab}${run('{name}')}`,
    ),
    tagPara('{/attachments}'),
    tagPara('{/multipleAttachments}'),
    // 用印位置: two blank lines, so a 42 mm seal over the signer and the date starts within one line
    // of the text above (印章顶端应当上距正文或附件说明一行之内).
    para('GwSealSpace', ''),
    para('GwSealSpace', ''),
    para('GwSigner', run('{signer}')),
    para('GwDate', run('{date}')),
    // 版记
    para('GwAnchor', recordBox()),
  ];
  const sectPr =
    '<w:sectPr>' +
    '<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>' +
    `<w:pgSz w:w="${PAGE_W}" w:h="${PAGE_H}"/>` +
    `<w:pgMar w:top="${MARGIN_TOP}" w:right="${MARGIN_RIGHT}" w:bottom="${MARGIN_BOTTOM}" w:left="${MARGIN_LEFT}" w:header="851" w:footer="${FOOTER_DISTANCE}" w:gutter="0"/>` +
    '<w:cols w:space="720"/></w:sectPr>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ${NS}><w:body>
${body.join('\n')}
${sectPr}
</w:body></w:document>`;
}

// ---- page numbers ------------------------------------------------------------------------------

// The dash of «— N —» sits 7 mm under the 版心 (一字线上距版心下边缘7mm); odd pages right and even
// pages left, one 4号 character in from the edge (单页码居右空一字，双页码居左空一字).
const FOOTER_DISTANCE = mm(24.7);

function footerXml(side: 'odd' | 'even'): string {
  const pPr =
    side === 'odd'
      ? `<w:ind w:left="0" w:right="${NOTE_CH}"/><w:jc w:val="right"/>`
      : `<w:ind w:left="${NOTE_CH}" w:right="0"/><w:jc w:val="left"/>`;
  const field =
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>' +
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr ${NS}>${para('GwPageNumber', `${run('— ')}${field}${run(' —')}`, pPr)}</w:ftr>`;
}

// ---- package parts -----------------------------------------------------------------------------

const settingsXml = () => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:zoom w:percent="100"/><w:evenAndOddHeaders/><w:defaultTabStop w:val="${CH}"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>
</w:settings>`;

const fontXml = (name: string, alt: string, family: string) =>
  `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:charset w:val="86"/><w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`;

const fontTableXml = () => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
${fontXml(FONT_BODY, '仿宋', 'modern')}
${fontXml(FONT_TITLE, '宋体', 'roman')}
${fontXml(FONT_HEI, 'SimHei', 'modern')}
${fontXml(FONT_KAI, '楷体', 'modern')}
${fontXml(FONT_SONG, 'SimSun', 'roman')}
</w:fonts>`;

const contentTypesXml = () => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`;

const rootRelsXml = () => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`;

const documentRelsXml = () => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>
</Relationships>`;

// No dates in the package: the template's bytes depend only on this script.
const coreXml = () => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>通知（GB/T 9704-2012 版式）模板</dc:title><dc:creator>xietong</dc:creator>
</cp:coreProperties>`;

/** The template as .docx bytes. */
export function buildNoticeTemplate(): Buffer {
  const zip = new PizZip();
  zip.file('[Content_Types].xml', contentTypesXml());
  zip.file('_rels/.rels', rootRelsXml());
  zip.file('docProps/core.xml', coreXml());
  zip.file('word/document.xml', documentXml());
  zip.file('word/_rels/document.xml.rels', documentRelsXml());
  zip.file('word/styles.xml', stylesXml());
  zip.file('word/settings.xml', settingsXml());
  zip.file('word/fontTable.xml', fontTableXml());
  zip.file('word/footer1.xml', footerXml('odd'));
  zip.file('word/footer2.xml', footerXml('even'));
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

async function main(argv: string[]): Promise<void> {
  const force = argv.includes('--force');
  const outArg = argv[argv.indexOf('--out') + 1];
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const out = resolve(argv.includes('--out') && outArg ? outArg : resolve(root, 'templates/notice.docx'));
  if (existsSync(out) && !force) {
    process.stderr.write(`${out} exists and may hold edits made in Word; pass --force to overwrite it.\n`);
    process.exitCode = 1;
    return;
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, buildNoticeTemplate());
  process.stdout.write(`wrote ${out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
