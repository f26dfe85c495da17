import { randomUUID } from 'node:crypto';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { ACCOUNTABILITY_WEIGHT, AccountabilityInputV1, type AccountabilityDraftV1, type AccountabilityRecordV1 } from '@/lib/contracts/accountability';
import { shanghaiDay } from '@/lib/time/workdays';
import { scoreSubjectNaive } from '../assessment/naive';
import { hashPassword } from '../auth/password';
import type { Session } from '../auth/session';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { createRecord, revokeRecord } from './write';

/*
 * Issue 15 point 4 (S13): accountability records through the real routes on a real PostgreSQL —
 * a draft from a red-carded event names its handler, a draft from the overdue list links the
 * station's late events, refusals name the field, the district alone makes and revokes them, the
 * station's leaders read their station's, each person reads the records naming them, a retry
 * makes one record, and a revoked record stays while the `accountability` indicator stops counting it.
 */

const ts = withTestServer(`accountability:${process.pid}:`);
const call = caller(() => ts.url);
const cookies: Record<string, string> = {};
const key = () => `acc-${randomUUID()}`;
let station = 0;
let otherStation = 0;
let village = '';
let deputyPerson = 0;
/** A person of the other station only. */
let foreignPerson = 0;
let overdueRecord = 0;
let redEvent = 0;
let lateEvent = 0;
let plainEvent = 0;
let recordId = 0;
const today = () => shanghaiDay(new Date());
const month = () => today().slice(0, 7);

const issuePaths = (body: { issues?: { path: string }[] }) => (body.issues ?? []).map((i) => i.path);

async function audits(action: string, target: string): Promise<number> {
  return (await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND target = $2`, [action, target])).rows[0].n;
}

/** What the `accountability` indicator counts for the station this month: the scoring's own figure (H1's naive scorer, server/assessment/naive.ts). */
async function stationPoints(): Promise<number> {
  const figure = (await scoreSubjectNaive(ts.app.db, month(), `s:${station}`)).figures.accountability;
  expect(figure?.value).toEqual(expect.any(Number));
  return figure!.value!;
}

async function report(title: string): Promise<number> {
  const res = await call('POST', '/api/v1/events', cookies.gridder, { v: 1, idempotencyKey: key(), category: 'environment', title, villageCode: village });
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  const db = ts.app.db;
  station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  otherStation = (await db.query<{ id: number }>(`SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [station])).rows[0].id;
  village = (await db.query<{ code: string }>(`SELECT village_code AS code FROM station_villages WHERE station_id = $1 ORDER BY village_code LIMIT 1`, [station])).rows[0].code;
  deputyPerson = (await db.query<{ id: number }>(`SELECT person_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  foreignPerson = (await db.query<{ id: number }>(
    `SELECT r.person_id AS id FROM person_roles r WHERE r.station_id = $2
        AND NOT EXISTS (SELECT 1 FROM person_roles x WHERE x.person_id = r.person_id AND x.station_id = $1)
        AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = r.person_id AND a.station_id = $1)
      ORDER BY r.person_id LIMIT 1`,
    [station, otherStation],
  )).rows[0].id;
  const hash = await hashPassword('accountability-test');
  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id) VALUES ('acc-leader', $1, 'district_leader', '区领导（问责测试）', NULL),
       ('acc-other-deputy', $1, 'deputy_chief', '外站副站长', $2)
     ON CONFLICT (username) DO UPDATE SET station_id = EXCLUDED.station_id, role = EXCLUDED.role, disabled = false`,
    [hash, otherStation],
  );
  for (const u of ['chief', 'deputy', 'gridder']) cookies[u] = await login(ts.url, u);
  cookies.leader = await login(ts.url, 'acc-leader', 'accountability-test');
  cookies.other = await login(ts.url, 'acc-other-deputy', 'accountability-test');

  // Three events of the first station: one the deputy accepts and then lets run to a red card, one left past its
  // handling limit, one on time. The supervision job's card is written as it writes it (server/events/supervise.ts).
  redEvent = await report('问责测试：河道垃圾（红牌）');
  lateEvent = await report('问责测试：占道经营（超期）');
  plainEvent = await report('问责测试：路灯不亮（按期）');
  for (const id of [redEvent, lateEvent]) expect((await call('POST', `/api/v1/events/${id}/actions`, cookies.deputy, { action: 'accept' })).status).toBe(201);
  await db.query(`UPDATE events SET handle_due_at = now() - interval '3 days', red_at = now() - interval '1 day' WHERE id = ANY($1::bigint[])`, [[redEvent, lateEvent]]);
  await db.query(`UPDATE events SET card = 'red' WHERE id = $1`, [redEvent]);
  await db.query(
    `INSERT INTO event_log (event_id, actor_role, actor_name, from_state, to_state, action, note, data)
     SELECT id, 'system', '督办', state, state, 'supervise', '红牌督办：已超过红牌时限', '{"card":"red"}' FROM events WHERE id = $1`,
    [redEvent],
  );
}, 60_000);

afterAll(async () => {
  await ts.app.db.query(`UPDATE accounts SET disabled = true WHERE username IN ('acc-leader', 'acc-other-deputy')`).catch(() => undefined);
});

describe('drafts from a red card and from the overdue list', () => {
  it('a red-carded event gives its station, department and the handler who accepted it; an event without a red card is refused', async () => {
    const d = await call('GET', `/api/v1/accountability/prefill?event=${redEvent}`, cookies.leader);
    expect(d.status).toBe(200);
    const draft = d.body as AccountabilityDraftV1;
    expect(draft).toMatchObject({ source: 'red_card', stationId: station });
    expect(draft.events.map((e) => e.id)).toEqual([redEvent]);
    expect(draft.events[0]).toMatchObject({ redCarded: true, overdue: true });
    expect(draft.people.map((p) => p.id)).toContain(deputyPerson);
    const plain = await call('GET', `/api/v1/accountability/prefill?event=${plainEvent}`, cookies.leader);
    expect(plain.status).toBe(422);
    expect(issuePaths(plain.body)).toEqual(['query.event']);
    expect((await call('GET', `/api/v1/accountability/prefill?event=x`, cookies.leader)).status).toBe(400);
    expect((await call('GET', `/api/v1/accountability/prefill?event=${redEvent}`, cookies.deputy)).status).toBe(403);
  });

  it('the overdue list of the month holds the late events and not the one on time', async () => {
    const d = await call('GET', `/api/v1/accountability/overdue?stationId=${station}&period=${month()}`, cookies.leader);
    expect(d.status).toBe(200);
    const ids = (d.body as AccountabilityDraftV1).events.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([redEvent, lateEvent]));
    expect(ids).not.toContain(plainEvent);
    const bad = await call('GET', `/api/v1/accountability/overdue?stationId=${station}&period=2026-13`, cookies.leader);
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(['query.period']);
  });
});

describe('making a record', () => {
  const valid = () => ({
    requestKey: key(), kind: 'talk', stationId: station, departmentCode: 'enforcement', source: 'red_card',
    personIds: [deputyPerson], eventIds: [redEvent], title: '红牌督办事件处置不力', detail: '受理后未及时交办，超过红牌时限。', decidedOn: today(),
  });

  it('refuses bad input naming the field', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ title: ' ' }, 400, 'body.title'],
      [{ kind: 'fine' }, 400, 'body.kind'],
      [{ eventIds: [] }, 400, 'body.eventIds'],
      [{ personIds: [] }, 400, 'body.personIds'],
      [{ decidedOn: '2026-02-30' }, 400, 'body.decidedOn'],
      [{ eventIds: [plainEvent] }, 422, 'body.eventIds'],
      [{ source: 'overdue', eventIds: [plainEvent] }, 422, 'body.eventIds'],
      [{ personIds: [2_000_000_000] }, 422, 'body.personIds'],
      // S13: a record names its own station's people (person_roles or the account's station).
      [{ personIds: [deputyPerson, foreignPerson] }, 422, 'body.personIds'],
      [{ departmentCode: 'nosuch' }, 422, 'body.departmentCode'],
      [{ stationId: otherStation, personIds: [foreignPerson] }, 422, 'body.eventIds'],
      [{ decidedOn: '2099-01-01' }, 422, 'body.decidedOn'],
    ];
    for (const [change, status, path] of cases) {
      const res = await call('POST', '/api/v1/accountability', cookies.leader, { ...valid(), ...change });
      expect([JSON.stringify(change), res.status, issuePaths(res.body)]).toEqual([JSON.stringify(change), status, [path]]);
    }
  });

  it('only the district makes records', async () => {
    for (const who of ['deputy', 'chief', 'gridder']) expect((await call('POST', '/api/v1/accountability', cookies[who], valid())).status).toBe(403);
  });

  it('the district leader makes one from the red card; a retry with its key makes no second; audited', async () => {
    const before = await stationPoints();
    const body = valid();
    const made = await call('POST', '/api/v1/accountability', cookies.leader, body);
    expect(made.status).toBe(201);
    const r = made.body as AccountabilityRecordV1;
    recordId = r.id;
    expect(r).toMatchObject({ kind: 'talk', weight: 2, source: 'red_card', stationId: station, departmentCode: 'enforcement', departmentName: '综合执法', revokedAt: null });
    expect(r.people.map((p) => p.id)).toEqual([deputyPerson]);
    expect(r.events.map((e) => e.id)).toEqual([redEvent]);
    const retry = await call('POST', '/api/v1/accountability', cookies.leader, body);
    expect(retry).toMatchObject({ status: 200, body: { id: recordId } });
    expect((await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM accountability_records WHERE request_key = $1`, [body.requestKey])).rows[0].n).toBe(1);
    expect(await audits('accountability.create', `accountability:${recordId}`)).toBe(1);
    expect(await stationPoints()).toBe(before + ACCOUNTABILITY_WEIGHT.talk);
  });

  it('one record from the overdue list links the late events', async () => {
    const made = await call('POST', '/api/v1/accountability', cookies.leader, { ...valid(), kind: 'notice', source: 'overdue', departmentCode: undefined, eventIds: [redEvent, lateEvent], title: '本月超期未办事件通报' });
    expect(made.status).toBe(201);
    overdueRecord = made.body.id;
    expect(made.body.events.map((e: { id: number }) => e.id).sort()).toEqual([redEvent, lateEvent].sort());
  });
});

describe('who reads records', () => {
  it('the station’s leaders read their station’s; another station’s deputy 404; grid staff may not list; the named person reads it in /mine', async () => {
    expect((await call('GET', `/api/v1/accountability/${recordId}`, cookies.chief)).status).toBe(200);
    expect((await call('GET', `/api/v1/accountability/${recordId}`, cookies.other)).status).toBe(404);
    expect((await call('GET', `/api/v1/accountability?stationId=${station}`, cookies.other)).body).toEqual([]);
    const listed = await call('GET', `/api/v1/accountability?kind=talk&source=red_card&from=${today()}`, cookies.deputy);
    expect(listed.body.map((r: { id: number }) => r.id)).toContain(recordId);
    expect((await call('GET', '/api/v1/accountability', cookies.gridder)).status).toBe(403);
    expect((await call('GET', `/api/v1/accountability/${recordId}`, cookies.gridder)).status).toBe(404);
    const mine = await call('GET', '/api/v1/accountability/mine', cookies.deputy);
    expect(mine.body.map((r: { id: number }) => r.id)).toContain(recordId);
    expect((await call('GET', '/api/v1/accountability/mine', cookies.gridder)).body.some((r: { id: number }) => r.id === recordId)).toBe(false);
    expect((await call('GET', '/api/v1/accountability?kind=fine', cookies.deputy)).status).toBe(400);
  });
});

describe('revoking', () => {
  it('keeps the row with its reason and stops it counting; a retry answers the first; once only; the district only', async () => {
    const personBefore = (await scoreSubjectNaive(ts.app.db, month(), `p:${deputyPerson}`)).figures.accountability;
    const before = await stationPoints();
    const noReason = await call('POST', `/api/v1/accountability/${recordId}/revoke`, cookies.leader, { requestKey: key(), reason: '' });
    expect(noReason.status).toBe(400);
    expect(issuePaths(noReason.body)).toEqual(['body.reason']);
    expect((await call('POST', `/api/v1/accountability/${recordId}/revoke`, cookies.chief, { requestKey: key(), reason: '越权' })).status).toBe(403);
    const revokeKey = key();
    const revoked = await call('POST', `/api/v1/accountability/${recordId}/revoke`, cookies.leader, { requestKey: revokeKey, reason: '经复核，延误系系统故障所致' });
    expect(revoked.status).toBe(201);
    expect(revoked.body).toMatchObject({ id: recordId, revokedReason: '经复核，延误系系统故障所致' });
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await call('POST', `/api/v1/accountability/${recordId}/revoke`, cookies.leader, { requestKey: revokeKey, reason: '经复核，延误系系统故障所致' })).status).toBe(200);
    expect((await call('POST', `/api/v1/accountability/${recordId}/revoke`, cookies.leader, { requestKey: key(), reason: '再次' })).status).toBe(409);
    expect(await audits('accountability.revoke', `accountability:${recordId}`)).toBe(1);
    // Never deleted: still read, with its people and events.
    const still = await call('GET', `/api/v1/accountability/${recordId}`, cookies.deputy);
    expect(still.body).toMatchObject({ id: recordId, people: [{ id: deputyPerson }], events: [{ id: redEvent }] });
    expect((await call('GET', `/api/v1/accountability?revoked=exclude`, cookies.deputy)).body.some((r: { id: number }) => r.id === recordId)).toBe(false);
    expect((await call('GET', `/api/v1/accountability?revoked=only`, cookies.deputy)).body.some((r: { id: number }) => r.id === recordId)).toBe(true);
    // The indicator no longer counts it: the station's weights, and the scoring's own figure for the person (H1's naive scorer).
    expect(await stationPoints()).toBe(before - ACCOUNTABILITY_WEIGHT.talk);
    const personAfter = (await scoreSubjectNaive(ts.app.db, month(), `p:${deputyPerson}`)).figures.accountability;
    expect(personAfter?.value).toBe((personBefore?.value ?? 0) - ACCOUNTABILITY_WEIGHT.talk);
  });
});

describe('accountability fixes: a revoke key keeps to its record; the district’s reach', () => {
  it('a revoke key used again on another record is a 409, not a replay of the first', async () => {
    const revokeKey = key();
    expect((await call('POST', `/api/v1/accountability/${overdueRecord}/revoke`, cookies.leader, { requestKey: revokeKey, reason: '经复核撤销' })).status).toBe(201);
    const made = await call('POST', '/api/v1/accountability', cookies.leader, {
      requestKey: key(), kind: 'notice', stationId: station, source: 'manual', personIds: [deputyPerson], eventIds: [], title: '另一条记录', detail: '用于重用请求编号的检查。', decidedOn: today(),
    });
    expect(made.status).toBe(201);
    const again = await call('POST', `/api/v1/accountability/${made.body.id}/revoke`, cookies.leader, { requestKey: revokeKey, reason: '经复核撤销' });
    expect(again).toMatchObject({ status: 409, body: { error: 'request_key_reused' } });
    expect((await call('GET', `/api/v1/accountability/${made.body.id}`, cookies.leader)).body.revokedAt).toBeNull();
  });

  it('only the district’s reach makes or revokes a record, checked past the router too (lib/access/scope)', async () => {
    const uid = (await ts.app.db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'chief'`)).rows[0].id;
    // A station chief's session, as if PERMISSIONS.manageAccountability named the role.
    const chief: Session = { sid: 'test', uid, role: 'station_chief', name: '站长', stationId: station, displayId: null, exp: 0 };
    const input = AccountabilityInputV1.parse({
      requestKey: key(), kind: 'notice', stationId: station, source: 'manual', personIds: [deputyPerson], eventIds: [], title: '越权', detail: '越权。', decidedOn: today(),
    });
    await expect(createRecord(ts.app.db, chief, input, '127.0.0.1')).rejects.toMatchObject({ failure: 'forbidden' });
    expect((await ts.app.db.query(`SELECT 1 FROM accountability_records WHERE request_key = $1`, [input.requestKey])).rowCount).toBe(0);
    await expect(revokeRecord(ts.app.db, chief, recordId, { requestKey: key(), reason: '越权' }, '127.0.0.1')).rejects.toMatchObject({ failure: 'forbidden' });
  });
});
