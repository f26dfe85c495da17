import { describe, expect, it } from 'vitest';
import { MAX_ACCURACY_M, MAX_BATCH, MAX_REPORTED_SPEED_MS, PositionBatchV1 } from '../contracts/live';
import { distanceM } from '../geo/distance';
import { MAX_ACCURACY_ALLOWANCE_M, NO_GEOGRAPHY, validatePositions, type Fix, type ValidationContext } from './validate';

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

  // Issue 11: speed 1e39 passed the contract, and PostgreSQL's refusal of it ("1e+39" is out of
  // range for type real) stopped the position history of every unit.
  it.each([
    ['speed', { ...ok, speed: 1e39 }],
    ['accuracy', { ...ok, accuracy: 1e39 }],
    ['speed', { ...ok, speed: 1e39, accuracy: 1e39 }],
    ['speed', { ...ok, speed: MAX_REPORTED_SPEED_MS + 0.1 }],
    ['speed', { ...ok, speed: -1 }],
    ['heading', { ...ok, heading: 361 }],
    ['accuracy', { ...ok, accuracy: MAX_ACCURACY_M + 1 }],
    ['lon', { ...ok, lon: 1e39 }],
    ['lat', { ...ok, lat: -91 }],
    ['t', { ...ok, t: 1e39 }],
  ])('rejects a fix whose %s no column could hold as malformed, naming the field', (field, item) => {
    const r = validatePositions([item, ok], ctx());
    expect(r.rejected).toEqual([{ index: 0, reason: 'malformed', message: expect.stringMatching(new RegExp(`^${field}: `)) }]);
    expect(r.accepted).toHaveLength(1);
  });

  it('accepts the largest speed, heading and accuracy the contract allows', () => {
    const r = validatePositions([{ ...ok, speed: MAX_REPORTED_SPEED_MS, heading: 360, accuracy: MAX_ACCURACY_M }], ctx());
    expect(r.rejected).toEqual([]);
    expect(r.accepted).toMatchObject([{ speed: MAX_REPORTED_SPEED_MS, heading: 360, accuracy: MAX_ACCURACY_M }]);
  });

  it('lets a fix\'s accuracy widen the allowed jump, but only so far', () => {
    const last = { 1: { t: NOW - 11_000, lon: 120.4, lat: 30.8 } };
    // 10 s at MAX_SPEED_MS is 500 m, plus 50 m of slack: 600 m needs the fix's own uncertainty.
    const step = { ...ok, lat: 30.8 + 600 / 111_195 };
    expect(distanceM(120.4, 30.8, step.lon, step.lat)).toBeGreaterThan(550);
    expect(validatePositions([step], ctx(last)).rejected).toMatchObject([{ reason: 'impossible_speed' }]);
    expect(validatePositions([{ ...step, accuracy: 80 }], ctx(last)).accepted).toHaveLength(1);
    // 5 km in 10 s: a claimed accuracy of 10 km (or 1e39 before the contract's bound) must not excuse it.
    const jump = { ...ok, lat: 30.8 + 5000 / 111_195 };
    const r = validatePositions([{ ...jump, accuracy: MAX_ACCURACY_M }], ctx(last));
    expect(r.rejected).toMatchObject([{ index: 0, reason: 'impossible_speed' }]);
    const edge = { ...ok, lat: 30.8 + (500 + 50 + MAX_ACCURACY_ALLOWANCE_M + 20) / 111_195 };
    expect(validatePositions([{ ...edge, accuracy: MAX_ACCURACY_M }], ctx(last)).rejected).toMatchObject([{ reason: 'impossible_speed' }]);
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
