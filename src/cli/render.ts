// `xietong render <document>`: official documents from data. The group holds one subcommand per
// document; each is a registrar in RENDER_SUBCOMMANDS (scoresheets, agreements and certificates
// slot in the same way, from this file or their own) and a plain exported function tests call.
import type { Command } from 'commander';
import { loadNoticeData, outputNameFor, type RenderNoticeResult, renderNotice } from '../render/notice.js';
import { DOCUMENT_SUBCOMMANDS } from './render-documents.js';

export interface RenderNoticeCommandOptions {
  out: string;
  /** false with --no-pdf */
  pdf: boolean;
  template?: string;
}

interface Output {
  write(chunk: string): unknown;
}

/** `render notice <notice.yaml>`: the notice as .docx and PDF in GB/T 9704-2012 layout. */
export async function renderNoticeCommand(
  dataFile: string,
  options: RenderNoticeCommandOptions,
  out: Output = process.stdout,
): Promise<RenderNoticeResult> {
  const notice = await loadNoticeData(dataFile);
  const result = await renderNotice(notice, {
    outDir: options.out,
    name: outputNameFor(dataFile),
    pdf: options.pdf,
    template: options.template,
  });
  out.write(`✓ ${result.docx}\n`);
  if (result.pdf) out.write(`✓ ${result.pdf}\n`);
  for (const key of result.missing) {
    out.write(`! missing / 缺少: ${key} — printed empty; add it to ${dataFile}\n`);
  }
  for (const warning of result.warnings) out.write(`! ${warning}\n`);
  out.write(
    '  The seal area over the signer and the date is blank, for stamping by hand. 印章位置留空，盖章后生效。\n',
  );
  return result;
}

function registerNotice(render: Command): void {
  render
    .command('notice')
    .description('the notice (通知) from a YAML data file, in GB/T 9704-2012 layout; see samples/notice.yaml')
    .argument('<notice.yaml>', 'the notice as data')
    .option('--out <dir>', 'output folder', 'output/notice')
    .option('--no-pdf', 'write the .docx only (no LibreOffice needed)')
    .option('--template <file.docx>', 'another template (default templates/notice.docx)')
    .action(async (dataFile: string, opts: RenderNoticeCommandOptions) => {
      await renderNoticeCommand(dataFile, opts);
    });
}

const RENDER_SUBCOMMANDS: ReadonlyArray<(render: Command) => void> = [
  registerNotice,
  ...DOCUMENT_SUBCOMMANDS,
];

export function register(program: Command): void {
  const render = program
    .command('render')
    .description('official documents from data (.docx and PDF) / 由数据生成公文');
  for (const add of RENDER_SUBCOMMANDS) add(render);
}
