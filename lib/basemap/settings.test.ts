import { describe, expect, it } from 'vitest';
import { readBasemapSettings, type BasemapEnv } from './settings';

const TDT = 'https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=0123456789abcdef';

const read = (env: BasemapEnv, production = false) => readBasemapSettings(env, { production });
const issuesOf = (env: BasemapEnv, production = false) => {
  const r = read(env, production);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('basemap settings (issue 13)', () => {
  it('default none: nothing set is no basemap, and a stray datum alone changes nothing', () => {
    expect(read({})).toEqual({ ok: true, basemap: { kind: 'none' } });
    expect(read({ BASEMAP_DATUM: 'wgs84', BASEMAP_ATTRIBUTION: 'x' })).toEqual({ ok: true, basemap: { kind: 'none' } });
  });

  it('takes a 天地图 Web Mercator template, opens only its origin, and names it', () => {
    expect(read({ BASEMAP_URL: TDT, BASEMAP_DATUM: 'cgcs2000' }, true)).toEqual({
      ok: true,
      basemap: { kind: 'xyz', url: TDT, origin: 'https://t0.tianditu.gov.cn', datum: 'cgcs2000', attribution: '天地图' },
    });
    const own = read({ BASEMAP_URL: 'http://tiles.lan:8080/{z}/{x}/{y}.png', BASEMAP_DATUM: 'wgs84', BASEMAP_ATTRIBUTION: '区测绘院' });
    expect(own).toMatchObject({ ok: true, basemap: { origin: 'http://tiles.lan:8080', attribution: '区测绘院' } });
  });

  it('takes a PMTiles file name inside the data folder', () => {
    expect(read({ BASEMAP_PMTILES: 'nanxun-2026.pmtiles', BASEMAP_DATUM: 'wgs84' })).toEqual({
      ok: true,
      basemap: { kind: 'pmtiles', file: 'nanxun-2026.pmtiles', datum: 'wgs84', attribution: 'nanxun-2026.pmtiles' },
    });
  });

  it.each([
    ['no datum', { BASEMAP_URL: TDT }, /BASEMAP_DATUM: required/],
    ['an unknown datum', { BASEMAP_URL: TDT, BASEMAP_DATUM: 'bd09' }, /BASEMAP_DATUM: "bd09" is not one of/],
    ['GCJ-02, with the offset explained', { BASEMAP_URL: TDT, BASEMAP_DATUM: 'gcj02' }, /BASEMAP_DATUM: gcj02 is refused: .*100–700 m/],
    ['both a URL and a file', { BASEMAP_URL: TDT, BASEMAP_PMTILES: 'a.pmtiles', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_PMTILES: .*not both/],
    ['a non-URL', { BASEMAP_URL: 'tiles/{z}/{x}/{y}', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_URL: not a URL/],
    ['another scheme', { BASEMAP_URL: 'ftp://h/{z}/{x}/{y}', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_URL: must be http: or https:/],
    ['a missing placeholder', { BASEMAP_URL: 'https://h/{z}/{x}.png', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_URL: must contain \{y\}/],
    ['a subdomain placeholder', { BASEMAP_URL: 'https://t{s}.h/{z}/{x}/{y}', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_URL: \{s\}/],
    ['credentials in the URL', { BASEMAP_URL: 'https://u:p@h/{z}/{x}/{y}', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_URL: must not carry/],
    ['天地图 latitude-longitude tiles', { BASEMAP_URL: TDT.replace('vec_w', 'vec_c').replace('TILEMATRIXSET=w', 'TILEMATRIXSET=c'), BASEMAP_DATUM: 'cgcs2000' }, /BASEMAP_URL: 天地图 "_c"/],
    ['a path in the file name', { BASEMAP_PMTILES: '../secrets.pmtiles', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_PMTILES: a file name inside/],
    ['a subdirectory', { BASEMAP_PMTILES: 'a/b.pmtiles', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_PMTILES: a file name inside/],
    ['another extension', { BASEMAP_PMTILES: 'b.mbtiles', BASEMAP_DATUM: 'wgs84' }, /BASEMAP_PMTILES: a file name inside/],
    ['a two-line attribution', { BASEMAP_PMTILES: 'b.pmtiles', BASEMAP_DATUM: 'wgs84', BASEMAP_ATTRIBUTION: 'a\nb' }, /BASEMAP_ATTRIBUTION/],
  ])('refuses %s, naming the setting', (_what, env, message) => {
    expect(issuesOf(env).join('\n')).toMatch(message);
  });

  it('refuses plain-HTTP tiles in production only (mixed content)', () => {
    const env = { BASEMAP_URL: 'http://tiles.lan/{z}/{x}/{y}.png', BASEMAP_DATUM: 'wgs84' };
    expect(read(env).ok).toBe(true);
    expect(issuesOf(env, true).join()).toMatch(/BASEMAP_URL: must be https: in production/);
  });
});
