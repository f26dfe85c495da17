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
/** Tries at the swap of a rewritten partition, each up to LOCK_TIMEOUT, a second apart. */
const SWAP_ATTEMPTS = 5;
/** Coverage days are local days (016_coverage.sql); UTC+8 all year, so a UTC day overlaps two. */
const LOCAL_ZONE = 'Asia/Shanghai';

export interface RetentionPolicy {
  /** Days before today whose raw fixes are kept; an older day is thinned to one fix per unit and minute. */
  keepDays: number;
  /** Days before today a thinned day is kept; an older day (thinned or not) is dropped. */
  thinKeepDays: number;
}

export interface RetentionResult {
  /** False when another process held the job's lock. */
  ran: boolean;
  created: string[];
  /**
   * Finished days rewritten in (unit, time) order (named `<partition>_c`): the history writer
   * stores fixes as they come, all units interleaved, so one unit's day touched a page per fix.
   */
  compacted: string[];
  /** Raw partitions replaced by their thinned copy (named `<partition>_m`) in this run. */
  thinned: string[];
  /**
   * Raw partitions past the raw retention left unthinned because the coverage job has not yet
   * computed a local day they overlap: thinning them would lose fixes a visit may be found in.
   */
  waiting: string[];
  dropped: string[];
  /** Rows moved out of the default partition into their day's new partition. */
  moved: number;
  /** Rows older than the retention deleted from the default partition and from positions_set_aside. */
  deleted: number;
  /** Duration of the run. */
  ms: number;
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

/**
 * A rewritten partition keeps its day's name with a suffix, how the job tells them apart: `_c`
 * compacted (every fix, in unit order), `_m` thinned (one fix per unit and minute).
 */
const baseName = (name: string): string => name.replace(/_[cm]$/, '');
export const compactedName = (name: string): string => `${baseName(name)}_c`;
export const thinnedName = (name: string): string => `${baseName(name)}_m`;
export const isCompacted = (name: string): boolean => name.endsWith('_c');
export const isThinned = (name: string): boolean => name.endsWith('_m');
/**
 * A day is compacted once no fix of it can come any more: lib/live/validate.ts refuses fixes over
 * 24 h old, so a day after its end, and an hour more for batches still on their way.
 */
const COMPACT_AFTER_MS = DAY_MS + 3600_000;
/** Days compacted in one run at most: a first run over months of history must not run for hours. */
const COMPACT_PER_RUN = 2;

// Only our own names and ISO instants ever reach DDL (which takes no parameters); checked anyway.
function literal(ms: number): string {
  return `'${new Date(ms).toISOString()}'`;
}
const bound = (ms: number | null, open: 'MINVALUE' | 'MAXVALUE') => (ms === null ? open : literal(ms));
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
 * The local days (YYYY-MM-DD) of [from, to) that coverage_days lacks. An unbounded start (the old
 * table of migration 015) starts at its oldest fix, found by one index probe per unit, not a scan.
 */
async function uncovered(c: Tx, p: Partition & { to: number }): Promise<string[]> {
  let from = p.from;
  if (from === null) {
    const { rows } = await c.query<{ oldest: number | null }>(
      `SELECT (extract(epoch FROM min(l.at)) * 1000)::float8 AS oldest
         FROM units u CROSS JOIN LATERAL (SELECT at FROM ${ident(p.name)} WHERE unit_id = u.id ORDER BY at LIMIT 1) l`,
    );
    from = rows[0].oldest;
    if (from === null) return [];
  }
  const { rows } = await c.query<{ day: string }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day
       FROM generate_series((${literal(from)}::timestamptz AT TIME ZONE '${LOCAL_ZONE}')::date,
                            ((${literal(p.to)}::timestamptz - interval '1 microsecond') AT TIME ZONE '${LOCAL_ZONE}')::date,
                            interval '1 day') d
      WHERE NOT EXISTS (SELECT 1 FROM coverage_days c WHERE c.day = d::date)
      ORDER BY d`,
  );
  return rows.map((r) => r.day);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Replaces partition `p` by table `into`, filled by `select` (reading `src`), for the same range.
 * The copy is filled, checked (range and foreign key, so ATTACH scans nothing) and indexed (the
 * parent's indexes are then adopted, not built) in one transaction holding `p` in SHARE mode only:
 * readers and the writers of other days go on, and a straggler of this day, were one to come
 * (none should: see COMPACT_AFTER_MS), cannot slip in between the copy and the drop. Only the swap
 * at the end, dropping `p` and attaching the copy, locks positions itself, for a catalogue change;
 * if a long query keeps it from the lock, it lets go and tries again rather than lose the copy.
 */
async function rewrite(c: Tx, p: Partition & { to: number }, into: string, select: (src: string) => string): Promise<void> {
  const src = ident(p.name);
  const m = ident(into);
  const range = [p.from === null ? null : `at >= ${literal(p.from)}`, `at < ${literal(p.to)}`].filter(Boolean).join(' AND ');
  // The empty copy and its foreign key first, in a transaction of their own: adding the key locks
  // units against writes for a moment, which must not last the whole copy. A copy a failed run
  // left is made again.
  await inTx(c, async () => {
    await c.query(`DROP TABLE IF EXISTS ${m}`);
    await c.query(`CREATE TABLE ${m} (LIKE positions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await c.query(`ALTER TABLE ${m} ADD CONSTRAINT ${m}_range CHECK (${range})`);
    await c.query(`ALTER TABLE ${m} ADD CONSTRAINT ${m}_unit FOREIGN KEY (unit_id) REFERENCES units (id) NOT VALID`);
  });
  await inTx(c, async () => {
    // A day of 2,000 units is ~35 M rows: the sort spills to disk at the default work_mem.
    await c.query(`SET LOCAL work_mem = '256MB'`);
    await c.query(`LOCK TABLE ${src} IN SHARE MODE`);
    await c.query(`INSERT INTO ${m} ${select(src)}`);
    // ATTACH would check every row against units under its lock (0.7 s for 4 M rows, measured).
    await c.query(`ALTER TABLE ${m} VALIDATE CONSTRAINT ${m}_unit`);
    await c.query(`CREATE UNIQUE INDEX ${m}_unit_at ON ${m} (unit_id, at DESC)`);
    await c.query(`CREATE INDEX ${m}_at_brin ON ${m} USING brin (at)`);
    await c.query(`ANALYZE ${m}`);
    for (let attempt = 1; ; attempt++) {
      await c.query('SAVEPOINT swap');
      try {
        // Dropping a partition detaches it too.
        await c.query(`DROP TABLE ${src}`);
        await c.query(`ALTER TABLE positions ATTACH PARTITION ${m} FOR VALUES FROM (${bound(p.from, 'MINVALUE')}) TO (${literal(p.to)})`);
        break;
      } catch (err) {
        await c.query('ROLLBACK TO SAVEPOINT swap');
        if (attempt >= SWAP_ATTEMPTS || (err as { code?: string }).code !== '55P03') throw err;
        await sleep(1000);
      }
    }
  });
}

/** Every fix, in (unit, time) order: a unit's day on a few hundred pages instead of one page per fix. */
const COMPACT = (src: string) => `SELECT * FROM ${src} ORDER BY unit_id, at`;
/** Each unit's first fix of every minute. */
const THIN = (src: string) => `SELECT DISTINCT ON (unit_id, date_trunc('minute', at)) * FROM ${src} ORDER BY unit_id, date_trunc('minute', at), at`;

/**
 * Keeps position history by `policy`: creates the partitions of today and DAYS_AHEAD days after
 * it, gives every row the default partition caught a partition of its own (or deletes it when it is
 * already past the thin retention), drops each partition wholly older than the thin retention,
 * thins each raw partition wholly older than the raw retention once coverage has been computed
 * for every local day it overlaps (the old unpartitioned table of migration 015 included), and
 * compacts up to COMPACT_PER_RUN finished days still raw.
 */
export async function maintainPositions(db: Db, policy: RetentionPolicy, now = Date.now()): Promise<RetentionResult> {
  const started = performance.now();
  const result: RetentionResult = { ran: false, created: [], compacted: [], thinned: [], waiting: [], dropped: [], moved: 0, deleted: 0, ms: 0 };
  const today = dayOf(now);
  const rawCutoff = today - policy.keepDays * DAY_MS;
  // Nothing goes before the raw retention, whatever the thin one says (config refuses a shorter one anyway).
  const cutoff = Math.min(rawCutoff, today - policy.thinKeepDays * DAY_MS);
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
      const kept: Array<Partition & { to: number }> = [];
      for (const p of ranged) {
        if (p.to === null) continue;
        if (p.to > cutoff) {
          kept.push({ ...p, to: p.to });
          continue;
        }
        await step(`drop ${p.name}`, async () => {
          await inTx(c, () => c.query(`DROP TABLE ${ident(p.name)}`));
          result.dropped.push(p.name);
        });
      }
      for (const p of kept.sort((a, b) => a.to - b.to)) {
        if (p.to > rawCutoff || isThinned(p.name)) continue;
        await step(`thin ${p.name}`, async () => {
          const { rows } = await c.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(p.name)}) AS any`);
          const missing = rows[0].any ? await uncovered(c, p) : [];
          if (missing.length) {
            result.waiting.push(p.name);
            log.info({ partition: p.name, uncovered: missing }, 'not thinned yet: coverage not computed for these local days');
            return;
          }
          await rewrite(c, p, thinnedName(p.name), THIN);
          result.thinned.push(p.name);
        });
      }
      // Newest first: the days most often replayed.
      const finished = kept.filter((p) => p.from !== null && p.to > rawCutoff && p.to + COMPACT_AFTER_MS <= now && !isCompacted(p.name) && !isThinned(p.name));
      for (const p of finished.sort((a, b) => b.to - a.to)) {
        if (result.compacted.length >= COMPACT_PER_RUN) break;
        await step(`compact ${p.name}`, async () => {
          const { rows } = await c.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(p.name)}) AS any`);
          if (!rows[0].any) return;
          await rewrite(c, p, compactedName(p.name), COMPACT);
          result.compacted.push(p.name);
        });
      }
      await step('positions_set_aside', async () => {
        // Fixes refused on the way in are raw: kept as long as the raw ones.
        const r = await c.query(`DELETE FROM positions_set_aside WHERE at < ${literal(rawCutoff)}`);
        result.deleted += r.rowCount ?? 0;
      });
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    c.release();
  }
  result.ms = Math.round(performance.now() - started);
  if (errors.length) throw new Error(`position retention: ${errors.join('; ')}`);
  return result;
}

/**
 * Keeps position history by POSITIONS_KEEP_DAYS and POSITIONS_THIN_KEEP_DAYS: runs at once (so the
 * coming days' partitions exist from the start) and then every hour.
 */
export function startRetention(
  app: Pick<AppContext, 'db'> & { config: Pick<AppContext['config'], 'positionsKeepDays' | 'positionsThinKeepDays'> },
  everyMs = 60 * 60 * 1000,
): { stop(): Promise<void> } {
  const policy = { keepDays: app.config.positionsKeepDays, thinKeepDays: app.config.positionsThinKeepDays };
  return repeat('retention', everyMs, async () => {
    const r = await maintainPositions(app.db, policy);
    if (r.created.length || r.compacted.length || r.thinned.length || r.waiting.length || r.dropped.length || r.moved || r.deleted)
      log.info({ ...r, ...policy }, 'position history partitions maintained');
  });
}
