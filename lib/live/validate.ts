import { PositionV1, type RejectReason, type Rejection } from '../contracts/live';
import { contains, distanceM, type Bounds } from '../geo/distance';

export const FUTURE_LIMIT_MS = 60_000;
export const AGE_LIMIT_MS = 24 * 3600_000;
/** No patrol on the ground goes faster than this (180 km/h); a jump beyond it is a bad fix. */
export const MAX_SPEED_MS = 50;
/**
 * The most a fix's claimed accuracy may widen the allowed jump. Phone GNSS in a built-up area is
 * off by 7–13 m on average (Merry & Bettinger 2019, PLOS ONE, doi:10.1371/journal.pone.0219890), so
 * an honest satellite fix gets its full allowance; a claim in the hundreds of metres or more is a
 * cell or Wi-Fi estimate whose displacement says nothing about movement, and an uncapped claim
 * (1e39 in issue 11) would let any jump through.
 */
export const MAX_ACCURACY_ALLOWANCE_M = 200;

/** Shown to operators and device vendors while the database holds no district outline. */
export const NO_GEOGRAPHY = '尚未导入行政区划';

export interface Fix {
  t: number;
  lon: number;
  lat: number;
}

export interface AcceptedPosition extends Fix {
  unitId: number;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
  /** False for a report older than the unit's latest: it goes to history but moves nothing. */
  latest: boolean;
}

export interface ValidationContext {
  now: number;
  /** The district's bounding box plus a margin; null before its outline is imported. */
  area: Bounds | null;
  unitId(code: string): number | undefined;
  lastFix(unitId: number): Fix | undefined;
}

// Sources inside the process (simulator, sockets) can hand over NaN or Infinity, which JSON cannot.
function hasNonFinite(item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  const o = item as Record<string, unknown>;
  return ['lon', 'lat', 't'].some((k) => typeof o[k] === 'number' && !Number.isFinite(o[k]));
}

/**
 * Checks each item on its own: one bad item never drops the good ones beside it.
 * Items of one unit are taken in time order so a batch of buffered fixes checks its own speed.
 */
export function validatePositions(items: readonly unknown[], ctx: ValidationContext): { accepted: AcceptedPosition[]; rejected: Rejection[] } {
  const rejected: Rejection[] = [];
  const parsed: { index: number; p: PositionV1; unitId: number }[] = [];
  const reject = (index: number, reason: RejectReason, message: string) => rejected.push({ index, reason, message });

  items.forEach((item, index) => {
    if (hasNonFinite(item)) return reject(index, 'not_finite', 'lon, lat and t must be finite numbers');
    const r = PositionV1.safeParse(item);
    if (!r.success) {
      const first = r.error.issues[0];
      return reject(index, 'malformed', `${first.path.join('.') || 'item'}: ${first.message}`);
    }
    const p = r.data;
    // Without a district nothing can be checked against it, so nothing is let in.
    if (!ctx.area) return reject(index, 'no_geography', NO_GEOGRAPHY);
    if (!contains(ctx.area, p.lon, p.lat)) return reject(index, 'outside_area', `(${p.lon}, ${p.lat}) is outside the district`);
    if (p.t > ctx.now + FUTURE_LIMIT_MS) return reject(index, 'future', `t is ${Math.round((p.t - ctx.now) / 1000)} s in the future`);
    if (p.t < ctx.now - AGE_LIMIT_MS) return reject(index, 'too_old', 't is more than 24 h old');
    const unitId = ctx.unitId(p.unit);
    if (unitId === undefined) return reject(index, 'unknown_unit', `unknown unit ${p.unit}`);
    parsed.push({ index, p, unitId });
  });

  parsed.sort((a, b) => a.unitId - b.unitId || a.p.t - b.p.t);
  const accepted: AcceptedPosition[] = [];
  const newest = new Map<number, Fix>();
  for (const { index, p, unitId } of parsed) {
    const prev = newest.get(unitId) ?? ctx.lastFix(unitId);
    if (prev && p.t > prev.t) {
      const metres = distanceM(prev.lon, prev.lat, p.lon, p.lat);
      // Allow the fix's own uncertainty before calling a jump impossible.
      const allowed = MAX_SPEED_MS * ((p.t - prev.t) / 1000) + Math.min(p.accuracy ?? 0, MAX_ACCURACY_ALLOWANCE_M) + 50;
      if (metres > allowed) {
        reject(index, 'impossible_speed', `moved ${Math.round(metres)} m in ${((p.t - prev.t) / 1000).toFixed(1)} s`);
        continue;
      }
    }
    const latest = !prev || p.t > prev.t;
    if (latest) newest.set(unitId, p);
    accepted.push({ unitId, t: p.t, lon: p.lon, lat: p.lat, speed: p.speed ?? null, heading: p.heading ?? null, accuracy: p.accuracy ?? null, latest });
  }
  rejected.sort((a, b) => a.index - b.index);
  return { accepted, rejected };
}
