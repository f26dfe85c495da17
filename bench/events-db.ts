// bench:events — the databases: one template (migrated, demo seed, some history), cloned for each
// variant so both start from the same rows; the points to report at; PostgreSQL counters; and the
// zero-loss check after a run.
import pg from 'pg';
import { CATEGORIES } from '@/lib/categories';
import { createPool } from '../server/db/pool';
import { createBenchDatabase } from './database';
import type { LoadLedger, PointSet } from './events-protocol';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function databaseOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // Every database the bench touches is dropped at the end: never let a typo point it at real data.
  if (!/bench/.test(name)) throw new Error(`refusing to use database "${name}": a bench database's name must contain "bench"`);
  return name;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

async function onMaintenance<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The template: migrations, the demo district, and `history` past events (source `simulator`, over
 * the last 30 days, the older ones closed) so the tables and their indexes are not empty.
 */
export async function createTemplate(url: string, history: number, log: (line: string) => void): Promise<void> {
  await createBenchDatabase(url, 0, log);
  if (history === 0) return;
  const db = createPool(url, 1);
  try {
    const { codes, cum } = categoryMix();
    await db.query(
      `WITH grids AS (
         SELECT r.code, r.parent_code AS village, v.parent_code AS town, sv.station_id, r.geom,
                count(*) OVER () AS n
           FROM regions r JOIN regions v ON v.code = r.parent_code
           LEFT JOIN station_villages sv ON sv.village_code = r.parent_code
          WHERE r.level = 'grid'),
       pts AS (
         SELECT g.code, g.village, g.town, g.station_id, (ST_Dump(ST_GeneratePoints(g.geom, ceil($1::float8 / g.n)::int, 7))).geom AS pt
           FROM grids g),
       ev AS (
         SELECT pts.*, now() - random() * interval '30 days' AS at, random() AS r FROM pts LIMIT $1)
       INSERT INTO events (source, category, title, severity, state, location, grid_code, village_code, town_code, station_id,
                           placement, reported_at, updated_at, closed_at)
       SELECT 'simulator', c.code, '历史事件', 'normal', CASE WHEN ev.at < now() - interval '3 days' THEN 'closed' ELSE 'reported' END,
              ev.pt, ev.code, ev.village, ev.town, ev.station_id, 'point', ev.at, ev.at,
              CASE WHEN ev.at < now() - interval '3 days' THEN ev.at + interval '2 days' END
         FROM ev CROSS JOIN LATERAL (
           SELECT m.code FROM unnest($2::text[], $3::float8[]) AS m(code, cum) WHERE m.cum >= ev.r ORDER BY m.cum LIMIT 1) c`,
      [history, codes, cum],
    );
    await db.query(
      `INSERT INTO event_log (event_id, at, actor_role, actor_name, to_state, action, data)
       SELECT id, reported_at, 'system', '模拟', 'reported', 'report', '{"source":"simulator"}' FROM events`,
    );
    await db.query(`ANALYZE`);
    log(`template: ${history.toLocaleString('en-US')} past events over 30 days`);
  } finally {
    await db.end();
  }
}

/** A fresh copy of the template for one variant. */
export async function cloneDatabase(templateUrl: string, url: string): Promise<void> {
  const [tpl, name] = [databaseOf(templateUrl), databaseOf(url)];
  await onMaintenance(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(tpl)}`);
  });
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  await onMaintenance(url, (c) => c.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`));
}

/** Cumulative category shares of lib/categories, for SQL and for the load generators. */
export function categoryMix(): { codes: string[]; cum: number[] } {
  let acc = 0;
  const codes = CATEGORIES.map((c) => c.code);
  const cum = CATEGORIES.map((c) => (acc += c.share));
  cum[cum.length - 1] = 1;
  return { codes, cum };
}

/** `perGrid` random points inside every grid (ST_GeneratePoints, seeded), once, up front. */
export async function samplePoints(url: string, perGrid: number, seed: number): Promise<PointSet> {
  const db = createPool(url, 1);
  try {
    const { rows } = await db.query<{ code: string; name: string; lons: number[]; lats: number[] }>(
      `SELECT g.code, g.name, array_agg(ST_X(d.geom) ORDER BY d.path) AS lons, array_agg(ST_Y(d.geom) ORDER BY d.path) AS lats
         FROM regions g CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.geom, $1, $2)) d
        WHERE g.level = 'grid' GROUP BY g.code, g.name ORDER BY g.code`,
      [perGrid, seed],
    );
    const n = rows.reduce((a, r) => a + r.lons.length, 0);
    const lonLat = new Float64Array(2 * n);
    const grid = new Int32Array(n);
    let k = 0;
    rows.forEach((r, gi) => {
      for (let i = 0; i < r.lons.length; i++, k++) {
        lonLat[2 * k] = r.lons[i];
        lonLat[2 * k + 1] = r.lats[i];
        grid[k] = gi;
      }
    });
    return { lonLat, grid, gridCodes: rows.map((r) => r.code), gridNames: rows.map((r) => r.name) };
  } finally {
    await db.end();
  }
}

/** Connections, commits and WAL of one database, read from a connection to `postgres`. */
export class PgMonitor {
  private constructor(
    private readonly client: pg.Client,
    private readonly datname: string,
  ) {}

  static async open(url: string): Promise<PgMonitor> {
    const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
    await client.connect();
    return new PgMonitor(client, databaseOf(url));
  }

  /** Backends connected to the database, and those not idle (running a statement or inside a transaction). */
  async connections(): Promise<{ total: number; busy: number }> {
    const { rows } = await this.client.query<{ total: number; busy: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE state IS DISTINCT FROM 'idle')::int AS busy
         FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
      [this.datname],
    );
    return rows[0];
  }

  /** Pids of the client backends connected to the database (the server's pooled connections). */
  async backendPids(): Promise<number[]> {
    const { rows } = await this.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
      [this.datname],
    );
    return rows.map((r) => r.pid);
  }

  async counters(): Promise<{ commits: number; rollbacks: number; walBytes: number }> {
    const { rows } = await this.client.query<{ commits: string; rollbacks: string; wal: string }>(
      `SELECT xact_commit::text AS commits, xact_rollback::text AS rollbacks,
              pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS wal
         FROM pg_stat_database WHERE datname = $1`,
      [this.datname],
    );
    return { commits: Number(rows[0].commits), rollbacks: Number(rows[0].rollbacks), walBytes: Number(rows[0].wal) };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

export interface LossCheck {
  /** New events the server acknowledged (201), and their distinct ids. */
  acked: number;
  ackedDistinctIds: number;
  /** Rows in `events` carrying one of this run's keys. */
  rows: number;
  /** Acknowledged ids with no row, or whose row carries another key: lost (must be 0). */
  ackedMissing: number;
  ackedWrongKey: number;
  /** Rows of keys never acknowledged: explained when their request got no 2xx answer (timed out, failed). */
  extraExplained: number;
  extraUnexplained: number;
  unanswered: number;
  /** First log step and audit entry of every row (exactly one each). */
  logRows: number;
  rowsWithoutLog: number;
  rowsWithManyLogs: number;
  auditRows: number;
  rowsWithoutAudit: number;
  rowsWithManyAudits: number;
}

/** Counts in the database against what the load generators were told, after the server has stopped. */
export async function checkLoss(url: string, source: string, keyLike: string, ledger: LoadLedger): Promise<LossCheck> {
  const db = createPool(url, 1);
  try {
    const { rows } = await db.query<{ id: number; key: string }>(
      `SELECT id, idempotency_key AS key FROM events WHERE source = $1 AND idempotency_key LIKE $2`,
      [source, keyLike],
    );
    const byId = new Map(rows.map((r) => [r.id, r.key]));
    const ackedKey = new Set(ledger.ackedKeys);
    const unanswered = new Set(ledger.unansweredKeys);
    let ackedMissing = 0;
    let ackedWrongKey = 0;
    ledger.ackedIds.forEach((id, i) => {
      const key = byId.get(id);
      if (key === undefined) ackedMissing += 1;
      else if (key !== ledger.ackedKeys[i]) ackedWrongKey += 1;
    });
    let extraExplained = 0;
    let extraUnexplained = 0;
    for (const r of rows) {
      if (ackedKey.has(r.key)) continue;
      if (unanswered.has(r.key)) extraExplained += 1;
      else extraUnexplained += 1;
    }
    const per = async (sql: string) => (await db.query<{ rows: number; none: number; many: number }>(sql, [source, keyLike])).rows[0];
    const log = await per(
      `SELECT coalesce(sum(n), 0)::int AS rows, count(*) FILTER (WHERE n = 0)::int AS none, count(*) FILTER (WHERE n > 1)::int AS many
         FROM (SELECT e.id, count(l.id) AS n FROM events e
                 LEFT JOIN event_log l ON l.event_id = e.id AND l.action = 'report'
                WHERE e.source = $1 AND e.idempotency_key LIKE $2 GROUP BY e.id) x`,
    );
    const audit = await per(
      `SELECT coalesce(sum(n), 0)::int AS rows, count(*) FILTER (WHERE n = 0)::int AS none, count(*) FILTER (WHERE n > 1)::int AS many
         FROM (SELECT e.id, coalesce(a.n, 0) AS n FROM events e
                 -- Counted per target first: a join on an expression would loop over the whole audit log per event.
                 LEFT JOIN (SELECT target, count(*) AS n FROM audit_log WHERE action = 'event.report' GROUP BY target) a
                        ON a.target = 'event:' || e.id
                WHERE e.source = $1 AND e.idempotency_key LIKE $2) x`,
    );
    return {
      acked: ledger.ackedIds.length,
      ackedDistinctIds: new Set(ledger.ackedIds).size,
      rows: rows.length,
      ackedMissing,
      ackedWrongKey,
      extraExplained,
      extraUnexplained,
      unanswered: unanswered.size,
      logRows: log.rows,
      rowsWithoutLog: log.none,
      rowsWithManyLogs: log.many,
      auditRows: audit.rows,
      rowsWithoutAudit: audit.none,
      rowsWithManyAudits: audit.many,
    };
  } finally {
    await db.end();
  }
}
