// Screenshots of the workbench's views at 1366×768 (a common office laptop) into samples/previews/:
// the empty start, an import's result (the sample .docx forms, two phone photos and
// a missing path), 核对 with the review page, 检查 and 汇总. Run: npx tsx scripts/workbench-previews.ts
// (reads two photos with the real OCR engines: a minute or two).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { openStore } from '../src/store/index.js';
import { startWorkbench } from '../src/web/index.js';

const OUT = resolve('samples/previews');
const dir = mkdtempSync(join(tmpdir(), 'xietong-previews-'));
const store = await openStore(join(dir, 'xietong.db'));
const server = await startWorkbench({ store, dataDir: join(dir, 'files'), by: '张三' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--lang=zh-CN'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  // A page of flat colours fits 16 colours (a fifth of the size): samples/ has an 8 MB budget.
  const shot = async (name: string, p: Page = page) =>
    sharp(await p.screenshot())
      .png({ palette: true, colours: 16, dither: 0, compressionLevel: 9, effort: 10 })
      .toFile(join(OUT, `workbench-${name}.png`));
  await page.goto(server.oneTimeUrl());
  await page.locator('#import-empty').waitFor();
  await shot('empty');

  await page
    .locator('#paths')
    .fill(
      [
        resolve('samples/docx'),
        resolve('samples/scans/IMG_20200525_093112.jpg'),
        resolve('samples/scans/IMG_20200525_093140.jpg'),
        '/home/kjj/扫描件/第二批',
      ].join('\n'),
    );
  await page.locator('#from-paths').click();
  await page.locator('#job progress').waitFor();
  // The live progress is looked at (scripts/… run by hand) but not kept: the budget is tight.
  await page.waitForFunction(() => /已读 [1-9]/.test(document.getElementById('job')?.textContent ?? ''));
  await page.locator('#job.done, #job.bad').waitFor({ timeout: 600_000 });
  await shot('import');

  await page.locator('a[data-view="review"]').click();
  await page.locator('#approvable li').first().waitFor();
  await shot('review');
  await page.locator('#open-review').click();
  await page.locator('.rec-head h2').waitFor();
  await shot('review-page');
  await page.goBack();

  await page.locator('a[data-view="check"]').click();
  await page.locator('.problem').first().waitFor();
  await shot('check');
  await page.locator('a[data-view="export"]').click();
  await page.locator('#download').waitFor();
  await shot('export');
} finally {
  await browser.close();
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
