'use client';

import { useMemo } from 'react';
import { LineLayer, ScatterplotLayer } from '@deck.gl/layers';
import { ACTIVE_DISPATCH_STATES, type DispatchState } from '@/lib/command/dispatch';
import type { DispatchV1 } from '@/lib/contracts/command';
import type { LiveStore } from '@/app/live/store';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';

const ID = 'dispatch-lines';
const ENDS_ID = 'dispatch-ends';

const DISPATCH_RGB: Record<DispatchState, [number, number, number]> = {
  dispatched: [255, 171, 64],
  acknowledged: [255, 214, 0],
  en_route: [64, 196, 255],
  on_scene: [61, 220, 132],
  cleared: [140, 155, 175],
  cancelled: [140, 155, 175],
};

interface Line {
  id: number;
  state: DispatchState;
  flagged: boolean;
  from: [number, number];
  to: [number, number];
}

/**
 * A line from each active dispatch's unit to its incident (S12): from the unit's live position when
 * the store has it, else from where it was dispatched. Redrawn with the store's view (at most
 * twice a second), so the line shortens as the unit closes in. Flagged (unacknowledged) ones are red.
 */
export default function DispatchLinesLayer({ store, dispatches, visible, tick }: {
  store: LiveStore;
  dispatches: readonly DispatchV1[];
  visible: boolean;
  /** Changes when positions may have moved (the live view's time). */
  tick: number;
}) {
  const { scale } = useMap();
  const lines = useMemo(() => {
    void tick;
    return dispatches.flatMap((d): Line[] => {
      if (!ACTIVE_DISPATCH_STATES.includes(d.state)) return [];
      const live = store.unit(d.unitId);
      const from: [number, number] | null = live ? [live.lon, live.lat] : d.origin ? [d.origin.lon, d.origin.lat] : null;
      return from ? [{ id: d.id, state: d.state, flagged: d.flaggedAt !== null && d.state === 'dispatched', from, to: [d.target.lon, d.target.lat] }] : [];
    });
  }, [store, dispatches, tick]);

  const layer = useMemo(() => {
    if (!visible || lines.length === 0) return null;
    return new LineLayer<Line, DeckSlot>({
      id: ID,
      data: lines,
      getSourcePosition: (l) => l.from,
      getTargetPosition: (l) => l.to,
      getColor: (l) => (l.flagged ? [255, 40, 60, 255] : [...DISPATCH_RGB[l.state], 230]),
      getWidth: 3 * scale,
      widthUnits: 'pixels',
    });
  }, [lines, visible, scale]);
  useDeckLayer(ID, layer);

  const ends = useMemo(() => {
    if (!visible || lines.length === 0) return null;
    return new ScatterplotLayer<Line, DeckSlot>({
      id: ENDS_ID,
      data: lines,
      getPosition: (l) => l.from,
      getFillColor: (l) => [...DISPATCH_RGB[l.state], 255],
      getLineColor: [255, 255, 255, 255],
      getRadius: 5 * scale,
      getLineWidth: 1.5 * scale,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
    });
  }, [lines, visible, scale]);
  useDeckLayer(ENDS_ID, ends);
  return null;
}
