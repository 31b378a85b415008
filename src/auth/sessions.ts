// Sessions and login throttling of office mode, in memory: a restarted server logs everyone out,
// which is what a restart after a suspected leak should do anyway. Time comes from an injected
// clock, so tests move it instead of waiting.
import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  login: string;
  /** The account's password_set_at at login: a password changed since ends the session. */
  passwordSetAt: string;
  mustChange: boolean;
  createdAt: number;
  lastSeen: number;
}

export interface SessionLimits {
  /** A session unused this long is over (default 30 minutes). */
  idleMs: number;
  /** However busy, a session ends after this (default 12 hours: one working day). */
  maxMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };

// The map is keyed by the id's hash: a dump of the process's memory or a timing difference in the
// lookup does not give away a usable cookie.
const keyOf = (id: string) => createHash('sha256').update(id).digest('hex');

export class Sessions {
  private readonly byKey = new Map<string, Session>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** A new session; the id goes into the cookie and nowhere else. */
  open(login: string, passwordSetAt: string, mustChange: boolean): string {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    this.byKey.set(keyOf(id), { login, passwordSetAt, mustChange, createdAt: t, lastSeen: t });
    return id;
  }

  /** The live session of this id (its inactivity clock restarted), or undefined. */
  touch(id: string | undefined): Session | undefined {
    if (!id || id.length > 100) return undefined;
    const key = keyOf(id);
    const s = this.byKey.get(key);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen > this.limits.idleMs || t - s.createdAt > this.limits.maxMs) {
      this.byKey.delete(key);
      return undefined;
    }
    s.lastSeen = t;
    return s;
  }

  close(id: string | undefined): void {
    if (id) this.byKey.delete(keyOf(id));
  }

  /** Ends every session of a login (its password changed, or it was disabled). */
  closeAll(login: string, except?: string): void {
    const keep = except === undefined ? undefined : keyOf(except);
    for (const [key, s] of this.byKey) if (s.login === login && key !== keep) this.byKey.delete(key);
  }

  private sweep(): void {
    const t = this.now();
    for (const [key, s] of this.byKey) {
      if (t - s.lastSeen > this.limits.idleMs || t - s.createdAt > this.limits.maxMs) this.byKey.delete(key);
    }
  }
}

export interface ThrottleLimits {
  /** Failed logins of one account before it is held (default 5). */
  perAccount: number;
  /** Failed logins from one address before it is held (default 20: a shared office NAT). */
  perAddress: number;
  /** Failures count within this window, and a hold lasts until the oldest leaves it (default 15 min). */
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

/**
 * Failed logins per account and per address. Held means: not even checked, answered 429 — so a
 * guesser learns nothing more until the window passes. A held account can be let in early by an
 * administrator resetting its password (`xietong user passwd`), which the server does not see; the
 * window is short enough that it need not.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  private recent(key: string): number[] {
    const t = this.now();
    const kept = (this.failures.get(key) ?? []).filter((at) => t - at < this.limits.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until a login of this account from this address may be tried, or 0. */
  heldFor(login: string, address: string): number {
    const t = this.now();
    const wait = (list: number[], max: number) =>
      list.length >= max ? (list[list.length - max] ?? t) + this.limits.windowMs - t : 0;
    return Math.max(
      wait(this.recent(`a:${login}`), this.limits.perAccount),
      wait(this.recent(`i:${address}`), this.limits.perAddress),
    );
  }

  fail(login: string, address: string): void {
    const t = this.now();
    for (const key of [`a:${login}`, `i:${address}`]) this.failures.set(key, [...this.recent(key), t]);
  }

  /** A successful login clears its account's failures (not the address's: others may share it). */
  succeed(login: string): void {
    this.failures.delete(`a:${login}`);
  }
}
