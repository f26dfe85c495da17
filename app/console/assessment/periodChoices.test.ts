import { describe, expect, it } from 'vitest';
import { defaultPeriod, kindOf, periodChoices } from './periodChoices';

// 2026-12-01 00:30 in Shanghai is still 2026-11-30 in UTC: the page must think in Shanghai days.
const EARLY_DEC = new Date('2026-11-30T16:30:00Z');

describe('考评得分 period picker (issue 15, S13)', () => {
  it('opens on the last ended month by the Shanghai calendar', () => {
    expect(defaultPeriod(EARLY_DEC)).toBe('2026-11');
    expect(defaultPeriod(new Date('2026-11-30T15:59:00Z'))).toBe('2026-10');
    expect(defaultPeriod(new Date('2026-01-15T04:00:00Z'))).toBe('2025-12');
  });

  it('lists months newest first, the current one 计算中 and the ended ones 已封账', () => {
    const months = periodChoices('month', EARLY_DEC);
    expect(months).toHaveLength(24);
    expect(months.slice(0, 3)).toEqual([
      { key: '2026-12', label: '2026年12月', ended: false },
      { key: '2026-11', label: '2026年11月', ended: true },
      { key: '2026-10', label: '2026年10月', ended: true },
    ]);
    expect(months.at(-1)!.key).toBe('2025-01');
  });

  it('lists quarters and years across the year boundary', () => {
    expect(periodChoices('quarter', EARLY_DEC).slice(0, 5).map((p) => `${p.key}:${p.ended}`))
      .toEqual(['2026-Q4:false', '2026-Q3:true', '2026-Q2:true', '2026-Q1:true', '2025-Q4:true']);
    expect(periodChoices('year', EARLY_DEC).map((p) => p.key)).toEqual(['2026', '2025', '2024', '2023', '2022']);
  });

  it('reads the kind from a key', () => {
    expect(kindOf('2026-Q4')).toBe('quarter');
    expect(kindOf('2026')).toBe('year');
    expect(kindOf('2026-11')).toBe('month');
  });
});
