// Several .docx rendered from one template converted as ONE LibreOffice document, then split back
// into one PDF each. Measured on the agreement template (6 pages) against a warm listener: 144 ms
// per document one at a time, 44 ms per document ten at a time; loading and exporting a document
// has a large fixed cost (filters, layout set-up, font subsetting) that a combined document pays once.
//
// Combining is only done where the result cannot differ from converting alone: every part except
// word/document.xml identical (same template, same styles, headers, footers, images), one section
// per document, no field that counts pages across the document (NUMPAGES, SECTIONPAGES), no odd/even
// headers (LibreOffice would insert blank pages between documents), no list numbering (lists would
// continue from one document into the next). Each document becomes a section restarting its page
// numbers at 1; a bookmark on its first paragraph becomes a named destination in the PDF, which is
// how the combined PDF is cut back into documents.
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import PizZip from 'pizzip';

const DOCUMENT_PART = 'word/document.xml';
/** LibreOffice writes `_` in destination names as `5F`: letters and digits only. */
const MARK_PREFIX = 'xietongpart';

export interface Combinable {
  /** Documents with equal keys can be converted together. */
  key: string;
  body: string;
  /** The body's closing section properties. */
  sectPr: string;
}

/** Why a .docx must be converted alone, or its key and body when it can be combined. */
export function inspectDocx(bytes: Uint8Array): Combinable | undefined {
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch {
    return undefined; // not a zip: the converter reports it on its own
  }
  const document = zip.file(DOCUMENT_PART)?.asText();
  if (!document) return undefined;
  const body = /<w:body>([\s\S]*)(<w:sectPr\b[\s\S]*?<\/w:sectPr>)\s*<\/w:body>/.exec(document);
  if (!body) return undefined;
  const [, content, sectPr] = body as unknown as [string, string, string];
  if (/<w:sectPr\b/.test(content) || /<w:numPr\b/.test(content)) return undefined;
  const hash = createHash('sha256');
  // The document part's frame (namespaces, everything outside the body) must match too.
  hash.update(document.slice(0, body.index)).update(sectPr);
  for (const name of Object.keys(zip.files).sort()) {
    const file = zip.files[name] as PizZip.ZipObject;
    if (name === DOCUMENT_PART || file.dir) continue;
    const data = file.asUint8Array();
    if (
      name.endsWith('.xml') &&
      /NUMPAGES|SECTIONPAGES|w:evenAndOddHeaders/.test(Buffer.from(data).toString('utf8'))
    )
      return undefined;
    hash.update(name).update('\0').update(data).update('\0');
  }
  if (/NUMPAGES|SECTIONPAGES/.test(content)) return undefined;
  return { key: hash.digest('hex'), body: content, sectPr };
}

/**
 * One .docx holding every part's body as its own section, numbered from page 1, marked for
 * `splitCombinedPdf`. `template` is any one of the parts' files (they share everything else).
 */
export function combineDocx(template: Uint8Array, parts: readonly Combinable[]): Buffer {
  const zip = new PizZip(template);
  const document = (zip.file(DOCUMENT_PART) as PizZip.ZipObject).asText();
  const open = document.indexOf('<w:body>') + '<w:body>'.length;
  const close = document.lastIndexOf('</w:body>');
  const sections = parts.map((part, i) => {
    const sectPr = restartNumbering(part.sectPr);
    const body = markFirstParagraph(part.body, i);
    // A section's properties end it: inside a paragraph for all but the last.
    return i < parts.length - 1 ? `${body}<w:p><w:pPr>${sectPr}</w:pPr></w:p>` : `${body}${sectPr}`;
  });
  zip.file(DOCUMENT_PART, document.slice(0, open) + sections.join('') + document.slice(close));
  // A temporary file read once by LibreOffice: not worth compressing.
  return zip.generate({ type: 'nodebuffer', compression: 'STORE' });
}

function restartNumbering(sectPr: string): string {
  // Each document starts on a new page (the default section type) with page number 1.
  let out = sectPr.replace(/<w:type\b[^>]*\/>/, '');
  if (/<w:pgNumType\b/.test(out)) {
    out = out.replace(/<w:pgNumType\b([^>]*?)\/?>/, (_m, attrs: string) => {
      const kept = attrs.replace(/\s*w:start="[^"]*"/, '').replace(/\/$/, '');
      return `<w:pgNumType${kept} w:start="1"${_m.endsWith('/>') ? '/>' : '>'}`;
    });
  } else if (/<w:pgMar\b[^>]*\/>/.test(out)) {
    out = out.replace(/(<w:pgMar\b[^>]*\/>)/, '$1<w:pgNumType w:start="1"/>');
  } else {
    out = out.replace(/<\/w:sectPr>$/, '<w:pgNumType w:start="1"/></w:sectPr>');
  }
  return out;
}

function markFirstParagraph(body: string, index: number): string {
  const paragraph = /<w:p(?=[\s>])[^>]*?(\/?)>/.exec(body);
  const mark = `<w:bookmarkStart w:id="${900_000 + index}" w:name="${MARK_PREFIX}${index}"/><w:bookmarkEnd w:id="${900_000 + index}"/>`;
  if (!paragraph) return `<w:p>${mark}</w:p>${body}`; // a body with no paragraph: give the mark one
  const openEnd = paragraph.index + paragraph[0].length;
  if (paragraph[1] === '/') {
    // An empty self-closing paragraph: open it up so it can hold the bookmark.
    const tag = paragraph[0].slice(0, -2);
    return `${body.slice(0, paragraph.index)}${tag}>${mark}</w:p>${body.slice(openEnd)}`;
  }
  const pPr = /^<w:pPr>[\s\S]*?<\/w:pPr>/.exec(body.slice(openEnd));
  const at = openEnd + (pPr ? pPr[0].length : 0);
  return body.slice(0, at) + mark + body.slice(at);
}

/** The first page index of each part, from the named destinations of the marks. */
function partStarts(pdf: PDFDocument, count: number): number[] {
  const dests = pdf.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) throw new Error('the combined PDF has no named destinations');
  const pageIndex = new Map(pdf.getPages().map((page, i) => [page.ref.toString(), i]));
  const starts: number[] = new Array(count).fill(-1);
  for (const [name, value] of dests.entries()) {
    const match = new RegExp(`^${MARK_PREFIX}(\\d+)$`).exec(name.decodeText());
    if (!match) continue;
    const dest = value instanceof PDFRef ? pdf.context.lookup(value) : value;
    const array = dest instanceof PDFDict ? dest.lookup(PDFName.of('D')) : dest;
    const page = array instanceof PDFArray ? array.get(0) : undefined;
    const index = page instanceof PDFRef ? pageIndex.get(page.toString()) : undefined;
    const part = Number(match[1]);
    if (index !== undefined && part < count) starts[part] = index;
  }
  starts.forEach((start, i) => {
    if (start < 0) throw new Error(`part ${i + 1} of the combined PDF was not found`);
    if (i > 0 && start <= (starts[i - 1] as number))
      throw new Error(`part ${i + 1} does not follow part ${i}`);
  });
  if (starts[0] !== 0) throw new Error('the combined PDF does not start with its first part');
  return starts;
}

/** Cuts a PDF converted from `combineDocx` into one PDF per part (fonts and images shared as needed). */
export async function splitCombinedPdf(bytes: Uint8Array, count: number): Promise<Uint8Array[]> {
  const source = await PDFDocument.load(bytes, { updateMetadata: false });
  const starts = partStarts(source, count);
  const pages = source.getPageCount();
  const info = {
    title: source.getTitle(),
    author: source.getAuthor(),
    subject: source.getSubject(),
    keywords: source.getKeywords(),
    creator: source.getCreator(),
    producer: source.getProducer(),
  };
  const lang = source.catalog.get(PDFName.of('Lang'));
  const viewer = source.catalog.lookupMaybe(PDFName.of('ViewerPreferences'), PDFDict);
  const outline = readOutline(source);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const from = starts[i] as number;
    const to = i + 1 < count ? (starts[i + 1] as number) : pages;
    const part = await PDFDocument.create({ updateMetadata: false });
    const copied = await part.copyPages(
      source,
      Array.from({ length: to - from }, (_, k) => from + k),
    );
    for (const page of copied) part.addPage(page);
    // The same document information a PDF converted alone has (the parts share core.xml).
    if (info.title) part.setTitle(info.title);
    if (info.author) part.setAuthor(info.author);
    if (info.subject) part.setSubject(info.subject);
    if (info.keywords) part.setKeywords([info.keywords]);
    if (info.creator) part.setCreator(info.creator);
    if (info.producer) part.setProducer(info.producer);
    part.setCreationDate(new Date());
    if (lang) part.catalog.set(PDFName.of('Lang'), lang);
    if (viewer) part.catalog.set(PDFName.of('ViewerPreferences'), viewer.clone(part.context));
    writeOutline(
      part,
      outline.filter((item) => item.page >= from && item.page < to),
      from,
    );
    out.push(await part.save({ useObjectStreams: false }));
  }
  return out;
}

interface OutlineItem {
  title: PDFString | PDFHexString;
  page: number;
  /** The rest of the destination array after the page: /XYZ left top zoom, /Fit … */
  view: PDFArray;
  depth: number;
}

/** The outline (headings LibreOffice exports as bookmarks), flattened with depth, in order. */
function readOutline(pdf: PDFDocument): OutlineItem[] {
  const root = pdf.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  if (!root) return [];
  const pageIndex = new Map(pdf.getPages().map((page, i) => [page.ref.toString(), i]));
  const items: OutlineItem[] = [];
  const walk = (first: PDFDict | undefined, depth: number, guard: Set<PDFDict>): void => {
    for (let item = first; item && !guard.has(item); item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      guard.add(item);
      const title = item.lookup(PDFName.of('Title'));
      let dest = item.lookup(PDFName.of('Dest'));
      if (!dest) {
        const action = item.lookupMaybe(PDFName.of('A'), PDFDict);
        dest = action?.lookup(PDFName.of('D'));
      }
      const page = dest instanceof PDFArray ? dest.get(0) : undefined;
      const index = page instanceof PDFRef ? pageIndex.get(page.toString()) : undefined;
      if (
        (title instanceof PDFString || title instanceof PDFHexString) &&
        dest instanceof PDFArray &&
        index !== undefined
      ) {
        const view = pdf.context.obj([]) as PDFArray;
        for (let k = 1; k < dest.size(); k++) view.push(dest.get(k));
        items.push({ title, page: index, view, depth });
      }
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict), depth + 1, guard);
    }
  };
  walk(root.lookupMaybe(PDFName.of('First'), PDFDict), 0, new Set());
  return items;
}

/** Rebuilds an outline from flattened items whose pages are offset by `firstPage`. */
function writeOutline(pdf: PDFDocument, items: readonly OutlineItem[], firstPage: number): void {
  if (items.length === 0) return;
  const pages = pdf.getPages();
  const context = pdf.context;
  const rootRef = context.nextRef();
  const refs = items.map(() => context.nextRef());
  const dicts = items.map((item) => {
    const dest = context.obj([]) as PDFArray;
    dest.push((pages[item.page - firstPage] as (typeof pages)[number]).ref);
    for (let k = 0; k < item.view.size(); k++) dest.push(item.view.get(k));
    return context.obj({ Title: PDFString.of(''), Dest: dest }) as PDFDict;
  });
  // Parent of each item: the nearest earlier item one level up (or the root).
  const parentOf = (i: number): number => {
    const depth = (items[i] as OutlineItem).depth;
    for (let j = i - 1; j >= 0; j--) if ((items[j] as OutlineItem).depth < depth) return j;
    return -1;
  };
  const children = new Map<number, number[]>();
  items.forEach((item, i) => {
    (dicts[i] as PDFDict).set(PDFName.of('Title'), item.title);
    const parent = parentOf(i);
    const list = children.get(parent) ?? [];
    list.push(i);
    children.set(parent, list);
  });
  const link = (parent: number, parentRef: PDFRef, parentDict: PDFDict): void => {
    const list = children.get(parent) ?? [];
    if (list.length === 0) return;
    parentDict.set(PDFName.of('First'), refs[list[0] as number] as PDFRef);
    parentDict.set(PDFName.of('Last'), refs[list[list.length - 1] as number] as PDFRef);
    parentDict.set(PDFName.of('Count'), context.obj(parent < 0 ? items.length : list.length));
    list.forEach((child, k) => {
      const dict = dicts[child] as PDFDict;
      dict.set(PDFName.of('Parent'), parentRef);
      if (k > 0) dict.set(PDFName.of('Prev'), refs[list[k - 1] as number] as PDFRef);
      if (k < list.length - 1) dict.set(PDFName.of('Next'), refs[list[k + 1] as number] as PDFRef);
      link(child, refs[child] as PDFRef, dict);
    });
  };
  const root = context.obj({ Type: 'Outlines' }) as PDFDict;
  link(-1, rootRef, root);
  context.assign(rootRef, root);
  refs.forEach((ref, i) => {
    context.assign(ref, dicts[i] as PDFDict);
  });
  pdf.catalog.set(PDFName.of('Outlines'), rootRef);
}
