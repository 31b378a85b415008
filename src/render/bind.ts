// Binds attachments into a rendered official document (GB/T 9704-2012 §7.5: 附件另面编排，在版记之前，与
// 正文一起装订，页码连续): each attachment's body follows the document's body as a section of its own,
// starting on a new page and keeping its own page size and margins; the 版记 moves behind the last
// attachment into a final section that starts on an even page (封四). Every section uses the
// document's footers, so «— N —» runs on across body and attachments.
//
// Both sides are .docx rendered from their own templates (which stay what people edit in Word); only
// the result is merged. An attachment's styles come along renamed (its «Normal» is not the notice's),
// its defaults folded into its renamed default style so its text keeps its own face, size and spacing.
import { DOMParser, type Document, type Element, type Node, XMLSerializer } from '@xmldom/xmldom';
import PizZip from 'pizzip';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface Attachment {
  /** 1, 2, 3 … as the 附件说明 numbers it. */
  number: number;
  /** The attachment as a rendered .docx. */
  docx: Buffer;
}

const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (doc: Document): string => new XMLSerializer().serializeToString(doc);

const children = (el: Element | Node, local?: string): Element[] => {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (local === undefined || (n as Element).localName === local))
      out.push(n as Element);
  }
  return out;
};
const child = (el: Element, local: string): Element | undefined => children(el, local)[0];
const descendants = (el: Element | Document, local: string): Element[] =>
  Array.from(el.getElementsByTagNameNS(W, local));

/** The plain text of a paragraph. */
const textOf = (p: Element): string =>
  descendants(p, 't')
    .map((t) => t.textContent ?? '')
    .join('');

// CT_PPr's and CT_RPr's children must come in the schema's order (Word refuses a file otherwise).
const PPR_ORDER = (
  'pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr ' +
  'shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN ' +
  'bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc ' +
  'textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange'
).split(' ');
const RPR_ORDER = (
  'rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof ' +
  'snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd ' +
  'fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath'
).split(' ');

/** Puts `el` into `parent` at its place in the schema order, replacing one of the same name. */
function place(parent: Element, el: Element, order: readonly string[]): void {
  const name = el.localName ?? '';
  const existing = child(parent, name);
  if (existing) {
    parent.replaceChild(el, existing);
    return;
  }
  const rank = order.indexOf(name);
  const after = children(parent).find((c) => order.indexOf(c.localName ?? '') > rank);
  parent.insertBefore(el, after ?? null);
}

/** The pPr of a paragraph, created when missing. */
function pPrOf(doc: Document, p: Element): Element {
  const existing = child(p, 'pPr');
  if (existing) return existing;
  const pPr = doc.createElementNS(W, 'w:pPr');
  p.insertBefore(pPr, p.firstChild);
  return pPr;
}

/** One element from its XML text, in the w: namespace. */
const fragment = (xml: string): Element =>
  children(parse(`<w:x xmlns:w="${W}">${xml}</w:x>`).documentElement as Element)[0] as Element;

const el = (doc: Document, name: string, attrs: Record<string, string> = {}): Element => {
  const e = doc.createElementNS(W, `w:${name}`);
  for (const [k, v] of Object.entries(attrs)) e.setAttributeNS(W, `w:${k}`, v);
  return e;
};

// The notice's defaults that an attachment's own defaults may not mention: undone in its default style.
const NEUTRAL_RPR = ['<w:spacing w:val="0"/>', '<w:kern w:val="0"/>'];
const NEUTRAL_PPR = [
  '<w:overflowPunct w:val="0"/>',
  '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
];

interface AttachmentStyles {
  /** Style elements to add to the bound document, ids prefixed. */
  styles: Element[];
  paragraphDefault: string;
  tableDefault: string | undefined;
  rename: (id: string) => string;
}

/**
 * The attachment's styles under new ids (`A1-Normal` …); its document defaults go into its default
 * paragraph style, so its paragraphs read as they did in their own file.
 */
function attachmentStyles(stylesXml: string, prefix: string, target: Document): AttachmentStyles {
  const src = parse(stylesXml);
  const root = src.documentElement;
  if (!root) throw new Error('attachment styles.xml has no root');
  // The default character and numbering styles stay the document's own: references to them keep their ids.
  const shared = new Set(
    children(root, 'style')
      .filter((s) => s.getAttributeNS(W, 'default') === '1')
      .filter((s) => ['character', 'numbering'].includes(s.getAttributeNS(W, 'type') ?? ''))
      .map((s) => s.getAttributeNS(W, 'styleId') ?? ''),
  );
  const rename = (id: string) => (shared.has(id) ? id : `${prefix}${id}`);
  const defaults = child(root, 'docDefaults');
  const defaultRPr = defaults ? child(child(defaults, 'rPrDefault') ?? defaults, 'rPr') : undefined;
  const defaultPPr = defaults ? child(child(defaults, 'pPrDefault') ?? defaults, 'pPr') : undefined;
  let paragraphDefault = '';
  let tableDefault: string | undefined;
  const styles: Element[] = [];
  for (const style of children(root, 'style')) {
    const type = style.getAttributeNS(W, 'type');
    const id = style.getAttributeNS(W, 'styleId') ?? '';
    if (shared.has(id)) continue;
    const copy = target.importNode(style, true) as Element;
    copy.setAttributeNS(W, 'w:styleId', rename(id));
    copy.removeAttributeNS(W, 'default');
    const name = child(copy, 'name');
    if (name) name.setAttributeNS(W, 'w:val', `${prefix}${name.getAttributeNS(W, 'val') ?? id}`);
    for (const ref of ['basedOn', 'next', 'link']) {
      const r = child(copy, ref);
      if (r) r.setAttributeNS(W, 'w:val', rename(r.getAttributeNS(W, 'val') ?? ''));
    }
    if (style.getAttributeNS(W, 'default') === '1') {
      if (type === 'paragraph') {
        paragraphDefault = rename(id);
        foldDefaults(target, copy, 'pPr', defaultPPr, NEUTRAL_PPR, PPR_ORDER);
        foldDefaults(target, copy, 'rPr', defaultRPr, NEUTRAL_RPR, RPR_ORDER);
      } else if (type === 'table') tableDefault = rename(id);
    }
    styles.push(copy);
  }
  if (!paragraphDefault) {
    const made = parse(
      `<w:style xmlns:w="${W}" w:type="paragraph" w:customStyle="1" w:styleId="${rename('Normal')}"><w:name w:val="${rename('Normal')}"/></w:style>`,
    ).documentElement as Element;
    const copy = target.importNode(made, true) as Element;
    foldDefaults(target, copy, 'pPr', defaultPPr, NEUTRAL_PPR, PPR_ORDER);
    foldDefaults(target, copy, 'rPr', defaultRPr, NEUTRAL_RPR, RPR_ORDER);
    styles.push(copy);
    paragraphDefault = rename('Normal');
  }
  return { styles, paragraphDefault, tableDefault, rename };
}

/** Style's own properties win; then the attachment's defaults; then neutral values for the rest. */
function foldDefaults(
  doc: Document,
  style: Element,
  part: 'pPr' | 'rPr',
  defaults: Element | undefined,
  neutral: string[],
  order: readonly string[],
): void {
  let props = child(style, part);
  if (!props) {
    props = el(doc, part);
    // pPr before rPr, both after the style's header elements.
    const before = part === 'pPr' ? (child(style, 'rPr') ?? child(style, 'tblPr')) : child(style, 'tblPr');
    style.insertBefore(props, before ?? null);
  }
  const take = (e: Element) => {
    if (!child(props as Element, e.localName ?? ''))
      place(props as Element, doc.importNode(e, true) as Element, order);
  };
  if (defaults) for (const e of children(defaults)) take(e);
  for (const xml of neutral) take(fragment(xml));
}

/** Gives a section the footers (and headers) of `from`, and page numbers that run on. */
function withFooters(doc: Document, sectPr: Element, from: Element): Element {
  for (const old of [...children(sectPr, 'headerReference'), ...children(sectPr, 'footerReference')]) {
    sectPr.removeChild(old);
  }
  const refs = [...children(from, 'headerReference'), ...children(from, 'footerReference')].reverse();
  for (const ref of refs) sectPr.insertBefore(doc.importNode(ref, true), sectPr.firstChild);
  // Numbering runs on: an attachment never restarts at 1.
  for (const numbering of children(sectPr, 'pgNumType')) numbering.removeAttributeNS(W, 'start');
  return sectPr;
}

function setSectionType(doc: Document, sectPr: Element, type: 'nextPage' | 'evenPage'): void {
  for (const t of children(sectPr, 'type')) sectPr.removeChild(t);
  // w:type comes after the header/footer references and w:footnotePr/w:endnotePr.
  const after = children(sectPr).find(
    (c) => !['headerReference', 'footerReference', 'footnotePr', 'endnotePr'].includes(c.localName ?? ''),
  );
  sectPr.insertBefore(el(doc, 'type', { val: type }), after ?? null);
}

/** Ends a section with the last paragraph of `body` (a tiny paragraph after a closing table). */
function endSectionAt(doc: Document, body: Element, last: Element | undefined, sectPr: Element): void {
  let p = last;
  if (p?.localName !== 'p') {
    p = el(doc, 'p');
    const pPr = el(doc, 'pPr');
    pPr.appendChild(el(doc, 'spacing', { before: '0', after: '0', line: '20', lineRule: 'exact' }));
    p.appendChild(pPr);
    body.appendChild(p);
  }
  place(pPrOf(doc, p), sectPr, PPR_ORDER);
}

const LABEL = /^附件\s*\d*$/;

/**
 * How the 版记's page is reached. `even`: a section that starts on an even page (Word and WPS insert
 * the blank page themselves; LibreOffice 7.4 does too but sets the bottom-anchored 版记 3 mm low on
 * such a page). `next`: the page after the last attachment. `afterBlank`: one blank page, without a
 * page number (GB/T 9704 7.5: 版记页前有空白页的，空白页……可不编排页码), then the 版记's page — what
 * the PDF is made from once its page count is known.
 */
export type RecordPage = 'even' | 'next' | 'afterBlank';

const BLANK_FOOTER_ID = 'rIdFooterBlank';
const BLANK_FOOTER_PART = 'word/footerBlank.xml';

/**
 * The notice with its attachments bound after the body. `noticeDocx` is the rendered notice; the
 * 版记, if any, is the paragraph holding its text box (found by the text box's name «版记»).
 */
export function bindAttachments(
  noticeDocx: Buffer,
  attachments: readonly Attachment[],
  recordPage: RecordPage = 'even',
): Buffer {
  if (attachments.length === 0) return noticeDocx;
  const zip = new PizZip(noticeDocx);
  const doc = parse(zip.file('word/document.xml')?.asText() ?? '');
  const stylesDoc = parse(zip.file('word/styles.xml')?.asText() ?? '');
  const body = descendants(doc, 'body')[0];
  const stylesRoot = stylesDoc.documentElement;
  if (!body || !stylesRoot) throw new Error('the notice .docx has no body or no styles');
  const finalSect = children(body, 'sectPr').at(-1);
  if (!finalSect) throw new Error('the notice .docx has no section properties');

  // The 版记 leaves the body's end; the body's section closes with its last paragraph.
  const record = children(body, 'p').find((p) =>
    Array.from(p.getElementsByTagName('wp:docPr')).some((d) => d.getAttribute('name') === '版记'),
  );
  if (record) body.removeChild(record);
  body.removeChild(finalSect);
  const noticeSect = finalSect.cloneNode(true) as Element;
  setSectionType(doc, noticeSect, 'nextPage');
  endSectionAt(doc, body, children(body).at(-1), noticeSect);

  const fonts = new Set<string>();
  attachments.forEach((attachment, i) => {
    const part = new PizZip(attachment.docx);
    const prefix = `A${i + 1}-`;
    const styles = attachmentStyles(
      part.file('word/styles.xml')?.asText() ?? `<w:styles xmlns:w="${W}"/>`,
      prefix,
      stylesDoc,
    );
    for (const s of styles.styles) stylesRoot.appendChild(s);
    const src = parse(part.file('word/document.xml')?.asText() ?? '');
    const srcBody = descendants(src, 'body')[0];
    if (!srcBody) throw new Error(`attachment ${attachment.number} has no body`);
    for (const f of descendants(src, 'rFonts')) {
      for (const a of ['ascii', 'eastAsia', 'hAnsi']) {
        const v = f.getAttributeNS(W, a);
        if (v) fonts.add(v);
      }
    }
    // Styles by their new names; paragraphs and tables without a style take the attachment's defaults.
    for (const ref of [
      ...descendants(src, 'pStyle'),
      ...descendants(src, 'rStyle'),
      ...descendants(src, 'tblStyle'),
    ]) {
      ref.setAttributeNS(W, 'w:val', styles.rename(ref.getAttributeNS(W, 'val') ?? ''));
    }
    for (const p of descendants(src, 'p')) {
      if (p.parentNode && (p.parentNode as Element).localName === 'txbxContent') continue;
      const pPr = pPrOf(src, p);
      if (!child(pPr, 'pStyle')) place(pPr, el(src, 'pStyle', { val: styles.paragraphDefault }), PPR_ORDER);
    }
    if (styles.tableDefault) {
      for (const tblPr of descendants(src, 'tblPr')) {
        if (!child(tblPr, 'tblStyle'))
          tblPr.insertBefore(el(src, 'tblStyle', { val: styles.tableDefault }), tblPr.firstChild);
      }
    }
    // The 附件 label says the number the 附件说明 gives it.
    const label = descendants(src, 'p').find((p) => LABEL.test(textOf(p).trim()));
    if (label) {
      const ts = descendants(label, 't');
      ts.forEach((t, k) => {
        t.textContent = k === 0 ? `附件${attachment.number}` : '';
      });
    }
    const srcSect = children(srcBody, 'sectPr').at(-1);
    const content = children(srcBody).filter((c) => c !== srcSect);
    for (const c of content) body.appendChild(doc.importNode(c, true));
    // Sections inside the attachment keep their layout and take the notice's footers.
    for (const inner of descendants(doc, 'sectPr')) {
      if (inner !== noticeSect && inner.parentNode && (inner.parentNode as Element).localName === 'pPr') {
        withFooters(doc, inner, noticeSect);
      }
    }
    const sect = withFooters(
      doc,
      srcSect ? (doc.importNode(srcSect, true) as Element) : (noticeSect.cloneNode(true) as Element),
      noticeSect,
    );
    setSectionType(doc, sect, 'nextPage');
    endSectionAt(doc, body, children(body).at(-1), sect);
  });

  // The 版记 on the last page, an even one (封四): a section of its own.
  const last = finalSect;
  setSectionType(doc, last, recordPage === 'even' ? 'evenPage' : 'nextPage');
  if (recordPage === 'afterBlank') {
    const blank = withFooters(doc, finalSect.cloneNode(true) as Element, finalSect);
    for (const ref of children(blank, 'footerReference')) ref.setAttributeNS(R, 'r:id', BLANK_FOOTER_ID);
    setSectionType(doc, blank, 'nextPage');
    const p = el(doc, 'p');
    p.appendChild(el(doc, 'pPr')).appendChild(blank);
    body.appendChild(p);
    addBlankFooter(zip);
  }
  if (record) body.appendChild(record);
  else body.appendChild(el(doc, 'p'));
  body.appendChild(last);

  zip.file('word/document.xml', serialize(doc));
  zip.file('word/styles.xml', serialize(stylesDoc));
  addFonts(zip, fonts);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

/** A footer with nothing in it, for the blank page before the 版记. */
function addBlankFooter(zip: PizZip): void {
  zip.file(
    BLANK_FOOTER_PART,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="${W}"><w:p/></w:ftr>`,
  );
  const rels = zip.file('word/_rels/document.xml.rels')?.asText() ?? '';
  zip.file(
    'word/_rels/document.xml.rels',
    rels.replace(
      '</Relationships>',
      `<Relationship Id="${BLANK_FOOTER_ID}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footerBlank.xml"/></Relationships>`,
    ),
  );
  const types = zip.file('[Content_Types].xml')?.asText() ?? '';
  zip.file(
    '[Content_Types].xml',
    types.replace(
      '</Types>',
      `<Override PartName="/${BLANK_FOOTER_PART}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>`,
    ),
  );
}

/** Names the attachments' faces in the font table, so Word offers the right substitutes. */
function addFonts(zip: PizZip, fonts: Set<string>): void {
  const file = zip.file('word/fontTable.xml');
  if (!file) return;
  const table = parse(file.asText());
  const root = table.documentElement;
  if (!root) return;
  const known = new Set(children(root, 'font').map((f) => f.getAttributeNS(W, 'name')));
  for (const name of fonts) {
    if (known.has(name)) continue;
    const font = el(table, 'font', { name });
    font.appendChild(el(table, 'charset', { val: '86' }));
    root.appendChild(font);
  }
  zip.file('word/fontTable.xml', serialize(table));
}
