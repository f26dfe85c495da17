import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '@/lib/assessment/rules';
import { RuleSetInputV1 } from '@/lib/contracts/assessment';
import { bodyOf, draftOf, issuesByField, shownFields } from './draft';

describe('考评细则 editor draft (issue 15 point 1, S13)', () => {
  it('round-trips the default rules into a body the contract accepts', () => {
    const body = bodyOf(draftOf(defaultRuleSet(2026)));
    const parsed = RuleSetInputV1.safeParse({ ...body, requestKey: 'test-key-0001' });
    expect(parsed.success).toBe(true);
    expect(body).toMatchObject({ year: 2026, deductionCap: 30 });
  });

  it('starts a new year from the active version, renamed for it', () => {
    const d = draftOf(defaultRuleSet(2026), 2027);
    expect(d.year).toBe('2027');
    expect(d.name).toBe('2027 年度联动站考评细则（默认）');
  });

  it('sends what is not a number as typed, so the server names it', () => {
    const d = draftOf(defaultRuleSet(2026));
    d.items[0].weight = '十';
    d.stars[1].min = '';
    d.items[1].indicators = 'on_time，verify_pass  ';
    const body = bodyOf(d) as { items: { weight: unknown; indicators: string[] }[]; stars: { min: unknown }[] };
    expect(body.items[0].weight).toBe('十');
    expect(body.stars[1].min).toBe('');
    expect(body.items[1].indicators).toEqual(['on_time', 'verify_pass']);
  });

  it('puts the contract’s refusal beside the field it names', () => {
    const d = draftOf(defaultRuleSet(2026));
    d.items[3].formula = '10 - unknown_thing';
    const parsed = RuleSetInputV1.safeParse({ ...bodyOf(d), requestKey: 'test-key-0001' });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message }));
    const { fields, rest } = issuesByField(issues, shownFields(d));
    expect(Object.keys(fields)).toContain('items.3.formula');
    expect(fields['items.3.formula']).toMatch(/unknown_thing/);
    expect(rest).toEqual([]);
  });

  it('folds an indicator’s issue into its item’s box and keeps the unshown in the form’s line', () => {
    const d = draftOf(defaultRuleSet(2026));
    const { fields, rest } = issuesByField([
      { path: 'body.items.2.indicators.0', message: '未知的指标“x”' },
      { path: 'body.requestKey', message: '须为请求键' },
    ], shownFields(d));
    expect(fields).toEqual({ 'items.2.indicators': '未知的指标“x”' });
    expect(rest).toEqual(['requestKey：须为请求键']);
  });
});
