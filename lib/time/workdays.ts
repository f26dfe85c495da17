/**
 * Working-day arithmetic on the Asia/Shanghai calendar (S12 deadlines, S13 supervision).
 * China moves working days around public holidays (调休): a holiday falls on a weekday,
 * a make-up working day on a weekend. Both come from a table, not from code.
 */
export interface HolidayCalendar {
  /** 'YYYY-MM-DD' days off although Monday–Friday. */
  holidays: ReadonlySet<string>;
  /** 'YYYY-MM-DD' working days although Saturday or Sunday. */
  workdays: ReadonlySet<string>;
}

export const NO_HOLIDAYS: HolidayCalendar = { holidays: new Set(), workdays: new Set() };

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time.
const DAY_MS = 24 * 3600_000;

/** The Shanghai calendar day of an instant, as 'YYYY-MM-DD'. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(day: string, cal: HolidayCalendar): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The instant `days` working days after `start`: the same time of day on the n-th following
 * working day. A start outside working days counts from the next working day's beginning, so a
 * report on Saturday afternoon with one day to act falls due at the end of Monday.
 */
export function addWorkingDays(start: Date, days: number, cal: HolidayCalendar): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, got ${days}`);
  let local = start.getTime() + SHANGHAI_OFFSET_MS;
  let day = new Date(local).toISOString().slice(0, 10);
  if (!isWorkingDay(day, cal)) {
    // Start of the next working day, then a full day per working day counted.
    do {
      local = Math.floor(local / DAY_MS) * DAY_MS + DAY_MS;
      day = new Date(local).toISOString().slice(0, 10);
    } while (!isWorkingDay(day, cal));
    if (days === 0) return new Date(local - SHANGHAI_OFFSET_MS);
    local += DAY_MS - 1; // the end of that first working day counts as one
    days -= 1;
  }
  while (days > 0) {
    local += DAY_MS;
    day = new Date(local).toISOString().slice(0, 10);
    if (isWorkingDay(day, cal)) days -= 1;
  }
  return new Date(local - SHANGHAI_OFFSET_MS);
}
