import type { Place, PlaceInput } from '@/lib/contracts/place';
import type { Db, Tx } from '../db/pool';

export async function insertPlace(q: Db | Tx, p: PlaceInput, gridCode: string): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO places (name, category, risk_level, grid_code, address, location)
     VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)) RETURNING id`,
    [p.name, p.category, p.riskLevel, gridCode, p.address ?? null, p.lon, p.lat],
  );
  return rows[0].id;
}

export async function listPlaces(db: Db): Promise<Place[]> {
  const { rows } = await db.query<Place>(
    `SELECT id, name, category, risk_level AS "riskLevel", grid_code AS "gridCode", address,
            ST_X(location) AS lon, ST_Y(location) AS lat
       FROM places ORDER BY id`,
  );
  return rows.map((r) => ({ ...r, address: r.address ?? undefined }));
}
