// The local pages' boundary, shared by `xietong review` and the workbench (`xietong serve`): the
// person at this machine only. A random token in the printed URL (or a one-time code for the
// browser's command line) is traded for an HttpOnly cookie; every state change must come from the
// page itself (Origin / Sec-Fetch-Site); a busy database answers 503 with a Chinese retry message
// instead of freezing the page; bodies have a size limit (hono's body-limit) and JSON bodies a
// schema (hono's validator); every answer carries hono's secure headers with a per-answer CSP nonce.
// Written once so both pages keep it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { withAccountActor } from '../auth/context.js';
import { StoreError } from '../store/types.js';

/** The only address the pages listen on: they are for the person at this machine. */
export const REVIEW_HOST = '127.0.0.1';

/** A correction is at most a long text field; nothing a page posts as JSON needs more. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The page must not freeze while an ingest holds the write lock: it answers 503 soon instead. */
export const REVIEW_BUSY_TIMEOUT_MS = 1500;

const ONE_TIME_TTL_MS = 60_000;

export type Json = Record<string, unknown>;

export function err(error: string, message: string, messageEn: string): Json {
  return { error, message, messageEn };
}

export const zodMessage = (error: z.ZodError): string =>
  error.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');

export interface AccessOptions {
  /** Secret in the URL; random (32 bytes, hex) when not given. */
  token?: string;
  /** The port listened on, known only after listening (tests of createApp give a fixed one). */
  port: () => number;
  /** Cookie name prefix: cookies are not told apart by port, so the port is added. */
  cookiePrefix: string;
  /**
   * Requests whose body is not JSON: the uploads, sent as application/octet-stream — a type a
   * form on another site cannot send without a CORS preflight this server never answers.
   */
  rawBodyPaths?: (path: string) => boolean;
  /** Pages (not API calls) reached with the token: redirected to drop it (default ['/']). */
  pages?: readonly string[];
}

export interface Access {
  token: string;
  middleware: MiddlewareHandler;
  /** A one-time address for the browser (its command line is visible to every user: `ps`). */
  oneTimePath(path?: string): string;
}

export function createAccess(options: AccessOptions): Access {
  const token = options.token ?? randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token);
  const cookieName = () => `${options.cookiePrefix}_${options.port()}`;
  const sameToken = (given: string | undefined) => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };
  const onceCodes = new Map<string, number>();
  const takeOnce = (code: string): boolean => {
    const until = onceCodes.get(code);
    onceCodes.delete(code);
    return until !== undefined && until >= Date.now();
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const port = options.port();
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
      if (c.req.method === 'GET' && (options.pages ?? ['/']).includes(c.req.path))
        return c.redirect(c.req.path, 303);
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
      const type = c.req.header('content-type') ?? '';
      const raw = options.rawBodyPaths?.(c.req.path) ?? false;
      if (raw ? !/^application\/octet-stream\b/i.test(type) : !/^application\/json\b/i.test(type)) {
        return raw
          ? c.json(err('bad_request', '请求须为文件内容', 'The request body must be the file'), 415)
          : c.json(err('bad_request', '请求须为 JSON', 'The request body must be JSON'), 415);
      }
    }
    return next();
  };

  return {
    token,
    middleware,
    oneTimePath: (path = '/') => {
      const code = randomBytes(16).toString('hex');
      onceCodes.set(code, Date.now() + ONE_TIME_TTL_MS);
      return `${path}?once=${code}`;
    },
  };
}

/**
 * Headers every answer carries (hono's secure-headers): nothing framed, sniffed, cached or referred
 * elsewhere, and a CSP that lets a page run only its own inline script and style, by the nonce
 * this middleware makes for each answer (pageNonce). Images and requests go to this server only.
 */
const secure = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: [NONCE],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    // Office mode's login and its bar's 退出登录 are forms posting to this server.
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  crossOriginResourcePolicy: 'same-origin',
  crossOriginOpenerPolicy: 'same-origin',
  xContentTypeOptions: 'nosniff',
  strictTransportSecurity: false,
});

export const safeHeaders: MiddlewareHandler = async (c, next) => {
  await secure(c, async () => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
};

/** The nonce of this answer's CSP, for the page's inline script and style. */
export const pageNonce = (c: Context): string => (c.get('secureHeadersNonce') as string | undefined) ?? '';

/** Checks a JSON body against a schema (hono's validator); a bad one is 400 naming what is wrong. */
export function validJson<T>(schema: z.ZodType<T>, what: string) {
  return validator('json', (value, c) => {
    // Office mode: who did it is the logged-in account, whatever name the page sent.
    const parsed = schema.safeParse(withAccountActor(c, value));
    if (!parsed.success) {
      const m = zodMessage(parsed.error);
      return c.json(err('invalid_input', `${what}无效：${m}`, `Invalid ${what}: ${m}`), 400);
    }
    return parsed.data;
  });
}

/** The size limit on a body, answered in Chinese. */
export function limitBody(maxSize: number): MiddlewareHandler {
  const kb = Math.round(maxSize / 1024);
  const size = kb >= 1024 ? `${Math.round(kb / 1024)} MB` : `${kb} KB`;
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(err('too_large', `提交内容过长（上限 ${size}）`, `The request body is over ${size}`), 413),
  });
}

/** The last word on an error: a busy database is 503 with a retry message, anything else 500. */
export function onAppError(e: Error, c: Context, who: string): Response {
  if (e instanceof HTTPException && e.status === 400) {
    // hono's validator on a body that is not JSON at all.
    return c.json(err('bad_json', '请求内容不是有效的 JSON。', 'The request body is not valid JSON.'), 400);
  }
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
  process.stderr.write(`${who}: ${e.stack ?? e.message}\n`);
  return c.json(err('internal', '服务器内部错误', 'Internal error'), 500);
}

const STATUS_OF_STORE_ERROR: Record<StoreError['code'], 400 | 404 | 409 | 500> = {
  record_not_found: 404,
  unknown_field: 400,
  invalid_value: 400,
  invalid_input: 400,
  conflict: 409,
  invalid_row: 500,
};

export async function storeErrorResponse(
  c: Context,
  e: unknown,
  extra?: () => Promise<Json>,
): Promise<Response> {
  if (!(e instanceof StoreError)) throw e;
  const more = e.code === 'conflict' && extra ? await extra() : {};
  return c.json({ ...err(e.code, e.message, e.messageEn), ...more }, STATUS_OF_STORE_ERROR[e.code]);
}

export interface Listening {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 only; `onPort` learns the port before the first request can arrive. */
export async function listenLocal(
  app: Hono,
  port: number,
  onPort: (port: number) => void,
): Promise<Listening> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, REVIEW_HOST, () => {
      server.off('error', fail);
      done();
    });
  });
  const bound = server.address() as AddressInfo;
  onPort(bound.port);
  return {
    address: bound.address,
    port: bound.port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        // Browsers keep connections open; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
