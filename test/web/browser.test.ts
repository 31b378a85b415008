// The workbench in a real browser (Debian's chromium, driven by playwright-core): from an empty
// database, a clerk uploads the sample .docx forms through the page, sees the records arrive, approves
// those with nothing uncertain, looks at the rule problems, and downloads the 汇总表 — the test reads
// the downloaded workbook, not just the page.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import { startWorkbench, type WorkbenchServer } from '../../src/web/index.js';
import { CHROMIUM, launchChromium } from '../chromium.js';
import { skipWithout } from '../tools.js';

const DOCX = resolve('samples/docx');
const dir = mkdtempSync(join(tmpdir(), 'xietong-web-browser-'));
let store: SqliteRecordStore;
let server: WorkbenchServer;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  store = await openStore(join(dir, 'xietong.db'));
  server = await startWorkbench({ store, dataDir: join(dir, 'files') });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skipWithout(existsSync(CHROMIUM)))('the workbench in chromium', () => {
  it('imports the sample forms, approves them, shows problems and downloads the workbook', {
    timeout: 60_000,
  }, async () => {
    browser = await launchChromium(mkdtempSync(join(dir, 'chromium-')), {
      viewport: { width: 1366, height: 768 },
      acceptDownloads: true,
    });
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') failures.push(m.text());
    });
    await page.goto(server.oneTimeUrl());
    expect(new URL(page.url()).search).toBe(''); // the one-time code left the address bar

    // An empty database says what to do first.
    await expect.poll(() => page.locator('#import-empty').isVisible()).toBe(true);
    expect(await page.locator('#status').textContent()).toContain('先导入表格');

    // Upload every sample .docx through the file chooser.
    const files = readdirSync(DOCX)
      .filter((f) => f.endsWith('.docx'))
      .map((f) => join(DOCX, f));
    await page.locator('#files').setInputFiles(files);
    expect(await page.locator('#chosen').textContent()).toContain(`已选 ${files.length} 个文件`);
    await page.locator('#upload').click();
    await expect
      .poll(() => page.locator('#job .result').textContent(), { timeout: 30_000 })
      .toBe(`导入完成：读出 ${files.length} 份记录。`);
    expect(await page.locator('#job .next').textContent()).toContain('核对');
    expect(await page.locator('#status').textContent()).toContain(`共 ${files.length} 份记录`);
    expect(await page.locator('#import-empty').isVisible()).toBe(false);
    expect((await store.counts()).records).toBe(files.length);

    // 核对: the typed forms have nothing uncertain; approving asks who approves first.
    await page.locator('a[data-view="review"]').click();
    await expect.poll(() => page.locator('#approvable li').count()).toBe(files.length);
    await page.locator('#approve-all').click();
    await expect.poll(() => page.locator('#approve-msg').textContent()).toContain('核对人');
    await page.locator('#by').fill('审核员甲');
    await page.locator('#approve-all').click();
    await expect
      .poll(() => page.locator('#approve-msg').textContent())
      .toContain(`已核对通过 ${files.length} 份`);
    expect(await page.locator('#approve-msg .next').textContent()).toContain('汇总');
    const records = await store.listRecords();
    expect(records.every((r) => r.status === 'verified' && r.review?.by === '审核员甲')).toBe(true);

    // 检查: rule problems, each under its record.
    await page.locator('a[data-view="check"]').click();
    await expect.poll(() => page.locator('.problem').count()).toBeGreaterThan(0);
    expect(await page.locator('#check-text').textContent()).toContain('下一步');

    // 汇总: the workbook, downloaded and opened.
    await page.locator('a[data-view="export"]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    expect(download.suggestedFilename()).toMatch(/^汇总表-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const saved = join(dir, 'downloaded.xlsx');
    await download.saveAs(saved);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(saved);
    expect(book.worksheets.map((w) => w.name)).toEqual(['报名表', '企业需求表', '难题征集表']);
    const sheet = book.getWorksheet('报名表');
    const rows: string[] = [];
    sheet?.eachRow((row) => {
      rows.push((row.values as unknown[]).map((v) => String(v ?? '')).join('|'));
    });
    const registrations = records.filter((r) => r.form === 'registration' && !r.copyOf).length;
    expect(rows.filter((r) => r.includes('已核对')).length).toBe(registrations);
    expect(rows.some((r) => r.includes('审核员甲'))).toBe(true);
    expect(failures).toEqual([]);
  });
});
