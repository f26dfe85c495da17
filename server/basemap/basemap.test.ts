import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FetchSource, PMTiles } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasemapAnswer, PMTILES_PATH } from '@/lib/basemap/contract';
import type { BasemapSetting } from '@/lib/basemap/settings';
import { createHttpServer } from '../http/server';
import { login, withTestServer } from '../test/server';
import { rasterFixture } from './fixture';

/*
 * Issue 13's basemap routes on the real HTTP server. The shared test stack configures no basemap
 * (the default); a second server over the same stack is given one, as a deployment's settings would.
 */

const ts = withTestServer(`basemap:${process.pid}:`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'liandong-basemap-'));
const file = path.join(dataDir, 'basemap', 'nanxun.pmtiles');
const archive = rasterFixture();
const servers: Server[] = [];
let cookie = '';

async function serverWith(basemap: BasemapSetting): Promise<string> {
  const app = { ...ts.app, config: { ...ts.app.config, dataDir, basemap } };
  const server = createHttpServer(app, async (_req, res) => void res.writeHead(404).end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, archive);
  cookie = await login(ts.url, 'gridder');
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers: { cookie, ...headers } });

describe('no basemap configured (the default)', () => {
  it('answers none, serves no file, and the CSP names no other host', async () => {
    const res = await get(`${ts.url}/api/v1/basemap`);
    expect(res.status).toBe(200);
    expect(BasemapAnswer.parse(await res.json())).toEqual({ kind: 'none', url: null, datum: null, attribution: null });
    expect((await get(`${ts.url}${PMTILES_PATH}`)).status).toBe(404);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("img-src 'self' blob: data:;");
  });

  it('is for sessions only', async () => {
    expect((await fetch(`${ts.url}/api/v1/basemap`)).status).toBe(401);
    expect((await fetch(`${ts.url}${PMTILES_PATH}`)).status).toBe(401);
  });
});

describe('a PMTiles basemap in DATA_DIR/basemap/', () => {
  let base = '';
  const setting: BasemapSetting = { kind: 'pmtiles', file: 'nanxun.pmtiles', datum: 'wgs84', attribution: '南浔区影像' };
  beforeAll(async () => {
    base = await serverWith(setting);
  });

  it('is announced with our own path, its datum and attribution; the CSP opens nothing', async () => {
    const res = await get(`${base}/api/v1/basemap`);
    expect(await res.json()).toEqual({ kind: 'pmtiles', url: PMTILES_PATH, datum: 'wgs84', attribution: '南浔区影像' });
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self';");
  });

  it('serves one byte range with 206, cutting a range past the end to the file', async () => {
    const res = await get(`${base}${PMTILES_PATH}`, { range: 'bytes=0-16383' });
    expect(res.status).toBe(206);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-range')).toBe(`bytes 0-${archive.length - 1}/${archive.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(archive)).toBe(true);

    const mid = await get(`${base}${PMTILES_PATH}`, { range: 'bytes=127-138' });
    expect(mid.status).toBe(206);
    expect(mid.headers.get('content-length')).toBe('12');
    expect(Buffer.from(await mid.arrayBuffer()).equals(archive.subarray(127, 139))).toBe(true);

    const tail = await get(`${base}${PMTILES_PATH}`, { range: 'bytes=-4' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(archive.subarray(-4))).toBe(true);
  });

  it('answers 416 with the size to a range it cannot serve', async () => {
    for (const range of [`bytes=${archive.length}-`, 'bytes=9-3', 'bytes=0-1,4-5', 'bytes=x']) {
      const res = await get(`${base}${PMTILES_PATH}`, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe(`bytes */${archive.length}`);
    }
  });

  it('serves the whole file without a Range, and 304 for an unchanged copy; the ETag follows the file', async () => {
    const whole = await get(`${base}${PMTILES_PATH}`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(archive)).toBe(true);
    const etag = whole.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect((await get(`${base}${PMTILES_PATH}`, { 'if-none-match': etag })).status).toBe(304);
    // A stale If-Range gets the whole file rather than a piece of another version.
    expect((await get(`${base}${PMTILES_PATH}`, { range: 'bytes=0-9', 'if-range': '"stale"' })).status).toBe(200);

    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    const replaced = await get(`${base}${PMTILES_PATH}`, { range: 'bytes=0-9' });
    expect(replaced.headers.get('etag')).not.toBe(etag);
    await replaced.arrayBuffer();
  });

  it('is read tile by tile by the pmtiles library, as the map does', async () => {
    const reader = new PMTiles(new FetchSource(`${base}${PMTILES_PATH}`, new Headers({ cookie })));
    const header = await reader.getHeader();
    expect(header).toMatchObject({ tileType: 2, minZoom: 0, maxZoom: 1 });
    const tile = await reader.getZxy(1, 1, 0);
    expect(Buffer.from(tile!.data).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(await reader.getZxy(1, 0, 0)).toBeUndefined();
  });

  it('serves only the configured file: no name in the path, nothing beside it', async () => {
    writeFileSync(path.join(dataDir, 'secret.txt'), 'not for the map');
    for (const p of ['/api/v1/basemap/nanxun.pmtiles', '/api/v1/basemap/..%2Fsecret.txt', `${PMTILES_PATH}/..%2F..%2Fsecret.txt`, '/api/v1/basemap/tiles.pmtiles%00']) {
      const res = await get(`${base}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('not for the map');
    }
  });

  it('is 404 (not 500) when the configured file is missing', async () => {
    const missing = await serverWith({ ...setting, file: 'absent.pmtiles' });
    const res = await get(`${missing}${PMTILES_PATH}`, { range: 'bytes=0-99' });
    expect(res.status).toBe(404);
    expect((await res.json()).message).toContain('底图文件不存在');
  });
});

describe('an XYZ basemap on another host', () => {
  it('is announced with its template, and the CSP opens that origin only, for tiles only', async () => {
    const url = 'https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k';
    const base = await serverWith({ kind: 'xyz', url, origin: 'https://t0.tianditu.gov.cn', datum: 'cgcs2000', attribution: '天地图' });
    const res = await get(`${base}/api/v1/basemap`);
    expect(await res.json()).toEqual({ kind: 'xyz', url, datum: 'cgcs2000', attribution: '天地图' });
    const csp = new Map(res.headers.get('content-security-policy')!.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://t0.tianditu.gov.cn']);
    expect(csp.get('img-src')).toEqual(["'self'", 'blob:', 'data:', 'https://t0.tianditu.gov.cn']);
    for (const d of ['default-src', 'script-src', 'style-src', 'worker-src']) expect(csp.get(d)!.join(' '), d).not.toContain('tianditu');
    // The tiles route has nothing to serve for an XYZ basemap.
    expect((await get(`${base}${PMTILES_PATH}`)).status).toBe(404);
  });
});
