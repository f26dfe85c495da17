import { describe, expect, it } from 'vitest';
import { CHANNELS, IncidentV1, REJECT_REASONS } from '@/lib/contracts/live';
import { addWorkingDays } from '@/lib/time/workdays';
import { reportEvent } from '../events/report';
import { SimWorkflow } from './workflow';
import { UNIT_ACCOUNTS } from '../command/dispatch-read';
import { seededRandom } from '@/lib/random';
import { pastIncidents } from '@/lib/sim/history';
import { dispatchDwellMs } from '@/lib/sim/workflow';
import { withTestServer } from '../test/server';
import { BACKFILL_SOURCE, backfillIfEmpty, insertPastIncidents } from './backfill';
import { SIM_SOURCE } from './incidents';
import { latestFixes } from './positions';
import { incidentPlaces, startSimulator } from './index';
import { loadWorld } from './world';

const ts = withTestServer(`simtest:${process.pid}:`);
const quietLog = () => {};
const rejections = () => REJECT_REASONS.reduce((n, r) => n + ts.app.live!.ingest.counters[r], 0);
const HOUR = 3600_000;
/** The backfill's events: the station's own (source BACKFILL_SOURCE) and residents' reports (source 'citizen'), by their keys. */
const HISTORY = `(idempotency_key LIKE 'history-%' OR idempotency_key LIKE 'web:sim-resident-%:history-%')`;

describe('simulator on the live stack (test database, Redis)', () => {
  it('moves every unit through the live ingest with zero rejections, into the position history', async () => {
    const live = ts.app.live!;
    const rejectedBefore = rejections();
    const acceptedBefore = live.ingest.counters.accepted;
    const t0 = Date.now();
    // Units already quiet at start send one fix from before it (up to 20 min back): count from there.
    const since = t0 - 21 * 60_000;
    const history = async () =>
      (await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM positions WHERE at >= to_timestamp($1 / 1000.0)`, [since])).rows[0].n;
    const historyBefore = await history();
    // ×10: a report per unit every 0.5 s, so 1.5 s is three rounds of the whole district.
    const sim = await startSimulator(ts.app, live, { reportMs: 5000, incidentsPerHour: 0, speedup: 10, backfillDays: 0 }, quietLog);
    await new Promise((r) => setTimeout(r, 1500));
    await sim.stop();
    const s = sim.stats();

    expect(s.units).toBeGreaterThan(1000);
    expect(s.positions.accepted).toBeGreaterThan(2 * s.units);
    expect(s.positions.rejected).toEqual({});
    expect(rejections() - rejectedBefore).toBe(0);
    expect(live.ingest.counters.accepted - acceptedBefore).toBe(s.positions.accepted);
    // Batched: a few calls per second, not one per unit.
    expect(s.positions.slices).toBeLessThan(10);
    // Every unit is on the wall, those whose phone was already off at start with their last, older fix.
    const fixes = [...latestFixes(live.fanout.snapshot()).values()];
    expect(fixes.length).toBeGreaterThanOrEqual(s.units);
    expect(s.quiet).toBeGreaterThan(0);
    expect(fixes.filter((f) => f.t < t0).length).toBeGreaterThan(0);

    await expect.poll(async () => (await history()) - historyBefore, { timeout: 5000, interval: 200 }).toBe(s.positions.accepted);
    const { rows } = await ts.app.db.query<{ n: number; outside: number }>(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE NOT ST_Intersects(g.geom, p.geom)))::int AS outside
         FROM positions p JOIN units u ON u.id = p.unit_id JOIN regions g ON g.code = u.grid_code
        WHERE p.at >= to_timestamp($1 / 1000.0) AND u.kind IN ('gridder', 'volunteer') AND NOT u.is_team`,
      [t0],
    );
    expect(rows[0].n).toBeGreaterThan(1000);
    expect(rows[0].outside).toBe(0);
  });

  it('restarts from where each unit was, and steps back for a unit a real phone reports: no jump, no rejection', async () => {
    const rejectedBefore = rejections();
    // Another seed: a unit placed afresh would land elsewhere than where the first run left it.
    const live = ts.app.live!;
    const sim = await startSimulator(ts.app, live, { reportMs: 5000, incidentsPerHour: 0, speedup: 10, backfillDays: 0, seed: 7 }, quietLog);
    // Meanwhile a gridder's real phone reports its own unit, 50 m from where the simulation had it.
    const [id, fix] = [...latestFixes(live.fanout.snapshot())].reduce((a, b) => (b[1].t > a[1].t ? b : a));
    const code = live.units.get(id)!.code;
    const phone = { unit: code, t: Date.now() + 1, lon: fix.lon, lat: fix.lat + 0.00045 };
    expect((await live.ingest.ingest([phone])).accepted).toBe(1);
    await new Promise((r) => setTimeout(r, 700));
    await sim.stop();
    const s = sim.stats();
    expect(s.positions.accepted).toBeGreaterThan(0.8 * s.units);
    expect(s.positions.rejected).toEqual({});
    expect(rejections() - rejectedBefore).toBe(0);
    // The simulator stepped back for that unit: the phone's fix is still its latest.
    expect(s.positions.handovers).toBe(1);
    expect(latestFixes(live.fanout.snapshot()).get(id)).toMatchObject({ t: phone.t });
  });

  it('commits an incident and then publishes it on the incidents channel', async () => {
    const received: IncidentV1[] = [];
    const off = await ts.app.bus.subscribe(CHANNELS.incidents, (p) => received.push(IncidentV1.parse(JSON.parse(p.toString()))));
    // A high rate so one arrives within a second even at 03:00; stopped as soon as one has.
    const sim = await startSimulator(ts.app, ts.app.live!, { reportMs: 5000, incidentsPerHour: 10_000, speedup: 10, backfillDays: 0 }, quietLog);
    try {
      await expect.poll(() => received.length, { timeout: 8000, interval: 10 }).toBeGreaterThan(0);
    } finally {
      await sim.stop();
      await off();
    }
    expect(sim.stats().incidentsFailed).toBe(0);

    const got = received[0];
    const { rows } = await ts.app.db.query(
      `SELECT e.source, e.title, e.grid_code AS "gridCode", e.station_id AS "stationId",
              e.reported_at AS "reportedAt", e.deadline_at AS "deadlineAt", count(l.id)::int AS steps
         FROM events e LEFT JOIN event_log l ON l.event_id = e.id WHERE e.id = $1 GROUP BY e.id`,
      [got.id],
    );
    expect(rows[0]).toMatchObject({ source: SIM_SOURCE, title: got.title, gridCode: got.gridCode, steps: 1 });
    // Simulated reports take the same path as real ones: due for acceptance one working day on (S12, S13).
    expect(rows[0].deadlineAt).toEqual(addWorkingDays(rows[0].reportedAt, 1, (await ts.app.reference.get()).calendar));
    expect(got.gridCode).not.toBeNull();
    expect(got.stationId).not.toBeNull();
    expect(got.title).toMatch(/[\u4e00-\u9fff]{4,}/);
  });

  it('works simulated events along the closed loop through the same checked path as people (S12)', async () => {
    const g = await ts.app.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM regions WHERE level = 'grid' ORDER BY code DESC LIMIT 1`,
    );
    const receipt = await reportEvent(ts.app, { source: SIM_SOURCE, accountId: null, role: 'system', name: 'test' }, {
      v: 1, idempotencyKey: `wf-${Date.now()}`, category: 'market', title: '流程模拟测试', location: g.rows[0], photos: [],
    });
    await ts.app.db.query(`UPDATE events SET duplicate_of = NULL, updated_at = now() - interval '1 hour' WHERE id = $1`, [receipt.id]);
    const wf = new SimWorkflow(ts.app, 1000, seededRandom(3), quietLog);
    const state = async () => (await ts.app.db.query<{ state: string }>(`SELECT state FROM events WHERE id = $1`, [receipt.id])).rows[0].state;
    for (let i = 0; i < 12 && !['closed', 'returned'].includes(await state()); i += 1) {
      await ts.app.db.query(`UPDATE events SET updated_at = now() - interval '1 hour' WHERE id = $1`, [receipt.id]);
      await wf.tick(Date.now() + 3 * 24 * HOUR);
    }
    expect(wf.failed).toBe(0);
    const { rows } = await ts.app.db.query<{ to_state: string; action: string; actor_role: string }>(
      `SELECT to_state, action, actor_role FROM event_log WHERE event_id = $1 ORDER BY id`, [receipt.id],
    );
    const last = rows.at(-1)!;
    expect(['closed', 'returned']).toContain(last.to_state);
    if (last.to_state === 'closed') {
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['report', 'accept', 'start', 'handle', 'verify_pass']));
      expect(last.actor_role).toBe('gridder_full');
    }
  });

  it('sends the nearest units to a serious simulated event and plays them through their steps, leaving people’s units to people (S12)', async () => {
    const g = await ts.app.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM regions WHERE level = 'grid' ORDER BY code DESC LIMIT 1 OFFSET 3`,
    );
    const receipt = await reportEvent(ts.app, { source: SIM_SOURCE, accountId: null, role: 'system', name: 'test' }, {
      v: 1, idempotencyKey: `wfd-${Date.now()}`, category: 'public_order', title: '联动模拟测试', severity: 'critical', location: g.rows[0], photos: [],
    });
    await ts.app.db.query(`UPDATE events SET state = 'accepted' WHERE id = $1`, [receipt.id]);
    const moves: { unitId: number; to: [number, number] | null }[] = [];
    const wf = new SimWorkflow(ts.app, 1000, seededRandom(5), quietLog, { steer: (unitId, to) => (moves.push({ unitId, to }), true) });
    const ids = await wf.dispatchSome();
    try {
      expect(ids.length).toBeGreaterThan(0);
      const { rows: created } = await ts.app.db.query<{ event_id: number; created_name: string }>(`SELECT event_id, created_name FROM dispatches WHERE id = ANY($1::bigint[])`, [ids]);
      expect(created.every((r) => r.event_id === receipt.id && r.created_name === '演示模拟器')).toBe(true);
      // Asked again, it does not dispatch to the same event twice.
      expect(await wf.dispatchSome()).not.toEqual(expect.arrayContaining(ids));
      for (let i = 0; i < 6; i += 1) await wf.stepDispatches(Date.now() + 3 * 24 * HOUR);
      const { rows } = await ts.app.db.query<{ id: number; unitId: number; state: string; human: boolean }>(
        `SELECT d.id, d.unit_id AS "unitId", d.state, cardinality(${UNIT_ACCOUNTS}) > 0 AS human
           FROM dispatches d JOIN units u ON u.id = d.unit_id WHERE d.id = ANY($1::bigint[]) ORDER BY d.id`,
        [ids],
      );
      expect(rows.some((r) => r.state === 'cleared')).toBe(true);
      for (const r of rows) {
        if (r.human) expect(r.state).toBe('dispatched');
        else expect(['cleared', 'dispatched']).toContain(r.state);
        // A simulated unit left at 'dispatched' is one of the silent twelfth.
        if (!r.human && r.state === 'dispatched') expect(dispatchDwellMs(r.id, 'dispatched', null)).toBeNull();
        // A unit that went drove to the scene, and back to patrol once cleared; one that did not, never moved for it.
        const mine = moves.filter((m) => m.unitId === r.unitId);
        expect(mine).toEqual(r.state === 'cleared' ? [{ unitId: r.unitId, to: [g.rows[0].lon, g.rows[0].lat] }, { unitId: r.unitId, to: null }] : []);
      }
      expect(wf.failed).toBe(0);
    } finally {
      await ts.app.db.query(
        `UPDATE dispatches SET state = 'cancelled', ended_at = now() WHERE event_id = $1 AND state IN ('dispatched', 'acknowledged', 'en_route', 'on_scene')`,
        [receipt.id],
      );
      await ts.app.db.query(`UPDATE units SET status = 'available' WHERE status = 'dispatched' AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.unit_id = units.id AND d.state IN ('dispatched', 'acknowledged', 'en_route', 'on_scene'))`);
    }
  });

  it('writes the past weeks in one statement, placed by PostGIS, mostly closed, filling the heatmap windows', async () => {
    const world = await loadWorld(ts.app.db);
    const now = Date.now();
    const past = pastIncidents(now - 30 * 24 * HOUR, now, 4, seededRandom(1), incidentPlaces(world));
    const client = await ts.app.db.connect();
    try {
      await client.query('BEGIN');
      expect(await insertPastIncidents(client, past)).toBe(past.length);
      const { rows } = await client.query(
        `SELECT count(*)::int AS n,
                count(*) FILTER (WHERE grid_code IS NOT NULL AND village_code IS NOT NULL AND town_code IS NOT NULL AND station_id IS NOT NULL)::int AS placed,
                count(*) FILTER (WHERE closed_at IS NOT NULL)::int AS closed,
                count(*) FILTER (WHERE source = $1 OR (source = 'citizen' AND reported_by_citizen))::int AS sourced,
                count(*) FILTER (WHERE state NOT IN ('closed', 'rated', 'returned', 'merged'))::int AS open,
                count(*) FILTER (WHERE reported_at >= now() - interval '24 hours')::int AS h24,
                count(*) FILTER (WHERE reported_at >= now() - interval '7 days')::int AS d7,
                count(*) FILTER (WHERE reported_at >= now() - interval '30 days')::int AS d30,
                (SELECT count(*)::int FROM event_log l JOIN events x ON x.id = l.event_id
                  WHERE ${HISTORY.replaceAll('idempotency_key', 'x.idempotency_key')} AND l.to_state = x.state AND l.at = x.updated_at) AS logged
           FROM events WHERE ${HISTORY}`,
        [BACKFILL_SOURCE],
      );
      const r = rows[0];
      expect(r.n).toBe(past.length);
      expect(r.placed).toBe(past.length);
      expect(r.logged).toBe(past.length);
      expect(r.sourced).toBe(past.length);
      expect(r.closed / r.n).toBeGreaterThan(0.8);
      expect(r.open).toBeGreaterThan(0);
      expect(r.h24).toBeGreaterThan(0);
      expect(r.d7).toBeGreaterThan(r.h24);
      expect(r.d30).toBeGreaterThan(r.d7);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    // The previous test committed an incident: a table with events is never backfilled.
    expect(await backfillIfEmpty(ts.app.db, () => ({ incidents: past, now, casesFrom: now, seed: 1 }))).toEqual({ incidents: 0, cases: 0 });
  });
});
