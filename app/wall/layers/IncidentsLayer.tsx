'use client';

import { useEffect, useMemo } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import { useMap } from '@/app/map/core/context';
import type { DeckSlot } from '@/app/map/core/useDeckLayer';
import { useDeckLayer } from '@/app/map/core/useDeckLayer';
import { cardOf, type LiveIncident } from '@/app/live/incidents';
import type { LiveStore } from '@/app/live/store';
import { SEVERITY_RGB, stageOf } from '../palette';

const ID = 'incidents';
const PULSE_ID = 'incidents-pulse';
/** Rings a new incident sends out during its pulse. */
const PULSE_RINGS = 3;
const DONE_RGB = [140, 155, 175] as const;
const CARD_RGB = { yellow: [255, 214, 0], red: [255, 40, 60] } as const;
const RADIUS = { low: 6, normal: 7, high: 8, critical: 9 } as const;

type Rgba = [number, number, number, number];

type Props = {
  store: LiveStore;
  /** Newest first, as the store lists them. */
  incidents: readonly LiveIncident[];
  visible: boolean;
  /** Server time the incidents were last counted at; overdue rims follow it. */
  now: number;
  selected: number | null;
  onSelect: (incidentId: number) => void;
};

/*
 * Colour is severity; how it is filled is the stage of the closed loop: waiting for someone to take
 * it — a bold ring, barely filled; being handled — solid; handled — grey. Open past its deadline —
 * a yellow rim past its time limit, red past the red limit (S13 cards), whatever the stage.
 */
function fillOf(i: LiveIncident): Rgba {
  const stage = stageOf(i.state);
  if (stage === 'done') return [...DONE_RGB, 110];
  const [r, g, b] = SEVERITY_RGB[i.severity];
  return [r, g, b, stage === 'waiting' ? 60 : 225];
}

function lineOf(i: LiveIncident, now: number): Rgba {
  const card = cardOf(i, now);
  if (card !== 'none') return [...CARD_RGB[card], 255];
  const stage = stageOf(i.state);
  if (stage === 'done') return [...DONE_RGB, 0];
  if (stage === 'waiting') return [...SEVERITY_RGB[i.severity], 255];
  return [255, 255, 255, 200];
}

/** Today's and open incidents, plus expanding rings for a few seconds round each new one. */
export default function IncidentsLayer({ store, incidents, visible, now, selected, onSelect }: Props) {
  const { setDeckLayer, scale } = useMap();

  // deck.gl draws in order: oldest first puts the newest on top.
  const oldestFirst = useMemo(() => [...incidents].reverse(), [incidents]);
  // Rims change with the minute, not with every view the store publishes.
  const minute = Math.floor(now / 60_000);

  const layer = useMemo(() => {
    if (!visible) return null;
    const at = minute * 60_000;
    return new ScatterplotLayer<LiveIncident, DeckSlot>({
      id: ID,
      data: oldestFirst,
      getPosition: (i) => [i.lon, i.lat],
      getFillColor: fillOf,
      getLineColor: (i) => lineOf(i, at),
      getRadius: (i) => RADIUS[i.severity] * scale + (i.id === selected ? 4 * scale : 0),
      getLineWidth: (i) => (cardOf(i, at) !== 'none' ? 3 : i.id === selected ? 3 : 2) * scale,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
      pickable: true,
      onClick: (info: PickingInfo<LiveIncident>) => {
        if (!info.object) return false;
        onSelect(info.object.id);
        return true;
      },
      updateTriggers: { getLineColor: minute, getLineWidth: [minute, selected], getRadius: [scale, selected] },
    });
  }, [oldestFirst, visible, minute, scale, selected, onSelect]);
  useDeckLayer(ID, layer);

  // The pulse animates only while some incident is new; a new list (a new incident) wakes it.
  useEffect(() => {
    if (!visible) return;
    let raf = 0;
    let shown = false;
    const frame = () => {
      const pulses = store.incidents.pulses(performance.now());
      if (pulses.length === 0) {
        if (shown) setDeckLayer(PULSE_ID, null);
        raf = 0;
        return;
      }
      shown = true;
      setDeckLayer(PULSE_ID, new ScatterplotLayer<(typeof pulses)[number], DeckSlot>({
        id: PULSE_ID,
        data: pulses,
        getPosition: (p) => [p.incident.lon, p.incident.lat],
        getRadius: (p) => (8 + 40 * ((p.phase * PULSE_RINGS) % 1)) * scale,
        getLineColor: (p) => [...SEVERITY_RGB[p.incident.severity], Math.round(255 * (1 - ((p.phase * PULSE_RINGS) % 1)))],
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getLineWidth: 3 * scale,
        filled: false,
        stroked: true,
      }));
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      setDeckLayer(PULSE_ID, null);
    };
  }, [store, incidents, visible, scale, setDeckLayer]);

  return null;
}
