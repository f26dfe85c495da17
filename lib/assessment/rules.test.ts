import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuleSetInputV1, RuleSetV1, type RuleSetV1 as RuleSet } from '../contracts/assessment';
import { KPIS } from '../analytics/kpis';
import { INDICATOR_CODES, INDICATORS, indicatorMarkdownTable } from './indicators';
import { defaultRuleSet, itemPoints, scoreWith, starsFor } from './rules';

/*
 * Issue 15 point 1 and its acceptance "bad input" (S13, S14): a rule set that references an
 * unknown indicator, whose score weights do not sum to 100, or whose star bands overlap, is
 * refused with the field named — and so is every other refusal of the contract.
 */

const base = (): RuleSet => structuredClone(defaultRuleSet(2026));

/** The issues of a refused rule set as `path: message`, the path as the routes say it (without `body.`). */
function refusal(r: unknown): { path: string; message: string }[] {
  const parsed = RuleSetV1.safeParse(r);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('the indicator catalogue', () => {
  it('has the issue’s indicators, codes unique, and reuses the cockpit’s code and 口径 where it is the same measure', () => {
    expect([...INDICATOR_CODES].sort()).toEqual([
      'accountability', 'complaints', 'consultations', 'coverage', 'group_incidents', 'inspections', 'mediation', 'on_time', 'on_time_accept',
      'petitions_skip', 'red_cards', 'review', 'satisfaction', 'verify_pass', 'yellow_cards',
    ]);
    for (const code of ['on_time', 'satisfaction', 'mediation', 'coverage'] as const) {
      const i = INDICATORS.find((x) => x.code === code)!;
      expect(i.name).toBe(KPIS[code].name);
      expect(i.source.startsWith(KPIS[code].definition)).toBe(true);
    }
    expect(INDICATORS.filter((i) => 'deduction' in i).map((i) => i.code).sort()).toEqual(['accountability', 'group_incidents', 'petitions_skip']);
    expect(indicatorMarkdownTable().split('\n')).toHaveLength(INDICATORS.length + 2);
  });

  it('the README (## 考评细则) carries the table generated from the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(indicatorMarkdownTable());
  });
});

describe('the default rule set', () => {
  it('passes its own contract: score weights 100, stars 1–5 from 60 to 100', () => {
    const r = RuleSetV1.parse(defaultRuleSet(2027));
    expect(r.year).toBe(2027);
    expect(r.items.filter((i) => i.kind === 'score').reduce((s, i) => s + i.weight, 0)).toBe(100);
    expect(r.stars.map((s) => s.stars)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('the rule contract refuses, naming the field (issue 15 acceptance: bad input)', () => {
  it('a formula referencing an unknown indicator: items.<i>.formula, with its name and position', () => {
    const r = base();
    r.items[1].formula = '20 * on_tme';
    expect(refusal(r)).toContainEqual({ path: 'items.1.formula', message: '第 6 个字符：未知的指标“on_tme”' });
  });

  it('a formula that cannot be read: items.<i>.formula with the position', () => {
    const r = base();
    r.items[0].formula = '10 * (on_time_accept';
    expect(refusal(r)).toEqual([{ path: 'items.0.formula', message: '第 21 个字符：此处应为右括号“)”，却是公式结尾' }]);
  });

  it('a weight sum other than 100: items, with the sum', () => {
    const r = base();
    r.items[0].weight = 12.5;
    expect(refusal(r)).toEqual([{ path: 'items', message: '计分项分值之和须为 100，现为 102.5' }]);
  });

  it('deduction weights do not count towards the 100', () => {
    const r = base();
    r.items.find((i) => i.kind === 'deduction')!.weight = 40;
    expect(RuleSetV1.safeParse(r).success).toBe(true);
  });

  it('overlapping star bands: stars.<i>', () => {
    const r = base();
    r.stars[2].min = 78;
    expect(refusal(r)).toEqual([{ path: 'stars.2', message: '3 星区间与 2 星区间重叠：下限 78 小于上一区间的上限 80' }]);
  });

  it('a gap between star bands: stars.<i>', () => {
    const r = base();
    r.stars[3].min = 90;
    expect(refusal(r)).toEqual([{ path: 'stars.3', message: '4 星区间与 3 星区间之间有空档：下限 90 大于上一区间的上限 88' }]);
  });

  it('a band whose min is not below its max, stars out of order, a top band short of 100', () => {
    const r = base();
    r.stars = [{ stars: 1, min: 60, max: 60 }, { stars: 3, min: 60, max: 99 }];
    expect(refusal(r)).toEqual([
      { path: 'stars.0', message: '1 星区间的下限须小于上限' },
      { path: 'stars.1.stars', message: '星级区间须从 1 星起按星级递增排列，此处应为 2 星' },
      { path: 'stars.1.max', message: '最高星级区间的上限须为 100（总分满分），现为 99' },
    ]);
  });

  it('duplicate item codes: items.<i>.code, naming the first', () => {
    const r = base();
    r.items[2].code = r.items[0].code;
    expect(refusal(r)).toEqual([{ path: 'items.2.code', message: '编码“accept”与第 1 项重复' }]);
  });

  it('an unknown, repeated or unused indicator in the list: items.<i>.indicators.<j>', () => {
    const r = base();
    r.items[0].indicators = ['on_time_accept', 'bogus', 'on_time_accept', 'coverage'];
    expect(refusal(r)).toEqual([
      { path: 'items.0.indicators.1', message: '未知的指标“bogus”' },
      { path: 'items.0.indicators.2', message: '指标“on_time_accept”重复列出' },
      { path: 'items.0.indicators.3', message: '指标“coverage”未在公式中使用' },
    ]);
  });

  it('a known indicator the item does not list: items.<i>.formula, with its position', () => {
    const r = base();
    r.items[0].formula = '5 * on_time_accept + 5 * on_time';
    expect(refusal(r)).toEqual([{ path: 'items.0.formula', message: '第 26 个字符：指标“on_time”（按期办结率）未列入本项的 indicators' }]);
  });

  it('field checks: weight range and hundredths, kinds, codes, names, empty lists, unknown keys', () => {
    const r = base() as unknown as Record<string, unknown> & RuleSet;
    r.items[0].weight = -1;
    r.items[1].weight = 20.125;
    (r.items[2] as { kind: string }).kind = 'bonus';
    r.items[3].code = 'Cards!';
    r.items[4].name = '  ';
    r.extra = 1;
    const paths = refusal(r).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['items.0.weight', 'items.1.weight', 'items.2.kind', 'items.3.code', 'items.4.name', '']));
    expect(refusal({ ...base(), items: [], stars: [] }).map((i) => i.path)).toEqual(expect.arrayContaining(['items', 'stars']));
    expect(refusal({ ...base(), year: 1999 }).map((i) => i.path)).toEqual(['year']);
  });

  it('the POST input is the rule set plus a requestKey, refused the same way', () => {
    const r = { ...base(), requestKey: 'short' };
    r.items[1].formula = 'on_tme';
    const parsed = RuleSetInputV1.safeParse(r);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['items.1.formula', 'requestKey']);
  });
});

describe('what a rule set makes of the figures', () => {
  const rules = RuleSetV1.parse(defaultRuleSet(2026));
  const figures = {
    on_time_accept: 0.9, on_time: 0.8, verify_pass: 1, yellow_cards: 2, red_cards: 1, consultations: 1.2, inspections: 0.5,
    coverage: 0.75, satisfaction: 0.96, mediation: null, complaints: 3, petitions_skip: 1, group_incidents: 0,
    review: 0.8, accountability: 1,
  };

  it('each item is its formula clamped to 0..weight; no data is full marks for a score item and nothing off for a deduction', () => {
    const byCode = Object.fromEntries(scoreWith(rules, figures).items.map((i) => [i.code, i.points]));
    // Hand-computed: 10×0.9, 20×0.8, 10×1, 10−2−3, 10×min(1.2,1), 10×0.5, 10×0.75, satisfaction ≥ 0.95 → 10, mediation no data → 5, review 5×0.8; deductions 0.5×3, 5×1, 10×0, 2×1.
    expect(byCode).toEqual({ accept: 9, handle: 16, verify: 10, cards: 5, consult: 10, inspect: 5, coverage: 7.5, satisfaction: 10, mediation: 5, review: 4, complaints: 1.5, petitions: 5, group_incidents: 0, accountability: 2 });
    const cards = rules.items.find((i) => i.code === 'cards')!;
    expect(itemPoints(cards, { yellow_cards: 5, red_cards: 4 })).toEqual({ points: 0, noData: false });
    expect(itemPoints(rules.items.find((i) => i.code === 'complaints')!, { complaints: null })).toEqual({ points: 0, noData: true });
  });

  it('the total is the score items less the deductions (capped), the stars its band', () => {
    const s = scoreWith(rules, figures);
    expect(s.earned).toBe(81.5);
    expect(s.deducted).toBe(8.5);
    expect(s.total).toBe(73);
    expect(s.stars).toBe(2);
    const worst = scoreWith(rules, { ...figures, group_incidents: 3, petitions_skip: 4, complaints: 20 });
    expect(worst.deducted).toBe(30);
    expect(worst.total).toBe(51.5);
    expect(worst.stars).toBe(0);
  });

  it('items whose indicators do not apply to the subject are left out and the rest scaled to 100 (a person, issue 15 point 2)', () => {
    const person = new Set(['on_time', 'verify_pass', 'yellow_cards', 'red_cards', 'satisfaction', 'complaints', 'petitions_skip', 'group_incidents', 'accountability']);
    const s = scoreWith(rules, figures, (code) => person.has(code));
    const off = s.items.filter((i) => i.notApplicable).map((i) => i.code).sort();
    expect(off).toEqual(['accept', 'consult', 'coverage', 'inspect', 'mediation', 'review']);
    // handle 16 + verify 10 + cards 5 + satisfaction 10 = 41 of 50 → 82; − (1.5 + 5 + 0 + 2) = 73.5
    expect([s.earned, s.deducted, s.total]).toEqual([82, 8.5, 73.5]);
    expect(scoreWith(rules, figures, () => true)).toEqual(scoreWith(rules, figures));
    expect(scoreWith(rules, figures, () => false).earned).toBe(0);
  });

  it('bands are [min, max), the top one including 100', () => {
    expect([0, 59.99, 60, 69.99, 70, 88, 94.99, 95, 100].map((t) => starsFor(rules, t))).toEqual([0, 0, 1, 1, 2, 4, 4, 5, 5]);
  });
});
