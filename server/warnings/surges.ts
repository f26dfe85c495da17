import type { WarningSettings } from '@/lib/contracts/warnings';
import { surgeLevel } from '@/lib/warnings/levels';
import { surges, surgeText } from '@/lib/warnings/surge';
import type { Db } from '../db/pool';
import { categoryLabels, eventIdsOf, gridsOf, round, type Finding } from './finding';

const DAY_MS = 86_400_000;

/**
 * High-frequency events (S9): per grid and category, the last `surgeDays` Shanghai days (today
 * included: a burst this morning counts) against the `surgeBaselineWeeks` weeks before them, from
 * kpi_grid_day in one grouped scan; the test is lib/warnings/surge (exact Poisson rate comparison,
 * Benjamini–Hochberg at surgeQ, at least surgeMinCount events).
 */
export async function detectSurges(db: Db, s: WarningSettings, now = new Date()): Promise<Finding[]> {
  const { rows } = await db.query<{ grid: string; category: string; recent: number; baseline: number }>(
    `WITH w AS (SELECT ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS today)
     SELECT k.grid_code AS grid, k.category,
            coalesce(sum(k.n) FILTER (WHERE k.day > w.today - $2::int), 0)::int AS recent,
            coalesce(sum(k.n) FILTER (WHERE k.day <= w.today - $2::int), 0)::int AS baseline
       FROM kpi_grid_day k, w
      WHERE k.day > w.today - $2::int - 7 * $3::int AND k.day <= w.today
      GROUP BY 1, 2`,
    [now, s.surgeDays, s.surgeBaselineWeeks],
  );
  const found = surges(
    rows.map((r) => ({ key: r, recent: r.recent, baseline: r.baseline })),
    { windowDays: s.surgeDays, baselineWeeks: s.surgeBaselineWeeks, q: s.surgeQ, minCount: s.surgeMinCount },
  );
  if (!found.length) return [];
  const [grids, labels] = await Promise.all([gridsOf(db), categoryLabels(db)]);
  const byCode = new Map(grids.map((g) => [g.code, g]));
  const since = new Date(now.getTime() - s.surgeDays * DAY_MS);
  const ids = await eventIdsOf(db, found.map((f) => ({ grids: [f.key.grid], category: f.key.category, since, station: null })));
  return found.flatMap((f, k): Finding[] => {
    const g = byCode.get(f.key.grid);
    if (!g) return [];
    return [{
      kind: 'surge',
      subject: `grid:${g.code}:${f.key.category}`,
      level: surgeLevel(f.p, f.ratio),
      hotspotClass: null,
      title: `高频事件：${g.name} · ${labels.get(f.key.category) ?? f.key.category}`,
      explanation: surgeText(f, s.surgeDays),
      numbers: {
        count: f.recent, days: s.surgeDays, baseline: f.key.baseline, baselineWeeks: s.surgeBaselineWeeks,
        perWeek: round(f.perWeek), expected: round(f.expected), ratio: round(f.ratio, 1), p: f.p, q: s.surgeQ,
      },
      stationId: g.stationId,
      gridCode: g.code,
      category: f.key.category,
      lon: g.lon,
      lat: g.lat,
      eventIds: ids[k],
    }];
  });
}
