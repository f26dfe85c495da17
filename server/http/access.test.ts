import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { login, withTestServer } from '../test/server';

const ts = withTestServer();

const post = (path: string, body: unknown, cookie?: string, contentType = 'application/json') =>
  fetch(`${ts.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(cookie ? { cookie } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });

async function displayCookie(token: string): Promise<Response> {
  return fetch(`${ts.url}/wall?display=${encodeURIComponent(token)}`, { redirect: 'manual' });
}

async function auditCount(action: string): Promise<number> {
  const { rows } = await ts.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [action]);
  return rows[0].n;
}

// A point inside the first seeded grid, so the test does not depend on the generated shapes.
async function pointInDistrict(): Promise<{ lon: number; lat: number }> {
  const { rows } = await ts.app.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM regions WHERE level = 'grid' ORDER BY code LIMIT 1) x`,
  );
  return rows[0];
}

describe('health', () => {
  it('GET /healthz names the database and bus in use, to the administrator', async () => {
    const res = await fetch(`${ts.url}/healthz`, { headers: { cookie: await login(ts.url, 'admin') } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.database).toMatchObject({ kind: 'postgresql', ok: true });
    expect(body.database.postgis).toMatch(/^3\./);
    expect(body.bus).toMatchObject({ kind: 'redis', ok: true });
  });
});

describe('login (S7 roles)', () => {
  it('sets an httpOnly signed session cookie and reports the role', async () => {
    const res = await post('/api/v1/auth/login', { username: 'deputy', password: 'demo1234' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/ld_session=.+HttpOnly; SameSite=Lax/);
    const me = await res.json();
    expect(me).toMatchObject({ role: 'deputy_chief', roleLabel: '常务副站长', home: '/console' });
  });

  it('refuses a wrong password with 401 and audits the attempt', async () => {
    const before = await auditCount('auth.login_failed');
    const res = await post('/api/v1/auth/login', { username: 'deputy', password: 'nope' });
    expect(res.status).toBe(401);
    expect(await auditCount('auth.login_failed')).toBe(before + 1);
  });

  it('names the missing field', async () => {
    const res = await post('/api/v1/auth/login', { password: 'x' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.issues.map((i: { path: string }) => i.path)).toContain('body.username');
  });
});

describe('mutating routes check the role', () => {
  const place = async () => ({ name: '测试加油站', category: 'fuel_station', riskLevel: 'high', ...(await pointInDistrict()) });

  it('401 without a session', async () => {
    expect((await post('/api/v1/places', await place())).status).toBe(401);
  });

  it('401 with a forged or altered session cookie: the cookie is a random token the server looks up', async () => {
    const cookie = await login(ts.url, 'volunteer');
    const [name, value] = cookie.split('=');
    const flipped = `${name}=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`;
    expect((await post('/api/v1/places', await place(), flipped)).status).toBe(401);
    const made = `${name}=${Buffer.from(JSON.stringify({ uid: 1, role: 'admin', name: 'x', stationId: null, exp: 2e9 })).toString('base64url')}.sig`;
    expect((await post('/api/v1/places', await place(), made)).status).toBe(401);
  });

  it('403 for a role without the permission (volunteer)', async () => {
    const cookie = await login(ts.url, 'volunteer');
    const res = await post('/api/v1/places', await place(), cookie);
    expect(res.status).toBe(403);
  });

  it('403 for the read-only wall display', async () => {
    const res = await displayCookie(ts.app.config.displayToken);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    expect((await post('/api/v1/places', await place(), cookie)).status).toBe(403);
  });

  it('201 for a gridder, placed in its grid by PostGIS, and audited', async () => {
    const cookie = await login(ts.url, 'gridder');
    const before = await auditCount('place.create');
    const p = await place();
    const res = await post('/api/v1/places', p, cookie);
    expect(res.status).toBe(201);
    const body = await res.json();
    const { rows } = await ts.app.db.query(
      `SELECT code FROM regions WHERE level = 'grid' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
      [p.lon, p.lat],
    );
    expect(rows.map((r) => r.code)).toContain(body.gridCode);
    expect(await auditCount('place.create')).toBe(before + 1);
    await ts.app.db.query('DELETE FROM places WHERE id = $1', [body.id]);
  });

  it('400 naming the field for bad input, 422 outside the district, 415 for non-JSON', async () => {
    const cookie = await login(ts.url, 'gridder');
    const bad = await post('/api/v1/places', { ...(await place()), lat: 'north' }, cookie);
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0].path).toBe('body.lat');
    const beijing = await post('/api/v1/places', { ...(await place()), lon: 116.4, lat: 39.9 }, cookie);
    expect(beijing.status).toBe(422);
    expect((await post('/api/v1/places', 'name=x', cookie, 'application/x-www-form-urlencoded')).status).toBe(415);
  });
});

describe('wall display token', () => {
  it('refuses a wrong token', async () => {
    const res = await displayCookie('wrong-token');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?error=display');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('turns the right token into a read-only session that can read the map', async () => {
    const res = await displayCookie(ts.app.config.displayToken);
    expect(res.headers.get('location')).toBe('/wall');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    const towns = await fetch(`${ts.url}/api/v1/regions?level=town`, { headers: { cookie } });
    expect(towns.status).toBe(200);
    expect((await towns.json()).features).toHaveLength(10);
  });

  it('map data needs a session', async () => {
    expect((await fetch(`${ts.url}/api/v1/regions?level=town`)).status).toBe(401);
    expect((await fetch(`${ts.url}/api/v1/stations`)).status).toBe(401);
  });

  it('pages send strangers to the login page', async () => {
    const res = await fetch(`${ts.url}/console`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fconsole');
  });
});

describe('Socket.IO namespaces check the session', () => {
  const open = (cookie?: string) =>
    connect(`${ts.url}/live`, { transports: ['websocket'], extraHeaders: cookie ? { cookie } : {}, reconnection: false, forceNew: true });

  it('refuses a socket without a session', async () => {
    const socket = open();
    const err = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    socket.close();
    expect(err.message).toBe('unauthorized');
  });

  it('greets a logged-in socket with its role', async () => {
    const socket = open(await login(ts.url, 'deputy'));
    const hello = await new Promise<{ role: string }>((resolve) => socket.on('hello', resolve));
    socket.close();
    expect(hello.role).toBe('deputy_chief');
  });
});
