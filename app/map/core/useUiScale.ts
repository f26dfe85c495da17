'use client';

import { useEffect, useState, type RefObject } from 'react';

function readScale(el: HTMLElement | null): number {
  if (!el) return 1;
  const px = parseFloat(getComputedStyle(el).fontSize);
  return Number.isFinite(px) && px > 0 ? Math.round((px / 16) * 100) / 100 : 1;
}

/**
 * The element's font size over 16px. Pages scale their type with the screen; following it keeps map
 * lines and labels in proportion on 4K walls instead of shrinking to hairlines.
 */
export function useUiScale(ref: RefObject<HTMLElement | null>): number {
  const [scale, setScale] = useState(1);
  useEffect(() => {
    const update = () => setScale(readScale(ref.current));
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [ref]);
  return scale;
}
