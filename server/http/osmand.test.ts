import { randomUUID } from 'node:crypto';
import gcoord from 'gcoord';
import { describe, expect, it, beforeAll } from 'vitest';
import { distanceM } from '@/lib/geo/distance';
import { KNOT_MS } from '@/lib/live/osmand';
import { hashToken } from '../auth/token';
import { closeSilent } from '../live/duty';
import { registry } from '../obs/metrics';
import { withTestServer } from '../test/server';

/*
 * Issue 12: trackers speaking OsmAnd (Traccar Client and the like) move a unit through the same
 * ingest; a bad request is refused naming the field and counted; a GCJ-02 device lands in WGS-84;
 * its first fix opens a 'device' duty shift, which the duty job ends at the last fix once silent.
 */

const ts = withTestServer(`osmand:${process.pid}:`);

interface Unit {
  id: number;
  code: string;
  lon: number;
  lat: number;
}
let a: Unit;
let b: Unit;
let other: Unit;
const tokenA = `osmand-a-${randomUUID()}`;
const tokenGcj = `osmand-gcj-${randomUUID()}`;

async function refusedCount(reason: string): Promise<number> {
  const m = (await registry.getSingleMetric('liandong_osmand_refused_total')?.get())?.values ?? [];
  return m.find((v) => v.labels.reason === reason)?.value ?? 0;
}

async function rowsOf(unitId: number, since: number) {
  const { rows } = await ts.app.db.query<{ t: number; lon: number; lat: number; speed: number | null; heading: number | null; accuracy: number | null }>(
    `SELECT extract(epoch FROM at) * 1000 AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat, speed, heading, accuracy FROM positions WHERE unit_id = $1 AND at >= to_timestamp($2 / 1000.0) ORDER BY at`,
    [unitId, since],
  );
  return rows.map((r) => ({ ...r, t: Math.round(Number(r.t)) }));
}

beforeAll(async () => {
  const db = ts.app.db;
  // Units of this file's own: other files move the demo's units, and a jump from their fixes would be refused here.
  const tag = randomUUID().slice(0, 8);
  const { rows } = await db.query<Unit>(
    `INSERT INTO units (code, name, kind, station_id, last_position)
     SELECT 'osmand-' || $1 || '-' || n, '定位器测试 ' || n, 'vehicle', u.station_id, u.last_position
       FROM (SELECT station_id, last_position FROM units WHERE station_id = (SELECT min(station_id) FROM units) AND last_position IS NOT NULL ORDER BY id LIMIT 1) u
      CROSS JOIN generate_series(1, 2) n
     RETURNING id, code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat`,
    [tag],
  );
  [a, b] = rows.sort((x, y) => x.id - y.id);
  await ts.app.live!.units.load();
  other = (await db.query<Unit>(
    `SELECT id, code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units WHERE station_id <> (SELECT min(station_id) FROM units) AND last_position IS NOT NULL ORDER BY id LIMIT 1`,
  )).rows[0];
  await db.query(`INSERT INTO device_tokens (name, token_hash, unit_id, datum) VALUES ('OsmAnd 测试', $1, $2, 'wgs84'), ('高德 SDK 测试', $3, $4, 'gcj02')`, [hashToken(tokenA), a.id, hashToken(tokenGcj), b.id]);
  // No shift left open by another file for these units: the first fix here must open one.
  await db.query(`UPDATE duty_shifts SET ended_at = greatest(started_at, now() - interval '2 hours') WHERE unit_id = ANY($1) AND ended_at IS NULL`, [[a.id, b.id]]);
});

describe('OsmAnd protocol (issue 12)', () => {
  it('takes a request as Traccar Client for Android sends it, and moves the unit', async () => {
    const t = Math.floor(Date.now() / 1000) - 60;
    const lat = a.lat + 0.0003;
    const lon = a.lon + 0.0002;
    // Its server URL with its own parameters appended; a POST with no body and no Content-Type.
    const url = `${ts.url}/api/v1/osmand?token=${tokenA}&id=${encodeURIComponent(a.code)}&timestamp=${t}&lat=${lat}&lon=${lon}&speed=3.5&bearing=92.5&altitude=12.0&accuracy=8.0&batt=76.0`;
    const res = await fetch(url, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    const [row] = await rowsOf(a.id, t * 1000);
    expect(row.t).toBe(t * 1000);
    expect(row.lon).toBeCloseTo(lon, 9);
    expect(row.lat).toBeCloseTo(lat, 9);
    expect(row.speed).toBeCloseTo(3.5 * KNOT_MS, 4);
    expect(row.heading).toBeCloseTo(92.5, 4);
    expect(row.accuracy).toBe(8);
    // The live path holds it as the unit's newest fix (what the wall is sent).
    expect(ts.app.live!.latest.get(a.id)).toMatchObject({ t: t * 1000, lon, lat });

    // Its first fix opened a 'device' shift from the fix's own time.
    const { rows: shifts } = await ts.app.db.query<{ source: string; started: number; ended: Date | null }>(
      `SELECT source, extract(epoch FROM started_at) AS started, ended_at AS ended FROM duty_shifts WHERE unit_id = $1 AND ended_at IS NULL`,
      [a.id],
    );
    expect(shifts).toEqual([{ source: 'device', started: t, ended: null }]);
  });

  it("takes Traccar Client's JSON (speed in m/s, battery 0–1) and a GET with the token as a bearer", async () => {
    const at = new Date(Date.now() - 30_000);
    const lat = a.lat + 0.0005;
    const lon = a.lon + 0.0003;
    const body = {
      location: {
        timestamp: at.toISOString(),
        coords: { latitude: lat, longitude: lon, accuracy: 5, speed: 1.4, heading: -1, altitude: 10 },
        is_moving: true,
        odometer: 120,
        event: 'motionchange',
        battery: { level: 0.79, is_charging: false },
        activity: { type: 'walking' },
        extras: {},
      },
      device_id: a.code,
    };
    const res = await fetch(`${ts.url}/api/v1/osmand?token=${tokenA}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    const row = (await rowsOf(a.id, at.getTime())).find((r) => r.t === at.getTime())!;
    expect(row).toMatchObject({ speed: expect.closeTo(1.4, 4), heading: null, accuracy: 5 });

    const t2 = Date.now() - 20_000;
    const get = await fetch(`${ts.url}/api/v1/osmand?id=${encodeURIComponent(a.code)}&timestamp=${t2}&lat=${lat + 0.0001}&lon=${lon}`, { headers: { authorization: `Bearer ${tokenA}` } });
    expect(get.status).toBe(200);
    expect((await rowsOf(a.id, t2)).map((r) => r.t)).toEqual([t2]);
  });

  it('takes a form body', async () => {
    const t = new Date(Date.now() - 10_000);
    const form = new URLSearchParams({ id: a.code, timestamp: t.toISOString(), lat: String(a.lat + 0.0006), lon: String(a.lon + 0.0003) });
    const res = await fetch(`${ts.url}/api/v1/osmand?token=${tokenA}`, { method: 'POST', body: form });
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    expect((await rowsOf(a.id, t.getTime())).map((r) => r.t)).toEqual([t.getTime()]);
  });

  it('converts a GCJ-02 device to WGS-84 before the ingest', async () => {
    const t = Date.now() - 5_000;
    const wgs: [number, number] = [b.lon + 0.0004, b.lat + 0.0002];
    const [gx, gy] = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02);
    expect(distanceM(...wgs, gx, gy)).toBeGreaterThan(100);
    const res = await fetch(`${ts.url}/api/v1/osmand?token=${tokenGcj}&id=${encodeURIComponent(b.code)}&timestamp=${t}&lat=${gy}&lon=${gx}`);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    const [row] = await rowsOf(b.id, t);
    expect(distanceM(...wgs, row.lon, row.lat)).toBeLessThan(1);
  });

  it('refuses a bad request naming the field, and counts it by reason', async () => {
    const before = { lat: await refusedCount('lat'), id: await refusedCount('id'), token: await refusedCount('token'), timestamp: await refusedCount('timestamp') };
    const noLat = await fetch(`${ts.url}/api/v1/osmand?token=${tokenA}&id=${encodeURIComponent(a.code)}&lon=${a.lon}`);
    expect(noLat.status).toBe(400);
    const body = await noLat.json();
    expect(body.message).toMatch(/^lat: /);
    expect(body.issues).toEqual([{ path: 'query.lat', message: expect.stringMatching(/lat/) }]);

    const badTime = await fetch(`${ts.url}/api/v1/osmand?token=${tokenA}&id=${encodeURIComponent(a.code)}&lat=${a.lat}&lon=${a.lon}&timestamp=yesterday`, { method: 'POST' });
    expect(badTime.status).toBe(400);
    expect((await badTime.json()).issues[0].path).toBe('query.timestamp');

    // A unit-bound token reports only its unit, as on POST /positions.
    const foreign = await fetch(`${ts.url}/api/v1/osmand?token=${tokenA}&id=${encodeURIComponent(other.code)}&lat=${other.lat}&lon=${other.lon}`);
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).issues[0].path).toBe('query.id');

    const noToken = await fetch(`${ts.url}/api/v1/osmand?token=wrong-${randomUUID()}&id=${encodeURIComponent(a.code)}&lat=${a.lat}&lon=${a.lon}`);
    expect(noToken.status).toBe(401);

    expect(await refusedCount('lat')).toBe(before.lat + 1);
    expect(await refusedCount('timestamp')).toBe(before.timestamp + 1);
    expect(await refusedCount('id')).toBe(before.id + 1);
    expect(await refusedCount('token')).toBe(before.token + 1);
    // The refused fix of the other station's unit was not stored (other files may move that unit meanwhile).
    expect((await rowsOf(other.id, Date.now() - 60_000)).filter((r) => r.lon === other.lon && r.lat === other.lat)).toEqual([]);
  });

  it('answers a fix the validation refuses with its reason, counted, and 200 so the tracker goes on', async () => {
    const before = await refusedCount('impossible_speed');
    // 5 km from its last fix one second later.
    const res = await fetch(`${ts.url}/api/v1/osmand?token=${tokenA}&id=${encodeURIComponent(a.code)}&timestamp=${Date.now()}&lat=${a.lat + 0.045}&lon=${a.lon}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'impossible_speed' }] });
    expect(await refusedCount('impossible_speed')).toBe(before + 1);
  });

  it('ends a silent device shift at its last fix (the duty job, with a moved clock)', async () => {
    const { rows } = await ts.app.db.query<{ last: Date }>(`SELECT max(at) AS last FROM positions WHERE unit_id = $1`, [a.id]);
    // Not yet silent for 30 minutes: left open.
    await closeSilent(ts.app.db, new Date(rows[0].last.getTime() + 29 * 60_000), 30 * 60_000);
    expect((await ts.app.db.query(`SELECT 1 FROM duty_shifts WHERE unit_id = $1 AND ended_at IS NULL`, [a.id])).rowCount).toBe(1);
    await closeSilent(ts.app.db, new Date(rows[0].last.getTime() + 31 * 60_000), 30 * 60_000);
    const { rows: ended } = await ts.app.db.query<{ source: string; ended: Date }>(
      `SELECT source, ended_at AS ended FROM duty_shifts WHERE unit_id = $1 ORDER BY id DESC LIMIT 1`,
      [a.id],
    );
    expect(ended[0]).toEqual({ source: 'device', ended: rows[0].last });
  });
});
