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

export { login } from './login';
