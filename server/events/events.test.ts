import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventReportV1, type EventDetail, type EventReceiptV1 } from '@/lib/contracts/events';
import { demoApiKey } from '../seed/devices';
import { login, withTestServer } from '../test/server';
import { superviseOnce } from './supervise';
import { reportEvent } from './report';
import { writerFor } from './writer';

const ts = withTestServer();
const HOTLINE = demoApiKey('hotline_12345');

async function post(path: string, body: unknown, auth: { cookie?: string; key?: string } = {}): Promise<Response> {
  return fetch(`${ts.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
      ...(auth.key ? { authorization: `Bearer ${auth.key}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** A grid of the demo accounts' station with a point inside it (sample points come from PostGIS, not from the test). */
async function gridOfDemoStation(offset = 0): Promise<{ code: string; village: string; lon: number; lat: number }> {
  const { rows } = await ts.app.db.query<{ code: string; village: string; lon: number; lat: number }>(
    `SELECT g.code, g.parent_code AS village, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
       FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE g.level = 'grid' AND sv.station_id = (SELECT station_id FROM accounts WHERE username = 'deputy')
      ORDER BY g.code OFFSET $1 LIMIT 1`,
    [offset],
  );
  return rows[0];
}

const report = (over: Record<string, unknown> = {}) => ({
  v: 1, idempotencyKey: randomUUID(), category: 'public_order', title: '集市口有人聚众争吵', ...over,
});

describe('ingest (S9): POST /api/v1/events', () => {
  it('an idempotent retry returns the same event, never a second one', async () => {
    const g = await gridOfDemoStation(0);
    const body = report({ location: { lon: g.lon, lat: g.lat }, category: 'market', title: `过期食品 ${randomUUID()}` });
    const results = await Promise.all([1, 2, 3, 4].map(() => post('/api/v1/events', body, { key: HOTLINE })));
    const receipts = (await Promise.all(results.map((r) => r.json()))) as EventReceiptV1[];
    expect(new Set(receipts.map((r) => r.id)).size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const { rows } = await ts.app.db.query(`SELECT id FROM events WHERE source = 'hotline_12345' AND idempotency_key = $1`, [body.idempotencyKey]);
    expect(rows).toHaveLength(1);
    // The same key with a different report is a client bug: refused, not silently merged.
    const clash = await post('/api/v1/events', { ...body, title: '另一件事' }, { key: HOTLINE });
    expect(clash.status).toBe(409);
  });

  it('a burst is written in batches, and each report gets back its own event, exactly once', async () => {
    const g = await gridOfDemoStation(6);
    const run = randomUUID().slice(0, 8);
    const bodies = Array.from({ length: 240 }, (_, i) => report({
      idempotencyKey: `burst-${run}-${i % 200}`, category: 'policy', title: `政策咨询 ${run} ${i % 200}`,
      location: { lon: g.lon + (i % 200) * 1e-5, lat: g.lat },
    }));
    const before = { ...writerFor(ts.app.db).stats };
    // Started in one go, in process: whether HTTP requests overlap is up to the client's timing.
    const hotline = { source: 'hotline_12345', accountId: null, role: 'system', name: 'test' };
    const answers = await Promise.all(bodies.map(async (b) => ({
      receipt: await reportEvent(ts.app, hotline, EventReportV1.parse(b)), title: b.title as string,
    })));
    expect(answers.filter((a) => a.receipt.created)).toHaveLength(200);
    expect(answers.filter((a) => !a.receipt.created)).toHaveLength(40);
    const { rows } = await ts.app.db.query<{ id: number; title: string; logs: number; audits: number }>(
      `SELECT e.id, e.title, (SELECT count(*)::int FROM event_log l WHERE l.event_id = e.id) AS logs,
              (SELECT count(*)::int FROM audit_log a WHERE a.target = 'event:' || e.id) AS audits
         FROM events e WHERE e.source = 'hotline_12345' AND e.idempotency_key LIKE $1`,
      [`burst-${run}-%`],
    );
    expect(rows).toHaveLength(200);
    const titleOf = new Map(rows.map((r) => [r.id, r.title]));
    for (const a of answers) expect(titleOf.get(a.receipt.id)).toBe(a.title);
    expect(rows.every((r) => r.logs === 1 && r.audits === 1)).toBe(true);
    const after = writerFor(ts.app.db).stats;
    expect(after.reports - before.reports).toBeGreaterThanOrEqual(240);
    expect(after.statements - before.statements).toBeLessThan(after.reports - before.reports);
  });

  it('bad payloads get 400 naming the field; an unknown category 422', async () => {
    const g = await gridOfDemoStation(0);
    const bad = await post('/api/v1/events', report({ location: { lon: 'east', lat: g.lat } }), { key: HOTLINE });
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0].path).toBe('body.location.lon');
    const noPlace = await post('/api/v1/events', report(), { key: HOTLINE });
    expect(noPlace.status).toBe(400);
    expect((await noPlace.json()).issues[0].path).toBe('body.location');
    const unknown = await post('/api/v1/events', report({ category: 'ufo', location: { lon: g.lon, lat: g.lat } }), { key: HOTLINE });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).issues[0].path).toBe('body.category');
    const wrongSub = await post('/api/v1/events', report({ category: 'dispute', subcategory: 'hazard.fire', location: { lon: g.lon, lat: g.lat } }), { key: HOTLINE });
    expect(wrongSub.status).toBe(422);
    expect((await wrongSub.json()).issues[0].path).toBe('body.subcategory');
    const outside = await post('/api/v1/events', report({ location: { lon: 116.4, lat: 39.9 } }), { key: HOTLINE });
    expect(outside.status).toBe(422);
  });

  it('refuses a missing or revoked key, and a wall screen', async () => {
    expect((await post('/api/v1/events', report({ villageCode: '330503100200' }))).status).toBe(401);
    expect((await post('/api/v1/events', report({ villageCode: '330503100200' }), { key: 'not-a-key' })).status).toBe(401);
  });

  it('places points in their grid, village, town and station by PostGIS', async () => {
    for (const offset of [0, 3, 7]) {
      const g = await gridOfDemoStation(offset);
      const res = await post('/api/v1/events', report({ category: 'other', title: `样点 ${offset} ${randomUUID()}`, location: { lon: g.lon, lat: g.lat } }), { key: HOTLINE });
      expect(res.status).toBe(201);
      const r = (await res.json()) as EventReceiptV1;
      expect(r).toMatchObject({ placement: 'point', gridCode: g.code, villageCode: g.village });
      expect(r.townCode).toBe(g.village.slice(0, 9));
      expect(r.stationId).not.toBeNull();
      expect(r.deadlineAt).not.toBeNull();
    }
  });

  it('places an event with only an address at the village it names', async () => {
    const { rows } = await ts.app.db.query<{ code: string; name: string; town: string }>(
      `SELECT v.code, v.name, t.name AS town FROM regions v JOIN regions t ON t.code = v.parent_code
        WHERE v.level = 'village' AND (SELECT count(*) FROM regions w WHERE w.level = 'village' AND w.name = v.name) = 1 ORDER BY v.code LIMIT 1`,
    );
    const v = rows[0];
    const res = await post('/api/v1/events', report({ category: 'livelihood', address: `${v.town}${v.name}3组12号`, title: `路灯不亮 ${randomUUID()}` }), { key: HOTLINE });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ placement: 'village', villageCode: v.code, gridCode: null });
    const unknown = await post('/api/v1/events', report({ address: '火星基地一号' }), { key: HOTLINE });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).issues[0].path).toBe('body.address');
  });

  it('flags a new event of the same category within 100 m and 24 h as a likely duplicate, and merges it in one step', async () => {
    const g = await gridOfDemoStation(11);
    // Earlier runs on this database left events here; they are not what this run is about.
    await ts.app.db.query(`UPDATE events SET state = 'closed' WHERE grid_code = $1 AND state = 'reported'`, [g.code]);
    const first = (await (await post('/api/v1/events', report({ category: 'environment', title: '河道漂浮垃圾', location: { lon: g.lon, lat: g.lat } }), { key: HOTLINE })).json()) as EventReceiptV1;
    const near = (await (await post('/api/v1/events', report({ category: 'environment', title: '河里有垃圾', location: { lon: g.lon + 0.0005, lat: g.lat } }), { key: HOTLINE })).json()) as EventReceiptV1;
    const other = (await (await post('/api/v1/events', report({ category: 'city', title: '占道经营', location: { lon: g.lon + 0.0005, lat: g.lat } }), { key: HOTLINE })).json()) as EventReceiptV1;
    expect(near.duplicateOf).toBe(first.id);
    expect(other.duplicateOf).toBeNull();
    const deputy = await login(ts.url, 'deputy');
    const merged = await post(`/api/v1/events/${near.id}/actions`, { action: 'merge', into: first.id }, { cookie: deputy });
    expect(merged.status).toBe(201);
    expect(((await merged.json()) as EventDetail).state).toBe('merged');
  });
});

describe('the closed loop enforced per role (S12)', () => {
  it('deputy accepts and assigns to police; police handles; a full-time gridder verifies; all in the log', async () => {
    const g = await gridOfDemoStation(1);
    const [gridder, deputy, police, volunteer] = await Promise.all(['gridder', 'deputy', 'police', 'volunteer'].map((u) => login(ts.url, u)));
    const created = await post('/api/v1/events', report({ location: { lon: g.lon, lat: g.lat }, title: `夜间聚众 ${randomUUID()}` }), { cookie: gridder });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as EventReceiptV1;
    const step = (cookie: string, body: Record<string, unknown>) => post(`/api/v1/events/${id}/actions`, body, { cookie });

    expect((await step(volunteer, { action: 'accept' })).status).toBe(403); // route: no event permission
    expect((await step(police, { action: 'accept' })).status).toBe(404); // scope: not routed to police yet, so not theirs to see
    const accepted = await step(deputy, { action: 'accept', requestKey: `acc-${id}-0001` });
    expect(accepted.status).toBe(201);
    // A retried click with the same request key is answered, not acted on twice.
    const again = await step(deputy, { action: 'accept', requestKey: `acc-${id}-0001` });
    expect(again.status).toBe(200);
    expect((await step(deputy, { action: 'assign', department: 'nowhere' })).status).toBe(422);
    // Not yet routed to police, so not theirs to see: 404 before the lock is even looked at (issue 10: nothing leaks out).
    expect((await step(police, { action: 'start' })).status).toBe(404);
    // Assigning hands the event to the department, and the lock with it.
    expect((await step(deputy, { action: 'assign', department: 'police' })).status).toBe(201);
    expect((await step(police, { action: 'start' })).status).toBe(201);
    expect((await step(police, { action: 'handle' })).status).toBe(400); // a reason is required
    expect((await step(police, { action: 'handle', note: '已到场劝离，现场恢复秩序' })).status).toBe(201);
    const closed = await step(gridder, { action: 'verify_pass', note: '现场核查无聚集' });
    expect(closed.status).toBe(201);
    const detail = (await closed.json()) as EventDetail;
    expect(detail.state).toBe('closed');
    expect(detail.log.map((s) => s.to)).toEqual(['reported', 'accepted', 'assigned', 'in_progress', 'handled', 'closed']);
    expect(detail.log[2]).toMatchObject({ action: 'assign', actorRole: 'deputy_chief', data: { department: 'police' } });
    expect(detail.actions).toEqual([]);
    const { rows } = await ts.app.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`event:${id}`]);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['event.report', 'event.accept', 'event.assign', 'event.start', 'event.handle', 'event.verify_pass']));
  });

  it('a coordinated event gets one sub-task per department; each department closes only its own (S12 joint remediation)', async () => {
    const g = await gridOfDemoStation(5);
    const [deputy, police] = await Promise.all(['deputy', 'police'].map((u) => login(ts.url, u)));
    const { id } = (await (await post('/api/v1/events', report({ category: 'hazard', location: { lon: g.lon, lat: g.lat }, title: `联合整治 ${randomUUID()}` }), { key: HOTLINE })).json()) as EventReceiptV1;
    await post(`/api/v1/events/${id}/actions`, { action: 'accept' }, { cookie: deputy });
    const coordinated = await post(`/api/v1/events/${id}/actions`, { action: 'coordinate', departments: ['police', 'market', 'police'] }, { cookie: deputy });
    expect(coordinated.status).toBe(201);
    const detail = (await coordinated.json()) as EventDetail;
    expect(detail.tasks.map((t) => t.department).sort()).toEqual(['market', 'police']);
    const mine = detail.tasks.find((t) => t.department === 'police')!;
    const theirs = detail.tasks.find((t) => t.department === 'market')!;
    expect((await post(`/api/v1/events/${id}/tasks/${theirs.id}/done`, {}, { cookie: police })).status).toBe(403);
    const done = await post(`/api/v1/events/${id}/tasks/${mine.id}/done`, { note: '已排查治安隐患' }, { cookie: police });
    expect(done.status).toBe(200);
    const after = (await done.json()) as EventDetail;
    expect(after.tasks.find((t) => t.id === mine.id)?.state).toBe('done');
    expect(after.log.at(-1)).toMatchObject({ action: 'task_done', to: 'coordinated', data: { department: 'police' } });
  });

  it('the event log is append-only at the database', async () => {
    await expect(ts.app.db.query(`UPDATE event_log SET note = 'rewritten' WHERE id = (SELECT min(id) FROM event_log)`)).rejects.toThrow(/append-only/);
    await expect(ts.app.db.query(`DELETE FROM event_log WHERE id = (SELECT min(id) FROM event_log)`)).rejects.toThrow(/append-only/);
  });

  it('a soft lock shows who is on it; the deputy chief may take it over; idle for 10 minutes it lapses', async () => {
    const g = await gridOfDemoStation(2);
    const [chief, deputy] = await Promise.all(['chief', 'deputy'].map((u) => login(ts.url, u)));
    const { id } = (await (await post('/api/v1/events', report({ category: 'city', location: { lon: g.lon, lat: g.lat }, title: `锁 ${randomUUID()}` }), { key: HOTLINE })).json()) as EventReceiptV1;
    expect((await post(`/api/v1/events/${id}/lock`, {}, { cookie: chief })).status).toBe(200);
    const held = await post(`/api/v1/events/${id}/lock`, {}, { cookie: deputy });
    expect(held.status).toBe(409);
    expect((await held.json()).message).toContain('正在处理');
    const taken = await post(`/api/v1/events/${id}/lock`, { takeover: true }, { cookie: deputy });
    expect(taken.status).toBe(200);
    const detail = (await (await fetch(`${ts.url}/api/v1/events/${id}`, { headers: { cookie: chief } })).json()) as EventDetail;
    expect(detail.lock?.name).toBeTruthy();
    expect(detail.lock?.accountId).not.toBeUndefined();
    // Ten minutes idle and it lapses by itself.
    await ts.app.db.query(`UPDATE events SET locked_at = now() - interval '11 minutes' WHERE id = $1`, [id]);
    expect((await post(`/api/v1/events/${id}/actions`, { action: 'accept' }, { cookie: chief })).status).toBe(201);
  });
});

describe('supervision (S13): cards from stored deadlines', () => {
  it('raises yellow then red once each, notifying the deputy and, for red, the chief', async () => {
    const g = await gridOfDemoStation(4);
    const { id } = (await (await post('/api/v1/events', report({ category: 'hazard', location: { lon: g.lon, lat: g.lat }, title: `隐患 ${randomUUID()}` }), { key: HOTLINE })).json()) as EventReceiptV1;
    const { rows } = await ts.app.db.query<{ due: Date; red: Date }>(`SELECT deadline_at AS due, red_at AS red FROM events WHERE id = $1`, [id]);
    const notices = async () =>
      (await ts.app.db.query<{ role: string; kind: string }>(`SELECT a.role, n.kind FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE n.event_id = $1 ORDER BY n.id`, [id])).rows;

    await superviseOnce(ts.app, new Date(rows[0].due.getTime() - 1000));
    expect(await notices()).toEqual([]);
    await superviseOnce(ts.app, new Date(rows[0].due.getTime() + 1000));
    await superviseOnce(ts.app, new Date(rows[0].due.getTime() + 2000)); // a second run (or process) changes nothing
    expect(await notices()).toEqual([{ role: 'deputy_chief', kind: 'yellow_card' }]);
    await superviseOnce(ts.app, new Date(rows[0].red.getTime() + 1000));
    expect((await notices()).map((n) => `${n.role}:${n.kind}`).sort()).toEqual(['deputy_chief:red_card', 'deputy_chief:yellow_card', 'station_chief:red_card']);
    const card = await ts.app.db.query<{ card: string }>(`SELECT card FROM events WHERE id = $1`, [id]);
    expect(card.rows[0].card).toBe('red');

    // A console opened later lists them, and marks them read.
    const deputy = await login(ts.url, 'deputy');
    const listed = (await (await fetch(`${ts.url}/api/v1/notices?event=${id}`, { headers: { cookie: deputy } })).json()) as { id: number; eventId: number; kind: string; read: boolean }[];
    const mine = listed.filter((n) => n.eventId === id);
    expect(mine.map((n) => n.kind).sort()).toEqual(['red_card', 'yellow_card']);
    expect((await post('/api/v1/notices/read', { ids: mine.map((n) => n.id) }, { cookie: deputy })).status).toBe(200);
    const after = (await (await fetch(`${ts.url}/api/v1/notices?event=${id}`, { headers: { cookie: deputy } })).json()) as { eventId: number; read: boolean }[];
    expect(after.filter((n) => n.eventId === id).every((n) => n.read)).toBe(true);
  });
});
