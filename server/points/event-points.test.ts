import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { runPoints } from './run';

/*
 * Issue 15 point 5 (S14) as the screens read it: the console drawer's 考评 section
 * (GET /api/v1/points/events/:id — false mark, S13 flags, the event's entries, within scope) and a
 * resident's points on the /m tracking answer (their phone's, without the phone number, without the
 * leader's words).
 */

const ts = withTestServer(`event-points:${process.pid}:`);
const call = caller(() => ts.url);
const cookies: Record<string, string> = {};
const key = () => `evp-${randomUUID()}`;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PHONE = `137${String(randomInt(10_000_000, 99_999_999))}`;

let station = 0;
let village = '';
let gridder = { person: 0, account: 0, name: '' };
let deputyAccount = 0;
let gridderEvent = 0;
let citizenEvent = 0;
let citizenCode = '';
let emptyCode = '';

const code = () => Array.from({ length: 10 }, () => CROCKFORD[randomInt(32)]).join('');

/**
 * A closed report (verified, S12): what the points job pays for. Two days before any earlier report
 * of this test's kind at the place, so that a second run on the same database is not the same
 * reporter's repeat within a day (lib/points/rules isRepeat), which rightly earns nothing.
 */
async function closedEvent(by: number | null, citizen: boolean): Promise<number> {
  const { rows: earliest } = await ts.app.db.query<{ at: Date | null }>(
    `SELECT min(reported_at) AS at FROM events WHERE village_code = $1 AND title = '考评区块测试'`, [village],
  );
  const reported = new Date(Math.min(Date.now() - 30 * 86400_000, (earliest[0].at?.getTime() ?? Infinity) - 2 * 86400_000));
  const { rows } = await ts.app.db.query<{ id: number }>(
    `INSERT INTO events (source, category, title, state, village_code, station_id, reported_by, reported_by_citizen, reported_at, updated_at, closed_at)
     VALUES ('test', 'environment', '考评区块测试', 'closed', $1, $2, $3, $4, $5, $5, $5::timestamptz + interval '2 days') RETURNING id::int`,
    [village, station, by, citizen, reported],
  );
  await ts.app.db.query(`INSERT INTO event_log (event_id, actor_id, to_state, action) VALUES ($1, $2, 'reported', 'report'), ($1, $3, 'closed', 'verify_pass')`, [rows[0].id, by, deputyAccount]);
  return rows[0].id;
}

async function citizenRequest(eventId: number, phone: string | null): Promise<string> {
  const c = code();
  await ts.app.db.query(
    `INSERT INTO citizen_requests (code, pin, kind, channel, device_id, idempotency_key, request_hash, content_hash, event_id, station_id, phone)
     VALUES ($1, '123456', 'report', 'web', $2, $2, 'h', 'h', $3, $4, $5)`,
    [c, `evp-${randomUUID()}`, eventId, station, phone],
  );
  return c;
}

beforeAll(async () => {
  const db = ts.app.db;
  station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  deputyAccount = (await db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  village = (await db.query<{ code: string }>(`SELECT village_code AS code FROM station_villages WHERE station_id = $1 ORDER BY village_code LIMIT 1`, [station])).rows[0].code;
  gridder = (await db.query<{ person: number; account: number; name: string }>(
    `SELECT p.id AS person, a.id AS account, p.name FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.username = 'gridder'`,
  )).rows[0];
  const other = (await db.query<{ id: number }>(`SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [station])).rows[0].id;
  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id) VALUES ('evp-other-deputy', $1, 'deputy_chief', '外站副站长', $2)
     ON CONFLICT (username) DO UPDATE SET station_id = EXCLUDED.station_id`,
    [await hashPassword('event-points-test'), other],
  );
  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name) VALUES ('evp-district-leader', $1, 'district_leader', '区领导')
     ON CONFLICT (username) DO NOTHING`,
    [await hashPassword('event-points-test')],
  );
  for (const u of ['gridder', 'deputy']) cookies[u] = await login(ts.url, u);
  cookies.other = await login(ts.url, 'evp-other-deputy', 'event-points-test');
  cookies.leader = await login(ts.url, 'evp-district-leader', 'event-points-test');

  gridderEvent = await closedEvent(gridder.account, false);
  citizenEvent = await closedEvent(null, true);
  citizenCode = await citizenRequest(citizenEvent, PHONE);
  // A resident whose request earned nothing (still open): no points block at all.
  const open = await closedEvent(null, true);
  await db.query(`UPDATE events SET state = 'accepted', closed_at = NULL WHERE id = $1`, [open]);
  emptyCode = await citizenRequest(open, `136${String(randomInt(10_000_000, 99_999_999))}`);
  const run = await runPoints(db, { full: true });
  expect(run.ran).toBe(true);
}, 60_000);

afterAll(async () => {
  await ts.app.db.query(`DELETE FROM accounts WHERE username IN ('evp-other-deputy', 'evp-district-leader')`).catch(() => undefined);
});

describe("the drawer's 考评 section reads an event's standing (S13, S14)", () => {
  it("shows the gridder's report points, no false mark, no flags", async () => {
    const res = await call('GET', `/api/v1/points/events/${gridderEvent}`, cookies.deputy);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventId: gridderEvent, falseReport: null, petitionSkip: false, groupIncident: false });
    expect(res.body.entries.map((e: { points: number; holderName: string }) => `${e.holderName} ${e.points}`)).toEqual([`${gridder.name} 2`]);
  });

  it('is for the station leaders of its station and the district: grid staff 403, another station 404, bad id 400 naming params.id', async () => {
    expect((await call('GET', `/api/v1/points/events/${gridderEvent}`, cookies.gridder)).status).toBe(403);
    expect((await call('GET', `/api/v1/points/events/${gridderEvent}`, cookies.other)).status).toBe(404);
    expect((await call('GET', `/api/v1/points/events/${gridderEvent}`, cookies.leader)).status).toBe(200);
    const bad = await call('GET', '/api/v1/points/events/abc', cookies.deputy);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('params.id');
  });

  it('after the deputy marks it false: the mark with its reason and the −2 beside the +2', async () => {
    const mark = await call('POST', '/api/v1/points/false-reports', cookies.deputy, { eventId: gridderEvent, reason: '现场核实无此情况', requestKey: key() });
    expect(mark.status).toBe(201);
    const res = await call('GET', `/api/v1/points/events/${gridderEvent}`, cookies.deputy);
    expect(res.body.falseReport).toMatchObject({ reason: '现场核实无此情况' });
    expect(Date.parse(res.body.falseReport.markedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.body.entries.map((e: { points: number }) => e.points)).toEqual([2, -2]);
  });

  it("shows the district's flags as the events table holds them", async () => {
    await ts.app.db.query(`UPDATE events SET petition_skip = true WHERE id = $1`, [gridderEvent]);
    const res = await call('GET', `/api/v1/points/events/${gridderEvent}`, cookies.leader);
    expect(res.body).toMatchObject({ petitionSkip: true, groupIncident: false });
  });

  it('names a resident only as 群众, never by phone', async () => {
    const res = await call('GET', `/api/v1/points/events/${citizenEvent}`, cookies.deputy);
    expect(res.body.entries.map((e: { holderName: string; points: number }) => `${e.holderName} ${e.points}`)).toEqual(['群众 5']);
    expect(JSON.stringify(res.body)).not.toContain(PHONE);
  });
});

describe("a resident's points on /m (S14 valid public tips)", () => {
  it('the tracking answer carries the balance and the entry in plain words, without the phone number', async () => {
    const res = await call('GET', `/api/v1/citizen/requests/${citizenCode}`, '');
    expect(res.status).toBe(200);
    expect(res.body.points).toEqual({ balance: 5, entries: [{ at: expect.any(String), points: 5, label: '群众有效举报（核查办结）' }] });
    expect(JSON.stringify(res.body)).not.toContain(PHONE);
    // The lookup by phone and PIN answers the same.
    const byPin = await call('POST', '/api/v1/citizen/lookup', '', { phone: PHONE, pin: '123456' });
    expect(byPin.body.points.balance).toBe(5);
  });

  it('found false: the clawback reads as such, without the leader’s note; the balance follows', async () => {
    expect((await call('POST', '/api/v1/points/false-reports', cookies.deputy, { eventId: citizenEvent, reason: '举报人张三所述不实', requestKey: key() })).status).toBe(201);
    const res = await call('GET', `/api/v1/citizen/requests/${citizenCode}`, '');
    expect(res.body.points.balance).toBe(0);
    expect(res.body.points.entries.map((e: { points: number; label: string }) => `${e.points} ${e.label}`)).toEqual([
      '-5 群众有效举报（核查办结）（查实为虚假上报，扣回）',
      '5 群众有效举报（核查办结）',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('张三');
  });

  it('a request that earned nothing has no points block', async () => {
    const res = await call('GET', `/api/v1/citizen/requests/${emptyCode}`, '');
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('points');
  });
});
