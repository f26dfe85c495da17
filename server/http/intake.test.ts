import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventReportV1, EXTERNAL_SOURCES, SOURCE_LABEL } from '@/lib/contracts/events';
import type { StatsSummaryV1, StatsUploadReceiptV1 } from '@/lib/contracts/stats';
import { shanghaiDay } from '@/lib/time/workdays';
import { demoApiKey } from '../seed/devices';
import { login, withTestServer } from '../test/server';
import type { OpenApiDocument } from './openapi';
import { Router } from './router';

const ts = withTestServer();
const HOTLINE = demoApiKey('hotline_12345');
const CITY = demoApiKey('city_mgmt');

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff, 0xe0];
/** An image of its type by its magic bytes, unique per call so reruns on one database start fresh. */
// Minimal well-formed images with random content: uploads are parsed to strip their metadata (issue 10).
const u32 = (n: number, le = false) => {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(n);
  else b.writeUInt32BE(n);
  return b;
};
const pngChunk = (t: string, d: Buffer) => Buffer.concat([u32(d.length), Buffer.from(t, 'latin1'), d, Buffer.alloc(4)]);
const png = (size: number) =>
  Buffer.concat([Buffer.from(PNG_MAGIC), pngChunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])), pngChunk('raNd', randomBytes(size)), pngChunk('IEND', Buffer.alloc(0))]);
const jpeg = (size: number) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0]), Buffer.from(randomBytes(size).map((b) => (b === 0xff ? 0 : b))), Buffer.from([0xff, 0xd9])]);
const image = (magic: number[], size = 256) => (magic === JPEG_MAGIC ? jpeg(size) : png(size));
const webp = () => Buffer.concat([Buffer.from('RIFF'), u32(76, true), Buffer.from('WEBPVP8 '), u32(64, true), randomBytes(64)]);

interface Auth {
  cookie?: string;
  key?: string;
}

function headers(contentType: string | null, auth: Auth): Record<string, string> {
  return {
    ...(contentType ? { 'content-type': contentType } : {}),
    ...(auth.cookie ? { cookie: auth.cookie } : {}),
    ...(auth.key ? { authorization: `Bearer ${auth.key}` } : {}),
  };
}

const postRaw = (p: string, body: Buffer | string, contentType: string | null, auth: Auth = {}) =>
  fetch(`${ts.url}${p}`, { method: 'POST', headers: headers(contentType, auth), body: typeof body === 'string' ? body : Uint8Array.from(body) });

const get = (p: string, auth: Auth = {}, extra: Record<string, string> = {}) =>
  fetch(`${ts.url}${p}`, { headers: { ...headers(null, auth), ...extra } });

async function displayCookie(): Promise<string> {
  const res = await fetch(`${ts.url}/wall?display=${encodeURIComponent(ts.app.config.displayToken)}`, { redirect: 'manual' });
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

async function auditCount(action: string, target?: string): Promise<number> {
  const { rows } = await ts.app.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND ($2::text IS NULL OR target = $2)`,
    [action, target ?? null],
  );
  return rows[0].n;
}

describe('request bodies other than JSON (router)', () => {
  it('each route accepts its own media types and 415s the rest, naming what it accepts', async () => {
    const gridder = await login(ts.url, 'gridder');
    const asJson = await postRaw('/api/v1/photos', '{}', 'application/json', { cookie: gridder });
    expect(asJson.status).toBe(415);
    expect((await asJson.json()).message).toBe('请求体须为 image/jpeg、image/png、image/webp');
    // A cross-site form can send only these: none reaches a mutating route.
    for (const formType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain'])
      expect((await postRaw('/api/v1/photos', image(PNG_MAGIC), formType, { cookie: gridder })).status).toBe(415);
    expect((await postRaw('/api/v1/photos', image(PNG_MAGIC), null, { cookie: gridder })).status).toBe(415);
    const csvAsJson = await postRaw('/api/v1/stats', '{}', 'application/json', { key: CITY });
    expect(csvAsJson.status).toBe(415);
    expect((await csvAsJson.json()).message).toBe('请求体须为 text/csv');
    // Existing JSON routes are unchanged: an image or CSV there is still refused.
    const onEvents = await postRaw('/api/v1/events', 'date,count\n', 'text/csv', { key: HOTLINE });
    expect(onEvents.status).toBe(415);
    expect((await onEvents.json()).message).toBe('请求体须为 application/json');
    expect((await postRaw('/api/v1/events', image(PNG_MAGIC), 'image/png', { key: HOTLINE })).status).toBe(415);
  });

  it('413 past the limit, whether Content-Length says so or the stream runs over', async () => {
    const gridder = await login(ts.url, 'gridder');
    const big = image(PNG_MAGIC, 10 * 1024 * 1024);
    const declared = await postRaw('/api/v1/photos', big, 'image/png', { cookie: gridder });
    expect(declared.status).toBe(413);
    expect((await declared.json()).message).toContain('10 MB');

    // Chunked, no Content-Length: the limit is counted as the bytes arrive.
    const chunks = [image(PNG_MAGIC, 6 * 1024 * 1024), randomBytes(6 * 1024 * 1024)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await fetch(`${ts.url}/api/v1/photos`, {
      method: 'POST',
      headers: headers('image/png', { cookie: gridder }),
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error).toBe('too_large');
    // The server is still serving after refusing both.
    expect((await get('/healthz')).status).toBe(200);
  });

  it('a route without options stays JSON; options pick the body kind', () => {
    const r = new Router()
      .add('POST', '/a', 'public', async () => ({ body: 1 }))
      .add('POST', '/b/:id', 'public', { body: 'csv' }, async () => ({ body: 2 }));
    expect(r.has('POST', '/a')).toBe(true);
    expect(r.has('POST', '/b/7')).toBe(true);
    expect(r.has('GET', '/a')).toBe(false);
    expect(r.has('POST', '/b')).toBe(false);
  });
});

describe('photos: POST /api/v1/photos, GET /api/v1/photos/:id', () => {
  it('stores a photo under its hash, once, and serves it to staff only', async () => {
    const gridder = await login(ts.url, 'gridder');
    const bytes = image(PNG_MAGIC, 4096);
    const id = createHash('sha256').update(bytes).digest('hex');

    const res = await postRaw('/api/v1/photos', bytes, 'image/png', { cookie: gridder });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id, mime: 'image/png', bytes: bytes.length });
    expect(res.headers.get('location')).toBe(`/api/v1/photos/${id}`);

    const file = path.join(ts.app.config.dataDir, 'photos', id.slice(0, 2), id);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // The temporary file was renamed into place, not left beside it.
    expect(readdirSync(path.dirname(file))).toEqual([id]);
    expect(path.relative(process.cwd(), file).startsWith('..')).toBe(true);

    const { rows } = await ts.app.db.query<{ mime: string; bytes: number; username: string }>(
      `SELECT p.mime, p.bytes, a.username FROM photos p JOIN accounts a ON a.id = p.uploaded_by WHERE p.id = $1`,
      [id],
    );
    expect(rows).toEqual([{ mime: 'image/png', bytes: bytes.length, username: 'gridder' }]);
    expect(await auditCount('photo.upload', `photo:${id}`)).toBe(1);

    // The same bytes again, even at once from several clients, are the same photo.
    const again = await Promise.all([1, 2, 3].map(() => postRaw('/api/v1/photos', bytes, 'image/png', { cookie: gridder })));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(await Promise.all(again.map(async (r) => (await r.json()).id)))).toEqual(new Set([id]));
    expect((await ts.app.db.query(`SELECT 1 FROM photos WHERE id = $1`, [id])).rows).toHaveLength(1);
    expect(await auditCount('photo.upload', `photo:${id}`)).toBe(1);

    // Not yet attached to any event: only its uploader sees it (issue 10: the scope rule goes through the event).
    const deputy = await login(ts.url, 'deputy');
    expect((await get(`/api/v1/photos/${id}`, { cookie: deputy })).status).toBe(404);
    const got = await get(`/api/v1/photos/${id}`, { cookie: gridder });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await get(`/api/v1/photos/${id}`, { cookie: gridder }, { 'if-none-match': `"${id}"` })).status).toBe(304);

    expect((await get(`/api/v1/photos/${id}`)).status).toBe(401);
    expect((await get(`/api/v1/photos/${id}`, { cookie: await displayCookie() })).status).toBe(403);
    expect((await get(`/api/v1/photos/${'0'.repeat(64)}`, { cookie: deputy })).status).toBe(404);
    const malformed = await get('/api/v1/photos/..%2F..%2Fetc%2Fpasswd', { cookie: deputy });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).issues[0].path).toBe('params.id');
    expect((await get(`/api/v1/photos/${id.toUpperCase()}`, { cookie: deputy })).status).toBe(400);
    expect((await get('/api/v1/photos/%E0', { cookie: deputy })).status).toBe(400);
  });

  it('knows the type by the bytes, not the header: a mismatch or a non-image is 422 on body', async () => {
    const gridder = await login(ts.url, 'gridder');
    const jpegAsPng = await postRaw('/api/v1/photos', image(JPEG_MAGIC), 'image/png', { cookie: gridder });
    expect(jpegAsPng.status).toBe(422);
    const body = await jpegAsPng.json();
    expect(body.issues).toEqual([{ path: 'body', message: expect.stringContaining('JPEG') }]);
    expect(body.message).toContain('image/png');

    const svg = await postRaw('/api/v1/photos', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/png', { cookie: gridder });
    expect(svg.status).toBe(422);
    expect((await svg.json()).issues[0].path).toBe('body');
    const empty = await postRaw('/api/v1/photos', Buffer.alloc(0), 'image/jpeg', { cookie: gridder });
    expect(empty.status).toBe(422);
    expect((await empty.json()).issues[0].path).toBe('body');

    // Each of the three types, declared with parameters and in any case, is taken.
    const w = await postRaw('/api/v1/photos', webp(), 'Image/WebP; q=1', { cookie: gridder });
    expect(w.status).toBe(201);
    expect((await w.json()).mime).toBe('image/webp');
    const j = await postRaw('/api/v1/photos', image(JPEG_MAGIC), 'image/jpeg', { cookie: gridder });
    expect((await j.json()).mime).toBe('image/jpeg');
  });

  it('who may upload: staff who report and source systems by API key; not the wall, not strangers', async () => {
    expect((await postRaw('/api/v1/photos', image(PNG_MAGIC), 'image/png')).status).toBe(401);
    expect((await postRaw('/api/v1/photos', image(PNG_MAGIC), 'image/png', { key: 'not-a-key' })).status).toBe(401);
    expect((await postRaw('/api/v1/photos', image(PNG_MAGIC), 'image/png', { cookie: await displayCookie() })).status).toBe(403);

    // A source system uploads a photo, then reports an event that names it (S9).
    const bytes = image(JPEG_MAGIC);
    const up = await postRaw('/api/v1/photos', bytes, 'image/jpeg', { key: HOTLINE });
    expect(up.status).toBe(201);
    const { id } = await up.json();
    const { rows } = await ts.app.db.query<{ uploaded_by: number | null }>(`SELECT uploaded_by FROM photos WHERE id = $1`, [id]);
    expect(rows[0].uploaded_by).toBeNull();
    const { rows: v } = await ts.app.db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'village' ORDER BY code LIMIT 1`);
    const report = { v: 1, idempotencyKey: randomUUID(), category: 'city', title: '路灯损坏', villageCode: v[0].code, photos: [id] };
    const ev = await postRaw('/api/v1/events', JSON.stringify(report), 'application/json', { key: HOTLINE });
    expect(ev.status).toBe(201);
    const { rows: e } = await ts.app.db.query<{ photos: string[] }>(`SELECT photos FROM events WHERE id = $1`, [(await ev.json()).id]);
    expect(e[0].photos).toEqual([id]);
  });
});

describe('statistics (S9): POST /api/v1/stats, GET /api/v1/stats', () => {
  const HEAD = 'date,category,region_code,count';
  const postCsv = (csv: string | Buffer, auth: Auth = { key: CITY }, type = 'text/csv; charset=utf-8') => postRaw('/api/v1/stats', csv, type, auth);

  async function countsOf(day: string): Promise<Record<string, number>> {
    const { rows } = await ts.app.db.query<{ k: string; count: number }>(
      `SELECT category || '@' || region_code AS k, count FROM source_stats WHERE source = 'city_mgmt' AND day = $1`,
      [day],
    );
    return Object.fromEntries(rows.map((r) => [r.k, r.count]));
  }

  it('writes a good file, and a re-upload of the same days replaces their counts', async () => {
    const audits = await auditCount('stats.upload', 'source:city_mgmt');
    const csv = `\ufeff${HEAD}\r\n2025-01-01,city,330503,5\r\n2025-01-01,"hazard.fire",330503001,2\r\n2025-01-02,city,330503,1\r\n`;
    const res = await postCsv(csv);
    expect(res.status).toBe(200);
    expect((await res.json()) as StatsUploadReceiptV1).toEqual({
      accepted: 3,
      rows: [
        { row: 2, ok: true },
        { row: 3, ok: true },
        { row: 4, ok: true },
      ],
    });
    expect(await countsOf('2025-01-01')).toEqual({ 'city@330503': 5, 'hazard.fire@330503001': 2 });
    expect(await auditCount('stats.upload', 'source:city_mgmt')).toBe(audits + 1);

    const again = await postCsv(`${HEAD}\n2025-01-01,city,330503,7\n2025-01-01,hazard.fire,330503001,2\n`);
    expect(again.status).toBe(200);
    expect(await countsOf('2025-01-01')).toEqual({ 'city@330503': 7, 'hazard.fire@330503001': 2 });
    expect(await countsOf('2025-01-02')).toEqual({ 'city@330503': 1 });
    // Another source's rows for the same day and keys are its own.
    await postCsv(`${HEAD}\n2025-01-01,city,330503,100\n`, { key: HOTLINE });
    expect(await countsOf('2025-01-01')).toEqual({ 'city@330503': 7, 'hazard.fire@330503001': 2 });
  });

  it('one bad row and nothing is written; every row is answered with its line and field', async () => {
    const before = await countsOf('2025-02-01');
    const { rows: g } = await ts.app.db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'grid' ORDER BY code LIMIT 1`);
    const csv = [
      HEAD,
      `2025-02-01,public_order,${g[0].code},4`, // 2: fine (a grid is a region too)
      '2025-02-01,ufo,330503,1', // 3: unknown category
      '2025-02-01,city,999999999,1', // 4: unknown region
      '2025-02-01,city,330503,lots', // 5: not a number
      '2025-02-01,"multi', // 6: a quoted field running on…
      'line",330503,1', // …to line 7: one record, bad category, reported on line 6
    ].join('\r\n');
    const res = await postCsv(csv);
    expect(res.status).toBe(422);
    const body = (await res.json()) as StatsUploadReceiptV1;
    expect(body.accepted).toBe(0);
    expect(body.error).toBe('invalid_rows');
    expect(body.rows).toEqual([
      { row: 2, ok: true },
      { row: 3, ok: false, field: 'category', message: expect.stringContaining('ufo') },
      { row: 4, ok: false, field: 'region_code', message: expect.stringContaining('999999999') },
      { row: 5, ok: false, field: 'count', message: '数量须为不小于 0 的整数' },
      { row: 6, ok: false, field: 'category', message: expect.any(String) },
    ]);
    expect(await countsOf('2025-02-01')).toEqual(before);

    const header = await postCsv('day,category,region,count\n2025-02-01,city,330503,1\n');
    expect(header.status).toBe(422);
    expect(((await header.json()) as StatsUploadReceiptV1).rows).toEqual([{ row: 1, ok: false, field: 'header', message: expect.stringContaining(HEAD) }]);

    const future = shanghaiDay(new Date(Date.now() + 3 * 24 * 3600_000));
    const tomorrow = await postCsv(`${HEAD}\n${future},city,330503,1\n`);
    expect(((await tomorrow.json()) as StatsUploadReceiptV1).rows[0]).toMatchObject({ row: 2, ok: false, field: 'date' });

    // GBK-encoded bytes are not UTF-8: refused, naming the line.
    const gbk = Buffer.concat([Buffer.from(`${HEAD}\n2025-02-01,city,330503,1\n`), Buffer.from([0xd6, 0xd0, 0x0a])]);
    const enc = await postCsv(gbk);
    expect(enc.status).toBe(422);
    expect(((await enc.json()) as StatsUploadReceiptV1).rows).toEqual([{ row: 3, ok: false, field: 'body', message: expect.stringContaining('UTF-8') }]);
    expect((await postCsv(`${HEAD}\n`, { key: CITY }, 'text/csv; charset=GBK')).status).toBe(415);
  });

  it('only a source API key may upload; limits of 10,000 rows and 2 MB', async () => {
    const deputy = await login(ts.url, 'deputy');
    const bySession = await postCsv(`${HEAD}\n2025-03-01,city,330503,1\n`, { cookie: deputy });
    expect(bySession.status).toBe(401);
    expect((await bySession.json()).message).toContain('API 密钥');
    expect((await postCsv(`${HEAD}\n`, { key: 'not-a-key' })).status).toBe(401);

    const many = [HEAD, ...Array.from({ length: 10_001 }, (_, i) => `2024-01-01,city,330503,${i}`)].join('\n');
    const tooMany = await postCsv(many);
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).message).toContain('10000');
    const huge = `${HEAD}\n${'x'.repeat(2 * 1024 * 1024)}`;
    expect((await postCsv(huge)).status).toBe(413);
    expect(await ts.app.db.query(`SELECT 1 FROM source_stats WHERE day = '2024-01-01'`).then((r) => r.rows)).toHaveLength(0);

    // Exactly at the row limit is fine: five categories a day over 2,000 past days.
    const cats = ['city', 'other', 'market', 'policy', 'livelihood'];
    const dayBack = (i: number) => shanghaiDay(new Date(Date.UTC(2023, 11, 31) - Math.floor(i / cats.length) * 86_400_000));
    const full = [HEAD, ...Array.from({ length: 10_000 }, (_, i) => `${dayBack(i)},${cats[i % cats.length]},330503,${i}`)].join('\n');
    const ok = await postCsv(full);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as StatsUploadReceiptV1).accepted).toBe(10_000);
  });

  it('leaders read the sums over a range; others may not', async () => {
    await postCsv(`${HEAD}\n2025-04-01,livelihood,330503001,3\n2025-04-02,livelihood,330503001,4\n2025-04-03,livelihood,330503001,50\n`);
    const chief = await login(ts.url, 'chief');
    const res = await get('/api/v1/stats?from=2025-04-01&to=2025-04-02&source=city_mgmt', { cookie: chief });
    expect(res.status).toBe(200);
    const body = (await res.json()) as StatsSummaryV1;
    expect(body).toMatchObject({ from: '2025-04-01', to: '2025-04-02', source: 'city_mgmt' });
    const row = body.rows.find((r) => r.category === 'livelihood' && r.regionCode === '330503001');
    expect(row).toMatchObject({ count: 7, days: 2, sourceLabel: SOURCE_LABEL.city_mgmt, regionLevel: 'town' });
    expect(row!.categoryLabel).toBeTruthy();
    expect(body.total).toBe(body.rows.reduce((n, r) => n + r.count, 0));

    const other = await get('/api/v1/stats?from=2025-04-01&to=2025-04-02&source=police_110', { cookie: chief });
    expect(((await other.json()) as StatsSummaryV1).rows.find((r) => r.category === 'livelihood' && r.regionCode === '330503001')).toBeUndefined();

    for (const who of ['admin', 'deputy']) expect((await get('/api/v1/stats', { cookie: await login(ts.url, who) })).status).toBe(200);
    expect((await get('/api/v1/stats', { cookie: await login(ts.url, 'gridder') })).status).toBe(403);
    expect((await get('/api/v1/stats', { cookie: await displayCookie() })).status).toBe(403);
    expect((await get('/api/v1/stats')).status).toBe(401);
    const backwards = await get('/api/v1/stats?from=2025-04-02&to=2025-04-01', { cookie: chief });
    expect(backwards.status).toBe(400);
    expect((await backwards.json()).issues[0].path).toBe('query.from');
    expect((await get('/api/v1/stats?from=2025-13-01', { cookie: chief })).status).toBe(400);
    expect((await get('/api/v1/stats?source=nobody', { cookie: chief })).status).toBe(400);
  });
});

describe('OpenAPI: GET /api/v1/openapi.json', () => {
  async function doc(): Promise<OpenApiDocument> {
    const res = await get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    return (await res.json()) as OpenApiDocument;
  }

  it('is public, OpenAPI 3.1, and requires what the zod schema requires', async () => {
    const d = await doc();
    expect(d.openapi).toBe('3.1.0');
    // Required = what zod refuses to go without, asked of zod itself, not of the converter.
    const required = Object.entries(EventReportV1.shape)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([k]) => k)
      .sort();
    expect(required).toEqual(['category', 'idempotencyKey', 'title', 'v']);
    expect([...(d.components.schemas.EventReportV1.required as string[])].sort()).toEqual(required);
    expect(Object.keys(d.components.schemas.EventReportV1.properties as object).sort()).toEqual(Object.keys(EventReportV1.shape).sort());
    const bearer = d.components.securitySchemes.apiKey;
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const s of EXTERNAL_SOURCES) expect(bearer.description).toContain(SOURCE_LABEL[s]);
  });

  it('the documented receipt is the one the server sends', async () => {
    const d = await doc();
    const { rows: v } = await ts.app.db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'village' ORDER BY code LIMIT 1`);
    const res = await postRaw('/api/v1/events', JSON.stringify({ v: 1, idempotencyKey: randomUUID(), category: 'other', title: '回执字段核对', villageCode: v[0].code }), 'application/json', { key: HOTLINE });
    expect(res.status).toBe(201);
    const receipt = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(receipt).sort()).toEqual([...(d.components.schemas.EventReceiptV1.required as string[])].sort());
  });
});
