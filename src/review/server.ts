// `xietong review`'s server: the review routes alone behind the local pages' guard (./guard.ts) —
// hono on 127.0.0.1 only, a random token in the URL (then a cookie), everything inline (no CDN: the
// bureau's machines may have no internet, and the data must not leave them).
import { Hono } from 'hono';
import type { RecordStore } from '../store/types.js';
import {
  createAccess,
  limitBody,
  listenLocal,
  MAX_BODY_BYTES,
  onAppError,
  REVIEW_HOST,
  safeHeaders,
} from './guard.js';
import { addReviewRoutes } from './routes.js';

export { MAX_BODY_BYTES, REVIEW_BUSY_TIMEOUT_MS, REVIEW_HOST } from './guard.js';
export { ApproveInputSchema } from './routes.js';

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

export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  let port = 0;
  const access = createAccess({ token: options.token, port: () => port, cookiePrefix: 'xietong_review' });
  const app = new Hono();
  app.use('*', safeHeaders);
  app.use('*', access.middleware);
  app.use('/api/*', limitBody(MAX_BODY_BYTES));
  addReviewRoutes(app, { store: options.store, by: options.by, pagePath: '/' });
  // Browsers ask for it on their own; an empty answer keeps their console clean.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.notFound((c) => c.text('404 Not Found', 404));
  app.onError((e, c) => onAppError(e, c, 'review page'));

  const listening = await listenLocal(app, options.port ?? 0, (p) => {
    port = p;
  });
  const base = `http://${REVIEW_HOST}:${port}`;
  return {
    address: listening.address,
    url: `${base}/?token=${access.token}`,
    port,
    token: access.token,
    oneTimeUrl: () => base + access.oneTimePath('/'),
    close: listening.close,
  };
}
