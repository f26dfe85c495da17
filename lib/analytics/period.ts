import type { DayRange, PeriodKind } from '@/lib/contracts/kpi';
import { shanghaiDay } from '@/lib/time/workdays';

/*
 * The periods of the cockpit's figures (issue 13), as local days of Asia/Shanghai (UTC+8 all year,
 * no daylight saving). Days are YYYY-MM-DD and ranges are inclusive at both ends.
 */
const DAY_MS = 24 * 3600_000;

const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `day` moved by `n` days (negative: back). */
export function addDays(day: string, n: number): string {
  return toDay(toMs(day) + n * DAY_MS);
}

/** Days from `from` to `to`, both counted. */
export function lengthOf(r: DayRange): number {
  return Math.round((toMs(r.to) - toMs(r.from)) / DAY_MS) + 1;
}

/** Every day of the range in order. */
export function daysOf(r: DayRange): string[] {
  const n = lengthOf(r);
  return Array.from({ length: n }, (_, i) => addDays(r.from, i));
}

/**
 * The range of a period at instant `now`: today; this week, Monday to Sunday (the Chinese working
 * week); this calendar month; or the range asked for. The whole week and month are given even
 * though their later days have not come yet — they simply hold nothing so far.
 */
export function periodRange(kind: PeriodKind, now: Date, range?: { from?: string; to?: string }): DayRange {
  const today = shanghaiDay(now);
  switch (kind) {
    case 'today':
      return { from: today, to: today };
    case 'week': {
      const weekday = (new Date(toMs(today)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
      const from = addDays(today, -weekday);
      return { from, to: addDays(from, 6) };
    }
    case 'month': {
      const from = `${today.slice(0, 7)}-01`;
      const next = new Date(toMs(from));
      next.setUTCMonth(next.getUTCMonth() + 1);
      return { from, to: addDays(toDay(next.getTime()), -1) };
    }
    case 'range':
      if (!range?.from || !range.to) throw new RangeError('a range needs from and to');
      return { from: range.from, to: range.to };
  }
}

/**
 * The period before, of the same length: yesterday, last week, last month (its own length, so
 * March compares with February as a whole), or the same number of days just before a range.
 * A week or month still under way (`today` inside it) compares with the same days of the one
 * before — Monday to Wednesday with last Monday to Wednesday, the 1st–5th with last month's — not
 * with a whole one, which would read every Wednesday as a fall.
 */
export function previousRange(kind: PeriodKind, r: DayRange, today?: string): DayRange {
  const running = today !== undefined && today >= r.from && today < r.to;
  const whole = ((): DayRange => {
    if (kind === 'month') {
      const to = addDays(r.from, -1);
      return { from: `${to.slice(0, 7)}-01`, to };
    }
    const n = lengthOf(r);
    return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
  })();
  if (!running || (kind !== 'week' && kind !== 'month')) return whole;
  const to = addDays(whole.from, lengthOf({ from: r.from, to: today }) - 1);
  return { from: whole.from, to: to < whole.to ? to : whole.to };
}

/** The instants a range covers: its first local midnight, and the one after its last day (exclusive). */
export function instantsOf(r: DayRange): { from: Date; to: Date } {
  return { from: new Date(`${r.from}T00:00:00+08:00`), to: new Date(`${addDays(r.to, 1)}T00:00:00+08:00`) };
}

/** The last `n` days ending today (the trend lines). */
export function lastDays(n: number, now: Date): DayRange {
  const to = shanghaiDay(now);
  return { from: addDays(to, -(n - 1)), to };
}

/**
 * A range as whole calendar months and the days at its ends (the month rollups answer the months,
 * the day rollups the rest). `months` from/to are the first days of the first and last whole month.
 */
export function splitMonths(r: DayRange): { months: DayRange | null; days: DayRange[] } {
  const firstOf = (day: string) => `${day.slice(0, 7)}-01`;
  const nextMonth = (day: string) => {
    const [y, m] = day.split('-').map(Number);
    return toDay(Date.UTC(y, m, 1));
  };
  const start = r.from.endsWith('-01') ? r.from : nextMonth(r.from);
  const end = addDays(r.to, 1).endsWith('-01') ? r.to : addDays(firstOf(r.to), -1);
  if (start > end) return { months: null, days: [r] };
  const days: DayRange[] = [];
  if (r.from < start) days.push({ from: r.from, to: addDays(start, -1) });
  if (end < r.to) days.push({ from: addDays(end, 1), to: r.to });
  return { months: { from: start, to: firstOf(end) }, days };
}
