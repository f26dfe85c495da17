import { distanceM } from '../geo/distance';
import type { UnitKind } from '../units';

/**
 * ETA without a road network: straight-line distance times a detour factor, at the average speed
 * of the unit's kind. The console says so next to every figure.
 */
export const DETOUR_FACTOR = 1.4;

/** Average speeds in m/s: gridders and mediators ride e-bikes, departments drive, volunteers walk. */
export const KIND_SPEED_MPS: Record<UnitKind, number> = {
  gridder: 4.5,
  police: 11,
  enforcement: 10,
  market: 9,
  fire: 12,
  emergency: 11,
  mediator: 4.5,
  volunteer: 1.4,
};
const UNKNOWN_KIND_SPEED = 4;

export interface Candidate {
  unitId: number;
  kind: string;
  lon: number;
  lat: number;
}

export interface Ranked<C extends Candidate> {
  unit: C;
  distanceM: number;
  etaS: number;
}

export function etaSeconds(kind: string, straightM: number): number {
  const speed = KIND_SPEED_MPS[kind as UnitKind] ?? UNKNOWN_KIND_SPEED;
  return Math.round((straightM * DETOUR_FACTOR) / speed);
}

/**
 * Orders units by estimated arrival, nearest first on ties: a patrol car 3 km away reaches the
 * scene before an officer on foot 1 km away, and the deputy chief wants whoever arrives first.
 */
export function rankByEta<C extends Candidate>(units: readonly C[], target: { lon: number; lat: number }): Ranked<C>[] {
  return units
    .map((unit) => {
      const d = distanceM(unit.lon, unit.lat, target.lon, target.lat);
      return { unit, distanceM: Math.round(d), etaS: etaSeconds(unit.kind, d) };
    })
    .sort((a, b) => a.etaS - b.etaS || a.distanceM - b.distanceM || a.unit.unitId - b.unit.unitId);
}

/** "3.2 公里 · 约 6 分钟" */
export function formatEta(distance: number, etaS: number): string {
  const d = distance < 1000 ? `${distance} 米` : `${(distance / 1000).toFixed(1)} 公里`;
  const m = Math.max(1, Math.round(etaS / 60));
  return `${d} · 约 ${m} 分钟`;
}
