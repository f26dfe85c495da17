import type { WarningSettings } from '@/lib/contracts/warnings';
import { RISK_LEVEL_LABEL } from '@/lib/contracts/place';
import { placeLevel, placeScore, RISK_WEIGHT } from '@/lib/warnings/levels';
import type { Db } from '../db/pool';
import { COUNTED, MAX_EVENT_IDS, round, type Finding } from './finding';

type Risk = keyof typeof RISK_WEIGHT;

/**
 * High-risk places (S9): each key place in use, its risk weight × the counted events within
 * placeRadiusM metres over the last placeDays days, of the place's own station (lib/warnings/levels placeScore); a score at
 * placeYellow or more is a warning. The radius is searched on the index with a box a little larger
 * than the circle, then measured on the sphere.
 */
export async function detectPlaces(db: Db, s: WarningSettings, now = new Date()): Promise<Finding[]> {
  const { rows } = await db.query<{ id: number; name: string; risk: Risk; grid: string; stationId: number | null; lon: number; lat: number; n: number; ids: string[] }>(
    `SELECT p.id, p.name, p.risk_level AS risk, p.grid_code AS grid, sv.station_id AS "stationId",
            ST_X(p.location) AS lon, ST_Y(p.location) AS lat, x.n, x.ids
       FROM places p
       JOIN regions g ON g.code = p.grid_code
       LEFT JOIN station_villages sv ON sv.village_code = g.parent_code
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS n, (array_agg(e.id ORDER BY e.reported_at DESC))[1:${MAX_EVENT_IDS}]::text[] AS ids
           FROM events e
          WHERE e.location && ST_Expand(p.location, $2::float8 / 111000 / greatest(cos(radians(ST_Y(p.location))), 0.1))
            AND ST_DWithin(e.location::geography, p.location::geography, $2::float8)
            AND e.reported_at > $1::timestamptz - make_interval(days => $3::int) AND e.reported_at <= $1::timestamptz AND ${COUNTED}
            -- The place's station's events: a leader reads the count and the list, and sees no other station's.
            AND e.station_id IS NOT DISTINCT FROM sv.station_id) x
      WHERE p.removed_at IS NULL AND x.n > 0`,
    [now, s.placeRadiusM, s.placeDays],
  );
  return rows.flatMap((r): Finding[] => {
    const score = placeScore(r.risk, r.n);
    const level = placeLevel(score, s);
    if (!level) return [];
    return [{
      kind: 'place',
      subject: `place:${r.id}`,
      level,
      hotspotClass: null,
      title: `高风险场所：${r.name}`,
      explanation: `${RISK_LEVEL_LABEL[r.risk]}风险场所，${s.placeRadiusM} 米内近${s.placeDays}天 ${r.n} 起事件，风险分 ${round(score, 1)}（${RISK_WEIGHT[r.risk]}×${r.n}）`,
      numbers: { incidents: r.n, risk: r.risk, weight: RISK_WEIGHT[r.risk], score: round(score, 1), radiusM: s.placeRadiusM, days: s.placeDays },
      stationId: r.stationId,
      gridCode: r.grid,
      category: null,
      lon: r.lon,
      lat: r.lat,
      eventIds: r.ids.map(Number),
    }];
  });
}
