import type { KpiCode, KpiValue } from '@/lib/contracts/kpi';
import { KPI_CODES } from '@/lib/contracts/kpi';

/** What the rollup (kpi_day) or a scan of events counts for an area and period; every event figure is made of these. */
export interface Counters {
  reported: number;
  /** Reported, less returned and merged: what completion is counted of. */
  counted: number;
  /** Of `counted`, closed (closed_at set: closed or rated). */
  closed: number;
  /** Of `closed`, handled by the handling limit. */
  closedOnTime: number;
  /** Missed a limit or carries a card now. */
  missed: number;
  repeats: number;
  rated: number;
  satisfied: number;
}

export const ZERO_COUNTERS: Counters = { reported: 0, counted: 0, closed: 0, closedOnTime: 0, missed: 0, repeats: 0, rated: 0, satisfied: 0 };

/** Exact percentiles of the times, in hours, from raw events (they cannot be summed from days). */
export interface Durations {
  accepted: number;
  acceptP50: number | null;
  acceptP90: number | null;
  handled: number;
  handleP50: number | null;
  handleP90: number | null;
}

export const NO_DURATIONS: Durations = { accepted: 0, acceptP50: null, acceptP90: null, handled: 0, handleP50: null, handleP90: null };

/** A ratio's parts; null when its source does not exist yet (mediation) or does not apply. */
export interface Part {
  num: number;
  den: number;
}

/** A median of days and how many it was taken of (调解用时). */
export interface Median {
  n: number;
  median: number | null;
}

export interface Figures {
  counters: Counters;
  durations: Durations;
  mediation: Part | null;
  /** Days from opening to an agreement; null where not split (a grid). */
  mediationDays: Median | null;
  online: Part | null;
  coverage: Part | null;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** One figure's value with its parts (numerator, denominator as the contract says). */
export function valueOf(code: KpiCode, f: Figures): Omit<KpiValue, 'previous' | 'code'> {
  const c = f.counters;
  const d = f.durations;
  const r = (num: number, den: number) => ({ value: ratio(num, den), numerator: num, denominator: den });
  const part = (p: Part | null) => (p ? r(p.num, p.den) : { value: null, numerator: null, denominator: null });
  const hours = (v: number | null, n: number) => ({ value: v, numerator: n, denominator: null });
  switch (code) {
    case 'reported':
      return { value: c.reported, numerator: c.reported, denominator: null };
    case 'completion':
      return r(c.closed, c.counted);
    case 'on_time':
      return r(c.closedOnTime, c.closed);
    case 'overdue':
      return { value: c.missed, numerator: c.missed, denominator: null };
    case 'accept_p50':
      return hours(d.acceptP50, d.accepted);
    case 'accept_p90':
      return hours(d.acceptP90, d.accepted);
    case 'handle_p50':
      return hours(d.handleP50, d.handled);
    case 'handle_p90':
      return hours(d.handleP90, d.handled);
    case 'satisfaction':
      return r(c.satisfied, c.rated);
    case 'mediation':
      return part(f.mediation);
    case 'mediation_days':
      return f.mediationDays ? { value: f.mediationDays.median, numerator: f.mediationDays.n, denominator: null } : { value: null, numerator: null, denominator: null };
    case 'repeat':
      return r(c.repeats, c.reported);
    case 'online':
      return part(f.online);
    case 'coverage':
      return part(f.coverage);
  }
}

/** Every figure, with the previous period's value beside it (`online` is a now-figure: no previous). */
export function valuesOf(current: Figures, previous: Figures): KpiValue[] {
  return KPI_CODES.map((code) => ({
    code,
    ...valueOf(code, current),
    previous: code === 'online' ? null : valueOf(code, previous).value,
  }));
}

/** Sums counters (a town's stations, a district's towns). */
export function addCounters(a: Counters, b: Counters): Counters {
  const out = { ...a };
  for (const k of Object.keys(ZERO_COUNTERS) as (keyof Counters)[]) out[k] = a[k] + b[k];
  return out;
}
