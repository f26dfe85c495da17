import type { DispatchV1 } from '@/lib/contracts/command';

/**
 * Seconds left until the unit is expected on scene, counting from when it set off (or was
 * dispatched, if it has not said so), by the straight-line ETA; negative when late. null: no ETA.
 */
export function etaLeftS(d: DispatchV1, now: number): number | null {
  if (d.etaS === null) return null;
  const from = Date.parse(d.enRouteAt ?? d.acknowledgedAt ?? d.createdAt);
  return Math.round((from + d.etaS * 1000 - now) / 1000);
}

/** "预计 4:05" / "超时 1:20" */
export function formatCountdown(s: number): string {
  const a = Math.abs(s);
  const text = `${Math.floor(a / 60)}:${String(a % 60).padStart(2, '0')}`;
  return s >= 0 ? `预计 ${text}` : `超时 ${text}`;
}

/** "已 12:03" since a moment, minutes and seconds, or hours when long. */
export function elapsed(fromIso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** Closer than this, a countdown says nothing useful: the unit is already there. */
const NEARBY_M = 50;

/** What the wall and console show for a dispatch's arrival: a countdown, "就在附近", or nothing once there. */
export function arrivalText(d: DispatchV1, now: number): string {
  if (d.state !== 'dispatched' && d.state !== 'acknowledged' && d.state !== 'en_route') return '';
  if (d.distanceM !== null && d.distanceM < NEARBY_M) return '就在附近';
  const left = etaLeftS(d, now);
  return left === null ? '' : formatCountdown(left);
}
