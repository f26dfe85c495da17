import type { LonLat, Area } from '@/lib/sim/geometry';
import { HOTSPOTS } from '@/lib/sim/hotspots';
import type { Db } from '../db/pool';

/** Random points per grid: waypoints of walkers and places of incidents. */
const POINTS_PER_GRID = 16;
const POINTS_PER_HOTSPOT = 64;
// ST_GeneratePoints with a seed gives the same points on every start.
const SEED = 330503;

export interface SimUnitRow {
  id: number;
  code: string;
  kind: string;
  isTeam: boolean;
  stationId: number | null;
  /** Its own grid; a mediator, who has none, walks the grid of its station nearest the station. */
  gridCode: string | null;
}

export interface GridRow {
  code: string;
  villageName: string;
  population: number;
  area: Area;
  points: LonLat[];
  /** Key places and key persons' addresses of the grid, which its walkers visit now and then. */
  visits: LonLat[];
}

export interface StationRow {
  id: number;
  at: LonLat;
  villages: LonLat[];
}

export interface HotspotRow {
  label: string;
  share: number;
  points: LonLat[];
}

/** Everything the simulator moves on, read from PostGIS once at start; from then on it is JS. */
export interface World {
  units: SimUnitRow[];
  grids: Map<string, GridRow>;
  stations: Map<number, StationRow>;
  hotspots: HotspotRow[];
}

export async function loadWorld(db: Db): Promise<World> {
  const units = await db.query<SimUnitRow>(
    `SELECT u.id, u.code, u.kind, u.is_team AS "isTeam", u.station_id AS "stationId",
            coalesce(u.grid_code,
              (SELECT g.code FROM station_villages sv
                 JOIN regions g ON g.parent_code = sv.village_code AND g.level = 'grid'
                 JOIN stations s ON s.id = sv.station_id
                WHERE sv.station_id = u.station_id
                ORDER BY g.geom <-> s.location LIMIT 1)) AS "gridCode"
       FROM units u ORDER BY u.id`,
  );
  const grids = await db.query<{ code: string; villageName: string; population: number; coords: Area; points: LonLat[] | null }>(
    `SELECT g.code, v.name AS "villageName", g.population,
            (ST_AsGeoJSON(ST_Multi(g.geom), 15)::json)->'coordinates' AS coords,
            (SELECT json_agg(json_build_array(ST_X(d.geom), ST_Y(d.geom)))
               FROM ST_Dump(ST_GeneratePoints(g.geom, $1, $2)) AS d) AS points
       FROM regions g JOIN regions v ON v.code = g.parent_code
      WHERE g.level = 'grid'`,
    [POINTS_PER_GRID, SEED],
  );
  const stations = await db.query<{ id: number; lon: number; lat: number; villages: LonLat[] }>(
    `SELECT s.id, ST_X(s.location) AS lon, ST_Y(s.location) AS lat,
            coalesce((SELECT json_agg(json_build_array(ST_X(p.pt), ST_Y(p.pt)) ORDER BY sv.village_code)
                        FROM station_villages sv JOIN regions v ON v.code = sv.village_code,
                             LATERAL (SELECT ST_PointOnSurface(v.geom) AS pt) AS p
                       WHERE sv.station_id = s.id), '[]'::json) AS villages
       FROM stations s`,
  );
  // A circle around the village's inside point, clipped to the district so no incident falls outside it.
  const hotspots = await db.query<HotspotRow>(
    `SELECT h.label, h.share,
            (SELECT json_agg(json_build_array(ST_X(d.geom), ST_Y(d.geom)))
               FROM ST_Dump(ST_GeneratePoints(
                      ST_Intersection(ST_Buffer(ST_PointOnSurface(v.geom)::geography, h.radius)::geometry, dist.geom), $2, $3)) AS d) AS points
       FROM json_to_recordset($1::json) AS h(label text, town text, village text, radius float8, share float8)
       JOIN regions t ON t.level = 'town' AND t.name = h.town
       JOIN regions v ON v.level = 'village' AND v.parent_code = t.code AND v.name = h.village
       CROSS JOIN LATERAL (SELECT geom FROM regions WHERE level = 'district' LIMIT 1) AS dist`,
    [JSON.stringify(HOTSPOTS.map((h) => ({ label: h.label, town: h.town, village: h.village, radius: h.radiusM, share: h.share }))), POINTS_PER_HOTSPOT, SEED],
  );
  // In id order, so the same registers give the same walks (the simulator stays deterministic).
  const visits = await db.query<{ grid: string; points: LonLat[] }>(
    `SELECT grid, json_agg(json_build_array(lon, lat) ORDER BY kind, id) AS points FROM (
       SELECT 'place' AS kind, id, grid_code AS grid, ST_X(ST_PointOnSurface(coalesce(outline::geometry, location::geometry))) AS lon,
              ST_Y(ST_PointOnSurface(coalesce(outline::geometry, location::geometry))) AS lat FROM places WHERE removed_at IS NULL
       UNION ALL
       SELECT 'person', id, grid_code, ST_X(location), ST_Y(location) FROM key_persons WHERE removed_at IS NULL) t
      GROUP BY grid`,
  );
  const visitsOf = new Map(visits.rows.map((v) => [v.grid, v.points]));
  return {
    units: units.rows,
    grids: new Map(grids.rows.map((g) => [g.code, { code: g.code, villageName: g.villageName, population: g.population, area: g.coords, points: g.points ?? [], visits: visitsOf.get(g.code) ?? [] }])),
    stations: new Map(stations.rows.map((s) => [s.id, { id: s.id, at: [s.lon, s.lat] as LonLat, villages: s.villages }])),
    hotspots: hotspots.rows.map((h) => ({ ...h, points: h.points ?? [] })),
  };
}
