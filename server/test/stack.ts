import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedisBus } from '../bus/redis';
import { loadConfig } from '../config';
import type { AppContext } from '../context';
import { createPool } from '../db/pool';
import { createHttpServer } from '../http/server';
import { startLive } from '../live/index';
import { createIo } from '../live/io';
import { attachLiveSockets } from '../live/sockets';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env';
import { closeAppContext, createAppContext } from '../app';

export interface Stack {
  url: string;
  app: AppContext;
  io: ReturnType<typeof createIo>;
  close(): Promise<void>;
}

/**
 * Our real HTTP, Socket.IO and live stack on the test database and Redis, without Next.js
 * (API tests need no pages; a page request gets 404). Processes sharing a BUS_PREFIX form one cluster.
 */
export async function startStack(busPrefix: string, port = 0, databaseUrl = TEST_DATABASE_URL, redisUrl = TEST_REDIS_URL): Promise<Stack> {
  const db = createPool(databaseUrl, 4);
  // Files a test writes (photos) go to a directory of its own, never into the checkout's ./data;
  // the fault drill names one it removes itself, since a stack it kills with -9 cannot.
  const dataDir = mkdtempSync(path.join(process.env.STACK_DATA_PARENT ?? tmpdir(), 'liandong-test-'));
  const config = loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, BUS_PREFIX: busPrefix, DATA_DIR: dataDir });
  // The fault tests shorten the takeover of a dead consumer's entries (server/bus/redis.ts).
  const bus = await createRedisBus(redisUrl, config.busPrefix, { claimIdleMs: Number(process.env.TEST_CLAIM_IDLE_MS) || undefined });
  const app: AppContext = await createAppContext(config, db, bus, { kind: 'postgresql', describe: 'test' });
  const server = createHttpServer(app, async (_req, res) => void res.writeHead(404).end());
  const io = createIo(server, app);
  const live = await startLive(app, io.io);
  app.live = live;
  attachLiveSockets(io.io, app, live);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    app,
    io,
    async close() {
      await live.stop();
      await io.close();
      await closeAppContext(app);
      await bus.close();
      await db.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

