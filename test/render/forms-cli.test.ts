// `xietong forms` the way a user runs it: through main(), with its exit codes and messages.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formsCommand, readRecordsFile } from '../../src/cli/forms.js';
import { main } from '../../src/cli/main.js';
import { EXIT_CODES } from '../../src/errors.js';

const fixture = fileURLToPath(new URL('../fixtures/form-records.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xietong-forms-cli-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

let stderr = '';
let stdout = '';
beforeEach(() => {
  stderr = '';
  stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const xietong = (...args: string[]) => main(['node', 'xietong', ...args]);

describe('xietong forms', () => {
  it('writes blank .docx forms', async () => {
    const out = join(dir, 'blank-run');
    expect(await xietong('forms', '--no-pdf', '--out', out)).toBe(EXIT_CODES.ok);
    for (const kind of ['registration', 'demand', 'problem'])
      expect(existsSync(join(out, 'blank', `${kind}.docx`))).toBe(true);
    expect(stdout).toContain('空白表格 3 份');
  });

  it('writes pre-filled forms from a records file, one form only', async () => {
    const out = join(dir, 'filled-run');
    expect(await xietong('forms', '--no-pdf', '--out', out, '--data', fixture, '--form', 'demand')).toBe(
      EXIT_CODES.ok,
    );
    expect(existsSync(join(out, 'filled', 'dem-fixture-001.docx'))).toBe(true);
    expect(existsSync(join(out, 'filled', 'reg-fixture-001.docx'))).toBe(false);
    expect(existsSync(join(out, 'blank'))).toBe(false);
    expect(stdout).toContain('2 record(s) of other forms skipped');
  });

  it('rejects a bad records file with badDataFile, naming the file and the problems', async () => {
    const bad = file(
      'bad.json',
      JSON.stringify({
        submissions: [{ id: 'x', form: 'regstration', sources: [], fields: {}, issues: [] }],
      }),
    );
    expect(await xietong('forms', '--no-pdf', '--data', bad)).toBe(EXIT_CODES.badDataFile);
    expect(stderr).toContain(bad);
    expect(stderr).toContain('submissions[0].form');
  });

  it('rejects a file that is not JSON or not a list of records', async () => {
    await expect(readRecordsFile(file('x.json', '{ nope'))).rejects.toMatchObject({ exit: 'badDataFile' });
    await expect(readRecordsFile(file('y.json', '{"records": []}'))).rejects.toMatchObject({
      exit: 'badDataFile',
    });
    await expect(readRecordsFile(join(dir, 'missing.json'))).rejects.toMatchObject({ exit: 'inputNotFound' });
  });

  it('accepts a bare array of records', async () => {
    const { submissions } = JSON.parse(readFileSync(fixture, 'utf8'));
    expect(await readRecordsFile(file('array.json', JSON.stringify(submissions)))).toHaveLength(3);
  });

  it('refuses an unknown form kind as a usage error', async () => {
    expect(await xietong('forms', '--form', 'invoice')).toBe(EXIT_CODES.usage);
  });

  it('is a plain function too', async () => {
    const lines: string[] = [];
    const summary = await formsCommand(
      { out: join(dir, 'fn'), pdf: false, form: 'problem' },
      { write: (s) => lines.push(s) },
    );
    expect(summary.written).toHaveLength(1);
    expect(lines.join('')).toContain('附件3 难题征集表');
  });
});
