import type { Datum } from './contract';

/*
 * The deployment's basemap settings (issue 13), checked before the server starts. Default: none —
 * no basemap and no request to any other host (the command room is air-gapped). Pure: the file's
 * existence is the server's business (server/basemap/file.ts).
 */

export type BasemapSetting =
  | { kind: 'none' }
  /** A raster XYZ template on another host; `origin` is all the CSP opens (server/http/headers.ts). */
  | { kind: 'xyz'; url: string; origin: string; datum: Datum; attribution: string }
  /** A file name inside DATA_DIR/basemap/, served by us with Range requests. */
  | { kind: 'pmtiles'; file: string; datum: Datum; attribution: string };

export interface BasemapEnv {
  BASEMAP_URL?: string;
  BASEMAP_PMTILES?: string;
  BASEMAP_DATUM?: string;
  BASEMAP_ATTRIBUTION?: string;
}

export interface SettingIssue {
  path: keyof BasemapEnv;
  message: string;
}

export type BasemapRead = { ok: true; basemap: BasemapSetting } | { ok: false; issues: SettingIssue[] };

/** One directory level, no leading dot: the name can only ever point inside DATA_DIR/basemap/. */
const PMTILES_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.pmtiles$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const GCJ02_REFUSED =
  'gcj02 is refused: GCJ-02 tiles (高德, 腾讯) are shifted 100–700 m from the WGS-84 positions we hold, ' +
  'so every unit, event and boundary would sit off its street. Use 天地图 (BASEMAP_DATUM=cgcs2000) or a ' +
  'WGS-84 PMTiles extract in DATA_DIR/basemap/ (BASEMAP_DATUM=wgs84).';

export function readBasemapSettings(env: BasemapEnv, opts: { production: boolean }): BasemapRead {
  const issues: SettingIssue[] = [];
  const { BASEMAP_URL: url, BASEMAP_PMTILES: file, BASEMAP_DATUM: datumText, BASEMAP_ATTRIBUTION: attribution } = env;
  if (!url && !file) return { ok: true, basemap: { kind: 'none' } };
  if (url && file) issues.push({ path: 'BASEMAP_PMTILES', message: 'set BASEMAP_URL or BASEMAP_PMTILES, not both' });

  const datum = readDatum(datumText, issues);
  if (attribution !== undefined && (attribution.length > 120 || CONTROL.test(attribution)))
    issues.push({ path: 'BASEMAP_ATTRIBUTION', message: 'one line of at most 120 characters' });

  let origin = '';
  if (url) origin = checkTemplate(url, opts.production, issues);
  if (file && !PMTILES_NAME.test(file))
    issues.push({ path: 'BASEMAP_PMTILES', message: 'a file name inside DATA_DIR/basemap/ ending in .pmtiles (letters, digits, . _ -; no directories)' });

  if (issues.length || !datum) return { ok: false, issues };
  if (url) return { ok: true, basemap: { kind: 'xyz', url, origin, datum, attribution: attribution ?? defaultAttribution(origin) } };
  return { ok: true, basemap: { kind: 'pmtiles', file: file!, datum, attribution: attribution ?? file! } };
}

function readDatum(text: string | undefined, issues: SettingIssue[]): Datum | null {
  // No default: a wrong guess puts everything hundreds of metres off, so the deployment must say.
  if (!text) {
    issues.push({ path: 'BASEMAP_DATUM', message: 'required with a basemap: wgs84, cgcs2000 (天地图) or gcj02' });
    return null;
  }
  if (text === 'gcj02') {
    issues.push({ path: 'BASEMAP_DATUM', message: GCJ02_REFUSED });
    return null;
  }
  if (text === 'wgs84' || text === 'cgcs2000') return text;
  issues.push({ path: 'BASEMAP_DATUM', message: `"${text.slice(0, 40)}" is not one of wgs84, cgcs2000, gcj02` });
  return null;
}

/** Checks an XYZ template and returns its origin ('' when refused). */
function checkTemplate(url: string, production: boolean, issues: SettingIssue[]): string {
  const refuse = (message: string) => (issues.push({ path: 'BASEMAP_URL', message }), '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('not a URL (an http(s) tile template with {z}, {x} and {y})');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return refuse('must be http: or https:');
  // Our pages are HTTPS in production; the browser blocks plain-HTTP tiles on them as mixed content.
  if (production && parsed.protocol !== 'https:') return refuse('must be https: in production (an http: tile on an https: page is blocked as mixed content)');
  if (parsed.username || parsed.password) return refuse('must not carry a user name or password');
  for (const p of ['{z}', '{x}', '{y}']) if (!url.includes(p)) return refuse(`must contain ${p} (an XYZ tile template)`);
  if (url.includes('{s}')) return refuse('{s} (subdomains) is not supported: name one host, e.g. t0.tianditu.gov.cn');
  // 天地图 serves each layer twice: _w/TILEMATRIXSET=w is Web Mercator (what MapLibre draws), _c/=c is plate carrée.
  if (/_c\/|tilematrixset=c(&|$)/i.test(url)) return refuse('天地图 "_c" / TILEMATRIXSET=c is latitude-longitude, not Web Mercator: use the "_w" service with TILEMATRIXSET=w');
  return parsed.origin;
}

function defaultAttribution(origin: string): string {
  return /(^|\.)tianditu\.gov\.cn$/.test(new URL(origin).hostname) ? '天地图' : new URL(origin).hostname;
}
