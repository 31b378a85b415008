// `xietong check`: the field and programme rules over every stored record (corrections applied),
// and the rules across records. Issues are data: the command succeeds when it finds some, unless
// --strict asks it to fail on errors.
import { type Command, Option } from 'commander';
import { checkAll } from '../app/index.js';
import type { CheckReport } from '../check/index.js';
import { type Lang, reportText } from '../check/report.js';
import { RunError } from '../errors.js';
import { DB_OPTION_HELP, type Output, REFERENCE_DATE_HELP, withStoreReadOnly } from './store.js';

export interface CheckCommandOptions {
  db?: string;
  lang?: Lang;
  json?: boolean;
  strict?: boolean;
  all?: boolean;
  referenceDate?: string;
}

/** The command as a plain function: tests call it directly. */
export async function runCheck(
  options: CheckCommandOptions,
  out: Output = process.stdout,
): Promise<CheckReport> {
  const { report } = await withStoreReadOnly(options.db, (store) =>
    checkAll(store, { referenceDate: options.referenceDate }),
  );
  if (options.json) out.write(`${JSON.stringify(report, null, 2)}\n`);
  else out.write(`${reportText(report, options.lang ?? 'zh', { all: options.all })}\n`);
  const errors = report.summary.bySeverity.error;
  if (options.strict && errors > 0) {
    throw new RunError(
      'badDataFile',
      `检查发现 ${errors} 个错误（--strict）。 / check found ${errors} errors (--strict).`,
      'Correct the fields (`xietong store correct …` or the review page) and run `xietong check` again.',
    );
  }
  return report;
}

export function register(program: Command): void {
  program
    .command('check')
    .summary('check every stored record, and across records / 检查记录')
    .description(
      '对数据库中的全部记录（按人工更正后的值）检查填写规范和通知规定的条件，并做跨记录检查：\n' +
        '同一人重复报名或分属两个团队、同一企业重复提交、一式二份两份内容不一致。\n' +
        'Runs the field and programme rules over every stored record with corrections applied, and\n' +
        'the rules across records: one person applying twice or in two teams, one enterprise twice,\n' +
        'a 一式二份 copy that disagrees with its twin. Issues are data: exit 0 unless --strict.',
    )
    .option('--db <file>', DB_OPTION_HELP)
    .addOption(new Option('--lang <lang>', 'message language').choices(['zh', 'en']).default('zh'))
    .option('--json', 'print the report as JSON')
    .option('--all', 'list records without issues too')
    .option('--strict', 'exit non-zero (13) when any error-level issue is found')
    .option('--reference-date <YYYY-MM-DD>', REFERENCE_DATE_HELP)
    .addHelpText(
      'after',
      `
Examples / 示例:
  xietong check
  xietong check --lang en --json > issues.json
  xietong check --strict --db output/xietong.db`,
    )
    .action(async (opts: CheckCommandOptions) => {
      await runCheck(opts);
    });
}
