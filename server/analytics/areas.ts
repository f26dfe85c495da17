import type { Reach } from '@/lib/access/scope';
import { areaRef, parseArea } from '@/lib/analytics/area';
import type { AreaInfo, AreaKind, AreaRef, DayRange } from '@/lib/contracts/kpi';
import { instantsOf } from '@/lib/analytics/period';
import type { Db } from '../db/pool';
import type { Arg } from '../db/scope';

/** An area resolved: what it is called, where it sits, and the station it belongs to (a grid's, for scope). */
export interface Area {
  info: AreaInfo;
  kind: AreaKind;
  key: string;
  stationId: number | null;
}

const DISTRICT_NAME = '全区';

/**
 * The area a reference names, or null when it does not exist. The hierarchy is district → town →
 * station (stations.town_code) → grid (its village's station, station_villages; S5).
 */
export async function resolveArea(db: Db, ref: AreaRef): Promise<Area | null> {
  const { kind, key } = parseArea(ref);
  const info = (name: string, parent: AreaRef | null): AreaInfo => ({ ref, kind, name, parent });
  switch (kind) {
    case 'district': {
      const { rows } = await db.query<{ name: string }>(`SELECT name FROM regions WHERE level = 'district' ORDER BY code LIMIT 1`);
      return { info: info(rows[0]?.name ?? DISTRICT_NAME, null), kind, key, stationId: null };
    }
    case 'town': {
      const { rows } = await db.query<{ name: string }>(`SELECT name FROM regions WHERE code = $1 AND level = 'town'`, [key]);
      return rows[0] ? { info: info(rows[0].name, 'district'), kind, key, stationId: null } : null;
    }
    case 'station': {
      const { rows } = await db.query<{ name: string; town: string }>(`SELECT name, town_code AS town FROM stations WHERE id = $1`, [Number(key)]);
      return rows[0] ? { info: info(rows[0].name, areaRef('town', rows[0].town)), kind, key, stationId: Number(key) } : null;
    }
    case 'grid': {
      const { rows } = await db.query<{ name: string; station: number | null; town: string | null }>(
        `SELECT g.name, sv.station_id AS station, v.parent_code AS town
           FROM regions g JOIN regions v ON v.code = g.parent_code LEFT JOIN station_villages sv ON sv.village_code = v.code
          WHERE g.code = $1 AND g.level = 'grid'`,
        [key],
      );
      const r = rows[0];
      if (!r) return null;
      const parent = r.station !== null ? areaRef('station', r.station) : r.town ? areaRef('town', r.town) : 'district';
      return { info: info(r.name, parent), kind, key, stationId: r.station };
    }
  }
}

/**
 * Who may read an area's figures (issue 10's scope rule): the district's reach reads anything; a
 * station's reach (its leaders, its wall) its own station and that station's grids; nobody else.
 * Asked of the reference alone first, so a refusal does not depend on whether the area exists.
 */
export function mayReadRef(reach: Reach, ref: AreaRef): boolean {
  if (reach.kind === 'district') return true;
  if (reach.kind !== 'station') return false;
  const { kind, key } = parseArea(ref);
  return (kind === 'station' && Number(key) === reach.stationId) || kind === 'grid';
}

export function mayReadArea(reach: Reach, area: Area): boolean {
  if (reach.kind === 'district') return true;
  return reach.kind === 'station' && area.stationId === reach.stationId && (area.kind === 'station' || area.kind === 'grid');
}

/** The area as a filter of events aliased `e`. */
export function eventsInArea(area: Area, arg: Arg): string {
  switch (area.kind) {
    case 'district':
      return 'true';
    case 'town':
      return `e.town_code = ${arg(area.key)}`;
    case 'station':
      return `e.station_id = ${arg(Number(area.key))}`;
    case 'grid':
      // The grid as its station holds it: after a village moves to another station, its grids' old events stay the old station's.
      return area.stationId === null ? `e.grid_code = ${arg(area.key)}` : `e.grid_code = ${arg(area.key)} AND e.station_id = ${arg(area.stationId)}`;
  }
}

/** The events of an area reported in a range, as a WHERE over `e` (the cohort of every event figure). */
export function cohortSql(area: Area, range: DayRange, arg: Arg): string {
  const { from, to } = instantsOf(range);
  return `e.reported_at >= ${arg(from)} AND e.reported_at < ${arg(to)} AND ${eventsInArea(area, arg)}`;
}

/** The area as a filter of kpi_day aliased `k`; null for a grid, which the day rollup does not key (its figures scan events). */
export function rollupInArea(area: Area, arg: Arg): string | null {
  switch (area.kind) {
    case 'district':
      return 'true';
    case 'town':
      return `k.town_code = ${arg(area.key)}`;
    case 'station':
      return `k.station_id = ${arg(Number(area.key))}`;
    case 'grid':
      return null;
  }
}

/** The area as a filter of units aliased `u` (units online). */
export function unitsInArea(area: Area, arg: Arg): string {
  switch (area.kind) {
    case 'district':
      return 'u.station_id IS NOT NULL';
    case 'town':
      return `u.station_id IN (SELECT id FROM stations WHERE town_code = ${arg(area.key)})`;
    case 'station':
      return `u.station_id = ${arg(Number(area.key))}`;
    case 'grid':
      return area.stationId === null ? `u.grid_code = ${arg(area.key)}` : `u.grid_code = ${arg(area.key)} AND u.station_id = ${arg(area.stationId)}`;
  }
}

/** The children ranked side by side (互比互看): stations of the district or a town, grids of a station. */
export async function childrenOf(db: Db, area: Area): Promise<Area[]> {
  if (area.kind === 'district' || area.kind === 'town') {
    const { rows } = await db.query<{ id: number; name: string; town: string }>(
      `SELECT id, name, town_code AS town FROM stations WHERE ($1::text IS NULL OR town_code = $1) ORDER BY id`,
      [area.kind === 'town' ? area.key : null],
    );
    return rows.map((s) => ({
      info: { ref: areaRef('station', s.id), kind: 'station', name: s.name, parent: areaRef('town', s.town) },
      kind: 'station', key: String(s.id), stationId: s.id,
    }));
  }
  if (area.kind === 'station') {
    const { rows } = await db.query<{ code: string; name: string }>(
      `SELECT g.code, g.name FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
        WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code`,
      [Number(area.key)],
    );
    return rows.map((g) => ({
      info: { ref: areaRef('grid', g.code), kind: 'grid', name: g.name, parent: area.info.ref },
      kind: 'grid', key: g.code, stationId: Number(area.key),
    }));
  }
  return [];
}
