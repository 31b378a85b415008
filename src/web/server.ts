// The workbench served: createApp() on 127.0.0.1 only, on a free port unless one is asked for.
import { listenLocal, REVIEW_HOST } from '../review/guard.js';
import { createApp, type WorkbenchDeps } from './app.js';

export interface WorkbenchServer {
  /** With the token: what the command line prints. */
  url: string;
  /** The same, at another path of the page (`xietong review` prints /review). */
  urlAt(path: string): string;
  address: string;
  port: number;
  token: string;
  /** An address for the browser that works once and trades itself for the cookie (see review). */
  oneTimeUrl(path?: string): string;
  close(): Promise<void>;
}

export async function startWorkbench(
  deps: Omit<WorkbenchDeps, 'port'> & { port?: number },
): Promise<WorkbenchServer> {
  let port = 0;
  const { app, access } = createApp({ ...deps, port: () => port });
  const listening = await listenLocal(app, deps.port ?? 0, (p) => {
    port = p;
  });
  const base = `http://${REVIEW_HOST}:${port}`;
  return {
    address: listening.address,
    port,
    url: `${base}/?token=${access.token}`,
    urlAt: (path) => `${base}${path}?token=${access.token}`,
    token: access.token,
    oneTimeUrl: (path = '/') => base + access.oneTimePath(path),
    close: listening.close,
  };
}
