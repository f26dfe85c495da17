import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createRedisBus } from '../bus/redis';
import { loadConfig } from '../config';
import type { AppContext } from '../context';
import { createHttpServer } from '../http/server';
import { createIo } from '../live/io';
import { testDb } from './db';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env';

export interface TestServer {
  url: string;
  app: AppContext;
}

/**
 * Our real HTTP and Socket.IO server on the test database and Redis, without Next.js: API tests
 * need no pages, and a page request simply gets 404.
 */
export function withTestServer(): TestServer {
  const db = testDb();
  const ts = { url: '', app: undefined as unknown as AppContext };
  let close = async () => {};
  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, BUS_PREFIX: `test:${process.pid}:` });
    const bus = await createRedisBus(TEST_REDIS_URL, config.busPrefix);
    ts.app = { config, db, bus, database: { kind: 'postgresql', describe: 'test' } };
    const server = createHttpServer(ts.app, async (_req, res) => void res.writeHead(404).end());
    const io = createIo(server, ts.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ts.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await bus.close();
    };
  });
  afterAll(() => close());
  return ts;
}

/** Logs in as a demo account and returns its session cookie. */
export async function login(url: string, username: string, password = 'demo1234'): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}
