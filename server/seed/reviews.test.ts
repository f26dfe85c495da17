import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountabilityListQuery } from '@/lib/contracts/accountability';
import { seededRandom } from '@/lib/random';
import { pastIncidents } from '@/lib/sim/history';
import { shanghaiDay } from '@/lib/time/workdays';
import { eventFacts } from '../accountability/events';
import { listRecords } from '../accountability/read';
import { migrate } from '../db/migrate';
import { createPool, inTransaction, type Db } from '../db/pool';
import { listReviews } from '../reviews/read';
import { backfillIfEmpty } from '../sim/backfill';
import { incidentPlaces } from '../sim/index';
import { loadWorld } from '../sim/world';
import { TEST_DATABASE_URL } from '../test/env';
import { seedDemo } from './demo';
import { seedHistoryRecords } from './reviews';

/*
 * The demo's reviews and accountability records (issue 15 points 3 and 4; S13, S14) on a first
 * start: the seed writes no events, so the simulator still fills its history into the empty events
 * table (server/sim/backfill.ts backfills only then), and the two records that refer to events are
 * made from that history — a red-carded one and an overdue one of the same station.
 */

const DAY = 86_400_000;
// The seed and the backfill need an empty database: one of its own.
const NAME = `liandong_seedreviews_${randomBytes(4).toString('hex')}`;
const urlOf = (database: string) => Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${database}` }).toString();

describe('demo reviews and accountability records on a first start', () => {
  let admin: pg.Client;
  let db: Db;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: urlOf('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${NAME}`);
    db = createPool(urlOf(NAME), 4);
    await migrate(db);
    await seedDemo(db);
  }, 300_000);
  afterAll(async () => {
    await db?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    await admin?.end();
  });

  it('the seed leaves the events table empty, and shows reviews and the records by hand', async () => {
    expect((await db.query(`SELECT 1 FROM events LIMIT 1`)).rowCount).toBe(0);
    const reviews = await listReviews(db, { kind: 'district' }, {});
    expect(reviews.filter((r) => r.state === 'scored')).toHaveLength(3);
    expect(reviews.filter((r) => r.state === 'draft')).toHaveLength(1);
    expect(reviews.find((r) => r.openTasks === 2)).toMatchObject({ overdueTasks: 1 });
    const records = await listRecords(db, { reach: { kind: 'district' }, personId: null }, AccountabilityListQuery.parse({}));
    expect(records.map((r) => r.source)).toEqual(['manual', 'manual', 'manual']);
    expect(records.filter((r) => r.revokedAt !== null)).toHaveLength(1);
  });

  it('the first start backfills the history, then records one red-carded and one overdue event of it', async () => {
    const world = await loadWorld(db);
    const now = Date.now();
    const past = pastIncidents(now - 30 * DAY, now, 4, seededRandom(31), incidentPlaces(world));
    const written = await backfillIfEmpty(db, () => ({ incidents: past, now, casesFrom: now - 60 * DAY, seed: 32 }));
    expect(written.incidents).toBe(past.length);
    expect(written.incidents).toBeGreaterThan(1000);

    const records = await listRecords(db, { reach: { kind: 'district' }, personId: null }, AccountabilityListQuery.parse({}));
    expect(records.map((r) => r.source).sort()).toEqual(['manual', 'manual', 'manual', 'overdue', 'red_card']);
    const today = shanghaiDay(new Date(now));
    for (const source of ['red_card', 'overdue'] as const) {
      const r = records.find((x) => x.source === source)!;
      expect(r.events).toHaveLength(1);
      expect(r.people.length).toBeGreaterThan(0);
      expect(r.decidedOn <= today).toBe(true);
      // What createRecord would check of it (server/accountability/write.ts): the station's event, past its limit, red-carded for a red card.
      const [e] = await eventFacts(db, [r.events[0].id]);
      expect(e).toMatchObject({ stationId: r.stationId, overdue: true, redCarded: source === 'red_card' });
    }
    // Every record names people of its own station only (S13), as createRecord requires.
    for (const r of records) {
      const { rows: foreign } = await db.query(
        `SELECT ap.person_id FROM accountability_people ap WHERE ap.record_id = $1
            AND NOT EXISTS (SELECT 1 FROM person_roles pr WHERE pr.person_id = ap.person_id AND pr.station_id = $2)`,
        [r.id, r.stationId],
      );
      expect([r.title, foreign]).toEqual([r.title, []]);
    }
    // The red card is logged as the supervision job logs it: what the red_cards indicator counts.
    const red = records.find((x) => x.source === 'red_card')!.events[0].id;
    const { rows: log } = await db.query(`SELECT 1 FROM event_log WHERE event_id = $1 AND action = 'supervise' AND data ->> 'card' = 'red'`, [red]);
    expect(log).toHaveLength(1);
    // Again: nothing more.
    expect(await inTransaction(db, (tx) => seedHistoryRecords(tx, new Date(now)))).toBe(0);
    expect(await backfillIfEmpty(db, () => ({ incidents: past, now, casesFrom: now, seed: 32 }))).toEqual({ incidents: 0, cases: 0 });
  });
});
