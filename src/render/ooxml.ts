// WordprocessingML building blocks for the scripts that author templates/*.docx (the attachment
// forms, the score sheet, the agreement, the certificate). Templates are written once by a script
// and then edited by people in Word, so these helpers favour plain, predictable XML: every
// docxtemplater tag alone in one run (Word never splits it), explicit widths in twips, and only
// the package parts Word, WPS and LibreOffice all open without complaint.
//
// Elements are written in the order the schema requires (Word refuses some misordered parts that
// LibreOffice accepts), and nothing depends on the clock, so a regenerated template is
// byte-identical when nothing changed.
// Over 400 lines because it is a library of small, independent building blocks (paragraphs,
// runs, tables, borders) used by every template script.
import PizZip from 'pizzip';

// ---- units ---------------------------------------------------------------------------------------

export const TWIPS_PER_MM = 1440 / 25.4;
/** Millimetres to twips (1/20 pt). */
export const mm = (v: number): number => Math.round(v * TWIPS_PER_MM);
/** Points to twips. */
export const pt = (v: number): number => Math.round(v * 20);

export const A4 = { width: 11906, height: 16838 } as const;

/** Font sizes of Chinese typesetting (字号) in half-points, as w:sz wants them. */
export const ZIHAO = {
  '2': 44, // 二号 22 pt
  small2: 36, // 小二 18 pt
  '3': 32, // 三号 16 pt
  small3: 30, // 小三 15 pt
  '4': 28, // 四号 14 pt
  small4: 24, // 小四 12 pt
  '5': 21, // 五号 10.5 pt
  small5: 18, // 小五 9 pt
} as const;

// ---- text ----------------------------------------------------------------------------------------

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface RunStyle {
  font?: string;
  bold?: boolean;
  color?: string;
  /** Character spacing in twentieths of a point. */
  spacing?: number;
  /** Size in half-points. */
  size?: number;
  underline?: boolean;
}

const fontsXml = (name: string) =>
  `<w:rFonts w:ascii="${name}" w:eastAsia="${name}" w:hAnsi="${name}" w:cs="${name}" w:hint="eastAsia"/>`;

/** Run properties in schema order; empty string when there is nothing to say. */
export function rPr(style: RunStyle = {}): string {
  const parts = [
    style.font ? fontsXml(style.font) : '',
    style.bold ? '<w:b/><w:bCs/>' : '',
    style.color ? `<w:color w:val="${style.color}"/>` : '',
    style.spacing !== undefined ? `<w:spacing w:val="${style.spacing}"/>` : '',
    style.size ? `<w:sz w:val="${style.size}"/><w:szCs w:val="${style.size}"/>` : '',
    style.underline ? '<w:u w:val="single"/>' : '',
  ].join('');
  return parts ? `<w:rPr>${parts}</w:rPr>` : '';
}

/** Text runs; `\n` becomes a line break inside the paragraph. */
export function text(s: string, style: RunStyle = {}): string {
  const props = rPr(style);
  return s
    .split('\n')
    .map((line) => `<w:r>${props}<w:t xml:space="preserve">${esc(line)}</w:t></w:r>`)
    .join(`<w:r>${props}<w:br/></w:r>`);
}

/** A docxtemplater tag (`name`, `#loop`, `/loop`, `^inverted`) alone in its run. */
export function tag(name: string, style: RunStyle = {}): string {
  return `<w:r>${rPr(style)}<w:t xml:space="preserve">{${name}}</w:t></w:r>`;
}

export const tab = (style: RunStyle = {}): string => `<w:r>${rPr(style)}<w:tab/></w:r>`;

// ---- paragraphs ----------------------------------------------------------------------------------

export interface Spacing {
  before?: number;
  after?: number;
  /** Line height in twips; with rule 'auto' in 240ths of a line. */
  line?: number;
  rule?: 'auto' | 'exact' | 'atLeast';
}

export interface Indent {
  left?: number;
  right?: number;
  firstLine?: number;
  /** First-line indent in hundredths of a character (Word); written beside firstLine. */
  firstLineChars?: number;
  hanging?: number;
}

export interface ParaProps {
  style?: string;
  keepNext?: boolean;
  keepLines?: boolean;
  pageBreakBefore?: boolean;
  /** Raw <w:tabs> element. */
  tabs?: string;
  spacing?: Spacing;
  ind?: Indent;
  align?: 'left' | 'center' | 'right' | 'both' | 'distribute';
  outline?: number;
  /** Paragraph mark properties (the size of an empty paragraph's line). */
  mark?: RunStyle;
}

function spacingXml({ before = 0, after = 0, line = 240, rule = 'auto' }: Spacing): string {
  return `<w:spacing w:before="${before}" w:after="${after}" w:line="${line}" w:lineRule="${rule}"/>`;
}

function indXml(ind: Indent): string {
  const attrs = [
    ind.left !== undefined ? ` w:left="${ind.left}"` : '',
    ind.right !== undefined ? ` w:right="${ind.right}"` : '',
    // LibreOffice ignores w:firstLineChars alone: always write w:firstLine too.
    ind.firstLineChars !== undefined ? ` w:firstLineChars="${ind.firstLineChars}"` : '',
    ind.firstLine !== undefined ? ` w:firstLine="${ind.firstLine}"` : '',
    ind.hanging !== undefined ? ` w:hanging="${ind.hanging}"` : '',
  ].join('');
  return attrs ? `<w:ind${attrs}/>` : '';
}

/** Paragraph properties in schema order. */
export function pPr(p: ParaProps): string {
  return (
    '<w:pPr>' +
    (p.style ? `<w:pStyle w:val="${p.style}"/>` : '') +
    (p.keepNext ? '<w:keepNext/>' : '') +
    (p.keepLines ? '<w:keepLines/>' : '') +
    (p.pageBreakBefore ? '<w:pageBreakBefore/>' : '') +
    (p.tabs ?? '') +
    (p.spacing ? spacingXml(p.spacing) : '') +
    (p.ind ? indXml(p.ind) : '') +
    (p.align ? `<w:jc w:val="${p.align}"/>` : '') +
    (p.outline !== undefined ? `<w:outlineLvl w:val="${p.outline}"/>` : '') +
    (p.mark ? rPr(p.mark) : '') +
    '</w:pPr>'
  );
}

export const para = (content: string, props: ParaProps = {}): string => `<w:p>${pPr(props)}${content}</w:p>`;

/** A paragraph holding only a loop or condition tag: docxtemplater's paragraphLoop removes it. */
export const tagPara = (name: string, props: ParaProps = {}): string => para(tag(name), props);

/** A right tab stop at `pos` twips (e.g. the text width, for «left … right» lines). */
export const rightTab = (pos: number): string => `<w:tabs><w:tab w:val="right" w:pos="${pos}"/></w:tabs>`;

// ---- tables --------------------------------------------------------------------------------------

export interface Cell {
  /** Width in twips, or 'rest' for what the row leaves over. */
  width: number | 'rest';
  /** Paragraphs (a cell must hold at least one). */
  body: string;
  vAlign?: 'top' | 'center' | 'bottom';
  /** Vertical merge: 'restart' opens a merged cell, 'continue' extends the one above. */
  vMerge?: 'restart' | 'continue';
  /** Raw <w:tcBorders> content, e.g. to hide one side. */
  borders?: string;
  /** Background fill, hex RGB. */
  fill?: string;
}

export interface Row {
  /** Height in twips; a minimum unless `exact`. */
  height: number;
  exact?: boolean;
  cells: Cell[];
  /** Keep the row on one page. */
  cantSplit?: boolean;
  /** Repeat the row at the top of each page (header rows only, at the table's top). */
  header?: boolean;
}

export interface TableOptions {
  /** Total width in twips; every row must add up to it. */
  width: number;
  /** Raw <w:tblBorders> content; default: single 0.75 pt rules everywhere. */
  borders?: string;
  /** Left and right cell margins in twips (top and bottom are zero). */
  cellMargin?: number;
}

const rule = (side: string, sz = 6) =>
  `<w:${side} w:val="single" w:sz="${sz}" w:space="0" w:color="000000"/>`;
const noRule = (side: string) => `<w:${side} w:val="nil"/>`;

/** Single rules around and between all cells; `sz` in eighths of a point. */
export const allBorders = (sz = 6): string =>
  ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((s) => rule(s, sz)).join('');

export const noBorders = (): string =>
  ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(noRule).join('');

/**
 * A fixed-layout table. Each row lists its cells with widths; the grid is the union of all column
 * edges, so rows may be as irregular as on paper forms and the spans are computed.
 */
export function table(rows: Row[], options: TableOptions): string {
  const { width, borders = allBorders(), cellMargin = 57 } = options;
  const resolved = rows.map((row) => {
    const fixed = row.cells.reduce((sum, c) => sum + (c.width === 'rest' ? 0 : c.width), 0);
    const widths = row.cells.map((c) => (c.width === 'rest' ? width - fixed : c.width));
    const total = widths.reduce((a, b) => a + b, 0);
    if (total !== width || widths.some((w) => w <= 0)) {
      throw new Error(`row widths ${widths.join('+')} = ${total}, expected ${width}`);
    }
    return { row, widths };
  });
  const edges = new Set<number>([0]);
  for (const { widths } of resolved) {
    let x = 0;
    for (const w of widths) {
      x += w;
      edges.add(x);
    }
  }
  const sorted = [...edges].sort((a, b) => a - b);
  const grid = sorted.slice(1).map((x, i) => x - (sorted[i] as number));

  const trs = resolved.map(({ row, widths }) => {
    let x = 0;
    const tcs = row.cells.map((cell, i) => {
      const w = widths[i] as number;
      const span = sorted.filter((e) => e > x && e <= x + w).length;
      x += w;
      return (
        `<w:tc><w:tcPr><w:tcW w:w="${w}" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}` +
        `${cell.vMerge ? `<w:vMerge w:val="${cell.vMerge}"/>` : ''}` +
        `${cell.borders ? `<w:tcBorders>${cell.borders}</w:tcBorders>` : ''}` +
        `${cell.fill ? `<w:shd w:val="clear" w:color="auto" w:fill="${cell.fill}"/>` : ''}` +
        `<w:vAlign w:val="${cell.vAlign ?? 'center'}"/></w:tcPr>` +
        `${cell.body}</w:tc>`
      );
    });
    const trPr =
      (row.cantSplit ? '<w:cantSplit/>' : '') +
      `<w:trHeight w:val="${row.height}" w:hRule="${row.exact ? 'exact' : 'atLeast'}"/>` +
      (row.header ? '<w:tblHeader/>' : '');
    return `<w:tr><w:trPr>${trPr}</w:trPr>${tcs.join('')}</w:tr>`;
  });

  return (
    '<w:tbl><w:tblPr>' +
    `<w:tblW w:w="${width}" w:type="dxa"/><w:jc w:val="center"/>` +
    `<w:tblBorders>${borders}</w:tblBorders><w:tblLayout w:type="fixed"/>` +
    `<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="${cellMargin}" w:type="dxa"/>` +
    `<w:bottom w:w="0" w:type="dxa"/><w:right w:w="${cellMargin}" w:type="dxa"/></w:tblCellMar>` +
    '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0"/>' +
    `</w:tblPr><w:tblGrid>${grid.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>` +
    `${trs.join('')}</w:tbl>`
  );
}

/** A paragraph one point high: Word wants one after a table that ends a document or a cell. */
export const hairline = (): string =>
  '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>' +
  '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>';

// ---- styles --------------------------------------------------------------------------------------

export interface StyleDef {
  id: string;
  /** The name Word shows in its style gallery. */
  name: string;
  basedOn?: string;
  next?: string;
  pPr?: ParaProps;
  rPr?: RunStyle;
}

function styleXml(s: StyleDef): string {
  const { style: _ignored, ...paraProps } = s.pPr ?? {};
  const p = s.pPr ? pPr(paraProps) : '';
  return (
    `<w:style w:type="paragraph" w:customStyle="1" w:styleId="${s.id}"><w:name w:val="${s.name}"/>` +
    `${s.basedOn ? `<w:basedOn w:val="${s.basedOn}"/>` : ''}${s.next ? `<w:next w:val="${s.next}"/>` : ''}<w:qFormat/>` +
    `${p === '<w:pPr></w:pPr>' ? '' : p}${s.rPr ? rPr(s.rPr) : ''}</w:style>`
  );
}

export interface DocDefaults {
  font: string;
  /** Half-points. */
  size: number;
  /** Default paragraph spacing; single line when omitted. */
  spacing?: Spacing;
  align?: ParaProps['align'];
}

// Widow control off: Chinese documents fill every line of a page.
const NO_WIDOW_CONTROL = '<w:widowControl w:val="0"/>';

export function stylesXml(defaults: DocDefaults, styles: StyleDef[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ${NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="${defaults.font}" w:eastAsia="${defaults.font}" w:hAnsi="${defaults.font}" w:cs="${defaults.font}"/><w:kern w:val="2"/><w:sz w:val="${defaults.size}"/><w:szCs w:val="${defaults.size}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>${NO_WIDOW_CONTROL}${spacingXml(defaults.spacing ?? {})}<w:jc w:val="${defaults.align ?? 'both'}"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>${styles.map(styleXml).join('')}</w:styles>`;
}

// ---- the package ---------------------------------------------------------------------------------

export const NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export interface PageSetup {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
  header?: number;
  footer?: number;
}

export function documentXml(body: string, page: PageSetup, footer = false): string {
  const sect =
    '<w:sectPr>' +
    (footer ? '<w:footerReference w:type="default" r:id="rIdFooter"/>' : '') +
    `<w:pgSz w:w="${page.width}" w:h="${page.height}"/>` +
    `<w:pgMar w:top="${page.top}" w:right="${page.right}" w:bottom="${page.bottom}" w:left="${page.left}" ` +
    `w:header="${page.header ?? 851}" w:footer="${page.footer ?? 992}" w:gutter="0"/><w:cols w:space="425"/></w:sectPr>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NS}><w:body>${body}${sect}</w:body></w:document>`;
}

/** A footer with the page number centred as «— N —» (GB/T 9704 style), in `style`. */
export function pageNumberFooterXml(style: RunStyle): string {
  const r = rPr(style);
  const field =
    `<w:r>${r}<w:fldChar w:fldCharType="begin"/></w:r><w:r>${r}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
    `<w:r>${r}<w:fldChar w:fldCharType="separate"/></w:r><w:r>${r}<w:t>1</w:t></w:r><w:r>${r}<w:fldChar w:fldCharType="end"/></w:r>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr ${NS}>${para(`${text('— ', style)}${field}${text(' —', style)}`, { align: 'center' })}</w:ftr>`;
}

const SETTINGS_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings ${NS}><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`;

/** Font table entries: Word substitutes `alt` where the named face (e.g. 方正小标宋简体) is not installed. */
export function fontTableXml(fonts: { name: string; alt: string; family: 'roman' | 'modern' }[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts
    .map(
      (f) =>
        `<w:font w:name="${f.name}"><w:altName w:val="${f.alt}"/><w:charset w:val="86"/><w:family w:val="${f.family}"/><w:pitch w:val="variable"/></w:font>`,
    )
    .join('')}</w:fonts>`;
}

export interface DocxPackage {
  title: string;
  /** Written into docProps/app.xml: which script authored the template. */
  application: string;
  document: string;
  styles: string;
  settings?: string;
  /** Word/fontTable.xml, when given. */
  fontTable?: string;
  /** Word/footer1.xml (referenced as rIdFooter), when given. */
  footer?: string;
  /** Zip entry and docProps dates; fixed so the bytes depend only on the content. */
  date?: Date;
}

const RELS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const WML_CT = 'application/vnd.openxmlformats-officedocument.wordprocessingml';

/** The smallest .docx package Word, WPS and LibreOffice all open without complaint. */
export function packageDocx(pkg: DocxPackage): Buffer {
  const date = pkg.date ?? new Date('2020-05-01T00:00:00Z');
  const extraTypes =
    (pkg.fontTable
      ? `<Override PartName="/word/fontTable.xml" ContentType="${WML_CT}.fontTable+xml"/>`
      : '') +
    (pkg.footer ? `<Override PartName="/word/footer1.xml" ContentType="${WML_CT}.footer+xml"/>` : '');
  const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${WML_CT}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="${WML_CT}.styles+xml"/><Override PartName="/word/settings.xml" ContentType="${WML_CT}.settings+xml"/>${extraTypes}<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
  const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS_NS}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${RELS_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
  const extraRels =
    (pkg.fontTable
      ? `<Relationship Id="rIdFonts" Type="${RELS_NS}/fontTable" Target="fontTable.xml"/>`
      : '') +
    (pkg.footer ? `<Relationship Id="rIdFooter" Type="${RELS_NS}/footer" Target="footer1.xml"/>` : '');
  const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS_NS}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${RELS_NS}/settings" Target="settings.xml"/>${extraRels}</Relationships>`;
  const core = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${esc(pkg.title)}</dc:title><dc:creator>xietong</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${date.toISOString().replace(/\.\d{3}Z$/, 'Z')}</dcterms:created></cp:coreProperties>`;
  const app = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${esc(pkg.application)}</Application></Properties>`;

  const zip = new PizZip();
  const parts: [string, string | undefined][] = [
    ['[Content_Types].xml', contentTypes],
    ['_rels/.rels', rootRels],
    ['docProps/core.xml', core],
    ['docProps/app.xml', app],
    ['word/_rels/document.xml.rels', documentRels],
    ['word/document.xml', pkg.document],
    ['word/styles.xml', pkg.styles],
    ['word/settings.xml', pkg.settings ?? SETTINGS_XML],
    ['word/fontTable.xml', pkg.fontTable],
    ['word/footer1.xml', pkg.footer],
  ];
  for (const [name, content] of parts) if (content !== undefined) zip.file(name, content, { date });
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}
