// `xietong review`: the workbench opened at its review queue — prints the URL of /review
// (127.0.0.1, with the token), serves until told to stop, then closes the server and the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openInBrowser, runReview } from '../../src/cli/review.js';
import { RunError } from '../../src/errors.js';
import { reviewStore } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-review-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('prints the URL, serves the page until stopped, then closes', async () => {
  await (await reviewStore(dir)).close();
  let text = '';
  let stop = () => {};
  const until = new Promise<void>((done) => {
    stop = done;
  });
  const printed = new Promise<string>((done) => {
    const out = {
      write: (s: string) => {
        text += s;
        const url = /http:\/\/127\.0\.0\.1:\d+\/review\?token=[0-9a-f]{64}/.exec(text)?.[0];
        if (url) done(url);
      },
    };
    void runReview({ db: join(dir, 'xietong.db'), open: false, by: '甲' }, out, until);
  });
  const url = await printed;
  expect(text).toContain('待人工核对 2 份记录');
  const first = await fetch(url, { redirect: 'manual' });
  expect(first.status).toBe(303);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(first.headers.get('location')).toBe('/review');
  const page = await fetch(new URL('/review', url), { headers: { cookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<title>人工核对');
  // The same page as the workbench: its steps are the tabs, and the workbench answers beside it.
  expect(html).toContain('href="/#match"');
  expect((await fetch(new URL('/api/overview', url), { headers: { cookie } })).status).toBe(200);
  stop();
  await new Promise((r) => setTimeout(r, 100));
  await expect(fetch(url)).rejects.toThrow();
});

it('refuses a missing database, and opens no browser without a display', async () => {
  await expect(
    runReview({ db: join(dir, 'none.db'), open: false }, { write: () => 0 }, Promise.resolve()),
  ).rejects.toThrow(RunError);
  expect(openInBrowser('http://127.0.0.1:1/', {})).toBe(false);
});
