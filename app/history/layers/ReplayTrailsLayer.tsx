'use client';

import { useMemo } from 'react';
import { PathLayer } from '@deck.gl/layers';
import type { UnitTrace } from '@/lib/contracts/history';
import { tailAt } from '@/lib/history/trace';
import { useMap } from '@/app/map/core/context';
import { BEFORE } from '@/app/map/core/style';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';
import { KIND_RGB, UNKNOWN_RGB, type Rgb } from '@/app/wall/palette';

const ID = 'replay-trails';

interface Tail {
  rgb: Rgb;
  path: [number, number][];
}

/** The path each unit walked in the last `tailMs` of replay time, faint, under the labels (as the live trails). */
export default function ReplayTrailsLayer({ units, t, tailMs }: { units: readonly UnitTrace[]; t: number; tailMs: number }) {
  const { scale } = useMap();
  const layer = useMemo(() => {
    const tails = units.flatMap((u): Tail[] => {
      const path = tailAt(u.points, t, tailMs);
      return path.length > 1 ? [{ rgb: (KIND_RGB as Record<string, Rgb>)[u.kind] ?? UNKNOWN_RGB, path }] : [];
    });
    if (tails.length === 0) return null;
    return new PathLayer<Tail, DeckSlot>({
      id: ID,
      data: tails,
      getPath: (d) => d.path,
      getColor: (d) => [...d.rgb, 150],
      getWidth: 2.5 * scale,
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
      beforeId: BEFORE.gridLabel,
    });
  }, [units, t, tailMs, scale]);
  useDeckLayer(ID, layer);
  return null;
}
