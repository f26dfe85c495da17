import { expand, type Bounds } from '@/lib/geo/distance';
import type { Db } from '../db/pool';

/** ~5 km: a patrol on the district's edge may step over it, a fix from another city may not. */
export const AREA_MARGIN_DEG = 0.05;

/** Null until the district's outline is imported: a production database starts empty (README, Geography). */
export async function districtArea(db: Db): Promise<Bounds | null> {
  const { rows } = await db.query<Bounds>(
    `SELECT ST_XMin(e) AS "minLon", ST_YMin(e) AS "minLat", ST_XMax(e) AS "maxLon", ST_YMax(e) AS "maxLat"
       FROM (SELECT ST_Extent(geom)::box2d AS e FROM regions WHERE level = 'district') x`,
  );
  return rows[0]?.minLon == null ? null : expand(rows[0], AREA_MARGIN_DEG);
}
