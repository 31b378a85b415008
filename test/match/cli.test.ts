// `xietong match` and `xietong match confirm` the way a user runs them: through main().
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EXIT_CODES } from '../../src/errors.js';
import { DEMAND_SHEET } from '../../src/match/workbook.js';
import { SAMPLE_RECORD_FILES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-match-cli-'));
let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const xietong = (...args: string[]) => main(['node', 'xietong', ...args]);

describe('xietong match', () => {
  const out = join(dir, 'run');

  it('merges the records files, prints the top suggestions and writes suggestions.xlsx and .json', async () => {
    expect(await xietong('match', '--records', ...SAMPLE_RECORD_FILES, '--out', out, '--top', '3')).toBe(
      EXIT_CODES.ok,
    );
    expect(existsSync(join(out, 'suggestions.xlsx'))).toBe(true);
    expect(existsSync(join(out, 'suggestions.json'))).toBe(true);
    // reg-09 (初级 title, no graduate degree) is not eligible: left out, with the rule's sentence.
    expect(stdout).toContain('9 份需求表、5 项难题、11 名人才（团队）');
    expect(stdout).toMatch(/未参与匹配 \/ skipped reg-09 \(registration\): 不符合申报条件/);
    expect(stdout).toMatch(/dem-01 景德镇市瓷韵日用陶瓷有限公司\n\s+1\.\s+\d+\s+程立新/);
  });

  it('confirm prints the pairs marked 是', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'suggestions.xlsx'));
    const sheet = wb.getWorksheet(DEMAND_SHEET) as ExcelJS.Worksheet;
    sheet.getRow(2).getCell(10).value = '是';
    const marked = join(dir, 'marked.xlsx');
    await wb.xlsx.writeFile(marked);
    expect(await xietong('match', 'confirm', marked)).toBe(EXIT_CODES.ok);
    expect(stdout).toContain('已确认的对接 1 对');
    expect(stdout).toMatch(/dem-01 .* ↔ reg-01 程立新/);
    stdout = '';
    expect(await xietong('match', 'confirm', marked, '--json')).toBe(EXIT_CODES.ok);
    expect(JSON.parse(stdout).stubs[0]).toMatchObject({ demandId: 'dem-01', registrationId: 'reg-01' });
  });

  it('names the fix when there are no records', async () => {
    const cwd = process.cwd();
    process.chdir(dir); // no output/ingest/records.json here
    try {
      expect(await xietong('match', '--out', join(dir, 'none'))).toBe(EXIT_CODES.inputNotFound);
    } finally {
      process.chdir(cwd);
    }
    expect(stderr).toContain('xietong ingest');
  });

  it('rejects --top 0 as a usage error', async () => {
    expect(await xietong('match', '--records', ...SAMPLE_RECORD_FILES, '--top', '0')).toBe(EXIT_CODES.usage);
  });
});
