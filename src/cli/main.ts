// The CLI's only entry point: builds the command tree and is the one place that turns errors into
// exit codes. Each command lives in its own file and is a plain exported function tests can call.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, RunError } from '../errors.js';
import { PRIVATE_UMASK } from '../files.js';
import { guardStream } from '../terminal.js';
import { registerCommands } from './commands.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('xietong')
    .description(
      '协同 xietong — 景德镇市优秀专业技术人才入企协同创新（景科字〔2020〕14 号）的表格处理工具\n' +
        "Turns the programme's paper forms into records and records back into official documents.\n\n" +
        '从这里开始 / Start here:  xietong serve  — 在浏览器中打开工作台：导入、核对、检查、汇总\n' +
        '                          (the workbench in the browser: import, review, check, export)',
    )
    .showHelpAfterError('(add --help for usage / 使用 --help 查看用法)')
    .exitOverride()
    // Descriptions are written in lines under 100 characters: wrapped at 80 they break mid-line.
    .configureHelp({ helpWidth: 100 });
  registerCommands(program);
  program.addHelpText(
    'after',
    `
Exit codes / 退出码:
${Object.entries(EXIT_CODES)
  .map(([name, code]) => `  ${String(code).padStart(3)}  ${name}`)
  .join('\n')}`,
  );
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const unguard = [guardStream(process.stdout), guardStream(process.stderr)];
  // Everything a command writes holds personal data (records, crops, exports, the database): owner-only,
  // whatever the login's umask — set once here rather than at each of the many places that write.
  const umask = process.umask(PRIVATE_UMASK);
  try {
    await program.parseAsync(argv);
    return EXIT_CODES.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0
      return err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (err instanceof RunError) {
      process.stderr.write(`\n✗ ${err.message}\n  → ${err.hint}\n`);
      return EXIT_CODES[err.exit];
    }
    process.stderr.write(
      `\n✗ internal error / 内部错误: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.stderr.write('  → this is a bug in xietong; please report it with the command you ran.\n');
    return EXIT_CODES.internal;
  } finally {
    for (const f of unguard) f();
    process.umask(umask);
  }
}
