import { exponential, uniform, type Rand } from './draw';
import { metres, type LonLat } from './geometry';

/** When a unit reports next, the window in which its phone is off, and any hold imposed on it. */
export interface Cadence {
  next: number;
  quietFrom: number;
  quietUntil: number;
  /** No report before this (another device has the unit, or a new start must not look like a jump); only ever extended. */
  holdUntil: number;
}

/**
 * Phones go off now and then (flat battery, no signal, a meeting): for 3–20 minutes, about every
 * 4 hours each, so some 5 % of units are stale or offline on the wall at any moment.
 */
export const QUIET = { meanGapMs: 4 * 3600_000, minMs: 3 * 60_000, maxMs: 20 * 60_000 } as const;
const QUIET_SHARE = (QUIET.minMs + QUIET.maxMs) / 2 / (QUIET.meanGapMs + (QUIET.minMs + QUIET.maxMs) / 2);
/** Each interval is the period ± this share, so units never report in lockstep. */
export const JITTER = 0.15;

const quietLength = (rand: Rand) => uniform(rand, QUIET.minMs, QUIET.maxMs);

export function startCadence(now: number, periodMs: number, rand: Rand): Cadence {
  const next = Math.floor(now + rand() * periodMs);
  // Begin in the steady state: some phones went off a while before the simulator started.
  if (rand() < QUIET_SHARE) {
    const length = quietLength(rand);
    const quietFrom = Math.floor(now - rand() * length);
    return { next, quietFrom, quietUntil: quietFrom + length, holdUntil: 0 };
  }
  const quietFrom = now + exponential(rand, QUIET.meanGapMs);
  return { next, quietFrom, quietUntil: quietFrom + quietLength(rand), holdUntil: 0 };
}

/** The report times due up to `now`, in order; none inside a quiet window. */
export function dueReports(c: Cadence, now: number, periodMs: number, rand: Rand): number[] {
  const out: number[] = [];
  // After the process stalled, a phone does not replay every report it missed.
  if (now - c.next > 3 * periodMs) c.next = Math.floor(now - rand() * periodMs);
  while (c.next <= now) {
    const t = c.next;
    while (t >= c.quietUntil) {
      c.quietFrom = c.quietUntil + exponential(rand, QUIET.meanGapMs);
      c.quietUntil = c.quietFrom + quietLength(rand);
    }
    if (t < c.quietFrom && t >= c.holdUntil) out.push(t);
    c.next = t + Math.max(1, Math.round(periodMs * uniform(rand, 1 - JITTER, 1 + JITTER)));
  }
  return out;
}

/** Keeps the unit silent until `until`; a shorter hold never cuts a longer one short. */
export function hold(c: Cadence, until: number): void {
  c.holdUntil = Math.max(c.holdUntil, until);
}

export function isQuiet(c: Cadence, t: number): boolean {
  return t < c.holdUntil || (t >= c.quietFrom && t < c.quietUntil);
}

/**
 * The earliest a unit last seen at `last` may report from `at` without looking like an impossible
 * jump to the validator (50 m/s plus 50 m): a little under it, to keep a margin.
 */
export function plausibleAfter(last: { t: number; lon: number; lat: number }, at: LonLat): number {
  const d = metres([last.lon, last.lat], at);
  return last.t + (Math.max(0, d - 40) / 40) * 1000;
}
