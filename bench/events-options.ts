import { z } from 'zod';
import type { EventsVariant } from './events-protocol';

/**
 * What `npm run bench:events` reads: environment variables, or the same names as flags after `--`
 * (`npm run bench:events -- --rate=1500 --seconds=30 --concurrency=32`; a flag wins over the
 * environment, and anything set explicitly wins over the preset).
 */
const Env = z.object({
  BENCH_PRESET: z.enum(['full', 'quick']).default('full'),
  /** New events per second offered in the open-loop phases (retries come on top). */
  BENCH_RATE: z.coerce.number().min(1).max(100_000).default(1000),
  /** Seconds of the measured open-loop phase at BENCH_RATE. */
  BENCH_SECONDS: z.coerce.number().min(2).max(3600).optional(),
  /** Seconds of warm-up at BENCH_RATE before it (not measured, but loss-checked). */
  BENCH_WARMUP: z.coerce.number().min(0).max(600).optional(),
  /** Seconds of the closed-loop "max" phase (0 skips it). */
  BENCH_MAX_SECONDS: z.coerce.number().min(0).max(3600).optional(),
  /** Requests in flight at most (open loop: a cap, a scheduled request past it waits in the client; closed loop: the workers). */
  BENCH_CONCURRENCY: z.coerce.number().int().min(1).max(4096).default(64),
  /** Share of requests that re-send an already acknowledged report (same key, same body). */
  BENCH_RETRY_SHARE: z.coerce.number().min(0).max(0.5).default(0.02),
  /** Events already in the table before the run (30 days at the simulator's 40 an hour by default). */
  BENCH_HISTORY: z.coerce.number().int().min(0).max(5_000_000).default(28_800),
  /** Candidate points sampled inside each grid (ST_GeneratePoints). */
  BENCH_POINTS_PER_GRID: z.coerce.number().int().min(1).max(1000).default(100),
  /** DB_POOL_MAX of the server, and so of both variants. */
  BENCH_POOL: z.coerce.number().int().min(1).max(100).default(10),
  /** Load generator processes (the rate and concurrency are split between them). */
  BENCH_LOADGENS: z.coerce.number().int().min(1).max(16).default(1),
  /** Open loop: the phase stops once this many seconds of the schedule wait in the client (the server fell behind). */
  BENCH_MAX_BACKLOG_S: z.coerce.number().min(1).max(600).default(10),
  BENCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** 0 skips the naive baseline. */
  BENCH_NAIVE: z.enum(['0', '1']).default('1'),
  /** Which variants run, in order (events-protocol.ts): e.g. `ours,naive`. */
  BENCH_VARIANTS: z
    .string()
    .regex(/^(ours|naive)(,(ours|naive))*$/, 'a comma-separated list of ours, naive')
    .default('ours,naive'),
  /** A directory: the server children write V8 CPU profiles there (node --cpu-prof). */
  BENCH_PROFILE_DIR: z.string().optional(),
  BENCH_SEED: z.coerce.number().int().default(20261127),
  BENCH_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/liandong_bench_events'),
  BENCH_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
});

export interface EventsBenchOptions {
  preset: 'full' | 'quick';
  rate: number;
  seconds: number;
  warmup: number;
  maxSeconds: number;
  concurrency: number;
  retryShare: number;
  history: number;
  pointsPerGrid: number;
  pool: number;
  loadgens: number;
  timeoutMs: number;
  maxBacklogS: number;
  naive: boolean;
  variants: EventsVariant[];
  profileDir?: string;
  seed: number;
  databaseUrl: string;
  redisUrl: string;
}

const PRESETS = {
  full: { seconds: 60, warmup: 5, maxSeconds: 20 },
  quick: { seconds: 15, warmup: 3, maxSeconds: 8 },
} as const;

/** `--rate=1500` or `--rate 1500` → BENCH_RATE=1500; `--max-seconds=10` → BENCH_MAX_SECONDS. */
export function flagsToEnv(argv: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument ${argv[i]} (flags look like --rate=1000)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    env[`BENCH_${m[1].toUpperCase().replaceAll('-', '_')}`] = value;
  }
  return env;
}

export function readEventsOptions(
  env: Record<string, string | undefined> = process.env,
  argv: readonly string[] = process.argv.slice(2),
): EventsBenchOptions {
  const flags = flagsToEnv(argv);
  const unknown = Object.keys(flags).filter((k) => !(k in Env.shape));
  if (unknown.length) throw new Error(`unknown flag(s): ${unknown.map((k) => `--${k.slice(6).toLowerCase().replaceAll('_', '-')}`).join(', ')}`);
  const merged = { ...env, ...flags };
  const e = Env.parse(
    Object.fromEntries(Object.entries(merged).filter(([k, v]) => k.startsWith('BENCH_') && v !== undefined && v !== '')),
  );
  const preset = PRESETS[e.BENCH_PRESET];
  return {
    preset: e.BENCH_PRESET,
    rate: e.BENCH_RATE,
    seconds: e.BENCH_SECONDS ?? preset.seconds,
    warmup: e.BENCH_WARMUP ?? preset.warmup,
    maxSeconds: e.BENCH_MAX_SECONDS ?? preset.maxSeconds,
    concurrency: e.BENCH_CONCURRENCY,
    retryShare: e.BENCH_RETRY_SHARE,
    history: e.BENCH_HISTORY,
    pointsPerGrid: e.BENCH_POINTS_PER_GRID,
    pool: e.BENCH_POOL,
    loadgens: Math.min(e.BENCH_LOADGENS, e.BENCH_CONCURRENCY),
    timeoutMs: e.BENCH_TIMEOUT_MS,
    maxBacklogS: e.BENCH_MAX_BACKLOG_S,
    naive: e.BENCH_NAIVE === '1',
    variants: [...new Set(e.BENCH_VARIANTS.split(',') as EventsVariant[])].filter((v) => v !== 'naive' || e.BENCH_NAIVE === '1'),
    profileDir: e.BENCH_PROFILE_DIR,
    seed: e.BENCH_SEED,
    databaseUrl: e.BENCH_DATABASE_URL,
    redisUrl: e.BENCH_REDIS_URL,
  };
}
