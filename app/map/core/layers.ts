import type { FeatureCollection, GeoJSON } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

export const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * Undoes a layer file's additions. Tolerates a map already removed: React may run a parent's
 * cleanup (map.remove()) before its children's when the whole view unmounts at once.
 */
export function removeAll(map: MapLibreMap, layerIds: readonly string[], sourceIds: readonly string[]): void {
  if (!map.style) return;
  for (const id of layerIds) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of sourceIds) if (map.getSource(id)) map.removeSource(id);
}

/** Pushes data into a GeoJSON source, if the source is (still) there. */
export function setSourceData(map: MapLibreMap, sourceId: string, data: GeoJSON | null): void {
  if (!map.style) return;
  map.getSource<GeoJSONSource>(sourceId)?.setData(data ?? EMPTY);
}
