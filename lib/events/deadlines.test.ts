import { describe, expect, it } from 'vitest';
import { NO_HOLIDAYS } from '../time/workdays';
import { DEFAULT_LIMITS, cardAt, resolveLimits, stageDeadlines, stageOf, type TimeLimitRow } from './deadlines';
import { EVENT_STATES } from './machine';

const at = (s: string) => new Date(`${s}+08:00`);
const row = (category: string | null, severity: TimeLimitRow['severity'], acceptYellow: number): TimeLimitRow => ({
  category, severity, acceptYellow, acceptRed: acceptYellow + 1, handleYellow: 5, handleRed: 10,
});

describe('time limits per category and severity (S12 deadlines)', () => {
  const rows = [row(null, null, 1), row(null, 'critical', 2), row('hazard', null, 3), row('hazard', 'critical', 4), row('hazard.fire', null, 5)];

  it('the most specific row wins', () => {
    expect(resolveLimits(rows, { category: 'hazard', subcategory: 'hazard.fire', severity: 'critical' }).acceptYellow).toBe(5);
    expect(resolveLimits(rows, { category: 'hazard', subcategory: 'hazard.gas', severity: 'critical' }).acceptYellow).toBe(4);
    expect(resolveLimits(rows, { category: 'hazard', severity: 'normal' }).acceptYellow).toBe(3);
    expect(resolveLimits(rows, { category: 'dispute', severity: 'critical' }).acceptYellow).toBe(2);
    expect(resolveLimits(rows, { category: 'dispute', severity: 'low' }).acceptYellow).toBe(1);
  });

  it('without any row the grid-system defaults hold: accept 1/2, handle 5/10 working days', () => {
    expect(resolveLimits([], { category: 'dispute', severity: 'low' })).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({ acceptYellow: 1, acceptRed: 2, handleYellow: 5, handleRed: 10 });
  });

  it('a report on Friday afternoon is due for acceptance on Monday (yellow) and Tuesday (red)', () => {
    const d = stageDeadlines('accept', at('2026-11-27T15:00:00'), DEFAULT_LIMITS, NO_HOLIDAYS);
    expect(d.due).toEqual(at('2026-11-30T15:00:00'));
    expect(d.red).toEqual(at('2026-12-01T15:00:00'));
  });

  it('handling runs 5 / 10 working days from acceptance, across the National Day holidays', () => {
    const cal = { holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']), workdays: new Set(['2026-10-10']) };
    const d = stageDeadlines('handle', at('2026-09-30T09:00:00'), DEFAULT_LIMITS, cal);
    // Working days after 30 Sep: 8, 9, 10 (Sat, make-up), 12, 13 → due 13 Oct; then 14, 15, 16, 19, 20 → red 20 Oct.
    expect(d.due).toEqual(at('2026-10-13T09:00:00'));
    expect(d.red).toEqual(at('2026-10-20T09:00:00'));
  });

  it('cards: none before the limit, yellow from it, red from the red limit', () => {
    const due = at('2026-11-30T15:00:00');
    const red = at('2026-12-01T15:00:00');
    expect(cardAt(at('2026-11-30T14:59:59'), due, red)).toBe('none');
    expect(cardAt(due, due, red)).toBe('yellow');
    expect(cardAt(red, due, red)).toBe('red');
    expect(cardAt(red, null, null)).toBe('none');
  });

  it('a clock runs only while something is owed: accept while reported, handle until handled', () => {
    const stages = Object.fromEntries(EVENT_STATES.map((s) => [s, stageOf(s)]));
    expect(stages).toEqual({
      reported: 'accept', accepted: 'handle', assigned: 'handle', coordinated: 'handle', in_progress: 'handle',
      handled: null, closed: null, returned: null, merged: null, rated: null,
    });
  });
});
