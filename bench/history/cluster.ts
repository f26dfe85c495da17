// The bench's own PostgreSQL cluster and database: the demo district, and the units whose history
// is generated, 80 to a station, each walking a loop from one of its grid's places.
import pg from 'pg';
import { migrate } from '../../server/db/migrate';
import type { Db } from '../../server/db/pool';
import { seedDemo } from '../../server/seed/demo';
import type { OwnPostgres } from '../../server/test/pg-cluster';
import { startBenchCluster } from '../own-cluster';
import type { BenchUnit } from '../protocol';

export const DATABASE = 'liandong_bench_history';

/**
 * Settings a deployment holding this much history would have (the defaults are for a laptop):
 * applied with a restart right after initdb, when there is nothing to recover.
 */
const SETTINGS: Record<string, string> = {
  shared_buffers: '1GB',
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
  maintenance_work_mem: '512MB',
  effective_cache_size: '8GB',
};

export function startCluster(log: (line: string) => void): Promise<OwnPostgres> {
  return startBenchCluster(DATABASE, SETTINGS, log);
}

export interface HistoryUnit extends BenchUnit {
  stationId: number;
}

/**
 * Migrates and seeds the demo, then adds `perStation` full-time gridders to each of the first `stations`
 * stations, spread over the station's grids; each starts at one of its grid's places when the grid
 * has one (so the traces visit places), else inside the grid. Their walk's parameters go to
 * bench_units, which the generator reads.
 */
export async function prepareDatabase(db: Db, stations: number, perStation: number, log: (line: string) => void): Promise<HistoryUnit[]> {
  await migrate(db);
  await seedDemo(db, (line) => log(`seed: ${line}`));
  const { rows } = await db.query<HistoryUnit>(
    `WITH g AS (
       SELECT r.code, sv.station_id, r.geom,
              row_number() OVER (PARTITION BY sv.station_id ORDER BY r.code) - 1 AS i, count(*) OVER (PARTITION BY sv.station_id) AS n
         FROM regions r JOIN station_villages sv ON sv.village_code = r.parent_code WHERE r.level = 'grid'),
     st AS (SELECT id FROM stations ORDER BY id LIMIT $1),
     placed AS (
       SELECT st.id AS station_id, k, g.code,
              coalesce((SELECT p.location FROM places p WHERE p.grid_code = g.code ORDER BY p.id OFFSET k / g.n % greatest(1, (SELECT count(*) FROM places q WHERE q.grid_code = g.code)) LIMIT 1),
                       ST_PointOnSurface(g.geom)) AS p
         FROM st CROSS JOIN generate_series(0, $2::int - 1) AS k JOIN g ON g.station_id = st.id AND g.i = k % g.n)
     INSERT INTO units (code, name, kind, station_id, grid_code, last_position)
     SELECT 'hist-' || station_id || '-' || k, '回放压测' || station_id || '-' || k, 'gridder', station_id, code, p FROM placed
     RETURNING id, code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat, station_id AS "stationId"`,
    [stations, perStation],
  );
  // Each a gridder (S3) with a person of their own: the units coverage holds responsible for their grid.
  await db.query(
    `WITH p AS (INSERT INTO people (name, station_id) SELECT name, station_id FROM units WHERE id = ANY($1::int[]) RETURNING id, name),
          r AS (INSERT INTO person_roles (person_id, role, station_id, grid_code)
                SELECT p.id, 'gridder_full', u.station_id, u.grid_code FROM p JOIN units u ON u.name = p.name)
     UPDATE units u SET person_id = p.id FROM p WHERE u.name = p.name`,
    [rows.map((r) => r.id)],
  );
  // A loop of 150 m radius walked in 8 min from the start point and back, then 12 min standing
  // there (a visit, 016_coverage.sql's default being 10 min within 50 m); phases differ per unit.
  await db.query(`CREATE TABLE bench_units (id int PRIMARY KEY, lon float8, lat float8, dx float8, dy float8, ph float8)`);
  await db.query(
    `INSERT INTO bench_units
     SELECT id, ST_X(last_position), ST_Y(last_position), 150 / (111320 * cos(radians(ST_Y(last_position)))), 150 / 110574.0, id * 0.7::float8
       FROM units WHERE id = ANY($1::int[])`,
    [rows.map((r) => r.id)],
  );
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * A pool on the bench database, named in pg_stat_activity so a capped baseline query can be
 * cancelled; `searchPath` makes the same SQL text read another schema's tables first.
 */
export function benchPool(cluster: OwnPostgres, max: number, applicationName: string, searchPath?: string): Db {
  const db = new pg.Pool({
    connectionString: cluster.urlOf(DATABASE),
    max,
    application_name: applicationName,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  });
  // A cancelled or dropped connection must not end the bench: the query that was on it fails on its own.
  db.on('error', () => undefined);
  db.on('connect', (c) => c.on('error', () => undefined));
  return db;
}
