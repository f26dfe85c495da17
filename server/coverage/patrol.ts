import { RESPONSIBLE_GRID_ROLES } from '@/lib/roles';
import { dayBounds } from '@/lib/coverage/month';
import { PATROL_MAX_GAP_S } from '@/lib/coverage/rules';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { responsibleUnitsSql } from './visits';

/*
 * S10 动态清: time on duty and distance inside the grid, per grid-staff unit and local day. A
 * segment is two consecutive fixes of one duty shift no more than PATROL_MAX_GAP_S apart; it
 * belongs to the day and the grid of its first fix (the unit's own grid tried first: a gridder is
 * mostly there, and the same polygon tested again and again stays prepared). Segments whose first
 * fix falls in [$1, $2) are counted; the next fix may lie up to the gap beyond $2.
 */
const PATROL_SQL = `
WITH resp AS (${responsibleUnitsSql('$3', '$4')}),
shifts AS (
  SELECT s.unit_id, r.grid_code, greatest(s.started_at, $1::timestamptz) AS s_from,
         least(coalesce(s.ended_at, 'infinity'), $2::timestamptz + make_interval(secs => $5)) AS s_to, s.id AS shift
    FROM duty_shifts s JOIN resp r ON r.unit_id = s.unit_id
   WHERE s.started_at < $2 AND (s.ended_at IS NULL OR s.ended_at > $1)
),
fixes AS (
  SELECT sh.unit_id, sh.grid_code, p.at, p.geom,
         lead(p.at) OVER w AS next_at, lead(p.geom) OVER w AS next_geom
    FROM shifts sh
    CROSS JOIN LATERAL (SELECT at, geom FROM positions WHERE unit_id = sh.unit_id AND at >= sh.s_from AND at <= sh.s_to) p
  WINDOW w AS (PARTITION BY sh.shift ORDER BY p.at)
),
segs AS (
  SELECT f.unit_id, f.grid_code AS own, f.at, f.geom,
         extract(epoch FROM f.next_at - f.at) AS secs,
         -- A sphere (as lib/geo/distance): a tenth of the spheroid's cost, within 0.5 % over a few metres.
         ST_DistanceSphere(f.geom, f.next_geom) AS metres
    FROM fixes f
   WHERE f.next_at IS NOT NULL AND f.at < $2 AND f.next_at - f.at <= make_interval(secs => $5)
),
placed AS (
  SELECT s.unit_id, s.secs, s.metres,
         CASE WHEN ST_Intersects(o.geom, s.geom) THEN s.own
              ELSE (SELECT g.code FROM regions g WHERE g.level = 'grid' AND ST_Intersects(g.geom, s.geom) ORDER BY g.code LIMIT 1) END AS grid_code
    FROM segs s JOIN regions o ON o.code = s.own
)
SELECT unit_id AS "unitId", grid_code AS "gridCode", round(sum(secs))::int AS seconds, sum(metres)::real AS metres
  FROM placed WHERE grid_code IS NOT NULL
 GROUP BY unit_id, grid_code`;

type PatrolRow = { unitId: number; gridCode: string; seconds: number; metres: number };

async function segments(db: Db | Tx, from: Date, to: Date, station: number | null): Promise<PatrolRow[]> {
  const { rows } = await db.query<PatrolRow>(PATROL_SQL, [from, to, station, RESPONSIBLE_GRID_ROLES, PATROL_MAX_GAP_S]);
  return rows;
}

/** Adds rows to the day's (`add`) or sets them. */
async function store(tx: Tx, day: string, rows: PatrolRow[], add: boolean): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO patrol_days (unit_id, grid_code, day, seconds, metres)
     SELECT u, g, $1, s, m FROM unnest($2::int[], $3::text[], $4::int[], $5::real[]) AS x(u, g, s, m)
     ON CONFLICT (unit_id, grid_code, day) DO UPDATE SET
       seconds = EXCLUDED.seconds + CASE WHEN $6 THEN patrol_days.seconds ELSE 0 END,
       metres  = EXCLUDED.metres + CASE WHEN $6 THEN patrol_days.metres ELSE 0 END`,
    [day, rows.map((r) => r.unitId), rows.map((r) => r.gridCode), rows.map((r) => r.seconds), rows.map((r) => r.metres), add],
  );
}

/** Computes one local day's patrol (YYYY-MM-DD) whole and replaces its patrol_days rows; returns the rows written. */
export async function computePatrol(db: Db, opts: { day: string; stationId?: number }): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  const { from, to } = dayBounds(opts.day);
  const station = opts.stationId ?? null;
  const rows = await segments(db, from, to, station);
  await inTransaction(db, async (tx) => {
    await tx.query(
      `DELETE FROM patrol_days d USING (${responsibleUnitsSql('$2', '$3')}) r WHERE d.day = $1 AND d.unit_id = r.unit_id`,
      [opts.day, station, RESPONSIBLE_GRID_ROLES],
    );
    await store(tx, opts.day, rows, false);
    // A whole day computed: a later run adding to it starts from its end.
    if (station === null)
      await tx.query(`INSERT INTO coverage_marks (day, patrol_upto) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET patrol_upto = EXCLUDED.patrol_upto`, [opts.day, to]);
  });
  return { rows: rows.length, ms: Math.round(performance.now() - t0) };
}

/**
 * Adds to an open day's patrol the segments that began since the last run, up to `upto`; the
 * mark moves in the same transaction, so a run that fails adds nothing and the next one retries.
 * The caller keeps `upto` a gap behind now, so a segment's next fix has come when it is counted;
 * fixes that come later still (a phone's outbox) are counted when the day is closed (computePatrol).
 */
export async function addPatrol(db: Db, day: string, upto: Date): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  const bounds = dayBounds(day);
  const end = new Date(Math.min(upto.getTime(), bounds.to.getTime()));
  const rows = await inTransaction(db, async (tx) => {
    const { rows: marks } = await tx.query<{ upto: Date }>(`SELECT patrol_upto AS upto FROM coverage_marks WHERE day = $1 FOR UPDATE`, [day]);
    const since = marks[0]?.upto ?? bounds.from;
    if (since >= end) return [];
    const found = await segments(tx, since, end, null);
    if (!marks[0]) await tx.query(`DELETE FROM patrol_days WHERE day = $1`, [day]);
    await store(tx, day, found, true);
    await tx.query(`INSERT INTO coverage_marks (day, patrol_upto) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET patrol_upto = EXCLUDED.patrol_upto`, [day, end]);
    return found;
  });
  return { rows: rows.length, ms: Math.round(performance.now() - t0) };
}
