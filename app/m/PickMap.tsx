'use client';

/*
 * The map a resident taps to say where. Loaded only when they ask for it (next/dynamic), so the
 * first load of /m carries no map code. MapLibre alone: app/map/core/MapView also brings deck.gl,
 * which a point picker does not need. Nothing outside our origin: the style has no tiles, glyphs
 * or sprites (app/map/core/style.ts); the district's towns come from /api/v1/citizen/areas.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import '@/app/map/core/worker';
import { useEffect, useRef, useState } from 'react';
import { Map as MapLibreMap, type GeoJSONSource } from 'maplibre-gl';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { boundsOf, labelPoints } from '@/app/map/core/geometry';
import { EMPTY } from '@/app/map/core/layers';
import { baseStyle, CJK_FONT_FAMILY, FONT_REGULAR } from '@/app/map/core/style';
import s from './m.module.css';

export type Point = { lon: number; lat: number };
type Towns = FeatureCollection<MultiPolygon | Polygon, { code: string; name: string }>;

const pointData = (p: Point | null) => ({
  type: 'FeatureCollection' as const,
  features: p ? [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] }, properties: {} }] : [],
});

export default function PickMap({ value, onPick }: { value: Point | null; onPick: (p: Point) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);

  useEffect(() => {
    let live = true;
    let instance: MapLibreMap | null = null;
    void fetch('/api/v1/citizen/areas', { credentials: 'omit' })
      .then((r) => (r.ok ? (r.json() as Promise<Towns>) : Promise.reject(new Error(String(r.status)))))
      .then((towns) => {
        if (!live || !box.current) return;
        const bounds = boundsOf(towns);
        if (!bounds) throw new Error('empty');
        instance = new MapLibreMap({
          container: box.current,
          style: baseStyle(),
          bounds,
          fitBoundsOptions: { padding: 8 },
          localIdeographFontFamily: CJK_FONT_FAMILY,
          attributionControl: false,
          dragRotate: false,
          pitchWithRotate: false,
          touchPitch: false,
          maxPitch: 0,
          renderWorldCopies: false,
        });
        instance.touchZoomRotate.disableRotation();
        const m = instance;
        m.once('load', () => {
          m.setPaintProperty('background', 'background-color', '#e8eef3');
          m.addSource('towns', { type: 'geojson', data: towns });
          m.addSource('town-names', { type: 'geojson', data: labelPoints(towns) });
          m.addSource('picked', { type: 'geojson', data: EMPTY });
          m.addLayer({ id: 'towns-fill', type: 'fill', source: 'towns', paint: { 'fill-color': '#c9daea', 'fill-opacity': 0.6 } });
          m.addLayer({ id: 'towns-line', type: 'line', source: 'towns', paint: { 'line-color': '#5b84ad', 'line-width': 1.5 } });
          m.addLayer({
            id: 'towns-name', type: 'symbol', source: 'town-names',
            layout: { 'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 14 },
            paint: { 'text-color': '#27415c', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
          });
          m.addLayer({ id: 'picked', type: 'circle', source: 'picked', paint: { 'circle-radius': 10, 'circle-color': '#d32f2f', 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 } });
          m.on('click', (e) => pick.current({ lon: e.lngLat.lng, lat: e.lngLat.lat }));
          // e2e/citizen.spec.ts finds the pixel of a known point through it, as a resident finds their street.
          Object.assign(window, { __mPickMap: m });
          if (live) setMap(m);
        });
      })
      .catch((e: unknown) => {
        if (live) setFailed(e instanceof Error && e.message === 'empty' ? '暂无地图数据' : '地图加载失败，请填写地址或选择村社');
      });
    return () => {
      live = false;
      instance?.remove();
    };
  }, []);

  useEffect(() => {
    if (!map?.style) return;
    map.getSource<GeoJSONSource>('picked')?.setData(pointData(value));
    if (value && !map.getBounds().contains([value.lon, value.lat])) map.easeTo({ center: [value.lon, value.lat], zoom: Math.max(map.getZoom(), 14), duration: 0 });
  }, [map, value]);

  return (
    <div className={s.map} data-testid="m-map" data-ready={map ? '1' : '0'}>
      <div ref={box} style={{ position: 'absolute', inset: 0 }} />
      <div className={s.mapHint}>{failed ?? (map ? (value ? '已选点，可再点一次修改' : '请点击问题所在位置') : '地图加载中…')}</div>
    </div>
  );
}
