import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost: `N` (CPU and memory), `r` (block size), `p` (parallelism). Memory used is 128·N·r bytes. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * The default cost: N = 2^15, r = 8, p = 1, so 32 MiB of memory per hash (twice Node's default
 * N = 2^14), about 100 ms on one core of the 2-core target (500 ms on the shared build machine
 * under load). Stored with each hash, so raising it later re-hashes a password at its next login.
 */
export const defaultScryptParams: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const saltBytes = 16;
const keyBytes = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem above 128·N·r: Node refuses at exactly the default limit (32 MiB).
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Hashes a password with scrypt and a fresh 16-byte salt, as
 * `scrypt$N=32768,r=8,p=1$<salt base64>$<key base64>`. Runs on libuv's thread pool, not the event loop.
 */
export async function hashPassword(password: string, params: ScryptParams = defaultScryptParams): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, params);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** The parameters and salt of a stored hash; undefined when it is not one of ours. */
export function parsePasswordHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const match = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Bounds, so a damaged row cannot ask for gigabytes (N a power of two, as scrypt requires).
  if (!(N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return undefined;
  return { params: { N, r, p }, salt: Buffer.from(match[4]!, 'base64'), key: Buffer.from(match[5]!, 'base64') };
}

/** Checks a password against a stored hash, comparing in constant time. False for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed || parsed.key.length !== keyBytes) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** True when a stored hash was made with a lower cost than `params` (re-hash it at login). */
export function needsRehash(stored: string, params: ScryptParams = defaultScryptParams): boolean {
  const parsed = parsePasswordHash(stored);
  return !parsed || parsed.params.N < params.N || parsed.params.r < params.r || parsed.params.p < params.p;
}
