import type { Place, PlaceInput } from '@/lib/contracts/place';
import type { Reach } from '@/lib/access/scope';
import type { Db, Tx } from '../db/pool';
import { args, stationScopeSql } from '../db/scope';

export async function insertPlace(q: Db | Tx, p: PlaceInput, gridCode: string): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO places (name, category, risk_level, grid_code, address, location)
     VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)) RETURNING id`,
    [p.name, p.category, p.riskLevel, gridCode, p.address ?? null, p.lon, p.lat],
  );
  return rows[0].id;
}

/** Key places of the stations the viewer may see (issue 10): a place is its grid's, so its village's station's. */
export async function listPlaces(db: Db, reach: Reach): Promise<Place[]> {
  const q = args();
  const { rows } = await db.query<Place>(
    `SELECT p.id, p.name, p.category, p.risk_level AS "riskLevel", p.grid_code AS "gridCode", p.address,
            ST_X(p.location) AS lon, ST_Y(p.location) AS lat
       FROM places p JOIN regions g ON g.code = p.grid_code LEFT JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE ${stationScopeSql(reach, 'sv.station_id', q.arg)} ORDER BY p.id`,
    q.args,
  );
  return rows.map((r) => ({ ...r, address: r.address ?? undefined }));
}
