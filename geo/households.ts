/**
 * Demo household figures. They only need to be plausible and internally
 * consistent (parents are exact sums of children), so they are synthesised.
 *
 * Why grids hold ~120–250 households rather than the 300–500 of Zhejiang's
 * rural 全科网格 guideline: Nanxun has ~480,000 residents (~165,500
 * households at 2.9 persons/household) spread over 261 villages, and every
 * village must have ≥3 grids, so the average grid cannot exceed ~211
 * households without inflating the district's population beyond reality.
 */
import { rngFor, uniform } from './prng';
import type { VillageRecord } from './sources';

export const DISTRICT_POPULATION = 480_000;
export const PERSONS_PER_HOUSEHOLD = 2.9;
export const MIN_GRIDS = 3;
export const MAX_GRIDS = 5;
/** Households per grid used to pick 3–5 grids; bigger villages get more grids. */
const HOUSEHOLDS_PER_GRID_HINT = 170;

export const populationOf = (households: number): number => Math.round(households * PERSONS_PER_HOUSEHOLD);

/** Largest-remainder rounding: integer parts that sum exactly to `total`. */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0, rest = total - out.reduce((a, b) => a + b, 0); j < rest; j++) out[order[j][1]]++;
  return out;
}

/** village code → households of each of its grids (length = grid count). */
export function planGridHouseholds(villages: VillageRecord[]): Map<string, number[]> {
  const total = Math.round(DISTRICT_POPULATION / PERSONS_PER_HOUSEHOLD);
  // Residents' committees cover denser town-seat neighbourhoods.
  const weights = villages.map((v) => (v.isCommunity ? 1.4 : 1) * uniform(rngFor(`households:${v.code}`), 0.7, 1.3));
  const perVillage = apportion(total, weights);
  const plan = new Map<string, number[]>();
  villages.forEach((v, i) => {
    const rng = rngFor(`grids:${v.code}`);
    const n = Math.min(MAX_GRIDS, Math.max(MIN_GRIDS, Math.round(perVillage[i] / HOUSEHOLDS_PER_GRID_HINT)));
    plan.set(v.code, apportion(perVillage[i], Array.from({ length: n }, () => uniform(rng, 0.8, 1.2))));
  });
  return plan;
}
