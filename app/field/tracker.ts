import { distanceM } from '@/lib/geo/distance';

/*
 * Which of the phone's GNSS readings to keep while on duty (issue 12): about one every 5 s while
 * the gridder walks, one a minute while standing still. watchPosition may fire every second, and
 * a standing phone's reading wanders by its accuracy; neither should cost battery and data.
 */

/** One reading as kept: epoch ms of the fix itself, WGS-84 degrees, m/s, degrees, metres. */
export interface TrackFix {
  t: number;
  lon: number;
  lat: number;
  speed?: number;
  heading?: number;
  accuracy?: number;
}

/** A little under 5 s, so a 1 Hz phone keeps every fifth reading rather than every sixth. */
export const MOVING_EVERY_MS = 4_500;
export const STILL_EVERY_MS = 60_000;
/** A slow walk (1 m/s) covers this in 5 s; a still phone's wander within its claimed accuracy is allowed on top. */
export const MOVED_M = 5;
/** The drift allowed for a reading's own uncertainty, at most: beyond this the claim says little. */
const MAX_JITTER_M = 30;
/** Walking pace is ~1.4 m/s; a reported speed above this is movement. */
export const MOVING_SPEED_MS = 0.5;

/** Whether the gridder moves between the last kept reading and this one. */
export function isMoving(last: TrackFix, next: TrackFix): boolean {
  if ((next.speed ?? 0) >= MOVING_SPEED_MS) return true;
  const jitter = Math.min(MAX_JITTER_M, Math.max(last.accuracy ?? 0, next.accuracy ?? 0));
  return distanceM(last.lon, last.lat, next.lon, next.lat) >= Math.max(MOVED_M, jitter);
}

/** Keep `next`? The first always; then every ~5 s while moving, every 60 s while still; never one older than the last kept. */
export function keepFix(last: TrackFix | null, next: TrackFix): boolean {
  if (!last) return true;
  const dt = next.t - last.t;
  if (dt <= 0) return false;
  if (dt >= STILL_EVERY_MS) return true;
  return dt >= MOVING_EVERY_MS && isMoving(last, next);
}

/** A browser position as a fix, dropping what the browser could not tell (null, NaN). */
export function fixOf(p: { timestamp: number; coords: { longitude: number; latitude: number; speed: number | null; heading: number | null; accuracy: number } }): TrackFix {
  const f: TrackFix = { t: Math.round(p.timestamp), lon: p.coords.longitude, lat: p.coords.latitude };
  const { speed, heading, accuracy } = p.coords;
  if (speed !== null && Number.isFinite(speed) && speed >= 0) f.speed = Math.round(speed * 10) / 10;
  // A heading means nothing standing still (the browser gives NaN or a stale value then).
  if (heading !== null && Number.isFinite(heading) && heading >= 0 && (f.speed ?? 0) > 0) f.heading = Math.round(heading) % 360;
  if (Number.isFinite(accuracy) && accuracy >= 0) f.accuracy = Math.round(accuracy * 10) / 10;
  return f;
}

/** What the phone says when it cannot track, in Chinese (GeolocationPositionError codes). */
export function geoProblem(code: number | 'unsupported' | 'insecure'): string {
  switch (code) {
    case 'unsupported':
      return '此浏览器不支持定位，无法上报位置';
    case 'insecure':
      return '定位须通过 HTTPS 打开本页';
    case 1:
      return '未允许定位：请在浏览器或系统设置中允许本页使用位置';
    case 2:
      return '暂时无法取得位置（GPS 信号弱或定位服务已关闭）';
    default:
      return '定位超时，正在重试';
  }
}
