import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate';
import { createPool, type Db } from '../db/pool';
import { TEST_DATABASE_URL } from '../test/env';
import { compactedName, DAYS_AHEAD, dayOf, maintainPositions, partitionName, startRetention, thinnedName } from './retention';

// Partitions are created and dropped by date, so this runs on a database of its own.
const NAME = `liandong_retention_${randomBytes(4).toString('hex')}`;
const urlOf = (database: string) => Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${database}` }).toString();
const DAY = 24 * 3600_000;
const NOW = Date.now();
const TODAY = dayOf(NOW);

let admin: pg.Client;
let db: Db;
let unitId = 0;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${NAME}`);
  db = createPool(urlOf(NAME), 2);
  await migrate(db);
  unitId = (await db.query<{ id: number }>(`INSERT INTO units (code, name, kind) VALUES ('R-1', '保留期测试', 'gridder') RETURNING id`)).rows[0].id;
});

afterAll(async () => {
  await db?.end();
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
});

async function partitions(): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'positions'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Inserts one fix at `ms` and answers the partition it landed in. */
async function insertAt(ms: number): Promise<string> {
  const { rows } = await db.query<{ part: string }>(
    `INSERT INTO positions (unit_id, at, geom) VALUES ($1, to_timestamp($2 / 1000.0), ST_SetSRID(ST_MakePoint(120.3, 30.8), 4326))
     RETURNING tableoid::regclass::text AS part`,
    [unitId, ms],
  );
  return rows[0].part;
}

async function whereIs(ms: number): Promise<string[]> {
  const { rows } = await db.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM positions WHERE at = to_timestamp($1 / 1000.0)`, [ms]);
  return rows.map((r) => r.part);
}

/** Raw and thinned kept alike: the cases of issue 11, where a day past the retention is dropped. */
const only = (keepDays: number) => ({ keepDays, thinKeepDays: keepDays });

const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => partitionName(TODAY + (from + i) * DAY));

describe('position retention (issue 11, fault 5)', () => {
  it('the migration leaves a partition for yesterday to three days ahead, and a default one; today\'s fixes land in today\'s', async () => {
    expect(await partitions()).toEqual([...days(-1, DAYS_AHEAD), 'positions_default'].sort());
    expect(await insertAt(NOW)).toBe(partitionName(TODAY));
    expect(await insertAt(NOW - DAY)).toBe(partitionName(TODAY - DAY));
  });

  it('a fix of a day without a partition still goes in, into the default partition', async () => {
    expect(await insertAt(Date.UTC(2100, 0, 1))).toBe('positions_default');
  });

  it('runs at once when started and stops cleanly', async () => {
    const job = startRetention({ db, config: { positionsKeepDays: 31, positionsThinKeepDays: 31 } }, 3600_000);
    await job.stop();
    // The default partition's fix of 2100 got a partition of its own; nothing else was due.
    expect(await whereIs(Date.UTC(2100, 0, 1))).toEqual(['positions_p21000101']);
    expect(await partitions()).toEqual([...days(-1, DAYS_AHEAD), 'positions_default', 'positions_p21000101'].sort());
  });

  it('creates the coming days\' partitions and drops the days past the retention', async () => {
    const later = TODAY + 10 * DAY;
    const r = await maintainPositions(db, only(31), later + 3600_000);
    // The finished days that hold fixes are compacted (newest first), the empty ones left be.
    expect(r).toMatchObject({ ran: true, created: days(10, 10 + DAYS_AHEAD), compacted: days(-1, 0).reverse(), dropped: [], moved: 0 });
    expect(await insertAt(later + 7200_000)).toBe(partitionName(later));

    // Keeping 5 days on day +10: days -1 to +3 ended before day +5 began.
    const again = await maintainPositions(db, only(5), later + 3600_000);
    expect(again.created).toEqual([]);
    expect(again.dropped.sort()).toEqual([...days(-1, 0).map(compactedName), ...days(1, DAYS_AHEAD)]);
    expect(await whereIs(NOW)).toEqual([]);
    expect(await whereIs(later + 7200_000)).toEqual([partitionName(later)]);
  });

  it('gives the rows the default partition caught a partition of their own, and deletes those already past the retention', async () => {
    const day = TODAY + 20 * DAY;
    const late = day + 5 * 3600_000;
    const ancient = Date.UTC(2001, 0, 1);
    expect(await insertAt(late)).toBe('positions_default');
    expect(await insertAt(ancient)).toBe('positions_default');
    await db.query(`INSERT INTO positions_set_aside (raw, error, at) VALUES ('{"speed": 1e39}', '22003 test', now() - interval '400 days')`);

    const r = await maintainPositions(db, only(31), day + 3600_000);
    expect(r.created).toEqual(days(20, 20 + DAYS_AHEAD));
    expect(r).toMatchObject({ moved: 1, deleted: 2 });
    expect(await whereIs(late)).toEqual([partitionName(day)]);
    expect(await whereIs(ancient)).toEqual([]);
    expect((await db.query(`SELECT 1 FROM positions_default`)).rowCount).toBe(0);
    expect((await db.query(`SELECT 1 FROM positions_set_aside`)).rowCount).toBe(0);
  });

  it('keeps the rows of a database from before partitioning, and drops them whole once they are past the retention', async () => {
    const old = [NOW - 40 * DAY, NOW - 2 * DAY, NOW];
    await unpartitioned(old);
    await migrate(db);
    for (const t of old) expect(await whereIs(t)).toEqual(['positions_legacy']);
    const { rows } = await db.query<{ bound: string; indexes: string[] }>(
      `SELECT pg_get_expr(c.relpartbound, c.oid) AS bound,
              ARRAY(SELECT x.relname::text FROM pg_index ix JOIN pg_class x ON x.oid = ix.indexrelid
                     WHERE ix.indrelid = c.oid AND x.relispartition ORDER BY 1) AS indexes
         FROM pg_class c WHERE c.relname = 'positions_legacy'`,
    );
    expect(rows[0].bound).toMatch(/^FOR VALUES FROM \(MINVALUE\) TO \('/);
    // The old indexes serve the partitioned ones as they were, not built again.
    expect(rows[0].indexes).toEqual(['positions_legacy_at_brin', 'positions_legacy_unit_at']);
    expect(await partitions()).toEqual(['positions_default', 'positions_legacy', ...days(1, DAYS_AHEAD)].sort());
    expect(await insertAt(NOW + DAY)).toBe(partitionName(TODAY + DAY));

    // Its newest row is today's: it stays while today is within the retention, and goes after.
    expect((await maintainPositions(db, only(31), NOW + 31 * DAY)).dropped).toEqual([]);
    const r = await maintainPositions(db, only(31), NOW + 32 * DAY);
    expect(r.dropped).toContain('positions_legacy');
    for (const t of old) expect(await whereIs(t)).toEqual([]);
  });

  it('bounds the old table by its newest day, so history already past the retention goes at the first run', async () => {
    const old = [NOW - 50 * DAY, NOW - 40 * DAY];
    await unpartitioned(old);
    await migrate(db);
    expect(await partitions()).toEqual(['positions_default', 'positions_legacy', ...days(-1, DAYS_AHEAD)].sort());
    const r = await maintainPositions(db, only(31), NOW);
    expect(r.dropped).toEqual(['positions_legacy']);
    for (const t of old) expect(await whereIs(t)).toEqual([]);
  });
});

/** The table as migration 003 made it, holding `times`, with migration 015 still to come. */
async function unpartitioned(times: readonly number[]): Promise<void> {
  await db.query(`DROP TABLE positions`);
  await db.query(`CREATE TABLE positions (
    unit_id integer NOT NULL REFERENCES units (id), at timestamptz NOT NULL, geom geometry(Point, 4326) NOT NULL,
    speed real, heading real, accuracy real)`);
  await db.query(`CREATE INDEX positions_unit_at ON positions (unit_id, at DESC)`);
  await db.query(`CREATE INDEX positions_at_brin ON positions USING brin (at)`);
  await db.query(`DELETE FROM schema_migrations WHERE name = '015_positions_retention.sql'`);
  for (const t of times) await insertAt(t);
}

describe('compaction and thinning of position history (issue 12)', () => {
  const POLICY = { keepDays: 90, thinKeepDays: 730 };
  // Far from the days the cases above used, so their partitions stay out of the way.
  const D = TODAY + 400 * DAY;
  const W = D + DAY;
  const Dc = compactedName(partitionName(D));
  const Wc = compactedName(partitionName(W));
  let other = 0;

  /**
   * Two units, one fix every 5 s from 15:00:03 to 16:59:58 UTC (the local day, UTC+8, turns at
   * 16:00), stored in time order as the history writer stores them.
   */
  async function plant(day: number): Promise<void> {
    await db.query(
      `INSERT INTO positions (unit_id, at, geom)
       SELECT u, to_timestamp($2 / 1000.0) + make_interval(secs => 3 + 5 * s), ST_SetSRID(ST_MakePoint(120.3 + s * 1e-5, 30.8), 4326)
         FROM generate_series(0, 1439) AS s, unnest($1::int[]) AS u
        ORDER BY s, u`,
      [[unitId, other], day + 15 * 3600_000],
    );
  }
  const rowsOf = async (day: number) =>
    (
      await db.query<{ part: string; n: number; perMinute: number; seconds: number[] }>(
        `SELECT tableoid::regclass::text AS part, count(*)::int AS n,
                max(n)::int AS "perMinute", array_agg(DISTINCT s ORDER BY s) AS seconds
           FROM (SELECT tableoid, count(*) OVER (PARTITION BY unit_id, date_trunc('minute', at)) AS n, extract(second FROM at)::int AS s
                   FROM positions WHERE at >= to_timestamp($1 / 1000.0) AND at < to_timestamp($1 / 1000.0) + interval '1 day') x
          GROUP BY 1`,
        [day],
      )
    ).rows;
  /** How often the unit changes from one row to the next in the table's physical order. */
  const unitSwitches = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT unit_id <> lag(unit_id) OVER (ORDER BY ctid) AS switched FROM ${table}) x WHERE switched`)).rows[0].n;
  const cover = (...localDays: string[]) => db.query(`INSERT INTO coverage_days (day) SELECT unnest($1::date[]) ON CONFLICT DO NOTHING`, [localDays]);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  beforeAll(async () => {
    other = (await db.query<{ id: number }>(`INSERT INTO units (code, name, kind) VALUES ('R-2', '保留期测试二', 'gridder') RETURNING id`)).rows[0].id;
    const r = await maintainPositions(db, POLICY, D + 3600_000);
    expect(r.created).toEqual(days(400, 400 + DAYS_AHEAD));
    // The days of the cases above, long past the raw retention here and without a fix, lose
    // nothing: thinned without waiting for coverage.
    expect(r).toMatchObject({ thinned: days(-1, DAYS_AHEAD), waiting: [], dropped: [] });
    await plant(D);
    await plant(W);
  });

  it('leaves a day raw while fixes of it may still come (up to 24 h old, and an hour on the way)', async () => {
    const r = await maintainPositions(db, POLICY, D + 2 * DAY + 1800_000);
    expect(r.compacted).toEqual([]);
    expect(await unitSwitches(partitionName(D))).toBeGreaterThan(1000);
  });

  it('compacts a finished day in unit order, every raw fix kept through the raw retention', async () => {
    const r = await maintainPositions(db, POLICY, D + 3 * DAY + 3600_000);
    expect(r.compacted).toEqual([partitionName(W), partitionName(D)]);
    expect(await unitSwitches(Dc)).toBe(1);
    const kept = await maintainPositions(db, POLICY, D + 90 * DAY + 3600_000);
    expect(kept).toMatchObject({ compacted: [], thinned: [], waiting: [] });
    expect(await rowsOf(D)).toEqual([{ part: Dc, n: 2880, perMinute: 12, seconds: [3, 8, 13, 18, 23, 28, 33, 38, 43, 48, 53, 58] }]);
    expect(await insertAt(D + 3600_000)).toBe(Dc);
    await db.query(`DELETE FROM positions WHERE unit_id = $1 AND at = to_timestamp($2 / 1000.0)`, [unitId, D + 3600_000]);
  });

  it('does not thin a day past the raw retention until coverage has computed both local days it overlaps', async () => {
    // UTC day D is local day D from 08:00 and local day D+1 until 08:00.
    const r = await maintainPositions(db, POLICY, D + 91 * DAY + 3600_000);
    expect(r).toMatchObject({ thinned: [], waiting: [Dc] });
    await cover(iso(D));
    const again = await maintainPositions(db, POLICY, D + 91 * DAY + 3600_000);
    expect(again.waiting).toEqual([Dc]);
    expect(await rowsOf(D)).toEqual([expect.objectContaining({ part: Dc, n: 2880 })]);
  });

  it('thins a covered day to each unit\'s first fix of every minute, still read and written through positions', async () => {
    await cover(iso(D + DAY));
    // A copy left behind by a run that failed before its swap is made again.
    await db.query(`CREATE TABLE ${thinnedName(partitionName(D))} (leftover int)`);
    const r = await maintainPositions(db, POLICY, D + 91 * DAY + 3600_000);
    expect(r).toMatchObject({ ran: true, thinned: [Dc], waiting: [], dropped: [] });
    expect(r.ms).toBeGreaterThan(0);
    // 2 units × 120 minutes, each minute's first fix (hh:mm:03) kept.
    expect(await rowsOf(D)).toEqual([{ part: thinnedName(partitionName(D)), n: 240, perMinute: 1, seconds: [3] }]);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM positions WHERE unit_id = $1 AND at >= to_timestamp($2 / 1000.0) AND at < to_timestamp($2 / 1000.0) + interval '1 hour'`,
      [other, D + 16 * 3600_000],
    );
    expect(rows[0].n).toBe(60);
    expect(await insertAt(D + 3600_000)).toBe(thinnedName(partitionName(D)));
    // Thinned once: the next run leaves it be; the next day, never covered, waits.
    expect(await maintainPositions(db, POLICY, D + 92 * DAY)).toMatchObject({ thinned: [], waiting: [Wc] });
  });

  it('drops a thinned day, and a day that never stopped waiting, once past the thin retention', async () => {
    const r = await maintainPositions(db, POLICY, D + 730 * DAY + 3600_000);
    expect(r.dropped).not.toContain(thinnedName(partitionName(D)));
    expect(r.waiting).toEqual([Wc]);
    const last = await maintainPositions(db, POLICY, W + 731 * DAY + 3600_000);
    expect(last.dropped).toEqual(expect.arrayContaining([thinnedName(partitionName(D)), Wc]));
    expect(last.waiting).toEqual([]);
    expect(await rowsOf(D)).toEqual([]);
    expect(await rowsOf(W)).toEqual([]);
    // Still ahead of the moved clock: the run on day D+730 made D+730 to D+733, this one on D+732 the two after.
    expect(last.created).toEqual(days(400 + 734, 400 + 735));
  });
});
