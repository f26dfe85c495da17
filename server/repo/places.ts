import type { Place, PlaceInput, PlaceOutline, PlacePatch, PlaceQuery } from '@/lib/contracts/place';
import { maySeeStation, type Reach } from '@/lib/access/scope';
import type { Db, Tx } from '../db/pool';
import { args, stationScopeSql } from '../db/scope';
import { DomainError } from '../errors';

/** Where a point falls: its grid and the station of the grid's village (null: a village of no station). */
export interface Located {
  grid: string;
  stationId: number | null;
}

/** The grid and station of each point, in one statement (an import locates thousands); null outside every grid. */
export async function locateMany(q: Db | Tx, points: readonly { lon: number; lat: number }[]): Promise<(Located | null)[]> {
  if (points.length === 0) return [];
  const { rows } = await q.query<{ i: number; grid: string | null; stationId: number | null }>(
    `SELECT p.i::int AS i, g.code AS grid, sv.station_id AS "stationId"
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, i)
       LEFT JOIN LATERAL (SELECT code, parent_code FROM regions
                           WHERE level = 'grid' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) ORDER BY code LIMIT 1) g ON true
       LEFT JOIN station_villages sv ON sv.village_code = g.parent_code
      ORDER BY p.i`,
    [points.map((p) => p.lon), points.map((p) => p.lat)],
  );
  return rows.map((r) => (r.grid === null ? null : { grid: r.grid, stationId: r.stationId }));
}

/**
 * The grid a point of a register falls in, refused unless the viewer may see its station: base
 * data of one's own station only (issue 10); the district's roles and the administrator keep the
 * district's. `path` names the field at fault.
 */
export async function gridInReach(q: Db | Tx, reach: Reach, lon: number, lat: number, path = 'body.lon'): Promise<string> {
  const [where] = await locateMany(q, [{ lon, lat }]);
  if (!where) throw new DomainError('unprocessable', 'outside_district', '位置不在本区任何网格内', [{ path, message: '位置不在本区任何网格内' }]);
  if (!maySeeStation(reach, where.stationId)) throw new DomainError('unprocessable', 'out_of_scope', '位置不在本站范围内', [{ path, message: '位置不在本站范围内' }]);
  return where.grid;
}

/** A valid outline's point on its surface (the place's point, which decides its grid); 422 if PostGIS finds it invalid. */
export async function outlinePoint(q: Db | Tx, outline: PlaceOutline): Promise<{ lon: number; lat: number }> {
  const { rows } = await q.query<{ valid: boolean; reason: string; lon: number | null; lat: number | null }>(
    `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
            CASE WHEN ST_IsValid(g) THEN ST_X(ST_PointOnSurface(g)) END AS lon, CASE WHEN ST_IsValid(g) THEN ST_Y(ST_PointOnSurface(g)) END AS lat
       FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326)) AS g) x`,
    [JSON.stringify(outline)],
  );
  const r = rows[0];
  if (!r.valid || r.lon === null || r.lat === null)
    throw new DomainError('unprocessable', 'invalid_outline', `轮廓无效：${r.reason}`, [{ path: 'body.outline', message: `轮廓无效（如自相交）：${r.reason}` }]);
  return { lon: r.lon, lat: r.lat };
}

export async function insertPlace(q: Db | Tx, p: PlaceInput & { lon: number; lat: number }, gridCode: string): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO places (name, category, risk_level, grid_code, address, location, outline)
     VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326), ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($8::text), 4326))) RETURNING id`,
    [p.name, p.category, p.riskLevel, gridCode, p.address ?? null, p.lon, p.lat, p.outline ? JSON.stringify(p.outline) : null],
  );
  return rows[0].id;
}

const PLACE_FROM = `places p JOIN regions g ON g.code = p.grid_code LEFT JOIN station_villages sv ON sv.village_code = g.parent_code`;

interface PlaceRow extends Omit<Place, 'address' | 'outline' | 'updatedAt'> {
  address: string | null;
  outline: Place['outline'] | null;
  updatedAt: Date;
}

/** Key places of the stations the viewer may see (issue 10): a place is its grid's, so its village's station's. Removed ones are gone from the register. */
export async function listPlaces(db: Db, reach: Reach, filter: PlaceQuery = {}): Promise<Place[]> {
  const q = args();
  const where = [stationScopeSql(reach, 'sv.station_id', q.arg), 'p.removed_at IS NULL'];
  if (filter.grid) where.push(`p.grid_code = ${q.arg(filter.grid)}`);
  if (filter.category) where.push(`p.category = ${q.arg(filter.category)}`);
  if (filter.risk) where.push(`p.risk_level = ${q.arg(filter.risk)}`);
  const { rows } = await db.query<PlaceRow>(
    `SELECT p.id, p.name, p.category, p.risk_level AS "riskLevel", p.grid_code AS "gridCode", p.address,
            ST_X(p.location) AS lon, ST_Y(p.location) AS lat, ST_AsGeoJSON(p.outline, 7)::json AS outline, p.updated_at AS "updatedAt"
       FROM ${PLACE_FROM}
      WHERE ${where.join(' AND ')} ORDER BY p.id LIMIT 5000`,
    q.args,
  );
  return rows.map(({ address, outline, updatedAt, ...r }) => ({
    ...r,
    ...(address === null ? {} : { address }),
    ...(outline === null ? {} : { outline }),
    updatedAt: updatedAt.toISOString(),
  }));
}

/** An active place the viewer may see, locked for a change; null (a 404 to the caller) otherwise. */
export async function placeForChange(tx: Tx, reach: Reach, id: number): Promise<{ gridCode: string } | null> {
  const q = args([id]);
  const { rows } = await tx.query<{ gridCode: string }>(
    `SELECT p.grid_code AS "gridCode" FROM ${PLACE_FROM}
      WHERE p.id = $1 AND p.removed_at IS NULL AND ${stationScopeSql(reach, 'sv.station_id', q.arg)} FOR UPDATE OF p`,
    q.args,
  );
  return rows[0] ?? null;
}

/** Applies an edit; `at` is the new point and grid when the place moved (its outline replaced or dropped with it). */
export async function updatePlace(tx: Tx, id: number, p: PlacePatch, at: { lon: number; lat: number; grid: string } | null): Promise<void> {
  const q = args([id]);
  const set = ['updated_at = now()'];
  if (p.name !== undefined) set.push(`name = ${q.arg(p.name)}`);
  if (p.category !== undefined) set.push(`category = ${q.arg(p.category)}`);
  if (p.riskLevel !== undefined) set.push(`risk_level = ${q.arg(p.riskLevel)}`);
  if (p.address !== undefined) set.push(`address = ${q.arg(p.address || null)}`);
  if (at) {
    set.push(`location = ST_SetSRID(ST_MakePoint(${q.arg(at.lon)}, ${q.arg(at.lat)}), 4326)`, `grid_code = ${q.arg(at.grid)}`);
    set.push(`outline = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${q.arg(p.outline ? JSON.stringify(p.outline) : null)}::text), 4326))`);
  }
  await tx.query(`UPDATE places SET ${set.join(', ')} WHERE id = $1`, q.args);
}

/** Takes a place off the register; its visits stay (coverage of past months keeps them). */
export async function removePlace(tx: Tx, id: number): Promise<void> {
  await tx.query(`UPDATE places SET removed_at = now(), updated_at = now() WHERE id = $1`, [id]);
}

/** Inserts places already checked and located (an import), in order; answers their ids. */
export async function insertPlaces(tx: Tx, places: readonly (PlaceInput & { lon: number; lat: number; gridCode: string })[]): Promise<number[]> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO places (name, category, risk_level, grid_code, address, location)
     SELECT p->>'name', p->>'category', p->>'riskLevel', p->>'gridCode', p->>'address', ST_SetSRID(ST_MakePoint((p->>'lon')::float8, (p->>'lat')::float8), 4326)
       FROM json_array_elements($1::json) WITH ORDINALITY AS t(p, n) ORDER BY n
     RETURNING id`,
    [JSON.stringify(places.map((p) => ({ ...p, address: p.address || null })))],
  );
  return rows.map((r) => r.id);
}
