'use client';

import { useMemo } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { HistoryIncident } from '@/lib/contracts/history';
import { incidentsAt } from '@/lib/history/events';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';
import { SEVERITY_RGB, type Rgb } from '@/app/wall/palette';

const ID = 'replay-incidents';
/** An incident reported less than this long before the replay's time is drawn larger: it is news then. */
const FRESH_MS = 5 * 60_000;
type Row = HistoryIncident & { reported: number };

/** Incidents from their reported time on, in their severity's colour. */
export default function ReplayIncidentsLayer({ incidents, t }: { incidents: readonly Row[]; t: number }) {
  const { scale } = useMap();
  const layer = useMemo(() => {
    const rows = incidentsAt(incidents, t);
    if (rows.length === 0) return null;
    return new ScatterplotLayer<Row, DeckSlot>({
      id: ID,
      data: rows,
      getPosition: (i) => [i.lon, i.lat],
      getFillColor: (i) => [...((SEVERITY_RGB as Record<string, Rgb>)[i.severity] ?? [255, 171, 64]), 220],
      getLineColor: [255, 255, 255, 230],
      getRadius: (i) => (t - i.reported < FRESH_MS ? 9 : 6) * scale,
      getLineWidth: 1.5 * scale,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
      updateTriggers: { getRadius: [t] },
    });
  }, [incidents, t, scale]);
  useDeckLayer(ID, layer);
  return null;
}
