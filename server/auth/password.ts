import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/*
 * scrypt at N = 2^17, r = 8, p = 1: OWASP's current guidance for scrypt (Password Storage Cheat
 * Sheet), 128 MiB and about a third of a second per hash on this 2-core machine. Raised from 2^14
 * in issue 10; older hashes are upgraded at the next successful login (`needsRehash`).
 */
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEYLEN = 32;
// 128·N·r bytes, plus headroom.
const MAXMEM = 256 * 1024 * 1024;

/*
 * At most two hashes at once (one per core here): each takes 128 MiB and a libuv thread, and a
 * burst of logins must not starve the photo and file reads that share the thread pool.
 */
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: (() => void)[] = [];

/** A released slot passes straight to the next waiter, so no newcomer can slip in between. */
async function acquire(): Promise<void> {
  if (running < MAX_CONCURRENT) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
}
function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

async function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  await acquire();
  try {
    return await new Promise((resolve, reject) =>
      scrypt(password, salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
    );
  } finally {
    release();
  }
}

/** "scrypt$N$r$p$salt$hash": parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const params = [Number(n), Number(r), Number(p)];
  // A stored hash is ours, but a corrupted row must not make the server try to allocate gigabytes.
  if (!params.every(Number.isSafeInteger) || params[0] > N || params[1] > 32 || params[2] > 16) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), params[0], params[1], params[2]);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a hash was made with weaker parameters than today's (rehash it on the next login). */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) < N || Number(r) < R || Number(p) < P;
}

let dummy: Promise<string> | undefined;

/**
 * The same work for an unknown username as for a known one, so the answer's timing does not
 * tell which accounts exist (issue 10: unknown names used to answer without hashing).
 */
export async function burnVerify(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}
