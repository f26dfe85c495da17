// bench:events — the server under test, in a process of its own: what server/main.ts runs (our HTTP
// router, Socket.IO and the live stack, supervision, the pool of DB_POOL_MAX connections, the Redis
// bus under BUS_PREFIX) without Next.js, on the bench database. SIMULATE is off.
//
// BENCH_EVENTS_VARIANT=naive mounts the naive ingest (naive-ingest.ts) where Next.js would be, at
// POST /naive/v1/events: the same process, HTTP server, auth, body validation and publish, only the
// database path differs.
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openBus } from '../server/bus/open';
import { loadConfig } from '../server/config';
import type { AppContext } from '../server/context';
import { openDatabase } from '../server/db/open';
import { createAppContext } from '../server/app';
import { startSupervision } from '../server/events/supervise';
import { createHttpServer } from '../server/http/server';
import { startLive } from '../server/live/index';
import { createIo } from '../server/live/io';
import { attachLiveSockets } from '../server/live/sockets';
import { emitEvent, followParent, serveRequests } from './ipc';
import { naiveIngestHandler } from './naive-ingest';
import type { ServerSample } from './events-protocol';

const variant = process.env.BENCH_EVENTS_VARIANT ?? 'ours';
if (!['ours', 'naive'].includes(variant)) throw new Error(`unknown variant ${variant}`);
if (!process.env.BUS_PREFIX?.startsWith('bench:')) throw new Error('BUS_PREFIX must start with bench: — the bench never runs on a deployment prefix');
if (process.env.SIMULATE !== '0') throw new Error('SIMULATE=0 expected');

const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) throw new Error('DATABASE_URL and REDIS_URL must be set');
const database = await openDatabase(config);
const bus = await openBus(config);
const app: AppContext = await createAppContext(config, database.db, bus, database.info);
const notFound = async (_req: unknown, res: import('node:http').ServerResponse) => void res.writeHead(404).end();
const server = createHttpServer(app, variant === 'naive' ? naiveIngestHandler(app, notFound) : notFound);
server.keepAliveTimeout = 60_000;
const io = createIo(server, app);
const live = await startLive(app, io.io);
app.live = live;
attachLiveSockets(io.io, app, live);
const supervision = startSupervision(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
// Callers waiting for a pooled connection: the pool's queue, the first sign the database is the limit.
let poolWaitingMax = 0;
const poolWatch = setInterval(() => (poolWaitingMax = Math.max(poolWaitingMax, database.db.waitingCount)), 20);
poolWatch.unref();

serveRequests<{ kind: 'sample'; reset: boolean }>((req): ServerSample => {
  const s: ServerSample = {
    loopDelayP99: delay.percentile(99) / 1e6,
    loopDelayMax: delay.max / 1e6,
    heapUsed: process.memoryUsage().heapUsed,
    poolTotal: database.db.totalCount,
    poolIdle: database.db.idleCount,
    poolWaiting: poolWaitingMax,
  };
  if (req.reset) {
    delay.reset();
    poolWaitingMax = 0;
  }
  return s;
});

followParent(async () => {
  await supervision.stop();
  await live.stop();
  await io.close();
  await bus.close();
  await database.close();
});
emitEvent({ kind: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, poolMax: config.dbPoolMax, variant });
