// Screenshots of every view of the workbench at 1366×768 (a common office laptop) into
// samples/previews/workbench-*.png: the empty start, an import's result (the sample .docx forms,
// three scans and a missing path), 核对 with the review page (and a whole scanned page on demand),
// 检查, 汇总, 对接, 项目, 评审 and 文书.
// Scans are read with the recorded OCR answers (test/fixtures/ocr/pipeline.json), so the run takes
// seconds and needs no OCR engine. Run: npx tsx scripts/workbench-previews.ts
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { importScoreWorkbooks, ingestBatch, writeScoreWorkbook } from '../src/app/index.js';
import { ReplayEngine } from '../src/ocr/index.js';
import { openStore } from '../src/store/index.js';
import { startWorkbench } from '../src/web/index.js';

const OUT = resolve('samples/previews');
/** samples/ has an 8.5 MB budget (test/samples/scans.test.ts): each screenshot stays under this. */
const MAX_BYTES = 40 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'xietong-previews-'));
const dataDir = join(dir, 'files');
const store = await openStore(join(dir, 'xietong.db'));
const engine = await ReplayEngine.load('test/fixtures/ocr/pipeline.json');
const server = await startWorkbench({
  store,
  dataDir,
  by: '张三',
  runBatch: (paths, onProgress) =>
    ingestBatch(paths, { store, out: join(dataDir, 'ingest'), engine, secondReader: false, onProgress }),
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--lang=zh-CN'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  // A page of flat colours fits 16 colours (a fifth of the size); a busy one gets fewer.
  const shot = async (name: string, p: Page = page) => {
    const file = join(OUT, `workbench-${name}.png`);
    const png = await p.screenshot();
    for (const colours of [16, 12, 8, 6, 4]) {
      await sharp(png)
        .png({ palette: true, colours, dither: 0, compressionLevel: 9, effort: 10 })
        .toFile(file);
      if (statSync(file).size <= MAX_BYTES) break;
    }
    process.stdout.write(`${file} ${Math.round(statSync(file).size / 1024)} KB\n`);
  };
  const view = async (name: string, ready: string) => {
    await page.locator(`a[data-view="${name}"]`).click();
    await page.locator(ready).first().waitFor();
    await page.waitForTimeout(300);
  };
  await page.goto(server.oneTimeUrl());
  await page.locator('#import-empty').waitFor();
  await shot('empty');

  // A clerk's folder of one batch: the sample .docx forms (less the two typed copies of the scans)
  // and three scans; the second batch's folder does not exist.
  const batch = join(dir, '扫描件', '第一批');
  mkdirSync(batch, { recursive: true });
  for (const f of readdirSync('samples/docx')) {
    if (f.endsWith('.docx') && f !== 'reg-05.docx' && f !== 'prob-02.docx')
      copyFileSync(join('samples/docx', f), join(batch, f));
  }
  for (const f of ['reg-05-p1.png', 'reg-05-p2.png', 'prob-02-export.png'])
    copyFileSync(join('samples/scans', f), join(batch, f));
  await page.locator('#paths').fill([batch, join(dir, '扫描件', '第二批')].join('\n'));
  await page.locator('#from-paths').click();
  await page.locator('#job.done, #job.bad').waitFor({ timeout: 120_000 });
  await shot('import');

  await view('review', '#approvable li');
  await shot('review');
  await page.locator('#open-review').click();
  await page.locator('.rec-head h2').waitFor();
  await page.waitForTimeout(300);
  await shot('review-page');
  // The whole scanned page on demand (Alt+1), over the record.
  await page.locator('input.value').first().focus();
  await page.keyboard.press('Alt+1');
  await page.locator('#large img').evaluate((img: HTMLImageElement) => img.decode());
  await shot('review-whole-page');
  await page.keyboard.press('Escape');
  await page.goBack();

  // Approve everything (the scans too), so 对接 has records to work with.
  await view('review', '#approvable li');
  for (const r of await store.listRecords({ status: 'pending' }))
    await store.approveRecord(r.id, { by: '张三' });
  await view('check', '.problem');
  await shot('check');
  await view('export', '#download');
  await shot('export');

  await view('match', '#match-list input[type=checkbox]');
  const ticks = page.locator('#match-list .demand');
  for (let i = 0; i < 3; i++) await ticks.nth(i).locator('input[type=checkbox]').first().check();
  await page.locator('#match-start').fill('2020-07-01');
  await page.locator('#match-go').click();
  await page.locator('#match-msg .next').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('match');

  await view('projects', '#t-goals');
  await page.locator('#t-goals').fill('隧道窑单位产品能耗降低 10% 以上\n培养企业技术骨干 3 名');
  await page.locator('#t-funding-requested').fill('12');
  await page.locator('#t-funding-enterprise').fill('6');
  await page.locator('#p-save').click();
  await page.locator('#p-msg .next').waitFor();
  await page.locator('#p-note').fill('三方协议已签订');
  await page.locator('#p-next button').first().click();
  await page.locator('#p-state-msg .next').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('projects');

  // 评审: the experts' scores stand in as each criterion's maximum less a little per expert.
  const scoresDir = join(dataDir, 'scores');
  for (const p of await store.listProjects()) {
    if (p.state === 'matched') await store.setProjectState(p.id, 'agreed', { by: '张三' });
  }
  const made = await writeScoreWorkbook(store, { out: join(dir, 'sheets'), experts: 3 });
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(made.workbook ?? '');
  for (const [e, sheet] of book.worksheets.entries()) {
    sheet.eachRow((row, r) => {
      row.eachCell({ includeEmpty: true }, (cell) => {
        const dv = cell.dataValidation;
        if (
          (dv?.type === 'decimal' || dv?.type === 'whole') &&
          (cell.value === null || cell.value === undefined)
        ) {
          cell.value = Math.max(0, Number(dv.formulae?.[1] ?? 0) - ((r * 5 + Number(cell.col) * 3 + e) % 4));
        }
      });
    });
  }
  const filled = join(dir, '专家评分.xlsx');
  await book.xlsx.writeFile(filled);
  await importScoreWorkbooks(store, [filled], { out: scoresDir, by: '张三' });
  await view('scores', '#s-ranking table');
  await shot('scores');

  await view('documents', '#d-kinds input');
  // One project's agreement: the list of what is written stays short enough to see whole.
  const boxes = page.locator('#d-projects input');
  for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
  await page.locator('#d-go').click();
  await page.locator('#d-result .next').waitFor({ timeout: 60_000 });
  await shot('documents');
} finally {
  await browser.close();
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
