// `xietong render <document>`: official documents from data. The group holds one subcommand per
// document; each is a registrar in RENDER_SUBCOMMANDS (scoresheets, agreements and certificates
// slot in the same way, from this file or their own) and a plain exported function tests call.
import type { Command } from 'commander';
import { FORMS } from '../forms/index.js';
import { loadNoticeData, outputNameFor, type RenderNoticeResult, renderNotice } from '../render/notice.js';
import type { FormKind } from '../types.js';
import { withPdfConverter } from './converter.js';
import { DOCUMENT_SUBCOMMANDS } from './render-documents.js';
import { PROGRAMME_SUBCOMMANDS } from './render-programme.js';
import {
  addStampOptions,
  checkStampOptions,
  type StampCommandOptions,
  type StampRun,
  stampDocuments,
} from './stamp-options.js';

export interface RenderNoticeCommandOptions extends StampCommandOptions {
  out: string;
  /** false with --no-pdf */
  pdf: boolean;
  template?: string;
  /** false with --no-attachments */
  attachments?: boolean;
}

interface Output {
  write(chunk: string): unknown;
}

/** `render notice <notice.yaml>`: the notice as .docx and PDF in GB/T 9704-2012 layout. */
export async function renderNoticeCommand(
  dataFile: string,
  options: RenderNoticeCommandOptions,
  out: Output = process.stdout,
): Promise<RenderNoticeResult & { stamping?: StampRun }> {
  await checkStampOptions(options, 'date');
  const notice = await loadNoticeData(dataFile);
  const name = outputNameFor(dataFile);
  const result = await withPdfConverter(options.pdf, (converter) =>
    renderNotice(notice, {
      outDir: options.out,
      name,
      pdf: options.pdf,
      template: options.template,
      converter,
      bind: options.attachments !== false,
    }),
  );
  out.write(`✓ ${result.docx}\n`);
  if (result.bound.length > 0) {
    out.write(
      `  附件已装订在正文之后（另面编排，页码连续）/ attachments bound after the body: ${result.bound.map((b) => (b in FORMS ? FORMS[b as FormKind].title : b)).join('、')}\n`,
    );
  }
  if (result.pdf) out.write(`✓ ${result.pdf}\n`);
  for (const key of result.missing) {
    out.write(`! missing / 缺少: ${key} — printed empty; add it to ${dataFile}\n`);
  }
  for (const warning of result.warnings) out.write(`! ${warning}\n`);
  out.write(
    '  The seal area over the signer and the date is blank, for stamping by hand. 印章位置留空，盖章后生效。\n',
  );
  const stamping = await stampDocuments(
    result.pdf ? [{ id: name, pdf: result.pdf }] : [],
    options,
    'date',
    out,
  );
  return { ...result, stamping };
}

function registerNotice(render: Command): void {
  const command = render
    .command('notice')
    .description('the notice (通知) from a YAML data file, in GB/T 9704-2012 layout; see samples/notice.yaml')
    .argument('<notice.yaml>', 'the notice as data')
    .option('--out <dir>', 'output folder', 'output/notice')
    .option('--no-pdf', 'write the .docx only (no LibreOffice needed)')
    .option('--template <file.docx>', 'another template (default templates/notice.docx)')
    .option('--no-attachments', 'the body only: do not bind the blank forms named in the 附件说明 after it');
  addStampOptions(command, 'date').action(async (dataFile: string, opts: RenderNoticeCommandOptions) => {
    await renderNoticeCommand(dataFile, opts);
  });
}

const RENDER_SUBCOMMANDS: ReadonlyArray<(render: Command) => void> = [
  registerNotice,
  ...DOCUMENT_SUBCOMMANDS,
  ...PROGRAMME_SUBCOMMANDS,
];

export function register(program: Command): void {
  const render = program
    .command('render')
    .description('official documents from data (.docx and PDF) / 由数据生成公文');
  for (const add of RENDER_SUBCOMMANDS) add(render);
}
