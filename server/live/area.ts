import { expand, type Bounds } from '@/lib/geo/distance';
import type { Db } from '../db/pool';

/** ~5 km: a patrol on the district's edge may step over it, a fix from another city may not. */
export const AREA_MARGIN_DEG = 0.05;

export async function districtArea(db: Db): Promise<Bounds> {
  const { rows } = await db.query<Bounds>(
    `SELECT ST_XMin(e) AS "minLon", ST_YMin(e) AS "minLat", ST_XMax(e) AS "maxLon", ST_YMax(e) AS "maxLat"
       FROM (SELECT ST_Extent(geom)::box2d AS e FROM regions WHERE level = 'district') x`,
  );
  if (rows[0]?.minLon == null) throw new Error('no district in the database: import the geography first');
  return expand(rows[0], AREA_MARGIN_DEG);
}
