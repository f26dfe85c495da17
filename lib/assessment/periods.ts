import type { DayRange } from '../contracts/kpi';
import { addDays } from '../analytics/period';
import { shanghaiDay } from '../time/workdays';

/**
 * The assessment's periods (issue 15 point 2; S13): a month '2026-11', a quarter '2026-Q4', a year
 * '2026', as local days of Asia/Shanghai. A period closes at the local midnight after its last day;
 * the scoring job freezes it then (server/assessment), and its scores never change afterwards.
 */
export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type AssessmentPeriodKind = (typeof PERIOD_KINDS)[number];
export const PERIOD_KIND_LABEL: Record<AssessmentPeriodKind, string> = { month: '月度', quarter: '季度', year: '年度' };

export const PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

export interface AssessmentPeriod {
  key: string;
  kind: AssessmentPeriodKind;
  year: number;
  /** Inclusive local days. */
  range: DayRange;
  /** 2026年11月, 2026年第4季度, 2026年度. */
  label: string;
}

const lastDayOfMonth = (year: number, month: number): string =>
  addDays(`${month === 12 ? year + 1 : year}-${String(month === 12 ? 1 : month + 1).padStart(2, '0')}-01`, -1);
const mm = (m: number) => String(m).padStart(2, '0');

/** A period from its key, or null when the key is not one. */
export function parsePeriod(key: string): AssessmentPeriod | null {
  const m = PERIOD_PATTERN.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null;
  if (m[2]) {
    const month = Number(m[2]);
    return { key, kind: 'month', year, range: { from: `${year}-${m[2]}-01`, to: lastDayOfMonth(year, month) }, label: `${year}年${month}月` };
  }
  if (m[3]) {
    const q = Number(m[3]);
    return {
      key, kind: 'quarter', year,
      range: { from: `${year}-${mm(q * 3 - 2)}-01`, to: lastDayOfMonth(year, q * 3) },
      label: `${year}年第${q}季度`,
    };
  }
  return { key, kind: 'year', year, range: { from: `${year}-01-01`, to: `${year}-12-31` }, label: `${year}年度` };
}

/** The month, quarter and year a local day falls in. */
export function periodsOfDay(day: string): AssessmentPeriod[] {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  return [`${year}-${day.slice(5, 7)}`, `${year}-Q${Math.ceil(month / 3)}`, year].map((k) => parsePeriod(k)!);
}

/** The instants a period covers: its first local midnight and the one after its last day (exclusive). */
export function instantsOfPeriod(p: AssessmentPeriod): { from: Date; to: Date } {
  return { from: new Date(`${p.range.from}T00:00:00+08:00`), to: new Date(`${addDays(p.range.to, 1)}T00:00:00+08:00`) };
}

/** Whether the period has ended at `now` (its last local day is over): it is then frozen by the job. */
export function hasEnded(p: AssessmentPeriod, now: Date): boolean {
  return shanghaiDay(now) > p.range.to;
}

/** The period of the same kind just before. */
export function previousPeriod(p: AssessmentPeriod): AssessmentPeriod {
  return periodsOfDay(addDays(p.range.from, -1)).find((x) => x.kind === p.kind)!;
}
