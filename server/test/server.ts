import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../context';
import { startStack, type Stack } from './stack';

export interface TestServer {
  url: string;
  app: AppContext;
  stack: Stack;
}

/** One stack per test file, on a bus prefix of its own so parallel runs never cross. */
export function withTestServer(prefix = `test:${process.pid}:`): TestServer {
  const ts = {} as TestServer;
  beforeAll(async () => {
    ts.stack = await startStack(prefix);
    ts.url = ts.stack.url;
    ts.app = ts.stack.app;
  });
  afterAll(() => ts.stack?.close());
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
