// `xietong store …`: look into the database and make corrections from the command line — the same
// operations the review page offers (list, show, queue, correct, approve, history). Also the
// helpers the check and export commands use to open the database.

import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CopyFile, erasePerson, planErasure } from '../app/index.js';
import { RunError } from '../errors.js';
import { FORMS, fieldDef } from '../forms/index.js';
import { reviewQueue } from '../review/queue.js';
import {
  defaultDbPath,
  type HistoryEvent,
  type OpenStoreOptions,
  openStore,
  type Scalar,
  type SqliteRecordStore,
  type StoredRecord,
  StoreError,
  titleOf,
} from '../store/index.js';
import { valueFromText } from '../store/values.js';
import { FORM_KINDS, type FormKind } from '../types.js';

export interface Output {
  write(text: string): unknown;
}

export const DB_OPTION_HELP = 'SQLite database (default: $XIETONG_DB or ./xietong.db)';

export const REFERENCE_DATE_HELP = 'date for the service-years rule when a form has no filling date';

/** Opens the database for a command that reads it: a missing file is an error, not a new empty store. */
export async function openExistingStore(
  db: string | undefined,
  options: OpenStoreOptions = {},
): Promise<SqliteRecordStore> {
  const path = db ?? defaultDbPath();
  if (!existsSync(path)) {
    throw new RunError(
      'inputNotFound',
      `找不到数据库 ${path}。 / No database at ${path}.`,
      'Run `xietong ingest <folder>` first (it saves into ./xietong.db), or point --db / XIETONG_DB at the file.',
    );
  }
  return openStore(path, options);
}

/** Uploaded files, ingest output (crops) and the last export: beside the database they belong to. */
export function dataDirOf(db: string): string {
  const path = resolve(db);
  return join(dirname(path), `${basename(path, extname(path))}-files`);
}

/** Runs `f` with an open store, closing it afterwards; a refused request becomes a RunError. */
export async function withStore<T>(
  db: string | undefined,
  f: (store: SqliteRecordStore) => Promise<T>,
  hint: (err: StoreError) => string = hintFor,
  options: OpenStoreOptions = {},
): Promise<T> {
  const store = await openExistingStore(db, options);
  try {
    return await f(store);
  } catch (err) {
    if (err instanceof StoreError) {
      const exit =
        err.code === 'record_not_found'
          ? 'inputNotFound'
          : err.code === 'invalid_row'
            ? 'storeFailed'
            : 'usage';
      throw new RunError(exit, `${err.message} / ${err.messageEn}`, hint(err), { cause: err });
    }
    throw err;
  } finally {
    await store.close();
  }
}

/** withStore for commands that only look: the file is opened read-only. */
export function withStoreReadOnly<T>(
  db: string | undefined,
  f: (store: SqliteRecordStore) => Promise<T>,
  hint: (err: StoreError) => string = hintFor,
): Promise<T> {
  return withStore(db, f, hint, { readOnly: true });
}

function hintFor(err: StoreError): string {
  switch (err.code) {
    case 'record_not_found':
      return 'List the record ids with `xietong store list`.';
    case 'unknown_field':
      return 'Field names are those of docs/record-format.md (e.g. birthMonth, needs.problems); `xietong store show <id>` lists them.';
    case 'invalid_value':
    case 'invalid_input':
      return 'Type the value as it should read on the form, e.g. 1985年3月, 13907981234, 3人; use "" for blank.';
    case 'conflict':
      return 'Someone changed the field meanwhile: look at `xietong store history <id>` and try again.';
    case 'invalid_row':
      return 'The database file was changed outside xietong; restore it from a backup.';
  }
}

export const currentUser = (): string => process.env.XIETONG_USER?.trim() || userInfo().username;

const show = (v: Scalar | undefined): string =>
  v === null || v === undefined ? '（空）' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v);
const statusText = (r: StoredRecord) => (r.status === 'verified' ? '已核对 verified' : '待审核 pending');

export function recordText(r: StoredRecord): string {
  const lines = [
    `${FORMS[r.form].shortName} ${r.id} ${titleOf(r)} · ${statusText(r)}${r.copyOf ? ` · ${r.copyOf} 的另一份 copy` : ''}`,
    `  来源 sources: ${r.sources.map((s) => `${s.file}${s.page ? ` p${s.page}` : ''}`).join(', ')}`,
  ];
  if (r.review)
    lines.push(`  ${r.review.action === 'approve' ? '核对' : '退回'} by ${r.review.by} at ${r.review.at}`);
  for (const [key, f] of Object.entries(r.fields)) {
    const label = fieldDef(r.form, key)?.header ?? key;
    const mark = f.correction ? ' ✎' : f.needsReview ? ' ⚠' : '';
    const read =
      f.correction && f.read
        ? ` （原识别 read: ${show(f.read.value)}，${f.correction.by} ${f.correction.at}）`
        : '';
    const conf =
      f.read && !f.correction && f.read.confidence < 1 ? ` [${Math.round(f.read.confidence * 100)}%]` : '';
    lines.push(`  ${key.padEnd(24)} ${label}: ${show(f.value)}${conf}${mark}${read}`);
  }
  return lines.join('\n');
}

/** One line per copy outside the database: rewritten (or to be), skipped as gone, or failed with what to do. */
function copiesText(copies: readonly CopyFile[], planned: boolean): string {
  return copies
    .map((c) => {
      const path = relative(process.cwd(), c.path) || c.path;
      switch (c.outcome) {
        case 'changed':
          return `  ✎ ${planned ? '将改写 would rewrite' : '已改写 rewritten'}: ${path}${c.crops ? `（另删除截图 ${c.crops} 个 crops removed）` : ''}`;
        case 'missing':
          return `  - 已不存在，跳过 no longer exists, skipped: ${path}`;
        case 'failed':
          return `  ✗ 无法改写 cannot rewrite: ${path}（${c.error ?? ''}）→ ${c.hint ?? ''}`;
      }
      return '';
    })
    .join('\n');
}

function historyText(events: HistoryEvent[]): string {
  return events
    .map((e): string => {
      switch (e.kind) {
        case 'read':
        case 'reread':
          return `${e.readAt}  ${e.kind === 'read' ? '识别 read  ' : '重新识别 reread'} ${e.field} = ${show(e.value)} (${Math.round(e.confidence * 100)}%, ${e.engine.engine}${e.engine.model ? ` ${e.engine.model}` : ''})`;
        case 'correction':
          return `${e.at}  更正 correct  ${e.field}: ${show(e.oldValue)} → ${show(e.newValue)} by ${e.by}${e.reason ? `（${e.reason}）` : ''}`;
        case 'approve':
        case 'reopen':
          return `${e.at}  ${e.kind === 'approve' ? '核对 approve' : '退回 reopen'} by ${e.by}${e.note ? `（${e.note}）` : ''}`;
        default:
          return '';
      }
    })
    .join('\n');
}

interface DbOpt {
  db?: string;
}

export function register(program: Command): void {
  const store = program
    .command('store')
    .summary('look into the database, correct and approve records / 数据库：查看、更正、核对')
    .description(
      '查看数据库中的记录，更正字段（原识别值保留，每次更正都有记录），标记记录已核对。\n' +
        'Looks into the database; corrects fields (the value read is kept and every correction is\n' +
        'recorded with who, when and why) and marks records verified.',
    )
    .addHelpText(
      'after',
      `
Examples / 示例:
  xietong store info
  xietong store queue
  xietong store correct reg-1a2b3c4d5e6f birthMonth 1985年3月 --by 张三 --reason 对照原件
  xietong store approve reg-1a2b3c4d5e6f --by 张三
  xietong store history reg-1a2b3c4d5e6f`,
    );

  store
    .command('info')
    .description('where the database is, its schema version and what it holds')
    .option('--db <file>', DB_OPTION_HELP)
    .action(async (opts: DbOpt) => {
      await withStoreReadOnly(opts.db, async (s) => {
        const c = await s.counts();
        process.stdout.write(
          `${[
            `数据库 database: ${relative(process.cwd(), s.location) || s.location} (schema v${await s.schemaVersion()})`,
            `  记录 records: ${c.records}（${FORM_KINDS.map((k) => `${FORMS[k].shortName} ${c.byForm[k]}`).join('、')}；一式二份副本 copies ${c.copies}）`,
            `  已核对 verified: ${c.verified} · 待人工核对 needing review: ${c.needingReview} · 更正 corrections: ${c.corrections}`,
          ].join('\n')}\n`,
        );
      });
    });

  store
    .command('list')
    .description('one line per record')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--form <form>', 'registration | demand | problem')
    .option('--json', 'as JSON')
    .action(async (opts: DbOpt & { form?: FormKind; json?: boolean }) => {
      await withStoreReadOnly(opts.db, async (s) => {
        const records = await s.listRecords(opts.form ? { form: opts.form } : {});
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
          return;
        }
        for (const r of records) {
          const flagged = Object.values(r.fields).filter((f) => f.needsReview).length;
          process.stdout.write(
            `${r.id}  ${FORMS[r.form].shortName}  ${titleOf(r) || '—'}  ${statusText(r)}${flagged ? `  ⚠ ${flagged}` : ''}${r.copyOf ? `  → ${r.copyOf}` : ''}\n`,
          );
        }
      });
    });

  store
    .command('show')
    .description('every field of a record: current value, what was read, corrections')
    .argument('<id>')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--json', 'as JSON')
    .action(async (id: string, opts: DbOpt & { json?: boolean }) => {
      await withStoreReadOnly(opts.db, async (s) => {
        const r = await s.getRecord(id);
        if (!r) throw new StoreError('record_not_found', `找不到记录 ${id}。`, `No record ${id}.`);
        process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : `${recordText(r)}\n`);
      });
    });

  store
    .command('queue')
    .description('records with fields needing review, worst first')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--limit <n>', 'at most n records', (v) => Number.parseInt(v, 10))
    .action(async (opts: DbOpt & { limit?: number }) => {
      await withStoreReadOnly(opts.db, async (s) => {
        const queue = await reviewQueue(s, { limit: opts.limit });
        if (queue.length === 0) process.stdout.write('没有待人工核对的字段 / nothing needs review\n');
        for (const item of queue) {
          process.stdout.write(`${item.id} ${FORMS[item.form].shortName} ${item.title || '—'}\n`);
          for (const f of item.fields)
            process.stdout.write(
              `  ⚠ ${f.key} ${f.label}: ${show(f.value)} [${Math.round(f.confidence * 100)}%]\n`,
            );
        }
      });
    });

  store
    .command('correct')
    .description('set a field to the value on paper (typed as on the form; "" for blank)')
    .argument('<id>')
    .argument('<field>', 'field name, e.g. birthMonth')
    .argument('<value>', 'e.g. 1985年3月')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--by <name>', 'who corrects (default: $XIETONG_USER or the login name)')
    .option('--reason <text>', 'why, e.g. 对照原件')
    .action(
      async (id: string, field: string, text: string, opts: DbOpt & { by?: string; reason?: string }) => {
        await withStore(opts.db, async (s) => {
          const r = await s.getRecord(id);
          if (!r) throw new StoreError('record_not_found', `找不到记录 ${id}。`, `No record ${id}.`);
          const parsed = valueFromText(r.form, field, text);
          if (!parsed.ok) throw new StoreError('invalid_value', parsed.message, parsed.messageEn);
          const c = await s.correctField(id, field, {
            value: parsed.value,
            by: opts.by ?? currentUser(),
            ...(opts.reason ? { reason: opts.reason } : {}),
          });
          process.stdout.write(`✓ ${id} ${field}: ${show(c.oldValue)} → ${show(c.newValue)} (${c.by})\n`);
          for (const note of parsed.notes) process.stdout.write(`  ! ${note}\n`);
        });
      },
    );

  for (const action of ['approve', 'reopen'] as const) {
    store
      .command(action)
      .description(
        action === 'approve'
          ? 'mark a record verified (已核对); a later correction makes it pending again'
          : 'set a verified record back to pending (待审核)',
      )
      .argument('<ids...>')
      .option('--db <file>', DB_OPTION_HELP)
      .option('--by <name>', 'who (default: $XIETONG_USER or the login name)')
      .option('--note <text>', 'a note')
      .action(async (ids: string[], opts: DbOpt & { by?: string; note?: string }) => {
        await withStore(opts.db, async (s) => {
          for (const id of ids) {
            const actor = { by: opts.by ?? currentUser(), ...(opts.note ? { note: opts.note } : {}) };
            const r =
              action === 'approve' ? await s.approveRecord(id, actor) : await s.reopenRecord(id, actor);
            process.stdout.write(
              `✓ ${id} ${action === 'approve' ? '已核对 verified' : '待审核 pending'} (${r.by})\n`,
            );
          }
        });
      });
  }

  store
    .command('erase')
    .description(
      "delete a person's records whole (个人信息保护法: the right to deletion) — from the database and\n" +
        "from the copies xietong wrote (ingest's records.json and crops, exported 汇总表/CSV/JSON) —\n" +
        'keeping one audit line (who, when, why, which ids); without --yes, only lists what would change',
    )
    .argument('<who>', 'a record id, or the name in 姓名 / 联系人')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--by <name>', 'who erases (default: $XIETONG_USER or the login name)')
    .option('--reason <text>', 'why, e.g. 本人申请删除 (no personal data: it is kept)')
    .option('--yes', 'delete (without it: list only)')
    .action(async (who: string, opts: DbOpt & { by?: string; reason?: string; yes?: boolean }) => {
      await withStore(
        opts.db,
        async (s) => {
          const records = await s.findPerson(who);
          if (records.length === 0)
            throw new StoreError(
              'record_not_found',
              `找不到与「${who}」有关的记录。`,
              `No record of ${who}.`,
            );
          for (const r of records)
            process.stdout.write(`  ${r.id}  ${FORMS[r.form].shortName}  ${titleOf(r) || '—'}\n`);
          const ids = records.map((r) => r.id);
          if (!opts.yes) {
            const copies = await planErasure(s, ids);
            if (copies.length > 0)
              process.stdout.write(
                `数据库之外的副本 / copies outside the database:\n${copiesText(copies, true)}\n`,
              );
            process.stdout.write(
              `以上 ${records.length} 份记录将被删除${copies.length > 0 ? '，副本将被改写' : ''}；确认后加 --yes --reason … 再运行 / add --yes (and --reason) to delete them\n`,
            );
            return;
          }
          const done = await erasePerson(s, ids, {
            by: opts.by ?? currentUser(),
            reason: opts.reason ?? '',
          });
          const changed = done.copies.filter((c) => c.outcome === 'changed').length;
          const failed = done.copies.filter((c) => c.outcome === 'failed');
          process.stdout.write(
            `✓ 已删除 ${done.erased.length} 份记录及其识别、更正、核对记录和 ${done.filesRemoved} 个原图截图，改写副本 ${changed} 个（审计记录 #${done.auditId}）\n` +
              `  erased ${done.erased.length} record(s), their history and ${done.filesRemoved} crop image(s); ${changed} file(s) outside it rewritten; audit line #${done.auditId}\n` +
              (done.copies.length > 0 ? `${copiesText(done.copies, false)}\n` : '') +
              '  ! 不在此列 / not covered: 原始扫描件和 Word 文件（您提供的原件）、复制到别处的文件、未记入数据库的导出（--no-db、旧版本）。\n' +
              '    the original scans and .docx files you gave, files copied elsewhere, outputs the database never knew of (--no-db, older versions).\n',
          );
          if (failed.length > 0)
            throw new RunError(
              'storeFailed',
              `数据库中的记录已删除，但 ${failed.length} 个副本未能改写 / the records are erased from the database, but ${failed.length} file(s) outside it could not be rewritten`,
              failed.map((f) => `${f.path}: ${f.hint ?? ''}`).join('\n    '),
            );
        },
        (err) =>
          err.code === 'invalid_input'
            ? 'Give --reason (and --by): they go into the audit line.'
            : hintFor(err),
      );
    });

  store
    .command('history')
    .description('every reading, correction and review of a record, oldest first')
    .argument('<id>')
    .argument('[field]')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--json', 'as JSON')
    .action(async (id: string, field: string | undefined, opts: DbOpt & { json?: boolean }) => {
      await withStoreReadOnly(opts.db, async (s) => {
        const events = await s.history(id, field);
        process.stdout.write(opts.json ? `${JSON.stringify(events, null, 2)}\n` : `${historyText(events)}\n`);
      });
    });
}
