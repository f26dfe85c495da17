import { z } from 'zod';
import { PERIOD_PATTERN, parsePeriod, periodsOfDay, previousPeriod } from '../../lib/assessment/periods';
import { shanghaiDay } from '../../lib/time/workdays';

/**
 * What `npm run bench:assessment` reads from the environment. BENCH_PRESET=quick is a short run for a
 * check-out (100,000 events, ~2–3 min); any variable set explicitly wins over the preset.
 */
const Env = z.object({
  BENCH_PRESET: z.enum(['full', 'quick']).default('full'),
  /** Events generated over the year before now (bench:analytics' generator; its planted ones come on top). */
  BENCH_EVENTS: z.coerce.number().int().min(10_000).max(20_000_000).optional(),
  BENCH_DAYS: z.coerce.number().int().min(120).max(730).default(365),
  /** The month scored; default the last one that has ended (so the run freezes it, as the job would). */
  BENCH_PERIOD: z.string().regex(PERIOD_PATTERN).refine((k) => parsePeriod(k)?.kind === 'month', '须为月份 YYYY-MM').optional(),
  /** Timed runs of computePeriod on the open month (the last one with the real clock freezes it). */
  BENCH_REPS: z.coerce.number().int().min(1).max(20).optional(),
  /** The naive baseline (one subject at a time) stops taking new subjects after this many seconds and extrapolates. */
  BENCH_NAIVE_CAP_S: z.coerce.number().min(1).max(3600).optional(),
  BENCH_LOAD_BATCH: z.coerce.number().int().min(1000).max(2_000_000).default(50_000),
  BENCH_SEED: z.coerce.number().min(-1).max(1).default(0.4242),
});

export interface AssessmentOptions {
  preset: 'full' | 'quick';
  events: number;
  days: number;
  period: string;
  reps: number;
  naiveCapMs: number;
  loadBatch: number;
  seed: number;
}

const PRESETS = {
  // The figures: 1,000,000 events over a year, the demo district's 26 stations and its roster.
  full: { events: 1_000_000, reps: 3, naiveCapS: 120 },
  quick: { events: 100_000, reps: 2, naiveCapS: 20 },
} as const;

/** The last month that has ended at `now` (Asia/Shanghai). */
export function lastEndedMonth(now: Date): string {
  const current = periodsOfDay(shanghaiDay(now)).find((p) => p.kind === 'month')!;
  return previousPeriod(current).key;
}

export function readAssessmentOptions(env: Record<string, string | undefined> = process.env, now = new Date()): AssessmentOptions {
  const e = Env.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  const p = PRESETS[e.BENCH_PRESET];
  return {
    preset: e.BENCH_PRESET,
    events: e.BENCH_EVENTS ?? p.events,
    days: e.BENCH_DAYS,
    period: e.BENCH_PERIOD ?? lastEndedMonth(now),
    reps: e.BENCH_REPS ?? p.reps,
    naiveCapMs: (e.BENCH_NAIVE_CAP_S ?? p.naiveCapS) * 1000,
    loadBatch: e.BENCH_LOAD_BATCH,
    seed: e.BENCH_SEED,
  };
}
