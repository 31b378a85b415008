// The workbench's routes after the records are checked — 对接, 项目, 评审, 文书. Each turns a request
// into one call of the application layer (../app/) and its result into JSON or a download; request
// bodies are checked by hono's validator against the schemas here, and a project edited or moved
// since the page showed it is refused as a conflict (409) by the application layer.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  confirmMatches,
  DOCUMENT_KINDS,
  editProjectTerms,
  importScoreWorkbooks,
  lastRanking,
  listProjectSummaries,
  moveProject,
  ProjectTermsSchema,
  projectDetail,
  renderDocumentSet,
  suggestMatches,
  writeScoreWorkbook,
} from '../app/index.js';
import { formatSharedTerms, type Suggestion } from '../match/index.js';
import { DUTIES, DUTY_NAMES, PROJECT_STATES } from '../projects/types.js';
import { err, storeErrorResponse, validJson } from '../review/guard.js';
import type { SqliteRecordStore } from '../store/index.js';
import { ActorSchema } from '../store/types.js';

export interface ProgrammeDeps {
  store: SqliteRecordStore;
  dataDir: string;
}

/** Bodies sent as the file itself (application/octet-stream): filled score workbooks and seal images. */
export const PROGRAMME_RAW_PATHS = /^\/api\/(scores\/files|seals)$/;

const by = ActorSchema.shape.by;
const id = z.string().min(1).max(100);
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 2020-07-01 这样的格式')
  .optional();

const ConfirmSchema = z.strictObject({
  by,
  pairs: z
    .array(
      z.union([
        z.strictObject({ kind: z.literal('demand'), demandId: id, registrationId: id }),
        z.strictObject({ kind: z.literal('problem'), problemId: id, registrationId: id }),
      ]),
    )
    .min(1, '请先勾选要确认的对接')
    .max(200),
  start: date,
  months: z.number().int().min(1).max(60).optional(),
});

const TermsSchema = z.strictObject({ by, version: z.string().min(1).max(64), terms: ProjectTermsSchema });
const StateSchema = z.strictObject({
  by,
  version: z.string().min(1).max(64),
  to: z.enum(PROJECT_STATES),
  note: z.string().trim().max(500).optional(),
});
const ImportSchema = z.strictObject({ by });
const DocumentsSchema = z.strictObject({
  kinds: z
    .array(z.enum(DOCUMENT_KINDS.map((k) => k.kind) as [string, ...string[]]))
    .min(1, '请至少选择一种文书')
    .max(DOCUMENT_KINDS.length),
  projectIds: z.array(id).max(500).optional(),
  draft: z.boolean(),
  pdf: z.boolean(),
  seal: z.string().max(200).optional(),
  printFile: z.boolean().optional(),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TYPES: Record<string, string> = {
  '.xlsx': XLSX,
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.pdf': 'application/pdf',
};

/** A file as a download under its Chinese name (the ASCII fallback for old browsers). */
async function download(c: Context, path: string, name = basename(path)): Promise<Response> {
  const ext = extname(name).toLowerCase();
  return c.body(new Uint8Array(await readFile(path)), 200, {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Content-Disposition': `attachment; filename="download${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
}

/** A name sent by the browser, made safe to write in a folder of ours; undefined when not allowed. */
function safeName(given: string | undefined, types: readonly string[]): string | undefined {
  const name = basename((given ?? '').replace(/\\/g, '/'))
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(-120);
  if (!name || name.startsWith('.') || !types.includes(extname(name).toLowerCase())) return undefined;
  return name;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export function addProgrammeRoutes(app: Hono, deps: ProgrammeDeps): void {
  const { store } = deps;
  const scoresDir = join(deps.dataDir, 'scores');
  const received = join(scoresDir, 'received');
  const sealsDir = join(deps.dataDir, 'seals');
  const docsDir = join(deps.dataDir, 'documents');
  const refused = (c: Context, e: unknown) => storeErrorResponse(c, e);

  // ---- 对接 ----

  app.get('/api/match', async (c) => {
    const s = await suggestMatches(store, { top: 5 });
    // The reasons as the clerk reads them: each shared word and the fields it was found in.
    const why = (form: 'demand' | 'problem') => (x: Suggestion) => ({
      ...x,
      sharedTerms: undefined,
      why: formatSharedTerms(x.sharedTerms, form, 6),
    });
    return c.json({
      records: s.records.length,
      total: s.total,
      pending: s.pending,
      projects: s.projects,
      professionals: s.result.professionals,
      demands: s.result.demands.map((d) => ({ ...d, suggestions: d.suggestions.map(why('demand')) })),
      problems: s.result.problems.map((d) => ({ ...d, suggestions: d.suggestions.map(why('problem')) })),
      skipped: s.result.skipped,
    });
  });

  app.post('/api/match/confirm', validJson(ConfirmSchema, '确认对接'), async (c) => {
    const { pairs, ...options } = c.req.valid('json');
    return c.json(await confirmMatches(store, pairs, options));
  });

  // ---- 项目 ----

  app.get('/api/projects', async (c) =>
    c.json({
      projects: await listProjectSummaries(store),
      duties: DUTIES.map((d) => ({ duty: d, name: DUTY_NAMES[d] })),
    }),
  );

  app.get('/api/projects/:id', async (c) => {
    try {
      return c.json(await projectDetail(store, c.req.param('id')));
    } catch (e) {
      return refused(c, e);
    }
  });

  app.post('/api/projects/:id/terms', validJson(TermsSchema, '项目条款'), async (c) => {
    const input = c.req.valid('json');
    try {
      const outcome = await editProjectTerms(store, c.req.param('id'), input);
      if (!outcome.ok) {
        return c.json(
          {
            ...err('invalid_value', `项目条款有误：${outcome.problems.join('；')}`, 'Invalid project terms'),
            problems: outcome.problems,
          },
          400,
        );
      }
      return c.json(outcome);
    } catch (e) {
      return refused(c, e);
    }
  });

  app.post('/api/projects/:id/state', validJson(StateSchema, '状态变更'), async (c) => {
    const { to, ...input } = c.req.valid('json');
    try {
      return c.json(await moveProject(store, c.req.param('id'), to, input));
    } catch (e) {
      return refused(c, e);
    }
  });

  // ---- 评审 ----

  app.get('/api/scores', async (c) => {
    const files = existsSync(received) ? (await readdir(received)).filter((f) => f.endsWith('.xlsx')) : [];
    const ranking = await lastRanking(scoresDir);
    const projects = (await store.listProjects()).map((p) => ({ id: p.id, state: p.state }));
    return c.json({ received: files.sort(), ranking: ranking ?? null, projects });
  });

  app.get('/api/scores/workbook', async (c) => {
    const experts = Math.min(30, Math.max(1, Number(c.req.query('experts') ?? 3) || 3));
    const out = join(scoresDir, 'sheets', stamp());
    const made = await writeScoreWorkbook(store, { out, experts });
    if (!made.workbook) {
      return c.json(
        err(
          'nothing_to_score',
          '还没有已签订三方协议的项目：先在「项目」中把项目状态改为「已签订三方协议」。',
          'No project has a signed agreement yet.',
        ),
        409,
      );
    }
    return download(c, made.workbook);
  });

  app.post('/api/scores/files', async (c) => {
    const name = safeName(c.req.query('name'), ['.xlsx']);
    if (!name) {
      return c.json(
        err('invalid_input', '只能上传 .xlsx 评分表。', 'Only .xlsx workbooks can be uploaded.'),
        400,
      );
    }
    await mkdir(received, { recursive: true });
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    await writeFile(join(received, name), bytes);
    return c.json({ saved: name, bytes: bytes.length });
  });

  app.post('/api/scores/import', validJson(ImportSchema, '导入评分'), async (c) => {
    const files = existsSync(received)
      ? (await readdir(received)).filter((f) => f.endsWith('.xlsx')).map((f) => join(received, f))
      : [];
    if (files.length === 0) {
      return c.json(err('invalid_input', '还没有上传评分表。', 'No score workbook uploaded.'), 400);
    }
    const outcome = await importScoreWorkbooks(store, files, { out: scoresDir, by: c.req.valid('json').by });
    return c.json({
      ranking: outcome.aggregation,
      issues: outcome.issues,
      counted: outcome.entries.length,
      updated: outcome.updated,
    });
  });

  app.get('/api/scores/summary', async (c) => {
    const file = join(scoresDir, '评审汇总.xlsx');
    if (!existsSync(file)) {
      return c.json(err('record_not_found', '还没有导入评分。', 'No scores imported yet.'), 404);
    }
    return download(c, file);
  });

  // ---- 文书 ----

  const seals = async () =>
    existsSync(sealsDir) ? (await readdir(sealsDir)).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort() : [];

  app.get('/api/documents', async (c) =>
    c.json({
      kinds: DOCUMENT_KINDS.map(({ kind, name, about, perProject, seal }) => ({
        kind,
        name,
        about,
        perProject,
        seal: seal !== 'none',
      })),
      seals: (await seals()).map((f) => ({ file: f, organisation: basename(f, extname(f)) })),
      projects: (await listProjectSummaries(store)).map((s) => ({
        id: s.project.id,
        title: s.project.title,
        stateName: s.stateName,
      })),
    }),
  );

  app.post('/api/seals', async (c) => {
    const name = safeName(c.req.query('name'), ['.png', '.jpg', '.jpeg']);
    if (!name) {
      return c.json(
        err('invalid_input', '印章图片须为 .png 或 .jpg，文件名为单位名称。', 'A seal is a .png or .jpg.'),
        400,
      );
    }
    await mkdir(sealsDir, { recursive: true });
    await writeFile(join(sealsDir, name), new Uint8Array(await c.req.arrayBuffer()));
    return c.json({ saved: name });
  });

  app.post('/api/documents', validJson(DocumentsSchema, '文书选择'), async (c) => {
    const input = c.req.valid('json');
    const sealFile = input.seal ? (await seals()).find((f) => f === input.seal) : undefined;
    if (input.seal && !sealFile) {
      return c.json(err('invalid_input', `没有印章图片 ${input.seal}。`, 'No such seal image.'), 400);
    }
    const out = join(docsDir, stamp());
    const outcome = await renderDocumentSet(store, {
      kinds: input.kinds,
      projectIds: input.projectIds,
      draft: input.draft,
      pdf: input.pdf,
      seal: sealFile ? { image: join(sealsDir, sealFile) } : undefined,
      printFile: input.printFile,
      out,
      scoresDir,
    });
    const link = (p: string) => relative(docsDir, p).split(sep).join('/');
    return c.json({
      files: outcome.files.map((f) => ({ ...f, href: link(f.path), name: basename(f.path) })),
      failures: outcome.failures,
      skipped: outcome.skipped,
      printFile: outcome.printFile
        ? { href: link(outcome.printFile), name: basename(outcome.printFile) }
        : null,
    });
  });

  app.get('/api/documents/file', async (c) => {
    const root = resolve(docsDir);
    const path = resolve(root, c.req.query('path') ?? '');
    // Only what a render of this workbench wrote: nothing outside its folder.
    if (!path.startsWith(root + sep) || !existsSync(path) || !TYPES[extname(path).toLowerCase()]) {
      return c.json(err('record_not_found', '没有这个文件，请重新生成。', 'No such file.'), 404);
    }
    return download(c, path);
  });
}
