import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate';
import { createPool, type Db } from '../db/pool';
import { TEST_DATABASE_URL } from '../test/env';
import { DAYS_AHEAD, dayOf, maintainPositions, partitionName, startRetention } from './retention';

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
    const job = startRetention({ db, config: { positionsKeepDays: 31 } }, 3600_000);
    await job.stop();
    // The default partition's fix of 2100 got a partition of its own; nothing else was due.
    expect(await whereIs(Date.UTC(2100, 0, 1))).toEqual(['positions_p21000101']);
    expect(await partitions()).toEqual([...days(-1, DAYS_AHEAD), 'positions_default', 'positions_p21000101'].sort());
  });

  it('creates the coming days\' partitions and drops the days past the retention', async () => {
    const later = TODAY + 10 * DAY;
    const r = await maintainPositions(db, 31, later + 3600_000);
    expect(r).toMatchObject({ ran: true, created: days(10, 10 + DAYS_AHEAD), dropped: [], moved: 0 });
    expect(await insertAt(later + 7200_000)).toBe(partitionName(later));

    // Keeping 5 days on day +10: days -1 to +3 ended before day +5 began.
    const again = await maintainPositions(db, 5, later + 3600_000);
    expect(again.created).toEqual([]);
    expect(again.dropped.sort()).toEqual(days(-1, DAYS_AHEAD));
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

    const r = await maintainPositions(db, 31, day + 3600_000);
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
    expect((await maintainPositions(db, 31, NOW + 31 * DAY)).dropped).toEqual([]);
    const r = await maintainPositions(db, 31, NOW + 32 * DAY);
    expect(r.dropped).toContain('positions_legacy');
    for (const t of old) expect(await whereIs(t)).toEqual([]);
  });

  it('bounds the old table by its newest day, so history already past the retention goes at the first run', async () => {
    const old = [NOW - 50 * DAY, NOW - 40 * DAY];
    await unpartitioned(old);
    await migrate(db);
    expect(await partitions()).toEqual(['positions_default', 'positions_legacy', ...days(-1, DAYS_AHEAD)].sort());
    const r = await maintainPositions(db, 31, NOW);
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
