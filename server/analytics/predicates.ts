import type { KpiCode } from '@/lib/contracts/kpi';

/*
 * One predicate per figure over events aliased `e` (issue 13: every figure can be traced to its
 * events). The scan (kpiFiguresNaive) counts with these, the list of events behind a figure
 * selects with these, and migration 017's kpi_fact_of says the same in the rollup's flags — the
 * rollup test holds all three together. Wording of each: lib/analytics/kpis.ts.
 */

/** Completion is counted of these: everything but what was returned or merged. */
export const COUNTED = `e.state NOT IN ('returned', 'merged')`;
export const CLOSED = `(${COUNTED} AND e.closed_at IS NOT NULL)`;
/** The handling limit was set at acceptance in working days by the holiday table (S12, S13). */
export const CLOSED_ON_TIME = `(${CLOSED} AND coalesce(e.handled_at <= e.handle_due_at, false))`;
export const MISSED = `(coalesce(e.accepted_at > e.accept_due_at, false) OR coalesce(e.handled_at > e.handle_due_at, false) OR e.card <> 'none')`;
export const REPEAT = `e.duplicate_of IS NOT NULL`;
export const RATED = `e.rating IS NOT NULL`;
export const SATISFIED = `coalesce(e.rating >= 4, false)`;

/**
 * Hours of the two measured times (NULL when not measured, which percentile_cont skips). date_part,
 * not extract: extract returns numeric since PostgreSQL 14, and sorting 10⁶ numerics for a district
 * year took about twice as long as float8 here.
 */
export const ACCEPT_HOURS = `(date_part('epoch', e.accepted_at - e.reported_at) / 3600)`;
export const HANDLE_HOURS = `(date_part('epoch', e.handled_at - e.accepted_at) / 3600)`;
const ACCEPTED = `e.accepted_at IS NOT NULL`;
const HANDLED = `(e.accepted_at IS NOT NULL AND e.handled_at IS NOT NULL)`;

export interface KpiPredicate {
  /** The events counted; for a count, the count; for a time, the events measured. */
  numerator: string;
  /** What a ratio is counted of; null for counts and times. */
  denominator: string | null;
  /** The measured time of a duration figure. */
  hours: string | null;
}

/** Figures not counted of events (units online, coverage, mediation cases) have none. */
export const PREDICATES: Partial<Record<KpiCode, KpiPredicate>> = {
  reported: { numerator: 'true', denominator: null, hours: null },
  completion: { numerator: CLOSED, denominator: COUNTED, hours: null },
  on_time: { numerator: CLOSED_ON_TIME, denominator: CLOSED, hours: null },
  overdue: { numerator: MISSED, denominator: null, hours: null },
  accept_p50: { numerator: ACCEPTED, denominator: null, hours: ACCEPT_HOURS },
  accept_p90: { numerator: ACCEPTED, denominator: null, hours: ACCEPT_HOURS },
  handle_p50: { numerator: HANDLED, denominator: null, hours: HANDLE_HOURS },
  handle_p90: { numerator: HANDLED, denominator: null, hours: HANDLE_HOURS },
  satisfaction: { numerator: `(${RATED} AND ${SATISFIED})`, denominator: RATED, hours: null },
  repeat: { numerator: REPEAT, denominator: 'true', hours: null },
};
