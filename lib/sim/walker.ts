import { uniform, type Rand } from './draw';
import { insideArea, metres, segmentInside, type Area, type LonLat } from './geometry';
import { movingLeg, standingLeg, type Leg } from './leg';

/** Walking pace of gridders, volunteers and mediators on their rounds. */
export const WALK = { minSpeed: 1.1, maxSpeed: 1.5 } as const;

/** Someone on foot inside one grid, between random points of it. */
export interface Walker {
  kind: 'walker';
  area: Area;
  waypoints: readonly LonLat[];
  leg: Leg;
  /** Where the current leg began: always reachable in a straight line, the way out of a dead end. */
  back: LonLat | null;
  /** The grid's key places and key persons' addresses, visited now and then (S3; issue 12's demo of visits). */
  visits: readonly LonLat[];
}

/** Share of legs that go to a key place or person rather than a random point, when the grid has any. */
export const VISIT_SHARE = 0.12;
/** A visit lasts 11–15 minutes: longer than the default 10 minutes a trace must stay to count (issue 12). */
export const VISIT_MS = { min: 660_000, max: 900_000 } as const;

const TRIES = 8;
const RETRY_MS = 30_000;

function pauseMs(rand: Rand): number {
  // Mostly a glance at a street; now and then a visit to a household.
  return rand() < 0.7 ? uniform(rand, 5_000, 90_000) : uniform(rand, 120_000, 480_000);
}

/**
 * Starts where the unit last was when that is inside its grid with somewhere to walk to (a restart
 * must not jump), otherwise at one of its waypoints; `resumed` says which.
 */
export function createWalker(area: Area, points: readonly LonLat[], t0: number, rand: Rand, last?: LonLat, visitPoints: readonly LonLat[] = []): { walker: Walker; resumed: boolean } {
  const waypoints = points.filter((p) => insideArea(area, p));
  const visits = visitPoints.filter((p) => insideArea(area, p));
  if (waypoints.length === 0) throw new Error('a walker needs at least one waypoint inside its grid');
  const resumed = !!last && waypoints.some((w) => segmentInside(area, last, w));
  const start = resumed && last ? last : waypoints[Math.floor(rand() * waypoints.length)];
  // Start desynchronised: nobody sets off at the same instant.
  return { walker: { kind: 'walker', area, waypoints, leg: standingLeg(start, t0, uniform(rand, 0, 60_000)), back: null, visits }, resumed };
}

export function nextWalkerLeg(w: Walker, t: number, rand: Rand): Leg {
  const at = w.leg.to;
  // Only a grid with key places or persons draws for a visit: the others' walks stay as they were.
  if (w.visits.length > 0 && rand() < VISIT_SHARE) {
    const v = w.visits[Math.floor(rand() * w.visits.length)];
    if (metres(at, v) > 5 && segmentInside(w.area, at, v)) {
      w.back = at;
      return movingLeg(at, v, t, uniform(rand, WALK.minSpeed, WALK.maxSpeed), uniform(rand, VISIT_MS.min, VISIT_MS.max));
    }
  }
  let to: LonLat | null = null;
  for (let i = 0; i < TRIES && !to; i++) {
    const c = w.waypoints[Math.floor(rand() * w.waypoints.length)];
    if (metres(at, c) > 5 && segmentInside(w.area, at, c)) to = c;
  }
  if (!to && w.back && metres(at, w.back) > 0) to = w.back;
  if (!to) return standingLeg(at, t, RETRY_MS, w.leg.heading);
  w.back = at;
  return movingLeg(at, to, t, uniform(rand, WALK.minSpeed, WALK.maxSpeed), pauseMs(rand));
}
