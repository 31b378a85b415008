// The whole programme in one page, in a real browser (Debian's chromium, driven by playwright-core),
// on the bundled samples: import the .docx forms and three scans → correct a field on the review
// page by keyboard and approve it → approve the typed forms → download the 汇总表 and open it →
// confirm a match → fill the project's terms → move its state (and lose nothing to another clerk's
// save meanwhile) → render its agreement and download it. The test reads the downloaded files, not just the page. Scans are read with the recorded OCR
// answers (test/fixtures/ocr/pipeline.json), so the run is the same each time and takes seconds.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestBatch } from '../../src/app/index.js';
import { FORMS } from '../../src/forms/index.js';
import { ReplayEngine } from '../../src/ocr/index.js';
import { reviewQueue } from '../../src/review/queue.js';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import { startWorkbench, type WorkbenchServer } from '../../src/web/index.js';
import { readZipText } from '../../src/zip.js';
import { CHROMIUM, launchChromium } from '../chromium.js';
import { skipWithout } from '../tools.js';

const DOCX = resolve('samples/docx');
const SCANS = ['reg-05-p1.png', 'reg-05-p2.png', 'prob-02-export.png'].map((f) =>
  resolve('samples/scans', f),
);
const dir = mkdtempSync(join(tmpdir(), 'xietong-web-story-'));
let store: SqliteRecordStore;
let server: WorkbenchServer;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  store = await openStore(join(dir, 'xietong.db'));
  const engine = await ReplayEngine.load('test/fixtures/ocr/pipeline.json');
  server = await startWorkbench({
    store,
    dataDir: join(dir, 'files'),
    runBatch: (paths, onProgress) =>
      ingestBatch(paths, {
        store,
        out: join(dir, 'files', 'ingest'),
        engine,
        secondReader: false,
        onProgress,
      }),
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const poll = expect.poll;

describe.skipIf(skipWithout(existsSync(CHROMIUM)))('the whole programme in chromium', () => {
  it('import → review → approve → export → match → terms → state → agreement', {
    timeout: 120_000,
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
    await page.locator('#by').fill('审核员甲');
    await page.locator('#by').dispatchEvent('change');

    // 导入: the sample .docx forms and three scans (a registration on two pages, a problem form);
    // the typed copies of the scanned two are left out, so the scans are the records that count.
    const docx = readdirSync(DOCX)
      .filter((f) => f.endsWith('.docx') && f !== 'reg-05.docx' && f !== 'prob-02.docx')
      .map((f) => join(DOCX, f));
    await page.locator('#files').setInputFiles([...docx, ...SCANS]);
    await page.locator('#upload').click();
    await poll(() => page.locator('#job .result').textContent(), { timeout: 60_000 }).toMatch(/^导入完成/);
    const records = await store.listRecords();
    expect(records.length).toBe(docx.length + 2);
    const queue = await reviewQueue(store);
    expect(queue.length).toBeGreaterThan(0);
    expect(await page.locator('#job .next').textContent()).toContain('逐项核对');

    // 核对: the review page from the workbench; correct the first flagged field by keyboard.
    await page.locator('a[data-view="review"]').click();
    await page.locator('#open-review').click();
    await poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/^f-/);
    const field = (await page.evaluate(() => document.activeElement?.id ?? '')).slice(2);
    // The whole scanned page on demand (Alt+1), and the field's crop enlarged (Alt+Z); Esc goes back.
    await page.keyboard.press('Alt+1');
    const large = page.locator('#large img');
    await poll(() =>
      large.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBeGreaterThan(1000);
    await page.keyboard.press('Escape');
    await poll(() => page.locator('#large').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`f-${field}`);
    await page.keyboard.press('Alt+z');
    await poll(() =>
      large.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBeGreaterThan(0);
    expect(await large.getAttribute('src')).toContain(`/crop/`);
    await page.keyboard.press('Escape');
    const recordId = queue.find((q) => q.fields.some((f) => f.key === field))?.id ?? '';
    const value = field === 'fillingUnit' ? '景德镇陶瓷大学科技处' : null;
    expect(value, `first flagged field is ${field}`).not.toBeNull();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value ?? '');
    await page.keyboard.press('Enter');
    await poll(
      async () => (await store.history(recordId, field)).filter((e) => e.kind === 'correction').length,
    ).toBe(1);
    // Ctrl+Enter twice: the first press asks about the fields not yet looked at, the second approves.
    await page.keyboard.press('Control+Enter');
    await poll(() => page.locator('#approve-hint').textContent()).toContain('再按一次');
    await page.keyboard.press('Control+Enter');
    await poll(async () => (await store.getRecord(recordId))?.status).toBe('verified');
    expect((await store.getRecord(recordId))?.review?.by).toBe('审核员甲');

    // Back in the workbench (the name typed once carries over): approve every typed form at once.
    await page.locator('a[data-view="review"]').click();
    expect(await page.locator('#by').inputValue()).toBe('审核员甲');
    await poll(() => page.locator('#approvable li').count()).toBeGreaterThanOrEqual(docx.length);
    await page.locator('#approve-all').click();
    await poll(() => page.locator('#approve-msg').textContent()).toMatch(/已核对通过 \d+ 份/);

    // 汇总: the workbook, downloaded and opened; the correction is in it.
    await page.locator('a[data-view="export"]').click();
    const [book] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    const xlsx = join(dir, 'export.xlsx');
    await book.saveAs(xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const cells: string[] = [];
    // The corrected record's own sheet (报名表, 企业需求表, 难题征集表).
    const form = (await store.getRecord(recordId))?.form;
    expect(form).toBeDefined();
    wb.getWorksheet(form ? FORMS[form].shortName : '')?.eachRow((row) => {
      cells.push((row.values as unknown[]).map((v) => String(v ?? '')).join('|'));
    });
    expect(cells.some((r) => r.includes(value ?? '') && r.includes('已核对'))).toBe(true);

    // 对接: tick the top suggestion of the first demand and confirm it.
    await page.locator('a[data-view="match"]').click();
    const tick = page.locator('#match-list input[type=checkbox]').first();
    await tick.waitFor();
    const pair = (await tick.getAttribute('data-pair')) ?? '';
    await tick.check();
    await page.locator('#match-start').fill('2020-07-01');
    await page.locator('#match-go').click();
    await poll(() => page.locator('#match-msg').textContent()).toContain('已建立项目 1 个');
    expect(await page.locator('#match-msg .next').textContent()).toContain('项目');
    const [project] = await store.listProjects();
    expect(`${project?.sources.demand} ${project?.sources.registration}`).toBe(pair);

    // 项目: fill the terms and save.
    await page.locator('#match-msg .next a').click();
    await page.locator('#t-goals').waitFor();
    await page.locator('#t-goals').fill('隧道窑单位能耗降低 10%\n培养企业技术骨干 3 名');
    await page.locator('#t-funding-requested').fill('12');
    await page.locator('#t-funding-enterprise').fill('6');
    await page.locator('#t-daysPerMonth').fill('8');
    await page.locator('#p-save').click();
    await poll(() => page.locator('#p-msg').textContent()).toContain('条款已保存');
    const saved = await store.getProject(project?.id ?? '');
    expect(saved?.goals).toEqual(['隧道窑单位能耗降低 10%', '培养企业技术骨干 3 名']);
    expect(saved?.funding).toMatchObject({ requested: 12, enterprise: 6 });
    expect(saved?.daysPerMonth).toBe(8);

    // The state: only the next allowed one is offered.
    const buttons = page.locator('#p-next button');
    expect(await buttons.allTextContents()).toEqual(['改为「已签订三方协议」']);
    await page.locator('#p-note').fill('三方协议已签订');
    await buttons.first().click();
    await poll(() => page.locator('#p-state').textContent()).toBe('已签订三方协议');
    expect(await page.locator('#p-state-msg .next').textContent()).toContain('评审');
    expect((await store.getProject(project?.id ?? ''))?.state).toBe('agreed');

    // Another clerk saves the project meanwhile: this page's save is refused, nothing is written
    // over, what was typed stays until the clerk chooses to load the other version.
    const id = project?.id ?? '';
    const theirs = await store.getProject(id);
    if (!theirs) throw new Error('project gone');
    await store.putProject({ ...theirs, position: '技术顾问' }, { by: '经办人乙' });
    await page.locator('#t-position').fill('总工程师');
    await page.locator('#p-save').click();
    await poll(() => page.locator('#p-msg').textContent()).toContain('已被修改');
    expect(await page.locator('#t-position').inputValue()).toBe('总工程师');
    expect((await store.getProject(id))?.position).toBe('技术顾问');
    await page.locator('#p-msg button').click();
    await poll(() => page.locator('#t-position').inputValue()).toBe('技术顾问');

    // 文书: the project's agreement as a draft .docx, downloaded and unzipped.
    await page.locator('a[data-view="documents"]').click();
    await page.locator('#d-kinds input[value="agreement"]').waitFor();
    await page.locator('#d-kinds input[value="agreement"]').check();
    await page.locator('#d-go').click();
    await poll(() => page.locator('#d-result .result').textContent(), { timeout: 30_000 }).toMatch(
      /已生成 1 份草稿/,
    );
    const [doc] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#d-result a').first().click(),
    ]);
    expect(doc.suggestedFilename()).toMatch(/三方协议\.docx$/);
    const file = join(dir, 'agreement.docx');
    await doc.saveAs(file);
    const xml = readZipText(readFileSync(file), 'word/document.xml') ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('隧道窑单位能耗降低 10%');
    expect(text).toContain(saved?.enterprise.name ?? '?');
    expect(text).toContain('草稿');
    // The refused save is the only failed request; no script error, no CSP violation.
    expect(failures).toEqual([expect.stringContaining('409 (Conflict)')]);
  });
});
