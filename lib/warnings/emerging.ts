import type { HotspotClass } from '../contracts/warnings';
import { giStar, type Cube } from './gistar';
import { mannKendall, type MannKendall } from './mann-kendall';
import { benjaminiHochberg } from './stats';

/** Share of steps a location must be hot to count as hot "most of the time" (ArcGIS: 90 percent). */
export const MOST_OF_THE_TIME = 0.9;
/** Significance of the Mann-Kendall trend that makes a steady hot spot intensifying or diminishing. */
export const TREND_ALPHA = 0.05;

export interface LocationSeries {
  /** Significant (after the FDR correction) with z > 0 / z < 0, per step, oldest first. */
  hot: readonly boolean[];
  cold: readonly boolean[];
}

/**
 * ArcGIS's Emerging Hot Spot classes of a location (cold ones are not warned, so they return
 * null, as does a location never hot). `trend` is the Mann-Kendall test of its Gi* z series. In
 * the order checked — the last step is "now":
 *
 * - intensifying: hot in ≥ 90 % of the steps, the last among them, and the trend of z is up (p < 0.05);
 * - diminishing:  hot in ≥ 90 % of the steps, the last among them, and the trend is down (p < 0.05);
 * - persistent:   hot in ≥ 90 % of the steps, the last among them, no significant trend;
 * - historical:   hot in ≥ 90 % of the steps but not in the last one;
 * - oscillating:  hot now, < 90 % of the time, and a significant cold spot at some earlier step
 *                 (checked before new/consecutive: a place that was cold and is now hot swings,
 *                 it has not just appeared);
 * - new:          hot now and never before;
 * - consecutive:  hot in one uninterrupted run of ≥ 2 steps ending now and never before that run;
 * - sporadic:     hot now, on and off before, < 90 % of the time, never cold.
 *
 * A location hot earlier but not now and < 90 % of the time gets no class (ArcGIS leaves it as
 * "no pattern detected" for hot spots).
 */
export function classify(s: LocationSeries, trend: Pick<MannKendall, 'z' | 'p'>): HotspotClass | null {
  const T = s.hot.length;
  if (T === 0) return null;
  const hotCount = s.hot.filter(Boolean).length;
  const now = s.hot[T - 1];
  const most = hotCount >= MOST_OF_THE_TIME * T;
  if (most && now) {
    if (trend.p < TREND_ALPHA && trend.z > 0) return 'intensifying';
    if (trend.p < TREND_ALPHA && trend.z < 0) return 'diminishing';
    return 'persistent';
  }
  if (most) return 'historical';
  if (!now) return null;
  if (s.cold.slice(0, T - 1).some(Boolean)) return 'oscillating';
  let run = 0;
  while (run < T && s.hot[T - 1 - run]) run++;
  if (run === hotCount) return run === 1 ? 'new' : 'consecutive';
  return 'sporadic';
}

export interface EmergingHotspot {
  location: number;
  class: HotspotClass;
  /** Gi* z and p of the last step. */
  zNow: number;
  pNow: number;
  /** Mann-Kendall of the z series. */
  trendZ: number;
  trendP: number;
  /** Steps the location was a significant hot spot, of `steps`. */
  hotSteps: number;
  steps: number;
  /** Length of the run of hot steps ending now (0 when not hot now). */
  run: number;
}

/**
 * The whole analysis: Gi* per bin, significance by Benjamini–Hochberg over all bins at `alpha`
 * (ArcGIS's "apply FDR correction"), Mann-Kendall per location, classes. Only hot locations come back.
 */
export function emergingHotspots(cube: Cube, alpha: number, timeLag = 1): EmergingHotspot[] {
  const { z, p } = giStar(cube, timeLag);
  const significant = benjaminiHochberg(p, alpha);
  const T = cube.steps;
  const out: EmergingHotspot[] = [];
  for (let i = 0; i < cube.locations; i++) {
    const base = i * T;
    let any = false;
    for (let t = 0; t < T && !any; t++) any = significant[base + t] && z[base + t] > 0;
    if (!any) continue;
    const hot = Array.from({ length: T }, (_, t) => significant[base + t] && z[base + t] > 0);
    const cold = Array.from({ length: T }, (_, t) => significant[base + t] && z[base + t] < 0);
    const trend = mannKendall(z.subarray(base, base + T));
    const cls = classify({ hot, cold }, trend);
    if (!cls) continue;
    let run = 0;
    while (run < T && hot[T - 1 - run]) run++;
    out.push({
      location: i, class: cls, zNow: z[base + T - 1], pNow: p[base + T - 1], trendZ: trend.z, trendP: trend.p,
      hotSteps: hot.filter(Boolean).length, steps: T, run,
    });
  }
  return out;
}
