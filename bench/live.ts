// `npm run bench:live` — the live backbone under load (issue "Live backbone", item 8). A benchmark,
// not a test: it measures and prints, it asserts nothing.
//
//   publisher process ──XADD positions.in.v1──▶ Redis ──▶ ONE server process (real stack) ──▶ K sockets
//                                                                                           in P client processes
//
// The sockets are wall displays (issue 10): a few district walls, the rest station screens spread
// round-robin over every station, each held to its own scope. Then the same load through a naive
// relay (one JSON event per position) for a side-by-side table.
// Env: BENCH_PRESET=quick, BENCH_UNITS, BENCH_CLIENTS, BENCH_CLIENT_PROCS, BENCH_DISTRICT_WALLS, BENCH_SECONDS, BENCH_WARMUP,
// BENCH_BATCH, BENCH_DRAIN, BENCH_NAIVE=0, BENCH_NAIVE_MAX_RSS_MB, BENCH_NAIVE_MAX_LAG_S,
// BENCH_PROFILE_DIR, BENCH_DATABASE_URL, BENCH_REDIS_URL (see options.ts).
import { Redis } from 'ioredis';
import { interrupted, runBench } from './children';
import { createBenchDatabase, dropBenchDatabase } from './database';
import { readOptions } from './options';
import { CORES } from './proc';
import type { Variant } from './protocol';
import { deleteKeys, deleteStaleBenchKeys } from './redis-keys';
import { printReport } from './report';
import type { VariantResult } from './results';
import { runVariant } from './run';
import { createBenchScreens, describeScreens, spreadScreens } from './screens';

const opts = readOptions();
const prefixRoot = `bench:${process.pid}:`;
const log = (line: string) => console.log(`[bench] ${line}`);

/** Redis keys and the database, after runBench has stopped every child: whatever happened, none of it outlives the bench. */
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
  try {
    await dropBenchDatabase(opts.databaseUrl);
    log(`dropped ${new URL(opts.databaseUrl).pathname.slice(1)}`);
  } catch (err) {
    console.error('[bench] dropping the database:', (err as Error).message);
  }
}

async function main(): Promise<void> {
  log(
    `${opts.units} units, ${opts.clients} clients in ${opts.clientProcs} processes, ${opts.seconds} s window after ${opts.warmup} s warm-up, ` +
      `${CORES} cores; naive baseline ${opts.naive ? 'on' : 'off'}`,
  );
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const stale = await deleteStaleBenchKeys(redis);
    if (stale) log(`deleted ${stale} Redis keys left by an earlier bench run that was killed`);
  } finally {
    redis.disconnect();
  }
  const t = Date.now();
  const units = await createBenchDatabase(opts.databaseUrl, opts.units, log);
  log(`database ready with ${units.length} units in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  if (units.length < opts.units) throw new Error(`only ${units.length} units in the bench database`);
  const screens = spreadScreens(opts.clients, opts.districtWalls, await createBenchScreens(opts.databaseUrl));
  const stations = new Set(screens.map((s) => s.stationId).filter((s) => s !== null));
  const unstationed = units.filter((u) => u.stationId === null).length;
  log(`screens: ${describeScreens(opts.districtWalls, opts.clients - opts.districtWalls)} over ${stations.size} stations; ${unstationed} units of no station (district walls only)`);

  const variants: Variant[] = opts.naive ? ['ours', 'naive'] : ['ours'];
  const results: VariantResult[] = [];
  for (const variant of variants) {
    if (interrupted()) return;
    // Each variant on a prefix of its own: a fresh stream, consumer group and latest hash.
    results.push(await runVariant(variant, opts, units, screens, `${prefixRoot}${variant}:`, log));
  }
  if (!interrupted()) printReport(results, opts);
}

runBench('bench', main, cleanup);
