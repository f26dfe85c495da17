import { describe, expect, it } from 'vitest';
import { DETOUR_FACTOR, etaSeconds, formatEta, KIND_SPEED_MPS, rankByEta } from './nearest';

// One degree of latitude is 111.195 km on the mean-radius sphere; points due north of the target.
const target = { lon: 120.4, lat: 30.8 };
const north = (m: number) => target.lat + m / 111_195;

describe('nearest available units (S12)', () => {
  it('orders by estimated arrival: a patrol car farther away beats an officer on foot nearby', () => {
    const units = [
      { unitId: 1, kind: 'volunteer', lon: target.lon, lat: north(1000) },
      { unitId: 2, kind: 'police', lon: target.lon, lat: north(3000) },
      { unitId: 3, kind: 'gridder', lon: target.lon, lat: north(2000) },
    ];
    const ranked = rankByEta(units, target);
    expect(ranked.map((r) => r.unit.unitId)).toEqual([2, 3, 1]);
    expect(ranked[0].distanceM).toBe(3000);
    // 3000 m × 1.4 / 11 m/s = 381.8 s
    expect(ranked[0].etaS).toBe(382);
    expect(ranked[2].etaS).toBe(Math.round((1000 * DETOUR_FACTOR) / KIND_SPEED_MPS.volunteer));
  });

  it('breaks equal arrival times by distance, then by id, so the proposal is stable', () => {
    const units = [
      { unitId: 9, kind: 'police', lon: target.lon, lat: north(500) },
      { unitId: 4, kind: 'police', lon: target.lon, lat: north(500) },
    ];
    expect(rankByEta(units, target).map((r) => r.unit.unitId)).toEqual([4, 9]);
  });

  it('uses a walking-pace guess for a kind it does not know', () => {
    expect(etaSeconds('drone', 1000)).toBe(350);
  });

  it('formats distance and minutes for the console', () => {
    expect(formatEta(850, 100)).toBe('850 米 · 约 2 分钟');
    expect(formatEta(3200, 20)).toBe('3.2 公里 · 约 1 分钟');
  });
});
