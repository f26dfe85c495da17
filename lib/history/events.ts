import type { HistoryDispatch, HistoryIncident, TracePoint } from '../contracts/history';
import { positionAt } from './trace';

/*
 * What the replay shows of the range's incidents and dispatches at time t (issue 12, part 5):
 * an incident from its reported time on, a dispatch line while the dispatch runs.
 */

/** Incidents already reported at t; `reported` holds each one's time in ms (parsed once). */
export function incidentsAt(incidents: readonly (HistoryIncident & { reported: number })[], t: number): (HistoryIncident & { reported: number })[] {
  return incidents.filter((i) => i.reported <= t);
}

export interface ReplayLine {
  id: number;
  state: string;
  from: [number, number];
  to: [number, number];
}

/** The state a dispatch was in at t, from its steps (the last one at or before t). */
export function dispatchStateAt(d: HistoryDispatch, t: number): string {
  let state = 'dispatched';
  for (const s of d.steps) if (Date.parse(s.at) <= t) state = s.toState;
  return state;
}

/**
 * A line from each unit to its incident for the dispatches running at t: from where the unit's
 * trace puts it then, else from where it was when dispatched.
 */
export function dispatchLinesAt(dispatches: readonly HistoryDispatch[], traces: ReadonlyMap<number, readonly TracePoint[]>, t: number): ReplayLine[] {
  const lines: ReplayLine[] = [];
  for (const d of dispatches) {
    if (Date.parse(d.createdAt) > t || (d.endedAt !== null && Date.parse(d.endedAt) <= t)) continue;
    const trace = traces.get(d.unitId);
    const from = (trace && positionAt(trace, t)) ?? (d.origin ? ([d.origin.lon, d.origin.lat] as [number, number]) : null);
    if (from) lines.push({ id: d.id, state: dispatchStateAt(d, t), from, to: [d.target.lon, d.target.lat] });
  }
  return lines;
}
