// Intake: find the input files, say what each is, hash it, and split it into page images.
// Everything a user gives ends here as pages or as a listed Failure; nothing is dropped silently.
//
// PDFs from a sheet feeder hold one image per page: those images are extracted as stored
// (full resolution, no resampling); pages that are not a single plain image are rasterised at
// 300 dpi. Poppler's tools do both (pdfimages, pdftoppm) — they are faster and more robust on
// odd scanner PDFs than a JavaScript PDF parser.
// Over 400 lines because every kind of input file (docx, PDF, image) is told apart and split here.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Failure } from '../types.js';

const run = promisify(execFile);

export type InputKind = 'png' | 'jpeg' | 'tiff' | 'pdf' | 'docx' | 'unknown';

export interface InputFile {
  /** As given or found (relative to the working folder when inside it). */
  path: string;
  kind: InputKind;
  sha256: string;
  size: number;
}

export interface PageImage {
  file: string;
  sha256: string;
  /** 1-based page within the file. */
  page: number;
  /** Encoded image (PNG, JPEG or TIFF bytes) at the resolution of the scan. */
  image: Buffer;
  origin: 'image' | 'pdf-embedded' | 'pdf-rasterised';
  /** Scanned in 1-bit black and white: no grey anywhere (seals show as black rings). */
  bilevel?: boolean;
}

export interface IntakeLimits {
  maxFileBytes: number;
  /** Pixels per page; A4 at 600 dpi is about 35 megapixels. */
  maxPagePixels: number;
  maxPages: number;
}

export const DEFAULT_LIMITS: IntakeLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxPagePixels: 80_000_000,
  maxPages: 2000,
};

const SUPPORTED = new Set(['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.pdf', '.docx']);

export function failure(
  file: string,
  code: string,
  message: string,
  messageEn: string,
  page?: number,
): Failure {
  return page === undefined ? { file, code, message, messageEn } : { file, page, code, message, messageEn };
}

/**
 * Expands folders (recursively, in name order) into files; missing paths become failures. Inside a
 * folder a symbolic link is followed only when it stays within the folder given and leads
 * somewhere not yet walked: a link to an ancestor would otherwise walk the tree forty times over
 * (the kernel's limit) and report each file under ever longer names.
 */
export async function discover(paths: readonly string[]): Promise<{ files: string[]; failures: Failure[] }> {
  const files: string[] = [];
  const failures: Failure[] = [];
  const seen = new Set<string>();
  const walk = async (p: string, root: string | undefined): Promise<void> => {
    const st = await stat(p).catch(() => undefined);
    if (!st) {
      failures.push(
        failure(
          p,
          'file_not_found',
          `找不到文件或文件夹：${p}`,
          `No such file or folder: ${p}. Check the path.`,
        ),
      );
      return;
    }
    const real = await realpath(p);
    if (root !== undefined && (await lstat(p)).isSymbolicLink() && !within(real, root)) {
      failures.push(
        failure(
          p,
          'link_outside_folder',
          `符号链接指向所给文件夹之外，未读取：${p}。如需导入，请直接给出其目标路径。`,
          `${p} is a symbolic link out of the folder given: not followed; name its target to ingest it.`,
        ),
      );
      return;
    }
    if (seen.has(real)) return; // reached again through a link: read once, under its first name
    seen.add(real);
    if (st.isDirectory()) {
      const top = root ?? real;
      const entries = (await readdir(p)).filter((e) => !e.startsWith('.')).sort();
      for (const e of entries) {
        const child = join(p, e);
        const cst = await stat(child).catch(() => undefined);
        // Inside folders only take what looks like input, so truth files and notes are not failures.
        if (cst?.isDirectory() || SUPPORTED.has(extname(e).toLowerCase())) await walk(child, top);
      }
      return;
    }
    files.push(p);
  };
  for (const p of paths) await walk(p, undefined);
  return { files: [...new Set(files.map(displayPath))], failures };
}

const within = (path: string, root: string) =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

function displayPath(p: string): string {
  const rel = relative(process.cwd(), resolve(p));
  return rel.startsWith('..') ? resolve(p) : rel;
}

/** What the bytes are, whatever the name says. */
export function sniff(buf: Buffer): InputKind {
  if (
    buf.length >= 8 &&
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (
    buf.length >= 4 &&
    (buf.subarray(0, 4).toString('latin1') === 'II*\0' || buf.subarray(0, 4).toString('latin1') === 'MM\0*')
  )
    return 'tiff';
  if (buf.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf.includes('word/document.xml'))
    return 'docx';
  return 'unknown';
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export async function open(
  path: string,
  limits: IntakeLimits = DEFAULT_LIMITS,
): Promise<{ input: InputFile; bytes: Buffer } | { failure: Failure }> {
  const st = await stat(path).catch(() => undefined);
  if (!st)
    return { failure: failure(path, 'file_not_found', `找不到文件：${path}`, `No such file: ${path}`) };
  if (st.size === 0)
    return {
      failure: failure(
        path,
        'empty_file',
        `文件为空（0 字节）：${path}，请重新扫描或导出。`,
        `${path} is empty (0 bytes): scan or export it again.`,
      ),
    };
  if (st.size > limits.maxFileBytes)
    return {
      failure: failure(
        path,
        'file_too_large',
        `文件过大（${mb(st.size)} MB，上限 ${mb(limits.maxFileBytes)} MB）：${path}，请拆分后再导入。`,
        `${path} is ${mb(st.size)} MB, over the ${mb(limits.maxFileBytes)} MB limit: split it and ingest the parts.`,
      ),
    };
  const bytes = await readFile(path);
  const kind = sniff(bytes);
  if (kind === 'unknown')
    return {
      failure: failure(
        path,
        'unsupported_type',
        `无法识别的文件类型：${path}。支持 PNG、JPEG、TIFF、PDF 和 .docx。`,
        `${path} is not a PNG, JPEG, TIFF, PDF or .docx file; convert it to one of those.`,
      ),
    };
  return { input: { path, kind, sha256: sha256(bytes), size: st.size }, bytes };
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0);

/**
 * Splits an image or PDF into page images. Yields a Failure for a page (or the whole file) that
 * cannot be read, and carries on with the next page.
 */
export async function* pagesOf(
  input: InputFile,
  bytes: Buffer,
  limits: IntakeLimits = DEFAULT_LIMITS,
): AsyncGenerator<PageImage | Failure> {
  if (input.kind === 'pdf') {
    yield* pdfPages(input, limits);
    return;
  }
  if (input.kind === 'docx' || input.kind === 'unknown') return;
  let pages = 1;
  let bilevel = false;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    pages = input.kind === 'tiff' ? (meta.pages ?? 1) : 1;
    bilevel = meta.bitsPerSample === 1;
    if ((meta.width ?? 0) * (meta.height ?? 0) > limits.maxPagePixels) {
      yield tooLarge(input.path, meta.width ?? 0, meta.height ?? 0, limits);
      return;
    }
  } catch (err) {
    yield corrupt(input.path, err);
    return;
  }
  for (let page = 1; page <= Math.min(pages, limits.maxPages); page++) {
    try {
      // Decode fully once: a truncated JPEG fails here rather than later in OCR.
      const img = sharp(bytes, {
        page: page - 1,
        failOn: 'truncated',
        limitInputPixels: limits.maxPagePixels,
      });
      // TIFF pages are re-encoded so later stages see one page per buffer; other images pass as given.
      let image = bytes;
      if (input.kind === 'tiff') image = await img.png({ compressionLevel: 1 }).toBuffer();
      else await img.raw().toBuffer();
      yield {
        file: input.path,
        sha256: input.sha256,
        page,
        image,
        origin: 'image',
        ...(bilevel ? { bilevel } : {}),
      };
    } catch (err) {
      yield corrupt(input.path, err, pages > 1 ? page : undefined);
    }
  }
}

function tooLarge(file: string, w: number, h: number, limits: IntakeLimits): Failure {
  const mp = ((w * h) / 1e6).toFixed(0);
  return failure(
    file,
    'image_too_large',
    `图像过大（${w}×${h}，约 ${mp} 百万像素，上限 ${limits.maxPagePixels / 1e6}）：${file}。请以 300 dpi 重新扫描。`,
    `${file} is ${w}×${h} (${mp} MP), over the ${limits.maxPagePixels / 1e6} MP limit: rescan at 300 dpi.`,
  );
}

function corrupt(file: string, err: unknown, page?: number): Failure {
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return failure(
    file,
    'corrupt_image',
    `图像文件已损坏或不完整${page ? `（第 ${page} 页）` : ''}：${file}（${why}）。请重新扫描或重新拷贝该文件。`,
    `${file}${page ? ` page ${page}` : ''} is corrupt or truncated (${why}): scan or copy it again.`,
    page,
  );
}

interface PdfInfo {
  pages: number;
  pageSizes: { w: number; h: number }[];
}

async function pdfInfo(path: string): Promise<PdfInfo> {
  const { stdout } = await run('pdfinfo', ['-l', '100000', path], { maxBuffer: 64 * 1024 * 1024 });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] ?? 0);
  const pageSizes = [...stdout.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({
    w: Number(m[1]),
    h: Number(m[2]),
  }));
  return { pages, pageSizes };
}

interface ListedImage {
  page: number;
  width: number;
  height: number;
  type: string;
  xppi: number;
  bpc: number;
}

async function pdfImageList(path: string): Promise<ListedImage[]> {
  const { stdout } = await run('pdfimages', ['-list', path], { maxBuffer: 64 * 1024 * 1024 });
  const out: ListedImage[] = [];
  for (const line of stdout.split('\n').slice(2)) {
    const c = line.trim().split(/\s+/);
    if (c.length < 14) continue;
    out.push({
      page: Number(c[0]),
      type: String(c[2]),
      width: Number(c[3]),
      height: Number(c[4]),
      bpc: Number(c[7]),
      xppi: Number(c[12]),
    });
  }
  return out;
}

async function* pdfPages(input: InputFile, limits: IntakeLimits): AsyncGenerator<PageImage | Failure> {
  let info: PdfInfo;
  try {
    info = await pdfInfo(input.path);
  } catch (err) {
    const text = String((err as { stderr?: string }).stderr ?? err);
    if (/Incorrect password|encrypt/i.test(text)) {
      yield encrypted(input.path);
    } else {
      yield failure(
        input.path,
        'corrupt_pdf',
        `PDF 文件已损坏，无法读取：${input.path}。请重新扫描或重新导出 PDF。`,
        `${input.path} is not a readable PDF (${text.trim().split('\n')[0]}): scan or export it again.`,
      );
    }
    return;
  }
  // An encrypted PDF that opened anyway has only an owner password (print/copy restrictions):
  // poppler reads it, and so do we. One that needs a user password failed above.
  if (info.pages === 0) {
    yield failure(input.path, 'empty_file', `PDF 没有页面：${input.path}`, `${input.path} has no pages.`);
    return;
  }
  const images = await pdfImageList(input.path).catch(() => [] as ListedImage[]);
  const tmp = await mkdtemp(join(tmpdir(), 'xietong-pdf-'));
  try {
    for (let page = 1; page <= Math.min(info.pages, limits.maxPages); page++) {
      const onPage = images.filter((i) => i.page === page && i.type === 'image');
      try {
        if (onPage.length === 1) {
          const only = onPage[0] as ListedImage;
          if (only.width * only.height > limits.maxPagePixels) {
            yield { ...tooLarge(input.path, only.width, only.height, limits), page };
            continue;
          }
          // -all keeps JPEG data as stored: no second lossy round trip.
          const prefix = join(tmp, `p${page}`);
          await run('pdfimages', ['-all', '-f', String(page), '-l', String(page), input.path, prefix]);
          const name = (await readdir(tmp)).find((n) => n.startsWith(`p${page}-`));
          if (!name) throw new Error('pdfimages wrote no image');
          const raw = await readFile(join(tmp, name));
          await rm(join(tmp, name));
          // PBM and the like become PNG for the later stages; level 1 encodes a 300 dpi page in a quarter
          // of the time of the default (150 against 540 ms of CPU), only to be decoded once more.
          const image =
            sniff(raw) === 'unknown' ? await sharp(raw).png({ compressionLevel: 1 }).toBuffer() : raw;
          yield {
            file: input.path,
            sha256: input.sha256,
            page,
            image,
            origin: 'pdf-embedded',
            ...(only.bpc === 1 ? { bilevel: true } : {}),
          };
        } else {
          const size = info.pageSizes[page - 1] ?? { w: 595, h: 842 };
          const dpi = Math.min(
            300,
            Math.floor(Math.sqrt(limits.maxPagePixels / ((size.w / 72) * (size.h / 72)))),
          );
          const prefix = join(tmp, `r${page}`);
          await run('pdftoppm', [
            '-r',
            String(dpi),
            '-gray',
            '-png',
            '-f',
            String(page),
            '-l',
            String(page),
            '-singlefile',
            input.path,
            prefix,
          ]);
          const image = await readFile(`${prefix}.png`);
          await rm(`${prefix}.png`);
          yield { file: input.path, sha256: input.sha256, page, image, origin: 'pdf-rasterised' };
        }
      } catch (err) {
        yield failure(
          input.path,
          'corrupt_pdf_page',
          `PDF 第 ${page} 页无法读取：${input.path}。请重新扫描该页。`,
          `${input.path} page ${page} could not be read (${String((err as Error).message ?? err).split('\n')[0]}): rescan that page.`,
          page,
        );
      }
    }
    if (info.pages > limits.maxPages) {
      yield failure(
        input.path,
        'too_many_pages',
        `PDF 页数过多（${info.pages} 页，只处理前 ${limits.maxPages} 页）：${input.path}。请拆分文件。`,
        `${input.path} has ${info.pages} pages; only the first ${limits.maxPages} were read: split the file.`,
      );
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function encrypted(file: string): Failure {
  return failure(
    file,
    'encrypted_pdf',
    `PDF 已加密或设有密码，无法读取：${file}。请导出一份未加密的 PDF（或用 qpdf --decrypt 解密）后再导入。`,
    `${file} is encrypted or password-protected: export an unencrypted copy (or qpdf --decrypt it) and ingest that.`,
  );
}

/** Pages the files will yield, for progress: cheap (headers and pdfinfo only); unknowns count 1. */
export async function countPages(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    const ext = extname(file).toLowerCase();
    if (ext === '.pdf') total += (await pdfInfo(file).catch(() => undefined))?.pages || 1;
    else if (ext === '.tif' || ext === '.tiff')
      total +=
        (
          await sharp(file)
            .metadata()
            .catch(() => undefined)
        )?.pages ?? 1;
    else total += 1;
  }
  return total;
}
