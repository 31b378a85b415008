// The folder walk and the exit status of ingest: symbolic links neither loop nor lead out of the
// folder given, and a run that read nothing, or was given a path that is not there, fails with its
// own exit code after writing what it has.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { discover } from '../../src/ingest/intake.js';
import { runCli } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-hostile-walk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('symbolic links in the folder walk', () => {
  it('follows none out of the tree and none twice', async () => {
    const root = join(dir, 'tree');
    const outside = join(dir, 'outside');
    mkdirSync(join(root, 'sub'), { recursive: true });
    mkdirSync(outside);
    copyFileSync('samples/docx/prob-01.docx', join(root, 'a.docx'));
    copyFileSync('samples/docx/prob-01.docx', join(outside, 'secret.docx'));
    symlinkSync('..', join(root, 'sub', 'loop')); // back to the tree's root: a loop
    symlinkSync(root, join(root, 'sub', 'again'));
    symlinkSync(join(outside, 'secret.docx'), join(root, 'z-out.docx'));
    symlinkSync(outside, join(root, 'z-outdir'));
    symlinkSync('a.docx', join(root, 'b-alias.docx')); // inside, but the same file: once
    const { files, failures } = await discover([root]);
    expect(files).toEqual([join(root, 'a.docx')]);
    expect(failures.map((f) => [f.code, f.file])).toEqual([
      ['link_outside_folder', join(root, 'z-out.docx')],
      ['link_outside_folder', join(root, 'z-outdir')],
    ]);
  });

  it('follows a link given by name on the command line', async () => {
    const link = join(dir, 'given-link');
    symlinkSync(join(dir, 'outside'), link);
    const { files } = await discover([link]);
    expect(files).toEqual([join(link, 'secret.docx')]);
  });
});

describe('ingest exit status', () => {
  it('lists its own exit codes in --help', () => {
    const run = runCli(['--help']);
    expect(run.stdout).toMatch(new RegExp(`\\b${EXIT_CODES.nothingRead}\\s+nothingRead`));
    expect(run.stdout).toMatch(new RegExp(`\\b${EXIT_CODES.inputNotFound}\\s+inputNotFound`));
  });

  it('exits inputNotFound when a path does not exist, after reading the others', () => {
    const out = join(dir, 'out-missing');
    const run = runCli([
      'ingest',
      join(dir, 'no-such-folder'),
      'samples/docx/prob-01.docx',
      '--no-db',
      '--out',
      out,
    ]);
    expect(run.status).toBe(EXIT_CODES.inputNotFound);
    expect(run.stderr).toMatch(/找不到文件或文件夹/);
    expect(existsSync(join(out, 'records.json'))).toBe(true);
  });

  it('exits nothingRead when every file failed', () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'x.docx'), 'not a Word file');
    writeFileSync(join(bad, 'y.png'), Buffer.alloc(0));
    const run = runCli(['ingest', bad, '--no-db', '--out', join(dir, 'out-bad')]);
    expect(run.status).toBe(EXIT_CODES.nothingRead);
    expect(run.stderr).toMatch(/没有读出任何记录/);
  });

  it('exits nothingRead on an empty folder', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(runCli(['ingest', empty, '--no-db', '--out', join(dir, 'out-empty')]).status).toBe(
      EXIT_CODES.nothingRead,
    );
  });

  it('exits 0 when something was read', () => {
    expect(
      runCli(['ingest', 'samples/docx/prob-01.docx', '--no-db', '--out', join(dir, 'out-ok')]).status,
    ).toBe(0);
  });
});
