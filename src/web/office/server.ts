// Office mode served (`xietong serve --lan`): the workbench behind the accounts gate, on the address
// asked for (every interface by default — the point is colleagues' PCs), over TLS unless
// `--insecure-http` was given. Loopback mode (../server.ts) is untouched: it never listens elsewhere.
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { SqliteUsers } from '../../store/users.js';
import { createApp, type WorkbenchDeps } from '../app.js';
import { createOfficeGate, type OfficeGate, type OfficeOptions } from './gate.js';
import type { Certificate } from './tls.js';

/** Every IPv4 interface: what `--lan` listens on unless `--host` names one. */
export const LAN_HOST = '0.0.0.0';

export interface OfficeServerOptions extends Omit<WorkbenchDeps, 'port' | 'gate' | 'token' | 'by'> {
  users: SqliteUsers;
  host?: string;
  port?: number;
  /** Undefined: plain HTTP (`--insecure-http`), every page then carries a warning. */
  certificate?: Certificate;
  /** Clock, throttle and session limits (tests). */
  gate?: Omit<OfficeOptions, 'users' | 'tls'>;
}

export interface OfficeServer {
  /** The bound address (0.0.0.0 for every interface). */
  address: string;
  port: number;
  scheme: 'https' | 'http';
  office: OfficeGate;
  close(): Promise<void>;
}

export async function startOffice(options: OfficeServerOptions): Promise<OfficeServer> {
  const { users, certificate, host = LAN_HOST } = options;
  const office = createOfficeGate({ ...options.gate, users, tls: certificate !== undefined });
  let port = 0;
  const { app } = createApp({ ...options, port: () => port, gate: office.gate });
  const server = (
    certificate
      ? createAdaptorServer({
          fetch: app.fetch,
          createServer: createHttps,
          serverOptions: { cert: certificate.cert, key: certificate.key, minVersion: 'TLSv1.2' },
        })
      : createAdaptorServer({ fetch: app.fetch })
  ) as Server & { closeAllConnections(): void };
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  return {
    address: bound.address,
    port,
    scheme: certificate ? 'https' : 'http',
    office,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
