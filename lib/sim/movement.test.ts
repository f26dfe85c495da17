import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { insideArea, metres, segmentInside } from './geometry';
import { advance, release, steer, type Mover } from './mover';
import { createVehicle, DRIVE } from './vehicle';
import { createWalker, WALK } from './walker';
import { pointsInside, STATION, U_GRID, VILLAGES } from './fixtures';

const T0 = Date.UTC(2026, 4, 6, 2, 0, 0);
const EPS = 1e-6;

/** Samples a mover at random intervals, as irregular reports would. */
function track(m: Mover, steps: number, seed: number) {
  const rand = seededRandom(seed);
  const stepRand = seededRandom(seed + 1);
  const out = [];
  for (let i = 0, t = T0; i < steps; i++, t += 200 + stepRand() * 9_800) out.push({ t, ...advance(m, t, rand) });
  return out;
}

describe('walkers (gridders, volunteers, mediators)', () => {
  const waypoints = pointsInside(U_GRID, 16, seededRandom(1));

  it('the fixture can catch a walk across the notch: some waypoint pairs are not mutually visible', () => {
    const blocked = waypoints.flatMap((a) => waypoints.filter((b) => a !== b && !segmentInside(U_GRID, a, b)));
    expect(blocked.length).toBeGreaterThan(0);
  });

  it('never leave their grid polygon, even a non-convex one, over many steps', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { walker } = createWalker(U_GRID, waypoints, T0, seededRandom(seed));
      const outside = track(walker, 2_000, seed * 7).filter((s) => !insideArea(U_GRID, s.at));
      expect(outside.map((s) => `walker ${seed} at ${s.at} (${s.t})`)).toEqual([]);
    }
  });

  it('walk at walking pace and report it, and do get around', () => {
    const { walker } = createWalker(U_GRID, waypoints, T0, seededRandom(3));
    const s = track(walker, 5_000, 11);
    let moving = 0;
    let travelled = 0;
    let fastest = 0;
    const badReports: string[] = [];
    for (let i = 1; i < s.length; i++) {
      const d = metres(s[i - 1].at, s[i].at);
      travelled += d;
      fastest = Math.max(fastest, d / ((s[i].t - s[i - 1].t) / 1000));
      if (s[i].speed > 0) {
        moving += 1;
        if (s[i].speed < WALK.minSpeed || s[i].speed > WALK.maxSpeed || !(s[i].heading >= 0 && s[i].heading < 360))
          badReports.push(`${s[i].speed} m/s heading ${s[i].heading}`);
      }
    }
    expect(fastest).toBeLessThanOrEqual(WALK.maxSpeed + EPS);
    expect(fastest).toBeGreaterThan(WALK.minSpeed - EPS);
    expect(badReports).toEqual([]);
    expect(moving / s.length).toBeGreaterThan(0.2);
    expect(travelled).toBeGreaterThan(5_000);
  });

  it('resume from their last position when it is inside the grid, and not when it is outside', () => {
    const inside = waypoints[0];
    expect(createWalker(U_GRID, waypoints, T0, seededRandom(1), inside).resumed).toBe(true);
    const r = createWalker(U_GRID, waypoints, T0, seededRandom(1), VILLAGES[0]);
    expect(r.resumed).toBe(false);
    expect(insideArea(U_GRID, r.walker.leg.to)).toBe(true);
  });
});

describe('vehicles (teams, police, enforcement, market officers)', () => {
  it('drive at road speed between their station and its villages, with pauses', () => {
    const v = createVehicle(STATION, VILLAGES, T0, seededRandom(5));
    const s = track(v, 20_000, 13);
    const visited = new Set<string>();
    let paused = 0;
    let fastest = 0;
    const badReports: number[] = [];
    for (let i = 1; i < s.length; i++) {
      fastest = Math.max(fastest, metres(s[i - 1].at, s[i].at) / ((s[i].t - s[i - 1].t) / 1000));
      if (s[i].speed === 0) {
        paused += 1;
        visited.add(s[i].at.join());
      } else if (s[i].speed < DRIVE.minSpeed || s[i].speed > DRIVE.maxSpeed) badReports.push(s[i].speed);
    }
    expect(fastest).toBeLessThanOrEqual(DRIVE.maxSpeed + EPS);
    expect(fastest).toBeGreaterThan(DRIVE.minSpeed);
    expect(badReports).toEqual([]);
    for (const p of [STATION, ...VILLAGES]) expect(visited.has(p.join()), `stops at ${p}`).toBe(true);
    expect(paused / s.length).toBeGreaterThan(0.2);
    expect(paused / s.length).toBeLessThan(0.9);
  });
});

describe('a dispatched unit (issue 5, S12)', () => {
  it('goes straight to the scene at the given speed, stands there, and patrols again once released', () => {
    const rand = seededRandom(7);
    const v = createVehicle(STATION, VILLAGES, T0, rand);
    const scene = VILLAGES[VILLAGES.length - 1];
    const from = advance(v, T0 + 1000, rand).at;
    steer(v, T0 + 1000, scene, 11, rand);
    const trip = (metres(from, scene) / 11) * 1000;
    const halfway = advance(v, T0 + 1000 + trip / 2, rand);
    expect(halfway.speed).toBe(11);
    expect(metres(halfway.at, scene)).toBeCloseTo(metres(from, scene) / 2, 0);
    // Hours later it is still on scene: nothing moves it until it is cleared.
    expect(metres(advance(v, T0 + 1000 + trip + 2 * 3600_000, rand).at, scene)).toBeLessThan(EPS);
    const cleared = T0 + 1000 + trip + 2 * 3600_000 + 1;
    release(v, cleared, rand);
    const next = advance(v, cleared + 1, rand);
    expect(v.leg.start).toBeGreaterThanOrEqual(cleared);
    expect(metres(v.leg.from, scene)).toBeLessThan(EPS);
    expect(next.speed === 0 || next.speed >= DRIVE.minSpeed).toBe(true);
  });
});
