import { distanceM } from '../geo/distance';

/** [lon, lat] in WGS 84, as GeoJSON has it. */
export type LonLat = readonly [number, number];
/** A GeoJSON MultiPolygon's coordinates: polygons of rings (outer first, then holes). */
export type Area = readonly (readonly (readonly LonLat[])[])[];

const RAD = Math.PI / 180;

/**
 * Even-odd over every ring of every polygon: holes and disjoint parts come out right without
 * telling them apart. Edges are straight in lon/lat, as PostGIS geometry has them, so this agrees
 * with ST_Intersects on the same polygon.
 */
export function insideArea(area: Area, p: LonLat): boolean {
  let inside = false;
  const [x, y] = p;
  for (const polygon of area)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

function orient(a: LonLat, b: LonLat, c: LonLat): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function withinBox(a: LonLat, b: LonLat, c: LonLat): boolean {
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
}

/** Closed segments: touching at an end or overlapping counts as meeting. */
export function segmentsMeet(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  return (o1 === 0 && withinBox(a, b, c)) || (o2 === 0 && withinBox(a, b, d)) || (o3 === 0 && withinBox(c, d, a)) || (o4 === 0 && withinBox(c, d, b));
}

/**
 * Whether walking straight from a to b stays inside: with both ends strictly inside, a segment
 * that meets no edge never leaves. Grids are not convex, so two inside points are not enough.
 */
export function segmentInside(area: Area, a: LonLat, b: LonLat): boolean {
  if (!insideArea(area, a) || !insideArea(area, b)) return false;
  for (const polygon of area)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) if (segmentsMeet(a, b, ring[j], ring[i])) return false;
  return true;
}

export function lerp(a: LonLat, b: LonLat, f: number): LonLat {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

export function metres(a: LonLat, b: LonLat): number {
  return distanceM(a[0], a[1], b[0], b[1]);
}

/** Degrees clockwise from north in [0, 360), on the local plane (exact enough over a district). */
export function bearing(a: LonLat, b: LonLat): number {
  const dx = (b[0] - a[0]) * Math.cos(((a[1] + b[1]) / 2) * RAD);
  const dy = b[1] - a[1];
  const deg = Math.atan2(dx, dy) / RAD;
  return deg < 0 ? deg + 360 : deg;
}
