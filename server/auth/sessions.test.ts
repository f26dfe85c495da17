import { io as connect, type Socket } from 'socket.io-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { USERNAME_FAILS } from './throttle';

const ts = withTestServer(`sessions:${process.pid}:`);
const call = caller(() => ts.url);
const me = (cookie: string) => fetch(`${ts.url}/api/v1/auth/me`, { headers: { cookie } }).then((r) => r.status);
const accountId = async (username: string) => (await ts.app.db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = $1`, [username])).rows[0].id;

function socketOf(ns: string, cookie: string): Promise<Socket> {
  const s = connect(`${ts.url}${ns}`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  onTestFinished(() => void s.close());
  return new Promise((resolve, reject) => (s.once('connect', () => resolve(s)), s.once('connect_error', reject)));
}

describe('server-side sessions (issue 10)', () => {
  it('disabling an account ends its sessions: HTTP answers 401 and its sockets close within 1 s', async () => {
    const [admin, gridder] = await Promise.all([login(ts.url, 'admin'), login(ts.url, 'gridder')]);
    const id = await accountId('gridder');
    onTestFinished(async () => void (await call('PATCH', `/api/v1/accounts/${id}`, admin, { disabled: false })));
    const phone = await socketOf('/field', gridder);
    const wall = await socketOf('/live', gridder);
    const closed = Promise.all([phone, wall].map((s) => new Promise<number>((resolve) => s.once('disconnect', () => resolve(performance.now())))));
    const t0 = performance.now();
    const res = await call('PATCH', `/api/v1/accounts/${id}`, admin, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.sessionsEnded).toBeGreaterThanOrEqual(1);
    const times = await closed;
    expect(Math.max(...times) - t0).toBeLessThan(1000);
    expect(await me(gridder)).toBe(401);
    // And it cannot sign in again while disabled, with the same answer as a wrong password.
    const again = await fetch(`${ts.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'gridder', password: 'demo1234' }) });
    expect(again.status).toBe(401);
    const audit = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'account.disable' AND target = $1`, [`account:${id}`]);
    expect(audit.rows.length).toBeGreaterThanOrEqual(1);
  });

  it('logout ends the session on the server: a copy of the cookie stops working too', async () => {
    const cookie = await login(ts.url, 'instructor');
    expect(await me(cookie)).toBe(200);
    expect((await call('POST', '/api/v1/auth/logout', cookie, {})).status).toBe(200);
    expect(await me(cookie)).toBe(401);
  });

  it('a role change or "sign out everywhere" ends every session of the account', async () => {
    const admin = await login(ts.url, 'admin');
    const a = await login(ts.url, 'parttime');
    const b = await login(ts.url, 'parttime');
    const id = await accountId('parttime');
    const res = await call('POST', `/api/v1/accounts/${id}/sign-out`, admin, {});
    // Other test files may have left sessions of this account open; all of them end.
    expect(res.body.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect([await me(a), await me(b)]).toEqual([401, 401]);
    const c = await login(ts.url, 'parttime');
    // An account's role must be one its person holds in the station: anything else is refused and changes nothing.
    const refused = await call('PATCH', `/api/v1/accounts/${id}`, admin, { role: 'station_chief' });
    expect(refused.status).toBe(422);
    expect(refused.body.issues[0].path).toBe('body.role');
    expect(await me(c)).toBe(200);
    // A role change done behind the API's back (by SQL) still ends the session: the role is checked on each look-up.
    await ts.app.db.query(`UPDATE accounts SET role = 'volunteer' WHERE id = $1`, [id]);
    onTestFinished(async () => void (await ts.app.db.query(`UPDATE accounts SET role = 'gridder_part' WHERE id = $1`, [id])));
    await new Promise((r) => setTimeout(r, 10_500)); // past the look-up cache
    expect(await me(c)).toBe(401);
  });

  it('a session has an absolute lifetime: 12 h for staff, 30 days for walls, never extended', async () => {
    const cookie = await login(ts.url, 'mediator');
    const { rows } = await ts.app.db.query<{ h: number }>(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS h FROM sessions WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [await accountId('mediator')],
    );
    expect(rows[0].h).toBe(12);
    const wall = await fetch(`${ts.url}/wall?display=${ts.app.config.displayToken}`, { redirect: 'manual' });
    expect(wall.headers.get('set-cookie')).toMatch(/Max-Age=2592000/);
    await ts.app.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [await accountId('mediator')]);
    const fresh = await login(ts.url, 'mediator');
    expect(await me(fresh)).toBe(200);
    expect(await me(cookie)).toBe(401);
    expect((await fetch(`${ts.url}/api/v1/auth/me`, { headers: { cookie } })).headers.get('set-cookie')).toBeNull();
  });

  it('ended sessions are deleted a day later, so the table does not grow without end', async () => {
    await login(ts.url, 'gridpolice');
    const id = await accountId('gridpolice');
    await ts.app.db.query(`UPDATE sessions SET expires_at = now() - interval '2 days' WHERE account_id = $1`, [id]);
    expect(await ts.app.sessions.sweep()).toBeGreaterThanOrEqual(1);
    expect((await ts.app.db.query(`SELECT 1 FROM sessions WHERE account_id = $1`, [id])).rows).toEqual([]);
  });

  it('a cookie header with a stray % is read, not a 500 (issue 10)', async () => {
    const cookie = await login(ts.url, 'deputy');
    expect(await me(`junk=100%; ${cookie}; other=%E0%A4%A`)).toBe(200);
    expect((await fetch(`${ts.url}/healthz`, { headers: { cookie: 'a=%' } })).status).toBe(200);
  });
});

describe('login throttling (issue 10)', () => {
  const attempt = (username: string, password: string, ip?: string) =>
    fetch(`${ts.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
      body: JSON.stringify({ username, password }),
    });

  it(`refuses a username with 429 and Retry-After after ${USERNAME_FAILS} wrong passwords, even with the right one`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < USERNAME_FAILS; i++) statuses.push((await attempt('deputy', `wrong-${i}`)).status);
    expect(statuses).toEqual(Array(USERNAME_FAILS).fill(401));
    const blocked = await attempt('deputy', 'demo1234');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await blocked.json()).error).toBe('too_many_attempts');
    // Other accounts are not locked out by someone guessing this one's password,
    expect((await attempt('chief', 'demo1234')).status).toBe(200);
    // nor is this one for its owner at another address (behind a trusted proxy, X-Forwarded-For names it).
    await ts.app.throttle.attempt('deputy', '198.51.100.7');
    await ts.app.throttle.succeeded('deputy', '127.0.0.1');
    expect((await attempt('deputy', 'demo1234')).status).toBe(200);
  });

  it('counts a burst of parallel guesses as it arrives: at most the limit get a password check', async () => {
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt('instructor', `burst-${i}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(USERNAME_FAILS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - USERNAME_FAILS);
    await ts.app.throttle.succeeded('instructor', '127.0.0.1');
  });

  it('refuses a username with control characters as bad input (a NUL used to reach PostgreSQL as a 500)', async () => {
    const res = await attempt('\u0000setup:127.0.0.1', 'x');
    expect(res.status).toBe(400);
    expect((await res.json()).issues[0].path).toBe('body.username');
  });

  it('counts unknown usernames too, so throttling does not reveal which accounts exist', async () => {
    const name = `nobody-${process.pid}`;
    for (let i = 0; i < USERNAME_FAILS; i++) expect((await attempt(name, 'x')).status).toBe(401);
    expect((await attempt(name, 'x')).status).toBe(429);
  });
});
