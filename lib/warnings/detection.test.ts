import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { emergingHotspots } from './emerging';
import { surges, type SurgeCell } from './surge';
import { cubeOf, lattice, poisson, type Plant } from './synthetic';

/*
 * Detection on synthetic data (issue 13 acceptance): every planted effect found with its class,
 * and on data with nothing planted at most the documented false-alarm rate. Seeded, so a run is
 * the same every time; the seeds were not chosen (1…5, 100…139, 1000…1039).
 */

/** Runs with any alarm allowed among `runs` null runs at rate `rate`: P(more) < 1 % (binomial). */
function allowedAlarms(runs: number, rate: number): number {
  let cdf = 0;
  for (let x = 0; x <= runs; x++) {
    let c = 1;
    for (let i = 1; i <= x; i++) c = (c * (runs - x + i)) / i;
    cdf += c * rate ** x * (1 - rate) ** (runs - x);
    if (cdf >= 0.99) return x;
  }
  return runs;
}

const SIDE = 24;
const STEPS = 90;
const BASE = 1;
const at = (r: number, c: number) => r * SIDE + c;
/** One of each class ArcGIS names (oscillating needs a significant cold spot, which counts of ~1 a day cannot give: methods.test.ts covers it). */
const PLANTS: Plant[] = [
  { location: at(3, 3), expect: 'new', rate: (t, T) => (t === T - 1 ? 60 : BASE) },
  { location: at(3, 12), expect: 'consecutive', rate: (t, T) => (t >= T - 4 ? 30 : BASE) },
  { location: at(3, 20), expect: 'intensifying', rate: (t) => 14 + 0.2 * t },
  { location: at(12, 3), expect: 'persistent', rate: () => 20 },
  { location: at(12, 12), expect: 'diminishing', rate: (t) => 36 - 0.2 * t },
  { location: at(12, 20), expect: 'sporadic', rate: (t, T) => (t % 15 >= 11 || t === T - 1 ? 30 : BASE) },
  { location: at(20, 3), expect: 'historical', rate: (t, T) => (t < T - 4 ? 20 : BASE) },
];

describe('emerging hot spots on a 24×24 lattice over 90 days (Poisson, 1 event a day a cell)', () => {
  it('finds every planted hot spot with its class, and nothing away from them', () => {
    const adjacent = lattice(SIDE);
    const near = new Set(PLANTS.flatMap((p) => [p.location, ...adjacent[p.location]]));
    for (let seed = 1; seed <= 5; seed++) {
      const found = emergingHotspots(cubeOf(seededRandom(seed), SIDE, STEPS, BASE, PLANTS), 0.05);
      const classOf = new Map(found.map((f) => [f.location, f.class]));
      expect(Object.fromEntries(PLANTS.map((p) => [p.expect, classOf.get(p.location)])), `seed ${seed}`).toEqual(
        Object.fromEntries(PLANTS.map((p) => [p.expect, p.expect])),
      );
      // A neighbour of a planted cell shares its neighbourhood (that is what Gi* measures); anything further is a false alarm.
      expect(found.filter((f) => !near.has(f.location)).map((f) => f.location), `seed ${seed}`).toEqual([]);
    }
  });

  it('with nothing planted raises an alarm in at most α = 5 % of runs (40 runs)', () => {
    let runs = 0;
    for (let seed = 100; seed < 140; seed++) if (emergingHotspots(cubeOf(seededRandom(seed), SIDE, STEPS, BASE, []), 0.05).length) runs++;
    expect(runs).toBeLessThanOrEqual(allowedAlarms(40, 0.05));
  });
});

/** 2,000 grid × category cells, each at its own steady weekly rate, 12 weeks of baseline and a 7-day window. */
function surgeData(seed: number, planted: readonly number[], scale = 1): SurgeCell<number>[] {
  const rand = seededRandom(seed);
  return Array.from({ length: 2000 }, (_, i) => {
    const perWeek = scale * (0.2 + 2 * rand());
    const recent = poisson(rand, planted.includes(i) ? perWeek * 6 + 10 : perWeek);
    return { key: i, recent, baseline: poisson(rand, perWeek * 12) };
  });
}
const PARAMS = { windowDays: 7, baselineWeeks: 12, q: 0.05, minCount: 5 };

describe('high-frequency cells', () => {
  it('finds every planted surge (6× the cell’s rate plus 10 events)', () => {
    const planted = [3, 250, 999, 1500, 1999];
    for (let seed = 1; seed <= 5; seed++) {
      const found = surges(surgeData(seed, planted), PARAMS).map((s) => s.key);
      expect(planted.filter((k) => !found.includes(k)), `seed ${seed}`).toEqual([]);
      expect(found.filter((k) => !planted.includes(k)).length, `seed ${seed}`).toBeLessThanOrEqual(1);
    }
  });

  it('with nothing planted raises an alarm in at most q = 5 % of runs, at low and high rates (40 runs each)', () => {
    for (const scale of [0.3, 1, 3, 10]) {
      let runs = 0;
      for (let seed = 1000; seed < 1040; seed++) if (surges(surgeData(seed, [], scale), PARAMS).length) runs++;
      expect(runs, `rate scale ${scale}`).toBeLessThanOrEqual(allowedAlarms(40, 0.05));
    }
  });

  it('explains a surge with its window, baseline with the prior, and p', () => {
    const [s] = surges([{ key: 'a', recent: 12, baseline: 4 }, ...Array.from({ length: 20 }, (_, i) => ({ key: `n${i}`, recent: 1, baseline: 12 }))], PARAMS);
    expect(s.key).toBe('a');
    expect(s.perWeek).toBeCloseTo(4.5 / 12, 10);
    expect(s.ratio).toBeCloseTo(12 / (4.5 / 12), 10);
    expect(s.p).toBeLessThan(1e-6);
  });
});
