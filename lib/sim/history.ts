import { logNormal, uniform, type Rand } from './draw';
import { draftIncident, type IncidentDraft, type PlaceModel } from './incident';
import { nextArrival } from './rhythm';

const HOUR_MS = 3600_000;
/** For now every incident is due 5 days after its report (a later issue counts working days). */
export const DEADLINE_MS = 5 * 24 * HOUR_MS;

export interface PastIncident extends IncidentDraft {
  reportedAt: number;
  deadlineAt: number;
  state: string;
  /** When it reached `state`. */
  stateAt: number;
}

// How far along the loop an open incident is, by the share of its handling time gone by.
const OPEN_STAGES: readonly [number, string][] = [
  [0.9, 'handled'],
  [0.5, 'in_progress'],
  [0.3, 'assigned'],
  [0.1, 'accepted'],
  [0, 'reported'],
];

/**
 * Where an incident reported at `reportedAt` stands at `now`: handling takes hours (median 4 h,
 * a long tail), a few drag on past their deadline; a few are returned or merged.
 */
export function stateAt(reportedAt: number, now: number, rand: Rand): { state: string; at: number } {
  const u = rand();
  const handling = u < 0.005 ? uniform(rand, 6, 12) * 24 * HOUR_MS : logNormal(rand, 4 * HOUR_MS, 0.9);
  const age = now - reportedAt;
  if (age >= handling) {
    const v = rand();
    const state = v < 0.04 ? 'returned' : v < 0.06 ? 'merged' : 'closed';
    // Returns and merges are decided at acceptance, early on.
    return { state, at: reportedAt + (state === 'closed' ? handling : Math.min(handling, HOUR_MS)) };
  }
  const done = age / handling;
  const [from, state] = OPEN_STAGES.find(([f]) => done >= f) ?? [0, 'reported'];
  return { state, at: reportedAt + from * handling };
}

/** Incidents of the same model as the live ones, reported between `from` and `now`. */
export function pastIncidents(from: number, now: number, perHour: number, rand: Rand, places: PlaceModel): PastIncident[] {
  const out: PastIncident[] = [];
  for (let t = nextArrival(from, perHour, rand); t < now; t = nextArrival(t, perHour, rand)) {
    const reportedAt = Math.floor(t);
    const s = stateAt(reportedAt, now, rand);
    out.push({ ...draftIncident(rand, places), reportedAt, deadlineAt: reportedAt + DEADLINE_MS, state: s.state, stateAt: Math.floor(s.at) });
  }
  return out;
}
