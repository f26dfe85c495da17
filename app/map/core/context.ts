'use client';

import { createContext, useContext } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Layer } from '@deck.gl/core';

export type MapContextValue = {
  map: MapLibreMap;
  /** Root font size / 16: line widths and label sizes follow the page, so 4K looks like 1080p. */
  scale: number;
  /** Adds, replaces (same id) or, with null, removes one deck.gl layer on the shared overlay. */
  setDeckLayer: (id: string, layer: Layer | null) => void;
};

export const MapContext = createContext<MapContextValue | null>(null);

export function useMap(): MapContextValue {
  const value = useContext(MapContext);
  if (!value) throw new Error('useMap() outside <MapView>');
  return value;
}
