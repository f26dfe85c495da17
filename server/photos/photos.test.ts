import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { orientationExif } from '@/lib/media/strip';
import { hashToken } from '../auth/token';
import { demoApiKey } from '../seed/devices';
import { login, withTestServer } from '../test/server';
import { startPhotoSweeper, sweepOrphans } from './orphans';
import { photoPath, QUOTA_BYTES, QUOTA_PHOTOS, quotaWait } from './store';

const ts = withTestServer(`test:photos:${process.pid}:`);
const HOTLINE = demoApiKey('hotline_12345');
const CITY = demoApiKey('city_mgmt');

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const seg = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
// 30°52'N as the rationals a phone writes.
const GPS_VALUES = Buffer.from([0, 0, 0, 30, 0, 0, 0, 1, 0, 0, 0, 52, 0, 0, 0, 1]);

/** A phone's JPEG: EXIF with Orientation 6 and a GPS IFD; entropy data random (no 0xFF), so each call is a new photo. */
function phoneJpeg(): { file: Buffer; picture: Buffer } {
  // Big-endian TIFF: IFD0 at 8 with Orientation and GPSInfo → GPS IFD at 38 with GPSLatitude → values at 56.
  const tiff = Buffer.concat([
    latin1('MM'), Buffer.from([0, 42, 0, 0, 0, 8]),
    Buffer.from([0, 2, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38, 0, 0, 0, 0]),
    Buffer.from([0, 1, 0, 2, 0, 5, 0, 0, 0, 2, 0, 0, 0, 56, 0, 0, 0, 0]),
    GPS_VALUES,
  ]);
  const scan = Buffer.from(randomBytes(512).map((b) => (b === 0xff ? 0xfe : b)));
  const picture = Buffer.concat([seg(0xda, Buffer.from([1, 1, 0, 0, 63, 0])), scan, Buffer.from([0xff, 0xd9])]);
  const head = [seg(0xdb, Buffer.alloc(65, 1)), seg(0xc0, Buffer.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0]))];
  const file = Buffer.concat([Buffer.from([0xff, 0xd8]), seg(0xe1, Buffer.concat([latin1('Exif\0\0'), tiff])), seg(0xfe, latin1('Wang, Lianhe Village')), ...head, picture]);
  return { file, picture: Buffer.concat([...head, picture]) };
}

/** A clean PNG, unique per call by a private ancillary chunk of random bytes (kept, it is no metadata). */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), latin1(type), data, Buffer.alloc(4)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
    chunk('raNd', randomBytes(32)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const upload = (body: Buffer, type: string, auth: { cookie?: string; key?: string }) =>
  fetch(`${ts.url}/api/v1/photos`, {
    method: 'POST',
    headers: { 'content-type': type, ...(auth.cookie ? { cookie: auth.cookie } : {}), ...(auth.key ? { authorization: `Bearer ${auth.key}` } : {}) },
    body: Uint8Array.from(body),
  });

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Rows a test put into photos, removed afterwards so reruns on one database start fresh. */
const inserted: string[] = [];
afterAll(async () => {
  if (ts.app) await ts.app.db.query(`DELETE FROM photos WHERE id = ANY($1)`, [inserted]);
});

describe('POST /api/v1/photos strips metadata', () => {
  it('stores a phone JPEG without its GPS, comments or camera data, keeping the picture and its orientation', async () => {
    const gridder = await login(ts.url, 'gridder');
    const { file, picture } = phoneJpeg();
    const expected = Buffer.concat([Buffer.from([0xff, 0xd8]), orientationExif(6, 'MM'), picture]);
    const res = await upload(file, 'image/jpeg', { cookie: gridder });
    expect(res.status).toBe(201);
    const body = await res.json();
    inserted.push(body.id);
    // The id is the hash of what is stored, not of what was sent.
    expect(body).toEqual({ id: sha(expected), mime: 'image/jpeg', bytes: expected.length });
    const stored = readFileSync(photoPath(ts.app.config.dataDir, body.id));
    expect(stored.equals(expected)).toBe(true);
    expect(stored.includes(GPS_VALUES)).toBe(false);
    expect(stored.includes(latin1('Lianhe'))).toBe(false);
    const served = Buffer.from(await (await fetch(`${ts.url}/api/v1/photos/${body.id}`, { headers: { cookie: gridder } })).arrayBuffer());
    expect(served.equals(expected)).toBe(true);
    // The same picture with other metadata is the same photo.
    const again = await upload(Buffer.concat([file.subarray(0, 2), seg(0xfe, latin1('another comment')), file.subarray(2)]), 'image/jpeg', { cookie: gridder });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(body.id);
    const { rows } = await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE target = $1 AND (detail ->> 'stripped')::int > 0`, [`photo:${body.id}`]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses a truncated image with 422 on body and stores nothing', async () => {
    const gridder = await login(ts.url, 'gridder');
    const { file } = phoneJpeg();
    for (const [bytes, type] of [[file.subarray(0, file.length - 2), 'image/jpeg'], [png().subarray(0, 40), 'image/png']] as const) {
      const res = await upload(Buffer.from(bytes), type, { cookie: gridder });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.issues).toEqual([{ path: 'body', message: expect.stringContaining('截断') }]);
      expect((await ts.app.db.query(`SELECT 1 FROM photos WHERE id = $1`, [sha(bytes)])).rows).toHaveLength(0);
    }
  });
});

describe('upload quota', () => {
  it('quotaWait: frees the oldest uploads until one more fits, by count and by bytes', () => {
    const mb = 1024 * 1024;
    expect(quotaWait([], 10 * mb)).toBeNull();
    expect(quotaWait(Array.from({ length: QUOTA_PHOTOS - 1 }, () => ({ bytes: 1, leavesIn: 5 })), 1)).toBeNull();
    expect(quotaWait(Array.from({ length: QUOTA_PHOTOS }, (_, i) => ({ bytes: 1, leavesIn: 60 + i })), 1)).toBe(60);
    expect(quotaWait([{ bytes: 150 * mb, leavesIn: 100.2 }, { bytes: 45 * mb, leavesIn: 200 }, { bytes: 1 * mb, leavesIn: 300 }], 10 * mb)).toBe(101);
    expect(quotaWait([{ bytes: QUOTA_BYTES - 10, leavesIn: 7 }], 10)).toBeNull();
  });

  async function fill(column: 'uploaded_by' | 'api_key_id', owner: number, n: number, bytes: number): Promise<void> {
    // The first is 23 h old, so it leaves the window in about an hour.
    const { rows } = await ts.app.db.query<{ id: string }>(
      `INSERT INTO photos (id, mime, bytes, ${column}, uploaded_at)
       SELECT encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'image/png', $3, $1, now() - CASE WHEN g = 1 THEN interval '23 hours' ELSE interval '0' END
         FROM generate_series(1, $2) g RETURNING id`,
      [owner, n, bytes],
    );
    inserted.push(...rows.map((r) => r.id));
  }
  const clear = (ids: string[]) => ts.app.db.query(`DELETE FROM photos WHERE id = ANY($1)`, [ids]);

  it(`an account uploads at most ${QUOTA_PHOTOS} photos and ${QUOTA_BYTES / 1024 / 1024} MB a day; then 429 with Retry-After`, async () => {
    const informant = await login(ts.url, 'informant');
    const { rows } = await ts.app.db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'informant'`);
    await fill('uploaded_by', rows[0].id, QUOTA_PHOTOS - 1, 1000);
    const last = png();
    expect((await upload(last, 'image/png', { cookie: informant })).status).toBe(201);
    inserted.push(sha(last));

    const over = await upload(png(), 'image/png', { cookie: informant });
    expect(over.status).toBe(429);
    const retry = Number(over.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(3500);
    expect(retry).toBeLessThanOrEqual(3600);
    const body = await over.json();
    expect(body.error).toBe('quota_exceeded');
    expect(body.message).toMatch(/^照片上传已达上限（每个账号 24 小时内至多 200 张、200 MB），请约 60 分钟后再试$/);
    // A picture already stored costs nothing and is still answered.
    expect((await upload(last, 'image/png', { cookie: informant })).status).toBe(200);
    // Another account is not affected.
    const other = png();
    expect((await upload(other, 'image/png', { cookie: await login(ts.url, 'parttime') })).status).toBe(201);
    inserted.push(sha(other));

    // By bytes: one large upload of the day leaves no room for 100 more bytes.
    await clear(inserted.splice(0));
    await fill('uploaded_by', rows[0].id, 1, QUOTA_BYTES - 50);
    const heavy = await upload(png(), 'image/png', { cookie: informant });
    expect(heavy.status).toBe(429);
    expect(Number(heavy.headers.get('retry-after'))).toBeGreaterThan(3500);
    await clear(inserted.splice(0));
    const fits = png();
    expect((await upload(fits, 'image/png', { cookie: informant })).status).toBe(201);
    await clear([sha(fits)]);
  });

  it('a source system is counted by its API key', async () => {
    const { rows } = await ts.app.db.query<{ id: number }>(`SELECT id FROM api_keys WHERE key_hash = $1`, [hashToken(CITY)]);
    const first = png();
    const up = await upload(first, 'image/png', { key: CITY });
    expect(up.status).toBe(201);
    const { rows: p } = await ts.app.db.query<{ api_key_id: number; uploaded_by: number | null }>(`SELECT api_key_id, uploaded_by FROM photos WHERE id = $1`, [sha(first)]);
    expect(p[0]).toEqual({ api_key_id: rows[0].id, uploaded_by: null });
    inserted.push(sha(first));

    await fill('api_key_id', rows[0].id, QUOTA_PHOTOS, 1000);
    const over = await upload(png(), 'image/png', { key: CITY });
    expect(over.status).toBe(429);
    expect((await over.json()).message).toContain('每个 API 密钥');
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another source's key is not affected.
    const other = png();
    expect((await upload(other, 'image/png', { key: HOTLINE })).status).toBe(201);
    inserted.push(sha(other));
    await clear(inserted.splice(0));
  });
});

describe('orphan sweep', () => {
  it('removes photos no event named within 24 h, file and row; keeps report and step photos; clears stale .tmp', async () => {
    const gridder = await login(ts.url, 'gridder');
    const ids: Record<'orphan' | 'report' | 'step' | 'fresh' | 'asked', string> = { orphan: '', report: '', step: '', fresh: '', asked: '' };
    const files: Record<string, Buffer> = {};
    for (const k of Object.keys(ids) as (keyof typeof ids)[]) {
      files[k] = png();
      const res = await upload(files[k], 'image/png', { cookie: gridder });
      expect(res.status).toBe(201);
      ids[k] = (await res.json()).id;
    }
    const backdate = (list: string[]) => ts.app.db.query(`UPDATE photos SET uploaded_at = now() - interval '25 hours' WHERE id = ANY($1)`, [list]);
    await backdate([ids.orphan, ids.report, ids.step, ids.asked]);

    const { rows: v } = await ts.app.db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'village' ORDER BY code LIMIT 1`);
    const report = { v: 1, idempotencyKey: randomUUID(), category: 'city', title: '路灯损坏', villageCode: v[0].code, photos: [ids.report] };
    // The uploader reports with it: only one's own uploads may be attached (issue 10).
    const ev = await fetch(`${ts.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: gridder },
      body: JSON.stringify(report),
    });
    expect(ev.status).toBe(201);
    const eventId = (await ev.json()).id;
    // A handling step's photos live in its log entry (server/events/act.ts).
    await ts.app.db.query(`INSERT INTO event_log (event_id, to_state, action, data) VALUES ($1, 'handled', 'handle', $2)`, [eventId, { photos: [ids.step] }]);
    // Uploaded again just now: whoever asked is about to name it.
    expect((await upload(files.asked, 'image/png', { cookie: gridder })).status).toBe(200);

    const dir = path.join(ts.app.config.dataDir, 'photos', 'ab');
    mkdirSync(dir, { recursive: true });
    const staleTmp = path.join(dir, 'x.1.tmp');
    const liveTmp = path.join(dir, 'y.2.tmp');
    writeFileSync(staleTmp, 'half');
    writeFileSync(liveTmp, 'half');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(staleTmp, twoHoursAgo, twoHoursAgo);

    const r = await sweepOrphans(ts.app.db, ts.app.config.dataDir, 24);
    expect(r.removed).toBeGreaterThanOrEqual(1);
    expect(r.kept).toBeGreaterThanOrEqual(2);
    expect(r.tmp).toBe(1);

    const state = async (id: string) => {
      const { rows } = await ts.app.db.query<{ kept: boolean }>(`SELECT kept FROM photos WHERE id = $1`, [id]);
      return { row: rows[0]?.kept ?? null, file: existsSync(photoPath(ts.app.config.dataDir, id)) };
    };
    expect(await state(ids.orphan)).toEqual({ row: null, file: false });
    expect(await state(ids.report)).toEqual({ row: true, file: true });
    expect(await state(ids.step)).toEqual({ row: true, file: true });
    expect(await state(ids.fresh)).toEqual({ row: false, file: true });
    expect(await state(ids.asked)).toEqual({ row: false, file: true });
    expect([existsSync(staleTmp), existsSync(liveTmp)]).toEqual([false, true]);
    const { rows: a } = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'photo.orphan_removed' AND target = $1`, [`photo:${ids.orphan}`]);
    expect(a).toHaveLength(1);
    expect((await fetch(`${ts.url}/api/v1/photos/${ids.orphan}`, { headers: { cookie: gridder } })).status).toBe(404);

    // Referenced photos are marked once and not looked at again; a removed photo may come back.
    expect(await sweepOrphans(ts.app.db, ts.app.config.dataDir, 24)).toMatchObject({ kept: 0, tmp: 0 });
    expect((await upload(files.orphan, 'image/png', { cookie: gridder })).status).toBe(201);
    inserted.push(...Object.values(ids));
  });

  it('startPhotoSweeper sweeps at once and stops cleanly', async () => {
    const gridder = await login(ts.url, 'gridder');
    const file = png();
    const { id } = await (await upload(file, 'image/png', { cookie: gridder })).json();
    await ts.app.db.query(`UPDATE photos SET uploaded_at = now() - interval '25 hours' WHERE id = $1`, [id]);
    const sweeper = startPhotoSweeper(ts.app, 3600_000);
    await sweeper.stop();
    expect((await ts.app.db.query(`SELECT 1 FROM photos WHERE id = $1`, [id])).rows).toHaveLength(0);
  });
});

describe('who may use a photo (issue 10)', () => {
  it('the same picture uploaded by two people is one photo; each may attach and see it, a third may neither', async () => {
    const [a, b, c] = await Promise.all(['gridder', 'parttime', 'gridleader'].map((u) => login(ts.url, u)));
    const bytes = png();
    const first = await upload(bytes, 'image/png', { cookie: a });
    const second = await upload(bytes, 'image/png', { cookie: b });
    expect([first.status, second.status]).toEqual([201, 200]);
    const { id } = await second.json();
    const get = (cookie: string) => fetch(`${ts.url}/api/v1/photos/${id}`, { headers: { cookie } }).then((r) => r.status);
    expect([await get(a), await get(b), await get(c)]).toEqual([200, 200, 404]);
    const { rows: v } = await ts.app.db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'village' ORDER BY code LIMIT 1`);
    const report = (cookie: string) =>
      fetch(`${ts.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ v: 1, idempotencyKey: randomUUID(), category: 'city', title: '同图上报', villageCode: v[0].code, photos: [id] }),
      });
    expect((await report(b)).status).toBe(201);
    const stranger = await report(c);
    expect(stranger.status).toBe(422);
    expect((await stranger.json()).issues[0].path).toBe('body.photos.0');
  });
});
