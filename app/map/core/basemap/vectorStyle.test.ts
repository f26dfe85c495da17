import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { baseStyle } from '../style';
import { RASTER_PAINT, vectorBasemapLayers } from './vectorStyle';

describe('the built-in vector basemap style (issue 13)', () => {
  const layers = vectorBasemapLayers(2);

  it('is a valid MapLibre style beside ours, with no glyphs, sprite or text to fetch off-origin', () => {
    const style = { ...baseStyle(), sources: { basemap: { type: 'vector' as const, url: 'pmtiles:///api/v1/basemap/tiles.pmtiles' } }, layers: [...baseStyle().layers, ...layers] };
    expect(validateStyleMin(style)).toEqual([]);
    expect(style).not.toHaveProperty('glyphs');
    expect(style).not.toHaveProperty('sprite');
    expect(layers.filter((l) => l.type === 'symbol')).toEqual([]);
  });

  it('draws land, water, roads and boundaries of both common schemas, all from the one source', () => {
    const sourceLayers = new Set(layers.map((l) => ('source-layer' in l ? l['source-layer'] : null)));
    for (const s of ['earth', 'water', 'roads', 'boundaries', 'transportation', 'boundary']) expect(sourceLayers).toContain(s);
    expect(new Set(layers.map((l) => ('source' in l ? l.source : null)))).toEqual(new Set(['basemap']));
  });

  it('dims raster tiles under the dark wall', () => {
    const style = { ...baseStyle(), sources: { basemap: { type: 'raster' as const, tiles: ['/t/{z}/{x}/{y}.png'], tileSize: 256 } },
      layers: [{ id: 'basemap-raster', type: 'raster' as const, source: 'basemap', paint: RASTER_PAINT }] };
    expect(validateStyleMin(style)).toEqual([]);
    expect(RASTER_PAINT['raster-brightness-max']).toBeLessThan(1);
  });
});
