'use client';

import { useEffect, useMemo } from 'react';
import type { OwedItem } from '@/lib/coverage/contracts';
import MapView from '@/app/map/core/MapView';
import { useMap } from '@/app/map/core/context';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import type { Bounds } from '@/app/map/core/geometry';

const SOURCE = 'owed';
const LAYERS = ['owed-dot', 'owed-here'] as const;

function Points({ items, here }: { items: readonly OwedItem[]; here: { lon: number; lat: number } | null }) {
  const { map } = useMap();
  const data = useMemo(() => ({
    type: 'FeatureCollection' as const,
    features: [
      ...items.map((i, n) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [i.lon, i.lat] }, properties: { kind: i.kind, n: n + 1 } })),
      ...(here ? [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [here.lon, here.lat] }, properties: { kind: 'here', n: 0 } }] : []),
    ],
  }), [items, here]);

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'owed-dot', type: 'circle', source: SOURCE, filter: ['!=', ['get', 'kind'], 'here'],
      paint: { 'circle-radius': 7, 'circle-color': ['match', ['get', 'kind'], 'person', '#ff9f43', '#4fd8ff'], 'circle-stroke-color': '#07101f', 'circle-stroke-width': 2 },
    });
    map.addLayer({
      id: 'owed-here', type: 'circle', source: SOURCE, filter: ['==', ['get', 'kind'], 'here'],
      paint: { 'circle-radius': 6, 'circle-color': '#1f8fff', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
    });
    return () => removeAll(map, LAYERS, [SOURCE]);
  }, [map]);
  useEffect(() => setSourceData(map, SOURCE, data), [map, data]);
  useEffect(() => {
    const pts = data.features.map((f) => f.geometry.coordinates);
    if (!pts.length) return;
    const lons = pts.map((p) => p[0]);
    const lats = pts.map((p) => p[1]);
    map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 30, maxZoom: 16, duration: 0 });
  }, [map, data]);
  return null;
}

/** The gridder's owed places and persons on a small map: cyan places, orange persons, blue the phone. */
export default function OwedMap({ items, here }: { items: readonly OwedItem[]; here: { lon: number; lat: number } | null }) {
  const first = items[0] ?? here;
  const initial: Bounds = first ? [[first.lon - 0.01, first.lat - 0.01], [first.lon + 0.01, first.lat + 0.01]] : [[120.2, 30.6], [120.6, 30.95]];
  return (
    <div style={{ position: 'relative', height: 220, borderRadius: 12, overflow: 'hidden' }}>
      <MapView initialBounds={initial}>
        <Points items={items} here={here} />
      </MapView>
    </div>
  );
}
