// The workbench's later steps through createApp() and app.request(): 对接 suggests from approved
// records only and confirms pairs into projects; 项目 saves terms and moves the state naming the
// version seen (409 when it changed since), says in Chinese which term is wrong, and offers only
// the allowed next states; 评审 writes the score workbook, reads a filled one back and ranks; 文书
// renders an agreement the test opens, and never serves a file outside its folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSoffice } from '../../src/convert/index.js';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import { createApp, type Workbench } from '../../src/web/index.js';
import { readZipText } from '../../src/zip.js';
import { sampleRecords } from '../store/helpers.js';
import { skipWithout } from '../tools.js';

const PORT = 4322;
const HOST = `127.0.0.1:${PORT}`;
const TOKEN = 'b'.repeat(64);
const dir = mkdtempSync(join(tmpdir(), 'xietong-web-programme-'));
let store: SqliteRecordStore;
let wb: Workbench;
let cookie: string;

beforeAll(async () => {
  store = await openStore(join(dir, 'xietong.db'));
  await store.putIngestResult({ submissions: sampleRecords() }, {});
  wb = createApp({ store, dataDir: join(dir, 'files'), port: () => PORT, token: TOKEN });
  const first = await call(`/?token=${TOKEN}`);
  cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(
  path: string,
  init: { method?: string; body?: BodyInit; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { host: HOST, ...init.headers };
  if (cookie) headers.cookie = cookie;
  return Promise.resolve(
    wb.app.request(`http://${HOST}${path}`, { method: init.method ?? 'GET', headers, body: init.body }),
  );
}
const post = (path: string, body: unknown) =>
  call(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', origin: `http://${HOST}` },
  });
const json = async <T>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;

interface MatchAnswer {
  records: number;
  pending: number;
  projects: Record<string, string>;
  demands: { demandId: string; suggestions: { registrationId: string; score: number; why: string }[] }[];
}
interface Summary {
  project: { id: string; state: string; funding: { requested?: number | null }; goals: string[] };
  version: string;
  next: { state: string; name: string }[];
}

describe('对接', () => {
  it('matches only approved records, then suggests with reasons', async () => {
    const before = await json<MatchAnswer>(call('/api/match'));
    expect(before.records).toBe(0);
    expect(before.pending).toBeGreaterThan(0);
    for (const r of await store.listRecords()) await store.approveRecord(r.id, { by: '审核员甲' });
    const after = await json<MatchAnswer>(call('/api/match'));
    expect(after.pending).toBe(0);
    const top = after.demands.find((d) => d.suggestions.length > 0)?.suggestions[0];
    expect(top?.score).toBeGreaterThan(0);
    expect(top?.why).toMatch(/〔.+→.+〕/); // each word with the fields it came from
  });

  it('confirms a ticked pair into a project, once', async () => {
    const m = await json<MatchAnswer>(call('/api/match'));
    const d = m.demands.find((x) => x.suggestions.length > 0);
    const pair = { kind: 'demand', demandId: d?.demandId, registrationId: d?.suggestions[0]?.registrationId };
    const refused = await post('/api/match/confirm', { by: '经办人乙', pairs: [] });
    expect(refused.status).toBe(400);
    expect((await json<{ message: string }>(refused)).message).toContain('请先勾选');
    const made = await json<{ created: { project: { id: string } }[] }>(
      post('/api/match/confirm', { by: '经办人乙', pairs: [pair], start: '2020-07-01', months: 12 }),
    );
    expect(made.created).toHaveLength(1);
    const again = await json<{ created: unknown[]; existing: unknown[] }>(
      post('/api/match/confirm', { by: '经办人乙', pairs: [pair] }),
    );
    expect(again.created).toHaveLength(0);
    expect(again.existing).toHaveLength(1);
    const m2 = await json<MatchAnswer>(call('/api/match'));
    expect(Object.values(m2.projects)).toEqual([made.created[0]?.project.id]);
  });
});

describe('项目', () => {
  const list = async () => (await json<{ projects: Summary[] }>(call('/api/projects'))).projects;

  it('saves the terms against the version seen, and refuses a stale or wrong one', async () => {
    const [p] = await list();
    if (!p) throw new Error('no project');
    const url = `/api/projects/${p.project.id}/terms`;
    const bad = await post(url, {
      by: '经办人乙',
      version: p.version,
      terms: { funding: { requested: 50 } },
    });
    expect(bad.status).toBe(400);
    expect((await json<{ problems: string[] }>(bad)).problems).toEqual([
      '申请资助经费须在 3–20 万元之间（通知 四（二）2）',
    ]);
    const terms = {
      goals: ['隧道窑能耗降低 10%', '培养技术骨干 3 名'],
      funding: { requested: 12, enterprise: 6 },
    };
    const ok = await post(url, { by: '经办人乙', version: p.version, terms });
    expect(ok.status).toBe(200);
    const [saved] = await list();
    expect(saved?.project.goals).toEqual(terms.goals);
    expect(saved?.project.funding.requested).toBe(12);
    // The version named was the one before this save: another edit with it is a conflict.
    const stale = await post(url, { by: '经办人丙', version: p.version, terms: { goals: [] } });
    expect(stale.status).toBe(409);
    expect((await json<{ message: string }>(stale)).message).toContain('已被修改');
    expect((await store.projectChanges(p.project.id)).every((c) => c.by === '经办人乙')).toBe(true);
  });

  it('offers only the allowed next states, and moves one step with who did it', async () => {
    const [p] = await list();
    if (!p) throw new Error('no project');
    expect(p.next).toEqual([{ state: 'agreed', name: '已签订三方协议' }]);
    const url = `/api/projects/${p.project.id}/state`;
    const skip = await post(url, { by: '经办人乙', version: p.version, to: 'funded' });
    expect(skip.status).toBe(409);
    expect((await json<{ message: string }>(skip)).message).toContain('之后只能是');
    const moved = await post(url, {
      by: '经办人乙',
      version: p.version,
      to: 'agreed',
      note: '三方协议已签订',
    });
    expect(moved.status).toBe(200);
    const [after] = await list();
    expect(after?.project.state).toBe('agreed');
    expect(after?.next.map((n) => n.name)).toEqual(['已评审']);
    const history = await store.projectHistory(p.project.id);
    expect(history.at(-1)).toMatchObject({
      from: 'matched',
      to: 'agreed',
      by: '经办人乙',
      note: '三方协议已签订',
    });
  });
});

describe('评审', () => {
  it('writes the score workbook, reads a filled one back, ranks and writes back', async () => {
    const res = await call('/api/scores/workbook?experts=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('评分录入表.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.length).toBeGreaterThanOrEqual(2);
    // Fill every empty score cell of each expert sheet with its criterion's maximum.
    for (const sheet of book.worksheets) {
      sheet.eachRow((row) => {
        row.eachCell({ includeEmpty: true }, (cell) => {
          const dv = cell.dataValidation;
          if (dv?.type === 'decimal' || dv?.type === 'whole') {
            const max = Number(dv.formulae?.[1] ?? 0);
            if (cell.value === null || cell.value === undefined) cell.value = max;
          }
        });
      });
    }
    const filled = new Uint8Array(await book.xlsx.writeBuffer());
    const up = await call(`/api/scores/files?name=${encodeURIComponent('专家甲.xlsx')}`, {
      method: 'POST',
      body: filled,
      headers: { 'content-type': 'application/octet-stream', origin: `http://${HOST}` },
    });
    expect(up.status).toBe(200);
    const imported = await json<{
      counted: number;
      updated: string[];
      ranking: { projects: { rank: number | null }[] };
    }>(post('/api/scores/import', { by: '经办人乙' }));
    expect(imported.counted).toBeGreaterThan(0);
    expect(imported.updated).toHaveLength(1);
    expect(imported.ranking.projects[0]?.rank).toBe(1);
    const [p] = await store.listProjects();
    expect(p?.evaluation.rank).toBe(1);
    expect((await call('/api/scores/summary')).status).toBe(200);
  });
});

describe('文书', () => {
  it('lists the document kinds and renders a draft agreement to download', async () => {
    const kinds = await json<{ kinds: { kind: string; name: string }[] }>(call('/api/documents'));
    expect(kinds.kinds.map((k) => k.name)).toContain('三方协议');
    const made = await json<{
      files: { href: string; name: string; kindName: string }[];
      failures: unknown[];
    }>(post('/api/documents', { kinds: ['agreement', 'proposal'], draft: true, pdf: false }));
    expect(made.failures).toEqual([]);
    expect(made.files.map((f) => f.kindName).sort()).toEqual(['三方协议', '评审结果与经费建议']);
    const agreement = made.files.find((f) => f.kindName === '三方协议');
    const res = await call(`/api/documents/file?path=${encodeURIComponent(agreement?.href ?? '')}`);
    expect(res.status).toBe(200);
    const xml = readZipText(Buffer.from(await res.arrayBuffer()), 'word/document.xml') ?? '';
    expect(xml).toContain('隧道窑能耗降低 10%');
  });

  it('renders the review and acceptance paper too, each for the projects it applies to', async () => {
    const kinds = await json<{ kinds: { kind: string; name: string }[] }>(call('/api/documents'));
    expect(kinds.kinds.map((k) => k.name)).toEqual(
      expect.arrayContaining(['专家评审签到表', '专家组综合意见表', '验收申请表', '甲方评价意见表']),
    );
    const made = await json<{
      files: { name: string; kindName: string }[];
      failures: unknown[];
      skipped: { kindName: string; reason: string }[];
    }>(
      post('/api/documents', {
        kinds: ['signin', 'groupopinion', 'acceptanceapp', 'enterpriseevaluation'],
        draft: true,
        pdf: false,
      }),
    );
    expect(made.failures).toEqual([]);
    // Every project is either in a document of each kind or named as skipped, with the reason.
    const [p] = await store.listProjects();
    for (const kindName of ['专家组综合意见表', '验收申请表', '甲方评价意见表']) {
      const wrote = made.files.some((f) => f.kindName === kindName && f.name.includes(p?.id ?? '?'));
      const skipped = made.skipped.some((s) => s.kindName === kindName && s.reason !== '');
      expect(wrote || skipped, kindName).toBe(true);
    }
  });

  it.skipIf(skipWithout(!!findSoffice()))(
    'renders the agreement as a PDF with the enterprise seal and the draft mark, and one print file',
    { timeout: 120_000 },
    async () => {
      const [p] = await store.listProjects();
      const seal = readFileSync(`samples/seals/${p?.enterprise.name}.png`);
      const up = await call(`/api/seals?name=${encodeURIComponent(`${p?.enterprise.name}.png`)}`, {
        method: 'POST',
        body: new Uint8Array(seal),
        headers: { 'content-type': 'application/octet-stream', origin: `http://${HOST}` },
      });
      expect(up.status).toBe(200);
      const made = await json<{
        files: { href: string; name: string }[];
        failures: unknown[];
        printFile: { href: string; name: string } | null;
      }>(
        post('/api/documents', {
          kinds: ['agreement'],
          draft: true,
          pdf: true,
          seal: `${p?.enterprise.name}.png`,
          printFile: true,
        }),
      );
      expect(made.failures).toEqual([]);
      expect(made.files.map((f) => f.name)).toEqual([expect.stringMatching(/三方协议-盖章-草稿\.pdf$/)]);
      for (const href of [made.files[0]?.href, made.printFile?.href]) {
        const res = await call(`/api/documents/file?path=${encodeURIComponent(href ?? '')}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/pdf');
        expect(
          Buffer.from(await res.arrayBuffer())
            .subarray(0, 5)
            .toString(),
        ).toBe('%PDF-');
      }
    },
  );

  it('serves no file outside its folder', async () => {
    for (const path of ['../xietong.db', '/etc/passwd', '../../files/uploads']) {
      expect((await call(`/api/documents/file?path=${encodeURIComponent(path)}`)).status).toBe(404);
    }
  });
});

describe('the boundary holds on every later step', () => {
  const STATE_CHANGES: [string, unknown][] = [
    ['/api/match/confirm', { by: '坏人', pairs: [{ kind: 'demand', demandId: 'x', registrationId: 'y' }] }],
    ['/api/projects/2020-XT-001/terms', { by: '坏人', version: 'x', terms: {} }],
    ['/api/projects/2020-XT-001/state', { by: '坏人', version: 'x', to: 'agreed' }],
    ['/api/scores/import', { by: '坏人' }],
    ['/api/documents', { kinds: ['agreement'], draft: true, pdf: false }],
  ];

  it('refuses every state change from another origin or site, with the cookie or the token', async () => {
    const statuses: number[] = [];
    for (const [path, body] of STATE_CHANGES) {
      const hostile: Record<string, string>[] = [
        { origin: 'http://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of hostile) {
        const res = await call(path, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...headers },
        });
        statuses.push(res.status);
      }
    }
    for (const path of ['/api/scores/files?name=a.xlsx', '/api/seals?name=a.png']) {
      const res = await call(path, {
        method: 'POST',
        body: new Uint8Array(10),
        headers: { 'content-type': 'application/octet-stream', origin: 'http://evil.example' },
      });
      statuses.push(res.status);
    }
    expect(statuses.every((s) => s === 403)).toBe(true);
    // Nothing happened: no project named by the intruder, no seal written.
    expect((await store.listProjects()).some((p) => JSON.stringify(p).includes('坏人'))).toBe(false);
    const { seals } = await json<{ seals: { file: string }[] }>(call('/api/documents'));
    expect(seals.map((x) => x.file)).not.toContain('a.png');
  });

  it('refuses everything without the token', async () => {
    for (const path of ['/api/match', '/api/projects', '/api/scores', '/api/documents']) {
      const res = await wb.app.request(`http://${HOST}${path}`, { headers: { host: HOST } });
      expect(res.status).toBe(403);
    }
  });

  it('says what is wrong with a body in Chinese: not JSON, wrong shape, too large', async () => {
    const notJson = await call('/api/match/confirm', {
      method: 'POST',
      body: '{"by":',
      headers: { 'content-type': 'application/json', origin: `http://${HOST}` },
    });
    expect(notJson.status).toBe(400);
    expect((await json<{ message: string }>(notJson)).message).toContain('不是有效的 JSON');
    const shape = await post('/api/projects/2020-XT-001/state', { by: '甲', version: 'x', to: 'finished' });
    expect(shape.status).toBe(400);
    expect((await json<{ message: string }>(shape)).message).toMatch(/^状态变更无效：to：/);
    const big = await post('/api/match/confirm', { by: '甲', pairs: [], pad: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    const file = await call('/api/scores/files?name=big.xlsx', {
      method: 'POST',
      body: new Uint8Array(11 * 1024 * 1024),
      headers: { 'content-type': 'application/octet-stream', origin: `http://${HOST}` },
    });
    expect(file.status).toBe(413);
    expect((await json<{ message: string }>(file)).message).toContain('过长');
  });

  it('answers 503 with a retry message when the database is busy, and changes nothing', async () => {
    const busyStore = await openStore(store.location, { busyTimeoutMs: 50 });
    const busy = createApp({ store: busyStore, dataDir: join(dir, 'busy'), port: () => PORT, token: TOKEN });
    const [p] = (await json<{ projects: Summary[] }>(call('/api/projects'))).projects;
    const locker = new Database(store.location);
    try {
      locker.exec('BEGIN EXCLUSIVE');
      const res = await busy.app.request(`http://${HOST}/api/projects/${p?.project.id}/terms`, {
        method: 'POST',
        headers: { host: HOST, cookie, 'content-type': 'application/json', origin: `http://${HOST}` },
        body: JSON.stringify({ by: '甲', version: p?.version, terms: { position: '技术顾问' } }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect((await json<{ message: string }>(res)).message).toMatch(/稍后重试/);
    } finally {
      if (locker.inTransaction) locker.exec('ROLLBACK');
      locker.close();
      await busyStore.close();
    }
    expect((await store.getProject(p?.project.id ?? ''))?.position ?? null).not.toBe('技术顾问');
  });
});
