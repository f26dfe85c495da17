import type { Reach } from '@/lib/access/scope';
import type { IncidentV1 } from '@/lib/contracts/live';
import type { Db, Tx } from '../db/pool';
import { DONE_SQL, isoSql } from '../db/sql';
import { args, eventScopeSql } from '../db/scope';

/** A soft lock lapses after this long without a touch (issue 4). */
export const LOCK_IDLE = "interval '10 minutes'";

export const INCIDENT_SELECT = `
  SELECT e.id, e.category, coalesce(c.label, e.category) AS "categoryLabel", e.title, e.severity, e.state,
         ST_X(e.location) AS lon, ST_Y(e.location) AS lat,
         e.grid_code AS "gridCode", e.station_id AS "stationId",
         ${isoSql('e.reported_at')} AS "reportedAt", ${isoSql('e.deadline_at')} AS "deadlineAt", ${isoSql('e.red_at')} AS "redAt",
         e.card, e.department_code AS department, e.village_code AS "villageCode", e.duplicate_of AS "duplicateOf",
         CASE WHEN e.locked_at > now() - ${LOCK_IDLE} THEN a.display_name END AS "lockedBy", e.source,
         ARRAY(SELECT t.department_code FROM event_tasks t WHERE t.event_id = e.id ORDER BY t.id) AS "taskDepartments",
         e.kind, e.about_event_id AS "aboutEventId", e.supervision_reopened_at IS NOT NULL AS "supervisionReopened"
    FROM events e
    LEFT JOIN categories c ON c.code = e.category
    LEFT JOIN accounts a ON a.id = e.locked_by`;

export type IncidentRow = Omit<IncidentV1, 'v' | 'seq'>;

/** The committed state of these events as the wall sees them, without a sequence number (the publisher gives it). */
export async function incidentRows(db: Db | Tx, ids: readonly number[]): Promise<IncidentRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<IncidentRow>(`${INCIDENT_SELECT} WHERE e.id = ANY($1::bigint[]) AND e.location IS NOT NULL`, [ids]);
  return rows;
}

/**
 * The highest incident sequence number given out so far. Read before a snapshot's query: any
 * message with a number up to it was read from a state the snapshot already holds (the publisher
 * reads states before it takes numbers), anything later gets a higher one.
 */
export async function incidentSeq(db: Db): Promise<number> {
  const { rows } = await db.query<{ seq: number }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS seq FROM incident_seq`);
  return rows[0].seq;
}

/** Today's incidents (Asia/Shanghai) and every one still open, newest first, of what the viewer may see. */
export async function liveIncidents(db: Db, reach: Reach, uid: number): Promise<{ seq: number; incidents: IncidentV1[] }> {
  // The sequence is read before the query: anything committed later has a higher one and reaches the client by socket.
  const seq = await incidentSeq(db);
  const q = args();
  const { rows } = await db.query<IncidentRow>(
    `${INCIDENT_SELECT}
      WHERE e.location IS NOT NULL AND ${eventScopeSql(reach, uid, q.arg)}
        AND (e.reported_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
             OR e.state NOT IN ${DONE_SQL})
      ORDER BY e.reported_at DESC LIMIT 5000`,
    q.args,
  );
  return { seq, incidents: rows.map((r) => ({ v: 1, seq, ...r })) };
}
