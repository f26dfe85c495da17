import { z } from 'zod';

/**
 * What `npm run bench:analytics` reads from the environment. BENCH_PRESET=quick is a short run for a
 * check-out (~2–3 min); any variable set explicitly wins over the preset.
 */
const Env = z.object({
  BENCH_PRESET: z.enum(['full', 'quick']).default('full'),
  /** Events generated over the year before now (planted ones come on top). */
  BENCH_EVENTS: z.coerce.number().int().min(10_000).max(20_000_000).optional(),
  /** Days the events are spread over, ending now. */
  BENCH_DAYS: z.coerce.number().int().min(120).max(730).default(365),
  /** Timed runs of each request (each on another station or period where the goal allows). */
  BENCH_REPS: z.coerce.number().int().min(1).max(50).optional(),
  /** A baseline request still running after this many seconds is cancelled and shown as "> N s". */
  BENCH_BASELINE_CAP_S: z.coerce.number().min(1).max(3600).optional(),
  /** Rows per INSERT of the bulk load (the rollup triggers fire per statement or row of each). */
  BENCH_LOAD_BATCH: z.coerce.number().int().min(1000).max(2_000_000).default(50_000),
  /** Browser goals (first paint, live move); 0 skips them (no app server, no build). */
  BENCH_BROWSER: z.enum(['0', '1']).default('1'),
  BENCH_PORT: z.coerce.number().int().min(1024).max(65535).default(3395),
  BENCH_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Seed of the generator: the same seed, the same events (and so the same planted effects). */
  BENCH_SEED: z.coerce.number().min(-1).max(1).default(0.4242),
});

export interface AnalyticsOptions {
  preset: 'full' | 'quick';
  events: number;
  days: number;
  reps: number;
  baselineCapMs: number;
  loadBatch: number;
  browser: boolean;
  port: number;
  redisUrl: string;
  seed: number;
}

const PRESETS = {
  // The figures: 1,000,000 events over a year.
  full: { events: 1_000_000, reps: 5, baselineCapS: 120 },
  quick: { events: 100_000, reps: 3, baselineCapS: 20 },
} as const;

export function readAnalyticsOptions(env: Record<string, string | undefined> = process.env): AnalyticsOptions {
  const e = Env.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  const p = PRESETS[e.BENCH_PRESET];
  return {
    preset: e.BENCH_PRESET,
    events: e.BENCH_EVENTS ?? p.events,
    days: e.BENCH_DAYS,
    reps: e.BENCH_REPS ?? p.reps,
    baselineCapMs: (e.BENCH_BASELINE_CAP_S ?? p.baselineCapS) * 1000,
    loadBatch: e.BENCH_LOAD_BATCH,
    browser: e.BENCH_BROWSER === '1',
    port: e.BENCH_PORT,
    redisUrl: e.BENCH_REDIS_URL,
    seed: e.BENCH_SEED,
  };
}
