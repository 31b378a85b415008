// The commands as a user types them, through the CLI's entry point and its exit codes:
// ingest → store queue/correct/approve/history → check → export.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EXIT_CODES } from '../../src/errors.js';
import { renderFormDocx } from '../../src/render/forms.js';
import { sampleRecords, valuesOf } from '../store/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-cli-store-'));
const forms = join(dir, 'forms');
const db = join(dir, 'x.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(forms);
  for (const r of sampleRecords().filter((r) => ['reg-10', 'reg-09', 'dem-01'].includes(r.id))) {
    writeFileSync(join(forms, `${r.id}.docx`), await renderFormDocx(r.form, valuesOf(r)));
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs the CLI in-process; returns the exit code and what it printed. */
async function xietong(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  const code = await main(['node', 'xietong', ...args]);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('the store commands', () => {
  it('ingest, correct, approve, check and export from the command line', async () => {
    const ingest = await xietong('ingest', forms, '--db', db, '--out', join(dir, 'ingest'));
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/数据库 \/ database .*x\.db: 新增 3 new/);

    const list = await xietong('store', 'list', '--db', db, '--json');
    const records = JSON.parse(list.stdout) as { id: string; fields: Record<string, { value: unknown }> }[];
    const reg10 = records.find((r) => r.fields.name?.value === '钟雅琴')?.id as string;
    expect(reg10).toMatch(/^reg-[0-9a-f]{12}$/);

    const before = await xietong('check', '--db', db);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/填写了团队名称「日用瓷坯釉配方创新团队」，但未填写团队入企人数/);

    const bad = await xietong('store', 'correct', reg10, 'teamSize', '好几个', '--db', db, '--by', '张三');
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toMatch(/无法识别的整数「好几个」/);

    const ok = await xietong(
      'store',
      'correct',
      reg10,
      'teamSize',
      '三人',
      '--db',
      db,
      '--by',
      '张三',
      '--reason',
      '电话核实',
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`✓ ${reg10} teamSize: （空） → 3 (张三)`);
    expect((await xietong('store', 'approve', reg10, '--db', db, '--by', '王科长')).code).toBe(0);

    const history = await xietong('store', 'history', reg10, 'teamSize', '--db', db);
    expect(history.stdout).toMatch(/识别 read {3}teamSize = （空）/);
    expect(history.stdout).toMatch(/更正 correct {2}teamSize: （空） → 3 by 张三（电话核实）/);

    const show = await xietong('store', 'show', reg10, '--db', db);
    expect(show.stdout).toMatch(/已核对 verified/);

    const after = await xietong('check', '--db', db, '--lang', 'en');
    expect(after.stdout).not.toMatch(/team_size_missing/);
    expect(after.stdout).toMatch(/not_eligible_title_or_degree/);
    const strict = await xietong('check', '--db', db, '--strict');
    expect(strict.code).toBe(EXIT_CODES.badDataFile);

    const out = join(dir, 'export');
    const exported = await xietong('export', '--db', db, '--out', out, '--format', 'xlsx,csv');
    expect(exported.code).toBe(0);
    expect(existsSync(join(out, '汇总表.xlsx'))).toBe(true);
    expect(existsSync(join(out, 'records.json'))).toBe(false);

    const info = await xietong('store', 'info', '--db', db);
    expect(info.stdout).toMatch(/已核对 verified: 1 .* 更正 corrections: 1/);
    expect((await xietong('store', 'show', 'reg-000000000000', '--db', db)).code).toBe(
      EXIT_CODES.inputNotFound,
    );
    expect((await xietong('check', '--db', join(dir, 'missing.db'))).code).toBe(EXIT_CODES.inputNotFound);
  });
});
