/**
 * OGC-style validity check (the subset PostGIS' ST_IsValid enforces that our
 * pipeline can break), done in exact integer micro-degrees so that "touching"
 * versus "crossing" is decided without floating-point doubt. turf.kinks is not
 * enough: it flags legal hole-touches-shell points and misses shared edges
 * between parts of a MultiPolygon.
 */
import type { MultiPoly, Pt, Ring } from './types';

type IPt = [number, number];
const toInt = ([x, y]: Pt): IPt => [Math.round(x * 1e6), Math.round(y * 1e6)];

/** Exact while coordinate spans stay below ~4e7 µ° (40°): products < 2^53. */
const orient = (a: IPt, b: IPt, c: IPt): number => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));

const onSegment = (a: IPt, b: IPt, p: IPt): boolean =>
  Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);

type Contact = 'none' | 'touch' | 'cross' | 'overlap';

function contact(a: IPt, b: IPt, c: IPt, d: IPt): Contact {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 === 0 && o2 === 0) {
    // Collinear: overlapping by more than a point means a shared edge piece.
    const ax = a[0] !== b[0] ? 0 : 1;
    const [s0, s1] = [Math.min(a[ax], b[ax]), Math.max(a[ax], b[ax])];
    const [t0, t1] = [Math.min(c[ax], d[ax]), Math.max(c[ax], d[ax])];
    const lo = Math.max(s0, t0), hi = Math.min(s1, t1);
    return hi > lo ? 'overlap' : hi === lo ? 'touch' : 'none';
  }
  if (o1 * o2 < 0 && o3 * o4 < 0) return 'cross';
  if ((o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b))) return 'touch';
  return 'none';
}

interface Seg {
  a: IPt;
  b: IPt;
  poly: number;
  ring: number;
  idx: number;
  n: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Strictly-inside test on integer coords; boundary returns false. */
function strictlyInside(p: IPt, ring: IPt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    if (orient(ring[j], ring[i], p) === 0 && onSegment(ring[j], ring[i], p)) return false;
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function ringIssue(r: Ring): string | null {
  if (r.length < 4) return 'too few points';
  const f = r[0], l = r[r.length - 1];
  if (f[0] !== l[0] || f[1] !== l[1]) return 'ring not closed';
  for (let i = 1; i < r.length; i++) if (r[i][0] === r[i - 1][0] && r[i][1] === r[i - 1][1]) return 'repeated point';
  return null;
}

/** Returns a human-readable reason, or null when the MultiPolygon is valid. */
export function validityIssue(mp: MultiPoly): string | null {
  if (mp.length === 0) return 'empty';
  const rings: IPt[][][] = [];
  const segs: Seg[] = [];
  for (let pi = 0; pi < mp.length; pi++) {
    rings.push([]);
    for (let ri = 0; ri < mp[pi].length; ri++) {
      const issue = ringIssue(mp[pi][ri]);
      if (issue) return `${issue} (part ${pi}, ring ${ri})`;
      const ir = mp[pi][ri].map(toInt);
      rings[pi].push(ir);
      const n = ir.length - 1;
      for (let i = 0; i < n; i++) {
        const a = ir[i], b = ir[i + 1];
        segs.push({ a, b, poly: pi, ring: ri, idx: i, n, x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]), y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]) });
      }
    }
  }

  segs.sort((s, t) => s.x0 - t.x0);
  const active: Seg[] = [];
  for (const s of segs) {
    for (let k = active.length - 1; k >= 0; k--) if (active[k].x1 < s.x0) active.splice(k, 1);
    for (const t of active) {
      if (t.y1 < s.y0 || s.y1 < t.y0) continue;
      const c = contact(s.a, s.b, t.a, t.b);
      if (c === 'none') continue;
      const at = `${s.a[0] / 1e6} ${s.a[1] / 1e6}`;
      if (s.poly === t.poly && s.ring === t.ring) {
        const d = Math.abs(s.idx - t.idx);
        const adjacent = d === 1 || d === s.n - 1;
        if (adjacent && c === 'touch') continue;
        return `ring self-intersection near ${at}`;
      }
      if (c === 'cross' || c === 'overlap') return `${s.poly === t.poly ? 'rings' : 'parts'} ${c} near ${at}`;
    }
    active.push(s);
  }

  // No edge crossings remain, so one vertex per ring decides nesting. Touch
  // points sit on the boundary, hence the "any vertex strictly inside" form.
  for (let pi = 0; pi < rings.length; pi++) {
    const [shell, ...holes] = rings[pi];
    for (let hi = 0; hi < holes.length; hi++) {
      if (holes[hi].some((p) => !strictlyInside(p, shell) && !onRing(p, shell))) return `hole outside shell (part ${pi})`;
      for (let hj = 0; hj < holes.length; hj++) {
        if (hi !== hj && holes[hi].some((p) => strictlyInside(p, holes[hj]))) return `nested holes (part ${pi})`;
      }
    }
    for (let pj = 0; pj < rings.length; pj++) {
      if (pi === pj) continue;
      const other = rings[pj];
      if (shell.some((p) => strictlyInside(p, other[0]) && !other.slice(1).some((h) => strictlyInside(p, h) || onRing(p, h)))) {
        return `part ${pi} inside part ${pj}`;
      }
    }
  }
  return null;
}

function onRing(p: IPt, ring: IPt[]): boolean {
  for (let i = 1; i < ring.length; i++) if (orient(ring[i - 1], ring[i], p) === 0 && onSegment(ring[i - 1], ring[i], p)) return true;
  return false;
}
