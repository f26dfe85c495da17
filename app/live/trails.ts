/** How far back a trail reaches. */
export const TRAIL_WINDOW_MS = 10 * 60_000;
/**
 * A trail keeps one point per this much fix time. Ticks come every 250 ms; keeping each would
 * cost 2,400 points a unit for ten minutes, where a faint line needs only its bends.
 */
export const TRAIL_STEP_MS = 10_000;
/** Ring size per unit: more than window ÷ step, so a unit reporting steadily keeps its whole 10 min. */
export const TRAIL_POINTS = 64;

/**
 * The last points of every unit, in one fixed-size ring per unit slot: memory is slots × 64 points
 * however long the wall runs. Fields are read directly by the trails layer when it builds paths.
 */
export class Trails {
  lon = new Float32Array(0);
  lat = new Float32Array(0);
  t = new Float64Array(0);
  /** Next write position in each slot's ring. */
  head = new Uint8Array(0);
  /** Points held in each slot's ring (≤ TRAIL_POINTS). */
  size = new Uint8Array(0);
  /** Bumped whenever a point is added, so a layer rebuilds only when there is something new. */
  version = 0;

  grow(capacity: number): void {
    const points = capacity * TRAIL_POINTS;
    this.lon = grown(this.lon, points, (n) => new Float32Array(n));
    this.lat = grown(this.lat, points, (n) => new Float32Array(n));
    this.t = grown(this.t, points, (n) => new Float64Array(n));
    this.head = grown(this.head, capacity, (n) => new Uint8Array(n));
    this.size = grown(this.size, capacity, (n) => new Uint8Array(n));
  }

  push(slot: number, lon: number, lat: number, t: number): void {
    const base = slot * TRAIL_POINTS;
    const size = this.size[slot];
    const head = this.head[slot];
    if (size > 0 && t - this.t[base + ((head + TRAIL_POINTS - 1) % TRAIL_POINTS)] < TRAIL_STEP_MS) return;
    this.lon[base + head] = lon;
    this.lat[base + head] = lat;
    this.t[base + head] = t;
    this.head[slot] = (head + 1) % TRAIL_POINTS;
    if (size < TRAIL_POINTS) this.size[slot] = size + 1;
    this.version += 1;
  }

  /** Index into lon/lat/t of a slot's k-th oldest point (k < size[slot]). */
  at(slot: number, k: number): number {
    return slot * TRAIL_POINTS + ((this.head[slot] + TRAIL_POINTS - this.size[slot] + k) % TRAIL_POINTS);
  }
}

interface Growable extends ArrayLike<number> {
  set(array: ArrayLike<number>, offset?: number): void;
}

/** An array at least `length` long holding the old contents; the same array when it already fits. */
export function grown<T extends Growable>(old: T, length: number, make: (length: number) => T): T {
  if (old.length >= length) return old;
  const next = make(length);
  next.set(old);
  return next;
}
