import { exponential, type Rand } from './draw';

const HOUR_MS = 3600_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS; // China has no daylight saving time.

/**
 * Relative incident rate at each hour of the day, Beijing time: quiet at night, a morning peak
 * as offices and markets open, a second in the afternoon, tailing off in the evening.
 */
const HOURLY = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.9, 2.0, 1.7, 1.1, 1.2, 1.6, 1.8, 1.75, 1.4, 1.0, 0.8, 0.65, 0.5, 0.35, 0.22,
];
const MEAN = HOURLY.reduce((a, b) => a + b, 0) / HOURLY.length;
/** The profile scaled to average 1 over a day, so a rate per hour stays the day's mean. */
const PROFILE = HOURLY.map((v) => v / MEAN);
export const PEAK_FACTOR = Math.max(...PROFILE);

/** Fractional hour of the day in Asia/Shanghai. */
export function shanghaiHour(t: number): number {
  const ms = (((t + SHANGHAI_OFFSET_MS) % (24 * HOUR_MS)) + 24 * HOUR_MS) % (24 * HOUR_MS);
  return ms / HOUR_MS;
}

/** The daily factor at `t`, linear between the hours, averaging 1 over a day. */
export function dailyFactor(t: number): number {
  const h = shanghaiHour(t);
  const i = Math.floor(h);
  const f = h - i;
  return PROFILE[i] * (1 - f) + PROFILE[(i + 1) % 24] * f;
}

/**
 * The next arrival after `after` of a Poisson process whose rate is `perHour` times the daily
 * factor (thinning: draw at the peak rate, keep each in proportion to the rate at its time).
 */
export function nextArrival(after: number, perHour: number, rand: Rand): number {
  if (!(perHour > 0)) return Number.POSITIVE_INFINITY;
  const meanGapMs = HOUR_MS / (perHour * PEAK_FACTOR);
  let t = after;
  for (;;) {
    t += exponential(rand, meanGapMs);
    if (rand() * PEAK_FACTOR <= dailyFactor(t)) return t;
  }
}
