'use client';

import { useEffect, useMemo } from 'react';
import type { FeatureCollection, Point } from 'geojson';
import type { StationStarsV1 } from '@/lib/contracts/scores';
import { useMap } from '@/app/map/core/context';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { BEFORE, COLORS, FONT_BOLD, sized } from '@/app/map/core/style';
import type { StationCollection } from '@/app/map/types';
import { starText } from '@/app/components/Stars';

const SOURCE = 'station-stars';
const LAYERS = ['station-stars-label'] as const;

/** A station's stars (S14 星级联动站) as a point under its beacon; stations not yet rated draw nothing. */
function starPoints(stations: StationCollection | null, stars: ReadonlyMap<number, StationStarsV1>): FeatureCollection<Point, { stars: string }> {
  const features = (stations?.features ?? []).flatMap((f) => {
    const s = f.properties.id !== undefined ? stars.get(f.properties.id) : undefined;
    return s && s.stars > 0 ? [{ type: 'Feature' as const, geometry: f.geometry, properties: { stars: starText(s.stars) } }] : [];
  });
  return { type: 'FeatureCollection', features };
}

/**
 * The wall's star line under each station beacon. Drawn over whatever is there and blocking
 * nothing: the station names keep the placement they had, the stars are five short glyphs.
 */
export default function StationStarsLayer({ stations, stars }: { stations: StationCollection | null; stars: ReadonlyMap<number, StationStarsV1> }) {
  const { map, scale } = useMap();
  const data = useMemo(() => starPoints(stations, stars), [stations, stars]);

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'station-stars-label',
      type: 'symbol',
      source: SOURCE,
      minzoom: 9,
      layout: {
        'text-field': ['get', 'stars'],
        'text-font': FONT_BOLD,
        'text-size': sized(scale, [[9, 10], [14, 13]]),
        'text-anchor': 'top',
        'text-offset': [0, 1.1],
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffcc4d', 'text-halo-color': COLORS.halo, 'text-halo-width': 1.2 * scale },
    }, BEFORE.stationLabel);
    return () => removeAll(map, LAYERS, [SOURCE]);
  }, [map, scale]);

  useEffect(() => setSourceData(map, SOURCE, data), [map, scale, data]);

  return null;
}
