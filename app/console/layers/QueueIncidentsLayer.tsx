'use client';

import { useMemo } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';
import type { LiveIncident } from '@/app/live/incidents';
import { overdueLevel } from '../queue';
import { CARD_RGB, stateRgb } from '../palette';

const ID = 'console-incidents';
const SELECTED_ID = 'console-incident-selected';

type Props = {
  /** The queue's rows, in queue order (most urgent first). */
  rows: readonly LiveIncident[];
  /** Minute the overdue rims were judged at. */
  now: number;
  selected: LiveIncident | null;
  onSelect: (id: number) => void;
};

/**
 * The queue on the map: fill by state, rim by supervision card, the selected event ringed. The
 * map shows exactly the filtered queue, so a filter narrows both at once.
 */
export default function QueueIncidentsLayer({ rows, now, selected, onSelect }: Props) {
  const { scale } = useMap();
  // deck.gl draws in order: the most urgent last, so a red card is never hidden under a routine dot.
  const drawOrder = useMemo(() => [...rows].reverse(), [rows]);

  const layer = useMemo(
    () =>
      new ScatterplotLayer<LiveIncident, DeckSlot>({
        id: ID,
        data: drawOrder,
        getPosition: (i) => [i.lon, i.lat],
        getFillColor: (i) => [...stateRgb(i.state), 230],
        getLineColor: (i) => {
          const level = overdueLevel(i, now);
          return [...CARD_RGB[level], level === 'none' ? 200 : 255];
        },
        getLineWidth: (i) => (overdueLevel(i, now) === 'none' ? 1 : 3) * scale,
        getRadius: (i) => (overdueLevel(i, now) === 'none' ? 6 : 8) * scale,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        stroked: true,
        pickable: true,
        onClick: (info: PickingInfo<LiveIncident>) => {
          if (!info.object) return false;
          onSelect(info.object.id);
          return true;
        },
        updateTriggers: { getLineColor: now, getLineWidth: [now, scale], getRadius: [now, scale] },
      }),
    [drawOrder, now, scale, onSelect],
  );
  useDeckLayer(ID, layer);

  const ring = useMemo(
    () =>
      selected
        ? new ScatterplotLayer<LiveIncident, DeckSlot>({
            id: SELECTED_ID,
            data: [selected],
            getPosition: (i) => [i.lon, i.lat],
            getRadius: 15 * scale,
            getLineColor: [255, 255, 255, 255],
            getLineWidth: 3 * scale,
            radiusUnits: 'pixels',
            lineWidthUnits: 'pixels',
            filled: false,
            stroked: true,
          })
        : null,
    [selected, scale],
  );
  useDeckLayer(SELECTED_ID, ring);

  return null;
}
