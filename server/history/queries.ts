import type { TracePoint } from '@/lib/contracts/history';
import type { Db } from '../db/pool';

export type { TracePoint };

export interface SnapshotFix {
  unitId: number;
  t: number;
  lon: number;
  lat: number;
}

/** "Where was everyone": a fix older than this before the asked time says nothing of where the unit was then. */
export const SNAPSHOT_WITHIN_MS = 10 * 60_000;

/** 1e-6 degree is ~0.1 m: finer than any phone fix, and half the characters of a double on the wire. */
const micro = (deg: number) => Math.round(deg * 1e6) / 1e6;

/**
 * Each unit's fixes in [from, to], oldest first, coordinates to 1e-6 degree. One row per unit
 * carrying its fixes as one bytea of big-endian float8 triples (t ms, lon, lat), not one row per
 * fix nor float8[] arrays: measured on 17,000 fixes a unit, per-row decoding in `pg` and the text
 * arrays' parser cost more than the query itself (73 ms for a unit's day as arrays, 38 ms so).
 * The bounds on `at` prune the day partitions (migration 015) at execution.
 */
export async function traces(db: Db, unitIds: readonly number[], from: Date, to: Date): Promise<Map<number, TracePoint[]>> {
  const out = new Map<number, TracePoint[]>();
  if (unitIds.length === 0 || !(from.getTime() <= to.getTime())) return out;
  const { rows } = await db.query<{ unit_id: number; b: Buffer }>(
    `SELECT unit_id,
            string_agg(float8send(extract(epoch FROM at)::float8 * 1000) || float8send(ST_X(geom)) || float8send(ST_Y(geom)), ''::bytea ORDER BY at) AS b
       FROM positions
      WHERE unit_id = ANY($1::int[]) AND at >= $2 AND at <= $3
      GROUP BY unit_id`,
    [[...new Set(unitIds)], from, to],
  );
  for (const { unit_id, b } of rows) {
    const n = b.length / 24;
    const points: TracePoint[] = new Array(n);
    for (let i = 0, o = 0; i < n; i++, o += 24) points[i] = [Math.round(b.readDoubleBE(o)), micro(b.readDoubleBE(o + 8)), micro(b.readDoubleBE(o + 16))];
    out.set(unit_id, points);
  }
  return out;
}

/**
 * Each unit's last fix at or before `at` and not older than `withinMs`: one probe of the
 * (unit_id, at DESC) index per unit. The lower bound on `at` keeps the probe to the partitions of
 * that window instead of walking back through every day a unit was silent.
 */
export async function snapshotAt(db: Db, unitIds: readonly number[], at: Date, withinMs = SNAPSHOT_WITHIN_MS): Promise<SnapshotFix[]> {
  if (unitIds.length === 0) return [];
  const since = new Date(at.getTime() - Math.max(0, withinMs));
  const { rows } = await db.query<{ unit_id: number; t: number; lon: number; lat: number }>(
    `SELECT u.id AS unit_id, extract(epoch FROM l.at)::float8 * 1000 AS t, ST_X(l.geom) AS lon, ST_Y(l.geom) AS lat
       FROM unnest($1::int[]) AS u(id)
       CROSS JOIN LATERAL (
         SELECT p.at, p.geom FROM positions p
          WHERE p.unit_id = u.id AND p.at <= $2 AND p.at >= $3
          ORDER BY p.at DESC LIMIT 1) l
      ORDER BY u.id`,
    [[...new Set(unitIds)], at, since],
  );
  return rows.map((r) => ({ unitId: r.unit_id, t: Math.round(r.t), lon: micro(r.lon), lat: micro(r.lat) }));
}
