import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/token';
import { citizenLimits } from '../citizen/limits';
import { withTestServer } from '../test/server';
import { SPEC_ATTRIBUTE_TYPES, SPEC_ENDPOINT_TYPES, SPEC_JSON, SPEC_TYPES, SPEC_VALUE_TYPES, SPEC_XML } from './spec-examples';
import { child, childNames, readXml, type XmlNode } from '@/lib/open311/xml-read';

/*
 * Issue 14 point 2: Open311 GeoReport v2 at /open311/v2, checked against the specification's own
 * examples (spec-examples.ts): every answer has the spec's field names, in JSON and in XML, with
 * the spec's types; bad requests get its error bodies; a POST files a citizen's request in the
 * station of its point (S9); a client sees its own requests and published closed ones only, and
 * no answer carries a resident's phone (S14).
 */

const ts = withTestServer(`open311:${process.pid}:`);
const KEY_A = `open311-a-${randomUUID()}`;
const KEY_B = `open311-b-${randomUUID()}`;
const PHONE = '13812345678';
/** Letters only (no digits for the phone mask to meet): this run's reports are its own, never merged with an earlier run's. */
const RUN = randomUUID().replace(/[^a-f]/g, '').slice(0, 8);
const BASE = '/open311/v2';
/** Every answer's text, searched at the end for the resident's phone. */
const seen: string[] = [];

let station: number;
let point: { lon: number; lat: number };
let village: string;

async function get(path: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${ts.url}${BASE}${path}`);
  const text = await res.text();
  seen.push(text);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}

async function post(path: string, fields: Record<string, string>, type = 'application/x-www-form-urlencoded; charset=utf-8', from?: string): Promise<{ status: number; type: string; text: string; retryAfter: string | null }> {
  const headers = { 'content-type': type, ...(from ? { 'x-forwarded-for': from } : {}) };
  const res = await fetch(`${ts.url}${BASE}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
  const text = await res.text();
  seen.push(text);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, retryAfter: res.headers.get('retry-after') };
}

const report = (extra: Record<string, string> = {}) => ({
  api_key: KEY_A, service_code: 'hazard', 'attribute[subcategory]': 'hazard.fire', lat: String(point.lat), long: String(point.lon),
  address_string: '南浔镇某路 12 号', first_name: '三', last_name: '张', phone: PHONE, email: 'zhang@example.cn', device_id: `phone-${RUN}`,
  account_id: 'acct-7', description: `楼道堆放杂物（${RUN}），有火灾隐患，请回电 ${PHONE}`, media_url: 'http://photos.example.cn/p/1.jpg', ...extra,
});

/** A value's type in SPEC_TYPES' words. */
function typeOk(value: unknown, type: string): boolean {
  const nullable = type.endsWith('?');
  const t = nullable ? type.slice(0, -1) : type;
  if (value === null) return nullable;
  if (t === 'id') return typeof value === 'string' || typeof value === 'number';
  if (t === 'w3c') return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/.test(value);
  if (t === 'array') return Array.isArray(value);
  if (t.includes('|')) return typeof value === 'string' && t.split('|').includes(value);
  return typeof value === t;
}

/** Our JSON record has exactly the spec example's fields, each of the spec's type. */
function conforms(ours: Record<string, unknown>, spec: object, types: Record<string, string>, what: string): void {
  expect(Object.keys(ours).sort(), what).toEqual(Object.keys(spec).sort());
  for (const [k, t] of Object.entries(types)) expect(typeOk(ours[k], t), `${what}.${k} = ${JSON.stringify(ours[k])} is not ${t}`).toBe(true);
}

/** Our XML element has the spec example's child elements (as a set: the spec's own examples vary the order). */
function sameElements(ours: XmlNode, spec: XmlNode, what: string): void {
  expect(ours.name, what).toBe(spec.name);
  expect([...new Set(childNames(ours))].sort(), what).toEqual([...new Set(childNames(spec))].sort());
}

function xmlOf(r: { type: string; text: string }): XmlNode {
  expect(r.type).toBe('text/xml; charset=utf-8');
  const { declaration, root } = readXml(r.text);
  expect(declaration).toBe('<?xml version="1.0" encoding="utf-8"?>');
  return root;
}

function json<T>(r: { type: string; text: string }): T {
  expect(r.type).toBe('application/json; charset=utf-8');
  return JSON.parse(r.text) as T;
}

const specXml = (k: keyof typeof SPEC_XML) => readXml(SPEC_XML[k]).root;

beforeAll(async () => {
  // The rate limits are under test in their own describe, at their own scale; elsewhere they stay out of the way.
  ts.app.config.citizenLimitsScale = 1000;
  const db = ts.app.db;
  station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  point = (await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code LIMIT 1) x`,
    [station],
  )).rows[0];
  village = (await db.query<{ code: string }>(`SELECT village_code AS code FROM station_villages WHERE station_id = $1 ORDER BY village_code LIMIT 1`, [station])).rows[0].code;
  await db.query(`INSERT INTO api_keys (source, name, key_hash) VALUES ('open311', '测试应用甲', $1), ('open311', '测试应用乙', $2)`, [hashToken(KEY_A), hashToken(KEY_B)]);
});

describe('Open311 GeoReport v2: the spec examples’ fields, in JSON and XML', () => {
  it('discovery', async () => {
    const j = json<Record<string, unknown> & { endpoints: Record<string, unknown>[] }>(await get('/discovery.json'));
    conforms(j, SPEC_JSON.discovery, SPEC_TYPES.discovery, 'discovery');
    conforms(j.endpoints[0], SPEC_JSON.discovery.endpoints[0], SPEC_ENDPOINT_TYPES, 'endpoint');
    expect(j.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json', 'text/xml'] });
    const x = xmlOf(await get('/discovery.xml'));
    sameElements(x, specXml('discovery'), 'discovery');
    const endpoint = child(child(x, 'endpoints')!, 'endpoint')!;
    sameElements(endpoint, child(child(specXml('discovery'), 'endpoints')!, 'endpoint')!, 'endpoint');
    expect(childNames(child(endpoint, 'formats')!)).toEqual(['format', 'format']);
  });

  it('service list from the taxonomy: a category with sub-categories has metadata; 投诉 and 建议 are services', async () => {
    const list = json<Record<string, unknown>[]>(await get('/services.json'));
    for (const s of list) conforms(s, SPEC_JSON.services[0], SPEC_TYPES.services, `service ${String(s.service_code)}`);
    const byCode = new Map(list.map((s) => [s.service_code, s]));
    expect(byCode.get('hazard')).toMatchObject({ service_name: '安全隐患', metadata: true, type: 'realtime', group: '安全隐患' });
    expect(byCode.get('hazard')!.keywords).toContain('消防');
    expect(byCode.get('policy')).toMatchObject({ service_name: '政策咨询', metadata: false });
    expect(byCode.get('feedback.complaint')).toMatchObject({ service_name: '投诉', group: '投诉建议' });
    expect(byCode.has('feedback')).toBe(false);
    const x = xmlOf(await get('/services.xml'));
    expect(x.name).toBe('services');
    expect(x.children).toHaveLength(list.length);
    for (const s of x.children) sameElements(s, specXml('services').children[0], 'service');
    expect(x.children.find((s) => child(s, 'service_code')!.text === 'hazard') && child(x.children[0], 'metadata')!.text).toMatch(/^(true|false)$/);
  });

  it('service definition: the sub-categories as a singlevaluelist attribute', async () => {
    const d = json<{ service_code: string; attributes: (Record<string, unknown> & { values: Record<string, unknown>[] })[] }>(await get('/services/hazard.json'));
    conforms(d, SPEC_JSON.service_definition, SPEC_TYPES.service_definition, 'definition');
    expect(d.attributes).toHaveLength(1);
    conforms(d.attributes[0], SPEC_JSON.service_definition.attributes[0], SPEC_ATTRIBUTE_TYPES, 'attribute');
    expect(d.attributes[0]).toMatchObject({ code: 'subcategory', datatype: 'singlevaluelist', variable: true, required: false, order: 1 });
    for (const v of d.attributes[0].values) conforms(v, SPEC_JSON.service_definition.attributes[0].values[0], SPEC_VALUE_TYPES, 'value');
    expect(d.attributes[0].values).toContainEqual({ key: 'hazard.fire', name: '消防' });
    const x = xmlOf(await get('/services/hazard.xml'));
    const spec = specXml('service_definition');
    sameElements(x, spec, 'service_definition');
    const attr = child(child(x, 'attributes')!, 'attribute')!;
    sameElements(attr, child(child(spec, 'attributes')!, 'attribute')!, 'attribute');
    sameElements(child(child(attr, 'values')!, 'value')!, child(child(child(child(spec, 'attributes')!, 'attribute')!, 'values')!, 'value')!, 'value');
    // A category without sub-categories has a definition with no attributes; a code with a dot is one path segment.
    expect(json<{ attributes: unknown[] }>(await get('/services/policy.json')).attributes).toEqual([]);
    expect(json<{ service_code: string }>(await get('/services/feedback.suggestion.json')).service_code).toBe('feedback.suggestion');
    expect(readXml((await get('/services/policy.xml')).text).root.children.map((c) => c.name)).toEqual(['service_code', 'attributes']);
  });
});

describe('Open311 POST requests: a citizen request in the station of its point', () => {
  let id = '';

  it('files the form as a citizen report; the same form again answers the same service_request_id', async () => {
    const first = await post('/requests.json', report());
    expect(first.status, first.text).toBe(201);
    const answer = json<Record<string, unknown>[]>(first);
    expect(answer).toHaveLength(1);
    conforms(answer[0], SPEC_JSON.post_request[0], SPEC_TYPES.post_request, 'POST answer');
    id = String(answer[0].service_request_id);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(answer[0].account_id).toBe('acct-7');

    const again = await post('/requests.json', report());
    expect(again.status).toBe(200);
    expect(json<{ service_request_id: string }[]>(again)[0].service_request_id).toBe(id);

    const { rows } = await ts.app.db.query<{ station_id: number; source: string; citizen: boolean; category: string; subcategory: string; kind: string; channel: string; details: { open311: Record<string, string> }; requests: string }>(
      `SELECT e.station_id, e.source, e.reported_by_citizen AS citizen, e.category, e.subcategory, r.kind, r.channel, r.details,
              (SELECT count(*) FROM citizen_requests x WHERE x.event_id = e.id)::text AS requests
         FROM citizen_requests r JOIN events e ON e.id = r.event_id WHERE r.code = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({ station_id: station, source: 'open311', citizen: true, category: 'hazard', subcategory: 'hazard.fire', kind: 'report', channel: 'open311', requests: '1' });
    // Kept, never fetched (the station is air-gapped).
    expect(rows[0].details.open311).toMatchObject({ media_url: 'http://photos.example.cn/p/1.jpg', email: 'zhang@example.cn', account_id: 'acct-7' });
    // In the request's own commit, naming the client application.
    const audit = await ts.app.db.query(`SELECT detail FROM audit_log WHERE action = 'open311.request' AND role = 'open311' AND detail->>'code' = $1`, [id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].detail).toMatchObject({ apiKeyName: '测试应用甲', code: id, channel: 'open311' });
  });

  it('answers in XML as the spec example; 政策咨询 becomes a question, 投诉 a complaint', async () => {
    const q = await post('/requests.xml', { api_key: KEY_A, service_code: 'policy', address_id: village, description: `老年人补贴怎么申请？（${RUN}）` });
    expect(q.status, q.text).toBe(201);
    const x = xmlOf(q);
    expect(x.name).toBe('service_requests');
    sameElements(x.children[0], specXml('post_request').children[0], 'request');
    const code = child(x.children[0], 'service_request_id')!.text;
    const c = await post('/requests.json', { api_key: KEY_A, service_code: 'feedback.complaint', lat: String(point.lat), long: String(point.lon), description: `办事窗口态度差（${RUN}）` });
    expect(c.status, c.text).toBe(201);
    const kinds = await ts.app.db.query<{ code: string; kind: string; category: string }>(
      `SELECT r.code, r.kind, e.kind AS event_kind, e.category FROM citizen_requests r JOIN events e ON e.id = r.event_id WHERE r.code = ANY($1::text[]) ORDER BY r.kind`,
      [[code, json<{ service_request_id: string }[]>(c)[0].service_request_id]],
    );
    expect(kinds.rows.map((r) => [r.kind, r.category])).toEqual([['complaint', 'feedback'], ['question', 'policy']]);
  });

  it('refuses with the spec’s error bodies, in JSON and XML', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ service_code: 'hazard', lat: '30.8', long: '120.4' }, 403, /^api_key/],
      [{ api_key: 'not-a-key', service_code: 'hazard', lat: '30.8', long: '120.4' }, 403, /^api_key/],
      // A key of an event source is no Open311 key.
      [{ api_key: 'demo-key-hotline_12345', service_code: 'hazard', lat: '30.8', long: '120.4' }, 403, /^api_key/],
      [{ api_key: KEY_A, lat: '30.8', long: '120.4' }, 400, /^service_code/],
      [{ api_key: KEY_A, service_code: 'no_such', lat: '30.8', long: '120.4' }, 404, /^service_code/],
      [{ api_key: KEY_A, service_code: 'hazard', lat: 'north', long: '120.4' }, 400, /^lat/],
      [{ api_key: KEY_A, service_code: 'hazard', lat: '95', long: '120.4' }, 400, /^lat/],
      [{ api_key: KEY_A, service_code: 'hazard', lat: '30.8' }, 400, /^long/],
      [{ api_key: KEY_A, service_code: 'hazard' }, 400, /^lat/],
      [{ api_key: KEY_A, service_code: 'hazard', address_string: '某地', 'attribute[subcategory]': 'city.x' }, 400, /^attribute\[subcategory\]/],
      [{ api_key: KEY_A, service_code: 'hazard', address_string: '某地', phone: '123' }, 400, /^phone/],
      [{ api_key: KEY_A, service_code: 'hazard', address_string: '某地', media_url: 'javascript:alert(1)' }, 400, /^media_url/],
      [{ api_key: KEY_A, jurisdiction_id: 'sfgov.org', service_code: 'hazard', address_string: '某地' }, 404, /^jurisdiction_id/],
      [{ api_key: KEY_A, service_code: 'hazard', address_id: 'A-17' }, 400, /^address_id/],
      // Our refusals that are not the form's shape (an unknown village, a point outside the district) are the spec's 400 too.
      [{ api_key: KEY_A, service_code: 'hazard', address_id: '330503999999' }, 400, /^address_id/],
      [{ api_key: KEY_A, service_code: 'hazard', address_string: '火星某处' }, 400, /^address_string/],
    ];
    const before = (await ts.app.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM citizen_requests`)).rows[0].n;
    for (const [fields, status, description] of cases) {
      const j = await post('/requests.json', fields);
      expect(j.status, `${JSON.stringify(fields)} → ${j.text}`).toBe(status);
      const errors = json<Record<string, unknown>[]>(j);
      for (const e of errors) conforms(e, SPEC_JSON.errors[0], SPEC_TYPES.errors, 'error');
      expect(errors[0].code).toBe(status);
      expect(String(errors[0].description), j.text).toMatch(description);
      const x = await post('/requests.xml', fields);
      expect(x.status).toBe(status);
      const root = xmlOf(x);
      sameElements(root, specXml('errors'), 'errors');
      sameElements(root.children[0], specXml('errors').children[0], 'error');
      expect(child(root.children[0], 'code')!.text).toBe(String(status));
      expect(child(root.children[0], 'description')!.text).toMatch(description);
    }
    expect((await ts.app.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM citizen_requests`)).rows[0].n).toBe(before);
    // The router's own refusals on these paths speak Open311 too, never our JSON problem format.
    const json415 = await post('/requests.xml', report(), 'application/json');
    expect(json415.status).toBe(415);
    expect(readXml(json415.text).root.name).toBe('errors');
    const put = await fetch(`${ts.url}${BASE}/requests.json`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(put.status).toBe(405);
    expect(await put.json()).toEqual([expect.objectContaining({ code: 405 })]);
    const big = await post('/requests.xml', report({ description: '长'.repeat(30_000) }));
    expect(big.status).toBe(413);
    expect(child(readXml(big.text).root.children[0], 'code')!.text).toBe('413');
    const html = await get('/services.html');
    expect(html.status).toBe(404);
    expect(json<{ description: string }[]>(html)[0].description).toMatch(/^format/);
    expect(json<unknown[]>(await get('/services.json?jurisdiction_id=330503')).length).toBeGreaterThan(5);
    expect((await get('/services.xml?jurisdiction_id=sfgov.org')).status).toBe(404);
  });

  it('an Open311 key posts nothing to /api/v1/events', async () => {
    const res = await fetch(`${ts.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY_A}`, 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, idempotencyKey: randomUUID(), category: 'environment', title: '越权', location: point }),
    });
    expect(res.status).toBe(401);
  });

  describe('GET requests: the client’s own, and published closed ones (S14)', () => {
    it('lists the client’s own requests with the spec’s fields, masked words and no phone', async () => {
      const list = json<Record<string, unknown>[]>(await get(`/requests.json?api_key=${KEY_A}`));
      const mine = list.find((r) => r.service_request_id === id)!;
      expect(mine).toBeDefined();
      conforms(mine, SPEC_JSON.requests[0], SPEC_TYPES.requests, 'request');
      expect(mine).toMatchObject({ status: 'open', status_notes: '上报 (reported)', service_code: 'hazard', service_name: '安全隐患', media_url: 'http://photos.example.cn/p/1.jpg', address_id: expect.stringMatching(/^\d{12}$/) });
      expect(mine.description).toBe(`楼道堆放杂物（${RUN}），有火灾隐患，请回电 138****5678`);
      expect(mine.lat).toBeCloseTo(point.lat, 9);
      expect(String(mine.requested_datetime)).toMatch(/\+08:00$/);
      const x = xmlOf(await get(`/requests.xml?api_key=${KEY_A}`));
      for (const r of x.children) sameElements(r, specXml('requests').children[0], 'request');
      const one = xmlOf(await get(`/requests/${id}.xml?api_key=${KEY_A}`));
      expect(one.children).toHaveLength(1);
      sameElements(one.children[0], specXml('requests').children[0], 'request');
      conforms(json<Record<string, unknown>[]>(await get(`/requests/${id.toLowerCase()}.json?api_key=${KEY_A}`))[0], SPEC_JSON.requests[0], SPEC_TYPES.requests, 'GET one');
    });

    it('filters by service_code, status, dates and ids', async () => {
      const codes = async (q: string) => json<{ service_request_id: string }[]>(await get(`/requests.json?api_key=${KEY_A}&${q}`)).map((r) => r.service_request_id);
      expect(await codes('service_code=hazard')).toContain(id);
      expect(await codes('service_code=policy,feedback.complaint')).not.toContain(id);
      expect((await codes('service_code=policy,feedback.complaint')).length).toBe(2);
      expect(await codes('status=open')).toContain(id);
      expect(await codes('status=closed')).not.toContain(id);
      const hour = 3_600_000;
      const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
      expect(await codes(`start_date=${iso(Date.now() - hour)}&end_date=${iso(Date.now() + hour)}`)).toContain(id);
      // An hour from now written in Shanghai time, as a client here would.
      expect(await codes(`start_date=${encodeURIComponent(iso(Date.now() + 9 * hour).replace('Z', '+08:00'))}`)).not.toContain(id);
      expect(await codes(`start_date=${encodeURIComponent(iso(Date.now() + 7 * hour).replace('Z', '+08:00'))}`)).toContain(id);
      expect(await codes(`end_date=${iso(Date.now() - hour)}`)).not.toContain(id);
      const all = await codes('');
      expect(await codes(`service_request_id=${all.slice(0, 2).join(',')}&status=closed`)).toEqual(all.slice(0, 2));
      for (const [q, field] of [['status=pending', 'status'], ['start_date=2026-01-01', 'start_date'], ['end_date=yesterday', 'end_date'], ['start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z', 'end_date']]) {
        const r = await get(`/requests.json?${q}`);
        expect(r.status, q).toBe(400);
        expect(json<{ description: string }[]>(r)[0].description.startsWith(field), r.text).toBe(true);
      }
    });

    it('another client sees none of them, nor does anyone without a key; once closed at a publishing station, all see it, placed to ~100 m', async () => {
      const other = json<{ service_request_id: string }[]>(await get(`/requests.json?api_key=${KEY_B}`));
      expect(other.map((r) => r.service_request_id)).not.toContain(id);
      expect((await get(`/requests/${id}.json?api_key=${KEY_B}`)).status).toBe(404);
      expect((await get(`/requests/${id}.xml`)).status).toBe(404);
      expect(readXml((await get(`/requests/${id}.xml`)).text).root.name).toBe('errors');
      expect((await get(`/requests.json?api_key=wrong`)).status).toBe(403);

      const mine = await ts.app.db.query<{ code: string; event_id: string; kind: string }>(
        `SELECT code, event_id::text, kind FROM citizen_requests WHERE api_key_id = (SELECT id FROM api_keys WHERE key_hash = $1)`, [hashToken(KEY_A)],
      );
      // The report, and the question and complaint too: closed, all of them.
      expect(mine.rows.map((r) => r.kind).sort()).toEqual(['complaint', 'question', 'report']);
      await ts.app.db.query(`UPDATE events SET state = 'closed', closed_at = now() WHERE id = ANY($1::bigint[])`, [mine.rows.map((r) => r.event_id)]);
      const eventId = mine.rows.find((r) => r.code === id)!.event_id;
      const publicId = `P${eventId}`;
      // Closed, but its station does not publish: still the client's alone.
      expect((await get(`/requests/${id}.json`)).status).toBe(404);
      expect((await get(`/requests/${publicId}.json`)).status).toBe(404);
      await ts.app.db.query(`UPDATE stations SET publish_closed_reports = true WHERE id = $1`, [station]);
      try {
        // Every tracking code there is: none may reach anyone but its own client (review H1: a code is all the rating route asks).
        const codes = (await ts.app.db.query<{ code: string }>(`SELECT code FROM citizen_requests`)).rows.map((r) => r.code);
        for (const query of ['', `?api_key=${KEY_B}`]) {
          const answer = await get(`/requests.json${query}`);
          const list = json<Record<string, unknown>[]>(answer);
          for (const code of codes) expect(answer.text).not.toContain(code);
          const shown = list.find((r) => r.service_request_id === publicId)!;
          expect(shown, answer.text).toBeDefined();
          conforms(shown, SPEC_JSON.requests[0], SPEC_TYPES.requests, 'published');
          expect(shown).toMatchObject({
            status: 'closed', status_notes: '办结 (closed)', service_code: 'hazard', media_url: null,
            lat: Math.round(point.lat * 1000) / 1000, long: Math.round(point.lon * 1000) / 1000,
          });
          // The category's name for words, as the published map: never the resident's words, nor the address the client typed.
          expect(shown.description).toBe('安全隐患');
          expect(answer.text).not.toContain(RUN);
          expect(shown.address).not.toContain('12 号');
          // Only closed problem reports of a publishing station: the closed question and complaint stay the client's.
          expect(list.every((r) => r.status === 'closed')).toBe(true);
          expect(list.map((r) => r.service_code)).not.toContain('policy');
          expect(list.map((r) => r.service_code)).not.toContain('feedback.complaint');
          expect(list.every((r) => /^P\d+$/.test(String(r.service_request_id)))).toBe(true);
        }
        // The public id opens the one published row; the tracking code still opens nothing but for its client.
        const one = json<Record<string, unknown>[]>(await get(`/requests/${publicId.toLowerCase()}.json`));
        expect(one).toHaveLength(1);
        expect(one[0]).toMatchObject({ service_request_id: publicId, description: '安全隐患' });
        expect((await get(`/requests/${id}.json`)).status).toBe(404);
        expect((await get(`/requests/${id}.json?api_key=${KEY_B}`)).status).toBe(404);
        for (const r of mine.rows.filter((x) => x.kind !== 'report')) expect((await get(`/requests/P${r.event_id}.json`)).status).toBe(404);
        // The client itself: its own request under its code, with its words and exact point, listed once.
        const own = json<Record<string, unknown>[]>(await get(`/requests.json?api_key=${KEY_A}`));
        expect(own.filter((r) => r.service_request_id === id)).toHaveLength(1);
        expect(own.map((r) => r.service_request_id)).not.toContain(publicId);
        const first = json<Record<string, unknown>[]>(await get(`/requests/${id}.json?api_key=${KEY_A}`))[0];
        expect(first.lat).toBeCloseTo(point.lat, 9);
        expect(String(first.description)).toContain(RUN);
      } finally {
        await ts.app.db.query(`UPDATE stations SET publish_closed_reports = false WHERE id = $1`, [station]);
      }
    });

    it('a request merged into another client’s event is its own for its status only: the village, ~100 m, no words of the first reporter (review M1)', async () => {
      // Off the 3-decimal grid, so rounding shows.
      const at = { lat: String(point.lat + 0.0001234), long: String(point.lon + 0.0001234) };
      const words = `路灯不亮（${RUN}M1）`;
      const firstForm = { api_key: KEY_B, service_code: 'hazard', ...at, address_string: '南浔镇某路 99 号', description: words, device_id: `first-${RUN}` };
      const first = await post('/requests.json', firstForm);
      expect(first.status, first.text).toBe(201);
      const second = await post('/requests.json', { api_key: KEY_A, service_code: 'hazard', ...at, address_string: '另一处', description: words, device_id: `second-${RUN}` });
      expect(second.status, second.text).toBe(201);
      const code = json<{ service_request_id: string }[]>(second)[0].service_request_id;
      const row = await ts.app.db.query<{ merged: boolean }>(`SELECT merged FROM citizen_requests WHERE code = $1`, [code]);
      expect(row.rows[0].merged).toBe(true);
      for (const answer of [await get(`/requests/${code}.json?api_key=${KEY_A}`), await get(`/requests.json?api_key=${KEY_A}&service_code=hazard`)]) {
        const shown = json<Record<string, unknown>[]>(answer).find((r) => r.service_request_id === code)!;
        expect(shown, answer.text).toMatchObject({ status: 'open', description: '安全隐患', lat: Math.round(Number(at.lat) * 1000) / 1000, long: Math.round(Number(at.long) * 1000) / 1000 });
        expect(answer.text).not.toContain('99 号');
        expect(answer.text).not.toContain(words);
        expect(shown.address).toEqual(expect.any(String));
      }
      // The first reporter's client still sees its own exactly.
      const theirs = json<Record<string, unknown>[]>(await get(`/requests.json?api_key=${KEY_B}&service_code=hazard`))
        .find((r) => r.service_request_id === json<{ service_request_id: string }[]>(first)[0].service_request_id)!;
      expect(theirs).toMatchObject({ address: '南浔镇某路 99 号', description: words });
      expect(theirs.lat).toBeCloseTo(Number(at.lat), 9);
    });

    it('never answers the resident’s phone, name or email', () => {
      expect(seen.length).toBeGreaterThan(40);
      for (const text of seen) {
        expect(text).not.toContain(PHONE);
        expect(text).not.toContain('zhang@example.cn');
        expect(text).not.toContain('张三');
      }
    });
  });
});

describe('Open311 POST rate limits (review M7; S14: an open channel is counted)', () => {
  /** A scale of its own (each scale counts apart) and addresses told by X-Forwarded-For from a trusted loopback. */
  async function atScale<T>(scale: number, run: () => Promise<T>): Promise<T> {
    const { citizenLimitsScale, trustProxy } = ts.app.config;
    ts.app.config.citizenLimitsScale = scale;
    ts.app.config.trustProxy = ['127.0.0.1', '::1'];
    try {
      return await run();
    } finally {
      ts.app.config.citizenLimitsScale = citizenLimitsScale;
      ts.app.config.trustProxy = trustProxy;
    }
  }
  const form = (key: string, n: string) => ({ api_key: key, service_code: 'policy', address_id: village, description: `限流测试 ${RUN} ${n}`, device_id: `limit-${RUN}-${n}` });

  it('a key past its budget gets 429 with Retry-After in the spec’s error body, from any address', async () => {
    // 600 × 0.005 = 3 posts per key; each from its own address and resident, so only the key's count can refuse.
    await atScale(0.005, async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await post('/requests.json', form(KEY_A, `k${i}`), undefined, `198.51.100.${10 + i}`)).status);
      expect(statuses).toEqual([201, 201, 201]);
      const before = (await ts.app.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM citizen_requests`)).rows[0].n;
      const refused = await post('/requests.json', form(KEY_A, 'k3'), undefined, '198.51.100.20');
      expect(refused.status, refused.text).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      const errors = json<Record<string, unknown>[]>(refused);
      conforms(errors[0], SPEC_JSON.errors[0], SPEC_TYPES.errors, 'error');
      expect(errors[0]).toMatchObject({ code: 429, description: expect.stringMatching(/^api_key/) });
      const xml = await post('/requests.xml', form(KEY_A, 'k4'), undefined, '198.51.100.21');
      expect(xml.status).toBe(429);
      expect(child(xmlOf(xml).children[0], 'code')!.text).toBe('429');
      expect((await ts.app.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM citizen_requests`)).rows[0].n).toBe(before);
      // Another client's key has its own budget.
      expect((await post('/requests.json', form(KEY_B, 'k5'), undefined, '198.51.100.22')).status).toBe(201);
    });
  });

  it('a platform posting from one server is held to its key, not to an address; each of its residents to a phone’s budget', async () => {
    // × 0.5: an address's budget on /m would be 10, a phone's 3; the key's 300 stays far off.
    await atScale(0.5, async () => {
      const from = '203.0.113.7';
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await post('/requests.json', form(KEY_A, `a${i}`), undefined, from)).status);
      expect(statuses).toEqual(Array(12).fill(201));
      // The same resident (device_id) a fourth time in the window is refused, in the spec's error body.
      const one = (n: string) => ({ ...form(KEY_A, n), device_id: `limit-${RUN}-same` });
      for (const n of ['s0', 's1', 's2']) expect((await post('/requests.json', one(n), undefined, from)).status).toBe(201);
      const refused = await post('/requests.json', one('s3'), undefined, from);
      expect(refused.status, refused.text).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(json<{ code: number }[]>(refused)[0].code).toBe(429);
      // /m's budget for that address is untouched by the platform's posts.
      await expect(citizenLimits(ts.app.config).submit(from, `web-${RUN}-device-0001`)).resolves.toBeUndefined();
    });
  });
});
