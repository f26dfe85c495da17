/**
 * Splits a parent area into k children of prescribed area shares.
 *
 * Plain Voronoi of k-means centres gives roughly equal areas; we need areas
 * proportional to e.g. village counts, so sites carry weights and cells are
 * those of a power diagram (still straight-edged, still a tiling). Sites and
 * weights are fitted on lattice points inside the parent (a discrete
 * capacity-constrained Lloyd iteration), which keeps cells compact and
 * guarantees every child owns part of the parent. The exact cells are then
 * built by half-plane clipping and intersected with the parent polygon.
 */
import { featureCollection, union } from '@turf/turf';
import { asFeature, bbox, intersectMulti, makeValid, MIN_PART_AREA, multiArea, ParentEdges, pointInMulti, polyArea, segDist, toMulti } from './geometry';
import { type Rng } from './prng';
import type { MultiPoly, Poly, Pt, Ring } from './types';

export interface PartitionOptions {
  /** Relative target areas, one per child; need not sum to 1. */
  shares: number[];
  rng: Rng;
  label: string;
  /** Lattice points per child used to fit sites and weights. */
  samplesPerChild?: number;
  iterations?: number;
}

export interface PartitionResult {
  children: MultiPoly[];
  /** Each child's share of the parent's area divided by its target share; 1 is perfect. */
  areaFit: number[];
}

/** Equirectangular frame around the parent so distances are isotropic in metres. */
function localFrame(parent: MultiPoly) {
  const [x0, y0, x1, y1] = bbox(parent);
  const lon0 = (x0 + x1) / 2, lat0 = (y0 + y1) / 2;
  const k = Math.cos((lat0 * Math.PI) / 180);
  return {
    to: ([lon, lat]: Pt): Pt => [(lon - lon0) * k, lat - lat0],
    from: ([x, y]: Pt): Pt => [x / k + lon0, y + lat0],
    box: [(x0 - lon0) * k, y0 - lat0, (x1 - lon0) * k, y1 - lat0] as const,
    localArea: multiArea(parent) * k,
  };
}

/**
 * A regular lattice (random phase) rather than random points: area estimates
 * from counts then err only along cell boundaries, instead of by √n noise that
 * the weight fitting would otherwise happily overfit.
 */
function latticePoints(parent: MultiPoly, n: number, frame: ReturnType<typeof localFrame>, rng: Rng): Pt[] {
  const [x0, y0, x1, y1] = frame.box;
  for (let h = Math.sqrt(frame.localArea / n); ; h *= 0.7) {
    const pts: Pt[] = [];
    const ox = rng() * h, oy = rng() * h;
    for (let x = x0 + ox; x <= x1; x += h) for (let y = y0 + oy; y <= y1; y += h) {
      if (pointInMulti(frame.from([x, y]), parent)) pts.push([x, y]);
    }
    if (pts.length >= n / 2) return pts;
  }
}

/** k-means++ seeding: spreads initial sites so no child starts squeezed out. */
function seedSites(pts: Pt[], k: number, rng: Rng): Pt[] {
  const sites: Pt[] = [pts[Math.floor(rng() * pts.length)]];
  const d2 = pts.map((p) => dist2(p, sites[0]));
  while (sites.length < k) {
    const total = d2.reduce((a, b) => a + b, 0);
    let r = rng() * total, i = 0;
    while (i < pts.length - 1 && (r -= d2[i]) > 0) i++;
    sites.push(pts[i]);
    for (let j = 0; j < pts.length; j++) d2[j] = Math.min(d2[j], dist2(pts[j], pts[i]));
  }
  return sites.map(([x, y]) => [x, y]);
}

const dist2 = (a: Pt, b: Pt): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

/** Flat typed arrays: this loop runs ~10⁸ times per build and dominates its runtime. */
function assign(px: Float64Array, py: Float64Array, sites: Pt[], w: number[], owner: Int32Array): void {
  const k = sites.length;
  const sx = Float64Array.from(sites, (s) => s[0]), sy = Float64Array.from(sites, (s) => s[1]), sw = Float64Array.from(w);
  for (let j = 0; j < px.length; j++) {
    const x = px[j], y = py[j];
    let best = 0, bestD = Infinity;
    for (let i = 0; i < k; i++) {
      const dx = x - sx[i], dy = y - sy[i];
      const d = dx * dx + dy * dy - sw[i];
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    owner[j] = best;
  }
}

/** Sutherland–Hodgman against a·p ≤ c: the power cell is the intersection of such half-planes. */
function clipHalfPlane(poly: Pt[], ax: number, ay: number, c: number): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i], q = poly[(i + 1) % poly.length];
    const fp = ax * p[0] + ay * p[1] - c, fq = ax * q[0] + ay * q[1] - c;
    if (fp <= 0) out.push(p);
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

function powerCell(i: number, sites: Pt[], w: number[], box: readonly [number, number, number, number]): Pt[] {
  const pad = Math.max(box[2] - box[0], box[3] - box[1]);
  let cell: Pt[] = [[box[0] - pad, box[1] - pad], [box[2] + pad, box[1] - pad], [box[2] + pad, box[3] + pad], [box[0] - pad, box[3] + pad]];
  const [sx, sy] = sites[i];
  for (let j = 0; j < sites.length && cell.length > 0; j++) {
    if (j === i) continue;
    const [tx, ty] = sites[j];
    // |p−s|²−w_s ≤ |p−t|²−w_t  ⇔  2p·(t−s) ≤ |t|²−|s|² + w_s − w_t
    cell = clipHalfPlane(cell, 2 * (tx - sx), 2 * (ty - sy), tx * tx + ty * ty - sx * sx - sy * sy + w[i] - w[j]);
  }
  return cell;
}

export function partition(parent: MultiPoly, opts: PartitionOptions): PartitionResult {
  const { shares, rng, label } = opts;
  const k = shares.length;
  if (k === 1) return { children: [parent], areaFit: [1] };
  const frame = localFrame(parent);
  const pts = latticePoints(parent, Math.max(4000, (opts.samplesPerChild ?? 400) * k), frame, rng);
  const n = pts.length;
  const px = Float64Array.from(pts, (p) => p[0]), py = Float64Array.from(pts, (p) => p[1]);
  const shareSum = shares.reduce((a, b) => a + b, 0);
  const target = shares.map((s) => (s / shareSum) * n);

  const sites = seedSites(pts, k, rng);
  const w = new Array<number>(k).fill(0);
  const cellArea = frame.localArea / n;
  const targetArea = target.map((t) => t * cellArea);
  const gain = new Array<number>(k).fill(0.25);
  const lastErr = new Array<number>(k).fill(0);
  const owner = new Int32Array(n);
  assign(px, py, sites, w, owner);
  const iterations = opts.iterations ?? 100;
  for (let it = 0; it < iterations; it++) {
    // Second half: sites stay put and only weights move; that is a monotone
    // problem that settles, whereas Lloyd moves keep perturbing the counts.
    const moveSites = it < iterations / 2;
    const count = new Array<number>(k).fill(0), sx = new Array<number>(k).fill(0), sy = new Array<number>(k).fill(0);
    for (let j = 0; j < pts.length; j++) {
      const o = owner[j];
      count[o]++;
      sx[o] += px[j];
      sy[o] += py[j];
    }
    for (let i = 0; i < k; i++) {
      if (moveSites && count[i] > 0) sites[i] = [sx[i] / count[i], sy[i] / count[i]];
      // A cell's area grows by ≈1.7δ for weight δ (each border shifts δ/2d; hexagon
      // perimeter ≈3.5d), so a step of ~¼ of the target area per unit log-error
      // is safe even though neighbours shrink at the same time. The error is
      // clamped so one wildly oversized cell cannot swallow a neighbour, and a
      // site whose error flips sign halves its gain (oscillation damping).
      const err = Math.max(-0.5, Math.min(0.5, Math.log(target[i] / Math.max(count[i], 0.5))));
      gain[i] = err * lastErr[i] < 0 ? gain[i] * 0.5 : Math.min(0.25, gain[i] * 1.2);
      lastErr[i] = err;
      w[i] += gain[i] * targetArea[i] * err;
    }
    assign(px, py, sites, w, owner);
  }

  const count = new Array<number>(k).fill(0);
  for (const o of owner) count[o]++;
  const empty = count.findIndex((c) => c === 0);
  if (empty >= 0) throw new Error(`${label}: child ${empty} received no area`);

  const edges = new ParentEdges(parent);
  const children = sites.map((_, i) => {
    const cell = powerCell(i, sites, w, frame.box).map(frame.from);
    if (cell.length < 3) throw new Error(`${label}: child ${i} has an empty power cell`);
    const ring: Ring = [...cell, cell[0]];
    const clipped = intersectMulti([[ring]], parent);
    return makeValid(clipped, `${label} child ${i}`, MIN_PART_AREA, MIN_PART_AREA, edges);
  });
  const final = absorbFragments(children, edges, label);
  const total = final.reduce((s, c) => s + multiArea(c), 0);
  return { children: final, areaFit: final.map((c, i) => multiArea(c) / total / (shares[i] / shareSum)) };
}

/** Length of `part`'s boundary that runs along `other`'s boundary. */
function sharedBoundary(part: Poly, other: MultiPoly): number {
  const segs: [Pt, Pt][] = [];
  for (const p of other) for (const r of p) for (let i = 0; i < r.length - 1; i++) segs.push([r[i], r[i + 1]]);
  let shared = 0;
  for (const r of part) {
    for (let i = 0; i < r.length - 1; i++) {
      const m: Pt = [(r[i][0] + r[i + 1][0]) / 2, (r[i][1] + r[i + 1][1]) / 2];
      if (segs.some(([a, b]) => segDist(m, a, b) < 1e-7)) shared += Math.hypot(r[i + 1][0] - r[i][0], r[i + 1][1] - r[i][1]);
    }
  }
  return shared;
}

/**
 * A convex cell clipped to a concave parent can leave detached pieces (a
 * village split across a bay of its town). Each piece other than a child's
 * largest goes to the sibling it shares the most border with, so areas read
 * as one contiguous unit. Pieces touching no sibling (a parent's own island)
 * stay where they are.
 */
function absorbFragments(children: MultiPoly[], edges: ParentEdges, label: string): MultiPoly[] {
  const out = children.map((c) => [...c]);
  for (let i = 0; i < out.length; i++) {
    if (out[i].length < 2) continue;
    const main = out[i].reduce((best, p) => (polyArea(p) > polyArea(best) ? p : best));
    for (const frag of out[i].filter((p) => p !== main)) {
      let to = -1, best = 0;
      out.forEach((sib, j) => {
        if (j === i) return;
        const len = sharedBoundary(frag, sib);
        if (len > best) {
          best = len;
          to = j;
        }
      });
      if (to < 0) continue;
      const merged = toMulti(union(featureCollection([asFeature(out[to]), asFeature([frag])]))?.geometry);
      out[to] = makeValid(merged, `${label} child ${to} (absorbing fragment)`, MIN_PART_AREA, MIN_PART_AREA, edges);
      out[i] = out[i].filter((p) => p !== frag);
    }
  }
  return out;
}
