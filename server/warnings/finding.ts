import type { HotspotClass, WarningKind, WarningLevel } from '@/lib/contracts/warnings';
import type { Db } from '../db/pool';

/** What a detector found; a run turns it into a new warning or an update of the live one with its (kind, subject). */
export interface Finding {
  kind: WarningKind;
  subject: string;
  level: WarningLevel;
  hotspotClass: HotspotClass | null;
  title: string;
  explanation: string;
  numbers: Record<string, number | string | null>;
  stationId: number | null;
  gridCode: string | null;
  category: string | null;
  lon: number;
  lat: number;
  eventIds: number[];
}

/** Events behind a warning: at most this many, newest first (WarningV1.eventIds). */
export const MAX_EVENT_IDS = 200;
/** Events that count (not returned or merged), as kpi_grid_day counts them (migration 017). */
export const COUNTED = `e.state NOT IN ('returned', 'merged')`;
export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface Grid {
  code: string;
  name: string;
  stationId: number | null;
  lon: number;
  lat: number;
}

/** Every grid with its station (through its village) and a point inside it, ordered by code. */
export async function gridsOf(db: Db): Promise<Grid[]> {
  const { rows } = await db.query<Grid>(
    `SELECT g.code, coalesce(v.name || ' ', '') || g.name AS name, sv.station_id AS "stationId",
            ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
       FROM regions g LEFT JOIN regions v ON v.code = g.parent_code LEFT JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE g.level = 'grid' ORDER BY g.code`,
  );
  return rows;
}

/**
 * Adjacent grids (index lists into `grids`): outlines within a metre of each other — drawn or
 * generated outlines do not always share their edges exactly, and ST_Touches would miss those
 * (on the demo geography: 2,717 pairs against ST_Intersects' 2,194). About 30 ms for 963 grids.
 */
export async function adjacencyOf(db: Db, grids: readonly Grid[]): Promise<number[][]> {
  const index = new Map(grids.map((g, i) => [g.code, i]));
  const adjacent: number[][] = grids.map(() => []);
  const { rows } = await db.query<{ a: string; b: string }>(
    `SELECT a.code AS a, b.code AS b FROM regions a JOIN regions b
        ON a.level = 'grid' AND b.level = 'grid' AND a.code < b.code AND ST_DWithin(a.geom, b.geom, 0.00001)`,
  );
  for (const { a, b } of rows) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) continue;
    adjacent[i].push(j);
    adjacent[j].push(i);
  }
  return adjacent;
}

/** Category labels (the taxonomy), for titles. */
export async function categoryLabels(db: Db): Promise<Map<string, string>> {
  const { rows } = await db.query<{ code: string; label: string }>(`SELECT code, label FROM categories`);
  return new Map(rows.map((r) => [r.code, r.label]));
}

/**
 * The events behind several warnings in one query: for each (grids, category or all, since), the
 * newest MAX_EVENT_IDS counted events, the first grid's first. A hotspot names its grid and the neighbours Gi* summed
 * with it: a grid can be hot from what happened next door, and then its own list would be empty.
 */
export async function eventIdsOf(
  db: Db,
  keys: readonly { grids: readonly string[]; category: string | null; since: Date; station: number | null }[],
): Promise<number[][]> {
  if (!keys.length) return [];
  const { rows } = await db.query<{ i: number; ids: string[] }>(
    `SELECT k.i, coalesce(x.ids, '{}') AS ids
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) WITH ORDINALITY AS k(grids, category, since, station, i)
       LEFT JOIN LATERAL (SELECT array_agg(id ORDER BY own DESC, reported_at DESC)::text[] AS ids FROM (
          -- The grid's own first (it is named first), then its neighbours'.
          SELECT e.id, e.reported_at, e.grid_code = split_part(k.grids, chr(31), 1) AS own FROM events e
           WHERE e.grid_code = ANY(string_to_array(k.grids, chr(31))) AND e.reported_at >= k.since
             AND (k.category IS NULL OR e.category = k.category) AND ${COUNTED}
             -- A station's warning lists its station's events only (a neighbour grid may be another's).
             AND (k.station IS NULL OR e.station_id = k.station)
           ORDER BY own DESC, e.reported_at DESC LIMIT ${MAX_EVENT_IDS}) y) x ON true
      ORDER BY k.i`,
    [keys.map((k) => k.grids.join('\u001f')), keys.map((k) => k.category), keys.map((k) => k.since), keys.map((k) => k.station)],
  );
  return rows.map((r) => r.ids.map(Number));
}
