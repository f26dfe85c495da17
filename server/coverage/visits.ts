import { RESPONSIBLE_GRID_ROLES } from '@/lib/roles';
import { STAY_MAX_GAP_S } from '@/lib/coverage/rules';
import type { Db } from '../db/pool';
import { readSettings } from './settings';

/**
 * Units that answer for a grid (S3): a person's own unit (not a team) whose grid is that grid,
 * held by someone with a grid-staff role. `$station` (an int or NULL) limits them to one station.
 * Columns: unit_id, grid_code, station_id.
 */
export const responsibleUnitsSql = (station: string, roles: string) => `
  SELECT DISTINCT u.id AS unit_id, u.grid_code, sv.station_id
    FROM units u
    JOIN person_roles r ON r.person_id = u.person_id AND r.role = ANY(${roles}::text[])
    JOIN regions g ON g.code = u.grid_code
    JOIN station_villages sv ON sv.village_code = g.parent_code
   WHERE NOT u.is_team AND u.grid_code IS NOT NULL AND (${station}::int IS NULL OR sv.station_id = ${station}::int)`;

/** Degrees of the grid cells fixes and targets meet in: an equality join instead of a distance test per fix and target. */
const CELL_DEG = 0.002;

/*
 * S3: a visit is the responsible gridder's trace staying at least visit_minutes within
 * visit_radius_m of the key place (its outline when it has one) or the key person's address.
 *
 * Each responsible unit's fixes of the span are read through positions' (unit_id, at) index, the
 * partitions outside the span pruned. A fix meets the targets of its unit's grid whose radius box
 * covers its cell (an equality join); only those pairs get the exact geography distance. Near
 * fixes of one unit and target form a stay while the gap between them stays within
 * STAY_MAX_GAP_S; a stay long enough is a visit, upserted on visits_trace_once so a re-run (or a
 * stay still growing) finds the same row and only moves its end.
 */
const VISITS_SQL = `
WITH resp AS (${responsibleUnitsSql('$3', '$4')}),
targets AS (
  SELECT 'place' AS kind, p.id, p.grid_code, coalesce(p.outline::geometry, p.location::geometry) AS geom
    FROM places p WHERE p.removed_at IS NULL AND p.grid_code IN (SELECT grid_code FROM resp)
  UNION ALL
  SELECT 'person', k.id, k.grid_code, k.location::geometry
    FROM key_persons k WHERE k.removed_at IS NULL AND k.grid_code IN (SELECT grid_code FROM resp)
),
boxed AS (
  -- A degree of longitude shrinks with the latitude; 1 % over, so no fix within the radius falls outside.
  SELECT t.*, ST_Expand(t.geom, $5 * 1.01 / (111320 * cos(radians(ST_Y(ST_Centroid(t.geom))))), $5 * 1.01 / 110574.0) AS box
    FROM targets t
),
-- Materialised, so the planner hashes the cells on all three keys instead of testing every fix of a grid against every target in it.
cells AS MATERIALIZED (
  SELECT b.kind, b.id, b.grid_code, b.geom, cx, cy
    FROM boxed b,
         generate_series(floor(ST_XMin(b.box) / ${CELL_DEG})::int, floor(ST_XMax(b.box) / ${CELL_DEG})::int) cx,
         generate_series(floor(ST_YMin(b.box) / ${CELL_DEG})::int, floor(ST_YMax(b.box) / ${CELL_DEG})::int) cy
),
fixes AS (
  SELECT r.unit_id, r.grid_code, p.at, p.geom, floor(ST_X(p.geom) / ${CELL_DEG})::int AS cx, floor(ST_Y(p.geom) / ${CELL_DEG})::int AS cy
    FROM resp r
    CROSS JOIN LATERAL (SELECT at, geom FROM positions WHERE unit_id = r.unit_id AND at >= $1 AND at < $2) p
),
near AS (
  SELECT f.unit_id, c.kind, c.id, f.at
    FROM fixes f JOIN cells c ON c.grid_code = f.grid_code AND c.cx = f.cx AND c.cy = f.cy
   WHERE ST_DWithin(f.geom::geography, c.geom::geography, $5)
),
marked AS (
  SELECT n.*, CASE WHEN n.at - lag(n.at) OVER w <= make_interval(secs => $7) THEN 0 ELSE 1 END AS brk
    FROM near n WINDOW w AS (PARTITION BY n.unit_id, n.kind, n.id ORDER BY n.at)
),
runs AS (
  SELECT m.*, sum(m.brk) OVER (PARTITION BY m.unit_id, m.kind, m.id ORDER BY m.at) AS run FROM marked m
),
stays AS (
  SELECT unit_id, kind, id, min(at) AS started_at, max(at) AS ended_at
    FROM runs GROUP BY unit_id, kind, id, run
  HAVING max(at) - min(at) >= make_interval(mins => $6)
)
INSERT INTO visits (place_id, person_id, unit_id, started_at, ended_at, source)
SELECT CASE WHEN kind = 'place' THEN id END, CASE WHEN kind = 'person' THEN id END, unit_id, started_at, ended_at, 'trace'
  FROM stays s
 -- A stay the span's start cut (the job looks back a few hours only) goes on one already stored: not a second visit.
 WHERE NOT EXISTS (SELECT 1 FROM visits v
                    WHERE v.source = 'trace' AND v.unit_id = s.unit_id AND v.started_at < s.started_at
                      AND v.ended_at >= s.started_at - make_interval(secs => $7)
                      AND coalesce(v.place_id, 0) = CASE WHEN s.kind = 'place' THEN s.id ELSE 0 END
                      AND coalesce(v.person_id, 0) = CASE WHEN s.kind = 'person' THEN s.id ELSE 0 END)
ON CONFLICT (unit_id, (coalesce(place_id, 0)), (coalesce(person_id, 0)), started_at) WHERE source = 'trace'
DO UPDATE SET ended_at = greatest(visits.ended_at, EXCLUDED.ended_at)
RETURNING id`;

/**
 * Finds the visits in the traces of [from, to) and stores them (source 'trace'); idempotent.
 * `visits` counts the stays found (new or already stored).
 */
export async function computeVisits(db: Db, opts: { from: Date; to: Date; stationId?: number }): Promise<{ visits: number; ms: number }> {
  const t0 = performance.now();
  const s = await readSettings(db);
  const { rowCount } = await db.query(VISITS_SQL, [
    opts.from, opts.to, opts.stationId ?? null, RESPONSIBLE_GRID_ROLES, s.visitRadiusM, s.visitMinutes, STAY_MAX_GAP_S,
  ]);
  return { visits: rowCount ?? 0, ms: Math.round(performance.now() - t0) };
}
