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
  /** Reported by a resident through the citizens' channel (issue 14; S9). */
  citizen: boolean;
  /** A closed resident's report the resident rated (1–5; satisfaction counts 4 and 5), and when: it is then 'rated'. */
  rating: number | null;
  ratedAt: number | null;
}

/** About a quarter of the reports come from residents (/m), the rest from the station's own staff. */
export const CITIZEN_SHARE = 0.25;
/** Of the closed ones residents report, this share rate them: 满意 / 基本满意 / 不满意 about 70/20/10. */
export const RATED_SHARE = 0.7;

/** Whether a past report was a resident's, and their rating if they gave one before `now`. */
export function residentOf(state: string, closedAt: number, now: number, rand: Rand): Pick<PastIncident, 'citizen' | 'rating' | 'ratedAt'> {
  if (rand() >= CITIZEN_SHARE) return { citizen: false, rating: null, ratedAt: null };
  if (state !== 'closed' || rand() >= RATED_SHARE) return { citizen: true, rating: null, ratedAt: null };
  const u = rand();
  const ratedAt = Math.floor(closedAt + logNormal(rand, 3 * HOUR_MS, 1));
  if (ratedAt >= now) return { citizen: true, rating: null, ratedAt: null };
  return { citizen: true, rating: u < 0.7 ? 5 : u < 0.9 ? 4 : 1, ratedAt };
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
    const draft = draftIncident(rand, places);
    const at = Math.floor(s.at);
    out.push({ ...draft, reportedAt, deadlineAt: reportedAt + DEADLINE_MS, state: s.state, stateAt: at, ...residentOf(s.state, at, now, rand) });
  }
  return out;
}
