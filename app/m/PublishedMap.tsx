'use client';

/*
 * The anonymised map of closed reports that stations chose to publish (S14): category and month
 * only, each point rounded by the server to about 100 m. Loaded on demand like PickMap.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import '@/app/map/core/worker';
import { useEffect, useRef } from 'react';
import { Map as MapLibreMap } from 'maplibre-gl';
import { baseStyle } from '@/app/map/core/style';
import type { PublishedCollection } from './api';
import s from './m.module.css';

export default function PublishedMap({ data }: { data: PublishedCollection }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || !data.features.length) return;
    const lons = data.features.map((f) => f.geometry.coordinates[0]);
    const lats = data.features.map((f) => f.geometry.coordinates[1]);
    const m = new MapLibreMap({
      container: box.current,
      style: baseStyle(),
      bounds: [[Math.min(...lons) - 0.005, Math.min(...lats) - 0.005], [Math.max(...lons) + 0.005, Math.max(...lats) + 0.005]],
      attributionControl: false,
      dragRotate: false,
      maxPitch: 0,
      renderWorldCopies: false,
    });
    m.once('load', () => {
      m.setPaintProperty('background', 'background-color', '#e8eef3');
      m.addSource('published', { type: 'geojson', data });
      m.addLayer({ id: 'published', type: 'circle', source: 'published', paint: { 'circle-radius': 6, 'circle-color': '#1b7f3b', 'circle-opacity': 0.7, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
    });
    return () => m.remove();
  }, [data]);
  return (
    <div className={s.map} style={{ height: 360 }}>
      <div ref={box} style={{ position: 'absolute', inset: 0 }} />
    </div>
  );
}
