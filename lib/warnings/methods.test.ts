import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { classify } from './emerging';
import { giStar } from './gistar';
import { hotspotLevel, placeLevel, placeScore, surgeLevel } from './levels';
import { mannKendall } from './mann-kendall';
import { benjaminiHochberg, binomialUpper, normalUpper, pText, twoSidedP } from './stats';
import { surgeText } from './surge';
import { lattice } from './synthetic';

describe('distributions', () => {
  it('normal tail matches tables, far tail included', () => {
    expect(normalUpper(1.959964)).toBeCloseTo(0.025, 6);
    expect(twoSidedP(2.575829)).toBeCloseTo(0.01, 6);
    expect(normalUpper(5) / 2.866516e-7).toBeCloseTo(1, 5);
    expect(normalUpper(-1)).toBeCloseTo(0.841345, 6);
  });

  it('binomial tail equals the sum of the pmf', () => {
    const choose = (n: number, k: number) => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };
    for (const [k, n, pi] of [[3, 10, 0.2], [7, 20, 1 / 13], [0, 5, 0.5], [12, 12, 0.3], [40, 60, 0.5]] as const) {
      let want = 0;
      for (let i = k; i <= n; i++) want += choose(n, i) * pi ** i * (1 - pi) ** (n - i);
      expect(binomialUpper(k, n, pi)).toBeCloseTo(want, 12);
    }
    expect(binomialUpper(11, 10, 0.5)).toBe(0);
  });

  it('Benjamini–Hochberg keeps the largest rank under the line and everything below it', () => {
    // m = 5, q = 0.05: lines 0.01, 0.02, 0.03, 0.04, 0.05; rank 3 (0.029) is the largest under its line.
    expect(benjaminiHochberg([0.029, 0.001, 0.5, 0.04 + 0.0001, 0.019], 0.05)).toEqual([true, true, false, false, true]);
    expect(benjaminiHochberg([0.2, 0.3], 0.05)).toEqual([false, false]);
  });

  it('writes p as the explanation does', () => {
    expect(pText(0.004)).toBe('p<0.01');
    expect(pText(0.00002)).toBe('p<0.0001');
    expect(pText(0.034)).toBe('p=0.03');
    expect(surgeText({ recent: 12, perWeek: 3.08, p: 0.003 }, 7)).toBe('近7天 12 起，基线 3.1 起/周，显著性 p<0.01');
  });
});

describe('Mann-Kendall', () => {
  it('computes S, the tie-corrected variance and z by hand', () => {
    const up = mannKendall([1, 2, 3, 4, 5]);
    expect(up.s).toBe(10);
    expect(up.variance).toBeCloseTo((5 * 4 * 15) / 18, 10);
    expect(up.z).toBeCloseTo(9 / Math.sqrt(50 / 3), 10);
    const ties = mannKendall([1, 1, 2]);
    expect(ties.s).toBe(2);
    expect(ties.variance).toBeCloseTo((3 * 2 * 11 - 2 * 1 * 9) / 18, 10);
    expect(mannKendall([3, 3, 3]).p).toBe(1);
    expect(mannKendall([5, 4, 3, 2, 1, 0, -1, -2, -3, -4]).z).toBeLessThan(-3);
  });
});

describe('Gi* over a space-time cube', () => {
  it('equals the formula computed bin by bin with explicit neighbour sets', () => {
    const rand = seededRandom(7);
    const side = 4;
    const T = 6;
    const adjacent = lattice(side);
    const L = side * side;
    const counts = Float64Array.from({ length: L * T }, () => Math.floor(rand() * 6));
    const { z } = giStar({ locations: L, steps: T, counts, adjacent }, 1);
    const n = L * T;
    const mean = counts.reduce((a, b) => a + b, 0) / n;
    const s = Math.sqrt(counts.reduce((a, b) => a + b * b, 0) / n - mean * mean);
    for (let i = 0; i < L; i++)
      for (let t = 0; t < T; t++) {
        const nb: number[] = [];
        for (const j of [i, ...adjacent[i]]) for (let u = Math.max(0, t - 1); u <= t; u++) nb.push(counts[j * T + u]);
        const w = nb.length;
        const want = (nb.reduce((a, b) => a + b, 0) - mean * w) / (s * Math.sqrt((n * w - w * w) / (n - 1)));
        expect(z[i * T + t]).toBeCloseTo(want, 10);
      }
  });

  it('gives 0 everywhere on a constant cube', () => {
    const { z, p } = giStar({ locations: 4, steps: 3, counts: new Float64Array(12).fill(2), adjacent: lattice(2) });
    expect([...z].every((v) => v === 0)).toBe(true);
    expect([...p].every((v) => v === 1)).toBe(true);
  });
});

describe('Emerging Hot Spot classes (ArcGIS definitions)', () => {
  const series = (hot: string, cold = '') => ({ hot: [...hot].map((c) => c === 'H'), cold: [...hot].map((_, i) => cold[i] === 'C') });
  const flat = { z: 0, p: 1 };
  const up = { z: 3, p: 0.003 };
  const down = { z: -3, p: 0.003 };
  const ten = (s: string) => s;
  it('classes a location by its significant hot and cold steps and its trend', () => {
    expect(classify(series(ten('.........H')), flat)).toBe('new');
    expect(classify(series(ten('.......HHH')), flat)).toBe('consecutive');
    expect(classify(series(ten('HHHHHHHHHH')), up)).toBe('intensifying');
    expect(classify(series(ten('HHHH.HHHHH')), flat)).toBe('persistent');
    expect(classify(series(ten('HHHHHHHHHH')), down)).toBe('diminishing');
    expect(classify(series(ten('..H..H...H')), flat)).toBe('sporadic');
    expect(classify(series(ten('..H..H...H'), '.C........'), flat)).toBe('oscillating');
    expect(classify(series(ten('.....C...H'), '.....C....'), flat)).toBe('oscillating');
    expect(classify(series(ten('HHHHHHHHHH.')), flat)).toBe('historical');
    // Hot once, not now, < 90 %: no hot-spot pattern; never hot: nothing.
    expect(classify(series(ten('..HH......')), flat)).toBeNull();
    expect(classify(series(ten('..........')), flat)).toBeNull();
  });

  it('levels follow the documented table', () => {
    expect(hotspotLevel('intensifying', 3)).toBe('red');
    expect(hotspotLevel('persistent', 3)).toBe('orange');
    expect(hotspotLevel('new', 6)).toBe('orange');
    expect(hotspotLevel('new', 4)).toBe('yellow');
    expect(hotspotLevel('consecutive', 9)).toBe('yellow');
    for (const c of ['sporadic', 'oscillating', 'diminishing', 'historical'] as const) expect(hotspotLevel(c, 9)).toBe('blue');
    expect(surgeLevel(0.00001, 5)).toBe('red');
    expect(surgeLevel(0.00001, 3.5)).toBe('orange');
    expect(surgeLevel(0.005, 2)).toBe('yellow');
    expect(surgeLevel(0.02, 9)).toBe('blue');
    const s = { placeYellow: 3, placeOrange: 6, placeRed: 10 };
    expect(placeLevel(placeScore('major', 4), s)).toBe('red');
    expect(placeLevel(placeScore('high', 3), s)).toBe('orange');
    expect(placeLevel(placeScore('low', 4), s)).toBeNull();
  });
});
