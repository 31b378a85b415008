// A "billion laughs" YAML file (aliases of aliases) as each configuration and data file: a named
// bad-data-file error, never an internal error or a run out of memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readYamlFile } from '../../src/config-file.js';
import { EXIT_CODES, RunError } from '../../src/errors.js';
import { parseAgreementConfig } from '../../src/render/agreements.js';
import { parseNoticeData } from '../../src/render/notice.js';
import { parseScoringConfig } from '../../src/scores/config.js';
import { runCli } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-hostile-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Nine levels of nine aliases each: 9⁹ (387 million) strings once expanded. */
function laughs(): string {
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(',')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('YAML alias bombs', () => {
  it.each([
    ['scoring.yaml', (s: string) => parseScoringConfig(s, 'scoring.yaml')],
    ['agreement.yaml', (s: string) => parseAgreementConfig(s, 'agreement.yaml')],
    ['notice.yaml', (s: string) => parseNoticeData(s, 'notice.yaml')],
  ])('%s: a bad data file naming the aliases', (_, parse) => {
    let thrown: unknown;
    try {
      parse(laughs());
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RunError);
    expect((thrown as RunError).exit).toBe('badDataFile');
    expect((thrown as RunError).message).toMatch(/别名/);
  });

  it('a configuration read through readYamlFile (match, vocabularies)', () => {
    const file = join(dir, 'match.yaml');
    writeFileSync(file, laughs());
    const bad = (f: string, problem: string) => new RunError('badDataFile', `${f}: ${problem}`, 'fix it');
    expect(() => readYamlFile(file, z.unknown(), bad)).toThrow(/别名/);
  });

  it('scores import --config with a bomb exits badDataFile', () => {
    const file = join(dir, 'scoring.yaml');
    writeFileSync(file, laughs());
    const run = runCli([
      'scores',
      'import',
      'samples/scores/scores-a.xlsx',
      '--config',
      file,
      '--out',
      join(dir, 's.xlsx'),
    ]);
    expect(run.status).toBe(EXIT_CODES.badDataFile);
    expect(run.stderr).toMatch(/别名/);
  });
});
