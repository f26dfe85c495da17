import { describe, expect, it } from 'vitest';
import type { PositionV1 } from '../contracts/live';
import { validatePositions, type Fix } from '../live/validate';
import { seededRandom } from '../random';
import { dueReports, hold, JITTER, plausibleAfter, startCadence, type Cadence } from './cadence';
import { advance, type Mover } from './mover';
import { createVehicle } from './vehicle';
import { createWalker } from './walker';
import { pointsInside, STATION, U_GRID, VILLAGES } from './fixtures';

const T0 = Date.UTC(2026, 4, 6, 2, 0, 0);
const PERIOD = 5_000;
const SLICE = 250;

describe('report cadence', () => {
  const rand = seededRandom(9);
  const units = Array.from({ length: 500 }, () => ({ c: startCadence(T0, PERIOD, rand), times: [] as number[] }));
  for (let now = T0; now <= T0 + 2 * 3600_000; now += SLICE) for (const u of units) u.times.push(...dueReports(u.c, now, PERIOD, rand));

  it('spreads units over the period instead of reporting all at one instant', () => {
    const firstSlices = new Set(units.map((u) => Math.floor((u.times[0] - T0) / SLICE)));
    expect(firstSlices.size).toBeGreaterThan(0.8 * (PERIOD / SLICE));
  });

  it('reports every period ± jitter, apart from phones going quiet', () => {
    const gaps = units.flatMap((u) => u.times.slice(1).map((t, i) => t - u.times[i]));
    const regular = gaps.filter((g) => g <= PERIOD * (1 + JITTER));
    expect(regular.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(Math.floor(PERIOD * (1 - JITTER)));
    expect(regular.length / gaps.length).toBeGreaterThan(0.99);
    const quiet = gaps.filter((g) => g > 3 * 60_000);
    expect(quiet.length).toBeGreaterThan(20);
    expect(gaps.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(20 * 60_000 + 2 * PERIOD);
  });

  it('has a few units quiet at any moment, not none and not many', () => {
    for (const at of [T0 + 30 * 60_000, T0 + 90 * 60_000]) {
      const stale = units.filter((u) => !u.times.some((t) => t <= at && t > at - 2 * PERIOD)).length / units.length;
      expect(stale).toBeGreaterThan(0.01);
      expect(stale).toBeLessThan(0.12);
    }
  });

  it('holds a unit silent, a shorter hold never cutting a longer one short, then lets it report again', () => {
    const c: Cadence = { next: T0, quietFrom: T0 + 3600_000, quietUntil: T0 + 3700_000, holdUntil: 0 };
    hold(c, T0 + 60_000);
    hold(c, T0 + 1_000);
    const r = seededRandom(1);
    expect(dueReports(c, T0 + 59_000, PERIOD, r)).toEqual([]);
    expect(dueReports(c, T0 + 66_000, PERIOD, r).length).toBeGreaterThan(0);
  });
});

describe('the simulated feed passes the live contract', () => {
  it('produces zero rejections from lib/live/validate over half an hour of 300 units, and no jump after a restart', () => {
    const rand = seededRandom(21);
    const waypoints = pointsInside(U_GRID, 16, rand);
    const units: { code: string; m: Mover; c: Cadence }[] = [];
    for (let i = 0; i < 300; i++) {
      const m = i % 3 === 0 ? createVehicle(STATION, VILLAGES, T0, rand) : createWalker(U_GRID, waypoints, T0, rand).walker;
      units.push({ code: `U-${i}`, m, c: startCadence(T0, PERIOD, rand) });
    }
    const ids = new Map(units.map((u, i) => [u.code, i]));
    const last = new Map<number, Fix>();
    const area = { minLon: 120.1, minLat: 30.5, maxLon: 120.7, maxLat: 31.0 };
    let accepted = 0;
    const check = (now: number) => {
      const batch: PositionV1[] = [];
      for (const u of units)
        for (const t of dueReports(u.c, now, PERIOD, rand)) {
          const s = advance(u.m, t, rand);
          batch.push({ unit: u.code, t, lon: s.at[0], lat: s.at[1], speed: s.speed, heading: s.heading });
        }
      const r = validatePositions(batch, { now, area, unitId: (c) => ids.get(c), lastFix: (id) => last.get(id) });
      expect(r.rejected).toEqual([]);
      for (const a of r.accepted) if (a.latest) last.set(a.unitId, a);
      accepted += r.accepted.length;
    };
    for (let now = T0; now < T0 + 30 * 60_000; now += SLICE) check(now);
    expect(accepted).toBeGreaterThan(300 * 300);

    // A restart places every unit afresh; held until the move is plausible, none is an impossible jump.
    const t1 = T0 + 30 * 60_000 + 2_000;
    for (const [i, u] of units.entries()) {
      u.m = createVehicle(VILLAGES[i % VILLAGES.length], [], t1, rand);
      u.c = startCadence(t1, PERIOD, rand);
      const prev = last.get(i);
      if (prev) hold(u.c, plausibleAfter(prev, u.m.leg.to));
    }
    for (let now = t1; now < t1 + 15 * 60_000; now += SLICE) check(now);
  });
});
