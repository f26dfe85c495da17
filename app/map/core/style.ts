import type { ExpressionSpecification, StyleSpecification, SymbolLayerSpecification } from 'maplibre-gl';

/*
 * The command room is air-gapped: the style may reference nothing outside this page. With no
 * `glyphs` URL, MapLibre (>= 5.11) draws every label with TinySDF from the fonts the browser has,
 * treating `text-font` as a CSS font-family list — see the style spec, `glyphs`: "omit to use local
 * fonts". No `sprite` either: markers are circle layers, not icons.
 */

/** The same stack as the page's CSS, so map labels and panels use one face. */
export const CJK_FONTS = ['PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei'];

/** CSS form of CJK_FONTS, for `localIdeographFontFamily`. */
export const CJK_FONT_FAMILY = `${CJK_FONTS.map((f) => `"${f}"`).join(',')},sans-serif`;

/*
 * MapLibre reads the weight from the FIRST name of a local stack (`/bold/i` → 700). A name no system
 * has costs nothing: the browser falls through to the real faces behind it, drawn at that weight.
 */
export const FONT_REGULAR = CJK_FONTS;
export const FONT_BOLD = ['Liandong Bold', ...CJK_FONTS];

export const COLORS = {
  background: '#07101f',
  district: '#4fd8ff',
  townFill: '#15406b',
  townLine: '#3f86c9',
  villageLine: '#2d6796',
  gridLine: '#6f93b8',
  label: '#d7e7f7',
  labelMuted: '#9bb3cc',
  halo: '#07101f',
  station: '#ffb020',
  stationRing: '#fff4d6',
} as const;

/*
 * Layer files mount in whatever order React runs their effects, so stacking can't rely on order of
 * addition. A hidden background layer closes each band, bottom to top; a layer joins a band by being
 * added before its marker: `map.addLayer(layer, BEFORE.town)`. Symbol placement runs top-down, so
 * the label bands also set who wins a collision: towns (few, and what orients a viewer), then
 * stations, villages, grids.
 */
const BANDS = [
  'fill', 'grid', 'village', 'town', 'district',
  'gridLabel', 'villageLabel', 'station', 'stationLabel', 'townLabel',
] as const;
export type Band = (typeof BANDS)[number];
export const BEFORE = Object.fromEntries(BANDS.map((b) => [b, `band-${b}`])) as Record<Band, string>;

/** A dark background and the band markers; each layer file adds its own source and layers. */
export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'liandong-wall',
    sources: {},
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': COLORS.background } },
      ...BANDS.map((b) => ({ id: BEFORE[b], type: 'background' as const, layout: { visibility: 'none' as const } })),
    ],
  };
}

type Stops = readonly (readonly [zoom: number, value: number])[];

/*
 * Zooms and sizes in this codebase are written for a 1080p screen. A screen `scale` times larger
 * frames the same district log2(scale) zoom levels deeper, so a 4K wall shows the 1080p picture,
 * sharper, rather than a busier one with smaller type.
 */
export function atZoom(scale: number, zoom: number): number {
  return zoom + Math.log2(scale);
}

/** A zoom ramp of unitless values (opacity). */
export function ramp(scale: number, stops: Stops): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], ...stops.flatMap(([z, v]) => [atZoom(scale, z), v])];
}

/** A zoom ramp of sizes in CSS px, grown with the screen. */
export function sized(scale: number, stops: Stops): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], ...stops.flatMap(([z, px]) => [atZoom(scale, z), px * scale])];
}

/** Layout and paint of an area-name label, from a point source whose features carry `name`. */
export function nameLabel(
  scale: number,
  stops: Stops,
  options: { bold?: boolean; color?: string; spacing?: number } = {},
): Pick<SymbolLayerSpecification, 'layout' | 'paint'> {
  return {
    layout: {
      'text-field': ['get', 'name'],
      'text-font': options.bold ? FONT_BOLD : FONT_REGULAR,
      'text-size': sized(scale, stops),
      'text-letter-spacing': options.spacing ?? 0.05,
      'text-max-width': 8,
      'text-padding': 4 * scale,
    },
    paint: {
      'text-color': options.color ?? COLORS.label,
      'text-halo-color': COLORS.halo,
      'text-halo-width': 1.5 * scale,
      'text-halo-blur': 0.5 * scale,
    },
  };
}
