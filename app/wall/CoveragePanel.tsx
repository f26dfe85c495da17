'use client';

import { useEffect, useMemo, useState } from 'react';
import type { CoverageAnswer, CoverageRow } from '@/lib/coverage/contracts';
import { coverageColour, EMPTY_TALLY, FIGURE_HINT, FIGURE_LABEL, FIGURES, percent, ratios, rollUp } from '@/lib/coverage/figures';
import { http } from '@/app/http';
import Panel from './Panel';
import styles from './wall.module.css';

const REFRESH_MS = 5 * 60_000;

/**
 * This month's coverage per grid within the wall's reach, reloaded every few minutes (the job
 * computes every five). A failed load keeps the last rows: the wall runs unattended.
 */
export function useCoverageRows(): readonly CoverageRow[] {
  const [rows, setRows] = useState<readonly CoverageRow[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => http.get<CoverageAnswer>('/api/v1/coverage?level=grid').then((a) => live && setRows(a.rows), () => undefined);
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return rows;
}

/** 本月巡查覆盖: S10's four figures summed over the grids the wall sees. */
export default function CoveragePanel({ rows }: { rows: readonly CoverageRow[] }) {
  const sum = useMemo(() => ratios(rollUp(rows, () => 'all').get('all') ?? EMPTY_TALLY), [rows]);
  return (
    <Panel title="本月巡查覆盖">
      {rows.length > 0 && (
        <dl className={styles.tiles} data-testid="coverage-panel">
          {FIGURES.map((f) => (
            <div key={f} title={FIGURE_HINT[f]}>
              <dt>{FIGURE_LABEL[f]}</dt>
              <dd style={{ color: coverageColour(sum[f]) }}>{percent(sum[f])}</dd>
            </div>
          ))}
        </dl>
      )}
    </Panel>
  );
}
