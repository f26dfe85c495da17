import type { Rand } from './draw';
import type { LonLat } from './geometry';
import { movingLeg, sampleLeg, standingLeg, type Sample } from './leg';
import { nextVehicleLeg, type Vehicle } from './vehicle';
import { nextWalkerLeg, type Walker } from './walker';

export type Mover = Walker | Vehicle;

/** Where the mover is at `t`; times must not go backwards for one mover. */
export function advance(m: Mover, t: number, rand: Rand): Sample {
  while (t >= m.leg.until) m.leg = m.kind === 'walker' ? nextWalkerLeg(m, m.leg.until, rand) : nextVehicleLeg(m, m.leg.until, rand);
  return sampleLeg(m.leg, t);
}

/** Which units walk and which drive: people on foot in a grid; teams and officers in vehicles. */
export function moverKind(kind: string, isTeam: boolean): Mover['kind'] | null {
  if (isTeam) return 'vehicle';
  if (kind === 'gridder' || kind === 'volunteer' || kind === 'mediator') return 'walker';
  if (kind === 'police' || kind === 'enforcement' || kind === 'market' || kind === 'fire' || kind === 'emergency') return 'vehicle';
  return null;
}

/** A dispatched unit waits at the scene until it is cleared (then `release` sends it back to patrol). */
const ON_SCENE_HOLD_MS = 3 * 3600_000;

/**
 * Sends a simulated unit straight to a dispatch's scene at `speed` (S12: the wall's line shortens
 * as it closes in); it stands there until released.
 */
export function steer(m: Mover, t: number, to: LonLat, speed: number, rand: Rand): void {
  const here = advance(m, t, rand).at;
  m.leg = movingLeg(here, to, t, speed, ON_SCENE_HOLD_MS);
}

/** Ends a dispatch's hold: the unit's next leg is its own patrol again, from where it stands. */
export function release(m: Mover, t: number, rand: Rand): void {
  const here = advance(m, t, rand).at;
  m.leg = standingLeg(here, t, 0, m.leg.heading);
}
