/**
 * Checks the committed outputs in geo/out/ (not the build), so a stale or
 * hand-edited file fails CI even when nobody reran `npm run geo:build`.
 * Geometric guarantees are verified by the build itself (see quality.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegionFeature, STATION_UNIT_KINDS, StationProperties } from '../lib/contracts/geo';
import type { AreaProps, StationProps } from './types';

interface Collection<P, G = { type: string; coordinates: unknown }> {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: P; geometry: G }[];
}

const OUT = join(import.meta.dirname, 'out');
const read = <P,>(file: string): Collection<P> => JSON.parse(readFileSync(join(OUT, file), 'utf8')) as Collection<P>;

const district = read<AreaProps>('district.geojson').features;
const towns = read<AreaProps>('towns.geojson').features;
const villages = read<AreaProps>('villages.geojson').features;
const grids = read<AreaProps>('grids.geojson').features;
const stations = read<StationProps>('stations.geojson').features;
const areas = [...district, ...towns, ...villages, ...grids];
const byCode = new Map(areas.map((f) => [f.properties.code, f.properties]));

const childrenOf = (code: string) => areas.filter((f) => f.properties.parentCode === code).map((f) => f.properties);

describe('area hierarchy', () => {
  it('has one district, 10 towns and 261 villages', () => {
    expect(district).toHaveLength(1);
    expect(district[0].properties).toMatchObject({ code: '330503', name: '南浔区', level: 'district', parentCode: null });
    expect(towns).toHaveLength(10);
    expect(villages).toHaveLength(261);
  });

  it('gives every village 3–5 grids numbered 01.. after the village code', () => {
    for (const v of villages) {
      const gs = childrenOf(v.properties.code);
      expect(gs.length, v.properties.code).toBeGreaterThanOrEqual(3);
      expect(gs.length, v.properties.code).toBeLessThanOrEqual(5);
      expect(gs.map((g) => g.code).sort()).toEqual(gs.map((_, i) => `${v.properties.code}${String(i + 1).padStart(2, '0')}`));
      gs.forEach((g) => expect(g.name).toMatch(new RegExp(`^${v.properties.name}第\\d网格$`)));
    }
  });

  it('has unique codes', () => {
    expect(new Set(areas.map((f) => f.properties.code)).size).toBe(areas.length);
  });

  it('resolves every parent code to the level above', () => {
    const above = { town: 'district', village: 'town', grid: 'village' } as const;
    for (const f of [...towns, ...villages, ...grids]) {
      const level = f.properties.level as keyof typeof above;
      expect(byCode.get(f.properties.parentCode ?? '')?.level, f.properties.code).toBe(above[level]);
    }
  });

  it('uses statistical codes: 9-digit towns, 12-digit villages, 14-digit grids', () => {
    towns.forEach((f) => expect(f.properties.code).toMatch(/^330503\d{3}$/));
    villages.forEach((f) => expect(f.properties.code).toMatch(new RegExp(`^${f.properties.parentCode}\\d{3}$`)));
    grids.forEach((f) => expect(f.properties.code).toMatch(/^\d{14}$/));
  });

  it('uses everyday village names (…村 / …社区), not committee titles', () => {
    villages.forEach((f) => expect(f.properties.name).not.toMatch(/委员会|委会$/));
    expect(villages.map((f) => f.properties.name)).toContain('荻港村');
  });

  it('sums households and population up the hierarchy', () => {
    for (const f of [...district, ...towns, ...villages]) {
      const kids = childrenOf(f.properties.code);
      expect(f.properties.households, f.properties.code).toBe(kids.reduce((s, c) => s + c.households, 0));
      expect(f.properties.population, f.properties.code).toBe(kids.reduce((s, c) => s + c.population, 0));
    }
    expect(district[0].properties.population).toBeGreaterThan(450_000);
    expect(district[0].properties.population).toBeLessThan(510_000);
  });

  it('matches the import contract, as MultiPolygons with ≤6 decimals inside the district bbox', () => {
    for (const f of areas) {
      expect(() => RegionFeature.parse(f), f.properties.code).not.toThrow();
      expect(f.geometry.type).toBe('MultiPolygon');
    }
    const coords = JSON.stringify(areas.map((f) => f.geometry.coordinates)).match(/-?\d+\.\d+/g) ?? [];
    expect(coords.every((c) => c.split('.')[1].length <= 6)).toBe(true);
    const nums = coords.map(Number);
    const lons = nums.filter((n) => n > 100), lats = nums.filter((n) => n < 100);
    expect(Math.min(...lons)).toBeGreaterThan(120.0);
    expect(Math.max(...lons)).toBeLessThan(120.6);
    expect(Math.min(...lats)).toBeGreaterThan(30.55);
    expect(Math.max(...lats)).toBeLessThan(31.0);
  });
});

describe('stations', () => {
  it('matches the station contract with the three standard units', () => {
    for (const s of stations) {
      expect(() => StationProperties.parse(s.properties), s.properties.code).not.toThrow();
      expect(s.geometry.type).toBe('Point');
      expect(s.properties.units.map((u) => u.kind)).toEqual([...STATION_UNIT_KINDS]);
      expect(s.properties.code).toMatch(new RegExp(`^${s.properties.townCode}S[1-3]$`));
      expect(s.properties.name).toMatch(/片区社会治理联动工作站$/);
    }
    expect(new Set(stations.map((s) => s.properties.code)).size).toBe(stations.length);
  });

  it('gives every town 2–3 stations', () => {
    for (const t of towns) {
      const n = stations.filter((s) => s.properties.townCode === t.properties.code).length;
      expect(n, t.properties.code).toBeGreaterThanOrEqual(2);
      expect(n, t.properties.code).toBeLessThanOrEqual(3);
    }
  });

  it("only groups villages of the station's own town", () => {
    for (const s of stations) {
      for (const vc of s.properties.villageCodes) {
        expect(byCode.get(vc)?.level, vc).toBe('village');
        expect(byCode.get(vc)?.parentCode, `${s.properties.code} → ${vc}`).toBe(s.properties.townCode);
      }
    }
  });

  it('puts every village in exactly one station', () => {
    const all = stations.flatMap((s) => s.properties.villageCodes);
    expect(all).toHaveLength(villages.length);
    expect(new Set(all)).toEqual(new Set(villages.map((v) => v.properties.code)));
  });
});
