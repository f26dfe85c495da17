// bench:events — the server under test, in a process of its own: what server/main.ts runs (our HTTP
// router, Socket.IO and the live stack, supervision, the pool of DB_POOL_MAX connections, the Redis
// bus under BUS_PREFIX) without Next.js, on the bench database. SIMULATE is off.
//
// BENCH_EVENTS_VARIANT=naive mounts the naive ingest (naive-ingest.ts) where Next.js would be, at
// POST /naive/v1/events: the same process, HTTP server, auth, body validation and publish, only the
// database path differs.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { notFound, startApiStack } from './api-stack';
import { emitEvent, followParent, serveRequests } from './ipc';
import { naiveIngestHandler } from './naive-ingest';
import type { ServerSample } from './events-protocol';

const variant = process.env.BENCH_EVENTS_VARIANT ?? 'ours';
if (!['ours', 'naive'].includes(variant)) throw new Error(`unknown variant ${variant}`);
const { config, db, url, stop } = await startApiStack(0, (app) => (variant === 'naive' ? naiveIngestHandler(app, notFound) : notFound));

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
// Callers waiting for a pooled connection: the pool's queue, the first sign the database is the limit.
let poolWaitingMax = 0;
const poolWatch = setInterval(() => (poolWaitingMax = Math.max(poolWaitingMax, db.waitingCount)), 20);
poolWatch.unref();

serveRequests<{ kind: 'sample'; reset: boolean }>((req): ServerSample => {
  const s: ServerSample = {
    loopDelayP99: delay.percentile(99) / 1e6,
    loopDelayMax: delay.max / 1e6,
    heapUsed: process.memoryUsage().heapUsed,
    poolTotal: db.totalCount,
    poolIdle: db.idleCount,
    poolWaiting: poolWaitingMax,
  };
  if (req.reset) {
    delay.reset();
    poolWaitingMax = 0;
  }
  return s;
});

followParent(stop);
emitEvent({ kind: 'ready', url, poolMax: config.dbPoolMax, variant });
