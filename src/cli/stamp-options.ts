// `--seal`, `--perforation`, `--draft` and `--print-file` for the document commands (render notice,
// scoresheets, agreements, certificates): one registrar and one check before anything is rendered,
// so every command stamps the same way; the stamping itself is src/app/stamping.ts, shared with the
// workbench.
import { access } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import sharp from 'sharp';
import type { SealArea, StampOptions } from '../app/stamping.js';
import { RunError } from '../errors.js';
import { SEAL_IMAGE_NOTICE } from '../stamp/index.js';

export type StampCommandOptions = StampOptions;

/** Adds the stamping options and their help to a document command. */
export function addStampOptions(command: Command, area: SealArea): Command {
  if (area !== 'none') {
    command.option(
      '--seal <file.png>',
      area === 'date'
        ? '印章图片，盖在成文日期上 / put this seal image over the signer and the date'
        : '印章图片，盖在该单位（默认取文件名）的盖章处 / put this seal image on its organisation’s date, ' +
            'the organisation named by the file (samples/seals/<单位名称>.png) or --seal-for',
    );
    if (area === 'party') {
      command.option(
        '--seal-for <单位名称>',
        '印章所属单位（与文件中印的名称一致）/ the organisation the seal belongs to, as printed',
      );
    }
    command.option(
      '--perforation',
      '同一印章加盖骑缝章（需 --seal）/ 骑缝章 of the same seal across the page edges',
    );
  }
  command
    .option('--draft', '加“草稿”水印 / a 草稿 (draft) watermark on every page')
    .option(
      '--print-file <file.pdf>',
      '合并为一个打印文件，双面打印时每份从正面开始 / one merged PDF, a blank page after odd-length documents for duplex',
    );
  const stamped =
    area === 'none' ? '<name>-草稿.pdf' : '<name>-盖章.pdf, <name>-草稿.pdf or <name>-盖章-草稿.pdf';
  command.addHelpText(
    'after',
    `
盖章与打印 / Stamping and printing (PDF only, not with --no-pdf):
  原 PDF 不变，印章处留空供手工盖章；${area === 'none' ? '加水印' : '加盖印章或水印'}的文件另存于旁边：${stamped}。
  --print-file 合并本批文件（有盖章或水印时用盖章后的文件），奇数页的文件后补一页空白。
  The plain <name>.pdf is kept as it is, seal areas blank for stamping by hand; the stamped copy is
  written beside it as ${stamped}.
  --print-file merges the batch (the stamped copies when stamping).${
    area === 'none'
      ? '\n  评审打分表由专家签字，没有盖章处 / score sheets are signed by experts: no seal area, no --seal.'
      : `\n  ${SEAL_IMAGE_NOTICE.replace('\n', '\n  ')}`
  }`,
  );
  return command;
}

/** The checks that need no rendering: run before LibreOffice starts, so a typo costs nothing. */
export async function checkStampOptions(
  options: StampCommandOptions & { pdf: boolean },
  area: SealArea,
): Promise<void> {
  // --draft also marks the text of agreements and certificates, which a .docx shows without a PDF:
  // with --no-pdf it is allowed, and only the watermark is left out.
  const asked = [
    options.seal && '--seal',
    options.perforation && '--perforation',
    options.draft && area !== 'party' && '--draft',
    options.printFile && '--print-file',
  ].filter((o): o is string => Boolean(o));
  if (!options.pdf && asked.length > 0) {
    throw new RunError(
      'usage',
      `${asked.join('、')} 作用于 PDF，不能与 --no-pdf 同用 / ${asked.join(', ')} work on the PDFs: not with --no-pdf.`,
      'Drop --no-pdf (PDF output needs LibreOffice), or drop the stamping options.',
    );
  }
  if (area === 'none' && (options.seal || options.perforation)) {
    throw new RunError(
      'usage',
      '评审打分表由专家签字，没有盖章处 / score sheets are signed by the experts and have no seal area.',
      'Use --draft or --print-file only.',
    );
  }
  if (!options.seal && (options.perforation || options.sealFor)) {
    throw new RunError(
      'usage',
      `${options.perforation ? '--perforation' : '--seal-for'} 需要 --seal 指定印章图片 / needs the seal image: give --seal <file.png>.`,
      'For example: --seal samples/seals/景德镇市科学技术局.png',
    );
  }
  if (options.seal) {
    try {
      await access(options.seal);
    } catch (err) {
      throw new RunError(
        'inputNotFound',
        `找不到印章图片 ${options.seal} / the seal image ${options.seal} does not exist.`,
        'Give the path of a PNG with a transparent background, e.g. samples/seals/景德镇市科学技术局.png.',
        { cause: err },
      );
    }
    try {
      await sharp(options.seal).metadata();
    } catch (err) {
      throw new RunError(
        'badDataFile',
        `${options.seal} 不是图片 / ${options.seal} is not an image sharp can read.`,
        'Give a PNG (transparent background) or JPEG of the seal.',
        { cause: err },
      );
    }
  }
  if (options.printFile && extname(options.printFile).toLowerCase() !== '.pdf') {
    throw new RunError(
      'usage',
      `--print-file 应为 .pdf 文件 / --print-file names the merged PDF: ${options.printFile} does not end in .pdf.`,
      'For example: --print-file output/三方协议-打印.pdf',
    );
  }
}

export {
  hasSealArea,
  type SealArea,
  type StampedDocument,
  type StampInput,
  type StampRun,
  stampDocuments,
  stampSuffix,
} from '../app/stamping.js';
