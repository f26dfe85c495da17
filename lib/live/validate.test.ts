import { describe, expect, it } from 'vitest';
import { MAX_BATCH, PositionBatchV1 } from '../contracts/live';
import { NO_GEOGRAPHY, validatePositions, type Fix, type ValidationContext } from './validate';

const NOW = Date.UTC(2026, 10, 27, 2, 0, 0);
const AREA = { minLon: 120.1, minLat: 30.5, maxLon: 120.7, maxLat: 31.0 };

function ctx(last: Record<number, Fix> = {}): ValidationContext {
  const units: Record<string, number> = { 'G-1': 1, 'P-2': 2 };
  return { now: NOW, area: AREA, unitId: (c) => units[c], lastFix: (id) => last[id] };
}

const ok = { unit: 'G-1', t: NOW - 1000, lon: 120.4, lat: 30.8 };

describe('position validation (live backbone contract v1)', () => {
  it('accepts a good position', () => {
    const r = validatePositions([ok], ctx());
    expect(r.rejected).toEqual([]);
    expect(r.accepted).toMatchObject([{ unitId: 1, lon: 120.4, lat: 30.8, latest: true }]);
  });

  it.each([
    ['NaN longitude', { ...ok, lon: Number.NaN }, 'not_finite'],
    ['infinite latitude', { ...ok, lat: Number.POSITIVE_INFINITY }, 'not_finite'],
    ['missing time', { unit: 'G-1', lon: 120.4, lat: 30.8 }, 'malformed'],
    ['a string for lat', { ...ok, lat: '30.8' }, 'malformed'],
    ['outside the district box', { ...ok, lon: 116.4, lat: 39.9 }, 'outside_area'],
    ['more than 60 s in the future', { ...ok, t: NOW + 61_000 }, 'future'],
    ['more than 24 h old', { ...ok, t: NOW - 24 * 3600_000 - 1 }, 'too_old'],
    ['an unknown unit', { ...ok, unit: 'X-9' }, 'unknown_unit'],
  ])('rejects %s with its reason', (_name, item, reason) => {
    const r = validatePositions([item], ctx());
    expect(r.accepted).toEqual([]);
    expect(r.rejected).toMatchObject([{ index: 0, reason }]);
    expect(r.rejected[0].message.length).toBeGreaterThan(0);
  });

  it('refuses every fix, saying why, while no district is imported', () => {
    const r = validatePositions([ok, { ...ok, lat: '30.8' }], { ...ctx(), area: null });
    expect(r.accepted).toEqual([]);
    expect(r.rejected).toEqual([
      { index: 0, reason: 'no_geography', message: NO_GEOGRAPHY },
      { index: 1, reason: 'malformed', message: expect.any(String) },
    ]);
  });

  it('rejects an impossible jump from the last known fix', () => {
    // ~11 km in 10 s
    const r = validatePositions([{ ...ok, lat: 30.9 }], ctx({ 1: { t: NOW - 11_000, lon: 120.4, lat: 30.8 } }));
    expect(r.rejected).toMatchObject([{ index: 0, reason: 'impossible_speed' }]);
  });

  it('accepts a walking step from the last known fix', () => {
    const r = validatePositions([{ ...ok, lat: 30.8001 }], ctx({ 1: { t: NOW - 11_000, lon: 120.4, lat: 30.8 } }));
    expect(r.accepted).toHaveLength(1);
  });

  it('checks speed between fixes of one batch in time order, whatever their order in the batch', () => {
    const items = [
      { ...ok, t: NOW - 1000, lat: 30.8002 },
      { ...ok, t: NOW - 3000, lat: 30.8 },
      { ...ok, t: NOW - 2000, lat: 30.95 }, // the outlier: 16 km in 1 s
    ];
    const r = validatePositions(items, ctx());
    expect(r.rejected.map((x) => [x.index, x.reason])).toEqual([[2, 'impossible_speed']]);
    expect(r.accepted.map((a) => a.t)).toEqual([NOW - 3000, NOW - 1000]);
  });

  it('keeps an out-of-order fix for history but does not let it move the unit', () => {
    const r = validatePositions([{ ...ok, t: NOW - 60_000 }], ctx({ 1: { t: NOW - 1000, lon: 120.4, lat: 30.8 } }));
    expect(r.accepted).toMatchObject([{ latest: false }]);
  });

  it('one bad item never drops the good ones in its batch', () => {
    const items = [ok, { ...ok, lon: Number.NaN }, { ...ok, unit: 'P-2' }, { ...ok, unit: 'nobody' }];
    const r = validatePositions(items, ctx());
    expect(r.accepted.map((a) => a.unitId).sort()).toEqual([1, 2]);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 3]);
  });

  it('refuses an oversized batch as a whole, naming the limit', () => {
    const r = PositionBatchV1.safeParse({ v: 1, positions: Array.from({ length: MAX_BATCH + 1 }, () => ok) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain(String(MAX_BATCH));
  });
});
