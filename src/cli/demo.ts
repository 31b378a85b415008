// `xietong demo`: the whole story on the bundled samples, into output/ — the README's first
// command ends here. Each step is independent: one that fails is reported and the others still
// run; the command exits non-zero if any step failed, so CI notices.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { storeAndExport } from '../app/store-and-export.js';
import { reportText } from '../check/report.js';
import type { PdfConverter } from '../convert/index.js';
import { LibreOfficePool } from '../convert/pool.js';
import { RunError } from '../errors.js';
import { summarise } from '../ingest/output.js';
import { renderForms } from '../render/forms.js';
import { loadNoticeData, renderNotice } from '../render/notice.js';
import { mergeForPrint, SEAL_IMAGE_NOTICE, stampPdf } from '../stamp/index.js';
import type { SubmissionRecord } from '../types.js';
import {
  accept,
  approveSureRecords,
  evaluate,
  legalDocuments,
  matchAndConfirm,
  type ProgrammeContext,
  programmePaper,
  reopenForChange,
  termsAndSigning,
} from './demo-programme.js';
import { runIngest } from './ingest.js';
import { formatSeconds } from './progress.js';

/** The fictional samples that come with xietong: found from this file, so the demo runs from any folder. */
export const BUNDLED_SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../samples');

export interface DemoOptions {
  out: string;
  samples: string;
  /** Skip reading the scans (OCR is the slow step). */
  ocr: boolean;
}

interface StepResult {
  /** What a person finds where, one line each. */
  outputs: { label: string; path: string }[];
  note?: string;
}

interface Step {
  name: string;
  /** Runs at the same time as the step after it (it needs nothing from it, nor it from this). */
  alongsideNext?: boolean;
  run(): Promise<StepResult>;
}

async function sampleRecords(samples: string): Promise<SubmissionRecord[]> {
  const out: SubmissionRecord[] = [];
  for (const kind of ['registration', 'demand', 'problem']) {
    out.push(
      ...(JSON.parse(await readFile(join(samples, 'records', `${kind}.json`), 'utf8')) as SubmissionRecord[]),
    );
  }
  return out;
}

export function demoSteps(options: DemoOptions, converter?: PdfConverter): Step[] {
  const { out, samples } = options;
  const db = join(out, 'xietong.db');
  const ctx: ProgrammeContext = { out, samples, db, converter };
  let agreementPdfs: string[] = [];
  return [
    {
      name: '空白表格与预填表格 / blank and pre-filled forms',
      alongsideNext: true,
      async run() {
        const records = await sampleRecords(samples);
        // The blank forms are what the bureau prints and hands out: .docx and PDF. The pre-filled
        // ones are for checking and correcting in Word, so the demo spares their 26 conversions
        // (`xietong forms --data records.json` makes them, PDFs included).
        const blank = await renderForms({ outDir: join(out, 'forms'), pdf: true, blank: true, converter });
        const filled = await renderForms({ records, outDir: join(out, 'forms'), pdf: false, blank: false });
        const summary = {
          written: [...blank.written, ...filled.written],
          failures: [...blank.failures, ...filled.failures],
        };
        if (summary.failures.length)
          throw new Error(summary.failures.map((f) => `${f.id}: ${f.message}`).join('; '));
        return {
          outputs: [
            { label: '空白表格（附件1-3）blank forms', path: join(out, 'forms', 'blank') },
            { label: `预填表格 ${records.length} 份 pre-filled forms`, path: join(out, 'forms', 'filled') },
          ],
          note: `空白表格 ${blank.written.length} 份 .docx + PDF，预填表格 ${filled.written.length} 份 .docx`,
        };
      },
    },
    {
      name: '通知（GB/T 9704）/ the notice',
      alongsideNext: true,
      async run() {
        const notice = await loadNoticeData(join(samples, 'notice.yaml'));
        const result = await renderNotice(notice, { outDir: join(out, 'notice'), pdf: true, converter });
        return {
          outputs: [
            { label: '通知 notice (.docx)', path: result.docx },
            ...(result.pdf ? [{ label: '通知 notice (PDF)', path: result.pdf }] : []),
          ],
          note: result.missing.length ? `missing: ${result.missing.join(', ')}` : undefined,
        };
      },
    },
    {
      name: options.ocr ? '导入扫描件与 Word 表格 / ingest scans and .docx' : '导入 Word 表格 / ingest .docx',
      async run() {
        const inputs = [join(samples, 'docx'), ...(options.ocr ? [join(samples, 'scans')] : [])];
        // The demo keeps its database in its own output folder, not in the working folder.
        const result = await runIngest(inputs, { out: join(out, 'ingest'), db });
        const s = summarise(result);
        return {
          outputs: [
            { label: '记录 records (JSON)', path: join(out, 'ingest', 'records.json') },
            { label: '字段截图 field crops', path: join(out, 'ingest', 'crops') },
            { label: '导入小结 summary', path: join(out, 'ingest', 'summary.txt') },
            { label: '数据库 database (SQLite)', path: join(out, 'xietong.db') },
          ],
          note: `${s.pages} 页 pages → 报名表 ${s.submissions.registration}、需求表 ${s.submissions.demand}、难题表 ${s.submissions.problem}；待核对字段 ${s.fieldsFlagged}；失败 ${s.failures}`,
        };
      },
    },
    {
      name: '检查与汇总表 / check the records and export the 汇总表',
      async run() {
        const result = await storeAndExport({
          db: join(out, 'xietong.db'),
          out: join(out, 'export'),
        });
        await writeFile(join(out, 'export', 'check.txt'), `${reportText(result.export.report, 'zh')}\n`);
        const sum = result.export.report.summary;
        return {
          outputs: [
            ...result.export.files.map((f) => ({
              label: `汇总 export (${f.format}${f.form ? ` ${f.form}` : ''})`,
              path: f.path,
            })),
            { label: '检查结果 check report', path: join(out, 'export', 'check.txt') },
          ],
          note: `${sum.records} 份记录，${sum.recordsWithIssues} 份有问题（错误 ${sum.bySeverity.error}、警告 ${sum.bySeverity.warning}）`,
        };
      },
    },
    {
      name: '核对：确认无存疑的记录 / review: the records nothing is uncertain about approved',
      async run() {
        const r = await approveSureRecords(ctx);
        return {
          outputs: [{ label: '数据库 database (SQLite)', path: db }],
          note: `已核对 ${r.approved} 份；待人工核对 ${r.pending.length} 份，不参与对接：${r.pending.join('；') || '无'}`,
        };
      },
    },
    {
      name: '对接建议与确认 / matching the approved records, the pairs the bureau marked 是',
      async run() {
        const r = await matchAndConfirm(ctx);
        return {
          outputs: [
            { label: '对接建议表 suggestions (xlsx)', path: r.xlsx },
            { label: '对接建议 suggestions (JSON)', path: r.json },
            { label: '标「是」的对接建议表 marked', path: r.marked },
          ],
          note: `${r.demands} 项需求；科技局确认对接并建立项目 ${r.created} 个（编号 2020-XT-001 起，一经分配不再改变）`,
        };
      },
    },
    {
      name: '项目条款录入与签约 / project terms workbook filled and imported, agreements signed',
      async run() {
        const r = await termsAndSigning(ctx);
        return {
          outputs: [
            { label: '项目条款录入表 terms workbook', path: r.blank },
            { label: '项目条款（已填写）filled', path: r.filled },
          ],
          note: `导入 ${r.updated} 个项目的条款，每处改动记录修改人和时间（xietong project show <编号>）`,
        };
      },
    },
    {
      name: '评审：打分表、专家评分导入、经费建议与立项 / score sheets, scores imported back, funding decided',
      async run() {
        const r = await evaluate(ctx);
        const unranked = r.imported.aggregation.projects.filter((p) => p.rank === null);
        return {
          outputs: [
            {
              label: `评审打分表 ${r.sheets.sheets.written.length} 份 score sheets`,
              path: join(out, 'scoresheets'),
            },
            ...(r.sheets.workbook
              ? [{ label: '评分录入表 score entry workbook', path: r.sheets.workbook }]
              : []),
            { label: '评分录入表（专家已填写）filled', path: r.filled },
            { label: '评分汇总与经费建议 funding proposal', path: r.summaryPath },
            ...(r.document?.pdf
              ? [{ label: '评审结果与经费建议（A4，签字用）proposal', path: r.document.pdf }]
              : []),
          ],
          note:
            `${r.imported.aggregation.projects.length} 个项目参评，建议经费合计 ${r.imported.aggregation.totalProposed} 万元，已写回项目` +
            (unranked.length
              ? `；未能排序 ${unranked.map((p) => `${p.projectId}（${p.note}）`).join('、')}`
              : ''),
        };
      },
    },
    {
      name: '验收信息录入 / the acceptance panel’s report',
      async run() {
        const r = await accept(ctx);
        return {
          outputs: [{ label: '验收信息录入表（已填写）acceptance', path: r.filled }],
          note: `${r.updated} 个项目录入验收结论与意见`,
        };
      },
    },
    {
      name: '三方协议与验收证书（由数据库生成）/ agreements and certificates from the store',
      async run() {
        // 甲方 of one signed project reports a new legal representative: its record is reopened,
        // so its agreement can only be a marked draft until someone checks it.
        const reopened = await reopenForChange(ctx, '景德镇市乐安化学制药有限公司');
        const r = await legalDocuments(ctx);
        agreementPdfs = r.agreements.written.flatMap((w) => (w.pdf ? [w.pdf] : []));
        const failed = [...r.agreements.failures, ...r.drafts.failures, ...r.certificates.failures];
        return {
          outputs: [
            { label: `三方协议 ${r.agreements.written.length} 份 agreements`, path: join(out, 'agreements') },
            {
              label: `三方协议草稿 ${r.drafts.written.length} 份 drafts`,
              path: join(out, 'agreements', '草稿'),
            },
            {
              label: `验收证书 ${r.certificates.written.length} 份 certificates`,
              path: join(out, 'certificates'),
            },
          ],
          note:
            `协议 ${r.agreements.written.length} 份（已核对）、草稿 ${r.drafts.written.length} 份（${reopened ? `${reopened} 的甲方记录重新待核；` : ''}待核对事项列于末页）；` +
            `验收证书 ${r.certificates.written.length} 份（验收通过的项目）` +
            (failed.length
              ? `；未生成：${failed.map((f) => `${f.id} ${f.message.split('；')[0]}`).join('；')}`
              : ''),
        };
      },
    },
    {
      name: '评审签到、专家组意见、立项通知与验收用表（由数据库生成）/ sign-in, panel opinions, funding notice, acceptance forms',
      async run() {
        const r = await programmePaper(ctx);
        const all = [r.signIn, r.opinions, r.applications, r.evaluations];
        const failed = all.flatMap((s) => s.failures);
        if (failed.length) throw new Error(failed.map((f) => `${f.id}: ${f.message}`).join('; '));
        return {
          outputs: [
            { label: '专家评审签到表（含回避承诺）sign-in', path: r.signIn.written[0]?.pdf ?? r.reviewDir },
            { label: `专家组综合意见表 ${r.opinions.written.length} 份 panel opinions`, path: r.reviewDir },
            { label: '立项及经费通知 funding notice (PDF)', path: r.notice.pdf ?? r.notice.docx },
            {
              label: `验收申请表、甲方评价意见表 各 ${r.applications.written.length} 份 acceptance forms`,
              path: r.acceptanceDir,
            },
          ],
          note: `立项 ${r.notice.funded.length} 个项目，经费合计 ${r.notice.total} 万元（附件另面编排，页码连续）${r.notice.warnings.length ? `；${r.notice.warnings.join('；')}` : ''}`,
        };
      },
    },
    {
      name: '盖章样例与打印文件 / specimen seal, draft watermark, one print file',
      async run() {
        const notice = join(out, 'notice', 'notice.pdf');
        const sealed = join(out, 'notice', 'notice-样章-草稿.pdf');
        const stamped = await stampPdf(notice, {
          out: sealed,
          seal: { image: join(samples, 'seals', '景德镇市科学技术局.png') },
          draft: true,
        });
        const printFile = join(out, 'agreements', '三方协议-打印合订本.pdf');
        const merged = await mergeForPrint(agreementPdfs, printFile);
        return {
          outputs: [
            { label: '通知（样章、草稿水印）sealed draft', path: sealed },
            { label: '三方协议打印合订本 print file', path: printFile },
          ],
          note: `样章位于第 ${stamped.seal ? stamped.seal.page + 1 : '?'} 页成文日期上；合订本 ${merged.pages} 页（双面打印补空白页 ${merged.blanksAdded} 页）。${SEAL_IMAGE_NOTICE.split('\n')[0]}`,
        };
      },
    },
  ];
}

export async function runDemo(
  options: DemoOptions,
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
) {
  await mkdir(options.out, { recursive: true });
  const started = Date.now();
  const done: { step: Step; result?: StepResult; error?: string; seconds: number }[] = [];
  // One LibreOffice listener for every document step: started once instead of a LibreOffice per
  // step, and closed however the demo ends. One, not two: the demo converts 16 documents, and a
  // second listener's start-up (~5 s of CPU, measured) would be taken from the OCR running alongside.
  const pool = new LibreOfficePool({ workers: 1 });
  const steps = demoSteps(options, pool);
  const runStep = async (step: Step) => {
    const t = Date.now();
    try {
      const result = await step.run();
      return { step, result, seconds: (Date.now() - t) / 1000 };
    } catch (err) {
      const message =
        err instanceof RunError ? `${err.message}\n    → ${err.hint}` : String((err as Error)?.stack ?? err);
      return { step, error: message, seconds: (Date.now() - t) / 1000 };
    }
  };
  const report = (d: (typeof done)[number]) =>
    d.error
      ? `  ✗ ${d.error}`
      : `  ✓ ${formatSeconds(d.seconds)}${d.result?.note ? ` — ${d.result.note}` : ''}`;
  try {
    // Steps marked alongsideNext run together with the step after them: the forms and the notice
    // go through LibreOffice while ingest reads the scans (OCR is most of the demo's time, and
    // LibreOffice spends much of its own waiting on its pipes). Their lines are printed after.
    for (let i = 0; i < steps.length; ) {
      const group: Step[] = [];
      while (i < steps.length) {
        const step = steps[i++] as Step;
        group.push(step);
        if (!step.alongsideNext) break;
      }
      const first = steps.indexOf(group[0] as Step) + 1;
      if (group.length === 1) {
        log(`\n[${first}/${steps.length}] ${group[0]?.name}`);
        const d = await runStep(group[0] as Step);
        done.push(d);
        log(report(d));
        continue;
      }
      log(
        `\n[${first}–${first + group.length - 1}/${steps.length}] ${group.map((g) => g.name.split(' / ')[0]).join('、')}（同时进行 / at the same time）`,
      );
      const results = await Promise.all(group.map(runStep));
      for (const [k, d] of results.entries()) {
        done.push(d);
        log(`[${first + k}/${steps.length}] ${d.step.name}\n${report(d)}`);
      }
    }
  } finally {
    await pool.close();
  }
  const index = join(options.out, 'README.md');
  await writeFile(index, indexMarkdown(options, done, (Date.now() - started) / 1000));
  log(
    `\n演示完成 / demo finished in ${formatSeconds((Date.now() - started) / 1000)}. 结果目录 / everything is listed in ${index}:`,
  );
  for (const d of done)
    for (const o of d.result?.outputs ?? [])
      log(`  ${o.label.padEnd(28)} ${relative(process.cwd(), o.path)}`);
  const failed = done.filter((d) => d.error);
  if (failed.length) {
    throw new RunError(
      'internal',
      `演示有 ${failed.length} 步失败 / ${failed.length} demo step(s) failed: ${failed.map((f) => f.step.name).join('; ')}`,
      'See the messages above; each names what to install or fix.',
    );
  }
}

function _documentNote(written: number, failures: readonly { id: string; message: string }[]): string {
  const failed = failures.map((f) => `${f.id}：${f.message.split('\n')[0]}`).join('；');
  return `${written} 份（docx + PDF）${failed ? `；未生成 not written — ${failed}` : ''}`;
}

function indexMarkdown(
  options: DemoOptions,
  done: { step: Step; result?: StepResult; error?: string; seconds: number }[],
  seconds: number,
): string {
  const lines = [
    '# xietong 演示结果 / demo output',
    '',
    `样例数据 samples: \`${options.samples}\` (fictional 虚构) · 用时 ${formatSeconds(seconds)}`,
    '',
  ];
  for (const d of done) {
    lines.push(`## ${d.step.name}`, '');
    if (d.error) lines.push(`✗ 失败 failed: ${d.error.split('\n')[0]}`, '');
    if (d.result?.note) lines.push(d.result.note, '');
    for (const o of d.result?.outputs ?? [])
      lines.push(`- ${o.label}: [${relative(options.out, o.path) || '.'}](${relative(options.out, o.path)})`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('demo')
    .summary('run everything on the bundled samples into output/ / 用示例数据演示全部流程')
    .description(
      '用 samples/ 中的虚构示例演示全部流程：空白表格和预填表格、通知、导入扫描件和 Word 表格……\n' +
        'Runs the whole story on the fictional samples and writes everything into the output folder,\n' +
        'with an index (README.md) of what was produced.',
    )
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('--samples <dir>', 'samples folder (default: the samples bundled with xietong)', BUNDLED_SAMPLES)
    .option('--no-ocr', 'skip the scans (OCR is the slow step); .docx forms are still read')
    .action(async (opts: DemoOptions) => {
      await runDemo(opts);
    });
}
