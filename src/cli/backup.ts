// `xietong backup <file>` and `xietong restore <file> --to <folder>`: the database (a consistent
// copy, safe while the workbench runs) and its data folder (uploads, crops, certificate, last
// export) in one archive, and back into a fresh folder. The work is ../app/backup.ts.
import type { Command } from 'commander';
import { backupStore, restoreBackup } from '../app/backup.js';
import { defaultDbPath } from '../store/index.js';
import { dataDirOf } from './serve.js';
import { DB_OPTION_HELP, type Output } from './store.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function runBackup(
  file: string,
  options: { db?: string },
  out: Output = process.stdout,
): Promise<void> {
  const db = options.db ?? defaultDbPath();
  const r = await backupStore({ db, dataDir: dataDirOf(db), archive: file });
  out.write(
    `已备份 / backed up: ${r.archive}（${mb(r.bytes)}）\n` +
      `  ${r.records} 份记录 records，${r.files} 个文件 files${r.external ? `（其中 ${r.external} 个原图在数据文件夹之外 crops from outside the data folder）` : ''}\n` +
      '  备份含全部个人数据：请存放在另一台机器或加密的介质上。 / The archive holds all personal data: keep it on another machine or encrypted media.\n',
  );
}

export async function runRestore(
  file: string,
  options: { to: string },
  out: Output = process.stdout,
): Promise<void> {
  const r = await restoreBackup({ archive: file, to: options.to });
  out.write(
    `已恢复 / restored: ${r.db}（${r.records} 份记录 records，${r.files} 个文件 files，备份于 backed up ${r.manifest.createdAt}）\n` +
      `  数据文件夹 / data folder: ${r.dataDir}\n` +
      `  使用 / use it: xietong serve --db ${r.db}\n`,
  );
}

export function register(program: Command): void {
  program
    .command('backup')
    .summary('the database and its data folder in one archive / 备份')
    .description(
      '把数据库（一致的副本，工作台运行时也可以备份）和数据文件夹（上传的文件、原图、证书）写入一个备份文件。\n' +
        'Writes the database (a consistent copy, also while the workbench runs) and its data folder\n' +
        '(uploads, crops, certificate) into one archive (.tar.gz).',
    )
    .argument('<file>', 'the archive to write, e.g. /mnt/backup/xietong-2026-12-07.tar.gz')
    .option('--db <file>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Examples / 示例:
  xietong backup /mnt/usb/xietong-$(date +%F).tar.gz --db /srv/xietong/xietong.db
  xietong restore /mnt/usb/xietong-2026-12-07.tar.gz --to /srv/xietong-restored`,
    )
    .action((file: string, opts: { db?: string }) => runBackup(file, opts));
  program
    .command('restore')
    .summary('a backup into a new folder / 从备份恢复')
    .description(
      '把备份文件恢复到一个新的（或空的）文件夹：数据库和数据文件夹，原图路径随之更新。\n' +
        'Restores an archive into a new or empty folder: the database and its data folder, crop paths\n' +
        'pointed at the new place. Never overwrites anything.',
    )
    .argument('<file>', 'an archive `xietong backup` wrote')
    .requiredOption('--to <folder>', 'a new or empty folder')
    .action((file: string, opts: { to: string }) => runRestore(file, opts));
}
