import type { WarningSettings } from '../contracts/warnings';

/**
 * The district's warning thresholds until an administrator changes them (migration 018 holds the
 * same values in its one row). α and q of 0.05 bound a run's false-alarm chance per method at
 * about 5 % when nothing is happening (README "## 预警（S9）").
 */
export const DEFAULT_WARNING_SETTINGS: WarningSettings = {
  everyMinutes: 15,
  hotspotDays: 90,
  hotspotStep: 'day',
  hotspotAlpha: 0.05,
  surgeDays: 7,
  surgeBaselineWeeks: 12,
  surgeQ: 0.05,
  surgeMinCount: 5,
  placeRadiusM: 200,
  placeDays: 30,
  placeYellow: 3,
  placeOrange: 6,
  placeRed: 10,
};
