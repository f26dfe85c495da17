import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CitizenReceiptV1, CitizenTrackingV1 } from '@/lib/contracts/citizen';
import type { EventDetail } from '@/lib/contracts/events';
import { shanghaiDay } from '@/lib/time/workdays';
import { resolveArea } from '../analytics/areas';
import { kpiFigures } from '../analytics/figures';
import { incidentRows } from '../events/live';
import { login, withTestServer } from '../test/server';

/*
 * Issue 14's citizens' channel, server side (S9, S14), against a real PostgreSQL/PostGIS and the
 * HTTP server: submitting every kind, retries and merging, validation, tracking, answering,
 * rating (and the satisfaction figure), complaints reopening supervision, the rate limit, the
 * audited contact read, and no resident's name or phone where others see.
 */

const ts = withTestServer(`citizen:${process.pid}:`);
const cookies: Record<string, string> = {};
let station = 0;
let point = { lon: 0, lat: 0 };
const PHONE = '13812345678';
const NAME = '王小明';

const device = () => `dev-${randomUUID()}`;
const json = (cookie?: string) => ({ 'content-type': 'application/json', ...(cookie ? { cookie } : {}) });

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, who?: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${ts.url}${path}`, { method, headers: json(who ? cookies[who] : undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}
const submit = (body: Record<string, unknown>) => call<CitizenReceiptV1 & { issues?: { path: string }[] }>('POST', '/api/v1/citizen/requests', body);
const question = (over: Record<string, unknown> = {}) => ({
  v: 1, kind: 'question', idempotencyKey: randomUUID(), deviceId: device(), description: `宅基地审批要多久？${randomUUID()}`, location: point, ...over,
});
const eventOf = async (code: string) =>
  (await ts.app.db.query<{ id: number; kind: string; title: string; source: string; state: string }>(
    `SELECT e.id, e.kind, e.title, e.source, e.state FROM citizen_requests cr JOIN events e ON e.id = cr.event_id WHERE cr.code = $1`, [code],
  )).rows[0];

beforeAll(async () => {
  for (const u of ['deputy', 'chief', 'police', 'gridder']) cookies[u] = await login(ts.url, u);
  station = (await ts.app.db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  point = (await ts.app.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code LIMIT 1) x`, [station],
  )).rows[0];
  // Every request here comes from one loopback address; the limit itself is tested at scale 1 below.
  ts.app.config.citizenLimitsScale = 1000;
});

describe('submitting (issue 14)', () => {
  it('files each kind as an event of its kind and category, with a 10-character code and a 6-digit PIN (201)', async () => {
    const kinds = [
      { kind: 'report', category: 'environment', description: `河道有垃圾 电话${PHONE} ${randomUUID()}` },
      { kind: 'mediation', disputeKind: 'neighbour', otherParty: { name: '李四' }, description: `邻居占用通道 ${randomUUID()}`, preferredTime: '周六上午' },
      { kind: 'question', description: `低保怎么申请？${randomUUID()}` },
      { kind: 'complaint', description: `办事窗口态度差 ${randomUUID()}` },
      { kind: 'suggestion', description: `建议增设路灯 ${randomUUID()}` },
    ];
    const expected: Record<string, [string, string]> = {
      report: ['problem', 'environment'], mediation: ['mediation', 'dispute'], question: ['question', 'policy'],
      complaint: ['complaint', 'feedback'], suggestion: ['suggestion', 'feedback'],
    };
    for (const k of kinds) {
      const res = await submit({ v: 1, idempotencyKey: randomUUID(), deviceId: device(), name: NAME, phone: PHONE, location: point, ...k });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(res.body.pin).toMatch(/^\d{6}$/);
      expect(res.body.merged).toBe(false);
      const e = (await ts.app.db.query<{ kind: string; category: string; subcategory: string | null; source: string; citizen: boolean; title: string }>(
        `SELECT e.kind, e.category, e.subcategory, e.source, e.reported_by_citizen AS citizen, e.title FROM citizen_requests cr JOIN events e ON e.id = cr.event_id WHERE cr.code = $1`,
        [res.body.code],
      )).rows[0];
      expect([e.kind, e.category]).toEqual(expected[k.kind]);
      expect(e).toMatchObject({ source: 'citizen', citizen: true });
      expect(Array.from(e.title).length).toBeLessThanOrEqual(30);
      // The title reaches the wall: no phone number in it.
      expect(e.title).not.toContain(PHONE);
      if (k.kind === 'mediation') expect(e.subcategory).toBe('dispute.neighbour');
      if (k.kind === 'complaint') expect(e.subcategory).toBe('feedback.complaint');
    }
  });

  it('a retry with the same key answers 200 with the same code; the same key with another body is a 409 naming body.idempotencyKey', async () => {
    const q = question();
    const first = await submit(q);
    expect(first.status).toBe(201);
    const again = await submit(q);
    expect(again.status).toBe(200);
    expect(again.body.code).toBe(first.body.code);
    const other = await submit({ ...q, description: '另一个问题' });
    expect(other.status).toBe(409);
    expect(other.body.issues?.[0].path).toBe('body.idempotencyKey');
  });

  it('the same key sent twice at once makes one request; a crash between the event and the request row converges on the retry', async () => {
    const q = question();
    const both = await Promise.all([submit(q), submit(q)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0].body.code).toBe(both[1].body.code);
    const e = await eventOf(both[0].body.code);
    // As if the process died after the event was written: the request row is gone, the event stays.
    await ts.app.db.query(`DELETE FROM citizen_requests WHERE code = $1`, [both[0].body.code]);
    const retry = await submit(q);
    expect(retry.status).toBe(201);
    expect((await eventOf(retry.body.code)).id).toBe(e.id);
    expect((await ts.app.db.query(`SELECT count(*)::int AS n FROM events WHERE source = 'citizen' AND idempotency_key LIKE $1`, [`%${q.idempotencyKey}`])).rows[0].n).toBe(1);
  });

  it('the same phone sending the same thing again is merged into its first request; another resident joins the same event with a code of their own', async () => {
    const q = question();
    const first = await submit(q);
    const same = await submit({ ...q, idempotencyKey: randomUUID(), description: `  ${q.description.replace('？', '?')} ` });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ code: first.body.code, merged: true });
    const before = Number((await ts.app.db.query(`SELECT count(*) AS n FROM citizen_requests`)).rows[0].n);
    const neighbour = await submit({ ...q, idempotencyKey: randomUUID(), deviceId: device() });
    expect(neighbour.status).toBe(201);
    expect(neighbour.body.merged).toBe(true);
    expect(neighbour.body.code).not.toBe(first.body.code);
    expect((await eventOf(neighbour.body.code)).id).toBe((await eventOf(first.body.code)).id);
    expect(Number((await ts.app.db.query(`SELECT count(*) AS n FROM citizen_requests`)).rows[0].n)).toBe(before + 1);
  });

  it('names the field at fault: 400 body.phone, body.location; 422 body.category for an unknown or a kind-only category', async () => {
    const bad = await submit(question({ phone: '12' }));
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path)).toContain('body.phone');
    const nowhere = await submit(question({ location: undefined }));
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.issues?.map((i) => i.path)).toContain('body.location');
    for (const category of ['no_such_thing', 'policy', 'feedback']) {
      const res = await submit({ v: 1, kind: 'report', idempotencyKey: randomUUID(), deviceId: device(), category, description: '测试', location: point });
      expect(res.status, category).toBe(422);
      expect(res.body.issues?.[0].path).toBe('body.category');
    }
  });

  it('attaches only the phone\'s own photos (422 body.photos.0 for another phone\'s)', async () => {
    const mine = device();
    const png = new Uint8Array(tinyPng());
    const upload = await fetch(`${ts.url}/api/v1/citizen/photos`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-device-id': mine }, body: png });
    expect(upload.status).toBe(201);
    const { id } = (await upload.json()) as { id: string };
    const noHeader = await fetch(`${ts.url}/api/v1/citizen/photos`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
    expect(noHeader.status).toBe(400);
    expect(((await noHeader.json()) as { issues: { path: string }[] }).issues[0].path).toBe('header.x-device-id');
    const report = { v: 1, kind: 'report', category: 'city', idempotencyKey: randomUUID(), description: `占道经营 ${randomUUID()}`, location: point, photos: [id] };
    const other = await submit({ ...report, deviceId: device() });
    expect(other.status).toBe(422);
    expect(other.body.issues?.[0].path).toBe('body.photos.0');
    expect((await submit({ ...report, deviceId: mine })).status).toBe(201);
  });
});

describe('tracking, answering and rating', () => {
  it('a question answered by the deputy shows as 已答复 with the answer; a problem cannot be answered', async () => {
    const sent = await submit(question({ phone: PHONE, name: NAME }));
    const byCode = await call<CitizenTrackingV1>('GET', `/api/v1/citizen/requests/${sent.body.code.toLowerCase().slice(0, 5)}-${sent.body.code.slice(5)}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body).toMatchObject({ status: 'received', kind: 'question', phoneMasked: '138****5678', canRate: false });
    const e = await eventOf(sent.body.code);
    expect((await call<EventDetail>('GET', `/api/v1/events/${e.id}`, undefined, 'deputy')).body.actions).toContain('answer');
    const answered = await call<EventDetail>('POST', `/api/v1/events/${e.id}/actions`, { action: 'answer', note: '携带户口本到村委会申请即可' }, 'deputy');
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    expect(answered.body.state).toBe('closed');
    expect(answered.body).toMatchObject({ kind: 'question', reporterName: null, reporterLabel: '群众' });
    // Review H3: the code alone follows (and once rated) a request; staff see it only through the audited contact read.
    expect(JSON.stringify(answered.body)).not.toContain(sent.body.code);
    const on = (await ts.app.db.query<{ ontime: boolean }>(`SELECT handled_at <= handle_due_at AS ontime FROM events WHERE id = $1`, [e.id])).rows[0];
    expect(on.ontime).toBe(true);
    const view = await call<CitizenTrackingV1>('POST', '/api/v1/citizen/lookup', { phone: PHONE, pin: sent.body.pin });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'answered', answer: '携带户口本到村委会申请即可', canRate: true });
    expect(view.body.steps.map((s) => s.label)).toEqual(['已收到', '答复']);
    const text = JSON.stringify(view.body);
    for (const secret of [PHONE, NAME, String(point.lon), '常务副站长', 'deputy']) expect(text).not.toContain(secret);
    expect((await call('POST', '/api/v1/citizen/lookup', { phone: PHONE, pin: sent.body.pin === '000000' ? '000001' : '000000' })).status).toBe(404);
    expect((await call('GET', '/api/v1/citizen/requests/0000000000')).status).toBe(404);

    const problem = await submit({ v: 1, kind: 'report', category: 'environment', idempotencyKey: randomUUID(), deviceId: device(), description: `污水 ${randomUUID()}`, location: point });
    const problemId = (await eventOf(problem.body.code)).id;
    expect((await call<EventDetail>('GET', `/api/v1/events/${problemId}`, undefined, 'deputy')).body.actions).not.toContain('answer');
    const refused = await call('POST', `/api/v1/events/${problemId}/actions`, { action: 'answer', note: '答复' }, 'deputy');
    expect(refused.status).toBe(409);
  });

  it('rating moves the event to rated and the satisfaction figure; the same choice again is 200, another 409; 不满意 tells the deputy', async () => {
    const area = (await resolveArea(ts.app.db, `station:${station}`))!;
    const today = shanghaiDay(new Date());
    const before = (await kpiFigures(ts.app.db, area, { from: today, to: today }, false)).counters;

    const pins: Record<string, string> = {};
    const answer = async () => {
      const sent = await submit(question());
      pins[sent.body.code] = sent.body.pin;
      const e = await eventOf(sent.body.code);
      expect((await call('POST', `/api/v1/events/${e.id}/actions`, { action: 'answer', note: '已答复' }, 'deputy')).status).toBe(201);
      return { code: sent.body.code, id: e.id };
    };
    const a = await answer();
    // From another phone, with the request's PIN (review H3).
    const rate = (code: string, rating: string) => call<CitizenTrackingV1>('POST', `/api/v1/citizen/requests/${code}/rating`, { deviceId: device(), rating, pin: pins[code] });
    const first = await rate(a.code, 'satisfied');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ status: 'rated', canRate: false, rating: { choice: 'satisfied', label: '满意' } });
    expect((await ts.app.db.query(`SELECT state, rating FROM events WHERE id = $1`, [a.id])).rows[0]).toEqual({ state: 'rated', rating: 5 });
    expect((await rate(a.code, 'satisfied')).status).toBe(200);
    expect((await rate(a.code, 'dissatisfied')).status).toBe(409);
    const after = (await kpiFigures(ts.app.db, area, { from: today, to: today }, false)).counters;
    expect(after.rated).toBe(before.rated + 1);
    expect(after.satisfied).toBe(before.satisfied + 1);

    const b = await answer();
    expect((await rate(b.code, 'dissatisfied')).status).toBe(200);
    const notes = await ts.app.db.query<{ role: string }>(
      `SELECT a.role FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE n.kind = 'citizen_dissatisfied' AND n.event_id = $1`, [b.id],
    );
    expect(notes.rows.length).toBeGreaterThan(0);
    expect(notes.rows.every((r) => r.role === 'deputy_chief')).toBe(true);
    const open = await submit(question());
    pins[open.body.code] = open.body.pin;
    expect((await rate(open.body.code, 'satisfied')).status).toBe(409);
  });

  it('a complaint about a request reopens that event\'s supervision: a log step and a notice to the leaders; an unknown code is 422 body.about', async () => {
    const earlier = await submit(question());
    const e = await eventOf(earlier.body.code);
    const complaint = await submit({ v: 1, kind: 'complaint', idempotencyKey: randomUUID(), deviceId: device(), description: '答复敷衍', location: point, about: earlier.body.code });
    expect(complaint.status).toBe(201);
    const row = (await ts.app.db.query(`SELECT supervision_reopened_at IS NOT NULL AS reopened FROM events WHERE id = $1`, [e.id])).rows[0];
    expect(row.reopened).toBe(true);
    expect((await ts.app.db.query(`SELECT about_event_id AS about FROM events WHERE id = $1`, [(await eventOf(complaint.body.code)).id])).rows[0].about).toBe(e.id);
    const step = (await ts.app.db.query(`SELECT note FROM event_log WHERE event_id = $1 AND action = 'supervise'`, [e.id])).rows[0];
    expect(step.note).toBe('群众投诉：答复敷衍');
    const roles = (await ts.app.db.query<{ role: string }>(
      `SELECT a.role FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE n.kind = 'citizen_complaint' AND n.event_id = $1`, [e.id],
    )).rows.map((r) => r.role);
    expect(new Set(roles)).toEqual(new Set(['deputy_chief', 'station_chief']));
    expect((await ts.app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'notice'`)).rows[0].n).toBeGreaterThanOrEqual(0);
    // The earlier resident sees nothing of another's complaint.
    const view = await call<CitizenTrackingV1>('GET', `/api/v1/citizen/requests/${earlier.body.code}`);
    expect(JSON.stringify(view.body)).not.toContain('敷衍');
    const unknown = await submit({ v: 1, kind: 'complaint', idempotencyKey: randomUUID(), deviceId: device(), description: '投诉', location: point, about: '0000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues?.[0].path).toBe('body.about');
  });
});

describe('abuse and privacy (S14)', () => {
  it('a phone sending too much is refused with 429 and Retry-After', async () => {
    ts.app.config.citizenLimitsScale = 1;
    try {
      const d = device();
      const statuses: number[] = [];
      let retry: string | null = null;
      for (let i = 0; i < 7; i++) {
        const res = await submit(question({ deviceId: d }));
        statuses.push(res.status);
        if (res.status === 429) retry = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 6).every((s) => s === 201)).toBe(true);
      expect(statuses[6]).toBe(429);
      expect(Number(retry)).toBeGreaterThan(0);
    } finally {
      ts.app.config.citizenLimitsScale = 1000;
    }
  });

  it('no name or phone in the incident push or the published map; the contact read is audited and refused to department staff and gridders', async () => {
    const sent = await submit({ v: 1, kind: 'report', category: 'environment', idempotencyKey: randomUUID(), deviceId: device(), name: NAME, phone: PHONE, description: `${NAME}家门口有积水 ${PHONE} ${randomUUID()}`, location: point });
    const e = await eventOf(sent.body.code);
    const pushed = JSON.stringify(await incidentRows(ts.app.db, [e.id]));
    expect(pushed).toContain(String(e.id));
    expect(pushed).not.toContain(PHONE);
    expect(pushed).not.toContain(NAME);

    expect((await call('PUT', `/api/v1/stations/${station}/publishing`, { publishClosedReports: true }, 'deputy')).status).toBe(200);
    // Closed by hand here: the published map's rule, not the closed loop, is under test.
    await ts.app.db.query(`UPDATE events SET state = 'closed', closed_at = now() WHERE id = $1`, [e.id]);
    const map = await call<{ features: { properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] }>('GET', '/api/v1/citizen/published');
    expect(map.status).toBe(200);
    expect(map.body.features.length).toBeGreaterThan(0);
    for (const f of map.body.features) {
      expect(Object.keys(f.properties).sort()).toEqual(['categoryLabel', 'category', 'closedMonth', 'lat', 'lon'].sort());
      for (const c of f.geometry.coordinates) expect(Math.round(c * 1000) / 1000).toBe(c);
    }
    expect(JSON.stringify(map.body)).not.toContain(PHONE);
    await call('PUT', `/api/v1/stations/${station}/publishing`, { publishClosedReports: false }, 'deputy');

    const detail = await call<EventDetail>('GET', `/api/v1/events/${e.id}`, undefined, 'deputy');
    expect(detail.body).toMatchObject({ reporterName: null, reporterLabel: '群众' });
    expect(detail.body).not.toHaveProperty('citizenCode');
    expect(JSON.stringify(detail.body)).not.toContain(sent.body.code);
    const contact = await call('POST', `/api/v1/events/${e.id}/contact`, {}, 'deputy');
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ name: NAME, phone: PHONE, code: sent.body.code });
    const audited = await ts.app.db.query(`SELECT role FROM audit_log WHERE action = 'citizen.contact' AND target = $1`, [`event:${e.id}`]);
    expect(audited.rows).toEqual([{ role: 'deputy_chief' }]);
    expect((await call('POST', `/api/v1/events/${e.id}/contact`, {}, 'police')).status).toBe(403);
    expect((await call('POST', `/api/v1/events/${e.id}/contact`, {}, 'gridder')).status).toBe(403);
    const submitted = await ts.app.db.query(`SELECT role, account_id, detail::text AS detail FROM audit_log WHERE action = 'citizen.submit' AND target = $1`, [`event:${e.id}`]);
    expect(submitted.rows[0]).toMatchObject({ role: 'citizen', account_id: null });
    expect(submitted.rows[0].detail).not.toContain(PHONE);
  });
});

describe('review 14 fixes (H2, H3, M2, M3, M4, L5, L6)', () => {
  const answerAs = async (code: string, who = 'deputy') => {
    const e = await eventOf(code);
    const res = await call('POST', `/api/v1/events/${e.id}/actions`, { action: 'answer', note: '已答复' }, who);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return e.id;
  };
  const rate = (code: string, body: Record<string, unknown>) => call<CitizenTrackingV1 & { issues?: { path: string }[] }>('POST', `/api/v1/citizen/requests/${code}/rating`, { rating: 'satisfied', ...body });

  it('H2: the same content with someone else\'s phone number gets a code and PIN of its own, never theirs', async () => {
    const victim = question({ phone: PHONE });
    const first = await submit(victim);
    expect(first.status).toBe(201);
    const stranger = await submit({ ...victim, idempotencyKey: randomUUID(), deviceId: device() });
    expect(stranger.status).toBe(201);
    expect(stranger.body.merged).toBe(true);
    expect(stranger.body.code).not.toBe(first.body.code);
    expect(stranger.body.pin === first.body.pin && stranger.body.code === first.body.code).toBe(false);
    expect((await eventOf(stranger.body.code)).id).toBe((await eventOf(first.body.code)).id);
  });

  it('H3: the code alone rates nothing: the sending phone or the PIN does, a wrong PIN is 403 body.pin; an Open311 request only with its PIN', async () => {
    const d = device();
    const sent = await submit(question({ deviceId: d }));
    await answerAs(sent.body.code);
    const staff = await rate(sent.body.code, { deviceId: device() });
    expect(staff.status).toBe(403);
    expect(staff.body.issues?.[0].path).toBe('body.pin');
    const wrong = await rate(sent.body.code, { deviceId: device(), pin: sent.body.pin === '000000' ? '000001' : '000000' });
    expect(wrong.status).toBe(403);
    expect((await ts.app.db.query(`SELECT rating FROM citizen_requests WHERE code = $1`, [sent.body.code])).rows[0].rating).toBeNull();
    expect((await rate(sent.body.code, { deviceId: d })).status).toBe(200);

    const other = await submit(question());
    await answerAs(other.body.code);
    expect((await rate(other.body.code, { deviceId: device(), pin: other.body.pin })).status).toBe(200);

    const key = (await ts.app.db.query<{ id: number }>(
      `INSERT INTO api_keys (source, name, key_hash) VALUES ('open311', '测试客户端', $1) RETURNING id`, [randomUUID()],
    )).rows[0].id;
    const via = question();
    const { submitCitizenRequest } = await import('./submit');
    const { CitizenSubmissionV1 } = await import('@/lib/contracts/citizen');
    const r311 = await submitCitizenRequest(ts.app, 'open311', CitizenSubmissionV1.parse(via), { ip: '127.0.0.1', apiKeyId: key, apiKeyName: '测试客户端' });
    await answerAs(r311.receipt.code);
    expect((await rate(r311.receipt.code, { deviceId: via.deviceId })).status).toBe(403);
    expect((await rate(r311.receipt.code, { deviceId: via.deviceId, pin: r311.receipt.pin })).status).toBe(200);
  });

  it('M2: ten wrong PINs for a phone number in a day lock it (429, even the right PIN next); IPv6 counts per /64', async () => {
    const phone = `139${String(Date.now()).slice(-8)}`;
    const sent = await submit(question({ phone }));
    ts.app.config.citizenLimitsScale = 1;
    try {
      const wrong = sent.body.pin === '999999' ? '999998' : '999999';
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await call('POST', '/api/v1/citizen/lookup', { phone, pin: wrong })).status);
      expect(statuses.every((st) => st === 404)).toBe(true);
      const locked = await call('POST', '/api/v1/citizen/lookup', { phone, pin: sent.body.pin });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(3600);
      // Rating with a PIN counts against the same phone number: locked too.
      await answerAs(sent.body.code);
      expect((await rate(sent.body.code, { deviceId: device(), pin: sent.body.pin })).status).toBe(429);
    } finally {
      ts.app.config.citizenLimitsScale = 1000;
    }
    const { addressKey } = await import('./limits');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
  });

  it('M3: a complaint about a request files with that request\'s station, wherever the complainant stands', async () => {
    const elsewhere = (await ts.app.db.query<{ lon: number; lat: number; station: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, station FROM (SELECT ST_PointOnSurface(g.geom) AS p, sv.station_id AS station FROM regions g
         JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid' AND sv.station_id <> $1 ORDER BY g.code LIMIT 1) x`, [station],
    )).rows[0];
    expect(elsewhere).toBeDefined();
    const earlier = await submit(question());
    const complaint = await submit({ v: 1, kind: 'complaint', idempotencyKey: randomUUID(), deviceId: device(), description: `处理太慢 ${randomUUID()}`, location: { lon: elsewhere.lon, lat: elsewhere.lat }, about: earlier.body.code });
    expect(complaint.status).toBe(201);
    const rows = (await ts.app.db.query<{ code: string; station: number; village: string }>(
      `SELECT cr.code, e.station_id AS station, e.village_code AS village FROM citizen_requests cr JOIN events e ON e.id = cr.event_id WHERE cr.code = ANY($1)`,
      [[earlier.body.code, complaint.body.code]],
    )).rows;
    const by = Object.fromEntries(rows.map((r) => [r.code, r]));
    expect(by[complaint.body.code].station).toBe(station);
    expect(by[complaint.body.code].village).toBe(by[earlier.body.code].village);
  });

  it('M4: four identical reports from four phones at once make one event', async () => {
    const words = `路灯不亮 ${randomUUID()}`;
    const sent = await Promise.all(Array.from({ length: 4 }, () => submit(question({ description: words }))));
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const events = new Set(await Promise.all(sent.map(async (r) => (await eventOf(r.body.code)).id)));
    expect(events.size).toBe(1);
    expect(sent.filter((r) => !r.body.merged)).toHaveLength(1);
  });

  it('L5: a second resident\'s 不满意 and a later complaint reach the leaders again', async () => {
    const q = question();
    const a = await submit(q);
    const b = await submit({ ...q, idempotencyKey: randomUUID(), deviceId: device() });
    expect(b.body.merged).toBe(true);
    const id = await answerAs(a.body.code);
    const unread = async (kind: string, eventId: number) => (await ts.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = $1 AND event_id = $2 AND read_at IS NULL`, [kind, eventId],
    )).rows[0].n;
    expect((await rate(a.body.code, { rating: 'dissatisfied', pin: a.body.pin, deviceId: device() })).status).toBe(200);
    expect(await unread('citizen_dissatisfied', id)).toBeGreaterThan(0);
    await ts.app.db.query(`UPDATE notifications SET read_at = now() WHERE event_id = $1`, [id]);
    expect((await rate(b.body.code, { rating: 'dissatisfied', pin: b.body.pin, deviceId: device() })).status).toBe(200);
    expect(await unread('citizen_dissatisfied', id)).toBeGreaterThan(0);
    const body = (await ts.app.db.query<{ body: string }>(`SELECT body FROM notifications WHERE kind = 'citizen_dissatisfied' AND event_id = $1 LIMIT 1`, [id])).rows[0].body;
    expect(body).toContain(b.body.code);

    const complain = (words: string) => submit({ v: 1, kind: 'complaint', idempotencyKey: randomUUID(), deviceId: device(), description: words, location: point, about: a.body.code });
    expect((await complain(`答复敷衍 ${randomUUID()}`)).status).toBe(201);
    await ts.app.db.query(`UPDATE notifications SET read_at = now() WHERE event_id = $1`, [id]);
    expect((await complain(`还是没解决 ${randomUUID()}`)).status).toBe(201);
    expect(await unread('citizen_complaint', id)).toBeGreaterThan(0);
  });

  it('M6: a complaint is answered by the leaders only, not by the grid leader who may answer a question', async () => {
    const c = await submit({ v: 1, kind: 'complaint', idempotencyKey: randomUUID(), deviceId: device(), description: `窗口态度差 ${randomUUID()}`, location: point });
    const e = await eventOf(c.body.code);
    expect((await call<EventDetail>('GET', `/api/v1/events/${e.id}`, undefined, 'deputy')).body.actions).toContain('answer');
    // The station's grid leader may answer a question on the same spot, not the complaint.
    const leader = await login(ts.url, 'gridleader');
    const detail = async (id: number) => (await (await fetch(`${ts.url}/api/v1/events/${id}`, { headers: json(leader) })).json()) as EventDetail;
    const q = await eventOf((await submit(question())).body.code);
    expect((await detail(q.id)).actions).toContain('answer');
    expect((await detail(e.id)).actions).not.toContain('answer');
    const res = await fetch(`${ts.url}/api/v1/events/${e.id}/actions`, { method: 'POST', headers: json(leader), body: JSON.stringify({ action: 'answer', note: '已答复' }) });
    expect(res.status).toBe(409);
    expect((await eventOf(c.body.code)).state).toBe('reported');
  });

  it('L6: an address\'s uploads are bounded per day (429), and all residents\' unattached uploads together (507)', async () => {
    const png = () => new Uint8Array(tinyPng());
    const up = () => fetch(`${ts.url}/api/v1/citizen/photos`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-device-id': device() }, body: png() });
    // An address that has sent its 100 MB today (counted here directly: the loopback address of this test) is refused the next byte.
    ts.app.config.citizenLimitsScale = 1;
    try {
      const { citizenLimits } = await import('./limits');
      for (const ip of ['127.0.0.1', '::1']) await citizenLimits(ts.app.config).photoBytes(ip, 100 * 1024 * 1024);
      await expect(citizenLimits(ts.app.config).photoBytes('198.51.100.9', 1024)).resolves.toBeUndefined();
      const refused = await up();
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { message: string }).message).toMatch(/上传照片过于频繁，请 \d+ 小时后再试/);
    } finally {
      ts.app.config.citizenLimitsScale = 1000;
    }
    const filler = 'f'.repeat(63) + '0';
    await ts.app.db.query(`INSERT INTO photos (id, mime, bytes, device_id) VALUES ($1, 'image/png', 2147483647, 'filler-device-000000')`, [filler]);
    try {
      const full = await up();
      expect(full.status).toBe(507);
      expect(((await full.json()) as { message: string }).message).toContain('暂存空间已满');
    } finally {
      await ts.app.db.query(`DELETE FROM photos WHERE id = $1`, [filler]);
    }
    expect((await up()).status).toBe(201);
  });
});

function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
    chunk('raNd', Buffer.from(randomUUID())),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
