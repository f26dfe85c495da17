import { describe, expect, it } from 'vitest';
import { addDays, daysOf, instantsOf, lastDays, lengthOf, periodRange, previousRange, splitMonths } from './period';

// 2026-03-04 is a Wednesday; 01:30 in Shanghai is still 3 March in UTC.
const at = new Date('2026-03-04T01:30:00+08:00');

describe('periods on the Shanghai calendar (issue 13)', () => {
  it('today is the local day, not the UTC one', () => {
    expect(periodRange('today', at)).toEqual({ from: '2026-03-04', to: '2026-03-04' });
    expect(previousRange('today', periodRange('today', at))).toEqual({ from: '2026-03-03', to: '2026-03-03' });
  });

  it('a week runs Monday to Sunday, and the one before it too', () => {
    const week = periodRange('week', at);
    expect(week).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(previousRange('week', week)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    // A Sunday belongs to the week that began six days before it.
    expect(periodRange('week', new Date('2026-03-08T23:59:00+08:00'))).toEqual(week);
    expect(periodRange('week', new Date('2026-03-09T00:00:00+08:00')).from).toBe('2026-03-09');
  });

  it('a month is the calendar month; the previous one is the whole month before', () => {
    const march = periodRange('month', at);
    expect(march).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(previousRange('month', march)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodRange('month', new Date('2026-12-31T23:00:00+08:00'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(previousRange('month', { from: '2026-01-01', to: '2026-01-31' })).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('a range is taken as given; the previous one has its length and ends the day before', () => {
    const r = periodRange('range', at, { from: '2026-02-25', to: '2026-03-03' });
    expect(lengthOf(r)).toBe(7);
    expect(previousRange('range', r)).toEqual({ from: '2026-02-18', to: '2026-02-24' });
    expect(() => periodRange('range', at, { from: '2026-02-25' })).toThrow(RangeError);
  });

  it('days, instants and the last n days', () => {
    expect(daysOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    const i = instantsOf({ from: '2026-03-01', to: '2026-03-01' });
    expect(i.from.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(i.to.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(lastDays(7, at)).toEqual({ from: '2026-02-26', to: '2026-03-04' });
  });

  it('splits a range into whole months and the days at its ends', () => {
    expect(splitMonths({ from: '2026-01-15', to: '2026-04-10' })).toEqual({
      months: { from: '2026-02-01', to: '2026-03-01' },
      days: [{ from: '2026-01-15', to: '2026-01-31' }, { from: '2026-04-01', to: '2026-04-10' }],
    });
    expect(splitMonths({ from: '2026-02-01', to: '2026-02-28' })).toEqual({ months: { from: '2026-02-01', to: '2026-02-01' }, days: [] });
    expect(splitMonths({ from: '2025-12-06', to: '2026-12-05' }).months).toEqual({ from: '2026-01-01', to: '2026-11-01' });
    expect(splitMonths({ from: '2026-03-02', to: '2026-03-30' })).toEqual({ months: null, days: [{ from: '2026-03-02', to: '2026-03-30' }] });
    expect(splitMonths({ from: '2026-03-02', to: '2026-04-30' })).toEqual({ months: { from: '2026-04-01', to: '2026-04-01' }, days: [{ from: '2026-03-02', to: '2026-03-31' }] });
  });
});

describe('previousRange of a week or month under way', () => {
  it('compares the days so far with the same days of the one before', () => {
    const week = { from: '2026-03-02', to: '2026-03-08' };
    expect(previousRange('week', week, '2026-03-04')).toEqual({ from: '2026-02-23', to: '2026-02-25' });
    expect(previousRange('week', week, '2026-03-08')).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    const march = { from: '2026-03-01', to: '2026-03-31' };
    expect(previousRange('month', march, '2026-03-05')).toEqual({ from: '2026-02-01', to: '2026-02-05' });
    // March 30th so far against February, which has no 30th: the whole of February.
    expect(previousRange('month', march, '2026-03-30')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previousRange('month', march, '2026-04-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
});
