import type { Reach } from '@/lib/access/scope';
import type { CoverageLevel, CoverageRow } from '@/lib/coverage/contracts';
import { lowest, ratios, rollUp, type Tally } from '@/lib/coverage/figures';
import { monthBounds } from '@/lib/coverage/month';
import { HAZARD_CATEGORIES } from '@/lib/coverage/rules';
import { GRID_STAFF, RESPONSIBLE_GRID_ROLES } from '@/lib/roles';
import { DONE_STATES } from '@/lib/events/machine';
import type { Db } from '../db/pool';
import { args, stationScopeSql } from '../db/scope';
import { responsibleUnitsSql } from './visits';

export interface GridTally {
  code: string;
  name: string;
  villageCode: string;
  villageName: string;
  stationId: number;
  stationName: string;
  tally: Tally;
}

/*
 * S10's four figures per grid for a local month. Owed: what existed before the month ended and
 * was not removed by then. A key person's visits are counted by distinct local days, so one stay
 * cut in two (by a gap, by a run's bounds) never counts twice, and at most their visits_per_month.
 * Patrol counts a grid's own staff inside it. Hazards: events of the hazard categories reported
 * this month in the grid by grid staff.
 */
export async function gridTallies(db: Db, reach: Reach, month: string, stationId?: number): Promise<GridTally[]> {
  const { from, to } = monthBounds(month);
  const q = args([from, to, stationId ?? null, RESPONSIBLE_GRID_ROLES, HAZARD_CATEGORIES, DONE_STATES, GRID_STAFF]);
  const scope = stationScopeSql(reach, 'sv.station_id', q.arg);
  const { rows } = await db.query<Omit<GridTally, 'tally'> & Record<keyof Tally, number>>(
    `WITH grids AS (
       SELECT g.code, g.name, v.code AS village_code, v.name AS village_name, s.id AS station_id, s.name AS station_name, s.patrol_hours_month
         FROM regions g JOIN regions v ON v.code = g.parent_code
         JOIN station_villages sv ON sv.village_code = v.code JOIN stations s ON s.id = sv.station_id
        WHERE g.level = 'grid' AND ($3::int IS NULL OR s.id = $3::int) AND ${scope}
     ),
     resp AS (${responsibleUnitsSql('$3', '$4')}),
     staff AS (SELECT grid_code, count(*)::int AS n FROM resp GROUP BY grid_code),
     pl AS (
       SELECT p.grid_code, count(*)::int AS owed,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM visits v WHERE v.place_id = p.id AND v.started_at >= $1 AND v.started_at < $2))::int AS visited
         FROM places p
        WHERE p.grid_code IN (SELECT code FROM grids) AND p.created_at < $2 AND (p.removed_at IS NULL OR p.removed_at >= $2)
        GROUP BY p.grid_code
     ),
     pe AS (
       SELECT k.grid_code, count(*)::int AS persons, sum(k.visits_per_month)::int AS owed,
              sum(least(k.visits_per_month, d.days))::int AS made,
              count(*) FILTER (WHERE d.days >= k.visits_per_month)::int AS done
         FROM key_persons k
         CROSS JOIN LATERAL (SELECT count(DISTINCT (v.started_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days
                               FROM visits v WHERE v.person_id = k.id AND v.started_at >= $1 AND v.started_at < $2) d
        WHERE k.grid_code IN (SELECT code FROM grids) AND k.created_at < $2 AND (k.removed_at IS NULL OR k.removed_at >= $2)
        GROUP BY k.grid_code
     ),
     pa AS (
       SELECT d.grid_code, sum(d.seconds)::float8 AS seconds, sum(d.metres)::float8 AS metres
         FROM patrol_days d JOIN resp r ON r.unit_id = d.unit_id AND r.grid_code = d.grid_code
        WHERE d.day >= ($1 AT TIME ZONE 'Asia/Shanghai')::date AND d.day < ($2 AT TIME ZONE 'Asia/Shanghai')::date
        GROUP BY d.grid_code
     ),
     hz AS (
       SELECT e.grid_code, count(*)::int AS n, count(*) FILTER (WHERE e.state = ANY($6::text[]))::int AS done
         FROM events e JOIN accounts a ON a.id = e.reported_by
        WHERE e.reported_at >= $1 AND e.reported_at < $2 AND e.category = ANY($5::text[]) AND a.role = ANY($7::text[])
          AND e.grid_code IN (SELECT code FROM grids)
        GROUP BY e.grid_code
     )
     SELECT g.code, g.name, g.village_code AS "villageCode", g.village_name AS "villageName",
            g.station_id AS "stationId", g.station_name AS "stationName",
            coalesce(pl.owed, 0) AS "placesOwed", coalesce(pl.visited, 0) AS "placesVisited",
            coalesce(pe.owed, 0) AS "personVisitsOwed", coalesce(pe.made, 0) AS "personVisitsMade",
            coalesce(pe.persons, 0) AS persons, coalesce(pe.done, 0) AS "personsDone",
            coalesce(pa.seconds, 0) AS "patrolSeconds", coalesce(pa.metres, 0) AS "patrolMetres",
            (g.patrol_hours_month * 3600 * coalesce(staff.n, 0))::float8 AS "patrolRequiredSeconds",
            coalesce(hz.n, 0) AS hazards, coalesce(hz.done, 0) AS "hazardsDone"
       FROM grids g
       LEFT JOIN staff ON staff.grid_code = g.code LEFT JOIN pl ON pl.grid_code = g.code LEFT JOIN pe ON pe.grid_code = g.code
       LEFT JOIN pa ON pa.grid_code = g.code LEFT JOIN hz ON hz.grid_code = g.code
      ORDER BY g.code`,
    q.args,
  );
  return rows.map((r) => ({
    code: r.code, name: r.name, villageCode: r.villageCode, villageName: r.villageName, stationId: r.stationId, stationName: r.stationName,
    tally: {
      placesOwed: r.placesOwed, placesVisited: r.placesVisited, personVisitsOwed: r.personVisitsOwed, personVisitsMade: r.personVisitsMade,
      persons: r.persons, personsDone: r.personsDone, patrolSeconds: r.patrolSeconds, patrolRequiredSeconds: r.patrolRequiredSeconds,
      patrolMetres: r.patrolMetres, hazards: r.hazards, hazardsDone: r.hazardsDone,
    },
  }));
}

const row = (level: CoverageLevel, code: string, name: string, stationId: number | null, villageCode: string | null, tally: Tally): CoverageRow => {
  const r = ratios(tally);
  return { level, code, name, stationId, villageCode, tally, ratios: r, lowest: lowest(r) };
};

/** The figures at one level: grids as they are, the others summed from their grids. */
export function coverageRows(grids: GridTally[], level: CoverageLevel, districtName = '全区'): CoverageRow[] {
  switch (level) {
    case 'grid':
      return grids.map((g) => row('grid', g.code, g.name, g.stationId, g.villageCode, g.tally));
    case 'village': {
      const sums = rollUp(grids, (g) => g.villageCode);
      const first = new Map(grids.map((g) => [g.villageCode, g] as const));
      return [...sums].map(([code, t]) => row('village', code, first.get(code)!.villageName, first.get(code)!.stationId, code, t));
    }
    case 'station': {
      const sums = rollUp(grids, (g) => g.stationId);
      const first = new Map(grids.map((g) => [g.stationId, g] as const));
      return [...sums].map(([id, t]) => row('station', String(id), first.get(id)!.stationName, id, null, t));
    }
    case 'district': {
      const sums = rollUp(grids, () => 'district');
      const t = sums.get('district');
      return t ? [row('district', 'district', districtName, null, null, t)] : [];
    }
  }
}
