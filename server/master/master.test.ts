import { randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';

const ts = withTestServer(`master:${process.pid}:`);
const call = caller(() => ts.url);
const one = async <T>(sql: string, args: unknown[] = []): Promise<T> => (await ts.app.db.query(sql, args)).rows[0] as T;
const deputyStation = () => one<{ id: number; town: string }>(`SELECT s.id, s.town_code AS town FROM stations s WHERE s.id = (SELECT station_id FROM accounts WHERE username = 'deputy')`);

describe('stations and the villages they cover (issue 10, S5)', () => {
  it('a village belongs to one station; villages outside the town are refused by name; the admin alone makes stations', async () => {
    const admin = await login(ts.url, 'admin');
    const taken = await one<{ code: string; town: string }>(`SELECT sv.village_code AS code, v.parent_code AS town FROM station_villages sv JOIN regions v ON v.code = sv.village_code LIMIT 1`);
    const otherTown = await one<{ code: string }>(`SELECT code FROM regions WHERE level = 'village' AND parent_code <> $1 LIMIT 1`, [taken.town]);
    const base = { code: `T${Date.now() % 1e6}`, name: '测试站', townCode: taken.town, lon: 120.4, lat: 30.8 };
    const clash = await call('POST', '/api/v1/stations', admin, { ...base, villageCodes: [taken.code] });
    expect(clash.status).toBe(422);
    expect(clash.body.issues[0]).toMatchObject({ path: 'body.villageCodes.0', message: expect.stringMatching(/已由 .+ 覆盖/) });
    const wrongTown = await call('POST', '/api/v1/stations', admin, { ...base, villageCodes: [otherTown.code] });
    expect(wrongTown.body.issues[0].path).toBe('body.villageCodes.0');
    expect((await call('POST', '/api/v1/stations', await login(ts.url, 'chief'), { ...base, villageCodes: [taken.code] })).status).toBe(403);
    const bad = await call('POST', '/api/v1/stations', admin, { ...base, lon: 200, villageCodes: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.lon', 'body.villageCodes']);
  });
});

describe('the duty roster decides who is invited and who is available (issue 10, S5, S11, S12)', () => {
  it('on a rostered day only the officers on duty are invited and proposed; a day without a roster keeps all staff', async () => {
    const s = await deputyStation();
    const deputy = await login(ts.url, 'deputy');
    const police = (await ts.app.db.query<{ id: number; unit: number | null }>(
      `SELECT p.id, (SELECT u.id FROM units u WHERE u.person_id = p.id LIMIT 1) AS unit FROM people p JOIN person_roles r ON r.person_id = p.id
        WHERE r.role = 'dept_staff' AND r.station_id = $1 AND p.department_id = (SELECT id FROM departments WHERE code = 'police') ORDER BY p.id`,
      [s.id],
    )).rows;
    expect(police.length).toBeGreaterThanOrEqual(2);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const put = await call('PUT', `/api/v1/stations/${s.id}/roster`, deputy, { day: today, department: 'police', personIds: [police[0].id] });
    expect(put.status).toBe(200);
    onTestFinished(async () => void (await ts.app.db.query(`DELETE FROM duty_roster WHERE station_id = $1 AND day = $2`, [s.id, today])));
    // Someone not of the department is refused, naming the position in the list.
    const wrong = await one<{ id: number }>(`SELECT p.id FROM people p WHERE p.station_id = $1 AND p.department_id IS NULL LIMIT 1`, [s.id]);
    const refused = await call('PUT', `/api/v1/stations/${s.id}/roster`, deputy, { day: today, department: 'police', personIds: [police[0].id, wrong.id] });
    expect(refused.body.issues[0].path).toBe('body.personIds.1');

    const grid = await one<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
        WHERE g.level = 'grid' AND sv.station_id = $1 LIMIT 1`,
      [s.id],
    );
    const ev = await call('POST', '/api/v1/events', await login(ts.url, 'gridder'), { v: 1, idempotencyKey: randomUUID(), category: 'public_order', title: `值班测试 ${randomUUID()}`, location: grid });
    const called = await call('POST', '/api/v1/consultations', deputy, { eventIds: [ev.body.id], requestKey: `duty-${randomUUID()}` });
    expect(called.status).toBe(201);
    const onDuty = called.body.consultation.invitees.filter((i: { reason: string; department: string }) => i.reason === '常驻部门值班' && i.department === 'police');
    expect(onDuty.map((i: { name: string }) => i.name)).toEqual([(await one<{ name: string }>(`SELECT name FROM people WHERE id = $1`, [police[0].id])).name]);

    const proposal = await call('GET', `/api/v1/dispatches/proposal?event=${ev.body.id}`, deputy);
    const offered = proposal.body.forces.flatMap((f: { candidates: { unitId: number }[] }) => f.candidates.map((c) => c.unitId));
    expect(offered).not.toContain(police[1].unit);
    await ts.app.db.query(`DELETE FROM duty_roster WHERE station_id = $1 AND day = $2`, [s.id, today]);
    const after = await call('GET', `/api/v1/dispatches/proposal?event=${ev.body.id}`, deputy);
    const police2 = after.body.forces.find((f: { force: string }) => f.force === 'police');
    expect(police2.candidates.length).toBeGreaterThan(onDuty.length);
    await call('POST', `/api/v1/consultations/${called.body.id}/close`, deputy, { summary: '测试结束', requestKey: `close-${randomUUID()}` });
  });
});

describe('people, accounts, units and devices of a station (issue 10, S6)', () => {
  it('a chief makes a person, an account, a unit and a device token for their own station; the token reports only its unit', async () => {
    const s = await deputyStation();
    const chief = await login(ts.url, 'chief');
    const grid = await one<{ code: string; lon: number; lat: number }>(
      `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
        WHERE g.level = 'grid' AND sv.station_id = $1 LIMIT 1`,
      [s.id],
    );
    const person = await call('POST', '/api/v1/people', chief, { name: '新网格员', phone: '13912345678', stationId: s.id, roles: [{ role: 'gridder_full', gridCode: grid.code }] });
    expect(person.status).toBe(201);
    // Other test files count the station's gridders and available units: this one leaves when done.
    onTestFinished(async () => {
      await ts.app.db.query(`DELETE FROM person_roles WHERE person_id = $1`, [person.body.id]);
      await ts.app.db.query(`UPDATE units SET status = 'off_duty' WHERE person_id = $1`, [person.body.id]);
    });
    const username = `g${Date.now() % 1e8}`;
    const wrongRole = await call('POST', '/api/v1/accounts', chief, { personId: person.body.id, username, password: 'a-long-password', role: 'deputy_chief' });
    expect(wrongRole.body.issues[0].path).toBe('body.role');
    const district = await call('POST', '/api/v1/accounts', chief, { personId: person.body.id, username, password: 'a-long-password', role: 'district_leader' });
    expect(district.body.issues[0].message).toMatch(/系统管理员/);
    const account = await call('POST', '/api/v1/accounts', chief, { personId: person.body.id, username, password: 'a-long-password', role: 'gridder_full' });
    expect(account.status).toBe(201);
    const session = await login(ts.url, username, 'a-long-password');
    expect((await call('GET', '/api/v1/auth/me', session)).body).toMatchObject({ role: 'gridder_full', stationId: s.id });

    // Phones: full for the station's leaders (the read is audited), masked for nobody else because nobody else may list.
    const people = await call('GET', `/api/v1/people?station=${s.id}`, chief);
    expect(people.body.find((p: { id: number }) => p.id === person.body.id).phone).toBe('13912345678');
    expect(await one(`SELECT 1 AS x FROM audit_log WHERE action = 'people.read' ORDER BY id DESC LIMIT 1`)).toEqual({ x: 1 });

    const code = `U${Date.now() % 1e8}`;
    const unit = await call('POST', '/api/v1/admin/units', chief, { code, name: '新网格员', kind: 'gridder', mobility: 'foot', stationId: s.id, personId: person.body.id, gridCode: grid.code });
    expect(unit.status).toBe(201);
    const token = await call('POST', '/api/v1/admin/device-tokens', chief, { name: '新网格员手机', unitId: unit.body.id, stationId: null });
    expect(token.status).toBe(201);
    expect(token.body.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const listed = await call('GET', '/api/v1/admin/device-tokens', chief);
    expect(JSON.stringify(listed.body)).not.toContain(token.body.secret);
    const other = await one<{ code: string }>(`SELECT code FROM units WHERE station_id = $1 AND id <> $2 LIMIT 1`, [s.id, unit.body.id]);
    const post = (positions: unknown[]) =>
      fetch(`${ts.url}/api/v1/positions`, { method: 'POST', headers: { authorization: `Bearer ${token.body.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ v: 1, positions }) }).then((r) => r.json());
    const r = await post([{ unit: code, t: Date.now(), lon: grid.lon, lat: grid.lat }, { unit: other.code, t: Date.now(), lon: grid.lon, lat: grid.lat }]);
    expect(r.accepted).toBe(1);
    expect(r.rejected).toMatchObject([{ index: 1, reason: 'unknown_unit' }]);
    expect((await call('GET', '/api/v1/admin/device-tokens', chief)).body.find((t: { id: number }) => t.id === token.body.id).lastUsedAt).not.toBeNull();
    // Revoked, it stops at once.
    expect((await call('POST', `/api/v1/admin/device-tokens/${token.body.id}/revoke`, chief, {})).status).toBe(200);
    expect((await fetch(`${ts.url}/api/v1/positions`, { method: 'POST', headers: { authorization: `Bearer ${token.body.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ v: 1, positions: [{ unit: code, t: Date.now(), lon: grid.lon, lat: grid.lat }] }) })).status).toBe(401);
  });

  it('a station gateway token reports its station’s units and no other’s', async () => {
    const s = await deputyStation();
    const admin = await login(ts.url, 'admin');
    const gw = await call('POST', '/api/v1/admin/device-tokens', admin, { name: '站网关', unitId: null, stationId: s.id });
    const mine = await one<{ code: string; lon: number; lat: number }>(`SELECT code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units WHERE station_id = $1 ORDER BY id LIMIT 1`, [s.id]);
    const theirs = await one<{ code: string; lon: number; lat: number }>(`SELECT code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units WHERE station_id <> $1 ORDER BY id LIMIT 1`, [s.id]);
    const res = await fetch(`${ts.url}/api/v1/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.body.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, positions: [mine, theirs].map((u) => ({ unit: u.code, t: Date.now(), lon: u.lon, lat: u.lat })) }),
    });
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, reason: 'unknown_unit' }] });
  });

  it('a station wall sees its station only; revoking it ends its session', async () => {
    const s = await deputyStation();
    const deputy = await login(ts.url, 'deputy');
    const wall = await call('POST', '/api/v1/admin/displays', deputy, { name: '本站大屏', stationId: s.id });
    expect(wall.status).toBe(201);
    expect(wall.body.url).toBe(`/wall?display=${wall.body.secret}`);
    expect((await call('POST', '/api/v1/admin/displays', deputy, { name: '区大屏', stationId: null })).status).toBe(404);
    const opened = await fetch(`${ts.url}${wall.body.url}`, { redirect: 'manual' });
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const units = await call('GET', '/api/v1/units', cookie);
    expect(units.body.length).toBeGreaterThan(0);
    expect(units.body.every((u: { stationId: number }) => u.stationId === s.id)).toBe(true);
    expect((await call('POST', `/api/v1/admin/displays/${wall.body.id}/revoke`, deputy, {})).body.sessionsEnded).toBe(1);
    expect((await call('GET', '/api/v1/units', cookie)).status).toBe(401);
    expect((await fetch(`${ts.url}${wall.body.url}`, { redirect: 'manual' })).headers.get('location')).toBe('/login?error=display');
  });
});

describe('scope findings of issue 10, each a regression test', () => {
  it('an account with no station is not district-wide: it sees no command data, no key periods, no events', async () => {
    const { rows } = await ts.app.db.query<{ id: number; station_id: number }>(`SELECT id, station_id FROM accounts WHERE username = 'chief'`);
    await ts.app.db.query(`UPDATE accounts SET station_id = NULL WHERE id = $1`, [rows[0].id]);
    onTestFinished(async () => void (await ts.app.db.query(`UPDATE accounts SET station_id = $2 WHERE id = $1`, [rows[0].id, rows[0].station_id])));
    const chief = await login(ts.url, 'chief');
    expect((await call('GET', '/api/v1/command/live', chief)).body).toEqual({ dispatches: [], consultations: [], keyPeriods: [] });
    expect((await call('GET', '/api/v1/events?scope=station', chief)).body).toEqual([]);
    expect((await call('GET', '/api/v1/incidents/live', chief)).body.incidents).toEqual([]);
    expect((await call('GET', '/api/v1/units', chief)).body).toEqual([]);
    expect((await call('GET', '/api/v1/meetings', chief)).status).toBe(403);
  });

  it('merging into another station’s event is refused, and the event stays as it was', async () => {
    const s = await deputyStation();
    const deputy = await login(ts.url, 'deputy');
    const gridOf = (op: string) => one<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
        WHERE g.level = 'grid' AND sv.station_id ${op} $1 LIMIT 1`,
      [s.id],
    );
    const gridder = await login(ts.url, 'gridder');
    const report = async (location: { lon: number; lat: number }) =>
      (await call('POST', '/api/v1/events', gridder, { v: 1, idempotencyKey: randomUUID(), category: 'city', title: `合并测试 ${randomUUID()}`, location })).body;
    const foreign = await report(await gridOf('<>'));
    const ev = await report(await gridOf('='));
    expect(foreign.stationId).not.toBe(ev.stationId);
    const res = await call('POST', `/api/v1/events/${ev.id}/actions`, deputy, { action: 'merge', into: foreign.id });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toBe('body.into');
    expect(await one(`SELECT state, merged_into FROM events WHERE id = $1`, [ev.id])).toEqual({ state: 'reported', merged_into: null });
  });

  it('another station’s chief can neither lock nor take over an event, nor read it', async () => {
    const s = await deputyStation();
    const other = await one<{ id: number; person: number }>(
      `SELECT r.station_id AS id, r.person_id AS person FROM person_roles r WHERE r.role = 'station_chief' AND r.station_id <> $1 ORDER BY r.station_id LIMIT 1`,
      [s.id],
    );
    await ts.app.db.query(
      `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id)
       SELECT 'master-other-chief', password_hash, 'station_chief', '外站站长', $1, $2 FROM accounts WHERE username = 'chief'
       ON CONFLICT (username) DO NOTHING`,
      [other.id, other.person],
    );
    const stranger = await login(ts.url, 'master-other-chief');
    const e = await one<{ id: number }>(`SELECT id FROM events WHERE station_id = $1 ORDER BY id DESC LIMIT 1`, [s.id]);
    for (const takeover of [false, true]) expect((await call('POST', `/api/v1/events/${e.id}/lock`, stranger, { takeover })).status).toBe(404);
    expect((await call('GET', `/api/v1/events/${e.id}`, stranger)).status).toBe(404);
    expect(await one(`SELECT locked_by FROM events WHERE id = $1`, [e.id])).toEqual({ locked_by: null });
  });
});

describe('交办 names the village as co-handler (issue 10, S12)', () => {
  it('a village cadre of the event’s village is told and finds it in their list; a cadre of another village is not', async () => {
    const s = await deputyStation();
    const admin = await login(ts.url, 'admin');
    const deputy = await login(ts.url, 'deputy');
    const grid = await one<{ code: string; village: string; lon: number; lat: number }>(
      `SELECT g.code, g.parent_code AS village, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code LIMIT 1`,
      [s.id],
    );
    const otherVillage = await one<{ code: string }>(`SELECT village_code AS code FROM station_villages WHERE station_id = $1 AND village_code <> $2 LIMIT 1`, [s.id, grid.village]);
    // A grid is no village: refused by name.
    const wrong = await call('POST', '/api/v1/people', admin, { name: '村干部乙', stationId: s.id, roles: [{ role: 'village_cadre', gridCode: grid.code }] });
    expect(wrong.body.issues[0]).toMatchObject({ path: 'body.roles', message: expect.stringMatching(/村（社区）.+不存在/) });
    const cadres: string[] = [];
    for (const [name, village] of [['村干部甲', grid.village], ['村干部丙', otherVillage.code]]) {
      const p = await call('POST', '/api/v1/people', admin, { name, stationId: s.id, roles: [{ role: 'village_cadre', gridCode: village }] });
      expect(p.status).toBe(201);
      const username = `vc${Date.now() % 1e8}${cadres.length}`;
      expect((await call('POST', '/api/v1/accounts', admin, { personId: p.body.id, username, password: 'a-long-password', role: 'village_cadre' })).status).toBe(201);
      cadres.push(await login(ts.url, username, 'a-long-password'));
      onTestFinished(async () => void (await ts.app.db.query(`DELETE FROM person_roles WHERE person_id = $1`, [p.body.id])));
    }
    const ev = await call('POST', '/api/v1/events', await login(ts.url, 'gridder'), { v: 1, idempotencyKey: randomUUID(), category: 'city', title: `村社协同 ${randomUUID()}`, location: { lon: grid.lon, lat: grid.lat } });
    expect(ev.status).toBe(201);
    expect((await call('POST', `/api/v1/events/${ev.body.id}/actions`, deputy, { action: 'accept' })).status).toBe(201);
    const assigned = await call('POST', `/api/v1/events/${ev.body.id}/actions`, deputy, { action: 'assign', department: 'enforcement', village: true });
    expect(assigned.status).toBe(201);
    const step = assigned.body.log.find((l: { action: string }) => l.action === 'assign');
    expect(step.data).toMatchObject({ department: 'enforcement', village: grid.village });
    const [mine, theirs] = await Promise.all(cadres.map((c) => call('GET', `/api/v1/notices?event=${ev.body.id}`, c)));
    expect(mine.body.map((n: { kind: string }) => n.kind)).toEqual(['village_task']);
    expect(theirs.body).toEqual([]);
    const list = await call('GET', '/api/v1/events', cadres[0]);
    expect(list.body.map((e: { id: number }) => e.id)).toContain(ev.body.id);
    expect((await call('GET', '/api/v1/events', cadres[1])).body.map((e: { id: number }) => e.id)).not.toContain(ev.body.id);
  });
});
