import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LiveStore } from '@/app/live/store';

declare global {
  interface Window {
    /** For e2e tests: the console's live store, the selected event's id (null: none), and its map once loaded. */
    __console?: { store?: LiveStore; selected?: number | null; map?: MapLibreMap };
  }
}

export {};
