'use client';

import { useEffect } from 'react';
import { useMap } from '@/app/map/core/context';
import type { Bounds } from '@/app/map/core/geometry';
import styles from './console.module.css';

/**
 * While `active`, a drag on the map draws a box instead of panning; on release the box's corners
 * in lon/lat go to `onArea` (issue 5: the deputy chief may draw an area rather than pick one incident).
 */
export default function AreaSelect({ active, onArea }: { active: boolean; onArea: (area: Bounds) => void }) {
  const { map } = useMap();
  useEffect(() => {
    if (!active) return;
    const canvas = map.getCanvasContainer();
    map.dragPan.disable();
    canvas.style.cursor = 'crosshair';
    let start: { x: number; y: number } | null = null;
    let box: HTMLDivElement | null = null;
    const at = (e: MouseEvent) => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const down = (e: MouseEvent) => {
      if (e.button !== 0) return;
      start = at(e);
      box = document.createElement('div');
      box.className = styles.areaBox;
      box.dataset.testid = 'area-box';
      canvas.appendChild(box);
    };
    const move = (e: MouseEvent) => {
      if (!start || !box) return;
      const p = at(e);
      Object.assign(box.style, {
        left: `${Math.min(p.x, start.x)}px`, top: `${Math.min(p.y, start.y)}px`,
        width: `${Math.abs(p.x - start.x)}px`, height: `${Math.abs(p.y - start.y)}px`,
      });
    };
    const up = (e: MouseEvent) => {
      if (!start) return;
      const p = at(e);
      const from = start;
      start = null;
      box?.remove();
      box = null;
      if (Math.abs(p.x - from.x) < 6 || Math.abs(p.y - from.y) < 6) return;
      const a = map.unproject([from.x, from.y]);
      const b = map.unproject([p.x, p.y]);
      onArea([[Math.min(a.lng, b.lng), Math.min(a.lat, b.lat)], [Math.max(a.lng, b.lng), Math.max(a.lat, b.lat)]]);
    };
    canvas.addEventListener('mousedown', down);
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    return () => {
      canvas.removeEventListener('mousedown', down);
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      box?.remove();
      canvas.style.cursor = '';
      map.dragPan.enable();
    };
  }, [map, active, onArea]);
  return null;
}
