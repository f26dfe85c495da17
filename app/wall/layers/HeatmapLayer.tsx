'use client';

import { useEffect, useMemo, useState } from 'react';
import { HeatmapLayer as DeckHeatmapLayer } from '@deck.gl/aggregation-layers';
import { useMap } from '@/app/map/core/context';
import { BEFORE } from '@/app/map/core/style';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';
import { http } from '@/app/http';
import { HeatCells, type HeatCell, type HeatWindow } from '@/app/live/schemas';

const ID = 'incident-heat';
/** The server bins up to 30 days of incidents per request; no wall asks more often than this. */
const MIN_INTERVAL_MS = 10_000;
const REFRESH_MS = 30_000;

/** Cool to hot, transparent at the bottom so the map shows through where little happens. */
const COLOR_RANGE: [number, number, number, number][] = [
  [36, 104, 180, 0],
  [40, 160, 220, 120],
  [120, 220, 160, 170],
  [255, 220, 90, 200],
  [255, 140, 50, 220],
  [255, 50, 80, 235],
];

type Props = { visible: boolean; period: HeatWindow };

/**
 * Where incidents cluster over the last 24 h, 7 d or 30 d, from /api/v1/incidents/heat. Fetched
 * only while the layer is on and the page is visible, at most every 10 s; drawn under the grid lines.
 */
export default function HeatmapLayer({ visible, period }: Props) {
  const { scale } = useMap();
  const [cells, setCells] = useState<{ window: HeatWindow; cells: HeatCell[] } | null>(null);

  useEffect(() => {
    if (!visible) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    let lastFetch = Number.NEGATIVE_INFINITY;
    const load = async () => {
      clearTimeout(timer);
      const wait = lastFetch + MIN_INTERVAL_MS - performance.now();
      if (document.visibilityState === 'hidden' || wait > 0) {
        // Hidden: look again later; too soon: come back once the interval is up.
        timer = setTimeout(load, document.visibilityState === 'hidden' ? REFRESH_MS : wait);
        return;
      }
      lastFetch = performance.now();
      controller = new AbortController();
      try {
        setCells(await http.get(`/api/v1/incidents/heat?window=${period}`, { signal: controller.signal, schema: HeatCells }));
      } catch (error) {
        if (controller.signal.aborted) return;
        console.warn(error);
      }
      timer = setTimeout(load, REFRESH_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [visible, period]);

  const layer = useMemo(() => {
    // A switch of window shows nothing rather than the previous window's picture under the new label.
    if (!visible || !cells || cells.window !== period) return null;
    return new DeckHeatmapLayer<HeatCell, DeckSlot>({
      id: ID,
      data: cells.cells,
      getPosition: (c) => [c[0], c[1]],
      getWeight: (c) => c[2],
      aggregation: 'SUM',
      radiusPixels: 40 * scale,
      intensity: 1,
      threshold: 0.05,
      colorRange: COLOR_RANGE,
      beforeId: BEFORE.grid,
    });
  }, [visible, cells, period, scale]);
  useDeckLayer(ID, layer);

  return null;
}
