'use client';

import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * How many equal cards fit a grid container without overflow: its columns (as CSS laid them out)
 * times the rows of the first card's height. A wall cannot scroll, so the rest go to later pages.
 */
export function useFitCount(grid: RefObject<HTMLElement | null>, items: number): number {
  const [fit, setFit] = useState(1);
  // Measured again when the first card appears: before it there is nothing to measure.
  const some = items > 0;
  useLayoutEffect(() => {
    const el = grid.current;
    if (!el) return;
    const measure = () => {
      const style = getComputedStyle(el);
      const columns = Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length);
      const gap = parseFloat(style.rowGap) || 0;
      const card = el.firstElementChild as HTMLElement | null;
      if (!card) return;
      const rows = Math.max(1, Math.floor((el.clientHeight + gap) / (card.offsetHeight + gap)));
      setFit(columns * rows);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [grid, some]);
  return fit;
}
