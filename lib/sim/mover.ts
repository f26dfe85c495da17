import type { Rand } from './draw';
import { sampleLeg, type Sample } from './leg';
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
