import { describe, expect, it } from 'vitest';
import { categoryLabel } from './labels';
import { addTally, EMPTY_TALLY, lowest, percent, ratios, rollUp, type Tally } from './figures';
import { dayBounds, dayOf, daysBefore, monthBounds, monthElapsed, monthOf } from './month';
import { nearestFirst } from './nearest';

describe('local months and days (Asia/Shanghai)', () => {
  it('a month starts at local midnight, 16:00 UTC the day before', () => {
    expect(monthBounds('2026-06')).toEqual({ from: new Date('2026-05-31T16:00:00Z'), to: new Date('2026-06-30T16:00:00Z') });
    expect(monthBounds('2026-12').to).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(() => monthBounds('2026-13')).toThrow();
  });
  it('an instant after 16:00 UTC belongs to the next local day and month', () => {
    expect(dayOf(new Date('2026-06-30T15:59:59Z'))).toBe('2026-06-30');
    expect(dayOf(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07-01');
    expect(monthOf(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07');
    expect(dayBounds('2026-03-01').from).toEqual(new Date('2026-02-28T16:00:00Z'));
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(() => dayBounds('2026-02-30x')).toThrow();
  });
  it('the share of a month elapsed', () => {
    expect(monthElapsed('2026-06', new Date('2026-05-01T00:00:00Z'))).toBe(0);
    expect(monthElapsed('2026-06', new Date('2026-06-15T16:00:00Z'))).toBeCloseTo(0.5, 5);
    expect(monthElapsed('2026-06', new Date('2026-08-01T00:00:00Z'))).toBe(1);
  });
});

describe('the four figures (S10)', () => {
  const grid = (t: Partial<Tally>): Tally => ({ ...EMPTY_TALLY, ...t });
  it('ratios of what was done over what was owed, null when nothing was owed, capped at 1', () => {
    const r = ratios(grid({ placesOwed: 4, placesVisited: 1, personVisitsOwed: 0, patrolSeconds: 7200, patrolRequiredSeconds: 3600, hazards: 2, hazardsDone: 1 }));
    expect(r).toEqual({ places: 0.25, persons: null, patrol: 1, hazards: 0.5 });
    expect(lowest(r)).toBe(0.25);
    expect(lowest(ratios(EMPTY_TALLY))).toBeNull();
    expect(percent(0.256)).toBe('25%');
    expect(percent(null)).toBe('—');
  });
  it('rolls up by summing the grids, not by averaging their ratios', () => {
    const rows = [
      { village: 'v1', tally: grid({ placesOwed: 1, placesVisited: 1 }) },
      { village: 'v1', tally: grid({ placesOwed: 9, placesVisited: 0 }) },
      { village: 'v2', tally: grid({ placesOwed: 2, placesVisited: 1 }) },
    ];
    const sums = rollUp(rows, (r) => r.village);
    // Averaging would say 50 % for v1; one place of ten was visited.
    expect(ratios(sums.get('v1')!).places).toBe(0.1);
    expect(sums.get('v2')!.placesOwed).toBe(2);
    expect(addTally(sums.get('v1')!, sums.get('v2')!).placesVisited).toBe(2);
  });
});

describe('nearest first', () => {
  it('orders by distance from the phone, by name without a position', () => {
    const items = [
      { name: '乙', lon: 120.3, lat: 30.9 },
      { name: '甲', lon: 120.3, lat: 30.8 },
      { name: '丙', lon: 120.3, lat: 30.85 },
    ];
    expect(nearestFirst(items, { lon: 120.3, lat: 30.79 }).map((i) => i.name)).toEqual(['甲', '丙', '乙']);
    const first = nearestFirst(items, { lon: 120.3, lat: 30.79 })[0];
    expect(first.distanceM).toBeGreaterThan(1100);
    expect(first.distanceM).toBeLessThan(1125);
    expect(nearestFirst(items, null).every((i) => i.distanceM === null)).toBe(true);
  });
});

describe('categoryLabel', () => {
  it('names places and key persons in Chinese, and leaves an unknown code as it is', () => {
    expect(categoryLabel('place', 'market')).toBe('农贸市场');
    expect(categoryLabel('person', 'drug_user')).toBe('吸毒人员');
    expect(categoryLabel('person', 'market')).toBe('market');
  });
});
