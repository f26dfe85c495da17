import type { WarningSettings } from '@/lib/contracts/warnings';
import { surgeLevel } from '@/lib/warnings/levels';
import { surges, surgeText } from '@/lib/warnings/surge';
import type { Db } from '../db/pool';
import { categoryLabels, COUNTED, MAX_EVENT_IDS, round, type Finding } from './finding';

type Origin = 'citizen' | 'stats';
const ORIGIN_LABEL: Record<Origin, string> = { citizen: '群众上报', stats: '其他系统统计' };
interface Cell {
  origin: Origin;
  stationId: number | null;
  category: string;
  recent: number;
  baseline: number;
}

/**
 * Rising needs (S9): categories of requests rising in the statistics other systems upload
 * (source_stats, all sources summed, each once it has a whole baseline) and in citizens' own reports (events.reported_by_citizen),
 * per station where the region maps to one (a grid or village of it) and district-wide otherwise
 * (a town or the district). Same window, baseline and test as the high-frequency check, one
 * Benjamini–Hochberg correction over both origins.
 */
export async function detectNeeds(db: Db, s: WarningSettings, now = new Date()): Promise<Finding[]> {
  const params = [now, s.surgeDays, s.surgeBaselineWeeks];
  const window = `WITH w AS (SELECT ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS today)`;
  const [stats, citizens] = await Promise.all([
    db.query<Cell>(
      `${window}
       SELECT 'stats' AS origin, coalesce(sv.station_id, svg.station_id) AS "stationId", ss.category,
              coalesce(sum(ss.count) FILTER (WHERE ss.day > w.today - $2::int), 0)::int AS recent,
              coalesce(sum(ss.count) FILTER (WHERE ss.day <= w.today - $2::int), 0)::int AS baseline
         FROM source_stats ss CROSS JOIN w JOIN regions r ON r.code = ss.region_code
         LEFT JOIN station_villages sv ON r.level = 'village' AND sv.village_code = r.code
         LEFT JOIN station_villages svg ON r.level = 'grid' AND svg.village_code = r.parent_code
        WHERE ss.day > w.today - $2::int - 7 * $3::int AND ss.day <= w.today
          -- A source's counts are compared only once it has sent the whole baseline: the days
          -- before its first upload are unknown, not zero, and a new source would read as a surge.
          AND ss.source IN (SELECT source FROM source_stats GROUP BY source HAVING min(day) <= w.today - $2::int - 7 * $3::int + 1)
        GROUP BY 2, 3`,
      params,
    ),
    db.query<Cell>(
      `${window}
       SELECT 'citizen' AS origin, e.station_id AS "stationId", e.category,
              count(*) FILTER (WHERE (e.reported_at AT TIME ZONE 'Asia/Shanghai')::date > w.today - $2::int)::int AS recent,
              count(*) FILTER (WHERE (e.reported_at AT TIME ZONE 'Asia/Shanghai')::date <= w.today - $2::int)::int AS baseline
         FROM events e CROSS JOIN w
        WHERE e.reported_by_citizen AND ${COUNTED}
          AND e.reported_at >= (w.today - $2::int - 7 * $3::int + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND e.reported_at <= $1::timestamptz
        GROUP BY 2, 3`,
      params,
    ),
  ]);
  const cells = [...stats.rows, ...citizens.rows];
  const found = surges(cells.map((c) => ({ key: c, recent: c.recent, baseline: c.baseline })), {
    windowDays: s.surgeDays, baselineWeeks: s.surgeBaselineWeeks, q: s.surgeQ, minCount: s.surgeMinCount,
  });
  if (!found.length) return [];
  const [labels, places] = await Promise.all([
    categoryLabels(db),
    db.query<{ id: number | null; name: string; lon: number; lat: number }>(
      `SELECT id, name, ST_X(location) AS lon, ST_Y(location) AS lat FROM stations
       UNION ALL SELECT NULL, '全区', ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM regions WHERE level = 'district'`,
    ),
  ]);
  const where = new Map(places.rows.map((p) => [p.id, p]));
  const citizenKeys = found.filter((f) => f.key.origin === 'citizen').map((f) => f.key);
  const ids = await citizenEventIds(db, citizenKeys, new Date(now.getTime() - s.surgeDays * 86_400_000), now);
  return found.flatMap((f): Finding[] => {
    const c = f.key;
    const at = where.get(c.stationId);
    if (!at) return [];
    const label = labels.get(c.category) ?? c.category;
    return [{
      kind: 'need',
      subject: `${c.origin}:${c.stationId ?? 'district'}:${c.category}`,
      level: surgeLevel(f.p, f.ratio),
      hotspotClass: null,
      title: `诉求上升：${label}（${at.name}）`,
      explanation: `${ORIGIN_LABEL[c.origin]}：${surgeText(f, s.surgeDays, '件')}`,
      numbers: {
        origin: c.origin, count: f.recent, days: s.surgeDays, baseline: c.baseline, baselineWeeks: s.surgeBaselineWeeks,
        perWeek: round(f.perWeek), expected: round(f.expected), ratio: round(f.ratio, 1), p: f.p, q: s.surgeQ,
      },
      stationId: c.stationId,
      gridCode: null,
      category: c.category,
      lon: at.lon,
      lat: at.lat,
      eventIds: c.origin === 'citizen' ? ids.get(`${c.stationId}:${c.category}`) ?? [] : [],
    }];
  });
}

async function citizenEventIds(db: Db, keys: readonly Cell[], since: Date, until: Date): Promise<Map<string, number[]>> {
  if (!keys.length) return new Map();
  const { rows } = await db.query<{ stationId: number | null; category: string; ids: string[] }>(
    `SELECT k.station_id AS "stationId", k.category, coalesce(x.ids, '{}') AS ids
       FROM unnest($1::int[], $2::text[]) AS k(station_id, category)
       LEFT JOIN LATERAL (SELECT array_agg(id ORDER BY reported_at DESC)::text[] AS ids FROM (
          SELECT e.id, e.reported_at FROM events e
           WHERE e.reported_by_citizen AND e.category = k.category AND e.station_id IS NOT DISTINCT FROM k.station_id
             AND e.reported_at >= $3 AND e.reported_at <= $4 AND ${COUNTED}
           ORDER BY e.reported_at DESC LIMIT ${MAX_EVENT_IDS}) y) x ON true`,
    [keys.map((k) => k.stationId), keys.map((k) => k.category), since, until],
  );
  return new Map(rows.map((r) => [`${r.stationId}:${r.category}`, r.ids.map(Number)]));
}
