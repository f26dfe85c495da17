import { valueOf, ZERO_COUNTERS, NO_DURATIONS, type Figures } from '@/lib/analytics/figures';
import { KPI_CODES, type DayRange, type KpiCode, type KpiRankingV1 } from '@/lib/contracts/kpi';
import type { Db } from '../db/pool';
import { childrenOf, type Area } from './areas';
import { countersRollup, coverage, durations, mediation, mediationDays, online, type GroupBy } from './figures';

/**
 * The areas one level below, side by side (互比互看, S13): every station of the district or a town,
 * every grid of a station. One grouped query per source, not one per child. Mediation cases carry
 * a station, not a grid: split by station, null for a station's grids.
 */
export async function ranking(db: Db, area: Area, range: DayRange): Promise<KpiRankingV1['rows']> {
  const children = await childrenOf(db, area);
  if (children.length === 0) return [];
  const group: GroupBy = children[0].kind === 'grid' ? 'grid' : 'station';
  const [c, d, o, cov, m, md] = await Promise.all([
    countersRollup(db, area, range, group),
    durations(db, area, range, group),
    online(db, area, group),
    coverage(db, area, range, group),
    mediation(db, area, range, group),
    mediationDays(db, area, range, group),
  ]);
  return children.map((child) => {
    const f: Figures = {
      counters: c.get(child.key) ?? ZERO_COUNTERS,
      durations: d.get(child.key) ?? NO_DURATIONS,
      mediation: m ? m.get(child.key) ?? { num: 0, den: 0 } : null,
      mediationDays: md ? md.get(child.key) ?? { n: 0, median: null } : null,
      online: o.get(child.key) ?? { num: 0, den: 0 },
      coverage: cov.get(child.key) ?? { num: 0, den: 0 },
    };
    const values: Partial<Record<KpiCode, number | null>> = {};
    for (const code of KPI_CODES) values[code] = valueOf(code, f).value;
    return { area: child.info, values };
  });
}
