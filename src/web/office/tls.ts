// The certificate office mode serves with: the bureau's own (`--cert/--key`), or one made here and
// kept in the data folder, signed by itself. A self-signed certificate makes each browser warn
// once; the SHA-256 fingerprint printed at start (and shown by the browser) is what a colleague
// compares to accept it knowingly. Made with node's crypto alone — a P-256 key and a few hundred
// bytes of DER written out below — so a server without openssl can still be set up.
import {
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { RunError } from '../../errors.js';
import { writeFileAtomic } from '../../files.js';

export interface Certificate {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, as browsers show it (AB:CD:…). */
  fingerprint: string;
  /** Where it came from: the bureau's files, or the data folder (made now or before). */
  origin: 'given' | 'kept' | 'made';
  certPath: string;
  validTo: string;
  /** Names and addresses it is valid for. */
  names: string[];
}

const DAY = 86_400_000;
/** Long enough not to bother the office; short enough to be remade now and then. */
const VALID_DAYS = 825;
/** A kept certificate this close to its end is made again (colleagues then check the new fingerprint). */
const RENEW_DAYS = 30;

// --- DER ------------------------------------------------------------------------------------------

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}
const seq = (...p: Buffer[]) => tlv(0x30, ...p);
const set = (...p: Buffer[]) => tlv(0x31, ...p);
const explicit = (n: number, ...p: Buffer[]) => tlv(0xa0 + n, ...p);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // RFC 5280: UTCTime through 2049, GeneralizedTime after.
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

function ipBytes(ip: string): Buffer | undefined {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) return undefined;
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return Buffer.from(groups.flatMap((g) => [Number.parseInt(g, 16) >> 8, Number.parseInt(g, 16) & 0xff]));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/** A self-signed certificate for `names` (host names and IP addresses), valid from `now`. */
export function selfSigned(names: readonly string[], now: Date = new Date()): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const name = seq(set(seq(oid('2.5.4.3'), utf8(`xietong 协同 ${hostname()}`.slice(0, 64)))));
  const alt = names.map((n) => {
    const ip = ipBytes(n);
    return ip ? tlv(0x87, ip) : tlv(0x82, Buffer.from(n, 'ascii'));
  });
  const extensions = seq(
    seq(oid('2.5.29.19'), TRUE, octets(seq())),
    seq(oid('2.5.29.15'), TRUE, octets(tlv(0x03, Buffer.from([0x07, 0x80])))),
    seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1')))),
    seq(oid('2.5.29.17'), octets(seq(...alt))),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name,
    seq(time(new Date(now.getTime() - DAY)), time(new Date(now.getTime() + VALID_DAYS * DAY))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** This server's names: its host name, localhost, and every address of its network interfaces. */
export function serverNames(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i && !i.address.startsWith('fe80') ? [i.address] : []));
  return [...new Set([hostname(), 'localhost', '127.0.0.1', ...addresses])].filter(
    (n) => isIP(n) || /^[a-z0-9.-]+$/i.test(n),
  );
}

function describe(cert: string, key: string, origin: Certificate['origin'], certPath: string): Certificate {
  const x = new X509Certificate(cert);
  // Refuses a key that is not the certificate's before anyone connects.
  createSecureContext({ cert, key });
  if (!x.checkPrivateKey(createPrivateKey(key) as KeyObject))
    throw new Error('the key is not the certificate’s');
  return {
    cert,
    key,
    fingerprint: x.fingerprint256,
    origin,
    certPath,
    validTo: new Date(x.validTo).toISOString(),
    names: (x.subjectAltName ?? '').split(', ').map((s) => s.replace(/^(DNS|IP Address):/, '')),
  };
}

/** The bureau's certificate and key files. */
export async function givenCertificate(certPath: string, keyPath: string): Promise<Certificate> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `无法读取证书或私钥文件（${(err as Error).message}）。 / Cannot read the certificate or key.`,
      'Give the PEM files of the certificate (--cert) and its private key (--key), readable by you.',
      { cause: err },
    );
  }
  try {
    return describe(cert, key, 'given', certPath);
  } catch (err) {
    throw new RunError(
      'badDataFile',
      `证书或私钥无效，或两者不配套（${(err as Error).message}）。 / The certificate or key is invalid, or they do not match.`,
      'Give the PEM certificate with --cert and its own unencrypted private key with --key.',
      { cause: err },
    );
  }
}

/** The certificate kept in `dir` (made now when missing or near its end). */
export async function keptCertificate(dir: string, now: Date = new Date()): Promise<Certificate> {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    try {
      const kept = describe(
        await readFile(certPath, 'utf8'),
        await readFile(keyPath, 'utf8'),
        'kept',
        certPath,
      );
      if (new Date(kept.validTo).getTime() - now.getTime() > RENEW_DAYS * DAY) return kept;
    } catch {
      // A damaged pair is made again: the fingerprint printed then is the new one.
    }
  }
  const made = selfSigned(serverNames(), now);
  await writeFileAtomic(keyPath, made.key);
  await writeFileAtomic(certPath, made.cert);
  return describe(made.cert, made.key, 'made', certPath);
}
