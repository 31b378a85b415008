// `xietong serve`: creates a database that is not there yet (a clerk starts here), prints the URL
// (127.0.0.1, with the token) and what to do first, serves until told to stop, then closes; and
// `xietong --help` names it first.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { dataDirOf, runServe } from '../../src/cli/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-serve-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('creates the database, prints the URL and the first step, serves until stopped', async () => {
  const db = join(dir, 'new.db');
  let text = '';
  let stop = () => {};
  const until = new Promise<void>((done) => {
    stop = done;
  });
  let running: Promise<void> = Promise.resolve();
  const url = await new Promise<string>((done) => {
    const out = {
      write: (s: string) => {
        text += s;
        const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/.exec(text)?.[0];
        if (found) done(found);
      },
    };
    running = runServe({ db, open: false, by: '甲' }, out, until);
  });
  expect(existsSync(db)).toBe(true);
  expect(text).toContain('第一步');
  const first = await fetch(url, { redirect: 'manual' });
  expect(first.status).toBe(303);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await fetch(new URL('/', url), { headers: { cookie } });
  expect(await page.text()).toContain('先导入表格');
  stop();
  await running;
  expect(text).toContain('工作台已关闭');
  await expect(fetch(url)).rejects.toThrow();
  expect(dataDirOf(db)).toBe(join(dir, 'new-files'));
});

it('is the first command in --help', () => {
  const help = buildProgram().helpInformation();
  const commands = help.slice(help.indexOf('Commands:'));
  expect(commands.split('\n')[1]).toMatch(/^\s+serve\b/);
});
