import { isWorkingDay, type HolidayCalendar } from '../time/workdays';

/**
 * The station's joint-consultation calendar (S11): a weekly consultation led by the executive
 * deputy chief with the resident departments and the full-time gridders, and a monthly one led
 * by the station chief with every stationed department, the village heads, the full-time
 * gridders and invited public representatives. Days are Asia/Shanghai calendar days.
 */
export type MeetingKind = 'weekly' | 'monthly';

export type Invitee =
  | 'station_chief'
  | 'deputy_chief'
  | 'resident_departments'
  | 'all_departments'
  | 'village_heads'
  | 'gridder_full'
  | 'public_representatives';

export const INVITEE_LABEL: Record<Invitee, string> = {
  station_chief: '站长',
  deputy_chief: '常务副站长',
  resident_departments: '常驻部门',
  all_departments: '全体入驻部门',
  village_heads: '村(社区)负责人',
  gridder_full: '专职网格员',
  public_representatives: '群众代表',
};

/** A Monday-to-Sunday week. */
export interface Week {
  monday: string;
  /** Monday..Sunday, 'YYYY-MM-DD'. */
  days: string[];
  /** The first working day of the week under the holiday calendar; null when the whole week is off. */
  firstWorkingDay: string | null;
}

export interface PlannedMeeting {
  kind: MeetingKind;
  /** Stable identity: `weekly:<YYYY-MM-DD>` or `monthly:<YYYY-MM>`. */
  key: string;
  day: string;
  startsAt: Date;
  leader: 'deputy_chief' | 'station_chief';
  invitees: Invitee[];
  title: string;
}

/** S11 weekly: the executive deputy chief with the resident departments and the full-time gridders. */
const WEEKLY_INVITEES: readonly Invitee[] = ['deputy_chief', 'resident_departments', 'gridder_full'];
/** S11 monthly: the station chief with all stationed departments, village heads, full-time gridders and public representatives. */
const MONTHLY_INVITEES: readonly Invitee[] = [
  'station_chief',
  'deputy_chief',
  'all_departments',
  'village_heads',
  'gridder_full',
  'public_representatives',
];
const WEEKLY_TIME = '09:00';
const MONTHLY_TIME = '14:30';

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600_000;

function parseMonth(month: string): { year: number; month: number } {
  const m = typeof month === 'string' ? MONTH_RE.exec(month) : null;
  if (!m) throw new RangeError(`month must be 'YYYY-MM', got ${JSON.stringify(month)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** Throws unless `day` is a real calendar day written 'YYYY-MM-DD'. */
export function assertDay(day: string, what = 'day'): void {
  if (typeof day !== 'string' || !DAY_RE.test(day)) throw new RangeError(`${what} must be 'YYYY-MM-DD', got ${JSON.stringify(day)}`);
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw new RangeError(`${what} is not a calendar day: ${day}`);
}

/** The day `n` calendar days after `day` (calendar arithmetic on the date itself, no time zone involved). */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** First and last day of a 'YYYY-MM' month; throws on a malformed month. */
export function monthBounds(month: string): { first: string; last: string } {
  const { year, month: m } = parseMonth(month);
  const last = new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10); // day 0 of the next month
  return { first: `${month}-01`, last };
}

function weekStarting(monday: string, cal: HolidayCalendar): Week {
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return { monday, days, firstWorkingDay: days.find((d) => isWorkingDay(d, cal)) ?? null };
}

/**
 * The weeks of a month: a week belongs to the month holding its first working day, so a week
 * straddling two months belongs to exactly one of them, and a week with no working day at all
 * (e.g. a Spring Festival week) belongs to none. In calendar order.
 */
export function weeksOfMonth(month: string, cal: HolidayCalendar): Week[] {
  const { first, last } = monthBounds(month);
  const weekday = new Date(`${first}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  let monday = addDays(first, -((weekday + 6) % 7));
  const weeks: Week[] = [];
  // A month touches at most six weeks: the bound also ends the loop where dates leave the ISO
  // 4-digit year (month 9999-12 looped forever, found by the route fuzzer, issue 11).
  for (let n = 0; n < 6 && monday <= last; n++, monday = addDays(monday, 7)) {
    const week = weekStarting(monday, cal);
    if (week.firstWorkingDay !== null && week.firstWorkingDay.startsWith(`${month}-`)) weeks.push(week);
  }
  return weeks;
}

/** An instant at a Shanghai wall-clock time (UTC+8, no daylight saving). */
function shanghaiAt(day: string, hhmm: string): Date {
  return new Date(`${day}T${hhmm}:00+08:00`);
}

function monthDayLabel(day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

/**
 * S11 consultations planned for a month: one weekly consultation at 09:00 on the first working day
 * of each of the month's weeks, and the monthly consultation at 14:30 on the month's last working
 * day (a month without any working day has none). Sorted by start time.
 */
export function meetingsOfMonth(month: string, cal: HolidayCalendar): PlannedMeeting[] {
  const { year, month: m } = parseMonth(month);
  const meetings: PlannedMeeting[] = weeksOfMonth(month, cal).map((week, i) => {
    const day = week.firstWorkingDay as string; // weeksOfMonth keeps only weeks with one
    return {
      kind: 'weekly',
      key: `weekly:${day}`,
      day,
      startsAt: shanghaiAt(day, WEEKLY_TIME),
      leader: 'deputy_chief',
      invitees: [...WEEKLY_INVITEES],
      title: `第${i + 1}周联勤会商（${monthDayLabel(day)}）`,
    };
  });

  const { first, last } = monthBounds(month);
  let lastWorking: string | null = null;
  for (let d = last; d >= first; d = addDays(d, -1)) {
    if (isWorkingDay(d, cal)) {
      lastWorking = d;
      break;
    }
  }
  if (lastWorking !== null) {
    meetings.push({
      kind: 'monthly',
      key: `monthly:${month}`,
      day: lastWorking,
      startsAt: shanghaiAt(lastWorking, MONTHLY_TIME),
      leader: 'station_chief',
      invitees: [...MONTHLY_INVITEES],
      title: `${year}年${m}月联勤会商（月度）`,
    });
  }
  return meetings.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
