/**
 * The few distributions the warning methods need, written out so the engine has no dependency and
 * runs air-gapped. Accuracy is what a significance test at 1e-6 needs, not more.
 */

/** erfc by the Chebyshev fit of Numerical Recipes (relative error < 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z, accurate in the far tail (no 1 − Φ cancellation). */
export function normalUpper(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Two-sided p of a z score. */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalUpper(Math.abs(z)));
}

/** ln Γ(x) (Lanczos, g = 7, n = 9): about 15 significant digits for x > 0. */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * One-sided binomial p: P(X ≥ k | n, π), summed upwards from k in log space (each term from the
 * last by the pmf's ratio), so a tiny tail is exact.
 */
export function binomialUpper(k: number, n: number, pi: number): number {
  if (k <= 0) return 1;
  if (k > n || pi <= 0) return 0;
  if (pi >= 1) return 1;
  let term = Math.exp(lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(pi) + (n - k) * Math.log1p(-pi));
  let sum = term;
  const odds = pi / (1 - pi);
  for (let i = k; i < n; i++) {
    term *= ((n - i) / (i + 1)) * odds;
    sum += term;
    if (i > n * pi && term < sum * 1e-15) break;
  }
  return Math.min(1, sum);
}

/**
 * Benjamini–Hochberg: which of `p` are discoveries at false-discovery rate `q` (the largest rank r
 * with p(r) ≤ r·q/m, and every p at or below it). Under the complete null (nothing planted) the
 * FDR equals the chance of any discovery, so q is also the false-alarm rate of a whole run for
 * independent or positively dependent tests (Benjamini & Yekutieli 2001).
 */
export function benjaminiHochberg(p: ArrayLike<number>, q: number): boolean[] {
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let cut = -1;
  for (let r = m - 1; r >= 0; r--) {
    if (p[order[r]] <= ((r + 1) * q) / m) {
      cut = p[order[r]];
      break;
    }
  }
  const out = new Array<boolean>(m).fill(false);
  if (cut < 0) return out;
  for (let i = 0; i < m; i++) out[i] = p[i] <= cut;
  return out;
}

/** A p value as the explanation writes it: "p<0.001", "p=0.03". */
export function pText(p: number): string {
  for (const bound of [0.0001, 0.001, 0.01]) if (p < bound) return `p<${bound}`;
  return `p=${p.toFixed(2)}`;
}
