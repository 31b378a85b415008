// `xietong serve --lan`: office mode — the workbench for colleagues' browsers on the office network,
// behind accounts (`xietong user`). The options live here and are added to `serve` by one call, so
// loopback mode's command stays as it was. Refuses to start without an account, or with a
// half-given certificate; serves over TLS unless told `--insecure-http`.
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { RunError } from '../errors.js';
import { REVIEW_BUSY_TIMEOUT_MS } from '../review/index.js';
import { defaultDbPath, openStore } from '../store/index.js';
import { openUsers } from '../store/users.js';
import { INSECURE_WARNING } from '../web/office/pages.js';
import { LAN_HOST, startOffice } from '../web/office/server.js';
import { type Certificate, givenCertificate, keptCertificate } from '../web/office/tls.js';
import { lanAddresses } from './office-addresses.js';
import type { Output } from './store.js';

/** The port office mode listens on unless told: a fixed one, for the firewall rule and bookmarks. */
export const OFFICE_PORT = 8443;

export interface OfficeCommandOptions {
  db?: string;
  port?: number;
  referenceDate?: string;
  lan?: boolean;
  host?: string;
  cert?: string;
  key?: string;
  insecureHttp?: boolean;
}

/** Adds office mode's options to `serve`. */
export function addOfficeOptions(command: Command): Command {
  return command
    .option(
      '--lan',
      '办公室模式：让同一网络的同事用浏览器登录使用（需先 xietong user add）\noffice mode: serve the office network, with accounts',
    )
    .addOption(
      new Option(
        '--host <address>',
        `with --lan: the address to listen on (default ${LAN_HOST}: every interface)`,
      ),
    )
    .option('--cert <file>', "with --lan: the bureau's TLS certificate (PEM)")
    .option('--key <file>', 'with --lan: its private key (PEM)')
    .option('--insecure-http', 'with --lan: plain HTTP, no TLS (a warning on every page; not recommended)');
}

function usage(message: string, hint: string): RunError {
  return new RunError('usage', message, hint);
}

/** Office-mode options given without --lan, or given together when they exclude each other. */
export function checkOfficeOptions(o: OfficeCommandOptions): void {
  if (!o.lan) {
    const stray = (['host', 'cert', 'key', 'insecureHttp'] as const).filter((k) => o[k] !== undefined);
    if (stray.length)
      throw usage(
        `选项 ${stray.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(' ')} 只用于办公室模式。 / Only with --lan.`,
        'Add --lan to serve the office network, or leave these options out for this machine only.',
      );
    return;
  }
  if ((o.cert === undefined) !== (o.key === undefined))
    throw usage(
      '--cert 与 --key 须一起给出。 / --cert and --key go together.',
      'Give both files, or neither for a self-signed certificate.',
    );
  if (o.insecureHttp && o.cert)
    throw usage(
      '--insecure-http 与 --cert 不能同时使用。 / --insecure-http excludes --cert.',
      'Leave one out.',
    );
}

export async function runOffice(
  options: OfficeCommandOptions & { dataDir: string },
  out: Output,
  until: Promise<unknown>,
): Promise<void> {
  checkOfficeOptions(options);
  const db = options.db ?? defaultDbPath();
  const store = await openStore(db, { busyTimeoutMs: REVIEW_BUSY_TIMEOUT_MS });
  const users = await openUsers(store.location, { busyTimeoutMs: REVIEW_BUSY_TIMEOUT_MS });
  try {
    if (users.activeCount() === 0) {
      throw new RunError(
        'noAccount',
        `办公室模式需要账号，数据库 ${store.location} 中还没有可用的账号，未启动。 / No account: office mode did not start.`,
        `Create one first (it prints a first password), then start again:\n` +
          `    xietong user add <登录名> --name 姓名 --role admin${options.db ? ` --db ${options.db}` : ''}`,
      );
    }
    let certificate: Certificate | undefined;
    if (options.cert && options.key) certificate = await givenCertificate(options.cert, options.key);
    else if (!options.insecureHttp) certificate = await keptCertificate(join(options.dataDir, 'tls'));
    const port = options.port || OFFICE_PORT;
    const server = await startOffice({
      store,
      users,
      dataDir: options.dataDir,
      referenceDate: options.referenceDate,
      host: options.host ?? LAN_HOST,
      port,
      certificate,
    }).catch((err: unknown) => {
      const code = (err as { code?: string }).code;
      throw new RunError(
        'usage',
        `无法在 ${options.host ?? LAN_HOST}:${port} 上启动办公室模式（${(err as Error).message}）。 / Cannot listen.`,
        code === 'EADDRINUSE'
          ? 'The port is taken: choose another with --port.'
          : code === 'EACCES'
            ? 'Ports under 1024 need root: use the default 8443 or another port over 1024.'
            : 'Check --host names an address of this machine.',
        { cause: err },
      );
    });
    const counts = await store.counts();
    const hosts = server.address === LAN_HOST ? lanAddresses() : [server.address];
    const lines = [
      `办公室模式 / office mode: 同事在浏览器中打开 / colleagues open:`,
      ...hosts.map((h) => `    ${server.scheme}://${h.includes(':') ? `[${h}]` : h}:${server.port}/`),
      `  数据库 / database: ${store.location}（${counts.records} 份记录 records，${users.activeCount()} 个账号 accounts）`,
    ];
    if (certificate) {
      lines.push(
        `  证书 / certificate: ${certificate.origin === 'given' ? certificate.certPath : `自签名 self-signed（${certificate.origin === 'made' ? '刚生成 new' : '已有 kept'}，${certificate.certPath}）`}`,
        `  SHA-256 指纹 / fingerprint: ${certificate.fingerprint}`,
      );
      if (certificate.origin !== 'given')
        lines.push('  浏览器第一次会提示证书不受信任：请核对上面的指纹与浏览器显示的一致后再继续。');
    } else {
      lines.push(`  ⚠ ${INSECURE_WARNING}`);
    }
    lines.push(
      `  防火墙须放行 TCP ${server.port} 端口 / open TCP port ${server.port} in the firewall`,
      '  按 Ctrl+C 结束 / Ctrl+C to stop',
    );
    out.write(`${lines.join('\n')}\n`);
    try {
      await until;
    } finally {
      await server.close();
      out.write('办公室模式已关闭 / office mode stopped\n');
    }
  } finally {
    users.close();
    await store.close();
  }
}
