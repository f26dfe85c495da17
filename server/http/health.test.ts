import { describe, expect, it, vi } from 'vitest';
import { markShuttingDown } from '../obs/shutdown';
import { login, withTestServer } from '../test/server';

const ts = withTestServer();

/** A Redis that takes connections and never answers: what used to make /healthz hang. */
const hangingBus = () => vi.spyOn(ts.app.bus, 'ping').mockReturnValue(new Promise<boolean>(() => undefined));

async function timed(path: string, headers: Record<string, string> = {}): Promise<{ res: Response; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${ts.url}${path}`, { headers });
  return { res, ms: performance.now() - started };
}

describe('/healthz (issue 10, issue 11: liveness)', () => {
  it('tells anonymous callers only that the process answers', async () => {
    const res = await fetch(`${ts.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('stays 200 while the bus is down: a dependency outage is for /readyz, not a reason to restart the process', async () => {
    const ping = vi.spyOn(ts.app.bus, 'ping').mockResolvedValue(false);
    try {
      const res = await fetch(`${ts.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    } finally {
      ping.mockRestore();
    }
  });

  it('answers within about a second, to the administrator too, when Redis never answers', async () => {
    const admin = await login(ts.url, 'admin');
    const ping = hangingBus();
    try {
      const anonymous = await timed('/healthz');
      expect(anonymous.res.status).toBe(200);
      expect(anonymous.ms).toBeLessThan(500);
      const { res, ms } = await timed('/healthz', { cookie: admin });
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(2500);
      expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true }, bus: { kind: 'redis', ok: false, error: expect.stringMatching(/no answer within 1000 ms/) } });
    } finally {
      ping.mockRestore();
    }
  });

  it('tells a logged-in user who is not admin no more', async () => {
    const res = await fetch(`${ts.url}/healthz`, { headers: { cookie: await login(ts.url, 'deputy') } });
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('names the database and bus in use to the admin', async () => {
    const res = await fetch(`${ts.url}/healthz`, { headers: { cookie: await login(ts.url, 'admin') } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', shuttingDown: false, database: { kind: 'postgresql', ok: true }, bus: { kind: 'redis', ok: true } });
    expect(body.database.postgis).toMatch(/^3\./);
  });
});

describe('/readyz (issue 11: readiness)', () => {
  it('is 200 with only the status for anonymous callers when the database, migrations and Redis are fine', async () => {
    const res = await fetch(`${ts.url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('gives the administrator each check', async () => {
    const res = await fetch(`${ts.url}/readyz`, { headers: { cookie: await login(ts.url, 'admin') } });
    expect(await res.json()).toMatchObject({
      status: 'ready',
      shuttingDown: false,
      database: { ok: true, migrated: true, pendingMigrations: [] },
      bus: { kind: 'redis', ok: true },
    });
  });

  it('is 503 with Retry-After, and no reason for anonymous callers, when Redis does not answer within a second', async () => {
    const ping = hangingBus();
    try {
      const { res, ms } = await timed('/readyz');
      expect(ms).toBeLessThan(2500);
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toEqual({ status: 'not_ready' });
    } finally {
      ping.mockRestore();
    }
  });

  it('is 503 when the database fails or a migration is missing, and tells the administrator which', async () => {
    const admin = await login(ts.url, 'admin');
    const query = ts.app.db.query.bind(ts.app.db);
    const migrationsQuery = (q: unknown) => typeof q === 'object' && q !== null && 'text' in q && String(q.text).includes('schema_migrations');

    const down = vi.spyOn(ts.app.db, 'query').mockImplementation(((q: unknown, values?: unknown) =>
      migrationsQuery(q) ? Promise.reject(new Error('connection refused')) : query(q as string, values as unknown[])) as typeof ts.app.db.query);
    try {
      const res = await fetch(`${ts.url}/readyz`, { headers: { cookie: admin } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not_ready', database: { ok: false, migrated: false, error: 'connection refused' } });
    } finally {
      down.mockRestore();
    }

    const behind = vi.spyOn(ts.app.db, 'query').mockImplementation(((q: unknown, values?: unknown) =>
      migrationsQuery(q) ? Promise.resolve({ rows: [{ name: '001_extensions.sql' }] }) : query(q as string, values as unknown[])) as typeof ts.app.db.query);
    try {
      const res = await fetch(`${ts.url}/readyz`, { headers: { cookie: admin } });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ status: 'not_ready', database: { ok: true, migrated: false } });
      expect(body.database.pendingMigrations).toContain('002_geography.sql');
      expect(body.database.pendingMigrations).not.toContain('001_extensions.sql');
    } finally {
      behind.mockRestore();
    }
  });

  // Last: the stack stays marked as shutting down.
  it('is 503 once a shutdown begins, while /healthz still answers, and each answer then closes its connection', async () => {
    markShuttingDown(ts.app);
    const res = await fetch(`${ts.url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ status: 'not_ready' });
    const admin = await fetch(`${ts.url}/readyz`, { headers: { cookie: await login(ts.url, 'admin') } });
    expect(await admin.json()).toMatchObject({ status: 'not_ready', shuttingDown: true, database: { ok: true }, bus: { ok: true } });
    expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
  });
});
