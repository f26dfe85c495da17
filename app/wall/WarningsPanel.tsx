'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { WarningV1 } from '@/lib/contracts/warnings';
import { WARNING_LEVELS, WARNING_LEVEL_LABEL } from '@/lib/contracts/warnings';
import WarningCard from './WarningCard';
import { useFitCount } from './useFitCount';
import { levelCss } from './warningLook';
import styles from './warnings.module.css';

/** A wall has nobody to scroll it: more warnings than fit turn over a page this often. */
const PAGE_MS = 12_000;

type Props = { warnings: readonly WarningV1[]; loaded: boolean };

/** The active warnings, most urgent first, large enough to read across the room (S9 item 4). */
export default function WarningsPanel({ warnings, loaded }: Props) {
  const grid = useRef<HTMLDivElement>(null);
  const fit = useFitCount(grid, warnings.length);
  const pages = Math.max(1, Math.ceil(warnings.length / fit));
  const [page, setPage] = useState(0);
  useEffect(() => {
    if (pages <= 1) return;
    const timer = setInterval(() => setPage((p) => (p + 1) % pages), PAGE_MS);
    return () => clearInterval(timer);
  }, [pages]);
  const shown = page < pages ? page : 0;
  const slice = warnings.slice(shown * fit, shown * fit + fit);
  const counts = useMemo(() => WARNING_LEVELS.map((l) => [l, warnings.filter((w) => w.level === l).length] as const).reverse(), [warnings]);

  return (
    <section className={styles.panel} aria-label="预警" data-testid="wall-warnings">
      <h2 className={styles.panelTitle}>
        <span>实时预警</span>
        <span className={styles.counts}>
          {counts.map(([level, n]) => (
            <span key={level} style={{ color: levelCss(level) }} data-testid={`wall-warnings-${level}`}>{WARNING_LEVEL_LABEL[level]} {n}</span>
          ))}
          {pages > 1 && <span className={styles.page}>第 {shown + 1}/{pages} 页</span>}
        </span>
      </h2>
      {slice.length === 0 ? (
        <p className={styles.empty}>{loaded ? '当前无预警' : '预警加载中…'}</p>
      ) : (
        <div className={styles.cards} ref={grid}>
          {slice.map((w) => <WarningCard key={w.id} warning={w} />)}
        </div>
      )}
    </section>
  );
}
