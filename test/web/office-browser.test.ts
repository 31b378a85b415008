// Office mode in a real browser: one `xietong serve --lan` server (HTTPS with its self-signed
// certificate, bound to 127.0.0.1 by --host for the test), a clerk and a reviewer logged in from two
// browser contexts. The reviewer opens a record; the clerk corrects it and cannot approve it; the
// reviewer's approval of what they saw before is refused (409), the page shows the clerk's value,
// a reload shows it too, and the approval then goes through. The history names both accounts.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/serve.js';
import { openStore } from '../../src/store/index.js';
import { openUsers } from '../../src/store/users.js';
import { CHROMIUM, launchChromiumBrowser } from '../chromium.js';
import { REVIEW_ID, reviewStore } from '../review/fixture.js';
import { skipWithout } from '../tools.js';
import { addAccount, PASSWORD } from './office-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-office-browser-'));
const db = join(dir, 'xietong.db');
let browser: Browser | undefined;
let stop = () => {};
let running: Promise<void> = Promise.resolve();
let base = '';

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

beforeAll(async () => {
  await (await reviewStore(dir)).close();
  const users = await openUsers(db);
  await addAccount(users, 'wang', '王芳', 'clerk');
  await addAccount(users, 'li', '李强', 'reviewer');
  users.close();
  const port = await freePort();
  const until = new Promise<void>((done) => {
    stop = done;
  });
  let text = '';
  base = await new Promise<string>((done, fail) => {
    running = runServe(
      { db, lan: true, host: '127.0.0.1', port },
      {
        write: (s: string) => {
          text += s;
          const url = /https:\/\/127\.0\.0\.1:\d+\//.exec(text)?.[0];
          if (url) done(url);
        },
      },
      until,
    );
    running.catch(fail);
  });
});
afterAll(async () => {
  await browser?.close();
  stop();
  await running;
  rmSync(dir, { recursive: true, force: true });
});

async function logIn(login: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  // A context each: two people, two cookie jars. The certificate is the server's own self-signed one.
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1366, height: 768 },
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${login}: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`${login}: ${m.text()}`);
  });
  await page.goto(base);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => u.pathname === '/');
  return page;
}

const problems: string[] = [];
const title = (page: Page) => page.locator('.rec-head h2').textContent();

describe.skipIf(skipWithout(existsSync(CHROMIUM)))('office mode in chromium', () => {
  it('a clerk corrects, a reviewer sees it and approves; a stale approval is refused', {
    timeout: 90_000,
  }, async () => {
    browser = await launchChromiumBrowser();

    const reviewer = await logIn('li');
    expect(await reviewer.locator('#xt-office').textContent()).toContain('李强（li）· 审核人');
    await reviewer.goto(new URL('/review', base).href);
    await expect.poll(() => title(reviewer)).toBe('王建国');

    const clerk = await logIn('wang');
    expect(await clerk.locator('#xt-office').textContent()).toContain('王芳（wang）· 办事员');
    expect(await clerk.locator('#by').inputValue()).toBe('王芳（wang）');
    await clerk.goto(new URL('/review', base).href);
    await expect.poll(() => title(clerk)).toBe('王建国');
    await expect.poll(() => clerk.evaluate(() => document.activeElement?.id)).toBe('f-name');
    await clerk.keyboard.press('Control+A');
    await clerk.keyboard.type('王建民');
    await clerk.keyboard.press('Enter');
    await expect.poll(() => clerk.evaluate(() => document.activeElement?.id)).toBe('f-birthMonth');

    // The clerk may not approve: the page says why.
    await clerk.keyboard.press('Control+Enter');
    await clerk.keyboard.press('Control+Enter');
    await expect.poll(() => clerk.locator('#toast').textContent()).toContain('不能核对通过');

    // The reviewer approves what they saw before the clerk's change: refused, and shown the new value.
    await reviewer.keyboard.press('Control+Enter');
    await reviewer.keyboard.press('Control+Enter');
    await expect.poll(() => reviewer.locator('#toast').textContent()).toContain('已被他人修改');
    await expect.poll(() => title(reviewer)).toBe('王建民');
    await reviewer.reload();
    await expect.poll(() => title(reviewer)).toBe('王建民');
    expect(await reviewer.locator('#f-name').inputValue()).toBe('王建民');

    // Now the approval goes through.
    await reviewer.keyboard.press('Control+Enter');
    await reviewer.keyboard.press('Control+Enter');
    await expect.poll(() => reviewer.locator('#toast').textContent()).toContain('已核对');

    const store = await openStore(db, { readOnly: true });
    const record = await store.getRecord(REVIEW_ID);
    const history = await store.history(REVIEW_ID, 'name');
    await store.close();
    expect(record?.status).toBe('verified');
    expect(record?.review).toMatchObject({ action: 'approve', by: '李强（li）' });
    expect(history.filter((e) => e.kind === 'correction')).toEqual([
      expect.objectContaining({ newValue: '王建民', by: '王芳（wang）' }),
    ]);

    // Logging out ends the clerk's session.
    await clerk.locator('#xt-office button').click();
    await clerk.waitForURL((u) => u.pathname === '/login');
    await clerk.goto(new URL('/review', base).href);
    expect(new URL(clerk.url()).pathname).toBe('/login');
    expect(problems).toEqual([]);
  });
});
