import { z } from 'zod';

/**
 * What `npm run bench:live` reads from the environment. BENCH_PRESET=quick is a short run for a
 * check-out; any variable set explicitly wins over the preset.
 */
const Env = z.object({
  BENCH_PRESET: z.enum(['full', 'quick']).default('full'),
  BENCH_UNITS: z.coerce.number().int().min(10).max(200_000).optional(),
  BENCH_CLIENTS: z.coerce.number().int().min(1).max(2000).optional(),
  BENCH_CLIENT_PROCS: z.coerce.number().int().min(1).max(64).optional(),
  /** Clients that open as district walls; the rest are station screens. Default: 5 %, at least 1. */
  BENCH_DISTRICT_WALLS: z.coerce.number().int().min(0).max(2000).optional(),
  BENCH_SECONDS: z.coerce.number().min(2).max(3600).optional(),
  BENCH_WARMUP: z.coerce.number().min(1).max(600).optional(),
  /** Positions per XADD entry (the contract allows at most 1000); default: 20 batches a second. */
  BENCH_BATCH: z.coerce.number().int().min(1).max(1000).optional(),
  /** Seconds after the window for in-flight updates to land before "dropped" is counted. */
  BENCH_DRAIN: z.coerce.number().min(0).max(120).default(3),
  /** 0 skips the naive baseline. */
  BENCH_NAIVE: z.enum(['0', '1']).default('1'),
  /** The naive relay is stopped early when its server passes this RSS … */
  BENCH_NAIVE_MAX_RSS_MB: z.coerce.number().min(100).default(2048),
  /** … or when the clients' median latency of the last second passes this many seconds. */
  BENCH_NAIVE_MAX_LAG_S: z.coerce.number().min(1).default(20),
  /** A directory: the server child writes a V8 CPU profile there (node --cpu-prof) for hot-path hunting. */
  BENCH_PROFILE_DIR: z.string().optional(),
  BENCH_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/liandong_bench'),
  BENCH_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
});

export interface BenchOptions {
  units: number;
  clients: number;
  clientProcs: number;
  districtWalls: number;
  seconds: number;
  warmup: number;
  batch: number;
  drain: number;
  naive: boolean;
  naiveMaxRssMb: number;
  naiveMaxLagS: number;
  profileDir?: string;
  databaseUrl: string;
  redisUrl: string;
}

const PRESETS = {
  full: { units: 10_000, clients: 50, seconds: 60, warmup: 10 },
  quick: { units: 2_000, clients: 10, seconds: 20, warmup: 5 },
} as const;

export function readOptions(env: Record<string, string | undefined> = process.env): BenchOptions {
  const e = Env.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  const preset = PRESETS[e.BENCH_PRESET];
  const clients = e.BENCH_CLIENTS ?? preset.clients;
  return {
    units: e.BENCH_UNITS ?? preset.units,
    clients,
    // Sockets spread over several processes so one client event loop is not the bottleneck being measured.
    clientProcs: Math.min(clients, e.BENCH_CLIENT_PROCS ?? 5),
    // Issue 10: most screens in a command centre belong to a station; a few show the whole district.
    districtWalls: Math.min(clients, e.BENCH_DISTRICT_WALLS ?? Math.max(1, Math.round(clients * 0.05))),
    seconds: e.BENCH_SECONDS ?? preset.seconds,
    warmup: e.BENCH_WARMUP ?? preset.warmup,
    // 20 batches a second, 50 ms apart: arrivals fall at every phase of the 250 ms tick. (With 4
    // batches a second they would line up with the ticks and every latency would be the same.)
    batch: e.BENCH_BATCH ?? Math.min(1000, Math.ceil((e.BENCH_UNITS ?? preset.units) / 20)),
    drain: e.BENCH_DRAIN,
    naive: e.BENCH_NAIVE === '1',
    naiveMaxRssMb: e.BENCH_NAIVE_MAX_RSS_MB,
    naiveMaxLagS: e.BENCH_NAIVE_MAX_LAG_S,
    profileDir: e.BENCH_PROFILE_DIR,
    databaseUrl: e.BENCH_DATABASE_URL,
    redisUrl: e.BENCH_REDIS_URL,
  };
}
