import { reachOf } from '@/lib/access/scope';
import { stationOfScope } from '@/lib/contracts/reports';
import type { Session } from '../auth/session';
import { DomainError, forbidden } from '../errors';

/*
 * Who gets which report (issue 15 point 6), by the one scope rule (lib/access/scope reachOf): the
 * district's reach any scope; a station's two leaders their own station's (PERMISSIONS.generateReports
 * names the roles, the router checks them); anyone else nothing. Asking for another station's report,
 * or the district's, from a station is a 404, as for anything out of reach.
 */

const LEADERS = ['station_chief', 'deputy_chief'];

/** The scope a caller's request means (theirs when not given), or the refusal. */
export function reportScopeFor(s: Pick<Session, 'role' | 'stationId'>, asked?: string): string {
  const reach = reachOf({ role: s.role, stationId: s.stationId, department: null });
  if (reach.kind === 'district') return asked ?? 'district';
  if (reach.kind !== 'station' || !LEADERS.includes(s.role)) throw forbidden();
  const own = `s:${reach.stationId}`;
  if (asked !== undefined && asked !== own)
    throw new DomainError('not_found', 'not_found', '报告不在职责范围内', [{ path: 'query.scope', message: '只能查看本站的报告' }]);
  return own;
}

/** The stations whose stored reports a caller may list: null for all (the district's reach). */
export function listableStation(s: Pick<Session, 'role' | 'stationId'>): number | null {
  return stationOfScope(reportScopeFor(s)) ?? null;
}
