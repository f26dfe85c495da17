import { z } from 'zod';

/**
 * What `npm run bench:history` reads from the environment. BENCH_PRESET=quick is a short run for a
 * check-out (~2–3 min); any variable set explicitly wins over the preset.
 */
const Env = z.object({
  BENCH_PRESET: z.enum(['full', 'quick']).default('full'),
  /** Stations whose units have history; each gets BENCH_STATION_UNITS units. */
  BENCH_STATIONS: z.coerce.number().int().min(1).max(26).optional(),
  BENCH_STATION_UNITS: z.coerce.number().int().min(10).max(400).default(80),
  /** Days of thinned history (one fix a minute) before the raw day. */
  BENCH_THIN_DAYS: z.coerce.number().int().min(1).max(60).optional(),
  /** Timed runs of each query on the partitioned table (each on another unit or station). */
  BENCH_REPS: z.coerce.number().int().min(1).max(50).optional(),
  /** A baseline query still running after this many seconds is cancelled and shown as "> N s". */
  BENCH_BASELINE_CAP_S: z.coerce.number().min(1).max(3600).optional(),
  /** Ingest runs (bench:live pieces): warm-up and measured window, in seconds; 0 skips them. */
  BENCH_INGEST_SECONDS: z.coerce.number().min(0).max(600).optional(),
  BENCH_INGEST_WARMUP: z.coerce.number().min(1).max(120).optional(),
  BENCH_CLIENTS: z.coerce.number().int().min(1).max(200).optional(),
  BENCH_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
});

export interface HistoryOptions {
  preset: 'full' | 'quick';
  stations: number;
  stationUnits: number;
  /** Seconds between two fixes of a unit on the raw day. */
  fixEveryS: number;
  thinDays: number;
  reps: number;
  baselineCapMs: number;
  ingestSeconds: number;
  ingestWarmup: number;
  clients: number;
  redisUrl: string;
}

const PRESETS = {
  // The figures: 2,000 units (25 stations × 80) at one fix per 5 s, plus a month thinned.
  full: { stations: 25, thinDays: 30, reps: 5, baselineCapS: 120, ingestSeconds: 30, ingestWarmup: 5, clients: 26 },
  quick: { stations: 3, thinDays: 7, reps: 3, baselineCapS: 15, ingestSeconds: 10, ingestWarmup: 3, clients: 4 },
} as const;

export function readHistoryOptions(env: Record<string, string | undefined> = process.env): HistoryOptions {
  const e = Env.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  const p = PRESETS[e.BENCH_PRESET];
  return {
    preset: e.BENCH_PRESET,
    stations: e.BENCH_STATIONS ?? p.stations,
    stationUnits: e.BENCH_STATION_UNITS,
    fixEveryS: 5,
    thinDays: e.BENCH_THIN_DAYS ?? p.thinDays,
    reps: e.BENCH_REPS ?? p.reps,
    baselineCapMs: (e.BENCH_BASELINE_CAP_S ?? p.baselineCapS) * 1000,
    ingestSeconds: e.BENCH_INGEST_SECONDS ?? p.ingestSeconds,
    ingestWarmup: e.BENCH_INGEST_WARMUP ?? p.ingestWarmup,
    clients: e.BENCH_CLIENTS ?? p.clients,
    redisUrl: e.BENCH_REDIS_URL,
  };
}
