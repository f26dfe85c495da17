import { describe, expect, it } from 'vitest';
import type { TracePoint } from '../contracts/history';
import { HOLD_MS, MAX_GAP_MS, indexAt, positionAt, span, tailAt } from './trace';

const S = 1000;
const M = 60 * S;
// Walking east 0.001° every 10 s, then silent for 10 min, then one more fix.
const WALK: TracePoint[] = [
  [0, 120, 30],
  [10 * S, 120.001, 30],
  [20 * S, 120.002, 30],
  [20 * S + 10 * M, 120.01, 30.01],
];

describe('indexAt', () => {
  it('finds the last fix at or before t', () => {
    expect(indexAt(WALK, -1)).toBe(-1);
    expect(indexAt(WALK, 0)).toBe(0);
    expect(indexAt(WALK, 9999)).toBe(0);
    expect(indexAt(WALK, 10 * S)).toBe(1);
    expect(indexAt(WALK, 1e12)).toBe(3);
    expect(indexAt([], 5)).toBe(-1);
  });
});

describe('positionAt', () => {
  it('interpolates between the fixes around t', () => {
    const [lon, lat] = positionAt(WALK, 5 * S)!;
    expect(lon).toBeCloseTo(120.0005, 9);
    expect(lat).toBe(30);
    expect(positionAt(WALK, 10 * S)).toEqual([120.001, 30]);
  });

  it('is nothing before the first fix', () => {
    expect(positionAt(WALK, -1)).toBeNull();
  });

  it('does not bridge a gap: holds the last fix for a while, then nothing', () => {
    expect(positionAt(WALK, 20 * S + HOLD_MS)).toEqual([120.002, 30]);
    expect(positionAt(WALK, 20 * S + HOLD_MS + 1)).toBeNull();
    // A gap just within the limit is bridged.
    const near: TracePoint[] = [[0, 120, 30], [MAX_GAP_MS, 121, 30]];
    expect(positionAt(near, MAX_GAP_MS / 2)![0]).toBeCloseTo(120.5, 9);
  });

  it('holds the last fix after the end, then nothing', () => {
    const end = WALK[3][0];
    expect(positionAt(WALK, end + HOLD_MS)).toEqual([120.01, 30.01]);
    expect(positionAt(WALK, end + HOLD_MS + 1)).toBeNull();
  });

  it('takes two fixes at the same time without dividing by zero', () => {
    expect(positionAt([[0, 1, 2], [0, 3, 4], [10 * S, 5, 6]], 0)).toEqual([3, 4]);
  });
});

describe('tailAt', () => {
  it('is the fixes of the tail window ending at the position at t', () => {
    const tail = tailAt(WALK, 15 * S, 12 * S);
    expect(tail.slice(0, 1)).toEqual([[120.001, 30]]);
    expect(tail).toHaveLength(2);
    expect(tail[1][0]).toBeCloseTo(120.0015, 9);
    expect(tailAt(WALK, 15 * S, 60 * S)).toHaveLength(3);
  });

  it('stops at a gap rather than drawing across it', () => {
    const t = WALK[3][0] + 30 * S;
    expect(tailAt(WALK, t, 60 * M)).toEqual([[120.01, 30.01], [120.01, 30.01]]);
  });

  it('is empty when the unit is not shown', () => {
    expect(tailAt(WALK, -5, 60 * S)).toEqual([]);
  });
});

describe('span', () => {
  it('is the earliest and latest fix over all traces', () => {
    expect(span([WALK, [], [[-5, 0, 0]]])).toEqual({ from: -5, to: WALK[3][0] });
    expect(span([[], []])).toBeNull();
  });
});
