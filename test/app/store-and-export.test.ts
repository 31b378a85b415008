// The one call the demo makes: ingest into a database, check, export the 汇总表. And where the
// database lives when nobody says.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAndExport } from '../../src/app/store-and-export.js';
import { JSON_NAME, XLSX_NAME } from '../../src/export/index.js';
import { renderFormDocx } from '../../src/render/forms.js';
import { defaultDbPath } from '../../src/store/index.js';
import { sampleRecords, valuesOf } from '../store/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-store-export-'));
const forms = join(dir, 'forms');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(forms);
  for (const r of sampleRecords().filter((r) => ['reg-03', 'reg-09', 'dem-09', 'prob-02'].includes(r.id))) {
    writeFileSync(join(forms, `${r.id}.docx`), await renderFormDocx(r.form, valuesOf(r)));
  }
});

describe('storeAndExport', () => {
  it('ingests into the database and writes the 汇总表, twice without duplicates', async () => {
    const db = join(dir, 'demo', 'xietong.db');
    const out = join(dir, 'demo', 'export');
    const first = await storeAndExport({ inputs: [forms], db, out });
    expect(first.ingest?.stored).toMatchObject({ inserted: 4, db: resolve(db) });
    expect(first.counts).toMatchObject({ records: 4, byForm: { registration: 2, demand: 1, problem: 1 } });
    expect(first.export.report.summary.bySeverity).toMatchObject({ error: 2, warning: 1 });
    for (const f of [XLSX_NAME, JSON_NAME, '报名表.csv', '企业需求表.csv', '难题征集表.csv'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'ingest', 'records.json'))).toBe(true);

    const again = await storeAndExport({ inputs: [forms], db, out, formats: ['xlsx'] });
    expect(again.ingest?.stored).toMatchObject({ inserted: 0, unchanged: 4 });
    expect(again.counts.records).toBe(4);
    const exportOnly = await storeAndExport({ db, out: join(dir, 'demo', 'export2'), formats: ['json'] });
    expect(exportOnly.ingest).toBeUndefined();
    expect(exportOnly.export.files.map((f) => f.format)).toEqual(['json']);
  });
});

describe('defaultDbPath', () => {
  it('is XIETONG_DB, else xietong.db in the working folder', () => {
    expect(defaultDbPath({}, '/srv/bureau')).toBe('/srv/bureau/xietong.db');
    expect(defaultDbPath({ XIETONG_DB: 'data/2020.db' }, '/srv/bureau')).toBe('/srv/bureau/data/2020.db');
    expect(defaultDbPath({ XIETONG_DB: '/var/x.db' }, '/srv/bureau')).toBe('/var/x.db');
    expect(defaultDbPath({ XIETONG_DB: ' ' }, '/srv/bureau')).toBe('/srv/bureau/xietong.db');
  });
});
