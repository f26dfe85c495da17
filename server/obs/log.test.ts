import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Before the logger is built (imports are hoisted below this): tests are otherwise silent.
// Each test file runs in a process of its own, so this level stays here.
vi.hoisted(() => {
  process.env.LOG_LEVEL = 'debug';
});

import { pino } from 'pino';
import { login, withTestServer } from '../test/server';
import { levelOf, logger } from './log';
import { gauge } from './metrics';

const ts = withTestServer(`reqid:${process.pid}:`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Line {
  level: string;
  msg: string;
  reqId?: string;
  component?: string;
  [key: string]: unknown;
}

const lines: Line[] = [];
const raw: string[] = [];

beforeAll(() => {
  // Every logger of the process writes to the root's stream: read it instead of stdout.
  const stream = (logger as unknown as Record<symbol, { write(chunk: string): boolean }>)[pino.symbols.streamSym];
  vi.spyOn(stream, 'write').mockImplementation((chunk: string) => {
    raw.push(chunk);
    lines.push(JSON.parse(chunk) as Line);
    return true;
  });
});

afterAll(() => {
  delete process.env.LOG_LEVEL;
});

/** The lines of one request, once its access line is out (it is written when the response closes). */
async function linesOf(reqId: string): Promise<Line[]> {
  await expect.poll(() => lines.some((l) => l.reqId === reqId && l.msg === 'request')).toBe(true);
  return lines.filter((l) => l.reqId === reqId);
}

describe('log level (issue 11)', () => {
  it('is LOG_LEVEL when set, else info, and silent in tests unless asked', () => {
    expect(levelOf({ LOG_LEVEL: 'warn' })).toBe('warn');
    expect(levelOf({})).toBe('info');
    expect(levelOf({ VITEST: 'true' })).toBe('silent');
    expect(levelOf({ VITEST: 'true', LOG_LEVEL: 'debug' })).toBe('debug');
  });
});

describe('request ids and access lines (issue 11)', () => {
  it('gives every response an id, its own when the caller sends none', async () => {
    const api = await fetch(`${ts.url}/api/v1/auth/demo-accounts`);
    expect(api.headers.get('x-request-id')).toMatch(UUID);
    // Pages (here the test stack's stand-in for Next.js) carry one too.
    const page = await fetch(`${ts.url}/no-such-page`);
    expect(page.headers.get('x-request-id')).toMatch(UUID);
    expect(page.headers.get('x-request-id')).not.toBe(api.headers.get('x-request-id'));
  });

  it('keeps a sane X-Request-Id from the caller and replaces anything else', async () => {
    const id = (sent: string) => fetch(`${ts.url}/healthz`, { headers: { 'x-request-id': sent } }).then((r) => r.headers.get('x-request-id'));
    expect(await id('proxy-1234:abcd.EF_9')).toBe('proxy-1234:abcd.EF_9');
    for (const bad of ['short', 'x'.repeat(129), 'has spaces in it', '"quoted","level":"fatal"', 'a\u00e9cent-id-here']) expect(await id(bad)).toMatch(UUID);
  });

  it('writes one access line per API request, without the query, with the status, time, address and user', async () => {
    const cookie = await login(ts.url, 'deputy');
    const uid = (await ts.app.db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
    const reqId = 'access-line-test-1';
    const res = await fetch(`${ts.url}/api/v1/regions?level=town&token=do-not-log-me`, { headers: { cookie, 'x-request-id': reqId } });
    expect(res.status).toBe(200);
    const mine = await linesOf(reqId);
    const access = mine.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 'info', component: 'http', method: 'GET', path: '/api/v1/regions', status: 200, ip: '127.0.0.1', user: uid });
    expect(access[0].ms).toEqual(expect.any(Number));
    expect(typeof access[0].time).toBe('string');
    expect(raw.some((l) => l.includes('do-not-log-me'))).toBe(false);
  });

  it('writes anonymous and refused requests too, with no user', async () => {
    const res = await fetch(`${ts.url}/api/v1/auth/me`, { headers: { 'x-request-id': 'access-line-test-2' } });
    expect(res.status).toBe(401);
    expect((await linesOf('access-line-test-2')).find((l) => l.msg === 'request')).toMatchObject({ status: 401, user: null });
  });

  it('puts the request id on every line written while the request is handled, from any component', async () => {
    const off = gauge('liandong_test_broken', 'A source that fails.', () => {
      throw new Error('source down');
    });
    try {
      const reqId = 'scrape-with-a-failing-source';
      const res = await fetch(`${ts.url}/metrics`, { headers: { cookie: await login(ts.url, 'admin'), 'x-request-id': reqId } });
      expect(res.status).toBe(200);
      const mine = await linesOf(reqId);
      expect(mine.find((l) => l.component === 'metrics')).toMatchObject({ level: 'warn', metric: 'liandong_test_broken' });
      // A scrape's access line is debug: scrapers and probes ask every few seconds.
      expect(mine.find((l) => l.msg === 'request')).toMatchObject({ level: 'debug', path: '/metrics', status: 200 });
    } finally {
      off();
    }
  });

  it('writes no access line for pages and assets handed to Next.js', async () => {
    await fetch(`${ts.url}/_next/static/chunks/app.js`, { headers: { 'x-request-id': 'page-request-1' } });
    await fetch(`${ts.url}/api/v1/auth/demo-accounts`, { headers: { 'x-request-id': 'after-the-page' } });
    await linesOf('after-the-page');
    expect(lines.filter((l) => l.reqId === 'page-request-1')).toEqual([]);
  });
});
