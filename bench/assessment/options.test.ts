// bench:assessment scores "the last month that ended" by the district's clock (Asia/Shanghai, S13's
// periods): half an hour into New Year's Day there is still 31 December in UTC, and a bench that
// read UTC would score November and freeze nothing new.
import { describe, expect, it } from 'vitest';
import { lastEndedMonth, readAssessmentOptions } from './options';

describe('bench:assessment options', () => {
  it('scores the last month ended in Shanghai, across a year end', () => {
    expect(lastEndedMonth(new Date('2027-01-01T00:30:00+08:00'))).toBe('2026-12');
    expect(lastEndedMonth(new Date('2026-12-31T23:59:00+08:00'))).toBe('2026-11');
    expect(lastEndedMonth(new Date('2026-03-01T00:00:00+08:00'))).toBe('2026-02');
  });

  it('takes the preset and lets a variable set explicitly win', () => {
    const now = new Date('2026-12-06T12:00:00+08:00');
    expect(readAssessmentOptions({}, now)).toMatchObject({ preset: 'full', events: 1_000_000, period: '2026-11', naiveCapMs: 120_000 });
    expect(readAssessmentOptions({ BENCH_PRESET: 'quick', BENCH_EVENTS: '50000', BENCH_PERIOD: '2026-10' }, now))
      .toMatchObject({ preset: 'quick', events: 50_000, period: '2026-10', naiveCapMs: 20_000 });
  });

  it('refuses a period that is not a month', () => {
    expect(() => readAssessmentOptions({ BENCH_PERIOD: '2026-Q4' })).toThrow(/BENCH_PERIOD/);
    expect(() => readAssessmentOptions({ BENCH_PERIOD: '2026' })).toThrow(/BENCH_PERIOD/);
  });
});
