'use client';

import { useEffect } from 'react';
import type { Layer } from '@deck.gl/core';
import { useMap } from './context';

/**
 * Props the interleaved overlay reads off any deck.gl layer; pass as the layer's extra-props type
 * parameter, e.g. `new ScatterplotLayer<Row, DeckSlot>({ …, beforeId: BEFORE.station })`, to put
 * the layer in a band of the MapLibre stack (see style.ts).
 */
export type DeckSlot = { beforeId?: string };

/** Keeps one deck.gl layer on the shared overlay while the calling component is mounted. */
export function useDeckLayer(id: string, layer: Layer | null): void {
  const { setDeckLayer } = useMap();
  useEffect(() => {
    setDeckLayer(id, layer);
  }, [id, layer, setDeckLayer]);
  useEffect(() => () => setDeckLayer(id, null), [id, setDeckLayer]);
}
