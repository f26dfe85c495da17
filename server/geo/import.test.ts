import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDb } from '../test/db';
import { TEST_DATABASE_URL } from '../test/env';
import { GEO_OUT } from '../seed/geography';

const db = testDb();
const ROOT = path.resolve(GEO_OUT, '../..');

/** Runs the real CLI (`npm run geo:import`) against the test database. */
function importFile(file: string, level: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/geo/import-cli.ts', file, '--level', level],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: '' } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A digest of every region, to prove a refused import changed nothing. */
async function regionsDigest(): Promise<string> {
  const { rows } = await db.query<{ d: string }>(
    `SELECT md5(string_agg(code || name || coalesce(parent_code, '') || households || md5(ST_AsBinary(geom)), ',' ORDER BY code)) AS d FROM regions`,
  );
  return rows[0].d;
}

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});
async function write(name: string, content: unknown): Promise<string> {
  dir ||= await mkdtemp(path.join(os.tmpdir(), 'liandong-import-'));
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

async function insideTown(): Promise<{ town: string; lon: number; lat: number }> {
  const { rows } = await db.query(
    `SELECT code AS town, ST_X(p) AS lon, ST_Y(p) AS lat
       FROM (SELECT code, ST_PointOnSurface(geom) AS p FROM regions WHERE level = 'town' ORDER BY code LIMIT 1) x`,
  );
  return rows[0];
}

const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const feature = (geometry: unknown, properties: Record<string, unknown>) => ({ type: 'Feature', geometry, properties });

describe('npm run geo:import refuses bad files and leaves the database unchanged', () => {
  const cases: [string, () => Promise<[unknown, string]>, RegExp][] = [
    ['not JSON', async () => ['{"type": "FeatureCollection", "features": [', 'town'], /\[json\] not JSON/],
    [
      'invalid geometry (self-intersecting ring)',
      async () => {
        const t = await insideTown();
        const bowtie = { type: 'Polygon', coordinates: [[[t.lon, t.lat], [t.lon + 0.001, t.lat + 0.001], [t.lon + 0.001, t.lat], [t.lon, t.lat + 0.001], [t.lon, t.lat]]] };
        return [fc(feature(bowtie, { code: '330503999001', name: '坏村', parentCode: t.town })), 'village'];
      },
      /feature 0 \(330503999001\): \[invalid_geometry\]/,
    ],
    [
      'outside the district',
      async () => [fc(feature(square(116.3, 39.9, 0.05), { code: '330503199', name: '北京镇', parentCode: '330503' })), 'town'],
      /feature 0 \(330503199\): \[outside_parent\]/,
    ],
    [
      'duplicate code',
      async () => {
        const t = await insideTown();
        const f = feature(square(t.lon, t.lat, 0.0005), { code: '330503999002', name: '甲村', parentCode: t.town });
        return [fc(f, f), 'village'];
      },
      /feature 1 \(330503999002\): \[duplicate_code\]/,
    ],
    [
      'unknown parent',
      async () => {
        const t = await insideTown();
        return [fc(feature(square(t.lon, t.lat, 0.0005), { code: '330503999003', name: '乙村', parentCode: '999999999' })), 'village'];
      },
      /feature 0 \(330503999003\): \[unknown_parent\] parent 999999999 is not a known town/,
    ],
  ];

  for (const [name, make, message] of cases) {
    it(name, async () => {
      const before = await regionsDigest();
      const [content, level] = await make();
      const { code, stderr } = await importFile(await write(`${name.split(' ')[0]}.geojson`, content), level);
      expect(code).toBe(1);
      expect(stderr).toMatch(/import refused, database unchanged/);
      expect(stderr).toMatch(message);
      expect(await regionsDigest()).toBe(before);
    });
  }

  it('a good file is imported whole (towns renamed, then restored)', async () => {
    const original = await readFile(path.join(GEO_OUT, 'towns.geojson'), 'utf8');
    const renamed = JSON.parse(original);
    for (const f of renamed.features) f.properties.name += '（导入测试）';
    const before = await regionsDigest();
    const run = await importFile(await write('towns.geojson', renamed), 'town');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported 10 town features/);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM regions WHERE level = 'town' AND name LIKE '%（导入测试）'`);
    expect(rows[0].n).toBe(10);
    const restore = await importFile(path.join(GEO_OUT, 'towns.geojson'), 'town');
    expect(restore.code).toBe(0);
    expect(await regionsDigest()).toBe(before);
  });
});

describe('npm run geo:import --level district', () => {
  const districtFile = () => readFile(path.join(GEO_OUT, 'district.geojson'), 'utf8').then((t) => JSON.parse(t).features[0]);
  const outline = async (properties: Record<string, unknown> = {}, geometry?: unknown) => {
    const f = await districtFile();
    return fc(feature(geometry ?? f.geometry, { code: f.properties.code, name: f.properties.name, ...properties }));
  };

  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['two features', async () => fc((await outline()).features[0], (await outline()).features[0]), /\[schema\] a district file holds one feature, not 2/],
    [
      'invalid geometry (self-intersecting ring)',
      async () => {
        const bowtie = { type: 'Polygon', coordinates: [[[120.2, 30.7], [120.6, 31.0], [120.6, 30.7], [120.2, 31.0], [120.2, 30.7]]] };
        return outline({}, bowtie);
      },
      /feature 0 \(330503\): \[invalid_geometry\]/,
    ],
    [
      'towns outside a smaller replacement',
      async () => {
        const t = await insideTown();
        return outline({}, square(t.lon - 0.01, t.lat - 0.01, 0.02));
      },
      /feature 0 \(330503\): \[child_outside\] town 330503\d+ \(.+\) would lie [\d.]+ % outside the new outline/,
    ],
    ['a second district', async () => outline({ code: '330502', name: '吴兴区' }), /feature 0 \(330502\): \[second_district\] the database already holds district 330503/],
    ['a parent named', async () => outline({ parentCode: '3305' }), /feature 0 \(330503\): \[unknown_parent\] a district has no parent/],
  ];

  for (const [name, make, message] of cases) {
    it(`refuses ${name} and leaves the database unchanged`, async () => {
      const before = await regionsDigest();
      const { code, stderr } = await importFile(await write(`district-${name.split(' ')[0]}.geojson`, await make()), 'district');
      expect(code).toBe(1);
      expect(stderr).toMatch(/import refused, database unchanged/);
      expect(stderr).toMatch(message);
      expect(await regionsDigest()).toBe(before);
    });
  }

  it('replaces the outline from a file with only code and name (then restored)', async () => {
    const before = await regionsDigest();
    const run = await importFile(await write('district.geojson', await outline({ name: '南浔区（导入测试）' })), 'district');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported 1 district features/);
    const { rows } = await db.query(`SELECT name, parent_code FROM regions WHERE level = 'district'`);
    expect(rows).toEqual([{ name: '南浔区（导入测试）', parent_code: null }]);
    const restore = await importFile(path.join(GEO_OUT, 'district.geojson'), 'district');
    expect(restore.code).toBe(0);
    expect(await regionsDigest()).toBe(before);
  });
});
