import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';
import { decodeSession, encodeSession, parseCookies } from './session';

const SECRET = 'x'.repeat(40);
const who = { uid: 7, role: 'deputy_chief' as const, name: '沈建国', stationId: 1 };

describe('session cookies', () => {
  it('round-trips a signed session', () => {
    const { value } = encodeSession(SECRET, who, 1_000_000);
    expect(decodeSession(SECRET, value, 1_000_000)).toMatchObject(who);
  });

  it('refuses a session signed with another secret', () => {
    const { value } = encodeSession('y'.repeat(40), who);
    expect(decodeSession(SECRET, value)).toBeNull();
  });

  it('refuses a tampered body (role raised by hand)', () => {
    const { value } = encodeSession(SECRET, { ...who, role: 'volunteer' });
    const [body, sig] = value.split('.');
    const forged = JSON.parse(Buffer.from(body, 'base64url').toString());
    forged.role = 'station_chief';
    expect(decodeSession(SECRET, `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`)).toBeNull();
  });

  it('refuses an expired session', () => {
    const { value, maxAge } = encodeSession(SECRET, who, 0);
    expect(decodeSession(SECRET, value, maxAge * 1000 + 1)).toBeNull();
  });

  it('parses cookie headers', () => {
    expect(parseCookies('a=1; ld_session=abc.def; b=x%20y')).toEqual({ a: '1', ld_session: 'abc.def', b: 'x y' });
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
});

describe('sliding renewal', () => {
  it('renews only after half the lifetime, keeping who and role', async () => {
    const { renewal } = await import('./session');
    const { value, maxAge } = encodeSession(SECRET, { ...who, role: 'display', uid: 0 }, 0);
    const s = decodeSession(SECRET, value, 0)!;
    expect(renewal(SECRET, s, 1000)).toBeNull();
    const later = (maxAge * 1000 * 3) / 4;
    const fresh = renewal(SECRET, s, later)!;
    expect(decodeSession(SECRET, fresh.value, later + maxAge * 500)).toMatchObject({ role: 'display', uid: 0 });
  });
});
