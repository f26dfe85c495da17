import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';

/*
 * A minimal style for a vector PMTiles basemap (issue 13): land, water, roads, buildings and
 * administrative boundaries, in quiet tones under the wall's dark background so our own lines and
 * dots stay what the eye finds first. Written for both common schemas — Protomaps' (earth, water,
 * roads, buildings, boundaries) and OpenMapTiles' (water, transportation, building, boundary); a
 * layer whose source-layer an archive lacks simply draws nothing. No text and no icons: the style
 * may name no glyphs or sprite on another host, and our own layers label towns and villages.
 */

export const BASEMAP_COLORS = {
  land: '#0b1829',
  water: '#0d2b47',
  building: '#12233a',
  roadMinor: '#1a2f48',
  roadMajor: '#27466a',
  boundary: '#3d5c80',
} as const;

const MAJOR_PROTOMAPS = ['highway', 'major_road'];
const MAJOR_OMT = ['motorway', 'trunk', 'primary', 'secondary'];

const width = (scale: number, z10: number, z16: number): ExpressionSpecification =>
  ['interpolate', ['exponential', 1.6], ['zoom'], 10, z10 * scale, 16, z16 * scale];

function roads(id: string, sourceLayer: string, key: string, major: string[], scale: number): LayerSpecification[] {
  const isMajor: ExpressionSpecification = ['in', ['get', key], ['literal', major]];
  return [
    { id: `${id}-minor`, type: 'line', source: 'basemap', 'source-layer': sourceLayer, minzoom: 12, filter: ['!', isMajor],
      layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': BASEMAP_COLORS.roadMinor, 'line-width': width(scale, 0.4, 3) } },
    { id: `${id}-major`, type: 'line', source: 'basemap', 'source-layer': sourceLayer, filter: isMajor,
      layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': BASEMAP_COLORS.roadMajor, 'line-width': width(scale, 0.8, 6) } },
  ];
}

/** The layers, bottom to top, all on the source `basemap`; `scale` as in app/map/core/style.ts. */
export function vectorBasemapLayers(scale: number): LayerSpecification[] {
  return [
    { id: 'basemap-earth', type: 'fill', source: 'basemap', 'source-layer': 'earth', paint: { 'fill-color': BASEMAP_COLORS.land } },
    { id: 'basemap-water', type: 'fill', source: 'basemap', 'source-layer': 'water', paint: { 'fill-color': BASEMAP_COLORS.water } },
    { id: 'basemap-buildings', type: 'fill', source: 'basemap', 'source-layer': 'buildings', minzoom: 14, paint: { 'fill-color': BASEMAP_COLORS.building } },
    { id: 'basemap-building', type: 'fill', source: 'basemap', 'source-layer': 'building', minzoom: 14, paint: { 'fill-color': BASEMAP_COLORS.building } },
    ...roads('basemap-roads', 'roads', 'kind', MAJOR_PROTOMAPS, scale),
    ...roads('basemap-transportation', 'transportation', 'class', MAJOR_OMT, scale),
    { id: 'basemap-boundaries', type: 'line', source: 'basemap', 'source-layer': 'boundaries',
      paint: { 'line-color': BASEMAP_COLORS.boundary, 'line-width': 1 * scale, 'line-dasharray': [3, 2] } },
    { id: 'basemap-boundary', type: 'line', source: 'basemap', 'source-layer': 'boundary', filter: ['<=', ['get', 'admin_level'], 8],
      paint: { 'line-color': BASEMAP_COLORS.boundary, 'line-width': 1 * scale, 'line-dasharray': [3, 2] } },
  ];
}

/*
 * Raster tiles (天地图, an imagery extract) are drawn for daylight: dimmed and desaturated they sit
 * under the dark wall instead of outshining it.
 */
export const RASTER_PAINT = { 'raster-brightness-max': 0.5, 'raster-saturation': -0.35, 'raster-fade-duration': 0 } as const;
