import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KPI_CODES } from '@/lib/contracts/kpi';
import { NO_DURATIONS, ZERO_COUNTERS, valuesOf, type Figures } from './figures';
import { KPIS, kpiMarkdownTable } from './kpis';

const figures = (over: Partial<Figures> = {}): Figures => ({
  counters: ZERO_COUNTERS, durations: NO_DURATIONS, mediation: null, mediationDays: null, online: null, coverage: null, ...over,
});

describe('KPI definitions (issue 13)', () => {
  it('every code has a Chinese name and a written 口径', () => {
    for (const code of KPI_CODES) {
      expect(KPIS[code].code).toBe(code);
      expect(KPIS[code].name).toMatch(/[\u4e00-\u9fff]/);
      expect(KPIS[code].definition.length).toBeGreaterThan(20);
    }
  });

  it('the README carries the table generated from the definitions', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(kpiMarkdownTable());
  });
});

describe('values from counters', () => {
  it('ratios are parts of their denominators; nothing to measure is null, not 0', () => {
    const now = figures({
      counters: { reported: 10, counted: 8, closed: 6, closedOnTime: 3, missed: 2, repeats: 1, rated: 0, satisfied: 0 },
      online: { num: 3, den: 4 },
    });
    const before = figures({ counters: { ...ZERO_COUNTERS, reported: 5, counted: 4, closed: 1 } });
    const v = Object.fromEntries(valuesOf(now, before).map((x) => [x.code, x]));
    expect(v.reported).toMatchObject({ value: 10, previous: 5, numerator: 10, denominator: null });
    expect(v.completion).toMatchObject({ value: 0.75, previous: 0.25, numerator: 6, denominator: 8 });
    expect(v.on_time).toMatchObject({ value: 0.5, numerator: 3, denominator: 6 });
    expect(v.overdue).toMatchObject({ value: 2, previous: 0 });
    expect(v.repeat).toMatchObject({ value: 0.1 });
    expect(v.satisfaction).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    expect(v.mediation).toMatchObject({ value: null, numerator: null, denominator: null });
    expect(v.mediation_days).toMatchObject({ value: null, numerator: null, denominator: null });
    expect(v.online).toMatchObject({ value: 0.75, previous: null });
    expect(v.accept_p50).toMatchObject({ value: null, numerator: 0 });
  });
});

describe('mediation figures (issue 14; S4, S8)', () => {
  it('调解成功率 is agreements over cases closed; 调解用时 is the median days with its count', () => {
    const now = figures({ mediation: { num: 3, den: 4 }, mediationDays: { n: 3, median: 6.5 } });
    const before = figures({ mediation: { num: 0, den: 2 }, mediationDays: { n: 0, median: null } });
    const v = Object.fromEntries(valuesOf(now, before).map((x) => [x.code, x]));
    expect(v.mediation).toMatchObject({ value: 0.75, numerator: 3, denominator: 4, previous: 0 });
    expect(v.mediation_days).toMatchObject({ value: 6.5, numerator: 3, denominator: null, previous: null });
    expect(KPIS.mediation_days).toMatchObject({ unit: 'days', better: 'down', events: 'none' });
  });
});
