// `xietong review`: the workbench opened at its review queue (核对) — the same page as `xietong
// serve`, for whoever only reviews. Served on this machine only; runs until Ctrl+C; the database
// stays open (WAL) so ingest can keep writing meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { RunError } from '../errors.js';
import { REVIEW_BUSY_TIMEOUT_MS } from '../review/index.js';
import { reviewQueue } from '../review/queue.js';
import { startWorkbench } from '../web/index.js';
import { DB_OPTION_HELP, dataDirOf, type Output, openExistingStore } from './store.js';

export interface ReviewCommandOptions {
  db?: string;
  port?: number;
  /** false: print the URL only. */
  open?: boolean;
  by?: string;
}

/** Opens the page in the desktop's browser when there is a desktop; true if a browser was started. */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux') return false;
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  if (spawnSync('which', ['xdg-open'], { stdio: 'ignore' }).status !== 0) return false;
  const child = spawn('xdg-open', [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
  return true;
}

/** Why a local page could not be served, and what to do about it. */
export function cannotListen(err: unknown, port: number, what: string): RunError {
  const code = (err as { code?: string }).code;
  return new RunError(
    'usage',
    `无法在 127.0.0.1:${port} 上启动${what}（${(err as Error).message}）。 / Cannot listen.`,
    code === 'EADDRINUSE'
      ? 'The port is taken: choose another with --port, or --port 0 for a free one.'
      : 'Try --port 0.',
    { cause: err },
  );
}

/** Opens the browser on a one-time address (unless --no-open), serves until stopped, then closes. */
export async function serveUntilStopped(
  server: { oneTimeUrl(path?: string): string; close(): Promise<void> },
  open: boolean | undefined,
  out: Output,
  until: Promise<unknown>,
  stopped: string,
  path = '/',
): Promise<void> {
  if (open !== false && !openInBrowser(server.oneTimeUrl(path))) {
    out.write('  （未找到图形界面浏览器，请在浏览器中打开上面的网址 / open the URL above in a browser）\n');
  }
  try {
    await until;
  } finally {
    await server.close();
    out.write(`${stopped}\n`);
  }
}

/** Serves the page until `until` resolves (default: Ctrl+C or SIGTERM). */
export async function runReview(
  options: ReviewCommandOptions,
  out: Output = process.stdout,
  until: Promise<unknown> = signalled(),
): Promise<void> {
  const store = await openExistingStore(options.db, { busyTimeoutMs: REVIEW_BUSY_TIMEOUT_MS });
  try {
    const server = await startWorkbench({
      store,
      dataDir: dataDirOf(store.location),
      port: options.port ?? 0,
      by: options.by ?? process.env.XIETONG_USER?.trim() ?? '',
    }).catch((err: unknown) => {
      throw cannotListen(err, options.port ?? 0, '核对页面');
    });
    const queue = await reviewQueue(store);
    out.write(
      `核对页面 / review page: ${server.urlAt('/review')}\n` +
        `  待人工核对 ${queue.length} 份记录 / ${queue.length} records need review · 仅本机可访问 (127.0.0.1)\n` +
        '  页面顶部可转到工作台的其他步骤 / the other steps are the tabs at the top\n' +
        '  按 Ctrl+C 结束 / Ctrl+C to stop\n',
    );
    await serveUntilStopped(
      server,
      options.open,
      out,
      until,
      '核对页面已关闭 / review page stopped',
      '/review',
    );
  } finally {
    await store.close();
  }
}

export function signalled(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const portOf = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new RunError(
      'usage',
      `端口无效 / invalid port: ${v}`,
      'Use a number from 1 to 65535, or 0 for a free port.',
    );
  }
  return n;
};

export function register(program: Command): void {
  program
    .command('review')
    .summary('web page to check the fields OCR was unsure of / 人工核对页面')
    .description(
      '在本机浏览器中打开工作台的「核对」：逐项核对识别把握不足的字段，原图与识别值并排，可放大或看整页，\n' +
        '键盘操作（Enter 确认、Ctrl+Enter 核对通过）。其他步骤在页面顶部。\n' +
        'Opens the workbench at its review queue (127.0.0.1 only, with a secret token in the URL) to check ' +
        'the fields OCR was unsure of, crop beside value (enlarged, or the whole page, on demand), keyboard ' +
        'first; corrections and approvals go into the database. The other steps are the tabs at the top.',
    )
    .option('--db <file>', DB_OPTION_HELP)
    .option('--port <n>', 'port on 127.0.0.1 (0: a free port)', portOf, 0)
    .option('--no-open', 'print the URL only, do not open a browser')
    .option('--by <name>', '核对人 who reviews (default: $XIETONG_USER; can be typed on the page)')
    .addHelpText(
      'after',
      `
Examples / 示例:
  xietong review
  xietong review --db output/xietong.db --by 张三 --no-open`,
    )
    .action(async (opts: { db?: string; port: number; open: boolean; by?: string }) => {
      await runReview(opts);
    });
}
