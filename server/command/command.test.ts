import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { meetingsOfMonth } from '@/lib/command/meetings';
import type { ConsultationV1, DispatchProposalV1, DispatchV1 } from '@/lib/contracts/command';
import { EventReportV1 } from '@/lib/contracts/events';
import { reportEvent } from '../events/report';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { escalateDispatches } from './escalate';
import { scheduleMeetings } from './meetings';
import { rankedFor } from './proposal';

const ts = withTestServer();
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

const key = () => `t-${randomUUID()}`;

const call = caller(() => ts.url);

/** The demo gridder's own grid, a point inside it from PostGIS, and the gridder's unit. */
async function gridderPlace(): Promise<{ grid: string; lon: number; lat: number; unitId: number; accountId: number; stationId: number }> {
  const { rows } = await ts.app.db.query(
    `SELECT r.grid_code AS grid, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat,
            u.id AS "unitId", a.id AS "accountId", a.station_id AS "stationId"
       FROM accounts a JOIN person_roles r ON r.person_id = a.person_id AND r.role = 'gridder_full'
       JOIN regions g ON g.code = r.grid_code JOIN units u ON u.person_id = a.person_id
      WHERE a.username = 'gridder'`,
  );
  return rows[0];
}

async function newEvent(category: string, at: { lon: number; lat: number }, subcategory?: string): Promise<number> {
  const r = await reportEvent(ts.app, { source: 'hotline_12345', accountId: null, role: 'system', name: 'test' },
    EventReportV1.parse({ v: 1, idempotencyKey: key(), category, subcategory, title: `联动测试 ${randomUUID().slice(0, 6)}`, location: { lon: at.lon, lat: at.lat } }));
  return r.id;
}

function fieldSocket(cookie: string): Promise<Socket> {
  const s = connect(`${ts.url}/field`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  sockets.push(s);
  return new Promise((resolve, reject) => (s.once('connect', () => resolve(s)), s.once('connect_error', reject)));
}

function liveSocket(cookie: string): Promise<Socket> {
  const s = connect(`${ts.url}/live`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  sockets.push(s);
  return new Promise((resolve, reject) => (s.once('connect', () => resolve(s)), s.once('connect_error', reject)));
}

function nextCommand<T>(s: Socket, match: (m: { type: string; dispatch?: DispatchV1; consultation?: ConsultationV1 }) => T | undefined, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching command message')), ms);
    const on = (m: { type: string; dispatch?: DispatchV1; consultation?: ConsultationV1 }) => {
      const hit = match(m);
      if (hit === undefined) return;
      clearTimeout(timer);
      s.off('command', on);
      resolve(hit);
    };
    s.on('command', on);
  });
}

describe('joint dispatch (S12)', () => {
  it('only the chief and the executive deputy chief may dispatch or call a consultation', async () => {
    const p = await gridderPlace();
    const eventId = await newEvent('public_order', p);
    for (const who of ['gridder', 'police', 'gridleader', 'admin']) {
      const cookie = await login(ts.url, who);
      const d = await call('POST', '/api/v1/dispatches', cookie, { eventId, unitIds: [p.unitId], requestKey: key() });
      expect(d.status, who).toBe(403);
      const c = await call('POST', '/api/v1/consultations', cookie, { eventIds: [eventId], requestKey: key() });
      expect(c.status, who).toBe(403);
    }
    const { rows } = await ts.app.db.query(`SELECT count(*)::int AS n FROM dispatches WHERE event_id = $1`, [eventId]);
    expect(rows[0].n).toBe(0);
  });

  it('names the field of a bad request', async () => {
    const deputy = await login(ts.url, 'deputy');
    const r = await call('POST', '/api/v1/dispatches', deputy, { eventId: 1, unitIds: [], requestKey: key() });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('unitIds');
  });

  it('ranks the nearest available units on fixtures with known answers', async () => {
    const p = await gridderPlace();
    const dept = `fx_${randomUUID().slice(0, 8)}`;
    await ts.app.db.query(`INSERT INTO departments (code, name, default_residency) VALUES ($1, '测试部门', 'resident')`, [dept]);
    // Due north of the event by 600 m (car), 300 m (on foot), 2 km (car, off duty) and 100 m (car, but live fix 5 km away).
    const north = (m: number) => p.lat + m / 111_195;
    const units = [
      { code: `${dept}-car`, kind: 'police', m: 600, status: 'available' },
      { code: `${dept}-walker`, kind: 'volunteer', m: 300, status: 'available' },
      { code: `${dept}-off`, kind: 'police', m: 2000, status: 'off_duty' },
      { code: `${dept}-moved`, kind: 'police', m: 100, status: 'available' },
    ];
    const ids: Record<string, number> = {};
    for (const u of units) {
      const { rows } = await ts.app.db.query<{ id: number }>(
        `INSERT INTO units (code, name, kind, department_id, station_id, status, last_position)
         VALUES ($1, $1, $2, (SELECT id FROM departments WHERE code = $3), $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)) RETURNING id`,
        [u.code, u.kind, dept, p.stationId, u.status, p.lon, north(u.m)],
      );
      ids[u.code] = rows[0].id;
    }
    const moved = ids[`${dept}-moved`];
    const positions = (id: number) => (id === moved ? { lon: p.lon, lat: north(5000), t: Date.now() } : undefined);
    try {
      const ranked = await rankedFor(ts.app.db, { id: 0, stationId: p.stationId, category: 'x', subcategory: null, department: null, lon: p.lon, lat: p.lat }, dept, positions);
      // car 600 m: 600×1.4/11 = 76 s; walker 300 m: 300×1.4/1.4 = 300 s; moved car 5 km: 5000×1.4/11 = 636 s; off duty: not offered.
      expect(ranked.map((r) => [r.code, r.distanceM, r.etaS])).toEqual([
        [`${dept}-car`, 600, 76],
        [`${dept}-walker`, 300, 300],
        [`${dept}-moved`, 5000, 636],
      ]);
      expect(ranked.find((r) => r.unitId === moved)?.live).toBe(true);
    } finally {
      await ts.app.db.query(`DELETE FROM units WHERE id = ANY($1::int[])`, [Object.values(ids)]);
      await ts.app.db.query(`DELETE FROM departments WHERE code = $1`, [dept]);
    }
  });

  it('proposes per force of the joint-handling rule, nearest first, and concurrent clicks make one dispatch', async () => {
    const p = await gridderPlace();
    const eventId = await newEvent('hazard', p, 'hazard.fire');
    const deputy = await login(ts.url, 'deputy');
    const chief = await login(ts.url, 'chief');
    const prop = (await call('GET', `/api/v1/dispatches/proposal?event=${eventId}`, deputy)).body as DispatchProposalV1;
    expect(prop.forces.map((f) => f.force)).toEqual(['fire', 'police', 'grid']);
    const police = prop.forces[1].candidates;
    expect(police.length).toBeGreaterThan(1);
    expect(police.map((c) => c.etaS)).toEqual([...police.map((c) => c.etaS)].sort((a, b) => a - b));
    const unitId = police[0].unitId;

    // A double click (same key) and two screens (other keys, other leader) at once.
    const k = key();
    const answers = await Promise.all([
      call('POST', '/api/v1/dispatches', deputy, { eventId, unitIds: [unitId], requestKey: k }),
      call('POST', '/api/v1/dispatches', deputy, { eventId, unitIds: [unitId], requestKey: k }),
      call('POST', '/api/v1/dispatches', deputy, { eventId, unitIds: [unitId], requestKey: key() }),
      call('POST', '/api/v1/dispatches', chief, { eventId, unitIds: [unitId], requestKey: key() }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.ids[0])).size).toBe(1);
    const { rows } = await ts.app.db.query(`SELECT id FROM dispatches WHERE event_id = $1 AND unit_id = $2`, [eventId, unitId]);
    expect(rows).toHaveLength(1);
    const audits = await ts.app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'dispatch.create' AND target = $1`, [`dispatch:${rows[0].id}`]);
    expect(audits.rows[0].n).toBe(1);

    // The unit now has an active dispatch: not offered again, and refused for another event by name.
    const again = (await call('GET', `/api/v1/dispatches/proposal?event=${eventId}`, deputy)).body as DispatchProposalV1;
    expect(again.forces[1].candidates.map((c) => c.unitId)).not.toContain(unitId);
    expect(again.active).toContain(unitId);
    // Another station's leader sees no proposal for this event.
    const { rows: elsewhere } = await ts.app.db.query<{ id: number }>(`SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [p.stationId]);
    const foreignDeputy = await ts.app.db.query(`UPDATE accounts SET station_id = $1 WHERE username = 'chief' RETURNING id`, [elsewhere[0].id]);
    try {
      expect(foreignDeputy.rowCount).toBe(1);
      // As if the event did not exist (issue 10: ids are sequential).
      expect((await call('GET', `/api/v1/dispatches/proposal?event=${eventId}`, await login(ts.url, 'chief'))).status).toBe(404);
    } finally {
      await ts.app.db.query(`UPDATE accounts SET station_id = $1 WHERE username = 'chief'`, [p.stationId]);
    }
    const other = await newEvent('public_order', p);
    const busy = await call('POST', '/api/v1/dispatches', deputy, { eventId: other, unitIds: [unitId], requestKey: key() });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toBe('unit_busy');
    expect(busy.body.issues[0].path).toBe('body.unitIds.0');
    await call('POST', `/api/v1/dispatches/${rows[0].id}/steps`, deputy, { step: 'cancel', requestKey: key() });
  });

  it('flags a dispatch not acknowledged in time, proposes the next nearest, and reassigns with one click', async () => {
    const p = await gridderPlace();
    const eventId = await newEvent('public_order', p);
    const deputy = await login(ts.url, 'deputy');
    const prop = (await call('GET', `/api/v1/dispatches/proposal?event=${eventId}`, deputy)).body as DispatchProposalV1;
    const [first, second] = prop.forces.find((f) => f.force === 'police')!.candidates;
    const sent = await call('POST', '/api/v1/dispatches', deputy, { eventId, unitIds: [first.unitId], requestKey: key() });
    const id = sent.body.ids[0] as number;

    expect(await escalateDispatches(ts.app, new Date(Date.now() + 60_000))).not.toContain(id);
    // Not yet overdue: nothing to reassign.
    expect((await call('POST', `/api/v1/dispatches/${id}/reassign`, deputy, { unitId: second.unitId, requestKey: key() })).status).toBe(409);
    const later = new Date(Date.now() + (ts.app.config.dispatchAckSeconds + 5) * 1000);
    expect(await escalateDispatches(ts.app, later)).toContain(id);
    expect(await escalateDispatches(ts.app, later)).not.toContain(id);

    const [d] = (await ts.app.db.query(`SELECT flagged_at, replacement FROM dispatches WHERE id = $1`, [id])).rows;
    expect(d.flagged_at).not.toBeNull();
    expect(d.replacement.unitId).toBe(second.unitId);
    const notices = await ts.app.db.query(
      `SELECT n.title FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.username = 'deputy' AND n.kind = 'dispatch_unacked' AND n.event_id = $1`,
      [eventId],
    );
    expect(notices.rows[0].title).toContain(first.name);
    const flagAudit = await ts.app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'dispatch.flag' AND target = $1`, [`dispatch:${id}`]);
    expect(flagAudit.rows[0].n).toBe(1);

    const re = await call('POST', `/api/v1/dispatches/${id}/reassign`, deputy, { unitId: second.unitId, requestKey: key() });
    expect(re.status).toBe(201);
    const states = (re.body.dispatches as DispatchV1[]).map((x) => [x.unitId, x.state]);
    expect(states).toEqual([[first.unitId, 'cancelled'], [second.unitId, 'dispatched']]);
    await call('POST', `/api/v1/dispatches/${re.body.ids[1]}/steps`, deputy, { step: 'cancel', requestKey: key() });
  });
});

describe('who hears of a dispatch, and who answers for it (S12)', () => {
  it('a team unit is answered by its department\'s staff at the station; other stations\' consoles hear nothing of it', async () => {
    const p = await gridderPlace();
    const eventId = await newEvent('public_order', p);
    const deputy = await login(ts.url, 'deputy');
    const police = await login(ts.url, 'police');
    const { rows: team } = await ts.app.db.query<{ id: number }>(
      `SELECT u.id FROM units u JOIN departments d ON d.id = u.department_id
        WHERE u.station_id = $1 AND u.is_team AND d.code = 'police' AND u.status = 'available'`,
      [p.stationId],
    );
    // A console of another station: the gridleader, moved there for this test (moving back ends that session, issue 10).
    const { rows: elsewhere } = await ts.app.db.query<{ id: number }>(`SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [p.stationId]);
    await ts.app.db.query(`UPDATE accounts SET station_id = $1 WHERE username = 'gridleader'`, [elsewhere[0].id]);
    onTestFinished(() => void ts.app.db.query(`UPDATE accounts SET station_id = $1 WHERE username = 'gridleader'`, [p.stationId]));
    const stranger = await login(ts.url, 'gridleader');
    const own = await liveSocket(deputy);
    const other = await liveSocket(stranger);
    const phone = await fieldSocket(police);
    const heardElsewhere: unknown[] = [];
    other.on('command', (m) => heardElsewhere.push(m));

    const onConsole = nextCommand(own, (m) => (m.dispatch?.eventId === eventId ? m.dispatch : undefined));
    const onPhone = nextCommand(phone, (m) => (m.dispatch?.eventId === eventId ? m.dispatch : undefined));
    const sent = await call('POST', '/api/v1/dispatches', deputy, { eventId, unitIds: [team[0].id, team[0].id], requestKey: key() });
    expect(sent.status).toBe(201);
    const d = (await onConsole) as DispatchV1;
    expect(((await onPhone) as DispatchV1).id).toBe(d.id);
    expect((await call('GET', '/api/v1/command/mine', police)).body.dispatches.map((x: DispatchV1) => x.id)).toContain(d.id);
    // Someone else's request key replayed by a stranger to the dispatch: refused, not answered.
    const k = key();
    expect((await call('POST', `/api/v1/dispatches/${d.id}/steps`, police, { step: 'acknowledge', requestKey: k })).status).toBe(201);
    expect((await call('POST', `/api/v1/dispatches/${d.id}/steps`, await login(ts.url, 'volunteer'), { step: 'acknowledge', requestKey: k })).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heardElsewhere).toEqual([]);
    await call('POST', `/api/v1/dispatches/${d.id}/steps`, deputy, { step: 'cancel', requestKey: key() });
  });

  it('names the listed position of a busy unit, however the list repeats itself', async () => {
    const p = await gridderPlace();
    const [a, b] = [await newEvent('public_order', p), await newEvent('public_order', p)];
    const deputy = await login(ts.url, 'deputy');
    const [free, busy] = (await call('GET', `/api/v1/dispatches/proposal?event=${a}`, deputy)).body.forces.find((f: { force: string }) => f.force === 'police').candidates;
    const first = await call('POST', '/api/v1/dispatches', deputy, { eventId: b, unitIds: [busy.unitId], requestKey: key() });
    const refused = await call('POST', '/api/v1/dispatches', deputy, { eventId: a, unitIds: [free.unitId, free.unitId, busy.unitId], requestKey: key() });
    expect(refused.status).toBe(409);
    expect(refused.body.issues[0].path).toBe('body.unitIds.2');
    // All or nothing: the free unit was not sent either.
    expect((await ts.app.db.query(`SELECT count(*)::int AS n FROM dispatches WHERE event_id = $1`, [a])).rows[0].n).toBe(0);
    await call('POST', `/api/v1/dispatches/${first.body.ids[0]}/steps`, deputy, { step: 'cancel', requestKey: key() });
  });
});

describe('emergency consultation (S11)', () => {
  it('one click invites by rule, live; accept, a decision that dispatches, the unit steps, the record closes; all audited', async () => {
    const p = await gridderPlace();
    const eventId = await newEvent('dispute', p, 'dispute.neighbour');
    const deputy = await login(ts.url, 'deputy');
    const gridder = await login(ts.url, 'gridder');
    const phone = await fieldSocket(gridder);
    const invited = nextCommand(phone, (m) => (m.consultation?.events.some((e) => e.id === eventId) ? m.consultation : undefined));

    const calls = await Promise.all([
      call('POST', '/api/v1/consultations', deputy, { eventIds: [eventId], requestKey: key() }),
      call('POST', '/api/v1/consultations', deputy, { eventIds: [eventId], requestKey: key() }),
    ]);
    expect(calls.map((c) => c.status).sort()).toEqual([200, 201]);
    expect(calls[0].body.id).toBe(calls[1].body.id);
    const c = (await invited) as ConsultationV1;
    const reasons = new Set(c.invitees.map((i) => i.reason));
    expect(reasons).toEqual(new Set(['站长', '常务副站长', '常驻部门值班', '专职网格员']));
    const me = c.invitees.find((i) => i.accountId === p.accountId)!;
    expect(me.response).toBe('invited');
    expect(c.invitees.find((i) => i.reason === '常务副站长')!.response).toBe('accepted');
    // Only the gridders of the affected grid, not the station's others.
    expect(c.invitees.filter((i) => i.reason === '专职网格员')).toHaveLength(1);

    const accepted = await call('POST', `/api/v1/consultations/${c.id}/reply`, gridder, { accept: true, requestKey: key() });
    expect(accepted.body.invitees.find((i: { accountId: number }) => i.accountId === p.accountId).response).toBe('accepted');
    const outsider = await call('POST', `/api/v1/consultations/${c.id}/reply`, await login(ts.url, 'volunteer'), { accept: true, requestKey: key() });
    expect(outsider.status).toBe(403);

    const rings = nextCommand(phone, (m) => (m.dispatch?.eventId === eventId ? m.dispatch : undefined));
    const decision = await call('POST', `/api/v1/consultations/${c.id}/decisions`, deputy, {
      text: '网格员先行到场稳控，司法所跟进调解', owner: '网格员', dueAt: new Date(Date.now() + 3600_000).toISOString(),
      spawn: { kind: 'dispatch', eventId, unitIds: [p.unitId] }, requestKey: key(),
    });
    expect(decision.status).toBe(201);
    const ring = (await rings) as DispatchV1;
    expect(ring.unitId).toBe(p.unitId);
    expect(ring.decisionId).toBe(decision.body.decisionId);

    // The deputy cannot acknowledge for the unit; the unit walks its own steps.
    expect((await call('POST', `/api/v1/dispatches/${ring.id}/steps`, deputy, { step: 'acknowledge', requestKey: key() })).status).toBe(409);
    for (const [step, state] of [['acknowledge', 'acknowledged'], ['depart', 'en_route'], ['arrive', 'on_scene'], ['clear', 'cleared']]) {
      const k = key();
      const r = await call('POST', `/api/v1/dispatches/${ring.id}/steps`, gridder, { step, requestKey: k });
      expect(r.status, step).toBe(201);
      expect(r.body.state).toBe(state);
      // A retried step (same key) is harmless.
      expect((await call('POST', `/api/v1/dispatches/${ring.id}/steps`, gridder, { step, requestKey: k })).status).toBe(200);
    }

    // A decision may instead give a department a sub-task on the event; an unknown one is refused by name.
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const bad = await call('POST', `/api/v1/consultations/${c.id}/decisions`, deputy, { text: '交办', owner: '司法所', dueAt: due, spawn: { kind: 'task', eventId, department: 'nowhere' }, requestKey: key() });
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0].path).toBe('body.spawn.department');
    const task = await call('POST', `/api/v1/consultations/${c.id}/decisions`, deputy, { text: '司法所明日调解', owner: '司法所', dueAt: due, spawn: { kind: 'task', eventId, department: 'justice' }, requestKey: key() });
    expect(task.status).toBe(201);
    const tasks = await ts.app.db.query(`SELECT department_code, note FROM event_tasks WHERE event_id = $1`, [eventId]);
    expect(tasks.rows).toEqual([{ department_code: 'justice', note: '司法所明日调解' }]);

    const closed = await call('POST', `/api/v1/consultations/${c.id}/close`, deputy, { summary: '已化解', requestKey: key() });
    expect(closed.body.state).toBe('closed');
    expect(closed.body.decisions[0].dispatchIds).toEqual([ring.id]);

    const { rows } = await ts.app.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target = $1 OR target = $2 ORDER BY id`,
      [`consultation:${c.id}`, `dispatch:${ring.id}`],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'consultation.call', 'consultation.accept', 'dispatch.create', 'consultation.decide',
      'dispatch.acknowledge', 'dispatch.depart', 'dispatch.arrive', 'dispatch.clear', 'consultation.decide', 'consultation.close',
    ]);
  });
});

describe('a drawn area: one consultation on several incidents (S11)', () => {
  it('invites the full-time gridders of every grid the incidents are in, and a second call joins it', async () => {
    const { rows: grids } = await ts.app.db.query<{ code: string; lon: number; lat: number }>(
      `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
        WHERE g.level = 'grid' AND sv.station_id = (SELECT station_id FROM accounts WHERE username = 'deputy')
        ORDER BY g.code LIMIT 2 OFFSET 4`,
    );
    const ids = [await newEvent('environment', grids[0]), await newEvent('city', grids[1])];
    const deputy = await login(ts.url, 'deputy');
    const first = await call('POST', '/api/v1/consultations', deputy, { eventIds: ids, requestKey: key() });
    expect(first.status).toBe(201);
    const c = first.body.consultation as ConsultationV1;
    expect(c.events.map((e) => e.id)).toEqual(ids);
    const { rows: expected } = await ts.app.db.query<{ name: string }>(
      `SELECT p.name FROM person_roles r JOIN people p ON p.id = r.person_id WHERE r.role = 'gridder_full' AND r.grid_code = ANY($1::text[]) ORDER BY p.name`,
      [grids.map((g) => g.code)],
    );
    expect(c.invitees.filter((i) => i.reason === '专职网格员').map((i) => i.name).sort()).toEqual(expected.map((r) => r.name).sort());
    expect(expected).toHaveLength(2);
    // Calling again on one of them (from the other screen) joins the open consultation.
    const again = await call('POST', '/api/v1/consultations', deputy, { eventIds: [ids[1]], requestKey: key() });
    expect([again.status, again.body.id]).toEqual([200, c.id]);
    // An area taking in one of them and a new incident elsewhere: the same consultation takes in the new one and its grid's gridder.
    const { rows: third } = await ts.app.db.query<{ code: string; lon: number; lat: number }>(
      `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
        WHERE g.level = 'grid' AND sv.station_id = (SELECT station_id FROM accounts WHERE username = 'deputy')
        ORDER BY g.code LIMIT 1 OFFSET 7`,
    );
    const more = await newEvent('city', third[0]);
    const joined = await call('POST', '/api/v1/consultations', deputy, { eventIds: [ids[0], more], requestKey: key() });
    expect([joined.status, joined.body.id]).toEqual([200, c.id]);
    const now = joined.body.consultation as ConsultationV1;
    expect(now.events.map((e) => e.id)).toEqual([...ids, more]);
    expect(now.invitees.filter((i) => i.reason === '专职网格员')).toHaveLength(3);
    const joins = await ts.app.db.query(`SELECT detail FROM audit_log WHERE action = 'consultation.join' AND target = $1`, [`consultation:${c.id}`]);
    expect(joins.rows).toEqual([{ detail: { eventIds: [more] } }]);
    // A decision cannot task a department on another station's incident.
    const { rows: foreign } = await ts.app.db.query<{ id: number }>(
      `SELECT id FROM events WHERE station_id <> (SELECT station_id FROM accounts WHERE username = 'deputy') LIMIT 1`,
    );
    if (foreign[0]) {
      const bad = await call('POST', `/api/v1/consultations/${c.id}/decisions`, deputy, {
        text: '越站交办', owner: '某部门', dueAt: new Date(Date.now() + 3600_000).toISOString(), spawn: { kind: 'task', eventId: foreign[0].id, department: 'police' }, requestKey: key(),
      });
      expect(bad.status).toBe(422);
    }
    await call('POST', `/api/v1/consultations/${c.id}/close`, deputy, { requestKey: key() });
  });
});

describe('regular consultations and joint inspections (S10, S11)', () => {
  it('schedules the month’s weekly and monthly meetings once, each with its invitees by rule', async () => {
    const p = await gridderPlace();
    const ids = await scheduleMeetings(ts.app, '2026-12', [p.stationId]);
    expect(await scheduleMeetings(ts.app, '2026-12', [p.stationId])).toEqual(ids);
    const scheduled = await ts.app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'consultation.schedule' AND target = ANY($1::text[])`, [ids.map((id) => `consultation:${id}`)]);
    expect(scheduled.rows[0].n).toBe(ids.length);
    const planned = meetingsOfMonth('2026-12', (await ts.app.reference.get()).calendar);
    const deputy = await login(ts.url, 'deputy');
    const list = (await call('GET', '/api/v1/meetings?month=2026-12', deputy)).body as ConsultationV1[];
    expect(list.map((m) => [m.kind, m.scheduledAt])).toEqual(planned.map((m) => [m.kind, m.startsAt.toISOString()]));
    expect(list.map((m) => m.scheduledAt)).toEqual([
      '2026-12-07T01:00:00.000Z', '2026-12-14T01:00:00.000Z', '2026-12-21T01:00:00.000Z', '2026-12-28T01:00:00.000Z', '2026-12-31T06:30:00.000Z',
    ]);
    const weekly = list[0];
    const monthly = list[4];
    expect(new Set(weekly.invitees.map((i) => i.reason))).toEqual(new Set(['常务副站长', '常驻部门值班', '专职网格员']));
    expect(new Set(monthly.invitees.map((i) => i.reason))).toEqual(new Set(['站长', '常务副站长', '入驻部门', '联驻部门', '专职网格员', '村（社区）负责人', '群众代表']));

    const present = weekly.invitees.slice(0, 3).map((i) => i.id);
    // Attendance is taken at the meeting, not before it.
    expect((await call('POST', `/api/v1/consultations/${weekly.id}/attendance`, deputy, { present, requestKey: key() })).status).toBe(409);
    // The agenda is what needs joint handling when the meeting opens (S11), not when it was scheduled.
    const coordinated = await newEvent('environment', p);
    await ts.app.db.query(`UPDATE events SET state = 'coordinated' WHERE id = $1`, [coordinated]);
    const opened = (await call('POST', `/api/v1/consultations/${weekly.id}/open`, deputy, { requestKey: key() })).body as ConsultationV1;
    expect(opened.state).toBe('open');
    expect(opened.agenda).toContainEqual(expect.objectContaining({ kind: 'coordinated', eventId: coordinated }));
    const att = await call('POST', `/api/v1/consultations/${weekly.id}/attendance`, deputy, { present, requestKey: key() });
    expect(att.body.invitees.filter((i: { response: string }) => i.response === 'attended').map((i: { id: number }) => i.id)).toEqual(present);
  });

  it('a key period raises the required inspections, and recorded inspections count against them', async () => {
    const deputy = await login(ts.url, 'deputy');
    const police = await login(ts.url, 'police');
    const plan = async () => (await call('GET', '/api/v1/inspections/plan?month=2027-03', deputy)).body;
    const before = await plan();
    const req = (b: typeof before, kind: string, dept: string | null) =>
      b.requirements.find((r: { kind: string; department: string | null }) => r.kind === kind && r.department === dept);
    expect(req(before, 'department_weekly', 'police').required).toBe(5);
    expect(req(before, 'station_monthly', null).required).toBe(1);

    expect((await call('POST', '/api/v1/key-periods', police, { name: '两会', startsOn: '2027-03-03', endsOn: '2027-03-12', requestKey: key() })).status).toBe(403);
    const k = await call('POST', '/api/v1/key-periods', deputy, { name: '全国两会', startsOn: '2027-03-03', endsOn: '2027-03-12', requestKey: key() });
    expect(k.status).toBe(201);
    const after = await plan();
    // Weeks of 1 and 8 March overlap the key period: two inspections each instead of one; station-wide weekly for those two weeks.
    expect(req(after, 'department_weekly', 'police').required).toBe(7);
    expect(req(after, 'station_monthly', null).required).toBe(2);
    expect(req(after, 'department_weekly', 'police').keyPeriod).toBe(true);

    const rec = await call('POST', '/api/v1/inspections', police, {
      kind: 'department_weekly', department: 'police', day: '2027-03-04', area: '集镇主街—菜场—学校周边', participants: ['民警', '网格员'], requestKey: key(),
    });
    expect(rec.status).toBe(201);
    const done = await plan();
    const w = req(done, 'department_weekly', 'police').windows.find((x: { from: string }) => x.from === '2027-03-01');
    expect([w.required, w.done]).toEqual([2, 1]);
    const bad = await call('POST', '/api/v1/inspections', police, { kind: 'station_monthly', department: 'police', day: '2027-03-04', area: 'x', participants: ['a'], requestKey: key() });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('department');
  });
});
