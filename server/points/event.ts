import { maySeeStation, reachOf } from '@/lib/access/scope';
import { ASSESSMENT_READERS } from '@/lib/assessment/rules';
import type { EventPointsV1 } from '@/lib/contracts/points';
import type { Session } from '../auth/session';
import type { Db } from '../db/pool';
import { DomainError, forbidden } from '../errors';

/*
 * An event's standing for assessment (issue 15; S13 deductions, S14 rewards), for the console
 * drawer's 考评 section: whether it was found false, the district's 越级信访 / 群体性事件 flags, and
 * what its reports earned or lost. Those who read assessments (the station's leaders for their
 * station, the district for all); an event out of reach is "not found", as everywhere.
 */

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function eventPoints(db: Db, s: Session, eventId: number): Promise<EventPointsV1> {
  if (!ASSESSMENT_READERS.includes(s.role)) throw forbidden();
  const { rows } = await db.query<{ stationId: number | null; petitionSkip: boolean; groupIncident: boolean; reason: string | null; markedAt: string | null; markedName: string | null }>(
    `SELECT e.station_id AS "stationId", e.petition_skip AS "petitionSkip", e.group_incident AS "groupIncident",
            f.reason, ${ISO('f.marked_at')} AS "markedAt", f.marked_name AS "markedName"
       FROM events e LEFT JOIN event_false_reports f ON f.event_id = e.id WHERE e.id = $1`,
    [eventId],
  );
  const e = rows[0];
  if (!e || !maySeeStation(reachOf({ role: s.role, stationId: s.stationId, department: null }), e.stationId))
    throw new DomainError('not_found', 'not_found', `事件 ${eventId} 不存在或不在职责范围内`);
  // A resident is named only as 群众: their phone is the ledger's key, not for the console.
  const { rows: entries } = await db.query<EventPointsV1['entries'][number]>(
    `SELECT l.id::int, ${ISO('l.at')} AS at, l.points, r.label AS "ruleLabel", l.reason,
            coalesce(p.name, CASE WHEN l.person_id IS NULL THEN '群众' ELSE '人员 ' || l.person_id END) AS "holderName"
       FROM points_ledger l LEFT JOIN points_rules r ON r.code = l.rule_code LEFT JOIN people p ON p.id = l.person_id
      WHERE l.event_id = $1 ORDER BY l.at, l.id`,
    [eventId],
  );
  return {
    eventId,
    falseReport: e.reason !== null ? { reason: e.reason, markedAt: e.markedAt!, markedName: e.markedName } : null,
    petitionSkip: e.petitionSkip,
    groupIncident: e.groupIncident,
    entries,
  };
}
