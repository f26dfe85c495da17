'use client';

import { useMemo } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { UnitTrace } from '@/lib/contracts/history';
import { positionAt } from '@/lib/history/trace';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';
import { KIND_RGB, UNKNOWN_RGB, type Rgb } from '@/app/wall/palette';

const ID = 'replay-units';

interface Dot {
  id: number;
  rgb: Rgb;
  at: [number, number];
}

const rgbOf = (kind: string): Rgb => (KIND_RGB as Record<string, Rgb>)[kind] ?? UNKNOWN_RGB;

/** Each unit where its trace puts it at t, in its kind's colour (as on the live wall). */
export default function ReplayUnitsLayer({ units, t }: { units: readonly UnitTrace[]; t: number }) {
  const { scale } = useMap();
  const layer = useMemo(() => {
    const dots = units.flatMap((u): Dot[] => {
      const at = positionAt(u.points, t);
      return at ? [{ id: u.id, rgb: rgbOf(u.kind), at }] : [];
    });
    if (dots.length === 0) return null;
    return new ScatterplotLayer<Dot, DeckSlot>({
      id: ID,
      data: dots,
      getPosition: (d) => d.at,
      getFillColor: (d) => [...d.rgb, 240],
      getLineColor: [235, 245, 255, 210],
      getRadius: 5 * scale,
      getLineWidth: 1.5 * scale,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
    });
  }, [units, t, scale]);
  useDeckLayer(ID, layer);
  return null;
}
