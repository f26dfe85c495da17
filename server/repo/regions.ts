import type { RegionLevel } from '@/lib/contracts/geo';
import type { Db } from '../db/pool';

/**
 * A level of the geography as one GeoJSON FeatureCollection, built by PostGIS so the
 * server never parses geometries. Grids are the heaviest layer; 6 decimals ≈ 0.1 m is plenty.
 */
export async function regionsGeoJson(db: Db, level: RegionLevel): Promise<string> {
  const { rows } = await db.query<{ fc: string }>(
    `SELECT json_build_object(
       'type', 'FeatureCollection',
       'features', coalesce(json_agg(json_build_object(
         'type', 'Feature',
         'geometry', ST_AsGeoJSON(geom, 6)::json,
         'properties', json_build_object(
           'code', code, 'name', name, 'level', level, 'parentCode', parent_code,
           'households', households, 'population', population)
       ) ORDER BY code), '[]'::json)
     )::text AS fc
     FROM regions WHERE level = $1`,
    [level],
  );
  return rows[0].fc;
}

/** The grid, village, town containing a point, from the smallest area up. */
export async function locate(db: Db, lon: number, lat: number): Promise<{ grid: string; village: string; town: string } | null> {
  const { rows } = await db.query<{ grid: string; village: string; town: string }>(
    `SELECT g.code AS grid, v.code AS village, t.code AS town
       FROM regions g
       JOIN regions v ON v.code = g.parent_code
       JOIN regions t ON t.code = v.parent_code
      WHERE g.level = 'grid' AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
      -- A point on the border of two grids (or in grids that overlap) lands in the same one every time.
      ORDER BY g.code LIMIT 1`,
    [lon, lat],
  );
  return rows[0] ?? null;
}
