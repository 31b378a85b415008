// Passwords of office-mode accounts: scrypt (memory-hard, in node itself), a salt of its own per
// password, and the cost stored beside the hash so it can be raised later without breaking old
// passwords. Compared in constant time. A login that does not exist is hashed all the same, so the
// answer's timing does not tell which login names exist.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptCost {
  /** CPU/memory cost, a power of two: 2^15 × r 8 × 128 bytes = 32 MiB per hash. */
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (2023): N=2^17 would take ~128 MiB per login on a small office server. */
export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Shortest password a person may choose. */
export const MIN_PASSWORD_CHARS = 10;
export const MAX_PASSWORD_CHARS = 200;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    // node refuses anything over 32 MiB by default: exactly what N=2^15, r=8 needs, plus slack.
    maxmem: 128 * cost.N * cost.r * cost.p * 2 + 1024 * 1024,
  };
  return new Promise((done, fail) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (e, key) => (e ? fail(e) : done(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const DUMMY_SALT = randomBytes(SALT_BYTES);

/** True when `password` is the one `stored` was made from; `stored` undefined: a login that does not exist. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parts = stored?.split('$') ?? [];
  const [scheme, n, r, p, salt, hash] = parts;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const wellFormed =
    parts.length === 6 &&
    scheme === 'scrypt' &&
    Number.isInteger(cost.N) &&
    cost.N > 1 &&
    (cost.N & (cost.N - 1)) === 0 &&
    cost.N <= 2 ** 20 &&
    Number.isInteger(cost.r) &&
    cost.r > 0 &&
    cost.r <= 32 &&
    Number.isInteger(cost.p) &&
    cost.p > 0 &&
    cost.p <= 16;
  if (!wellFormed || salt === undefined || hash === undefined) {
    await derive(password, DUMMY_SALT, DEFAULT_COST);
    return false;
  }
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), cost);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Why a new password is refused, in Chinese, or undefined when it is acceptable. */
export function passwordProblem(password: string, login?: string): string | undefined {
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS) return `密码至少 ${MIN_PASSWORD_CHARS} 个字符。`;
  if (chars > MAX_PASSWORD_CHARS) return `密码最多 ${MAX_PASSWORD_CHARS} 个字符。`;
  if (login && password.toLowerCase().includes(login.toLowerCase())) return '密码不能包含登录名。';
  if (new Set(password).size < 4) return '密码过于简单。';
  return undefined;
}

/** A first password to hand over on paper: 16 characters without look-alikes (0/O, 1/l/I). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  // 256 % 54 leaves a small bias; a one-time password that must be changed at first login can bear it.
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
