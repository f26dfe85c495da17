
/** Top-level event categories that are hazards for 隐患清 (lib/categories.ts: 安全隐患 and its subcategories). */
export const HAZARD_CATEGORIES: readonly string[] = ['hazard'];

/** A stay is broken by a gap longer than this between fixes near the target: a trace that disappears is not a stay. */
export const STAY_MAX_GAP_S = 180;
/** Two fixes further apart than this are not one patrol segment (the phone was off, or out of signal). */
export const PATROL_MAX_GAP_S = 300;
/** A manual check-in must be made this close to the place or the person's address. */
export const CHECKIN_MAX_M = 200;

/** What counts as a visit, as the administrator sets it (S3). */
export interface CoverageSettings {
  visitMinutes: number;
  visitRadiusM: number;
}
export const DEFAULT_SETTINGS: CoverageSettings = { visitMinutes: 10, visitRadiusM: 50 };
