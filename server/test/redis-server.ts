import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis of a test's own, on a port of its own, that it may kill, restart and pause (issue 11). */
export interface OwnRedis {
  url: string;
  /** kill -9: everything it held is gone (it keeps nothing on disk). */
  kill(): Promise<void>;
  /** Starts again on the same port, empty. */
  start(): Promise<void>;
  /** CLIENT PAUSE ALL for `ms`: connected, answering nothing. */
  pause(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server on ${url} did not answer within ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 50));
    } finally {
      r.disconnect();
    }
  }
}

export async function startOwnRedis(bin = process.env.REDIS_SERVER_BIN ?? 'redis-server'): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const failed = new Promise<never>((_, reject) =>
      c.once('error', (err) => reject(new Error(`cannot start ${bin} (Debian package redis-server): ${err.message}`))),
    );
    child = c;
    await Promise.race([waitForPing(url), failed]);
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((res) => c.once('exit', res));
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  return {
    url,
    kill,
    start,
    async pause(ms) {
      const r = new Redis(url);
      try {
        await r.call('CLIENT', 'PAUSE', String(ms), 'ALL');
      } finally {
        r.disconnect();
      }
    },
    close: kill,
  };
}
