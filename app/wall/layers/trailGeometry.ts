import { TRAIL_WINDOW_MS } from '@/app/live/trails';
import { OFFLINE, type UnitTable } from '@/app/live/unitTable';
import { KIND_RGB_BY_INDEX } from '../palette';

export interface TrailGeometry {
  /** Paths. */
  length: number;
  /** First vertex of each path. */
  startIndices: Uint32Array;
  /** lon/lat per vertex. */
  positions: Float32Array;
  /** RGBA per vertex: the unit's kind colour, fading with age. */
  colors: Uint8ClampedArray;
}

const NEWEST_ALPHA = 120;
const OLDEST_ALPHA = 8;

/**
 * Each unit's last ten minutes as one open path, ending at its latest fix, laid out as deck.gl
 * binary path data. Two passes over the trail rings (count, then fill) so each array is allocated
 * once at its exact size.
 */
export function trailGeometry(t: UnitTable, now: number): TrailGeometry {
  const tr = t.trails;
  const since = now - TRAIL_WINDOW_MS;

  // Points in the window, and whether the latest fix adds a vertex past the last kept point.
  const span = (slot: number): [first: number, count: number] => {
    const size = tr.size[slot];
    let first = 0;
    while (first < size && tr.t[tr.at(slot, first)] < since) first++;
    let count = size - first;
    if (count > 0 && t.fixTime[slot] > tr.t[tr.at(slot, size - 1)]) count += 1;
    return [first, count];
  };

  let paths = 0, vertices = 0;
  for (let slot = 0; slot < t.count; slot++) {
    if (t.state[slot] === OFFLINE) continue;
    const [, count] = span(slot);
    if (count < 2) continue;
    paths += 1;
    vertices += count;
  }

  const startIndices = new Uint32Array(paths);
  const positions = new Float32Array(vertices * 2);
  const colors = new Uint8ClampedArray(vertices * 4);
  let path = 0, v = 0;
  const put = (lon: number, lat: number, time: number, rgb: readonly number[]) => {
    const age = Math.min(1, Math.max(0, (now - time) / TRAIL_WINDOW_MS));
    positions[v * 2] = lon;
    positions[v * 2 + 1] = lat;
    colors[v * 4] = rgb[0];
    colors[v * 4 + 1] = rgb[1];
    colors[v * 4 + 2] = rgb[2];
    colors[v * 4 + 3] = NEWEST_ALPHA - (NEWEST_ALPHA - OLDEST_ALPHA) * age;
    v++;
  };
  for (let slot = 0; slot < t.count; slot++) {
    if (t.state[slot] === OFFLINE) continue;
    const [first, count] = span(slot);
    if (count < 2) continue;
    startIndices[path++] = v;
    const rgb = KIND_RGB_BY_INDEX[t.kind[slot]];
    const size = tr.size[slot];
    for (let k = first; k < size; k++) {
      const i = tr.at(slot, k);
      put(tr.lon[i], tr.lat[i], tr.t[i], rgb);
    }
    if (count > size - first) put(t.position[slot * 2], t.position[slot * 2 + 1], t.fixTime[slot], rgb);
  }
  return { length: paths, startIndices, positions, colors };
}
