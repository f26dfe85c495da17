/**
 * Deterministic randomness. Every partition step derives its own stream from a
 * string key (e.g. the parent's code), so regenerating or tweaking one town
 * never reshuffles the geometry of the others.
 */

import { seededRandom } from '../lib/random';

export type Rng = () => number;

/** FNV-1a: stable across platforms and Node versions, unlike Math.random seeding. */
function hashString(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function rngFor(key: string): Rng {
  return seededRandom(hashString(key));
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}
