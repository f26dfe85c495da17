import type { HotspotClass } from '../contracts/warnings';
import type { Cube } from './gistar';

/** Test data for the detection tests and the bench: a lattice of locations with Poisson counts. */

export function poisson(rand: () => number, lambda: number): number {
  // Knuth's method below 30; a rounded normal above (planted rates only, where the exact tail does not matter).
  if (lambda > 30) {
    const u = Math.max(rand(), 1e-12);
    const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * g));
  }
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

/** A side × side lattice, rook adjacency (shared edges), location i = row·side + col. */
export function lattice(side: number): number[][] {
  const adj: number[][] = [];
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      const a: number[] = [];
      if (r > 0) a.push((r - 1) * side + c);
      if (r < side - 1) a.push((r + 1) * side + c);
      if (c > 0) a.push(r * side + c - 1);
      if (c < side - 1) a.push(r * side + c + 1);
      adj.push(a);
    }
  return adj;
}

/** Rate of a planted location at step t of T (events per step), by class. */
export type Plant = { location: number; expect: HotspotClass; rate: (t: number, T: number) => number };

export function cubeOf(rand: () => number, side: number, steps: number, base: number, plants: readonly Plant[]): Cube {
  const L = side * side;
  const counts = new Float64Array(L * steps);
  const planted = new Map(plants.map((p) => [p.location, p]));
  for (let i = 0; i < L; i++)
    for (let t = 0; t < steps; t++) {
      const plant = planted.get(i);
      counts[i * steps + t] = poisson(rand, plant ? plant.rate(t, steps) : base);
    }
  return { locations: L, steps, counts, adjacent: lattice(side) };
}
