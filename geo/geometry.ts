/**
 * Planar helpers in lon/lat degrees. Areas here are deg² and only used for
 * relative decisions (sliver removal, sampling); reported figures use turf.area.
 */
import { intersect, featureCollection, multiPolygon } from '@turf/turf';
import type { Geometry } from 'geojson';
import type { MultiPoly, Poly, Pt, Ring } from './types';
import { validityIssue } from './validity';

/** Output precision: 1e-6° ≈ 0.1 m, far below the ~100 m grain of the source outline. */
export const DECIMALS = 6;
const SCALE = 10 ** DECIMALS;
/** Parts or holes below this (≈1 m²) are numerical debris from clipping, not geography. */
export const MIN_PART_AREA = 1e-10;

export const round = (v: number): number => Math.round(v * SCALE) / SCALE;

export function ringArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}

export function polyArea(p: Poly): number {
  return p.reduce((s, r, i) => s + (i === 0 ? 1 : -1) * Math.abs(ringArea(r)), 0);
}

export function multiArea(mp: MultiPoly): number {
  return mp.reduce((s, p) => s + polyArea(p), 0);
}

export function bbox(mp: MultiPoly): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of mp) for (const [x, y] of p[0]) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd test; boundary points may go either way, which sampling tolerates. */
export function pointInMulti(pt: Pt, mp: MultiPoly): boolean {
  for (const p of mp) {
    if (!inRing(pt[0], pt[1], p[0])) continue;
    if (!p.slice(1).some((h) => inRing(pt[0], pt[1], h))) return true;
  }
  return false;
}

const samePt = (a: Pt, b: Pt): boolean => a[0] === b[0] && a[1] === b[1];

/**
 * Rounds a ring and removes what rounding and the source's 1/1024° quantisation
 * leave behind: repeated points and zero-width spikes (A→B→A).
 */
function cleanRing(ring: Ring): Ring | null {
  const pts: Pt[] = [];
  for (const [x, y] of ring) {
    const p: Pt = [round(x), round(y)];
    if (pts.length === 0 || !samePt(pts[pts.length - 1], p)) pts.push(p);
  }
  while (pts.length > 1 && samePt(pts[0], pts[pts.length - 1])) pts.pop();
  let changed = true;
  while (changed && pts.length >= 3) {
    changed = false;
    for (let i = 0; i < pts.length && pts.length >= 3; i++) {
      const prev = pts[(i - 1 + pts.length) % pts.length];
      const next = pts[(i + 1) % pts.length];
      if (samePt(prev, next)) {
        // Drop the spike tip and one copy of its base.
        pts.splice(i, 1);
        pts.splice(i % pts.length, 1);
        changed = true;
      } else if (samePt(pts[i], next)) {
        pts.splice(i, 1);
        changed = true;
      }
    }
  }
  if (pts.length < 3) return null;
  const closed: Ring = [...pts, [pts[0][0], pts[0][1]]];
  return Math.abs(ringArea(closed)) < MIN_PART_AREA ? null : closed;
}

/** Rounds to output precision and drops degenerate rings and sliver parts. */
export function cleanMulti(mp: MultiPoly, minPartArea = MIN_PART_AREA, minHoleArea = MIN_PART_AREA): MultiPoly {
  const out: MultiPoly = [];
  for (const p of mp) {
    const shell = cleanRing(p[0]);
    if (!shell) continue;
    const holes = p
      .slice(1)
      .map(cleanRing)
      .filter((h): h is Ring => h !== null && Math.abs(ringArea(h)) >= minHoleArea);
    const poly: Poly = [shell, ...holes];
    if (polyArea(poly) >= minPartArea) out.push(poly);
  }
  return out;
}

/** Accepts whatever turf/polyclip hands back (incl. null and collections) as a MultiPolygon. */
export function toMulti(g: Geometry | null | undefined): MultiPoly {
  if (!g) return [];
  switch (g.type) {
    case 'Polygon':
      return [g.coordinates as Poly];
    case 'MultiPolygon':
      return g.coordinates as MultiPoly;
    case 'GeometryCollection':
      return g.geometries.flatMap((x) => toMulti(x));
    default:
      return [];
  }
}

export const asFeature = (mp: MultiPoly) => multiPolygon(mp);

export function intersectMulti(a: MultiPoly, b: MultiPoly): MultiPoly {
  if (a.length === 0 || b.length === 0) return [];
  return toMulti(intersect(featureCollection([multiPolygon(a), multiPolygon(b)]))?.geometry);
}

function bboxRing([x0, y0, x1, y1]: [number, number, number, number], pad: number): Ring {
  return [[x0 - pad, y0 - pad], [x1 + pad, y0 - pad], [x1 + pad, y1 + pad], [x0 - pad, y1 + pad], [x0 - pad, y0 - pad]];
}

/**
 * Rounding can nudge a vertex across a neighbouring edge. polyclip resolves any
 * such crossing into a valid noded geometry; re-rounding its output rarely
 * creates new ones, so a few passes converge. Fails loudly rather than emitting
 * a geometry PostGIS would reject.
 */
export function makeValid(
  mp: MultiPoly,
  label: string,
  minPartArea = MIN_PART_AREA,
  minHoleArea = MIN_PART_AREA,
  parent?: ParentEdges,
): MultiPoly {
  const snap = (g: MultiPoly) => (parent ? parent.snapAll(g) : g);
  let cur = cleanMulti(snap(mp), minPartArea, minHoleArea);
  for (let pass = 0; pass < 6; pass++) {
    const issue = validityIssue(cur);
    if (!issue) return cur;
    if (cur.length === 0) break;
    // Intersecting with a covering frame makes polyclip re-node the rings.
    const frame = multiPolygon([[bboxRing(bbox(cur), 1)]]);
    const noded = toMulti(intersect(featureCollection([multiPolygon(cur), frame]))?.geometry);
    cur = cleanMulti(snap(noded), minPartArea, minHoleArea);
  }
  const issue = validityIssue(cur);
  if (issue || cur.length === 0) throw new Error(`${label}: could not produce a valid geometry (${issue ?? 'empty'})`);
  return cur;
}

/** Area-weighted centroid (planar); may fall outside a concave or multi-part shape. */
export function multiCentroid(mp: MultiPoly): Pt {
  let a = 0, cx = 0, cy = 0;
  for (const p of mp) {
    p.forEach((r, ri) => {
      const sign = (ri === 0 ? 1 : -1) * Math.sign(ringArea(r));
      for (let i = 0; i < r.length - 1; i++) {
        const f = r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
        a += sign * f;
        cx += sign * (r[i][0] + r[i + 1][0]) * f;
        cy += sign * (r[i][1] + r[i + 1][1]) * f;
      }
    });
  }
  return [cx / (3 * a), cy / (3 * a)];
}

type Edge = { a: Pt; b: Pt; interiorLeft: boolean };

/**
 * Rounding a point that lies on a parent edge moves it off that edge by up to
 * 0.7e-6°; along a kilometre-long edge that is a sliver outside the parent of
 * ~0.01 % of a small grid, and PostGIS' ST_CoveredBy fails. Instead such points
 * snap to the nearest 1e-6 lattice point strictly on the parent's inner side
 * ("on the line" in decimal is not on it in binary doubles, so GEOS could
 * still call it outside). Points within a few lattice steps of a parent vertex
 * snap onto that vertex. Neighbouring siblings snap a shared point the same
 * way, so they still meet without overlap.
 */
export class ParentEdges {
  private readonly buckets = new Map<string, Edge[]>();
  private static readonly CELL = 0.002;
  private static readonly ON_EDGE = 1e-9;
  private static readonly NEAR_VERTEX = 3e-6;

  constructor(parent: MultiPoly) {
    for (const p of parent) {
      p.forEach((r, ri) => {
        const ccw = ringArea(r) > 0;
        const interiorLeft = ri === 0 ? ccw : !ccw;
        for (let i = 0; i < r.length - 1; i++) {
          const e: Edge = { a: r[i], b: r[i + 1], interiorLeft };
          const pad = ParentEdges.NEAR_VERTEX;
          const [cx0, cy0] = this.cellOf([Math.min(e.a[0], e.b[0]) - pad, Math.min(e.a[1], e.b[1]) - pad]);
          const [cx1, cy1] = this.cellOf([Math.max(e.a[0], e.b[0]) + pad, Math.max(e.a[1], e.b[1]) + pad]);
          for (let cx = cx0; cx <= cx1; cx++) for (let cy = cy0; cy <= cy1; cy++) {
            const key = `${cx},${cy}`;
            const list = this.buckets.get(key);
            if (list) list.push(e);
            else this.buckets.set(key, [e]);
          }
        }
      });
    }
  }

  private cellOf([x, y]: Pt): [number, number] {
    return [Math.floor(x / ParentEdges.CELL), Math.floor(y / ParentEdges.CELL)];
  }

  snap(p: Pt): Pt {
    const [cx, cy] = this.cellOf(p);
    const near = this.buckets.get(`${cx},${cy}`) ?? [];
    let vertex: Pt | null = null, vertexD = ParentEdges.NEAR_VERTEX;
    let edge: Edge | null = null;
    for (const e of near) {
      for (const v of [e.a, e.b]) {
        const d = Math.hypot(v[0] - p[0], v[1] - p[1]);
        if (d < vertexD) {
          vertexD = d;
          vertex = v;
        }
      }
      if (!edge && segDist(p, e.a, e.b) < ParentEdges.ON_EDGE) edge = e;
    }
    if (vertex) return [vertex[0], vertex[1]];
    if (!edge) return [round(p[0]), round(p[1])];
    const ix = Math.round(p[0] * SCALE), iy = Math.round(p[1] * SCALE);
    const [ax, ay, bx, by] = [edge.a[0], edge.a[1], edge.b[0], edge.b[1]].map((v) => Math.round(v * SCALE));
    let best: Pt | null = null, bestD = Infinity;
    // A 3×3 neighbourhood always holds a lattice point strictly inside, even when the edge runs along a lattice line.
    for (let qx = ix - 1; qx <= ix + 1; qx++) for (let qy = iy - 1; qy <= iy + 1; qy++) {
      const side = Math.sign((bx - ax) * (qy - ay) - (by - ay) * (qx - ax));
      if (edge.interiorLeft ? side <= 0 : side >= 0) continue;
      const q: Pt = [qx / SCALE, qy / SCALE];
      const d = (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = q;
      }
    }
    return best ?? [round(p[0]), round(p[1])];
  }

  snapAll(mp: MultiPoly): MultiPoly {
    return mp.map((poly) => poly.map((ring) => ring.map((pt) => this.snap(pt))));
  }
}

export function segDist(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
