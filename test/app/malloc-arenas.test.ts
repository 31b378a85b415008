import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (env: Record<string, string | undefined>, code = 0) => {
  const { MALLOC_ARENA_MAX: _, ...rest } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/scripts/arenas.ts', String(code)], {
    encoding: 'utf8',
    env: { ...rest, ...env },
  });
};

// glibc's arenas are Linux's concern; elsewhere the process goes on as it was started.
const limited = process.platform === 'linux' ? '2\n' : 'unset\n';

describe('a run limited to two malloc arenas', () => {
  it('starts itself again with the limit, once, and ends with the same exit code', () => {
    const r = run({}, 7);
    expect(r.stdout).toBe(limited);
    expect(r.status).toBe(7);
  });
  it('keeps a limit the user set', () => {
    expect(run({ MALLOC_ARENA_MAX: '4' }).stdout).toBe('4\n');
  });
});
