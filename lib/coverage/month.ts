/**
 * Months and days of coverage are local (Asia/Shanghai, UTC+8 all year, no daylight saving): a
 * gridder's month is the calendar month on the station's wall clock (S3: every place, every month).
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

export const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export interface Span {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** The local month `at` falls in, as YYYY-MM. */
export function monthOf(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 7);
}

/** The local day `at` falls in, as YYYY-MM-DD. */
export function dayOf(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** A local month as instants: its first midnight to the next month's. */
export function monthBounds(month: string): Span {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { from: new Date(Date.UTC(y, mo, 1) - OFFSET_MS), to: new Date(Date.UTC(y, mo + 1, 1) - OFFSET_MS) };
}

/** A local day as instants. */
export function dayBounds(day: string): Span {
  if (!DAY_RE.test(day)) throw new RangeError(`not a day: ${day}`);
  const from = Date.parse(`${day}T00:00:00Z`) - OFFSET_MS;
  if (Number.isNaN(from)) throw new RangeError(`not a day: ${day}`);
  return { from: new Date(from), to: new Date(from + DAY_MS) };
}

/** The local day `n` days before `day`. */
export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
}

/** The share of the month elapsed at `now` (0 before it, 1 after it). */
export function monthElapsed(month: string, now: Date): number {
  const { from, to } = monthBounds(month);
  const t = now.getTime();
  if (t <= from.getTime()) return 0;
  if (t >= to.getTime()) return 1;
  return (t - from.getTime()) / (to.getTime() - from.getTime());
}
