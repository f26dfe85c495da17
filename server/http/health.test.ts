import { describe, expect, it, vi } from 'vitest';
import { login, withTestServer } from '../test/server';

const ts = withTestServer();

describe('/healthz (issue 10)', () => {
  it('tells anonymous callers only whether the service is up', async () => {
    const res = await fetch(`${ts.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 without the reason when the bus or database is down', async () => {
    const ping = vi.spyOn(ts.app.bus, 'ping').mockResolvedValue(false);
    try {
      const res = await fetch(`${ts.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'degraded' });
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
    expect(body).toMatchObject({ status: 'ok', database: { kind: 'postgresql', ok: true }, bus: { kind: 'redis', ok: true } });
    expect(body.database.postgis).toMatch(/^3\./);
  });
});
