import type { AppContext } from '../context';
import type { Db, Tx } from '../db/pool';
import { child } from '../obs/log';
import { repeat } from './repeat';

const log = child('retention');

const DAY_MS = 24 * 3600_000;
/** Days of partitions kept ready beyond today: a job that fails for a weekend still finds them there. */
export const DAYS_AHEAD = 3;
// Two processes must not create or drop the same partition at once; one runs, the other skips.
const LOCK_KEY = 7_305_031;
/**
 * Creating, attaching and dropping a partition each wait for queries on positions to finish, and
 * every insert waits behind them. Better to give up and try at the next run than to hold up the
 * history writer for long.
 */
const LOCK_TIMEOUT = '3s';

export interface RetentionResult {
  /** False when another process held the job's lock. */
  ran: boolean;
  created: string[];
  dropped: string[];
  /** Rows moved out of the default partition into their day's new partition. */
  moved: number;
  /** Rows older than the retention deleted from the default partition and from positions_set_aside. */
  deleted: number;
}

interface Partition {
  name: string;
  /** Epoch ms; null for MINVALUE / MAXVALUE. */
  from: number | null;
  to: number | null;
}

/** The UTC day `ms` falls in, as epoch ms of its midnight. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function partitionName(day: number): string {
  return `positions_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

// Only our own names and ISO instants ever reach DDL (which takes no parameters); checked anyway.
function literal(ms: number): string {
  return `'${new Date(ms).toISOString()}'`;
}
function ident(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a partition name: ${name}`);
  return name;
}

async function partitions(c: Tx): Promise<{ ranged: Partition[]; defaultName: string | null }> {
  // Bounds read as PostgreSQL prints them, FOR VALUES FROM ('…') TO ('…') in this session's time
  // zone, or MINVALUE / MAXVALUE unquoted, and cast back by it.
  const { rows } = await c.query<{ name: string; isDefault: boolean; from: number | null; to: number | null }>(
    `SELECT c.relname AS name, b.bound = 'DEFAULT' AS "isDefault",
            (extract(epoch FROM (regexp_match(b.bound, 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz) * 1000)::float8 AS "from",
            (extract(epoch FROM (regexp_match(b.bound, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz) * 1000)::float8 AS "to"
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
      CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) b
      WHERE i.inhparent = 'positions'::regclass`,
  );
  const def = rows.find((r) => r.isDefault);
  return { ranged: rows.filter((r) => !r.isDefault).map(({ name, from, to }) => ({ name, from, to })), defaultName: def?.name ?? null };
}

function overlaps(p: Partition, from: number, to: number): boolean {
  return (p.from === null || p.from < to) && (p.to === null || p.to > from);
}

async function inTx<T>(c: Tx, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    await c.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    const result = await fn();
    await c.query('COMMIT');
    return result;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Creates `day`'s partition. Rows of that day the default partition caught (no partition existed
 * when they came) move into it first: PostgreSQL refuses a partition whose range the default
 * partition holds rows of. The default partition is locked meanwhile, so none arrive in between.
 */
async function createDay(c: Tx, day: number, defaultName: string | null): Promise<number> {
  const name = ident(partitionName(day));
  const from = literal(day);
  const to = literal(day + DAY_MS);
  return inTx(c, async () => {
    let moved = 0;
    if (defaultName) {
      await c.query(`LOCK TABLE ${ident(defaultName)} IN ACCESS EXCLUSIVE MODE`);
      const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(defaultName)} WHERE at >= ${from} AND at < ${to}`);
      moved = rows[0].n;
    }
    if (moved === 0) {
      await c.query(`CREATE TABLE ${name} PARTITION OF positions FOR VALUES FROM (${from}) TO (${to})`);
      return 0;
    }
    await c.query(`CREATE TABLE ${name} (LIKE positions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await c.query(
      `WITH gone AS (DELETE FROM ${ident(defaultName as string)} WHERE at >= ${from} AND at < ${to} RETURNING *)
       INSERT INTO ${name} SELECT * FROM gone`,
    );
    await c.query(`ALTER TABLE positions ATTACH PARTITION ${name} FOR VALUES FROM (${from}) TO (${to})`);
    return moved;
  });
}

/**
 * Keeps position history to `keepDays` UTC days before today: creates the partitions of today and
 * DAYS_AHEAD days after it, gives every row the default partition caught a partition of its own
 * (or deletes it when it is already too old), and drops each partition wholly older than the
 * retention, the old unpartitioned table (migration 015) included once its newest day is.
 */
export async function maintainPositions(db: Db, keepDays: number, now = Date.now()): Promise<RetentionResult> {
  const result: RetentionResult = { ran: false, created: [], dropped: [], moved: 0, deleted: 0 };
  const today = dayOf(now);
  const cutoff = today - keepDays * DAY_MS;
  const c = await db.connect();
  const errors: string[] = [];
  // One step failing (a lock not granted in time) must not keep the others from running.
  const step = async (what: string, fn: () => Promise<void>) => {
    await fn().catch((err: Error) => errors.push(`${what}: ${err.message}`));
  };
  try {
    const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY]);
    if (!rows[0].ok) return result;
    result.ran = true;
    try {
      const { ranged, defaultName } = await partitions(c);
      const wanted = new Set<number>();
      for (let d = today; d <= today + DAYS_AHEAD * DAY_MS; d += DAY_MS) wanted.add(d);
      if (defaultName) {
        const { rows: days } = await c.query<{ day: number }>(
          `SELECT DISTINCT (extract(epoch FROM date_trunc('day', at, 'UTC')) * 1000)::float8 AS day FROM ${ident(defaultName)}`,
        );
        for (const { day } of days) if (day >= cutoff) wanted.add(day);
        await step('old rows of the default partition', async () => {
          const r = await c.query(`DELETE FROM ${ident(defaultName)} WHERE at < ${literal(cutoff)}`);
          result.deleted += r.rowCount ?? 0;
        });
      }
      for (const day of [...wanted].sort((a, b) => a - b)) {
        if (ranged.some((p) => overlaps(p, day, day + DAY_MS))) continue;
        await step(`create ${partitionName(day)}`, async () => {
          result.moved += await createDay(c, day, defaultName);
          result.created.push(partitionName(day));
          ranged.push({ name: partitionName(day), from: day, to: day + DAY_MS });
        });
      }
      for (const p of ranged) {
        if (p.to === null || p.to > cutoff) continue;
        await step(`drop ${p.name}`, async () => {
          await inTx(c, () => c.query(`DROP TABLE ${ident(p.name)}`));
          result.dropped.push(p.name);
        });
      }
      await step('positions_set_aside', async () => {
        const r = await c.query(`DELETE FROM positions_set_aside WHERE at < ${literal(cutoff)}`);
        result.deleted += r.rowCount ?? 0;
      });
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    c.release();
  }
  if (errors.length) throw new Error(`position retention: ${errors.join('; ')}`);
  return result;
}

/**
 * Keeps position history to POSITIONS_KEEP_DAYS: runs at once (so the coming days' partitions
 * exist from the start) and then every hour.
 */
export function startRetention(
  app: Pick<AppContext, 'db'> & { config: Pick<AppContext['config'], 'positionsKeepDays'> },
  everyMs = 60 * 60 * 1000,
): { stop(): Promise<void> } {
  return repeat('retention', everyMs, async () => {
    const r = await maintainPositions(app.db, app.config.positionsKeepDays);
    if (r.created.length || r.dropped.length || r.moved || r.deleted)
      log.info({ ...r, keepDays: app.config.positionsKeepDays }, 'position history partitions maintained');
  });
}
