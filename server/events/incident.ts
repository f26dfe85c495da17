import { CHANNELS, type IncidentSeverity, type IncidentV1 } from '@/lib/contracts/live';
import { CATEGORY_LABEL } from '@/lib/categories';
import type { Bus } from '../bus/bus';
import { inTransaction, type Db, type Tx } from '../db/pool';

export interface NewIncident {
  source: string;
  category: string;
  subcategory?: string;
  title: string;
  description?: string;
  severity: IncidentSeverity;
  lon: number;
  lat: number;
  reportedAt?: Date;
  deadlineAt?: Date;
}

const INCIDENT_SELECT = `
  SELECT e.id, e.category, e.title, e.severity, e.state, ST_X(e.location) AS lon, ST_Y(e.location) AS lat,
         e.grid_code AS "gridCode", e.station_id AS "stationId",
         to_char(e.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "reportedAt",
         to_char(e.deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "deadlineAt"
    FROM events e`;

type IncidentRow = Omit<IncidentV1, 'v' | 'seq' | 'categoryLabel'>;

function toIncident(r: IncidentRow, seq: number): IncidentV1 {
  return { v: 1, seq, ...r, categoryLabel: CATEGORY_LABEL[r.category] ?? r.category };
}

/**
 * Records an incident placed in its grid, village, town and station by PostGIS, with its first
 * log step, and publishes it only after the commit: the wall never shows what the record lacks.
 */
export async function createIncident(db: Db, bus: Bus, n: NewIncident): Promise<IncidentV1> {
  const row = await inTransaction(db, async (tx: Tx) => {
    const { rows } = await tx.query<{ id: number }>(
      `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($7, $8), 4326) AS pt),
            g AS (SELECT g.code AS grid, v.code AS village, v.parent_code AS town
                    FROM regions g JOIN regions v ON v.code = g.parent_code, p
                   WHERE g.level = 'grid' AND ST_Intersects(g.geom, p.pt) LIMIT 1)
       INSERT INTO events (source, category, subcategory, title, description, severity, location,
                           grid_code, village_code, town_code, station_id, reported_at, deadline_at)
       SELECT $1, $2, $3, $4, $5, $6, p.pt, g.grid, g.village, g.town,
              (SELECT station_id FROM station_villages WHERE village_code = g.village), $9, $10
         FROM p LEFT JOIN g ON true
       RETURNING id`,
      [n.source, n.category, n.subcategory ?? null, n.title, n.description ?? null, n.severity, n.lon, n.lat,
        n.reportedAt ?? new Date(), n.deadlineAt ?? null],
    );
    const id = rows[0].id;
    await tx.query(`INSERT INTO event_log (event_id, to_state, note) VALUES ($1, 'reported', $2)`, [id, n.source]);
    return (await tx.query<IncidentRow>(`${INCIDENT_SELECT} WHERE e.id = $1`, [id])).rows[0];
  });
  const incident = toIncident(row, await bus.incr('incidents.seq'));
  await bus.publish(CHANNELS.incidents, JSON.stringify(incident));
  return incident;
}

/** Today's incidents (Asia/Shanghai) and every one still open, newest first. */
export async function liveIncidents(db: Db, bus: Bus): Promise<{ seq: number; incidents: IncidentV1[] }> {
  // The sequence is read before the query: anything committed later has a higher one and reaches the client by socket.
  const seq = await bus.incr('incidents.seq', 0);
  const { rows } = await db.query<IncidentRow>(
    `${INCIDENT_SELECT}
      WHERE e.reported_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
         OR e.state NOT IN ('closed', 'returned', 'merged')
      ORDER BY e.reported_at DESC LIMIT 5000`,
  );
  return { seq, incidents: rows.map((r) => toIncident(r, seq)) };
}
