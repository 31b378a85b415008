// What a request knows of the person behind it in office mode (`xietong serve --lan`): set by the
// office gate (../web/office/gate.ts) once the session is checked; absent in loopback mode, where
// the person at the machine types their name. Lives apart from the gate so the JSON-body reader
// shared by the pages (../review/guard.ts) can ask for it without importing the web layer.
import type { Context } from 'hono';
import type { Account } from '../store/users.js';
import { actorOf } from '../store/users.js';

declare module 'hono' {
  interface ContextVariableMap {
    account: Account;
  }
}

/** The logged-in account's name for the history, or undefined in loopback mode. */
export function accountActor(c: Context): string | undefined {
  const account = c.get('account') as Account | undefined;
  return account ? actorOf(account) : undefined;
}

/**
 * A posted body with the logged-in account in place of whatever name was typed: in office mode the
 * history names the account, never a name the page sent. Keys `by` (records) and `actor` (projects).
 */
export function withAccountActor(c: Context, body: unknown): unknown {
  const actor = accountActor(c);
  if (!actor || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of ['by', 'actor']) if (typeof out[key] === 'string') out[key] = actor;
  return out;
}
