import { describe, expect, it } from 'vitest';
import { testDb } from '../test/db';

// The seeded demo geography, checked in PostGIS (issue: geography of Nanxun).
const db = testDb();

const one = async <T>(sql: string): Promise<T> => (await db.query(sql)).rows[0] as T;

describe('demo geography in PostGIS', () => {
  it('has the district, its 10 towns/streets and 261 villages/communities, each village with grids', async () => {
    const counts = await db.query<{ level: string; n: number }>(`SELECT level, count(*)::int AS n FROM regions GROUP BY level`);
    const by = Object.fromEntries(counts.rows.map((r) => [r.level, r.n]));
    expect(by).toMatchObject({ district: 1, town: 10, village: 261 });
    const bare = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM regions v WHERE v.level = 'village'
         AND (SELECT count(*) FROM regions g WHERE g.parent_code = v.code) < 3`,
    );
    expect(bare.n).toBe(0);
  });

  it('every polygon is valid (ST_IsValid)', async () => {
    const invalid = await db.query(`SELECT code, ST_IsValidReason(geom) AS why FROM regions WHERE NOT ST_IsValid(geom)`);
    expect(invalid.rows).toEqual([]);
  });

  it('every child lies inside its parent (≤ 0.1 % of its area outside)', async () => {
    const { rows } = await db.query(
      `SELECT c.code, ST_Area(ST_Difference(c.geom, p.geom)) / ST_Area(c.geom) AS outside
         FROM regions c JOIN regions p ON p.code = c.parent_code
        WHERE NOT ST_Within(c.geom, p.geom) AND ST_Area(ST_Difference(c.geom, p.geom)) > 0.001 * ST_Area(c.geom)`,
    );
    expect(rows).toEqual([]);
  });

  it('siblings overlap by < 0.1 % of their area', async () => {
    const { rows } = await db.query(
      `SELECT a.code AS a, b.code AS b, ST_Area(ST_Intersection(a.geom, b.geom)) / least(ST_Area(a.geom), ST_Area(b.geom)) AS share
         FROM regions a JOIN regions b
           ON a.parent_code = b.parent_code AND a.code < b.code AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
        WHERE ST_Area(ST_Intersection(a.geom, b.geom)) >= 0.001 * least(ST_Area(a.geom), ST_Area(b.geom))`,
    );
    expect(rows).toEqual([]);
  });

  it('the union of grids covers the district within 0.5 %', async () => {
    const r = await one<{ district: number; grids: number; uncovered: number }>(
      `WITH g AS (SELECT ST_Union(geom) AS geom FROM regions WHERE level = 'grid'),
            d AS (SELECT geom FROM regions WHERE level = 'district')
       SELECT ST_Area(d.geom::geography) AS district, ST_Area(g.geom::geography) AS grids,
              ST_Area(ST_SymDifference(d.geom, g.geom)::geography) AS uncovered
         FROM d, g`,
    );
    expect(r.uncovered / r.district).toBeLessThan(0.005);
    expect(Math.abs(r.grids - r.district) / r.district).toBeLessThan(0.005);
  });

  it('every village belongs to exactly one station of its own town (S5 片区)', async () => {
    const orphans = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM regions v WHERE v.level = 'village'
         AND NOT EXISTS (SELECT 1 FROM station_villages sv WHERE sv.village_code = v.code)`,
    );
    expect(orphans.n).toBe(0);
    const foreign = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM station_villages sv JOIN stations s ON s.id = sv.station_id
         JOIN regions v ON v.code = sv.village_code WHERE v.parent_code <> s.town_code`,
    );
    expect(foreign.n).toBe(0);
    const perTown = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stations GROUP BY town_code`);
    for (const r of perTown.rows) expect(r.n).toBeGreaterThanOrEqual(2);
    for (const r of perTown.rows) expect(r.n).toBeLessThanOrEqual(3);
  });

  it('every station holds its three S5 units', async () => {
    const r = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM stations s WHERE (SELECT count(DISTINCT kind) FROM station_units u WHERE u.station_id = s.id) <> 3`,
    );
    expect(r.n).toBe(0);
  });
});
