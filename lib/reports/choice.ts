import type { AssessmentPeriodKind } from '../assessment/periods';

/**
 * The console's period chooser (issue 15 point 6): what a leader picks — a month, a quarter or a
 * year — as a period key (lib/assessment/periods), defaulting to the last one that has ended, whose
 * scores the job has frozen (a report of it no longer changes).
 */
export interface PeriodChoice {
  kind: AssessmentPeriodKind;
  year: number;
  /** 1–12 for a month, 1–4 for a quarter; ignored for a year. */
  part: number;
}

export function periodKeyOf(c: PeriodChoice): string {
  if (c.kind === 'year') return String(c.year);
  if (c.kind === 'quarter') return `${c.year}-Q${c.part}`;
  return `${c.year}-${String(c.part).padStart(2, '0')}`;
}

/** The last ended period of a kind on a Shanghai day 'YYYY-MM-DD'. */
export function lastEnded(kind: AssessmentPeriodKind, today: string): PeriodChoice {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (kind === 'year') return { kind, year: year - 1, part: 1 };
  if (kind === 'quarter') {
    const q = Math.ceil(month / 3) - 1;
    return q === 0 ? { kind, year: year - 1, part: 4 } : { kind, year, part: q };
  }
  return month === 1 ? { kind, year: year - 1, part: 12 } : { kind, year, part: month - 1 };
}
