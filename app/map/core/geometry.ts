import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

export type Bounds = [[number, number], [number, number]];
type Area = Polygon | MultiPolygon;

function polygonsOf(geometry: Area): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Bounding box of every area in the collection, or null when it holds none. */
export function boundsOf(fc: FeatureCollection<Area>): Bounds | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const f of fc.features) {
    if (!f.geometry) continue;
    for (const polygon of polygonsOf(f.geometry)) {
      for (const [x, y] of polygon[0] ?? []) {
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      }
    }
  }
  return w <= e && s <= n ? [[w, s], [e, n]] : null;
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(sum / 2);
}

/** Signed distance from (x, y) to the polygon's edges: positive inside, negative outside. */
function signedDistance(x: number, y: number, polygon: Position[][]): number {
  let inside = false;
  let min = Infinity;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[j];
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      let dx = bx - ax, dy = by - ay;
      const t = dx || dy ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy))) : 0;
      dx = x - (ax + t * dx);
      dy = y - (ay + t * dy);
      min = Math.min(min, dx * dx + dy * dy);
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(min);
}

type Cell = { x: number; y: number; h: number; d: number; max: number };

function cell(x: number, y: number, h: number, polygon: Position[][]): Cell {
  const d = signedDistance(x, y, polygon);
  return { x, y, h, d, max: d + h * Math.SQRT2 };
}

/** Binary heap of cells, most promising (largest `max`) first. */
class MaxHeap {
  private items: Cell[] = [];
  push(item: Cell): void {
    const a = this.items;
    let i = a.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].max >= a[i].max) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): Cell | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (!a.length || !last) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < a.length && a[l].max > a[m].max) m = l;
      if (r < a.length && a[r].max > a[m].max) m = r;
      if (m === i) return top;
      [a[m], a[i]] = [a[i], a[m]];
      i = m;
    }
  }
}

/**
 * The point inside the polygon farthest from its edges (Mapbox's polylabel), where a name reads as
 * belonging to the area. Centroids fall outside concave villages; MapLibre's own polygon labels
 * repeat on every tile the polygon crosses.
 */
function poleOfInaccessibility(polygon: Position[][]): Position {
  const outer = polygon[0];
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of outer) {
    w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
  }
  const size = Math.min(e - w, n - s);
  if (!(size > 0)) return outer[0];
  const precision = Math.max(e - w, n - s) / 200;
  let best = cell((w + e) / 2, (s + n) / 2, 0, polygon);
  const queue = new MaxHeap();
  for (let x = w; x < e; x += size) {
    for (let y = s; y < n; y += size) queue.push(cell(x + size / 2, y + size / 2, size / 2, polygon));
  }
  for (let c = queue.pop(); c; c = queue.pop()) {
    if (c.d > best.d) best = c;
    if (c.max - best.d <= precision) continue;
    const h = c.h / 2;
    queue.push(cell(c.x - h, c.y - h, h, polygon));
    queue.push(cell(c.x + h, c.y - h, h, polygon));
    queue.push(cell(c.x - h, c.y + h, h, polygon));
    queue.push(cell(c.x + h, c.y + h, h, polygon));
  }
  return [best.x, best.y];
}

/** One label point per area, in its largest part, carrying the area's properties. */
export function labelPoints<P>(fc: FeatureCollection<Area, P>): FeatureCollection<Point, P> {
  const features: Feature<Point, P>[] = [];
  for (const f of fc.features) {
    if (!f.geometry) continue;
    let largest: Position[][] | null = null;
    let largestArea = -1;
    for (const polygon of polygonsOf(f.geometry)) {
      const area = polygon[0] ? ringArea(polygon[0]) : 0;
      if (area > largestArea) { largest = polygon; largestArea = area; }
    }
    if (!largest?.[0]?.length) continue;
    features.push({ type: 'Feature', properties: f.properties, geometry: { type: 'Point', coordinates: poleOfInaccessibility(largest) } });
  }
  return { type: 'FeatureCollection', features };
}
