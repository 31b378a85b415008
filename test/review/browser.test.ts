// The review page in a real browser (Debian's chromium, driven by playwright-core): a reviewer
// corrects fields with the keyboard only and approves the record; the database then holds the
// correction with who made it, the record is verified, and a fresh export shows both.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore, JSON_NAME } from '../../src/export/index.js';
import { type ReviewServer, startReviewServer } from '../../src/review/index.js';
import type { SqliteRecordStore } from '../../src/store/index.js';
import { CHROMIUM, launchChromium } from '../chromium.js';
import { skipWithout } from '../tools.js';
import { REVIEW_ID, reviewStore, SECOND_ID } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-review-browser-'));
let store: SqliteRecordStore;
let server: ReviewServer;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  store = await reviewStore(dir);
  server = await startReviewServer({ store, by: '审核员甲' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skipWithout(existsSync(CHROMIUM)))('the review page in chromium', () => {
  it('corrects a field and approves the record with the keyboard', { timeout: 30_000 }, async () => {
    // A fresh profile each run: nothing cached or remembered from another run.
    browser = await launchChromium(mkdtempSync(join(dir, 'chromium-')), {
      viewport: { width: 1400, height: 1000 },
    });
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') failures.push(m.text());
    });
    await page.goto(server.url);
    expect(new URL(page.url()).search).toBe(''); // the token left the address bar

    // The worst record comes first; its first flagged field has the focus.
    await expect.poll(() => page.locator('.rec-head h2').textContent()).toBe('王建国');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-name');
    expect(await page.locator('.field').count()).toBe(4);
    expect(await page.locator('.field[data-key="birthMonth"] .reason').textContent()).toContain(
      '识别把握不足',
    );
    expect(
      await page
        .locator('.field[data-key="birthMonth"] img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);

    // Where the two readers disagree, both readings are there, and one click takes the second's.
    const other = page.locator('.field[data-key="phone"] .other');
    expect(await other.textContent()).toContain('另一识别引擎读作 / second reader: 13807981234');
    await other.locator('button').click();
    expect(await page.locator('#f-phone').inputValue()).toBe('13807981234');
    await page.locator('#f-name').focus();

    // Enter accepts 姓名 as shown and moves on to 出生年月.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-birthMonth');
    // An impossible month is refused inline, in Chinese, and the field keeps the focus.
    await page.keyboard.type('1985年13月');
    await page.keyboard.press('Enter');
    const msg = page.locator('.field[data-key="birthMonth"] .msg.error');
    await expect.poll(() => msg.textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-birthMonth');
    // Type the value as on paper; Enter saves it.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1985年3月');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-phone');
    expect(await page.locator('#f-birthMonth').inputValue()).toBe('1985-03');

    // Approve with Ctrl+Enter: two fields are still unchecked, so the first press asks, the second approves.
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('#approve-hint').textContent()).toContain('再按一次');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.rec-head h2').textContent()).not.toBe('王建国');
    expect(await page.locator('#queue button').count()).toBe(1);
    // The refused month is the only failed request; no script error, no CSP violation.
    expect(failures).toEqual([expect.stringContaining('400 (Bad Request)')]);

    const history = await store.history(REVIEW_ID, 'birthMonth');
    expect(history.filter((e) => e.kind === 'correction')).toEqual([
      expect.objectContaining({ oldValue: '1985-08', newValue: '1985-03', by: '审核员甲' }),
    ]);
    const record = await store.getRecord(REVIEW_ID);
    expect(record?.status).toBe('verified');
    expect(record?.review).toMatchObject({ action: 'approve', by: '审核员甲' });
    expect((await store.getRecord(SECOND_ID))?.status).toBe('pending');

    const out = join(dir, 'export');
    await exportStore(store, { outDir: out, formats: ['csv', 'json'] });
    const exported = JSON.parse(readFileSync(join(out, JSON_NAME), 'utf8')) as {
      submissions: { id: string; status: string; fields: Record<string, { value: unknown }> }[];
    };
    const row = exported.submissions.find((s) => s.id === REVIEW_ID);
    expect(row?.fields.birthMonth?.value).toBe('1985-03');
    expect(row?.status).toBe('verified');
    const csv = readFileSync(join(out, '报名表.csv'), 'utf8');
    const line = csv.split(/\r?\n/).find((l) => l.includes(REVIEW_ID)) ?? '';
    expect(line).toContain('1985-03');
    expect(line).toContain('已核对');
    expect(line).toContain('审核员甲');
  });
});
