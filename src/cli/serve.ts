// `xietong serve`: the workbench — the whole programme (import, review, check, export, match,
// projects, scoring, documents) on one page in the browser, on this machine only. The first thing a clerk runs: a database that does not exist yet is created
// (empty, the page then says to import first). Runs until Ctrl+C; the database stays open (WAL), so
// the command line can still read it meanwhile.
import type { Command } from 'commander';
import { REVIEW_BUSY_TIMEOUT_MS } from '../review/index.js';
import { defaultDbPath, openStore } from '../store/index.js';
import { startWorkbench } from '../web/index.js';
import { addOfficeOptions, checkOfficeOptions, type OfficeCommandOptions, runOffice } from './office.js';
import { cannotListen, portOf, serveUntilStopped, signalled } from './review.js';
import { DB_OPTION_HELP, dataDirOf, type Output, REFERENCE_DATE_HELP } from './store.js';

export { dataDirOf };

export interface ServeCommandOptions extends OfficeCommandOptions {
  db?: string;
  port?: number;
  /** false: print the URL only. */
  open?: boolean;
  by?: string;
  referenceDate?: string;
}

/** Serves the workbench until `until` resolves (default: Ctrl+C or SIGTERM). */
export async function runServe(
  options: ServeCommandOptions,
  out: Output = process.stdout,
  until: Promise<unknown> = signalled(),
): Promise<void> {
  const db = options.db ?? defaultDbPath();
  // Office mode (--lan, ./office.ts) listens beyond this machine, with accounts; nothing below does.
  checkOfficeOptions(options);
  if (options.lan) return runOffice({ ...options, dataDir: dataDirOf(db) }, out, until);
  const store = await openStore(db, { busyTimeoutMs: REVIEW_BUSY_TIMEOUT_MS });
  try {
    const server = await startWorkbench({
      store,
      dataDir: dataDirOf(db),
      port: options.port ?? 0,
      by: options.by ?? process.env.XIETONG_USER?.trim() ?? '',
      referenceDate: options.referenceDate,
    }).catch((err: unknown) => {
      throw cannotListen(err, options.port ?? 0, '工作台');
    });
    const counts = await store.counts();
    out.write(
      `工作台 / workbench: ${server.url}\n` +
        `  数据库 / database: ${store.location}（${counts.records} 份记录 records）· 仅本机可访问 (127.0.0.1)\n` +
        (counts.records === 0
          ? '  第一步：在页面「导入」中导入表格 / first: import forms on the page\n'
          : '') +
        '  按 Ctrl+C 结束 / Ctrl+C to stop\n',
    );
    await serveUntilStopped(server, options.open, out, until, '工作台已关闭 / workbench stopped');
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  addOfficeOptions(program.command('serve'))
    .summary('the workbench: the whole programme in the browser / 工作台（从这里开始）')
    .description(
      '在本机浏览器中打开工作台：导入表格（上传文件或填写路径）、逐项核对、检查问题、下载汇总表、\n' +
        '对接确认、项目条款与状态、专家评审、生成文书，每一步都说明下一步做什么。数据库不存在时新建。\n' +
        'Opens the workbench in the browser (127.0.0.1 only, a secret token in the URL): import forms\n' +
        '(upload or a path on this machine), review, check, download the 汇总表, confirm matches, fill\n' +
        "projects' terms and move their state, score, and render the documents. Creates the database\n" +
        'when it does not exist.\n' +
        '加 --lan 为办公室模式：同事在各自电脑的浏览器中登录使用（HTTPS，账号见 xietong user）。\n' +
        'With --lan: office mode, for colleagues on the office network (HTTPS, accounts: xietong user).',
    )
    .option('--db <file>', DB_OPTION_HELP)
    .option('--port <n>', 'port on 127.0.0.1 (0: a free port); with --lan default 8443', portOf, 0)
    .option('--no-open', 'print the URL only, do not open a browser')
    .option('--by <name>', '核对人 who reviews (default: $XIETONG_USER; can be typed on the page)')
    .option('--reference-date <YYYY-MM-DD>', REFERENCE_DATE_HELP)
    .addHelpText(
      'after',
      `
Examples / 示例:
  xietong serve
  xietong serve --db output/xietong.db --by 张三 --no-open
  xietong serve --lan                         办公室模式 office mode (HTTPS, accounts: xietong user)
  xietong serve --lan --cert bureau.pem --key bureau.key --port 443`,
    )
    .action(async (opts: ServeCommandOptions) => {
      await runServe(opts);
    });
}
