// `npm run bench:events` — sustained event ingest through HTTP with placement and commit (issue 4
// §9). A benchmark, not a test: it measures and prints, it asserts nothing.
//
//   load generator process(es) ──HTTP keep-alive──▶ ONE server process (our stack, DB_POOL_MAX) ──▶ PostgreSQL + Redis
//
// Phases per variant: warm-up, open loop at the target rate, closed-loop "max". Then the same load
// through the naive ingest (naive-ingest.ts: one round trip per step) for a side-by-side table.
// Each variant runs on its own copy of one template database, so both start from the same rows.
// Env or flags (see events-options.ts): BENCH_PRESET=quick, BENCH_RATE/--rate, BENCH_SECONDS/--seconds,
// BENCH_WARMUP, BENCH_MAX_SECONDS, BENCH_CONCURRENCY/--concurrency, BENCH_RETRY_SHARE, BENCH_HISTORY,
// BENCH_POOL, BENCH_LOADGENS, BENCH_NAIVE=0, BENCH_VARIANTS, BENCH_PROFILE_DIR, BENCH_DATABASE_URL, BENCH_REDIS_URL.
import { Redis } from 'ioredis';
import { interrupted, runBench } from './children';
import { cloneDatabase, createTemplate, databaseOf, dropDatabase, samplePoints, withDatabase } from './events-db';
import { readEventsOptions } from './events-options';
import type { EventsVariant } from './events-protocol';
import { printEventsReport } from './events-report';
import { runEventsVariant, type VariantRun } from './events-run';
import { CORES } from './proc';
import { deleteKeys, deleteStaleBenchKeys } from './redis-keys';

const opts = readEventsOptions();
const prefixRoot = `bench:${process.pid}:`;
const log = (line: string) => console.log(`[bench] ${line}`);
const variants: EventsVariant[] = opts.variants;
const templateUrl = opts.databaseUrl;
const urlOf = (v: EventsVariant) => withDatabase(templateUrl, `${databaseOf(templateUrl)}_${v}`);

/** Redis keys and the databases, after runBench has stopped every child: whatever happened, none of it outlives the bench. */
async function cleanup(): Promise<void> {
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    const n = await deleteKeys(redis, prefixRoot);
    log(`deleted ${n} Redis keys under ${prefixRoot}`);
  } catch (err) {
    console.error('[bench] deleting Redis keys:', (err as Error).message);
  } finally {
    redis.disconnect();
  }
  for (const url of [...variants.map(urlOf), templateUrl]) {
    try {
      await dropDatabase(url);
    } catch (err) {
      console.error(`[bench] dropping ${databaseOf(url)}:`, (err as Error).message);
    }
  }
  log(`dropped ${[...variants.map(urlOf), templateUrl].map(databaseOf).join(', ')}`);
}

async function main(): Promise<void> {
  log(
    `${opts.rate} new events/s for ${opts.seconds} s after ${opts.warmup} s warm-up, then ${opts.maxSeconds} s closed loop; ` +
      `≤ ${opts.concurrency} in flight from ${opts.loadgens} load generator(s); DB_POOL_MAX ${opts.pool}; ${CORES} cores; ` +
      `variants ${variants.join(', ')}`,
  );
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const stale = await deleteStaleBenchKeys(redis);
    if (stale) log(`deleted ${stale} Redis keys left by an earlier bench run that was killed`);
  } finally {
    redis.disconnect();
  }
  const t = Date.now();
  await createTemplate(templateUrl, opts.history, log);
  const points = await samplePoints(templateUrl, opts.pointsPerGrid, opts.seed);
  log(`template database ready in ${((Date.now() - t) / 1000).toFixed(1)} s; ${points.grid.length.toLocaleString('en-US')} points in ${points.gridCodes.length} grids`);

  const runs: VariantRun[] = [];
  for (const variant of variants) {
    if (interrupted()) return;
    await cloneDatabase(templateUrl, urlOf(variant));
    runs.push(await runEventsVariant(variant, opts, urlOf(variant), points, `${prefixRoot}${variant}:`, log));
  }
  if (!interrupted()) printEventsReport(runs, opts);
}

runBench('bench', main, cleanup);
