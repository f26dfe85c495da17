import { hasEnded, parsePeriod, periodsOfDay, previousPeriod, type AssessmentPeriod, type AssessmentPeriodKind } from '@/lib/assessment/periods';
import { shanghaiDay } from '@/lib/time/workdays';

/*
 * What the 考评得分 page offers to pick (issue 15 point 2; S13): the current period of each kind and
 * the ones before it, newest first, each saying whether it is closed (已封账: frozen by the job at
 * the local midnight after its last day) or still being computed (计算中).
 */

/** How far back each kind reaches: two years of months, two of quarters, five years. */
const DEPTH: Record<AssessmentPeriodKind, number> = { month: 24, quarter: 8, year: 5 };

export interface PeriodChoice {
  key: string;
  label: string;
  ended: boolean;
}

export function periodChoices(kind: AssessmentPeriodKind, now: Date): PeriodChoice[] {
  let p: AssessmentPeriod = periodsOfDay(shanghaiDay(now)).find((x) => x.kind === kind)!;
  const out: PeriodChoice[] = [];
  for (let i = 0; i < DEPTH[kind] && p.year >= 2000; i++) {
    out.push({ key: p.key, label: p.label, ended: hasEnded(p, now) });
    p = previousPeriod(p);
  }
  return out;
}

/** The page opens on the last month that has ended: its scores are final and comparable. */
export function defaultPeriod(now: Date): string {
  return previousPeriod(periodsOfDay(shanghaiDay(now)).find((x) => x.kind === 'month')!).key;
}

export function kindOf(key: string): AssessmentPeriodKind {
  return parsePeriod(key)?.kind ?? 'month';
}

export const statusLabel = (ended: boolean) => (ended ? '已封账' : '计算中');
