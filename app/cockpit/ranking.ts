import { KPI_CODES, type KpiCode, type KpiRankingV1 } from '@/lib/contracts/kpi';
import { KPIS } from '@/lib/analytics/kpis';

export type RankingRow = KpiRankingV1['rows'][number];

export interface RankingSort {
  kpi: KpiCode;
  /** best: the better end first (high 办结率, low 超期); worst: the other way. */
  order: 'best' | 'worst';
}

/** The figures present in any row, in the vocabulary's order. */
export function rankingColumns(rows: readonly RankingRow[]): KpiCode[] {
  const present = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) present.add(k);
  return KPI_CODES.filter((c) => present.has(c));
}

/**
 * Rows ordered by one figure (互比互看). An area with nothing to measure goes last either way: it
 * is neither best nor worst. Ties keep the server's order (stable sort), then the name.
 */
export function sortRanking(rows: readonly RankingRow[], sort: RankingSort): RankingRow[] {
  const up = KPIS[sort.kpi].better === 'up';
  const sign = (sort.order === 'best') === up ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.values[sort.kpi] ?? null;
    const y = b.values[sort.kpi] ?? null;
    if (x === null || y === null) return x === y ? a.area.name.localeCompare(b.area.name, 'zh-CN') : x === null ? 1 : -1;
    return x === y ? a.area.name.localeCompare(b.area.name, 'zh-CN') : sign * (x - y);
  });
}
