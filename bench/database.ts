import pg from 'pg';
import { migrate } from '../server/db/migrate';
import { createPool } from '../server/db/pool';
import { seedDemo } from '../server/seed/demo';
import type { BenchUnit } from './protocol';

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // The bench drops this database at the end: never let a typo point it at real data.
  if (!/bench/.test(name)) throw new Error(`refusing to use database "${name}": the bench database's name must contain "bench"`);
  return name;
}

/** Runs `sql` on the maintenance database `postgres` of the same server. */
async function onMaintenance(url: string, sql: string): Promise<void> {
  const u = new URL(url);
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A fresh database with the demo district and at least `n` units: the demo's own, then bench units
 * spread round-robin over the district's grids (each at a point inside its grid). Returns the first
 * `n` units with their starting point.
 */
export async function createBenchDatabase(url: string, n: number, log: (line: string) => void): Promise<BenchUnit[]> {
  const name = databaseName(url);
  await onMaintenance(url, `DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
  await onMaintenance(url, `CREATE DATABASE ${quote(name)}`);
  const db = createPool(url, 2);
  try {
    await migrate(db);
    await seedDemo(db, (line) => log(`seed: ${line}`));
    const { rows: count } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM units');
    const extra = n - count[0].n;
    if (extra > 0) {
      await db.query(
        `INSERT INTO units (code, name, kind, station_id, grid_code, last_position)
         SELECT 'bench-' || s, '压测单位' || s,
                (ARRAY['gridder','police','enforcement','market','fire','emergency','mediator','volunteer'])[1 + s % 8],
                g.station_id, g.code, g.p
           FROM generate_series(1, $1::int) AS s
           JOIN (SELECT r.code, sv.station_id, ST_PointOnSurface(r.geom) AS p,
                        row_number() OVER (ORDER BY r.code) - 1 AS i, count(*) OVER () AS n
                   FROM regions r LEFT JOIN station_villages sv ON sv.village_code = r.parent_code
                  WHERE r.level = 'grid') g ON g.i = s % g.n`,
        [extra],
      );
      log(`added ${extra} bench units over the district's grids`);
    }
    const { rows } = await db.query<BenchUnit>(
      `SELECT id, code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat, station_id AS "stationId" FROM units ORDER BY id LIMIT $1`,
      [n],
    );
    return rows;
  } finally {
    await db.end();
  }
}

export async function dropBenchDatabase(url: string): Promise<void> {
  await onMaintenance(url, `DROP DATABASE IF EXISTS ${quote(databaseName(url))} WITH (FORCE)`);
}
