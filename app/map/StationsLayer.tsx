'use client';

import { useEffect, useMemo, useRef } from 'react';
import { useMap } from '@/app/map/core/context';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { BEFORE, COLORS, FONT_BOLD, sized } from '@/app/map/core/style';
import type { StationCollection } from './types';

const SOURCE = 'stations';
const LAYERS = ['stations-halo', 'stations-selected', 'stations-circle', 'stations-label'] as const;
const CLICKABLE = ['stations-halo', 'stations-circle'];

/*
 * Every name ends in the same 社会治理联动工作站, which the legend already says; on the map the long
 * form crowds out the town names, so the label keeps only the part that tells stations apart.
 */
const SUFFIX = /社会治理联动工作站$/;

function withLabels(data: StationCollection): StationCollection {
  return {
    ...data,
    features: data.features.map((f) => ({
      ...f,
      properties: { ...f.properties, label: f.properties.name.replace(SUFFIX, '') || f.properties.name },
    })),
  };
}

type Props = {
  data: StationCollection | null;
  selected: string | null;
  /** Called with the clicked station's code. */
  onSelect: (code: string) => void;
};

/** Joint-action stations (联动工作站): amber beacons with their names, clickable for the S5 card. */
export default function StationsLayer({ data, selected, onSelect }: Props) {
  const { map, scale } = useMap();
  const labelled = useMemo(() => (data ? withLabels(data) : null), [data]);
  // The click handler is bound once per layer set; it reads the newest callback through the ref.
  const onSelectRef = useRef(onSelect);
  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'stations-halo',
      type: 'circle',
      source: SOURCE,
      paint: { 'circle-color': COLORS.station, 'circle-opacity': 0.22, 'circle-radius': sized(scale, [[9, 13], [14, 20]]) },
    }, BEFORE.station);
    map.addLayer({
      id: 'stations-selected',
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['get', 'code'], ''],
      paint: {
        'circle-opacity': 0,
        'circle-radius': sized(scale, [[9, 17], [14, 25]]),
        'circle-stroke-color': COLORS.stationRing,
        'circle-stroke-width': 2 * scale,
      },
    }, BEFORE.station);
    map.addLayer({
      id: 'stations-circle',
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-color': COLORS.station,
        'circle-radius': sized(scale, [[9, 6], [14, 9]]),
        'circle-stroke-color': COLORS.stationRing,
        'circle-stroke-width': 2 * scale,
      },
    }, BEFORE.station);
    map.addLayer({
      id: 'stations-label',
      type: 'symbol',
      source: SOURCE,
      layout: {
        'text-field': ['get', 'label'],
        'text-font': FONT_BOLD,
        'text-size': sized(scale, [[9, 13], [14, 17]]),
        'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
        'text-radial-offset': 1.3,
        'text-justify': 'auto',
        'text-max-width': 10,
        // Beacons stay even where a name can't fit; the name is the part that may give way.
        'text-optional': true,
      },
      paint: {
        'text-color': COLORS.stationRing,
        'text-halo-color': COLORS.halo,
        'text-halo-width': 1.5 * scale,
      },
    }, BEFORE.stationLabel);

    const click = map.on('click', CLICKABLE, (e) => {
      const code: unknown = e.features?.[0]?.properties.code;
      if (typeof code === 'string') onSelectRef.current(code);
    });
    const enter = map.on('mouseenter', CLICKABLE, () => { map.getCanvas().style.cursor = 'pointer'; });
    const leave = map.on('mouseleave', CLICKABLE, () => { map.getCanvas().style.cursor = ''; });
    return () => {
      click.unsubscribe();
      enter.unsubscribe();
      leave.unsubscribe();
      removeAll(map, LAYERS, [SOURCE]);
    };
  }, [map, scale]);

  useEffect(() => setSourceData(map, SOURCE, labelled), [map, scale, labelled]);

  useEffect(() => {
    if (map.getLayer('stations-selected')) map.setFilter('stations-selected', ['==', ['get', 'code'], selected ?? '']);
  }, [map, scale, selected]);

  return null;
}
