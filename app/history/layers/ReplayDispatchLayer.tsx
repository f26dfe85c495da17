'use client';

import { useMemo } from 'react';
import { LineLayer } from '@deck.gl/layers';
import type { HistoryDispatch, TracePoint } from '@/lib/contracts/history';
import { dispatchLinesAt, type ReplayLine } from '@/lib/history/events';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';

const ID = 'replay-dispatch-lines';

const STATE_RGB: Record<string, [number, number, number]> = {
  dispatched: [255, 171, 64],
  acknowledged: [255, 214, 0],
  en_route: [64, 196, 255],
  on_scene: [61, 220, 132],
};

/** A line from each dispatched unit to its incident while the dispatch ran, coloured by its step then (as the live lines). */
export default function ReplayDispatchLayer({ dispatches, traces, t }: { dispatches: readonly HistoryDispatch[]; traces: ReadonlyMap<number, readonly TracePoint[]>; t: number }) {
  const { scale } = useMap();
  const layer = useMemo(() => {
    const lines = dispatchLinesAt(dispatches, traces, t);
    if (lines.length === 0) return null;
    return new LineLayer<ReplayLine, DeckSlot>({
      id: ID,
      data: lines,
      getSourcePosition: (l) => l.from,
      getTargetPosition: (l) => l.to,
      getColor: (l) => [...(STATE_RGB[l.state] ?? [140, 155, 175]), 230],
      getWidth: 3 * scale,
      widthUnits: 'pixels',
    });
  }, [dispatches, traces, t, scale]);
  useDeckLayer(ID, layer);
  return null;
}
