'use client';

import { useMemo } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { SnapshotV1 } from '@/lib/contracts/history';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer, type DeckSlot } from '@/app/map/core/useDeckLayer';

const ID = 'history-snapshot';
type Fix = SnapshotV1['units'][number];

/** "Where was everyone at 14:05": each unit's last fix then, as a white-ringed dot. */
export default function SnapshotLayer({ snapshot }: { snapshot: SnapshotV1 | null }) {
  const { scale } = useMap();
  const layer = useMemo(() => {
    if (!snapshot || snapshot.units.length === 0) return null;
    return new ScatterplotLayer<Fix, DeckSlot>({
      id: ID,
      data: snapshot.units,
      getPosition: (u) => [u.lon, u.lat],
      getFillColor: [255, 64, 129, 230],
      getLineColor: [255, 255, 255, 255],
      getRadius: 6 * scale,
      getLineWidth: 2 * scale,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
    });
  }, [snapshot, scale]);
  useDeckLayer(ID, layer);
  return null;
}
