import { twoSidedP } from './stats';

export interface MannKendall {
  /** S = Σ_{i<j} sign(x_j − x_i). */
  s: number;
  /** Var(S), corrected for ties. */
  variance: number;
  /** Continuity-corrected z: (S − 1)/√Var for S > 0, (S + 1)/√Var for S < 0, else 0. */
  z: number;
  /** Two-sided p. */
  p: number;
}

/**
 * Mann-Kendall trend test of a series (ArcGIS applies it to each location's Gi* z over time):
 *   Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18, over groups g of t_g equal values.
 * O(n²), n being the number of time steps (≤ 365).
 */
export function mannKendall(x: ArrayLike<number>): MannKendall {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += Math.sign(x[j] - x[i]);
  const groups = new Map<number, number>();
  for (let i = 0; i < n; i++) groups.set(x[i], (groups.get(x[i]) ?? 0) + 1);
  let ties = 0;
  for (const t of groups.values()) if (t > 1) ties += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = variance <= 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { s, variance, z, p: variance <= 0 ? 1 : twoSidedP(z) };
}
