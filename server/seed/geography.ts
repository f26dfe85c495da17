import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StationProperties, type RegionLevel } from '@/lib/contracts/geo';
import type { Tx } from '../db/pool';
import { importRegions, parseRegionFile, type Progress } from '../geo/importer';

export const GEO_OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../geo/out');

const FILES: [RegionLevel, string][] = [
  ['district', 'district.geojson'],
  ['town', 'towns.geojson'],
  ['village', 'villages.geojson'],
  ['grid', 'grids.geojson'],
];

/** Loads the committed demo geography through the same validated path a real import takes. */
export async function seedGeography(tx: Tx, progress?: Progress): Promise<Record<RegionLevel, number>> {
  const counts = {} as Record<RegionLevel, number>;
  for (const [level, file] of FILES) {
    const features = parseRegionFile(await readFile(path.join(GEO_OUT, file), 'utf8'));
    counts[level] = await importRegions(tx, level, features, progress);
  }
  return counts;
}

const StationFile = z.object({
  features: z.array(
    z.object({ geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }), properties: StationProperties }),
  ),
});

/** Stations (片区) with their villages and the three S5 units. Returns station ids in file order. */
export async function seedStations(tx: Tx): Promise<number[]> {
  const file = StationFile.parse(JSON.parse(await readFile(path.join(GEO_OUT, 'stations.geojson'), 'utf8')));
  const rows = file.features.map((f) => ({ ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
  const { rows: ids } = await tx.query<{ id: number }>(
    `INSERT INTO stations (code, name, town_code, location)
     SELECT s->>'code', s->>'name', s->>'townCode', ST_SetSRID(ST_MakePoint((s->>'lon')::float8, (s->>'lat')::float8), 4326)
       FROM json_array_elements($1::json) WITH ORDINALITY AS t(s, n) ORDER BY n
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  await tx.query(
    `INSERT INTO station_villages (station_id, village_code)
     SELECT st.id, v FROM json_array_elements($1::json) AS s
       JOIN stations st ON st.code = s->>'code',
       json_array_elements_text(s->'villageCodes') AS v`,
    [JSON.stringify(rows)],
  );
  await tx.query(
    `INSERT INTO station_units (station_id, kind, name)
     SELECT st.id, u->>'kind', u->>'name' FROM json_array_elements($1::json) AS s
       JOIN stations st ON st.code = s->>'code',
       json_array_elements(s->'units') AS u`,
    [JSON.stringify(rows)],
  );
  return ids.map((r) => r.id);
}
