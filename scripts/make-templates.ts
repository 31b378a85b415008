// How the three attachment templates were first authored: templates/registration.docx (附件1),
// templates/demand.docx (附件2) and templates/problem.docx (附件3) of notice 景科字〔2020〕14 号.
//
// The .docx files in templates/ are the source of truth: that is what people edit in Word, WPS or
// LibreOffice (the wording of a label, a row height, a font), and what xietong renders from. This
// script is only the first draft, kept so the layout decisions stay readable; running it again
// overwrites any edit made in Word. After editing a template by hand, run the tests: they check
// that its tags are exactly the form's field keys (src/forms) and that it still prints on 2/2/1 pages.
//
//   npx tsx scripts/make-templates.ts [outDir]      (default: templates/)
//
// Layout follows the originals as extracted in the notice: labels in paper order with their
// original line splits (written as explicit line breaks, so no font can re-wrap them), merged cells
// (照片; the vertical 技术人才需求 block), opinion cells with （盖章） and the date at the bottom right,
// and page 2 starting where the original's does (two tables separated by a page break). Every
// docxtemplater tag sits alone in one run, so Word never splits it.
//
// Row heights are minimums (rows grow with their text). They were fitted in LibreOffice with the
// Noto CJK stand-ins, whose lines are taller than 仿宋's, leaving about 17 pt free on each page:
// with the real fonts in Word there is more room, never less.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMS } from '../src/forms/index.js';
import * as ox from '../src/render/ooxml.js';
import type { FormKind } from '../src/types.js';

// ---------------------------------------------------------------------------------------------
// Page and type: A4, 25 mm side margins, 25.4 mm top and bottom. Sizes in twips (1/20 pt) and
// half-points, as WordprocessingML wants them.

const PAGE = { width: 11906, height: 16838, top: 1440, bottom: 1440, left: 1418, right: 1418 } as const;
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right; // 9070

const FONT = {
  body: '仿宋', // Windows ships 仿宋 (not 仿宋_GB2312); config/fonts.conf maps both
  title: '方正小标宋简体',
  heading: '黑体',
} as const;

const SIZE = { title: 44, attachment: 32, header: 28, table: 24 } as const; // 2号, 3号, 4号, 小4

// Fixed zip entry dates keep regenerated templates byte-identical when nothing changed.
const ZIP_DATE = new Date('2020-05-01T00:00:00Z');

// ---------------------------------------------------------------------------------------------
// Runs and paragraphs: the shared OOXML helpers (src/render/ooxml.ts), with every run in the
// body font at table size unless told otherwise.

interface RunStyle {
  font?: string;
  size?: number;
}

const style = ({ font = FONT.body, size = SIZE.table }: RunStyle = {}): ox.RunStyle => ({ font, size });

/** Text; `\n` becomes a line break inside the paragraph (how narrow labels keep the original splits). */
const text = (s: string, runStyle?: RunStyle): string => ox.text(s, style(runStyle));

/** A docxtemplater tag, alone in its run. */
const tag = (key: string, runStyle?: RunStyle): string => ox.tag(key, style(runStyle));

const tab = (runStyle?: RunStyle) => ox.tab(style(runStyle));

interface ParaStyle extends RunStyle {
  align?: 'left' | 'center' | 'right' | 'both';
  before?: number;
  after?: number;
  /** Right indent in twips. */
  right?: number;
  /** Exact line height in twips (otherwise single spacing). */
  exact?: number;
  tabs?: string;
}

function para(content: string, paraStyle: ParaStyle = {}): string {
  const { align = 'left', before = 0, after = 0, right, exact, tabs } = paraStyle;
  return ox.para(content, {
    tabs,
    spacing: exact
      ? { before, after, line: exact, rule: 'exact' }
      : { before, after, line: 240, rule: 'auto' },
    ind: right ? { right } : undefined,
    align,
    mark: style(paraStyle),
  });
}

// ---------------------------------------------------------------------------------------------
// Cells, rows, tables. Each row lists its cells with widths; the table grid is the union of all
// column edges, so rows may be as irregular as on the paper forms and spans are computed.

type Cell = ox.Cell;
type Row = ox.Row;

const label = (s: string, width: number | 'rest'): Cell => ({
  width,
  body: para(text(s), { align: 'center' }),
  vAlign: 'center',
});

/** A one-line value: centred like the label beside it. */
const value = (key: string, width: number | 'rest'): Cell => ({
  width,
  body: para(tag(key), { align: 'center' }),
  vAlign: 'center',
});

/** A paragraph value: top left. Not justified: lines ending in a line break would be stretched. */
const longValue = (key: string, width: number | 'rest'): Cell => ({
  width,
  body: para(tag(key)),
  vAlign: 'top',
});

/** A cell of vertically merged label text: the first row holds the text, the others continue it. */
const merged = (s: string, width: number, first: boolean): Cell =>
  first
    ? { width, body: para(text(s), { align: 'center' }), vAlign: 'center', vMerge: 'restart' }
    : { width, body: para(''), vAlign: 'center', vMerge: 'continue' };

/**
 * An opinion cell, one cell as on paper (readers of filled .docx find the opinion and its date
 * together): the opinion at the top, then `gap` empty lines, then （盖章） and the date at the bottom
 * right. The gap is sized so a two-line opinion still fits the row's minimum height.
 */
function opinion(group: 'recommendation' | 'approval', width: number | 'rest', gap: number): Cell {
  const empty = Array.from({ length: gap }, () => para('')).join('');
  return {
    width,
    vAlign: 'top',
    body:
      para(tag(`${group}.opinion`)) +
      empty +
      para(text('（盖章）'), { align: 'right', right: 1500 }) +
      para(tag(`${group}.date`), { align: 'right', right: 480, after: 120 }),
  };
}

const table = (rows: Row[]): string => ox.table(rows, { width: TEXT_WIDTH });

// ---------------------------------------------------------------------------------------------
// The parts above every table: 附件N, the title, the header line.

function heading(attachment: number, titleLines: string[]): string {
  const titleStyle = { font: FONT.title, size: SIZE.title };
  return (
    para(text(`附件${attachment}`, { font: FONT.heading, size: SIZE.attachment }), {
      font: FONT.heading,
      size: SIZE.attachment,
      after: 240,
    }) +
    titleLines
      .map((line, i) =>
        para(text(line, titleStyle), {
          ...titleStyle,
          align: 'center',
          after: i === titleLines.length - 1 ? 360 : 0,
        }),
      )
      .join('') +
    headerLine()
  );
}

/** 填报单位：… on the left, 填表日期：… against the right edge (a right tab stop). */
function headerLine(): string {
  const style = { size: SIZE.header };
  return para(
    text('填报单位：', style) +
      tag('fillingUnit', style) +
      tab(style) +
      text('填表日期：', style) +
      tag('fillingDate', style),
    { ...style, after: 120, tabs: `<w:tabs><w:tab w:val="right" w:pos="${TEXT_WIDTH}"/></w:tabs>` },
  );
}

/** Ends page 1 between two tables; one point high so it adds no visible line on page 2. */
const pageBreak = () =>
  '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>' +
  '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="2"/></w:rPr>' +
  '<w:br w:type="page"/></w:r></w:p>';

/** Word wants a paragraph after a table that ends the document; one point high so it never adds a page. */
const endParagraph = ox.hairline;

// ---------------------------------------------------------------------------------------------
// 附件1 景德镇市选派全市优秀专业技术人才进企业报名表

function registration(): string {
  // As on the original, the label column is narrow (three characters: 参加工/作时间, 拟在企/业开展)
  // beside the short fields and on page 2, and wider (five: 所擅长的专/业技术领域) beside the long ones.
  const [a, b, c, d, e, f] = [1100, 1450, 900, 1420, 1150, 1750];
  const photo = 1300;
  const wide = 1400;
  const page1 = table([
    {
      height: 780,
      cells: [
        label('姓名', a),
        value('name', b),
        label('性别', c),
        value('gender', d),
        label('出生年月', e),
        value('birthMonth', f),
        merged('照片', photo, true),
      ],
    },
    {
      height: 780,
      cells: [
        label('参加工\n作时间', a),
        value('workStart', b),
        label('学历', c),
        value('education', d),
        label('专业技\n术职称', e),
        value('professionalTitle', f),
        merged('', photo, false),
      ],
    },
    {
      height: 780,
      cells: [
        label('所属团队\n名称', a),
        value('teamName', b),
        label('团队入\n企人数', c),
        value('teamSize', d),
        label('联系电话', e),
        value('phone', f),
        merged('', photo, false),
      ],
    },
    { height: 780, cells: [label('现工作单位及职务', a + b), value('employerAndPosition', 'rest')] },
    {
      height: 3500,
      cells: [label('所擅长的专\n业技术领域\n（尽量详\n细）', wide), longValue('expertise', 'rest')],
    },
    { height: 4150, cells: [label('个人或团队\n简介和主要\n业绩', wide), longValue('profile', 'rest')] },
  ]);
  const page2 = table([
    { height: 6200, cells: [label('拟在企\n业开展\n的工作', a), longValue('plannedWork', 'rest')] },
    { height: 3700, cells: [label('推荐单\n位意见', a), opinion('recommendation', 'rest', 6)] },
    { height: 3700, cells: [label('审核\n意见', a), opinion('approval', 'rest', 6)] },
  ]);
  return (
    heading(1, ['景德镇市选派全市优秀专业技术人才', '进企业报名表']) +
    page1 +
    pageBreak() +
    page2 +
    endParagraph()
  );
}

// ---------------------------------------------------------------------------------------------
// 附件2 景德镇市企业对专业技术人才需求情况表

function demand(): string {
  const a = 1400; // first column: labels, and the vertical 技术人才需求 block
  const sub = 1600; // the six need labels
  const [b, c] = [2600, 2780];
  const page1 = table([
    {
      height: 700,
      cells: [
        label('单位名称', a),
        value('companyName', b),
        label('所属县（市、区）、园区', c),
        value('district', 'rest'),
      ],
    },
    {
      height: 700,
      cells: [
        label('法人代表', a),
        value('legalRepresentative', b),
        label('联系电话', c),
        value('legalRepresentativePhone', 'rest'),
      ],
    },
    {
      height: 700,
      cells: [
        label('联系人', a),
        value('contactPerson', b),
        label('联系电话', c),
        value('contactPhone', 'rest'),
      ],
    },
    {
      height: 700,
      cells: [
        label('主要产品', a),
        value('mainProducts', b),
        label('年产值', c),
        value('annualOutput', 'rest'),
      ],
    },
    {
      height: 2600,
      cells: [
        label('技术水平\n现状（含\n工艺、设\n备、人才\n团队、研\n发平台等\n情况）', a),
        longValue('techStatus', 'rest'),
      ],
    },
    {
      height: 3500,
      cells: [
        merged('技\n术\n人\n才\n需\n求', a, true),
        label('需解决的难\n题及预期效\n果（含技术难\n题、产品设\n计、项目申报\n等）', sub),
        longValue('needs.problems', 'rest'),
      ],
    },
    {
      height: 2500,
      cells: [
        merged('', a, false),
        label('研发团队及\n专业技术人\n才培养', sub),
        longValue('needs.teamTraining', 'rest'),
      ],
    },
  ]);
  const page2 = table([
    {
      height: 2200,
      cells: [
        merged('（可选其\n中一项或\n多，要尽\n可能详\n实、准确）', a, true),
        label('拟组建或需\n完善的技术\n研发平台（含\n名称及要求）', sub),
        longValue('needs.rdPlatform', 'rest'),
      ],
    },
    {
      height: 2200,
      cells: [
        merged('', a, false),
        label('希望承接转\n化的技术成\n果，如新产\n品、新技术、\n新工艺等', sub),
        longValue('needs.techTransfer', 'rest'),
      ],
    },
    {
      height: 2000,
      cells: [
        merged('', a, false),
        label('重大科技合\n作项目需求', sub),
        longValue('needs.majorCooperation', 'rest'),
      ],
    },
    {
      height: 2000,
      cells: [
        merged('', a, false),
        label('急需专业人\n才类别及层\n次要求', sub),
        longValue('needs.urgentTalent', 'rest'),
      ],
    },
    { height: 2600, cells: [label('推荐单位\n意见', a), opinion('recommendation', 'rest', 3)] },
    { height: 2600, cells: [label('审核\n意见', a), opinion('approval', 'rest', 3)] },
  ]);
  return heading(2, ['景德镇市企业对专业技术人才需求情况表']) + page1 + pageBreak() + page2 + endParagraph();
}

// ---------------------------------------------------------------------------------------------
// 附件3 产业发展重大技术难题征集表

function problem(): string {
  const a = 1400;
  const description: Cell = {
    width: 'rest',
    vAlign: 'top',
    body:
      para(
        text(
          '产业发展重大技术难题简要描述：主要包括发展现状、技术难题、经济技术指标、\n需要解决的问题及难题攻关的预期效果。',
        ),
        {
          after: 120,
        },
      ) + para(tag('description')),
  };
  const rows = table([
    { height: 760, cells: [label('难题名称', a), value('title', 'rest')] },
    {
      height: 760,
      cells: [
        label('所属产业', a),
        value('industry', 1900),
        label('联系人', 1000),
        value('contactPerson', 1450),
        label('联系电话', 1200),
        value('contactPhone', 'rest'),
      ],
    },
    { height: 760, cells: [label('通讯地址', a), value('address', 'rest')] },
    { height: 8400, cells: [description] },
  ]);
  const note = para(
    text(
      '注：重大技术难题指能够突破产业或行业发展技术瓶颈、显著提升产业竞争力、\n能够取得自主知识产权的关键技术。',
    ),
    { before: 120 },
  );
  return heading(3, ['产业发展重大技术难题征集表']) + rows + note;
}

// ---------------------------------------------------------------------------------------------
// The package: the smallest set of parts Word, WPS and LibreOffice all open without complaint.

function docx(title: string, body: string): Buffer {
  return ox.packageDocx({
    title,
    application: 'xietong scripts/make-templates.ts',
    document: ox.documentXml(body, PAGE),
    styles: ox.stylesXml({ font: FONT.body, size: SIZE.table }, []),
    date: ZIP_DATE,
  });
}

export const TEMPLATE_BODIES: Record<FormKind, () => string> = { registration, demand, problem };

export async function makeTemplates(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [kind, body] of Object.entries(TEMPLATE_BODIES) as [FormKind, () => string][]) {
    const form = FORMS[kind];
    const path = join(outDir, form.template);
    await writeFile(path, docx(form.title, body()));
    written.push(path);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = resolve(process.argv[2] ?? join(root, 'templates'));
  for (const path of await makeTemplates(outDir)) process.stdout.write(`wrote ${path}\n`);
}
