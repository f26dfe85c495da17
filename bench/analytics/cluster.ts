// The bench's own PostgreSQL cluster and database (as bench:history's): the demo district, and a
// district leader to open the cockpit with (S7 leaves the district roles above the stations).
import pg from 'pg';
import { hashPassword } from '../../server/auth/password';
import { DEMO_PASSWORD } from '../../server/config';
import { migrate } from '../../server/db/migrate';
import type { Db } from '../../server/db/pool';
import { insertAccount } from '../../server/repo/accounts';
import { seedDemo } from '../../server/seed/demo';
import type { OwnPostgres } from '../../server/test/pg-cluster';
import { startBenchCluster } from '../own-cluster';

export const DATABASE = 'liandong_bench_analytics';
/** The bench's district leader (password: the demo one). */
export const LEADER = 'bench-leader';

/**
 * What a deployment holding a year of a district's events would set (the defaults are for a
 * laptop); applied with a restart right after initdb, when there is nothing to recover. The
 * baseline runs on the very same settings.
 */
export const SETTINGS: Record<string, string> = {
  shared_buffers: '1GB',
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
  maintenance_work_mem: '512MB',
  effective_cache_size: '8GB',
  work_mem: '32MB',
};

export function startCluster(log: (line: string) => void): Promise<OwnPostgres> {
  return startBenchCluster(DATABASE, SETTINGS, log);
}

/** Migrates, seeds the demo district and adds the district leader the browser logs in as. */
export async function prepareDatabase(db: Db, log: (line: string) => void): Promise<void> {
  await migrate(db);
  await seedDemo(db, (line) => log(`seed: ${line}`));
  await insertAccount(db, {
    username: LEADER,
    passwordHash: await hashPassword(DEMO_PASSWORD),
    role: 'district_leader',
    displayName: '压测区领导',
    stationId: null,
  });
}

/**
 * A pool on the bench database, named in pg_stat_activity so a capped baseline query can be
 * cancelled; `settings` are the session's (a search_path makes the same SQL text read another
 * schema's relations first).
 */
export function benchPool(cluster: OwnPostgres, max: number, applicationName: string, settings: Record<string, string> = {}): Db {
  const options = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  const db = new pg.Pool({ connectionString: cluster.urlOf(DATABASE), max, application_name: applicationName, ...(options ? { options } : {}) });
  // A cancelled connection must not end the bench: the query that was on it fails on its own.
  db.on('error', () => undefined);
  db.on('connect', (c) => c.on('error', () => undefined));
  return db;
}

/**
 * The warnings' baseline: `baseline.kpi_grid_day`, a view with the rollup's columns that counts
 * raw events on every read. The detectors run unchanged on a pool whose search_path puts
 * `baseline` first: their SQL names `kpi_grid_day`, which then means a grouping of every event
 * of the period (its day is an expression of reported_at, so no index serves it) — the same
 * computation reading raw `events`, as the issue's "naive full scan per request".
 */
export async function createWarningBaseline(db: Db): Promise<void> {
  await db.query(`CREATE SCHEMA baseline`);
  await db.query(
    `CREATE VIEW baseline.kpi_grid_day AS
     SELECT (e.reported_at AT TIME ZONE 'Asia/Shanghai')::date AS day, e.grid_code, e.category, max(e.station_id) AS station_id,
            count(*) FILTER (WHERE e.state NOT IN ('returned', 'merged'))::int AS n
       FROM public.events e
      WHERE e.grid_code IS NOT NULL
      GROUP BY 1, 2, 3
     HAVING count(*) FILTER (WHERE e.state NOT IN ('returned', 'merged')) > 0`,
  );
}

/**
 * Waits until the app server's connections are idle for two seconds in a row (its start-up jobs —
 * warnings, coverage — over a fresh year of events), at most `capMs`; returns how long it waited and
 * what was seen running, so the figures after it are the requests' own.
 */
export async function serverSettled(admin: Db, capMs: number): Promise<{ ms: number; seen: string[] }> {
  const t = performance.now();
  const seen = new Set<string>();
  let quietSince: number | null = null;
  while (performance.now() - t < capMs) {
    const { rows } = await admin.query<{ q: string }>(
      `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS q FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND application_name NOT LIKE 'bench-%'`,
    );
    for (const r of rows) seen.add(r.q);
    if (rows.length === 0) {
      quietSince ??= performance.now();
      if (performance.now() - quietSince >= 2000) break;
    } else quietSince = null;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ms: performance.now() - t, seen: [...seen] };
}
