// The review web page's server: hono on 127.0.0.1 only, a random token in the URL (then a cookie),
// everything inline (no CDN: the bureau's machines may have no internet, and the data must not
// leave them). The page talks to the store through the same RecordStore interface and zod schemas
// as the CLI, so a correction from the page and one from `xietong store correct` are the same thing.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { FORMS, fieldDef } from '../forms/index.js';
import { titleOf } from '../store/sqlite.js';
import { ActorSchema, CorrectionInputSchema, type RecordStore, StoreError } from '../store/types.js';
import { valueFromText } from '../store/values.js';
import { reviewPage } from './page.js';
import { type QueueEntry, recordView, versionOf } from './view.js';

export interface ReviewServerOptions {
  store: RecordStore;
  /** Secret in the URL; random (32 bytes, hex) when not given. */
  token?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Who reviews: fills the page's 核对人 field. */
  by?: string;
}

export interface ReviewServer {
  url: string;
  /** The address actually listened on (always 127.0.0.1). */
  address: string;
  port: number;
  token: string;
  /**
   * An address for the browser that works once, within a minute, and trades itself for the cookie:
   * a browser's command line is visible to every user of the machine (`ps`), the token must not be.
   */
  oneTimeUrl(): string;
  close(): Promise<void>;
}

/** The only address the server listens on: the page is for the person at this machine. */
export const REVIEW_HOST = '127.0.0.1';

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

export const ApproveInputSchema = z.object({
  by: ActorSchema.shape.by,
  note: z.string().trim().max(500).optional(),
  /** The record's version as the page showed it: approving what someone else changed meanwhile is refused. */
  version: z.string().min(1).max(100),
});

/** The page always says which value it saw: a correction over another reviewer's change is a conflict. */
const PageCorrectionSchema = CorrectionInputSchema.required({ expected: true });

/** A correction is at most a long text field; nothing a page posts needs more. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The page must not freeze while an ingest holds the write lock: it answers 503 soon instead. */
export const REVIEW_BUSY_TIMEOUT_MS = 1500;

const ONE_TIME_TTL_MS = 60_000;

type Json = Record<string, unknown>;

const zodMessage = (error: z.ZodError): string =>
  error.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');

const STATUS_OF_STORE_ERROR: Record<StoreError['code'], 400 | 404 | 409 | 500> = {
  record_not_found: 404,
  unknown_field: 400,
  invalid_value: 400,
  invalid_input: 400,
  conflict: 409,
  invalid_row: 500,
};

export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  const { store } = options;
  const token = options.token ?? randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  // Cookies are not told apart by port: two review servers on one machine need two names.
  const cookieName = () => `xietong_review_${port}`;
  const sameToken = (given: string | undefined) => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };

  // Records shown once stay in the list until approved, even when every flagged field has been
  // corrected (the store's queue drops them then) — the reviewer still has to approve them.
  let order: string[] = [];

  const onceCodes = new Map<string, number>();
  const takeOnce = (code: string): boolean => {
    const until = onceCodes.get(code);
    onceCodes.delete(code);
    return until !== undefined && until >= Date.now();
  };

  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  });

  app.use('*', async (c, next) => {
    // A page on another site that renames itself to 127.0.0.1 (DNS rebinding) sends its own Host.
    const host = c.req.header('host');
    if (host !== `${REVIEW_HOST}:${port}` && host !== `localhost:${port}`) {
      return c.text('403 Forbidden: wrong host / 主机名不符', 403);
    }
    const fromQuery = sameToken(c.req.query('token'));
    const once = c.req.query('once');
    const fromOnce = c.req.method === 'GET' && once !== undefined && takeOnce(once);
    if (fromQuery || fromOnce) {
      setCookie(c, cookieName(), token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      // Drop the token from the address bar (and so from history and screenshots).
      if (c.req.method === 'GET' && c.req.path === '/') return c.redirect('/', 303);
    } else if (!sameToken(getCookie(c, cookieName()))) {
      return c.text(
        '403 Forbidden: 缺少或错误的访问令牌，请使用命令行打印的完整网址。 / Missing or wrong token.',
        403,
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // Every state change, however the token came: a form on another site cannot send JSON
      // without CORS, and its Origin (or the browser's Sec-Fetch-Site) gives it away.
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      if ((origin && origin !== `http://${host}`) || (site && site !== 'same-origin' && site !== 'none'))
        return c.json(err('forbidden', '来源不符', 'Bad origin'), 403);
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        return c.json(err('bad_request', '请求须为 JSON', 'The request body must be JSON'), 415);
      }
    }
    return next();
  });

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(
          err(
            'too_large',
            `提交内容过长（上限 ${MAX_BODY_BYTES / 1024} KB）`,
            `The request body is over ${MAX_BODY_BYTES / 1024} KB`,
          ),
          413,
        ),
    }),
  );

  app.get('/', (c) => {
    const nonce = randomBytes(16).toString('base64');
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    return c.html(reviewPage({ nonce, by: options.by ?? '' }));
  });

  // Browsers ask for it on their own; an empty answer keeps their console clean.
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/api/queue', async (c) => {
    const queue = await store.reviewQueue();
    const inQueue = new Map(queue.map((q) => [q.id, q]));
    const left = order.filter((id) => !inQueue.has(id));
    const pending = new Map(
      (left.length ? await store.listRecords({ ids: left, status: 'pending' }) : []).map((r) => [r.id, r]),
    );
    const known = new Set(order);
    order = [
      ...order.filter((id) => inQueue.has(id) || pending.has(id)),
      ...queue.map((q) => q.id).filter((id) => !known.has(id)),
    ];
    const entries: QueueEntry[] = order.map((id) => {
      const q = inQueue.get(id);
      if (q) {
        return {
          id,
          form: q.form,
          formName: FORMS[q.form].shortName,
          title: q.title,
          flagged: q.fields.length,
          minConfidence: q.minConfidence,
          status: 'pending',
        };
      }
      const r = pending.get(id);
      if (!r) throw new Error(`unreachable: ${id}`);
      return {
        id,
        form: r.form,
        formName: FORMS[r.form].shortName,
        title: titleOf(r),
        flagged: 0,
        minConfidence: 1,
        status: r.status,
      };
    });
    return c.json({ records: entries });
  });

  app.get('/api/records/:id', async (c) => {
    const view = await recordView(store, c.req.param('id'));
    if (!view) return c.json(err('record_not_found', '找不到记录', 'No such record'), 404);
    return c.json(view);
  });

  app.get('/crop/:id/:key', async (c) => {
    // Only a path the store holds for this field: the URL names a field, never a file.
    const record = await store.getRecord(c.req.param('id'));
    const crop = record?.fields[c.req.param('key')]?.read?.crop;
    const type = crop ? IMAGE_TYPES[extname(crop).toLowerCase()] : undefined;
    if (!crop || !type) return c.text('404 没有该字段的原图 / no crop for this field', 404);
    const path = isAbsolute(crop) ? crop : resolve(dirname(store.location), crop);
    try {
      const body = await readFile(path);
      return c.body(new Uint8Array(body), 200, { 'Content-Type': type });
    } catch {
      return c.text('404 原图文件不存在 / crop file missing', 404);
    }
  });

  app.post('/api/records/:id/fields/:key', async (c) => {
    const id = c.req.param('id');
    const key = c.req.param('key');
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const parsed = PageCorrectionSchema.safeParse(body.value);
    if (!parsed.success) {
      const m = zodMessage(parsed.error);
      return c.json(err('invalid_input', `更正内容无效：${m}`, `Invalid correction: ${m}`), 400);
    }
    const record = await store.getRecord(id);
    if (!record) return c.json(err('record_not_found', `找不到记录 ${id}。`, `No record ${id}.`), 404);
    // A photo's value is the path of its crop: not something to point at another file from a page.
    if (fieldDef(record.form, key)?.kind === 'photo') {
      return c.json(err('invalid_input', '照片字段不能在此更改。', 'The photo cannot be changed here.'), 400);
    }
    let value = parsed.data.value;
    let notes: string[] = [];
    // The page posts what was typed; the store holds the normal form (1985年3月 → 1985-03).
    if (typeof value === 'string') {
      const fromText = valueFromText(record.form, key, value);
      if (!fromText.ok) return c.json(err('invalid_value', fromText.message, fromText.messageEn), 400);
      value = fromText.value;
      notes = fromText.notes;
    }
    try {
      const correction = await store.correctField(id, key, { ...parsed.data, value });
      const view = await recordView(store, id);
      return c.json({
        correction,
        notes,
        field: view?.fields.find((f) => f.key === key),
        status: view?.status,
        version: view?.version,
      });
    } catch (e) {
      return storeErrorResponse(c, e, async () => {
        const now = await store.getRecord(id);
        return { current: now?.fields[key]?.value ?? null };
      });
    }
  });

  app.post('/api/records/:id/approve', async (c) => {
    const id = c.req.param('id');
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const parsed = ApproveInputSchema.safeParse(body.value);
    if (!parsed.success) {
      const m = zodMessage(parsed.error);
      return c.json(err('invalid_input', `核对内容无效：${m}`, `Invalid approval: ${m}`), 400);
    }
    const record = await store.getRecord(id);
    if (!record) return c.json(err('record_not_found', `找不到记录 ${id}。`, `No record ${id}.`), 404);
    if (versionOf(record) !== parsed.data.version) {
      return c.json(
        err(
          'conflict',
          '这份记录在您打开后已被他人修改，请查看最新内容后再核对通过。',
          'The record changed since you loaded it: look at it again before approving.',
        ),
        409,
      );
    }
    try {
      const review = await store.approveRecord(id, { by: parsed.data.by, note: parsed.data.note });
      return c.json({ review });
    } catch (e) {
      return storeErrorResponse(c, e);
    }
  });

  app.notFound((c) => c.text('404 Not Found', 404));
  app.onError((e, c) => {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      c.header('Retry-After', '2');
      return c.json(
        err(
          'busy',
          '数据库正被其他程序使用（例如正在导入），请稍后重试。',
          'The database is busy (an ingest is writing?): try again in a moment.',
        ),
        503,
      );
    }
    process.stderr.write(`review page: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return c.json(err('internal', '服务器内部错误', 'Internal error'), 500);
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, REVIEW_HOST, () => {
      server.off('error', fail);
      done();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  return {
    address: bound.address,
    url: `http://${REVIEW_HOST}:${port}/?token=${token}`,
    port,
    token,
    oneTimeUrl: () => {
      const code = randomBytes(16).toString('hex');
      onceCodes.set(code, Date.now() + ONE_TIME_TTL_MS);
      return `http://${REVIEW_HOST}:${port}/?once=${code}`;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        // Browsers keep connections open; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

function err(error: string, message: string, messageEn: string): Json {
  return { error, message, messageEn };
}

async function jsonBody(
  c: Context,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  try {
    return { ok: true, value: (await c.req.json()) as unknown };
  } catch {
    return {
      ok: false,
      response: c.json(
        err('bad_json', '请求内容不是有效的 JSON。', 'The request body is not valid JSON.'),
        400,
      ),
    };
  }
}

async function storeErrorResponse(c: Context, e: unknown, extra?: () => Promise<Json>): Promise<Response> {
  if (!(e instanceof StoreError)) throw e;
  const more = e.code === 'conflict' && extra ? await extra() : {};
  return c.json({ ...err(e.code, e.message, e.messageEn), ...more }, STATUS_OF_STORE_ERROR[e.code]);
}
