import type { PastIncident } from '@/lib/sim/history';
import { inTransaction, type Db, type Tx } from '../db/pool';

export const BACKFILL_SOURCE = 'simulator:history';
// Two processes starting on one empty database must not both fill it.
const LOCK_KEY = 330_503_007;

/**
 * All past incidents in ONE statement: rows travel as arrays (unnest), PostGIS places each in
 * its grid, village, town and station as createIncident does, and the same statement writes
 * each one's log step. Nothing is published: this is history, not news.
 */
export async function insertPastIncidents(tx: Tx, items: readonly PastIncident[]): Promise<number> {
  if (items.length === 0) return 0;
  const col = <K extends keyof PastIncident>(k: K) => items.map((i) => i[k] ?? null);
  const res = await tx.query(
    `WITH b AS (
       SELECT *, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS pt
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[],
                     $7::float8[], $8::text[], $9::float8[], $10::float8[])
              AS b(category, subcategory, title, severity, lon, lat, reported, state, state_at, deadline)
     ), t AS (
       -- The stage times the cockpit measures (issue 13): the state was reached at state_at, which
       -- is this share of the whole handling time (lib/sim/history OPEN_STAGES; closed: all of it);
       -- accepted at a tenth of it, handled at nine tenths.
       SELECT b.*, to_timestamp(b.reported / 1000.0) AS r,
              CASE b.state WHEN 'accepted' THEN 0.1 WHEN 'assigned' THEN 0.3 WHEN 'in_progress' THEN 0.5
                           WHEN 'handled' THEN 0.9 WHEN 'closed' THEN 1.0 END AS share
         FROM b
     ), ins AS (
       INSERT INTO events (source, category, subcategory, title, description, severity, state, location,
                           grid_code, village_code, town_code, station_id, reported_at, updated_at, deadline_at,
                           accept_due_at, handle_due_at, accepted_at, handled_at, closed_at)
       SELECT $11, b.category, b.subcategory, b.title, $12, b.severity, b.state, b.pt,
              g.grid, g.village, g.town, (SELECT station_id FROM station_villages WHERE village_code = g.village),
              b.r, to_timestamp(b.state_at / 1000.0),
              -- Only a state with a running clock has a deadline (lib/events/deadlines stageOf).
              CASE WHEN b.state IN ('reported', 'accepted', 'assigned', 'coordinated', 'in_progress') THEN to_timestamp(b.deadline / 1000.0) END,
              b.r + interval '1 day', to_timestamp(b.deadline / 1000.0),
              CASE WHEN b.share IS NOT NULL THEN b.r + (to_timestamp(b.state_at / 1000.0) - b.r) * (0.1 / b.share) END,
              CASE WHEN b.share >= 0.9 THEN b.r + (to_timestamp(b.state_at / 1000.0) - b.r) * (0.9 / b.share) END,
              CASE WHEN b.state = 'closed' THEN to_timestamp(b.state_at / 1000.0) END
         FROM t b LEFT JOIN LATERAL (
                SELECT g.code AS grid, v.code AS village, v.parent_code AS town
                  FROM regions g JOIN regions v ON v.code = g.parent_code
                 WHERE g.level = 'grid' AND ST_Intersects(g.geom, b.pt) ORDER BY g.code LIMIT 1) AS g ON true
        ORDER BY b.reported
       RETURNING id, state, updated_at
     )
     INSERT INTO event_log (event_id, at, to_state, note)
     SELECT id, updated_at, state, $11 FROM ins`,
    [
      col('category'), col('subcategory'), col('title'), col('severity'), col('lon'), col('lat'),
      col('reportedAt'), col('state'), col('stateAt'), col('deadlineAt'),
      BACKFILL_SOURCE, '演示模拟历史数据 (simulated history for the demo)',
    ],
  );
  return res.rowCount ?? 0;
}

/** Fills an empty events table with history so the heatmap's 24 h / 7 d / 30 d windows have data. */
export async function backfillIfEmpty(db: Db, history: () => PastIncident[]): Promise<number> {
  return inTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const { rows } = await tx.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS any');
    if (rows[0].any) return 0;
    return insertPastIncidents(tx, history());
  });
}
