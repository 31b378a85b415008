// The workbench (`xietong serve`): one local page for the programme's steps — 导入, 核对, 检查, 汇总 —
// built apart from serving, so tests drive it with app.request(). Behind the same guard as the
// review page (../review/guard.ts: host, token → cookie, Origin on every state change, body limits,
// 503 on a busy database); 核对 is the review page itself, served here at /review. Each route only
// turns a request into a call of the application layer (../app/) and its result into JSON.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import {
  approvableRecords,
  approveAll,
  checkAll,
  exportAll,
  exportCopy,
  ingestBatch,
  workbookOf,
} from '../app/index.js';
import {
  type Access,
  createAccess,
  err,
  limitBody,
  MAX_BODY_BYTES,
  onAppError,
  pageNonce,
  safeHeaders,
  validJson,
} from '../review/guard.js';
import { addReviewRoutes } from '../review/routes.js';
import type { SqliteRecordStore } from '../store/index.js';
import { ActorSchema } from '../store/types.js';
import { IngestJobs, type RunBatch } from './jobs.js';
import { TABS_STYLE, workbenchPage, workbenchTabs } from './page.js';
import { addProgrammeRoutes, PROGRAMME_RAW_PATHS } from './programme.js';

export interface WorkbenchDeps {
  store: SqliteRecordStore;
  /** Folder for uploaded files, ingest output (crops) and the last export: beside the database. */
  dataDir: string;
  /** The port listened on (known after listening; tests give a fixed one). */
  port: () => number;
  token?: string;
  /** Prefills 核对人. */
  by?: string;
  referenceDate?: string;
  /** The ingest run; default: ingestBatch into the store. Tests may stand in a slower one. */
  runBatch?: RunBatch;
  /** Largest uploaded file (default MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
  /** Office mode (`serve --lan`): accounts in place of the token (./office/gate.ts). */
  gate?: (routes: { rawBodyPaths: (path: string) => boolean }) => MiddlewareHandler;
}

export interface Workbench {
  app: Hono;
  access: Access;
  jobs: IngestJobs;
}

/** A scanner's PDF of a whole batch can be large; anything over this is better given as a path. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Largest score workbook or seal image accepted. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const BATCH_MARKER = '.xietong-batch';
const UPLOAD_TYPES = new Set(['.docx', '.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff']);
const UPLOAD_PATH = /^\/api\/uploads\/([0-9a-f]{16})\/files$/;

const IngestInputSchema = z.union([
  z.object({ paths: z.array(z.string().trim().min(1).max(4096)).min(1).max(200) }).strict(),
  z.object({ batch: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
]);

const ApproveAllSchema = z.object({
  by: ActorSchema.shape.by,
  versions: z.record(z.string().max(200), z.string().min(1).max(100)),
});

/** A file name as the clerk's machine sent it, made safe to write in the batch folder. */
function uploadName(given: string): string | undefined {
  const name = basename(given.replace(/\\/g, '/'))
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(-120);
  if (!name || name.startsWith('.') || !UPLOAD_TYPES.has(extname(name).toLowerCase())) return undefined;
  return name;
}

export function createApp(deps: WorkbenchDeps): Workbench {
  const { store } = deps;
  const uploads = join(deps.dataDir, 'uploads');
  const access = createAccess({
    token: deps.token,
    port: deps.port,
    cookiePrefix: 'xietong_serve',
    rawBodyPaths: (path) => UPLOAD_PATH.test(path) || PROGRAMME_RAW_PATHS.test(path),
    pages: ['/', '/review'],
  });
  const runBatch: RunBatch =
    deps.runBatch ??
    ((paths, onProgress) =>
      ingestBatch(paths, {
        store,
        out: join(deps.dataDir, 'ingest', new Date().toISOString().replace(/[:.]/g, '-')),
        referenceDate: deps.referenceDate,
        onProgress,
      }));
  const jobs = new IngestJobs(runBatch);
  const jsonLimit = limitBody(MAX_BODY_BYTES);
  const uploadLimit = limitBody(deps.maxUploadBytes ?? MAX_UPLOAD_BYTES);
  // A filled score workbook is some 50 KB, a seal image less: 10 MB leaves room and no more.
  const fileLimit = limitBody(MAX_FILE_BYTES);

  const app = new Hono();
  app.use('*', safeHeaders);
  app.use(
    '*',
    deps.gate?.({ rawBodyPaths: (path) => UPLOAD_PATH.test(path) || PROGRAMME_RAW_PATHS.test(path) }) ??
      access.middleware,
  );
  app.use('/api/*', (c, next) =>
    (UPLOAD_PATH.test(c.req.path)
      ? uploadLimit
      : PROGRAMME_RAW_PATHS.test(c.req.path)
        ? fileLimit
        : jsonLimit)(c, next),
  );

  app.get('/', (c) => {
    const nonce = pageNonce(c);
    return c.html(workbenchPage({ nonce, by: deps.by ?? '' }));
  });
  addReviewRoutes(app, {
    store,
    by: deps.by,
    pagePath: '/review',
    home: '/#review',
    tabs: { html: workbenchTabs('review', '/'), style: TABS_STYLE },
  });
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/api/overview', async (c) => {
    const [counts, approvable] = await Promise.all([store.counts(), approvableRecords(store)]);
    return c.json({ counts, approvable: approvable.length, job: jobs.current ?? null });
  });

  // Uploads: a batch folder first, then each file as its own request (a browser sends one file's
  // bytes as they are, with no multipart parsing here), then one ingest of the folder.
  app.post('/api/uploads', async (c) => {
    const batch = randomBytes(8).toString('hex');
    await mkdir(join(uploads, batch), { recursive: true });
    // Ingest looks only at form files in a folder: the marker is never read as one.
    await writeFile(join(uploads, batch, BATCH_MARKER), '');
    return c.json({ batch });
  });

  app.post('/api/uploads/:batch/files', async (c) => {
    const batch = UPLOAD_PATH.exec(c.req.path)?.[1] ?? '';
    const name = uploadName(c.req.query('name') ?? '');
    if (!name) {
      return c.json(
        err(
          'invalid_input',
          '只能导入 .docx、.pdf、.png、.jpg、.tif 文件。',
          'Only .docx, .pdf, .png, .jpg and .tif files can be imported.',
        ),
        400,
      );
    }
    const dir = join(uploads, batch);
    // Only a batch this server handed out: its folder holds the marker written then.
    if (!existsSync(join(dir, BATCH_MARKER))) {
      return c.json(
        err('record_not_found', '上传批次不存在，请重新选择文件。', 'No such upload batch.'),
        404,
      );
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    await writeFile(join(dir, name), bytes);
    return c.json({ saved: name, bytes: bytes.length });
  });

  app.post('/api/ingest', validJson(IngestInputSchema, '导入内容'), async (c) => {
    const input = c.req.valid('json');
    const paths = 'paths' in input ? input.paths : [join(uploads, input.batch)];
    const job = jobs.start(paths, 'batch' in input ? join(uploads, input.batch) : undefined);
    if (!job) {
      return c.json(
        err('busy', '正在导入上一批文件，请等它结束后再导入。', 'Another ingest is running: wait for it.'),
        409,
      );
    }
    return c.json({ job }, 202);
  });

  app.get('/api/ingest', (c) => c.json({ job: jobs.current ?? null }));

  app.get('/api/check', async (c) => {
    const { report, problems, doubts } = await checkAll(store, { referenceDate: deps.referenceDate });
    return c.json({ records: report.summary.records, problems, doubts });
  });

  app.get('/api/approvable', async (c) => c.json({ records: await approvableRecords(store) }));

  app.post('/api/approve-all', validJson(ApproveAllSchema, '核对内容'), async (c) => {
    const outcome = await approveAll(store, c.req.valid('json'));
    if (!outcome.ok) {
      return c.json(
        {
          ...err(
            'conflict',
            `有 ${outcome.changed.length} 份记录在您打开后已被修改或已核对，本次一份也没有核对通过。请刷新后再看一遍。`,
            'Some records changed since you loaded them: nothing was approved. Reload and look again.',
          ),
          changed: outcome.changed,
        },
        409,
      );
    }
    return c.json({ approved: outcome.approved });
  });

  app.get('/api/export/xlsx', async (c) => {
    const out = join(deps.dataDir, 'export');
    await rm(out, { recursive: true, force: true });
    const options = { out, formats: ['xlsx'] as const, referenceDate: deps.referenceDate };
    const result = await exportAll(store, options);
    // The workbook stays in the data folder after the download: `store erase` must know of it.
    await store.noteCopy(exportCopy(result, options));
    const path = workbookOf(result);
    if (!path) throw new Error('export wrote no workbook');
    const day = new Date().toISOString().slice(0, 10);
    return c.body(new Uint8Array(await readFile(path)), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(`汇总表-${day}.xlsx`)}`,
    });
  });

  addProgrammeRoutes(app, { store, dataDir: deps.dataDir });

  app.notFound((c) => c.text('404 Not Found', 404));
  app.onError((e, c) => onAppError(e, c, 'workbench'));
  return { app, access, jobs };
}
