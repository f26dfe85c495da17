import type { Db } from '../db/pool';

/** Stations with their covered villages and S5 units, as a GeoJSON FeatureCollection of points. */
export async function stationsGeoJson(db: Db): Promise<string> {
  const { rows } = await db.query<{ fc: string }>(
    `SELECT json_build_object(
       'type', 'FeatureCollection',
       'features', coalesce(json_agg(json_build_object(
         'type', 'Feature',
         'geometry', ST_AsGeoJSON(s.location, 6)::json,
         'properties', json_build_object(
           'id', s.id, 'code', s.code, 'name', s.name, 'townCode', s.town_code,
           'villageCodes', (SELECT coalesce(json_agg(village_code ORDER BY village_code), '[]'::json)
                              FROM station_villages WHERE station_id = s.id),
           'units', (SELECT coalesce(json_agg(json_build_object('kind', kind, 'name', name) ORDER BY id), '[]'::json)
                       FROM station_units WHERE station_id = s.id))
       ) ORDER BY s.code), '[]'::json)
     )::text AS fc
     FROM stations s`,
  );
  return rows[0].fc;
}
