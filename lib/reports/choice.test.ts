import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../assessment/periods';
import { lastEnded, periodKeyOf } from './choice';

describe('the report page’s period chooser', () => {
  it('defaults to the last ended month, quarter and year, across a new year', () => {
    expect(periodKeyOf(lastEnded('month', '2026-12-01'))).toBe('2026-11');
    expect(periodKeyOf(lastEnded('month', '2027-01-05'))).toBe('2026-12');
    expect(periodKeyOf(lastEnded('quarter', '2027-02-10'))).toBe('2026-Q4');
    expect(periodKeyOf(lastEnded('quarter', '2026-11-30'))).toBe('2026-Q3');
    expect(periodKeyOf(lastEnded('year', '2027-01-01'))).toBe('2026');
  });

  it('makes keys the period contract takes', () => {
    for (const c of [{ kind: 'month', year: 2026, part: 3 }, { kind: 'quarter', year: 2026, part: 2 }, { kind: 'year', year: 2026, part: 1 }] as const)
      expect(parsePeriod(periodKeyOf(c))?.kind).toBe(c.kind);
  });
});
