import { HOTSPOT_CLASS_LABEL, type WarningSettings } from '@/lib/contracts/warnings';
import { emergingHotspots } from '@/lib/warnings/emerging';
import { hotspotLevel } from '@/lib/warnings/levels';
import { pText } from '@/lib/warnings/stats';
import type { Db } from '../db/pool';
import { adjacencyOf, eventIdsOf, gridsOf, round, type Finding } from './finding';

const DAY_MS = 86_400_000;

/**
 * Emerging hot spots (S9): a cube of every grid × the last `hotspotDays` complete Shanghai days
 * (or whole weeks), counts from kpi_grid_day (migration 017: counted events per grid, category
 * and day, kept by triggers) summed in SQL, then Gi*, FDR, Mann-Kendall and ArcGIS's classes
 * (lib/warnings/emerging). Today is left out: a day under way would read as a fall in every grid.
 * Neighbourhood: the grid and the grids within a metre of it, this step and the one before.
 */
export async function detectHotspots(db: Db, s: WarningSettings, now = new Date()): Promise<Finding[]> {
  const stepDays = s.hotspotStep === 'week' ? 7 : 1;
  const steps = Math.floor(s.hotspotDays / stepDays);
  const [grids, counts] = await Promise.all([
    gridsOf(db),
    db.query<{ grid: string; t: number; n: number }>(
      `WITH w AS (SELECT ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date - 1 AS last)
       SELECT k.grid_code AS grid, (($3::int - 1) - (w.last - k.day) / $2::int) AS t, sum(k.n)::int AS n
         FROM kpi_grid_day k, w
        WHERE k.day > w.last - $2::int * $3::int AND k.day <= w.last
        GROUP BY 1, 2`,
      [now, stepDays, steps],
    ),
  ]);
  if (grids.length === 0 || steps < 2) return [];
  const adjacent = await adjacencyOf(db, grids);
  const index = new Map(grids.map((g, i) => [g.code, i]));
  const cube = new Float64Array(grids.length * steps);
  for (const r of counts.rows) {
    const i = index.get(r.grid);
    if (i !== undefined) cube[i * steps + r.t] = r.n;
  }
  const found = emergingHotspots({ locations: grids.length, steps, counts: cube, adjacent }, s.hotspotAlpha);
  const unit = stepDays === 7 ? '周' : '天';
  // The events behind it: the neighbourhood's (the grid and those Gi* summed with it), of the hot run ending now, or of the whole cube for a historical one; at least one step.
  const endMs = now.getTime();
  const since = found.map((f) => new Date(endMs - stepDays * DAY_MS * (f.class === 'historical' ? steps : Math.max(1, f.run) + 1)));
  const ids = await eventIdsOf(db, found.map((f, k) => ({ grids: [f.location, ...adjacent[f.location]].map((i) => grids[i].code), category: null, since: since[k], station: grids[f.location].stationId })));
  return found.map((f, k): Finding => {
    const g = grids[f.location];
    const trend = f.trendP < 0.05 ? (f.trendZ > 0 ? '，强度上升' : '，强度下降') : '';
    return {
      kind: 'hotspot',
      subject: `grid:${g.code}`,
      level: hotspotLevel(f.class, f.zNow),
      hotspotClass: f.class,
      title: `${HOTSPOT_CLASS_LABEL[f.class]}：${g.name}`,
      explanation:
        `近${steps}${unit}中 ${f.hotSteps} ${unit}为显著热点` +
        (f.run > 0 ? `（含最近连续 ${f.run} ${unit}，Gi* z=${f.zNow.toFixed(1)}，${pText(f.pNow)}）` : '（最近一' + unit + '已不显著）') +
        `${trend}（Mann-Kendall z=${f.trendZ.toFixed(1)}）`,
      numbers: {
        z: round(f.zNow), p: f.pNow, hotSteps: f.hotSteps, steps, step: s.hotspotStep, run: f.run,
        trendZ: round(f.trendZ), trendP: f.trendP, alpha: s.hotspotAlpha,
      },
      stationId: g.stationId,
      gridCode: g.code,
      category: null,
      lon: g.lon,
      lat: g.lat,
      eventIds: ids[k],
    };
  });
}
