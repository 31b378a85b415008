// Stamping a batch of rendered PDFs: a seal image where its organisation signs, a 草稿 watermark,
// and one print file for duplex printing. Shared by the document commands (src/cli/stamp-options.ts
// adds their options) and the workbench's 文书. The plain PDF is never changed — it is the copy to
// print and stamp by hand, the only form that counts on paper — and the stamped copy goes beside it,
// named for what was added.
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { RunError } from '../errors.js';
import {
  type MergeResult,
  mergeForPrint,
  SEAL_IMAGE_NOTICE,
  type SealOptions,
  type StampResult,
  stampPdf,
} from '../stamp/index.js';
import { DATE_LINE, readTextLines, type TextLine } from '../stamp/locate.js';

export interface StampOptions {
  /** The seal image (PNG, transparent background). */
  seal?: string;
  /** The organisation the seal belongs to; default the seal file's name. */
  sealFor?: string;
  /** 骑缝章 with the same image across the right edge of all pages. */
  perforation?: boolean;
  /** 草稿 watermark. */
  draft?: boolean;
  /** One merged PDF of the batch for duplex printing. */
  printFile?: string;
}

/**
 * Where a kind of document takes a seal. `date`: the 成文日期 under the one signer (the notice, GB/T
 * 9704 7.3.5). `party`: the date in the column of the organisation the seal belongs to, printed at
 * a （盖章） label — an agreement has two such parties and a certificate one, so a seal of anyone else
 * has no place there. `none`: no seal area at all (score sheets are signed by the experts).
 */
export type SealArea = 'date' | 'party' | 'none';

export interface Output {
  write(chunk: string): unknown;
}

/** For callers that read the returned run rather than a report. */
export const SILENT: Output = { write: () => undefined };

const rel = (p: string) => relative(process.cwd(), p) || '.';

export interface StampInput {
  /** The document's id in the report (project id, or the notice's name). */
  id: string;
  pdf: string;
}

export interface StampedDocument extends StampInput {
  /** The stamped copy. */
  out: string;
  pages: number;
  seal?: StampResult['seal'];
  warnings: string[];
}

export interface StampRun {
  stamped: StampedDocument[];
  /** Documents without a stamped copy: the seal had no place in them, or the PDF could not be read. */
  failures: (StampInput & { message: string })[];
  print?: MergeResult;
}

const stamping = (o: StampOptions): boolean => Boolean(o.seal || o.draft);

/** `-盖章`, `-草稿` or `-盖章-草稿`: what the copy carries, so it is never taken for the plain PDF. */
export const stampSuffix = (o: StampOptions): string => `${o.seal ? '-盖章' : ''}${o.draft ? '-草稿' : ''}`;

const sealOrganisation = (o: StampOptions): string =>
  o.sealFor ?? basename(o.seal ?? '', extname(o.seal ?? ''));

// A filled date line, or the 年 of a date left blank for the pen (printed 年 月 日 with gaps, which
// pdftotext reads as separate words): an unsigned draft still has a place for its seal.
const SIGN_DATE = new RegExp(`${DATE_LINE.source}|^[\\s\\u3000]*年[\\s\\u3000]*$`);

const compact = (s: string): string => s.replace(/[\s\u3000]/g, '');

/**
 * Whether `organisation` is printed at a （盖章） label: on the label's line or just below it, in
 * its column. A name wrapped over lines counts by its first line. The name elsewhere (in the body
 * of an agreement) is no place for a seal.
 */
export function hasSealArea(lines: readonly TextLine[], organisation: string): boolean {
  const target = compact(organisation);
  if (target.length === 0) return false;
  const names = lines.filter((l) => {
    const t = compact(l.text);
    return t.includes(target) || (t.length >= 4 && target.startsWith(t));
  });
  const labels = lines.filter((l) => /[（(]\s*盖\s*章\s*[）)]/.test(l.text));
  return labels.some((label) =>
    names.some(
      (name) =>
        name.page === label.page &&
        label.y - name.y >= -2 &&
        label.y - name.y <= 40 &&
        name.x < label.x + label.width &&
        label.x < name.x + name.width,
    ),
  );
}

/**
 * Stamps each PDF as asked into a copy beside it, then merges the batch into the print file, and
 * reports both. A document whose seal cannot be placed gets no copy (a "-盖章" file without the
 * seal would mislead) and stays out of the print file; when no document could be stamped the run
 * ends with a usage error, since the seal or --seal-for is then wrong for these documents.
 */
export async function stampDocuments(
  inputs: readonly StampInput[],
  options: StampOptions,
  area: SealArea,
  out: Output,
): Promise<StampRun | undefined> {
  if (!stamping(options) && !options.printFile) return undefined;
  const run: StampRun = { stamped: [], failures: [] };
  if (stamping(options)) {
    const organisation = sealOrganisation(options);
    const image = options.seal;
    for (const input of inputs) {
      const target = join(
        dirname(input.pdf),
        `${basename(input.pdf, extname(input.pdf))}${stampSuffix(options)}.pdf`,
      );
      const fail = async (message: string) => {
        // A copy left by an earlier run would pass for this run's result.
        await rm(target, { force: true });
        run.failures.push({ ...input, message });
      };
      try {
        let seal: SealOptions | undefined;
        if (image && area === 'party') {
          if (!hasSealArea(await readTextLines(input.pdf), organisation)) {
            await fail(
              `“${organisation}”不在本文件的盖章处 / ${organisation} has no seal area in this document — ` +
                'the seal of another party, or --seal-for needed',
            );
            continue;
          }
          seal = { image, near: organisation, datePattern: SIGN_DATE };
        } else if (image) seal = { image };
        const result = await stampPdf(input.pdf, {
          out: target,
          seal,
          perforation: image && options.perforation ? { image } : undefined,
          draft: options.draft,
        });
        if (seal && !result.seal) {
          await fail(`印章未盖上 / seal not placed: ${result.warnings.join('; ')}`);
          continue;
        }
        run.stamped.push({
          ...input,
          out: result.out,
          pages: result.pages,
          ...(result.seal ? { seal: result.seal } : {}),
          warnings: result.warnings,
        });
      } catch (err) {
        await fail((err as Error).message);
      }
    }
    describeStamps(run, options, organisation, out);
  }

  if (options.printFile) {
    const pdfs = stamping(options) ? run.stamped.map((s) => s.out) : inputs.map((i) => i.pdf);
    if (pdfs.length > 0) {
      await mkdir(dirname(options.printFile), { recursive: true });
      run.print = await mergeForPrint(pdfs, options.printFile);
      const p = run.print;
      out.write(
        `打印文件 / print file: ${rel(p.out)} — ${p.documents.length} 份 ${p.pages} 页，双面打印补空白页 ${p.blanksAdded} 页 / ` +
          `${p.documents.length} document(s), ${p.pages} page(s), ${p.blanksAdded} blank page(s) added for duplex\n`,
      );
      if (run.failures.length > 0)
        out.write(`  ! 不含未盖章的 ${run.failures.length} 份 / leaves out the document(s) not stamped\n`);
    }
  }
  if (options.seal) out.write(`  ${SEAL_IMAGE_NOTICE.replace('\n', '\n  ')}\n`);

  if (stamping(options) && inputs.length > 0 && run.stamped.length === 0) {
    throw new RunError(
      'usage',
      `没有文件盖上印章 / no document could be stamped (${run.failures.length}, listed above).`,
      area === 'party'
        ? 'A seal goes where its organisation signs, at its （盖章） label: use the seal of a party to these documents, ' +
            'and --seal-for <单位名称> when the file is not named as the organisation is printed.'
        : 'The seal goes over the date line (成文日期): check that the PDF has one, or stamp by hand.',
    );
  }
  return run;
}

// A blank date is found by its 年 alone: say so rather than print a lone 年.
const dateOf = (text: string | undefined): string =>
  text && DATE_LINE.test(text) ? text : '空白日期 / blank date';

function describeStamps(run: StampRun, options: StampOptions, organisation: string, out: Output): void {
  const what = [
    options.seal ? `印章 seal: ${organisation}` : '',
    options.perforation ? '骑缝章 perforation seal' : '',
    options.draft ? '草稿水印 draft watermark' : '',
  ].filter(Boolean);
  const n = run.stamped.length;
  out.write(
    options.seal
      ? `盖章 ${n} 份 / ${n} document(s) stamped (${what.join('，')}):\n`
      : `加水印 ${n} 份 / ${n} document(s) watermarked (${what.join('，')}):\n`,
  );
  for (const s of run.stamped) {
    const where = s.seal
      ? `  印章在第 ${s.seal.page + 1} 页 / seal on page ${s.seal.page + 1}（${dateOf(s.seal.dateText)}）`
      : '';
    out.write(`  ✓ ${rel(s.out)}${where}\n`);
    for (const w of s.warnings) out.write(`    ! ${w}\n`);
  }
  for (const f of run.failures) out.write(`  ✗ ${f.id} ${rel(f.pdf)}: ${f.message}\n`);
}
