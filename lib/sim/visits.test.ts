import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { metres } from './geometry';
import { advance } from './mover';
import { createWalker, VISIT_MS } from './walker';
import { pointsInside, U_GRID } from './fixtures';

const T0 = Date.UTC(2026, 4, 6, 2, 0, 0);

/** The longest time, in ms, a walker sampled every 30 s stays within `r` metres of `p`. */
function longestStay(samples: { t: number; at: readonly [number, number] }[], p: readonly [number, number], r: number): number {
  let best = 0;
  let since: number | null = null;
  for (const s of samples) {
    if (metres(s.at as [number, number], p as [number, number]) <= r) {
      since ??= s.t;
      best = Math.max(best, s.t - since);
    } else since = null;
  }
  return best;
}

describe('walkers visit their grid’s key places and persons (issue 12 demo, S3)', () => {
  const waypoints = pointsInside(U_GRID, 16, seededRandom(1));
  const [visit] = pointsInside(U_GRID, 1, seededRandom(99));

  it('linger 11–15 minutes at a key place now and then, long enough to count as a visit', () => {
    const rand = seededRandom(5);
    const { walker } = createWalker(U_GRID, waypoints, T0, rand, undefined, [visit]);
    const samples = [];
    // Two working days, a fix every 30 s.
    for (let t = T0; t < T0 + 16 * 3600_000; t += 30_000) samples.push({ t, at: advance(walker, t, rand).at });
    expect(longestStay(samples, visit, 20)).toBeGreaterThanOrEqual(10 * 60_000);
    expect(longestStay(samples, visit, 20)).toBeLessThanOrEqual(VISIT_MS.max + 30_000);
  });

  it('never walk out of their grid to visit a point outside it (here: in the U’s notch)', () => {
    const { walker } = createWalker(U_GRID, waypoints, T0, seededRandom(7), undefined, [[120.305, 30.776], visit]);
    expect(walker.visits).toEqual([visit]);
  });
});
