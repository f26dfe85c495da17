'use client';

import { useMemo, useState } from 'react';
import type { AreaRef, KpiCode, KpiRankingV1 } from '@/lib/contracts/kpi';
import { KPIS } from '@/lib/analytics/kpis';
import { formatValue } from './format';
import { rankingColumns, sortRanking, type RankingSort } from './ranking';
import styles from './cockpit.module.css';

type Props = {
  ranking: KpiRankingV1;
  /** The columns to show, when not all (the wall's few). */
  only?: readonly KpiCode[];
  /** Rows past this are left out (the wall has no scrolling). */
  maxRows?: number;
  /** null: rows are not links (the wall). */
  onDrill: ((area: AreaRef) => void) | null;
  /** The address of a row's area, as a link to open elsewhere. */
  hrefOf?: (area: AreaRef) => string;
};

const DEFAULT_SORT: RankingSort = { kpi: 'completion', order: 'best' };

/** The areas one level down side by side (互比互看, S13); a column header sorts by that figure. */
export default function RankingTable({ ranking, only, maxRows, onDrill, hrefOf }: Props) {
  const [sort, setSort] = useState<RankingSort>(DEFAULT_SORT);
  const columns = useMemo(() => {
    const all = rankingColumns(ranking.rows);
    return only ? all.filter((c) => only.includes(c)) : all;
  }, [ranking.rows, only]);
  const active = useMemo<RankingSort | null>(
    () => (columns.includes(sort.kpi) ? sort : columns[0] ? { kpi: columns[0], order: 'best' } : null),
    [columns, sort],
  );
  const rows = useMemo(() => (active ? sortRanking(ranking.rows, active) : ranking.rows), [ranking.rows, active]);
  const shown = maxRows === undefined ? rows : rows.slice(0, maxRows);

  if (ranking.rows.length === 0) return <p className={styles.empty}>下级暂无可比区域</p>;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="ranking">
        <thead>
          <tr>
            <th scope="col">名次</th>
            <th scope="col">区域</th>
            {columns.map((c) => {
              const on = active?.kpi === c;
              const sorted = on ? (active.order === 'best') === (KPIS[c].better === 'up') ? 'descending' : 'ascending' : 'none';
              return (
                <th key={c} scope="col" aria-sort={sorted} className={styles.num}>
                  {onDrill ? (
                    <button
                      type="button"
                      className={styles.sortButton}
                      data-testid={`rank-sort-${c}`}
                      title={`按${KPIS[c].name}排序（再点一次反向）。口径：${KPIS[c].definition}`}
                      onClick={() => setSort(on ? { kpi: c, order: active.order === 'best' ? 'worst' : 'best' } : { kpi: c, order: 'best' })}
                    >
                      {KPIS[c].name}
                      <i aria-hidden>{on ? (sorted === 'descending' ? '↓' : '↑') : ''}</i>
                    </button>
                  ) : (
                    KPIS[c].name
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={r.area.ref} data-testid={`rank-row-${r.area.ref}`}>
              <td className={styles.num}>{i + 1}</td>
              <th scope="row">
                {onDrill ? (
                  <a
                    href={hrefOf ? hrefOf(r.area.ref) : `?area=${encodeURIComponent(r.area.ref)}`}
                    onClick={(e) => {
                      // A plain link for a new tab or a copied address; a click drills in place.
                      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                      e.preventDefault();
                      onDrill(r.area.ref);
                    }}
                  >
                    {r.area.name}
                  </a>
                ) : (
                  r.area.name
                )}
              </th>
              {columns.map((c) => (
                <td key={c} className={styles.num} data-kpi={c}>
                  {formatValue(r.values[c] ?? null, KPIS[c].unit)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
