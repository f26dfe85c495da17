import type { Rand } from './draw';
import { insideArea, type Area, type LonLat } from './geometry';

// Test fixtures only: a grid shaped like a U near Nanxun, so a straight walk between its two arms
// would cut across the notch and leave it.
const O: LonLat = [120.3, 30.77];
const D = 0.01; // ≈ 1 km
const u = (x: number, y: number): LonLat => [O[0] + x * D, O[1] + y * D];

export const U_GRID: Area = [[[u(0, 0), u(1, 0), u(1, 1), u(0.7, 1), u(0.7, 0.3), u(0.3, 0.3), u(0.3, 1), u(0, 1), u(0, 0)]]];

export const STATION: LonLat = u(2, 2);
export const VILLAGES: LonLat[] = [u(5, 2), u(2, 6), u(-3, -1), u(4, 5)];

/** Random points inside `area`, as ST_GeneratePoints gives them. */
export function pointsInside(area: Area, n: number, rand: Rand): LonLat[] {
  const xs = area.flat(2).map((p) => p[0]);
  const ys = area.flat(2).map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const out: LonLat[] = [];
  while (out.length < n) {
    const p: LonLat = [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)];
    if (insideArea(area, p)) out.push(p);
  }
  return out;
}
