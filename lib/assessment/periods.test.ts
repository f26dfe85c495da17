import { describe, expect, it } from 'vitest';
import { AdjustmentInputV1, EventFlagsInputV1, PeriodKey, SubjectKey } from '../contracts/scores';
import { hasEnded, instantsOfPeriod, parsePeriod, periodsOfDay, previousPeriod } from './periods';

// Issue 15 point 2 (S13): scores per month, quarter and year, frozen when the period ends (Asia/Shanghai days).
describe('assessment periods', () => {
  it('reads months, quarters and years as Shanghai days, February of a leap year included', () => {
    expect(parsePeriod('2024-02')).toMatchObject({ kind: 'month', range: { from: '2024-02-01', to: '2024-02-29' }, label: '2024年2月' });
    expect(parsePeriod('2026-12')!.range).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(parsePeriod('2026-Q4')).toMatchObject({ kind: 'quarter', range: { from: '2026-10-01', to: '2026-12-31' }, label: '2026年第4季度' });
    expect(parsePeriod('2026-Q1')!.range).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', range: { from: '2026-01-01', to: '2026-12-31' } });
    for (const bad of ['2026-13', '2026-00', '2026-Q5', '26-01', '1999', '2101', '2026-1', ' 2026']) expect(parsePeriod(bad)).toBeNull();
  });

  it('a period covers its first local midnight up to the one after its last day', () => {
    const { from, to } = instantsOfPeriod(parsePeriod('2026-11')!);
    expect(from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('ends when its last Shanghai day is over, not at UTC midnight', () => {
    const nov = parsePeriod('2026-11')!;
    expect(hasEnded(nov, new Date('2026-11-30T15:59:59Z'))).toBe(false); // 23:59:59 on 30 Nov in Shanghai
    expect(hasEnded(nov, new Date('2026-11-30T16:00:00Z'))).toBe(true); // 00:00 on 1 Dec
  });

  it('a day falls in one month, quarter and year; the period before is of the same kind', () => {
    expect(periodsOfDay('2026-04-01').map((p) => p.key)).toEqual(['2026-04', '2026-Q2', '2026']);
    expect(previousPeriod(parsePeriod('2026-01')!).key).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1')!).key).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026')!).key).toBe('2025');
  });
});

describe('scores contract: refusals name the field', () => {
  const key = '0d6f2b4e-1f7a-4c3e-9a7b-2b0c9d1e5f11';
  const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => r.error?.issues.map((i) => i.path.join('.')).sort();

  it('periods and subjects', () => {
    expect(PeriodKey.safeParse('2026-11').success).toBe(true);
    expect(PeriodKey.safeParse('2026-11-01').success).toBe(false);
    expect(SubjectKey.safeParse('t:3:police').success).toBe(true);
    for (const bad of ['s:0', 'x:1', 't:3', 'p:-1', 's:1;drop']) expect(SubjectKey.safeParse(bad).success).toBe(false);
  });

  it('an adjustment needs a reason and non-zero points of at most two decimals', () => {
    expect(AdjustmentInputV1.safeParse({ period: '2026-11', subjectKey: 's:1', points: -2.5, reason: '材料补正', requestKey: key }).success).toBe(true);
    expect(paths(AdjustmentInputV1.safeParse({ period: '2026-11', subjectKey: 's:1', points: 0, reason: ' ', requestKey: key }))).toEqual(['points', 'reason']);
    expect(paths(AdjustmentInputV1.safeParse({ period: '2026-13', subjectKey: 's:1', points: 1.234, reason: '理由', requestKey: key }))).toEqual(['period', 'points']);
  });

  it('a flag change names at least one flag', () => {
    expect(paths(EventFlagsInputV1.safeParse({ reason: '区级认定', requestKey: key }))).toEqual(['petitionSkip']);
    expect(EventFlagsInputV1.safeParse({ groupIncident: true, reason: '区级认定', requestKey: key }).success).toBe(true);
  });
});
