// The server under test for the benches that measure the API: what server/main.ts runs for it (our
// HTTP router, Socket.IO and the live stack with the outbox, supervision, the pool, the Redis bus
// under BUS_PREFIX) without Next.js, which serves no API route and would only add a build to a bench.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openBus } from '../server/bus/open';
import { loadConfig, type Config } from '../server/config';
import type { AppContext } from '../server/context';
import { openDatabase } from '../server/db/open';
import { closeAppContext, createAppContext } from '../server/app';
import { startSupervision } from '../server/events/supervise';
import { createHttpServer } from '../server/http/server';
import { startLive } from '../server/live/index';
import { createIo } from '../server/live/io';
import { attachLiveSockets } from '../server/live/sockets';
import type { Db } from '../server/db/pool';

type Fallback = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export const notFound: Fallback = async (_req, res) => void res.writeHead(404).end();

export interface ApiStack {
  config: Config;
  app: AppContext;
  db: Db;
  url: string;
  stop(): Promise<void>;
}

/** Starts the stack on the bench's database; `fallback(app)` answers what the router does not (Next.js's place). */
export async function startApiStack(port: number, fallback: (app: AppContext) => Fallback = () => notFound): Promise<ApiStack> {
  if (!process.env.BUS_PREFIX?.startsWith('bench:')) throw new Error('BUS_PREFIX must start with bench: — the bench never runs on a deployment prefix');
  if (process.env.SIMULATE !== '0') throw new Error('SIMULATE=0 expected');
  const config = loadConfig();
  if (!config.databaseUrl || !config.redisUrl) throw new Error('DATABASE_URL and REDIS_URL must be set');
  const database = await openDatabase(config);
  const bus = await openBus(config);
  const app: AppContext = await createAppContext(config, database.db, bus, database.info);
  const server = createHttpServer(app, fallback(app));
  server.keepAliveTimeout = 60_000;
  const io = createIo(server, app);
  const live = await startLive(app, io.io);
  app.live = live;
  attachLiveSockets(io.io, app, live);
  const supervision = startSupervision(app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    config, app, db: database.db,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await supervision.stop();
      await live.stop();
      await io.close();
      await closeAppContext(app);
      await bus.close();
      await database.close();
    },
  };
}
