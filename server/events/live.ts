import type { Reach } from '@/lib/access/scope';
import { CHANNELS, type IncidentV1 } from '@/lib/contracts/live';
import type { Bus } from '../bus/bus';
import type { Db, Tx } from '../db/pool';
import { isoSql } from '../db/sql';
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
         ARRAY(SELECT t.department_code FROM event_tasks t WHERE t.event_id = e.id ORDER BY t.id) AS "taskDepartments"
    FROM events e
    LEFT JOIN categories c ON c.code = e.category
    LEFT JOIN accounts a ON a.id = e.locked_by`;

type IncidentRow = Omit<IncidentV1, 'v' | 'seq'>;

/**
 * Publishes the committed state of these events on the backbone. Call it after the commit: the
 * wall, console and field never show what the record lacks; each message carries a higher seq.
 */
export async function publishIncidents(db: Db | Tx, bus: Bus, ids: readonly number[]): Promise<IncidentV1[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<IncidentRow>(`${INCIDENT_SELECT} WHERE e.id = ANY($1::bigint[]) AND e.location IS NOT NULL`, [ids]);
  const out: IncidentV1[] = [];
  for (const r of rows) {
    const incident: IncidentV1 = { v: 1, seq: await bus.incr('incidents.seq'), ...r };
    await bus.publish(CHANNELS.incidents, JSON.stringify(incident));
    out.push(incident);
  }
  return out;
}

/** Today's incidents (Asia/Shanghai) and every one still open, newest first, of what the viewer may see. */
export async function liveIncidents(db: Db, bus: Bus, reach: Reach, uid: number): Promise<{ seq: number; incidents: IncidentV1[] }> {
  // The sequence is read before the query: anything committed later has a higher one and reaches the client by socket.
  const seq = await bus.incr('incidents.seq', 0);
  const q = args();
  const { rows } = await db.query<IncidentRow>(
    `${INCIDENT_SELECT}
      WHERE e.location IS NOT NULL AND ${eventScopeSql(reach, uid, q.arg)}
        AND (e.reported_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
             OR e.state NOT IN ('closed', 'returned', 'merged', 'rated'))
      ORDER BY e.reported_at DESC LIMIT 5000`,
    q.args,
  );
  return { seq, incidents: rows.map((r) => ({ v: 1, seq, ...r })) };
}
