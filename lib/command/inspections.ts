import type { HolidayCalendar } from '../time/workdays';
import { assertDay, monthBounds, weeksOfMonth } from './meetings';

/**
 * Joint inspections (S10): each resident department leads gridders and village cadres on a joint
 * inspection at least weekly; the station organises a joint inspection of all stationed
 * departments monthly; inspection is intensified at key periods (major events, holidays,
 * seasonal accident peaks). Weeks are those of `weeksOfMonth` (a week belongs to the month of its
 * first working day), so the S11 meeting calendar and the S10 inspection calendar agree.
 */

/** A key period for intensified inspection; both days inclusive, Asia/Shanghai calendar days. */
export interface KeyPeriod {
  name: string;
  startsOn: string;
  endsOn: string;
}

export type InspectionKind = 'department_weekly' | 'station_monthly';

export interface InspectionRequirement {
  kind: InspectionKind;
  /** The resident department for `department_weekly`; null for the station-wide inspection. */
  department: string | null;
  /** Sum of the windows' `required`. */
  required: number;
  /** Inclusive day ranges, each needing `required` inspections inside it. */
  windows: { from: string; to: string; required: number }[];
  /** True when a key period changed this requirement from the normal one. */
  keyPeriod: boolean;
}

export interface InspectionDone {
  kind: InspectionKind;
  department: string | null;
  day: string;
}

export interface InspectionCompliance extends InspectionRequirement {
  done: number;
  met: boolean;
  windows: { from: string; to: string; required: number; done: number }[];
}

/** S10 normal rate per resident department per week, and the intensified one in a key-period week. */
const DEPARTMENT_PER_WEEK = 1;
const DEPARTMENT_PER_KEY_WEEK = 2;

function assertPeriod(p: KeyPeriod): void {
  assertDay(p.startsOn, `key period ${JSON.stringify(p.name)} startsOn`);
  assertDay(p.endsOn, `key period ${JSON.stringify(p.name)} endsOn`);
  if (p.endsOn < p.startsOn) throw new RangeError(`key period ${JSON.stringify(p.name)} ends before it starts`);
}

/** The key periods in force on `day` (inclusive at both ends), in the order given. */
export function activeKeyPeriods(day: string, periods: KeyPeriod[]): KeyPeriod[] {
  assertDay(day);
  periods.forEach(assertPeriod);
  return periods.filter((p) => p.startsOn <= day && day <= p.endsOn);
}

/**
 * S10 inspections owed for a month, departments in the order given (duplicates dropped), then the
 * station-wide requirement.
 * - Each resident department: one window per week of the month (Monday to Sunday), needing 1
 *   inspection, or 2 when the week overlaps any key period.
 * - The station: one window for the whole month needing 1 inspection; but when any week of the
 *   month overlaps a key period, instead one window per such week, each needing 1 (the monthly
 *   window is then dropped).
 */
export function requiredInspections(
  month: string,
  residentDepartments: string[],
  periods: KeyPeriod[],
  cal: HolidayCalendar,
): InspectionRequirement[] {
  periods.forEach(assertPeriod);
  const weeks = weeksOfMonth(month, cal).map((w) => {
    const from = w.monday;
    const to = w.days[6];
    return { from, to, key: periods.some((p) => p.startsOn <= to && p.endsOn >= from) };
  });
  const anyKey = weeks.some((w) => w.key);

  const reqs: InspectionRequirement[] = [...new Set(residentDepartments)].map((department) => {
    const windows = weeks.map((w) => ({ from: w.from, to: w.to, required: w.key ? DEPARTMENT_PER_KEY_WEEK : DEPARTMENT_PER_WEEK }));
    return { kind: 'department_weekly', department, required: sum(windows), windows, keyPeriod: anyKey };
  });

  const { first, last } = monthBounds(month);
  const stationWindows = anyKey
    ? weeks.filter((w) => w.key).map((w) => ({ from: w.from, to: w.to, required: 1 }))
    : [{ from: first, to: last, required: 1 }];
  reqs.push({ kind: 'station_monthly', department: null, required: sum(stationWindows), windows: stationWindows, keyPeriod: anyKey });
  return reqs;
}

function sum(windows: readonly { required: number }[]): number {
  return windows.reduce((n, w) => n + w.required, 0);
}

/**
 * How far inspections done meet the requirements. An inspection counts for a requirement of the
 * same kind and department, in the (first) window whose days contain its day; one outside every
 * window counts for none. Counts are not capped; a requirement is met when every window's done
 * reaches its required.
 */
export function compliance(reqs: InspectionRequirement[], done: InspectionDone[]): InspectionCompliance[] {
  done.forEach((d) => assertDay(d.day, 'inspection day'));
  return reqs.map((req) => {
    const windows = req.windows.map((w) => ({ ...w, done: 0 }));
    for (const d of done) {
      if (d.kind !== req.kind || d.department !== req.department) continue;
      const w = windows.find((x) => x.from <= d.day && d.day <= x.to);
      if (w) w.done += 1;
    }
    return {
      ...req,
      windows,
      done: windows.reduce((n, w) => n + w.done, 0),
      met: windows.every((w) => w.done >= w.required),
    };
  });
}
