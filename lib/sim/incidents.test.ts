import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../categories';
import { seededRandom } from '../random';
import { pastIncidents } from './history';
import { drawCategory, draftIncident, escalate, placeModel } from './incident';
import { dailyFactor, nextArrival, shanghaiHour } from './rhythm';
import { titleFor } from './titles';
import type { LonLat } from './geometry';

const HOUR = 3600_000;
/** 00:00 Asia/Shanghai on 6 May 2026. */
const MIDNIGHT = Date.UTC(2026, 4, 5, 16, 0, 0);

describe('incident mix', () => {
  it('converges to the category shares of lib/categories.ts', () => {
    const rand = seededRandom(4);
    const n = 100_000;
    const seen = new Map<string, number>();
    const subs = new Map<string, number>();
    let missingSub = 0;
    for (let i = 0; i < n; i++) {
      const { category, sub } = drawCategory(rand);
      seen.set(category.code, (seen.get(category.code) ?? 0) + 1);
      if (sub) subs.set(`${category.code}/${sub.code}`, (subs.get(`${category.code}/${sub.code}`) ?? 0) + 1);
      else if (category.subcategories.length) missingSub += 1;
    }
    expect(missingSub).toBe(0);
    for (const c of CATEGORIES) {
      expect((seen.get(c.code) ?? 0) / n, c.code).toBeCloseTo(c.share, 2);
      // A category the simulator never draws (share 0: 投诉建议, issue 14) has no mix of sub-categories to converge to.
      for (const s of c.share > 0 ? c.subcategories : []) {
        const expected = (c.share * n) / c.subcategories.length;
        expect(Math.abs((subs.get(`${c.code}/${s.code}`) ?? 0) - expected) / expected, `${c.code}/${s.code}`).toBeLessThan(0.1);
      }
    }
  });

  it('keeps the default severity mostly, escalating about one in ten', () => {
    const rand = seededRandom(5);
    const out = Array.from({ length: 20_000 }, () => escalate('normal', rand));
    const up = out.filter((s) => s !== 'normal').length / out.length;
    expect(up).toBeGreaterThan(0.07);
    expect(up).toBeLessThan(0.13);
    expect(out).not.toContain('low');
    expect(escalate('critical', () => 0)).toBe('critical');
  });

  it('titles incidents in Chinese by place and what happened', () => {
    const dispute = CATEGORIES.find((c) => c.code === 'dispute')!;
    const hazard = CATEGORIES.find((c) => c.code === 'hazard')!;
    const city = CATEGORIES.find((c) => c.code === 'city')!;
    expect(titleFor(dispute, { label: '宅基地/房屋' }, '荻港村', Math.random)).toBe('荻港村宅基地、房屋纠纷');
    expect(titleFor(dispute, { label: '邻里纠纷' }, '荻港村', Math.random)).toBe('荻港村邻里纠纷');
    expect(titleFor(hazard, { label: '生产安全' }, '镇北社区', Math.random)).toBe('镇北社区生产安全隐患');
    expect(titleFor(hazard, { label: '消防' }, '镇北社区', Math.random)).toBe('镇北社区消防安全隐患');
    expect(titleFor(city, undefined, '百间楼社区', () => 0)).toBe('百间楼社区占道经营');
  });

  it('gives hotspots their larger share and spreads the rest over grids by population', () => {
    const pt = (x: number): LonLat[] => [[120.3 + x, 30.8]];
    const places = placeModel(
      [{ name: '甲村', points: pt(0), weight: 900 }, { name: '乙村', points: pt(0.01), weight: 100 }, { name: '空村', points: [], weight: 1e6 }],
      [{ name: '古镇', points: pt(0.02), weight: 0, share: 0.1 }],
    );
    const rand = seededRandom(6);
    const n = 50_000;
    const count = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const d = draftIncident(rand, places);
      const where = d.title.slice(0, 2);
      count.set(where, (count.get(where) ?? 0) + 1);
    }
    expect((count.get('古镇') ?? 0) / n).toBeCloseTo(0.1, 2);
    expect((count.get('甲村') ?? 0) / n).toBeCloseTo(0.81, 2);
    expect(count.has('空村')).toBe(false);
  });
});

describe('daily rhythm (Asia/Shanghai)', () => {
  it('reads the hour on Beijing time', () => {
    expect(shanghaiHour(MIDNIGHT + 3 * HOUR)).toBeCloseTo(3, 9);
  });

  it('is lower at 03:00 than at 10:00 and averages 1 over a day', () => {
    expect(dailyFactor(MIDNIGHT + 3 * HOUR)).toBeLessThan(dailyFactor(MIDNIGHT + 10 * HOUR) / 5);
    let sum = 0;
    for (let m = 0; m < 24 * 60; m++) sum += dailyFactor(MIDNIGHT + m * 60_000);
    expect(sum / (24 * 60)).toBeCloseTo(1, 2);
  });

  it('arrivals keep the hourly rate over days and follow the rhythm', () => {
    const rand = seededRandom(8);
    const perHour = 40;
    const days = 14;
    const byHour = new Array<number>(24).fill(0);
    let n = 0;
    for (let t = nextArrival(MIDNIGHT, perHour, rand); t < MIDNIGHT + days * 24 * HOUR; t = nextArrival(t, perHour, rand)) {
      byHour[Math.floor(shanghaiHour(t))] += 1;
      n += 1;
    }
    const expected = perHour * 24 * days;
    expect(Math.abs(n - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(byHour[10]).toBeGreaterThan(5 * byHour[3]);
    expect(byHour[15]).toBeGreaterThan(byHour[12]);
  });
});

describe('history (backfill model)', () => {
  it('is mostly closed with a few open, each state reached between report and now, due in 5 days', () => {
    const rand = seededRandom(10);
    const now = MIDNIGHT + 14.5 * HOUR;
    const places = placeModel([{ name: '甲村', points: [[120.3, 30.8]], weight: 1 }], []);
    const past = pastIncidents(now - 14 * 24 * HOUR, now, 40, rand, places);
    expect(Math.abs(past.length - 40 * 24 * 14)).toBeLessThan(4 * Math.sqrt(40 * 24 * 14));
    const open = past.filter((p) => !['closed', 'returned', 'merged'].includes(p.state));
    expect(past.filter((p) => p.state === 'closed').length / past.length).toBeGreaterThan(0.85);
    expect(open.length).toBeGreaterThan(20);
    expect(open.length / past.length).toBeLessThan(0.03);
    expect(open.filter((p) => p.reportedAt < now - 5 * 24 * HOUR).length).toBeGreaterThan(0);
    expect(past.filter((p) => p.stateAt < p.reportedAt || p.stateAt > now || p.deadlineAt - p.reportedAt !== 5 * 24 * HOUR)).toEqual([]);
  });
});
