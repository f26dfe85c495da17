import type { TracePoint } from '../contracts/history';

/*
 * Where a unit was at time t, from its trace (issue 12, part 5). Pure: the console's and the
 * wall's replays call it every frame for every unit, so it is a binary search and no allocation
 * beyond the answer.
 */

/** Fixes further apart than this are a gap (signal lost, off duty): not bridged by a straight line. */
export const MAX_GAP_MS = 5 * 60_000;
/** After its last fix before a gap, a unit stays shown where it was for this long, then disappears. */
export const HOLD_MS = 2 * 60_000;

/** Index of the last fix at or before t, or -1 when t is before the first. Points are oldest first. */
export function indexAt(points: readonly TracePoint[], t: number): number {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0 || t < points[0][0]) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid][0] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The unit's position at t: on the straight line between the fixes around t, or held at the last
 * fix for HOLD_MS across a gap or after the end; null before the first fix or once held too long.
 */
export function positionAt(points: readonly TracePoint[], t: number, maxGapMs = MAX_GAP_MS, holdMs = HOLD_MS): [number, number] | null {
  const i = indexAt(points, t);
  if (i < 0) return null;
  const [t0, x0, y0] = points[i];
  const next = points[i + 1];
  if (next && next[0] - t0 <= maxGapMs) {
    const f = next[0] === t0 ? 0 : (t - t0) / (next[0] - t0);
    return [x0 + (next[1] - x0) * f, y0 + (next[2] - y0) * f];
  }
  return t - t0 <= holdMs ? [x0, y0] : null;
}

/**
 * The path walked in (t − tailMs, t], ending at the position at t: what the replay draws behind
 * each moving unit. Empty when the unit is not shown at t.
 */
export function tailAt(points: readonly TracePoint[], t: number, tailMs: number, maxGapMs = MAX_GAP_MS): [number, number][] {
  const here = positionAt(points, t, maxGapMs);
  if (!here) return [];
  const path: [number, number][] = [];
  let later = Infinity;
  for (let i = indexAt(points, t); i >= 0 && points[i][0] > t - tailMs; i--) {
    // A gap ends the tail: the line would cross where the unit never was.
    if (later - points[i][0] > maxGapMs && later !== Infinity) break;
    path.push([points[i][1], points[i][2]]);
    later = points[i][0];
  }
  path.reverse();
  path.push(here);
  return path;
}

/** The earliest and latest fix over all traces, or null when there is none. */
export function span(traces: readonly (readonly TracePoint[])[]): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const p of traces) {
    if (p.length === 0) continue;
    from = Math.min(from, p[0][0]);
    to = Math.max(to, p[p.length - 1][0]);
  }
  return from <= to ? { from, to } : null;
}
