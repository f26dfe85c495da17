import { z } from 'zod';
import { RegionFeature, parentLevel, type RegionLevel } from '@/lib/contracts/geo';
import type { Tx } from '../db/pool';

/** A child may stick out of its parent by this share of its area: boundary rounding, not a mistake. */
export const OUTSIDE_TOLERANCE = 0.001;
const CHUNK = 250;

export interface ImportProblem {
  /** Index of the feature in the file's `features` array; -1 for the file as a whole. */
  index: number;
  code?: string;
  rule:
    | 'json'
    | 'schema'
    | 'duplicate_code'
    | 'invalid_geometry'
    | 'unknown_parent'
    | 'outside_parent'
    | 'code_taken'
    | 'second_district'
    | 'child_outside';
  message: string;
}

export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(
      problems
        .slice(0, 20)
        .map((p) => (p.index >= 0 ? `feature ${p.index}${p.code ? ` (${p.code})` : ''}: ` : '') + `[${p.rule}] ${p.message}`)
        .join('\n') + (problems.length > 20 ? `\n… and ${problems.length - 20} more` : ''),
    );
  }
}

const Collection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

// The district's outline has no parent to name, so its file may leave `parentCode` out.
function withNullParent(raw: unknown): unknown {
  const props = (raw as { properties?: unknown } | null)?.properties;
  if (typeof props !== 'object' || props === null) return raw;
  return { ...(raw as object), properties: { parentCode: null, ...props } };
}

/** Parses and checks the shape of a GeoJSON file's text; geometry rules are checked by PostGIS later. */
export function parseRegionFile(text: string, level?: RegionLevel): RegionFeature[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ImportError([{ index: -1, rule: 'json', message: `not JSON: ${(err as Error).message}` }]);
  }
  const fc = Collection.safeParse(data);
  if (!fc.success) throw new ImportError([{ index: -1, rule: 'schema', message: 'not a GeoJSON FeatureCollection' }]);
  if (level === 'district' && fc.data.features.length !== 1)
    throw new ImportError([{ index: -1, rule: 'schema', message: `a district file holds one feature, not ${fc.data.features.length}` }]);
  const problems: ImportProblem[] = [];
  const features: RegionFeature[] = [];
  const seen = new Map<string, number>();
  fc.data.features.forEach((raw, index) => {
    const f = RegionFeature.safeParse(level === 'district' ? withNullParent(raw) : raw);
    if (!f.success) {
      for (const i of f.error.issues) problems.push({ index, rule: 'schema', message: `${i.path.join('.')}: ${i.message}` });
      return;
    }
    const code = f.data.properties.code;
    const first = seen.get(code);
    if (first !== undefined) problems.push({ index, code, rule: 'duplicate_code', message: `code ${code} already used by feature ${first}` });
    else seen.set(code, index);
    features.push(f.data);
  });
  if (problems.length) throw new ImportError(problems);
  return features;
}

export type Progress = (done: number, total: number, stage: string) => void;

/**
 * Validates features of one level against the database and upserts them, inside the caller's
 * transaction: on any problem it throws and the caller rolls back, leaving the database unchanged.
 */
export async function importRegions(tx: Tx, level: RegionLevel, features: RegionFeature[], progress: Progress = () => {}): Promise<number> {
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS region_import (
      idx integer PRIMARY KEY, code text NOT NULL, name text NOT NULL, parent_code text,
      households integer NOT NULL, population integer NOT NULL, geom geometry NOT NULL) ON COMMIT DROP`);
  await tx.query('TRUNCATE region_import');
  const problems: ImportProblem[] = [];
  for (let start = 0; start < features.length; start += CHUNK) {
    const rows = features.slice(start, start + CHUNK).map((f, i) => ({ idx: start + i, ...f.properties, geometry: f.geometry }));
    try {
      await tx.query('SAVEPOINT chunk');
      await tx.query(
        `INSERT INTO region_import (idx, code, name, parent_code, households, population, geom)
         SELECT (r->>'idx')::int, r->>'code', r->>'name', r->>'parentCode',
                (r->>'households')::int, (r->>'population')::int,
                ST_SetSRID(ST_GeomFromGeoJSON(r->>'geometry'), 4326)
           FROM json_array_elements($1::json) AS r`,
        [JSON.stringify(rows)],
      );
      await tx.query('RELEASE SAVEPOINT chunk');
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT chunk');
      // One bad geometry fails the chunk; find it so the message names the feature.
      for (const r of rows) {
        try {
          await tx.query(`SELECT ST_GeomFromGeoJSON($1)`, [JSON.stringify(r.geometry)]);
        } catch (e) {
          problems.push({ index: r.idx, code: r.code, rule: 'invalid_geometry', message: (e as Error).message });
        }
      }
      if (!problems.length) throw err;
    }
    progress(Math.min(start + CHUNK, features.length), features.length, 'loaded');
  }
  if (problems.length) throw new ImportError(problems);

  const parent = parentLevel(level);
  const checks: { rule: ImportProblem['rule']; sql: string; params: unknown[] }[] = [
    {
      rule: 'invalid_geometry',
      sql: `SELECT idx, code, 'invalid geometry: ' || ST_IsValidReason(geom) AS message
              FROM region_import WHERE NOT ST_IsValid(geom) OR GeometryType(geom) NOT IN ('POLYGON', 'MULTIPOLYGON')`,
      params: [],
    },
    {
      rule: 'code_taken',
      sql: `SELECT i.idx, i.code, 'code ' || i.code || ' is already a ' || r.level || ' (' || r.name || ')' AS message
              FROM region_import i JOIN regions r ON r.code = i.code WHERE r.level <> $1`,
      params: [level],
    },
    {
      rule: 'unknown_parent',
      sql: parent
        ? `SELECT i.idx, i.code, 'parent ' || coalesce(i.parent_code, '(none)') || ' is not a known ' || $1 AS message
             FROM region_import i LEFT JOIN regions p ON p.code = i.parent_code AND p.level = $1
            WHERE p.code IS NULL`
        : `SELECT idx, code, 'a district has no parent' AS message FROM region_import WHERE parent_code IS NOT NULL`,
      params: parent ? [parent] : [],
    },
  ];
  if (!parent)
    checks.push({
      // Towns, the wall and the simulator all assume one district per deployment.
      rule: 'second_district',
      sql: `SELECT i.idx, i.code, 'the database already holds district ' || r.code || ' (' || r.name || '); import its outline under that code' AS message
              FROM region_import i JOIN regions r ON r.level = 'district' AND r.code <> i.code`,
      params: [],
    });
  for (const c of checks) {
    const { rows } = await tx.query<{ idx: number; code: string; message: string }>(c.sql + ' ORDER BY 1', c.params);
    for (const r of rows) problems.push({ index: r.idx, code: r.code, rule: c.rule, message: r.message });
  }
  if (problems.length) throw new ImportError(problems);
  progress(features.length, features.length, 'validated');

  if (parent) {
    // Only valid geometries with known parents reach here, so ST_Difference cannot fail on them.
    for (let start = 0; start < features.length; start += CHUNK) {
      const { rows } = await tx.query<{ idx: number; code: string; parent_code: string; share: number }>(
        `SELECT i.idx, i.code, i.parent_code,
                ST_Area(ST_Difference(i.geom, p.geom)) / nullif(ST_Area(i.geom), 0) AS share
           FROM region_import i JOIN regions p ON p.code = i.parent_code
          WHERE i.idx >= $1 AND i.idx < $2
            AND NOT ST_Within(i.geom, p.geom)
            AND ST_Area(ST_Difference(i.geom, p.geom)) > $3 * ST_Area(i.geom)
          ORDER BY i.idx`,
        [start, start + CHUNK, OUTSIDE_TOLERANCE],
      );
      for (const r of rows)
        problems.push({
          index: r.idx,
          code: r.code,
          rule: 'outside_parent',
          message: `${(r.share * 100).toFixed(2)} % of its area lies outside its parent ${r.parent_code}`,
        });
      progress(Math.min(start + CHUNK, features.length), features.length, 'checked containment');
    }
    if (problems.length) throw new ImportError(problems);
  }

  if (!parent) {
    // Replacing the outline must not leave an imported town outside it.
    const { rows } = await tx.query<{ idx: number; code: string; town: string; name: string; share: number }>(
      `SELECT i.idx, i.code, t.code AS town, t.name, ST_Area(ST_Difference(t.geom, i.geom)) / nullif(ST_Area(t.geom), 0) AS share
         FROM region_import i JOIN regions t ON t.parent_code = i.code
        WHERE NOT ST_Within(t.geom, i.geom) AND ST_Area(ST_Difference(t.geom, i.geom)) > $1 * ST_Area(t.geom)
        ORDER BY t.code`,
      [OUTSIDE_TOLERANCE],
    );
    for (const r of rows)
      problems.push({
        index: r.idx,
        code: r.code,
        rule: 'child_outside',
        message: `town ${r.town} (${r.name}) would lie ${(r.share * 100).toFixed(2)} % outside the new outline`,
      });
    if (problems.length) throw new ImportError(problems);
  }

  const { rowCount } = await tx.query(
    `INSERT INTO regions (code, name, level, parent_code, households, population, geom)
     SELECT code, name, $1, parent_code, households, population, ST_Multi(geom) FROM region_import
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code,
       households = excluded.households, population = excluded.population, geom = excluded.geom`,
    [level],
  );
  return rowCount ?? 0;
}
