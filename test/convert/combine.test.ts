// Combining documents of one template for a single LibreOffice conversion, without LibreOffice:
// which .docx may be combined (and which must be converted alone), what the combined document holds,
// and how a combined PDF is cut back into one PDF per document from its named destinations.
import { DOMParser } from '@xmldom/xmldom';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { combineDocx, inspectDocx, splitCombinedPdf } from '../../src/convert/combine.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const SECT =
  '<w:sectPr><w:footerReference w:type="default" r:id="rId1"/><w:type w:val="continuous"/>' +
  '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>';
const FOOTER = `<w:ftr xmlns:w="${W}"><w:p><w:fldSimple w:instr="PAGE"/></w:p></w:ftr>`;

function docx(body: string, { sectPr = SECT, footer = FOOTER } = {}): Uint8Array {
  const zip = new PizZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0"?><w:document xmlns:w="${W}" xmlns:r="r"><w:body>${body}${sectPr}</w:body></w:document>`,
  );
  zip.file('word/footer1.xml', footer);
  return zip.generate({ type: 'uint8array' });
}

const para = (text: string): string =>
  `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;

describe('inspectDocx', () => {
  it('gives documents of one template the same key and keeps each body', () => {
    const a = inspectDocx(docx(para('甲方：景德镇某瓷业')));
    const b = inspectDocx(docx(para('甲方：另一家公司') + para('第二段')));
    expect(a?.key).toBeDefined();
    expect(a?.key).toBe(b?.key);
    expect(a?.body).toContain('景德镇某瓷业');
    expect(b?.body).toContain('第二段');
    expect(a?.sectPr).toMatch(/^<w:sectPr>.*<\/w:sectPr>$/);
  });

  it('gives a different key when anything outside the body differs', () => {
    const base = inspectDocx(docx(para('x')))?.key;
    const otherFooter = FOOTER.replace('PAGE', ' PAGE \\* Arabic ');
    expect(inspectDocx(docx(para('x'), { footer: otherFooter }))?.key).not.toBe(base);
    expect(
      inspectDocx(docx(para('x'), { sectPr: SECT.replace('1440"/></w:sectPr>', '1800"/></w:sectPr>') }))?.key,
    ).not.toBe(base);
  });

  it('refuses what would convert differently inside a combined document', () => {
    // List numbering would continue from one document into the next.
    expect(
      inspectDocx(docx('<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:p>')),
    ).toBeUndefined();
    // Page counts would count every document's pages.
    expect(inspectDocx(docx(para('x'), { footer: FOOTER.replace('PAGE', 'NUMPAGES') }))).toBeUndefined();
    expect(inspectDocx(docx(`<w:p><w:fldSimple w:instr="SECTIONPAGES"/></w:p>`))).toBeUndefined();
    // A document of several sections, and odd/even headers (blank pages between documents).
    expect(inspectDocx(docx(`<w:p><w:pPr>${SECT}</w:pPr></w:p>${para('x')}`))).toBeUndefined();
    expect(inspectDocx(docx(para('x'), { footer: `${FOOTER}<w:evenAndOddHeaders/>` }))).toBeUndefined();
    // Not a .docx at all: the converter reports it when converting it alone.
    expect(inspectDocx(new TextEncoder().encode('not a zip'))).toBeUndefined();
  });
});

describe('combineDocx', () => {
  it('makes each document a section numbered from 1 and marks where each begins', () => {
    const parts = ['一', '二', '三'].map(
      (t) => inspectDocx(docx(para(t))) as NonNullable<ReturnType<typeof inspectDocx>>,
    );
    const combined = new PizZip(combineDocx(docx(para('模板')), parts));
    const xml = combined.file('word/document.xml')?.asText() ?? '';
    const dom = new DOMParser().parseFromString(xml, 'text/xml');
    expect(dom.getElementsByTagName('parsererror')).toHaveLength(0);
    const sections = dom.getElementsByTagNameNS(W, 'sectPr');
    expect(sections).toHaveLength(3);
    for (let i = 0; i < sections.length; i++) {
      const section = sections.item(i);
      expect(section?.getElementsByTagNameNS(W, 'pgNumType').item(0)?.getAttribute('w:start')).toBe('1');
      // A continuous section would run documents together on one page.
      expect(section?.getElementsByTagNameNS(W, 'type')).toHaveLength(0);
    }
    const marks = Array.from({ length: 3 }, (_, i) => xml.indexOf(`w:name="xietongpart${i}"`));
    expect(marks.every((at) => at > 0)).toBe(true);
    expect(marks).toEqual([...marks].sort((a, b) => a - b));
    // The template's own body is replaced, each part's text kept in order.
    expect(xml).not.toContain('模板');
    expect(xml.indexOf('一')).toBeLessThan(xml.indexOf('二'));
    expect(xml.indexOf('二')).toBeLessThan(xml.indexOf('三'));
    // Everything but the body is the template's.
    expect(combined.file('word/footer1.xml')?.asText()).toBe(FOOTER);
  });
});

/** A PDF like LibreOffice writes for a combined document: pages, named destinations, an outline. */
async function combinedPdf(starts: Record<string, number>, pages = 5): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('三方协议');
  pdf.setAuthor('xietong');
  for (let i = 0; i < pages; i++) pdf.addPage([595 + i, 842]); // widths tell the pages apart
  const refs = pdf.getPages().map((p) => p.ref);
  const dests = pdf.context.obj({}) as PDFDict;
  for (const [name, page] of Object.entries(starts)) {
    dests.set(PDFName.of(name), pdf.context.obj([refs[page], 'XYZ', 0, 842, 0]));
  }
  pdf.catalog.set(PDFName.of('Dests'), pdf.context.register(dests));
  // One outline entry per page: 第1页 … (headings LibreOffice exports)
  const root = pdf.context.nextRef();
  const items = refs.map(() => pdf.context.nextRef());
  items.forEach((ref, i) => {
    const item = pdf.context.obj({
      Title: PDFString.of(`heading${i}`),
      Parent: root,
      Dest: pdf.context.obj([refs[i], 'Fit']),
    }) as PDFDict;
    if (i > 0) item.set(PDFName.of('Prev'), items[i - 1] as never);
    if (i < items.length - 1) item.set(PDFName.of('Next'), items[i + 1] as never);
    pdf.context.assign(ref, item);
  });
  pdf.context.assign(
    root,
    pdf.context.obj({
      Type: 'Outlines',
      First: items[0],
      Last: items[items.length - 1],
      Count: items.length,
    }),
  );
  pdf.catalog.set(PDFName.of('Outlines'), root);
  return pdf.save();
}

const outlineTitles = (pdf: PDFDocument): { title: string; page: number }[] => {
  const pages = new Map(pdf.getPages().map((p, i) => [p.ref.toString(), i]));
  const out: { title: string; page: number }[] = [];
  const root = pdf.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  for (
    let item = root?.lookupMaybe(PDFName.of('First'), PDFDict);
    item;
    item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
  ) {
    const dest = item.lookup(PDFName.of('Dest'), PDFArray);
    out.push({
      title: item.lookup(PDFName.of('Title'), PDFString).decodeText(),
      page: pages.get(dest.get(0).toString()) ?? -1,
    });
  }
  return out;
};

describe('splitCombinedPdf', () => {
  it('cuts at each document’s destination and keeps metadata and outline per part', async () => {
    const parts = await splitCombinedPdf(
      await combinedPdf({ xietongpart0: 0, xietongpart1: 2, xietongpart2: 3 }),
      3,
    );
    const docs = await Promise.all(parts.map((bytes) => PDFDocument.load(bytes)));
    expect(docs.map((d) => d.getPages().map((p) => p.getWidth()))).toEqual([[595, 596], [597], [598, 599]]);
    expect(docs.map((d) => d.getTitle())).toEqual(['三方协议', '三方协议', '三方协议']);
    expect(docs.map((d) => d.getAuthor())).toEqual(['xietong', 'xietong', 'xietong']);
    expect(docs.map(outlineTitles)).toEqual([
      [
        { title: 'heading0', page: 0 },
        { title: 'heading1', page: 1 },
      ],
      [{ title: 'heading2', page: 0 }],
      [
        { title: 'heading3', page: 0 },
        { title: 'heading4', page: 1 },
      ],
    ]);
    // The marks themselves are not carried into the parts.
    expect(docs.every((d) => d.catalog.get(PDFName.of('Dests')) === undefined)).toBe(true);
  });

  it('refuses a PDF whose marks are missing or out of order rather than cutting wrongly', async () => {
    await expect(
      splitCombinedPdf(await combinedPdf({ xietongpart0: 0, xietongpart2: 3 }), 3),
    ).rejects.toThrow(/part 2 .*not found/);
    await expect(
      splitCombinedPdf(await combinedPdf({ xietongpart0: 0, xietongpart1: 3, xietongpart2: 2 }), 3),
    ).rejects.toThrow(/does not follow/);
    await expect(
      splitCombinedPdf(await combinedPdf({ xietongpart0: 1, xietongpart1: 3 }), 2),
    ).rejects.toThrow(/does not start/);
    const plain = await PDFDocument.create();
    plain.addPage();
    await expect(splitCombinedPdf(await plain.save(), 1)).rejects.toThrow(/no named destinations/);
  });
});
