import type { Card } from '../contracts/events';
import type { IncidentSeverity } from '../contracts/live';
import { addWorkingDays, type HolidayCalendar } from '../time/workdays';
import type { EventState } from './machine';

/** Time limits in working days (S12 deadlines, S13 supervision): past `yellow` a yellow card, past `red` a red one. */
export interface TimeLimits {
  acceptYellow: number;
  acceptRed: number;
  handleYellow: number;
  handleRed: number;
}

export interface TimeLimitRow extends TimeLimits {
  category: string | null;
  severity: IncidentSeverity | null;
}

/** Defaults as grid systems in use set them; the `time_limits` table overrides them. */
export const DEFAULT_LIMITS: TimeLimits = { acceptYellow: 1, acceptRed: 2, handleYellow: 5, handleRed: 10 };

/**
 * The most specific row wins: sub-category with severity, sub-category, category with severity,
 * category, severity, then the default row.
 */
export function resolveLimits(
  rows: readonly TimeLimitRow[],
  e: { category: string; subcategory?: string | null; severity: IncidentSeverity },
): TimeLimits {
  type Key = [string | null, IncidentSeverity | null];
  const keys: Key[] = [[e.category, e.severity], [e.category, null], [null, e.severity], [null, null]];
  if (e.subcategory) keys.unshift([e.subcategory, e.severity], [e.subcategory, null]);
  for (const [category, severity] of keys) {
    const row = rows.find((r) => r.category === category && r.severity === severity);
    if (row) return { acceptYellow: row.acceptYellow, acceptRed: row.acceptRed, handleYellow: row.handleYellow, handleRed: row.handleRed };
  }
  return DEFAULT_LIMITS;
}

export type Stage = 'accept' | 'handle';

/** Which clock runs in a state: acceptance until accepted, handling until handled; none after. */
export function stageOf(state: EventState): Stage | null {
  if (state === 'reported') return 'accept';
  if (state === 'accepted' || state === 'assigned' || state === 'coordinated' || state === 'in_progress') return 'handle';
  return null;
}

export interface StageDeadlines {
  due: Date;
  red: Date;
}

/** The accept clock starts at the report; the handle clock at acceptance and is not reset by re-routing. */
export function stageDeadlines(stage: Stage, startedAt: Date, limits: TimeLimits, cal: HolidayCalendar): StageDeadlines {
  const [y, r] = stage === 'accept' ? [limits.acceptYellow, limits.acceptRed] : [limits.handleYellow, limits.handleRed];
  return { due: addWorkingDays(startedAt, y, cal), red: addWorkingDays(startedAt, r, cal) };
}

export function cardAt(now: Date, due: Date | null, red: Date | null): Card {
  if (red && now >= red) return 'red';
  if (due && now >= due) return 'yellow';
  return 'none';
}

const RANK: Record<Card, number> = { none: 0, yellow: 1, red: 2 };
export function higherCard(a: Card, b: Card): boolean {
  return RANK[a] > RANK[b];
}
