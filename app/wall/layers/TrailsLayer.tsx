'use client';

import { useEffect } from 'react';
import { PathLayer } from '@deck.gl/layers';
import { useMap } from '@/app/map/core/context';
import { BEFORE } from '@/app/map/core/style';
import type { DeckSlot } from '@/app/map/core/useDeckLayer';
import type { LiveStore } from '@/app/live/store';
import { trailGeometry } from './trailGeometry';

const ID = 'unit-trails';
/** Trails are context, not news: rebuilt every few seconds, not per tick. */
const REBUILD_MS = 3000;
/** Even with nothing new, old points must fall off the end of the window. */
const AGE_OUT_MS = 30_000;

/** The last ten minutes of every moving unit: faint lines in its kind's colour, under the labels. */
export default function TrailsLayer({ store, visible }: { store: LiveStore; visible: boolean }) {
  const { setDeckLayer, scale } = useMap();

  useEffect(() => {
    if (!visible) return;
    let seen = -1;
    let builtAt = Number.NEGATIVE_INFINITY;
    const build = () => {
      const t = store.table;
      const now = performance.now();
      if (t.posVersion === seen && now - builtAt < AGE_OUT_MS) return;
      seen = t.posVersion;
      builtAt = now;
      const g = trailGeometry(t, store.serverNow());
      // deck.gl's type for binary data omits startIndices, which PathLayer reads; hence not inline.
      const data = {
        length: g.length,
        startIndices: g.startIndices,
        attributes: { getPath: { value: g.positions, size: 2 }, getColor: { value: g.colors, size: 4 } },
      };
      setDeckLayer(ID, new PathLayer<unknown, DeckSlot>({
        id: ID,
        data,
        // Binary paths are taken as given: no loop detection pass over every vertex.
        _pathType: 'open',
        widthUnits: 'pixels',
        getWidth: 2 * scale,
        jointRounded: true,
        capRounded: true,
        beforeId: BEFORE.gridLabel,
      }));
    };
    build();
    const timer = setInterval(build, REBUILD_MS);
    return () => {
      clearInterval(timer);
      setDeckLayer(ID, null);
    };
  }, [store, visible, scale, setDeckLayer]);

  return null;
}
