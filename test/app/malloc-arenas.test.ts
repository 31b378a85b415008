import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (env: Record<string, string | undefined>, code = 0) => {
  const { MALLOC_ARENA_MAX: _, ...rest } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/scripts/arenas.ts', String(code)], {
    encoding: 'utf8',
    env: { ...rest, ...env },
  });
};

describe.runIf(process.platform === 'linux')('a run limited to two malloc arenas', () => {
  it('starts itself again with the limit, once, and ends with the same exit code', () => {
    const r = run({}, 7);
    expect(r.stdout).toBe('2\n');
    expect(r.status).toBe(7);
  });
  it('keeps a limit the user set', () => {
    expect(run({ MALLOC_ARENA_MAX: '4' }).stdout).toBe('4\n');
  });
});
