import { uniform, type Rand } from './draw';
import { metres, type LonLat } from './geometry';
import { movingLeg, standingLeg, type Leg } from './leg';

/** Patrol cars and enforcement vans on country roads. */
export const DRIVE = { minSpeed: 8, maxSpeed: 15 } as const;

const AT_STATION = -1;
const ELSEWHERE = -2;

/** A team or officer driving between its station and the villages the station covers. */
export interface Vehicle {
  kind: 'vehicle';
  station: LonLat;
  villages: readonly LonLat[];
  leg: Leg;
  /** Index of the village it stands at, or AT_STATION / ELSEWHERE. */
  stop: number;
}

const minutes = (rand: Rand, a: number, b: number) => uniform(rand, a * 60_000, b * 60_000);

/** Starts at its last position when it has one (a restart must not jump), otherwise at the station. */
export function createVehicle(station: LonLat, villages: readonly LonLat[], t0: number, rand: Rand, last?: LonLat): Vehicle {
  return { kind: 'vehicle', station, villages, leg: standingLeg(last ?? station, t0, minutes(rand, 0, 3)), stop: last ? ELSEWHERE : AT_STATION };
}

export function nextVehicleLeg(v: Vehicle, t: number, rand: Rand): Leg {
  const at = v.leg.to;
  const n = v.villages.length;
  let stop: number;
  if (n === 0) stop = AT_STATION;
  else if (v.stop === AT_STATION) stop = Math.floor(rand() * n);
  else if ((v.stop !== ELSEWHERE && n === 1) || rand() < 0.35) stop = AT_STATION;
  else {
    // Another village than this one.
    stop = Math.floor(rand() * (v.stop >= 0 ? n - 1 : n));
    if (v.stop >= 0 && stop >= v.stop) stop += 1;
  }
  const to = stop === AT_STATION ? v.station : v.villages[stop];
  const pause = stop === AT_STATION ? minutes(rand, 3, 15) : minutes(rand, 1, 8);
  v.stop = stop;
  if (metres(at, to) < 1) return standingLeg(at, t, pause, v.leg.heading);
  return movingLeg(at, to, t, uniform(rand, DRIVE.minSpeed, DRIVE.maxSpeed), pause);
}
