import type { HotspotClass, WarningLevel, WarningSettings } from '../contracts/warnings';

/** Gi* z of the last step from which a new hot spot is orange rather than yellow (far beyond any FDR threshold). */
export const NEW_HOTSPOT_HIGH_Z = 5;

/**
 * Levels (蓝/黄/橙/红) of an emerging hot spot, by what it asks of the station:
 * - 红 intensifying: hot most of the time and getting worse — act now;
 * - 橙 persistent, and a new hot spot with z ≥ 5 (a burst far beyond chance);
 * - 黄 new, consecutive: it has just appeared;
 * - 蓝 sporadic, oscillating, diminishing, historical: watch, it comes and goes or is easing.
 */
export function hotspotLevel(cls: HotspotClass, zNow: number): WarningLevel {
  switch (cls) {
    case 'intensifying':
      return 'red';
    case 'persistent':
      return 'orange';
    case 'new':
      return zNow >= NEW_HOTSPOT_HIGH_Z ? 'orange' : 'yellow';
    case 'consecutive':
      return 'yellow';
    default:
      return 'blue';
  }
}

/**
 * Levels of a high-frequency cell or a rising need, by both how unlikely (p) and how large (ratio of
 * the window's count to its expectation) the rise is — a tiny p on a large cell can be a small rise:
 * 红 p < 0.0001 and ≥ 4×; 橙 p < 0.001 and ≥ 3×; 黄 p < 0.01 and ≥ 2×; otherwise 蓝.
 */
export function surgeLevel(p: number, ratio: number): WarningLevel {
  if (p < 0.0001 && ratio >= 4) return 'red';
  if (p < 0.001 && ratio >= 3) return 'orange';
  if (p < 0.01 && ratio >= 2) return 'yellow';
  return 'blue';
}

/** Weight of a key place's risk level in its score. */
export const RISK_WEIGHT: Record<'low' | 'medium' | 'high' | 'major', number> = { low: 0.5, medium: 1, high: 2, major: 3 };

/**
 * High-risk place score: risk weight × incidents within placeRadiusM over placeDays. A major-risk
 * place with 4 incidents scores 12, a low one with 4 scores 2. Levels from the admin's thresholds;
 * below placeYellow no warning.
 */
export function placeScore(risk: keyof typeof RISK_WEIGHT, incidents: number): number {
  return RISK_WEIGHT[risk] * incidents;
}

export function placeLevel(score: number, s: Pick<WarningSettings, 'placeYellow' | 'placeOrange' | 'placeRed'>): WarningLevel | null {
  if (score >= s.placeRed) return 'red';
  if (score >= s.placeOrange) return 'orange';
  if (score >= s.placeYellow) return 'yellow';
  return null;
}
