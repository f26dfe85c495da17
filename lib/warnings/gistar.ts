import { twoSidedP } from './stats';

/**
 * A space-time cube: `counts[i * steps + t]` is the count of location i in time step t (oldest
 * first), and `adjacent[i]` the locations touching location i (not i itself).
 */
export interface Cube {
  locations: number;
  steps: number;
  counts: Float64Array;
  adjacent: readonly (readonly number[])[];
}

export interface GiStar {
  /** z of each bin, same layout as the cube's counts. */
  z: Float64Array;
  /** Two-sided p of each bin. */
  p: Float64Array;
}

/**
 * Getis-Ord Gi* of every bin of a space-time cube, as ArcGIS's Emerging Hot Spot Analysis
 * computes it: the neighbourhood of bin (i, t) is location i and its adjacent locations, in step t
 * and the `timeLag` steps before it (the "neighborhood time step", 1 by default), binary weights,
 * the bin itself included (the star). With n bins, the cube's mean x̄ and standard deviation S
 * (population form, as PySAL's G_Local star) and W the neighbourhood's size:
 *
 *   Gi* = (Σ_j x_j − x̄·W) / (S · √((n·W − W²) / (n − 1)))
 *
 * Binary weights make Σw² = Σw = W. A bin at the cube's start has fewer earlier steps, so a
 * smaller W — the formula holds for any W. Cost: O(n · (1 + mean degree)) — sums over space
 * first, then a running sum over time.
 */
export function giStar(cube: Cube, timeLag = 1): GiStar {
  const { locations: L, steps: T, counts, adjacent } = cube;
  const n = L * T;
  const z = new Float64Array(n);
  const p = new Float64Array(n).fill(1);
  if (n < 2) return { z, p };
  let sum = 0;
  let sumSq = 0;
  for (let k = 0; k < n; k++) {
    sum += counts[k];
    sumSq += counts[k] * counts[k];
  }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  if (s === 0) return { z, p };
  const spatial = new Float64Array(T);
  for (let i = 0; i < L; i++) {
    const base = i * T;
    for (let t = 0; t < T; t++) spatial[t] = counts[base + t];
    for (const j of adjacent[i]) for (let t = 0; t < T; t++) spatial[t] += counts[j * T + t];
    const ns = 1 + adjacent[i].length;
    let run = 0;
    for (let t = 0; t < T; t++) {
      run += spatial[t];
      if (t > timeLag) run -= spatial[t - timeLag - 1];
      const w = ns * (Math.min(t, timeLag) + 1);
      const denom = s * Math.sqrt((n * w - w * w) / (n - 1));
      const g = denom > 0 ? (run - mean * w) / denom : 0;
      z[base + t] = g;
      p[base + t] = twoSidedP(g);
    }
  }
  return { z, p };
}
