import { describe, expect, it } from 'vitest';
import { burnVerify, hashPassword, needsRehash, verifyPassword } from './password';
import { newToken, parseCookies, sessionId } from './session';

describe('session cookies', () => {
  it('parses cookie headers', () => {
    expect(parseCookies('a=1; ld_session=abc.def; b=x%20y')).toEqual({ a: '1', ld_session: 'abc.def', b: 'x y' });
  });

  it('never throws on a malformed escape (issue 10: a stray % made every request answer 500)', () => {
    expect(parseCookies('junk=100%; ld_session=tok; other=%E0%A4%A')).toEqual({ junk: '100%', ld_session: 'tok', other: '%E0%A4%A' });
  });

  it('keeps the first of a repeated name (a path-scoped copy cannot shadow the real session)', () => {
    expect(parseCookies('ld_session=first; ld_session=second')).toEqual({ ld_session: 'first' });
  });

  it('tokens are random and their stored id is keyed by the secret', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
    expect(sessionId('x'.repeat(40), a)).not.toBe(sessionId('y'.repeat(40), a));
    expect(sessionId('x'.repeat(40), a)).not.toContain(a);
  });
});

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('正确的密码');
    expect(hash).not.toContain('正确的密码');
    expect(await verifyPassword('正确的密码', hash)).toBe(true);
    expect(await verifyPassword('wrong', hash)).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('a')).not.toBe(await hashPassword('a'));
  });

  it('uses N = 2^17 and marks the old 2^14 hashes for a rehash at the next login (issue 10)', async () => {
    const hash = await hashPassword('pw');
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(needsRehash(hash)).toBe(false);
    const old = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$' + 'A'.repeat(43);
    expect(needsRehash(old)).toBe(true);
  });

  it('refuses a stored hash with absurd parameters instead of allocating for it', async () => {
    expect(await verifyPassword('pw', 'scrypt$1073741824$8$1$c2FsdA$AAAA')).toBe(false);
    expect(await verifyPassword('pw', 'bcrypt$whatever')).toBe(false);
  });

  it('an unknown user costs a full hash, like a known one', async () => {
    const hash = await hashPassword('pw');
    await burnVerify('warm-up');
    const t0 = performance.now();
    await verifyPassword('nope', hash);
    const known = performance.now() - t0;
    const t1 = performance.now();
    expect(await burnVerify('nope')).toBe(false);
    const unknown = performance.now() - t1;
    // Not a timing assertion on speed: both do the same scrypt, so neither is a small fraction of the other.
    expect(unknown / known).toBeGreaterThan(0.3);
    expect(known / unknown).toBeGreaterThan(0.3);
  });
});
