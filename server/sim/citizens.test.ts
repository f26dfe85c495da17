import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@/lib/random';
import { pastIncidents, type PastIncident } from '@/lib/sim/history';
import { fraction } from '@/lib/sim/workflow';
import { resolveArea } from '../analytics/areas';
import { kpiFigures } from '../analytics/figures';
import { requestByCode, trackingOf } from '../citizen/track';
import { migrate } from '../db/migrate';
import { createPool, inTransaction, type Db } from '../db/pool';
import { seedDemo } from '../seed/demo';
import { seedMediation } from '../seed/mediation';
import { TEST_DATABASE_URL } from '../test/env';
import { withTestServer } from '../test/server';
import { backfillIfEmpty } from './backfill';
import { incidentPlaces } from './index';
import { ResidentFeed } from './residents';
import { SimWorkflow } from './workflow';
import { loadWorld } from './world';

/*
 * Issue 14 in the demo (S4, S8, S9, S14): simulated residents go through the real citizens' path
 * and the simulated station answers them; the first start's history gives the cockpit's
 * 群众满意率, 调解成功率 and 调解用时 something to show.
 */

const ts = withTestServer(`simcitizens:${process.pid}:`);
const quietLog = () => {};
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const day = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 10);

describe('seeded mediation registers (S4)', () => {
  it('gives every station a people’s mediation studio, its seeded mediators, a lawyer and a 乡贤; again adds nothing', async () => {
    const { rows } = await ts.app.db.query<{ stations: number; studios: number; people: number; lawyers: number; elders: number; unplaced: number }>(
      `SELECT (SELECT count(*) FROM stations)::int AS stations,
              (SELECT count(DISTINCT station_id) FROM mediation_studios WHERE name LIKE '%人民调解工作室')::int AS studios,
              (SELECT count(DISTINCT station_id) FROM mediators WHERE kind = 'people' AND person_id IS NOT NULL)::int AS people,
              (SELECT count(DISTINCT station_id) FROM mediators WHERE kind = 'lawyer' AND person_id IS NULL)::int AS lawyers,
              (SELECT count(DISTINCT station_id) FROM mediators WHERE kind = 'xiangxian' AND person_id IS NULL)::int AS elders,
              (SELECT count(*) FROM mediators WHERE studio_id IS NULL AND kind IN ('people', 'lawyer', 'xiangxian') AND name NOT LIKE '%（%')::int AS unplaced`,
    );
    const r = rows[0];
    expect(r.stations).toBeGreaterThan(0);
    expect(r).toMatchObject({ studios: r.stations, people: r.stations, lawyers: r.stations, elders: r.stations, unplaced: 0 });
    // The demo's phones for people without accounts are of the 1380000xxxx block, never a real-looking number.
    const phones = await ts.app.db.query<{ phone: string }>(`SELECT phone FROM mediators WHERE kind IN ('lawyer', 'xiangxian') AND phone IS NOT NULL`);
    expect(phones.rows.every((p) => /^1380000\d{4}$/.test(p.phone))).toBe(true);
    expect(await inTransaction(ts.app.db, (tx) => seedMediation(tx))).toEqual({ studios: 0, mediators: 0 });
  });
});

describe('simulated residents (issue 14; S9, S14)', () => {
  it('sends a question through submitCitizenRequest, which the simulated station answers within minutes; the resident then rates it', async () => {
    const world = await loadWorld(ts.app.db);
    // A new stream each run: the same resident sending the same words again today is merged into their first request.
    const feed = new ResidentFeed(ts.app, incidentPlaces(world), 0, seededRandom(Date.now() % 1e9), quietLog);
    let sent = await feed.send();
    for (let i = 0; i < 40 && sent.receipt.kind !== 'question'; i++) sent = await feed.send();
    expect(sent.receipt.kind).toBe('question');
    expect(sent.created).toBe(true);
    expect(sent.deviceId).toMatch(/^sim-resident-\d{4}$/);
    const { rows: ev } = await ts.app.db.query<{ source: string; citizen: boolean; kind: string; state: string; phone: string | null }>(
      `SELECT source, reported_by_citizen AS citizen, kind, state, reporter_phone AS phone FROM events WHERE id = $1`, [sent.eventId],
    );
    expect(ev[0]).toMatchObject({ source: 'citizen', citizen: true, kind: 'question', state: 'reported' });
    if (ev[0].phone !== null) expect(ev[0].phone).toMatch(/^1380000\d{4}$/);

    // A few minutes on (×1000: the dwell of minutes is a fraction of a second).
    const wf = new SimWorkflow(ts.app, 1000, seededRandom(12), quietLog);
    const state = async () => (await ts.app.db.query<{ state: string }>(`SELECT state FROM events WHERE id = $1`, [sent.eventId])).rows[0].state;
    for (let i = 0; i < 20 && (await state()) === 'reported'; i++) {
      await ts.app.db.query(`UPDATE events SET updated_at = now() - interval '1 hour' WHERE id = $1`, [sent.eventId]);
      await wf.tick(Date.now() + HOUR);
    }
    expect(await state()).toBe('closed');
    const { rows: log } = await ts.app.db.query<{ action: string; actor_role: string; note: string }>(
      `SELECT action, actor_role, note FROM event_log WHERE event_id = $1 ORDER BY id DESC LIMIT 1`, [sent.eventId],
    );
    expect(log[0]).toMatchObject({ action: 'answer', actor_role: 'deputy_chief' });
    // The resident reads the answer on their tracking page.
    const tracking = await trackingOf(ts.app, (await requestByCode(ts.app.db, sent.receipt.code))!);
    expect(tracking.status).toBe('answered');
    expect(tracking.steps.some((s) => s.note === log[0].note)).toBe(true);

    // Seven in ten rate, through the resident's own path with their device id.
    await ts.app.db.query(`UPDATE events SET closed_at = now() - interval '1 hour' WHERE id = $1`, [sent.eventId]);
    await wf.rateSome();
    const { rows: rated } = await ts.app.db.query<{ id: number; state: string; rating: number | null; own: number | null }>(
      `SELECT cr.id::int, e.state, e.rating, cr.rating AS own FROM citizen_requests cr JOIN events e ON e.id = cr.event_id WHERE cr.code = $1`,
      [sent.receipt.code],
    );
    if (fraction(rated[0].id, 'rate') < 0.7) {
      expect(rated[0]).toMatchObject({ state: 'rated', own: rated[0].rating });
      expect([5, 4, 1]).toContain(rated[0].rating);
    } else expect(rated[0]).toMatchObject({ state: 'closed', rating: null, own: null });
    expect(wf.failed).toBe(0);
  });
});

// The history is written into an empty events table (backfillIfEmpty) and event_log is append-only: a database of its own.
const NAME = `liandong_simhistory_${randomBytes(4).toString('hex')}`;
const urlOf = (database: string) => Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${database}` }).toString();

describe('history for the cockpit (issue 14: satisfaction and mediation)', () => {
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

  it('writes residents’ reports with ratings and months of mediation cases on the first start, so the district’s figures are not empty', async () => {
    const world = await loadWorld(db);
    const now = Date.now();
    let past: PastIncident[] = [];
    const written = await backfillIfEmpty(db, () => {
      past = pastIncidents(now - 30 * DAY, now, 4, seededRandom(21), incidentPlaces(world));
      return { incidents: past, now, casesFrom: now - 90 * DAY, seed: 22 };
    });
    expect(written.incidents).toBe(past.length);
    expect(written.cases).toBeGreaterThan(500);

    const { rows } = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE e.reported_by_citizen)::int AS citizen,
              count(*) FILTER (WHERE e.reported_by_citizen AND e.source = 'citizen' AND e.kind = 'problem')::int AS "citizenProblems",
              count(*) FILTER (WHERE e.reported_by_citizen AND e.closed_at IS NOT NULL)::int AS "citizenClosed",
              count(*) FILTER (WHERE e.state = 'rated' AND e.reported_by_citizen AND e.rating IS NOT NULL AND e.rated_at > e.closed_at)::int AS rated,
              count(*) FILTER (WHERE e.rating = 5)::int AS five, count(*) FILTER (WHERE e.rating = 4)::int AS four,
              count(*) FILTER (WHERE e.rating = 1)::int AS one,
              count(*) FILTER (WHERE e.reported_by_citizen AND cr.id IS NULL)::int AS "withoutRequest",
              count(*) FILTER (WHERE cr.id IS NOT NULL AND cr.rating IS NOT DISTINCT FROM e.rating AND cr.name IS NULL AND cr.phone IS NULL
                                 AND cr.device_id LIKE 'sim-resident-%')::int AS "requestsAgree"
         FROM events e LEFT JOIN citizen_requests cr ON cr.event_id = e.id`,
    );
    const r = rows[0];
    expect(r.n).toBe(past.length);
    expect(r.citizen / r.n).toBeGreaterThan(0.2);
    expect(r.citizen / r.n).toBeLessThan(0.3);
    expect(r.citizenProblems).toBe(r.citizen);
    expect(r.withoutRequest).toBe(0);
    expect(r.requestsAgree).toBe(r.citizen);
    expect(r.rated / r.citizenClosed).toBeGreaterThan(0.6);
    expect(r.rated / r.citizenClosed).toBeLessThan(0.75);
    expect(r.five).toBeGreaterThan(r.four);
    expect(r.four).toBeGreaterThan(r.one);
    expect(r.one).toBeGreaterThan(0);

    const { rows: m } = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE m.state = 'open')::int AS open,
              count(*) FILTER (WHERE m.outcome = 'success' AND m.agreement ? 'terms')::int AS success,
              count(*) FILTER (WHERE m.outcome IN ('failed', 'referred'))::int AS other,
              count(*) FILTER (WHERE m.event_id IS NOT NULL AND e.category = 'dispute' AND e.station_id = m.station_id)::int AS "fromDisputes",
              count(*) FILTER (WHERE m.mediator_id IS NULL OR d.station_id <> m.station_id OR m.studio_id IS DISTINCT FROM d.studio_id)::int AS misplaced,
              count(DISTINCT m.station_id)::int AS stations, min(m.opened_at) < now() - interval '80 days' AS "monthsBack"
         FROM mediation_cases m LEFT JOIN events e ON e.id = m.event_id LEFT JOIN mediators d ON d.id = m.mediator_id`,
    );
    const c = m[0];
    expect(c.n).toBe(written.cases);
    expect(c.stations).toBe(world.stations.size);
    expect(c.monthsBack).toBe(true);
    expect(c.fromDisputes).toBeGreaterThan(0);
    expect(c.misplaced).toBe(0);
    expect(c.open).toBeGreaterThan(0);
    expect(c.open / c.n).toBeLessThan(0.2);
    expect(c.success / (c.n - c.open)).toBeGreaterThan(0.7);
    expect(c.success / (c.n - c.open)).toBeLessThan(0.9);
    expect(c.other).toBeGreaterThan(0);

    // The cockpit's figures for the district over the last 30 days (server/analytics/figures.ts kpiFigures).
    const area = (await resolveArea(db, 'district'))!;
    const f = await kpiFigures(db, area, { from: day(now - 29 * DAY), to: day(now) }, false);
    expect(f.counters.rated).toBeGreaterThan(0);
    expect(f.counters.satisfied / f.counters.rated).toBeGreaterThan(0.8);
    expect(f.counters.satisfied / f.counters.rated).toBeLessThan(0.95);
    expect(f.mediation!.den).toBeGreaterThan(0);
    expect(f.mediation!.num / f.mediation!.den).toBeGreaterThan(0.7);
    expect(f.mediationDays!.median).toBeGreaterThan(1);
    expect(f.mediationDays!.median).toBeLessThan(30);
    // A second start adds nothing.
    expect(await backfillIfEmpty(db, () => ({ incidents: past, now, casesFrom: now, seed: 22 }))).toEqual({ incidents: 0, cases: 0 });
  });
});
