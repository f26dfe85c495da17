import { randomUUID } from 'node:crypto';
import type { Db } from '../db/pool';

/**
 * A small geography of our own for the KPI tests: a town with one village, two grids and one
 * station, far from the demo district's outline so nothing else lands in it. Removed with every
 * event, unit, place and rollup row it gathered (tests clean up what they plant).
 */
export interface KpiGeo {
  tag: string;
  town: string;
  village: string;
  grids: [string, string];
  station: number;
}

const box = (lon: number, lat: number) => `ST_Multi(ST_MakeEnvelope(${lon}, ${lat}, ${lon + 0.01}, ${lat + 0.01}, 4326))`;

export async function plantGeo(db: Db): Promise<KpiGeo> {
  const tag = randomUUID().replace(/-/g, '').slice(0, 8);
  const town = `KT${tag}`;
  const village = `KV${tag}`;
  const grids: [string, string] = [`KG${tag}a`, `KG${tag}b`];
  const district = (await db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'district' ORDER BY code LIMIT 1`)).rows[0].code;
  await db.query(
    `INSERT INTO regions (code, name, level, parent_code, geom) VALUES
       ($1, '指标测试镇', 'town', $4, ${box(100, 10)}), ($2, '指标测试村', 'village', $1, ${box(100, 10)}),
       ($3, '指标测试网格甲', 'grid', $2, ${box(100, 10)}), ($5, '指标测试网格乙', 'grid', $2, ${box(100.01, 10)})`,
    [town, village, grids[0], district, grids[1]],
  );
  const station = (await db.query<{ id: number }>(
    `INSERT INTO stations (code, name, town_code, location) VALUES ($1, '指标测试站', $2, ST_SetSRID(ST_MakePoint(100.005, 10.005), 4326)) RETURNING id`,
    [`KS${tag}`, town],
  )).rows[0].id;
  await db.query(`INSERT INTO station_villages (station_id, village_code) VALUES ($1, $2)`, [station, village]);
  return { tag, town, village, grids, station };
}

export async function removeGeo(db: Db, g: KpiGeo): Promise<void> {
  const units = `SELECT id FROM units WHERE station_id = $1`;
  await db.query(`DELETE FROM visits WHERE unit_id IN (${units})`, [g.station]);
  await db.query(`DELETE FROM positions WHERE unit_id IN (${units})`, [g.station]);
  await db.query(`DELETE FROM places WHERE grid_code = ANY($1::text[])`, [g.grids]);
  await db.query(`DELETE FROM units WHERE station_id = $1`, [g.station]);
  // Later events first: duplicates and merges point back at earlier ones.
  await db.query(`UPDATE events SET duplicate_of = NULL, merged_into = NULL WHERE station_id = $1 OR town_code = $2`, [g.station, g.town]);
  await db.query(`DELETE FROM mediation_cases WHERE station_id = $1`, [g.station]);
  await db.query(`DELETE FROM events WHERE station_id = $1 OR town_code = $2`, [g.station, g.town]);
  await db.query(`DELETE FROM kpi_day WHERE station_id = $1 OR town_code = $2`, [g.station, g.town]);
  await db.query(`DELETE FROM kpi_grid_day WHERE grid_code = ANY($1::text[])`, [g.grids]);
  await db.query(`DELETE FROM kpi_duration_day WHERE station_id = $1 OR town_code = $2`, [g.station, g.town]);
  await db.query(`DELETE FROM kpi_duration_month WHERE station_id = $1 OR town_code = $2`, [g.station, g.town]);
  await db.query(`DELETE FROM station_villages WHERE station_id = $1`, [g.station]);
  await db.query(`DELETE FROM stations WHERE id = $1`, [g.station]);
  await db.query(`DELETE FROM regions WHERE code = ANY($1::text[])`, [[...g.grids, g.village, g.town]]);
}

/** One event as the tests plant it: only what the figures read; times as instants. */
export interface PlantedEvent {
  category?: string;
  grid?: 0 | 1 | null;
  state?: string;
  reported: Date;
  accepted?: Date | null;
  acceptDue?: Date | null;
  handled?: Date | null;
  handleDue?: Date | null;
  closed?: Date | null;
  card?: 'none' | 'yellow' | 'red';
  duplicateOf?: number | null;
  rating?: number | null;
}

export async function plantEvent(db: Db, g: KpiGeo, e: PlantedEvent): Promise<number> {
  const grid = e.grid === null ? null : g.grids[e.grid ?? 0];
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO events (source, category, title, state, grid_code, village_code, town_code, station_id, reported_at, updated_at,
                         accepted_at, accept_due_at, handled_at, handle_due_at, closed_at, card, duplicate_of, rating, rated_at)
     VALUES ('test', $1, '指标测试事件', $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12::timestamptz, $13, $14, $15::smallint, CASE WHEN $15::smallint IS NULL THEN NULL ELSE $12::timestamptz END)
     RETURNING id`,
    [
      e.category ?? 'dispute', e.state ?? 'reported', grid, g.village, g.town, g.station, e.reported,
      e.accepted ?? null, e.acceptDue ?? null, e.handled ?? null, e.handleDue ?? null, e.closed ?? null,
      e.card ?? 'none', e.duplicateOf ?? null, e.rating ?? null,
    ],
  );
  return Number(rows[0].id);
}
