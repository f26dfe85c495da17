import { bearing, lerp, metres, type LonLat } from './geometry';

/** Straight from `from` to `to` between `start` and `arrive`, then standing at `to` until `until`. */
export interface Leg {
  from: LonLat;
  to: LonLat;
  start: number;
  arrive: number;
  until: number;
  /** m/s while moving. */
  speed: number;
  heading: number;
}

export interface Sample {
  at: LonLat;
  speed: number;
  heading: number;
}

export function standingLeg(at: LonLat, t: number, pauseMs: number, heading = 0): Leg {
  return { from: at, to: at, start: t, arrive: t, until: t + pauseMs, speed: 0, heading };
}

/** Duration follows from the great-circle length, so fix-to-fix speed is what the validator measures. */
export function movingLeg(from: LonLat, to: LonLat, t: number, speed: number, pauseMs: number): Leg {
  const arrive = t + (metres(from, to) / speed) * 1000;
  return { from, to, start: t, arrive, until: arrive + pauseMs, speed, heading: bearing(from, to) };
}

export function sampleLeg(leg: Leg, t: number): Sample {
  if (t >= leg.arrive || leg.arrive <= leg.start) return { at: leg.to, speed: 0, heading: leg.heading };
  const f = Math.max(0, (t - leg.start) / (leg.arrive - leg.start));
  return { at: lerp(leg.from, leg.to, f), speed: leg.speed, heading: leg.heading };
}
