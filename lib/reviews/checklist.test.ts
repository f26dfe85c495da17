import { describe, expect, it } from 'vitest';
import { AccountabilityInputV1 } from '../contracts/accountability';
import { REVIEW_SECTIONS, ReviewSaveV1, ReviewTaskInputV1, type PulledFigureV1 } from '../contracts/reviews';
import { applyInputs, bySection, CHECKLIST, CHECKLIST_TOTAL, FIGURES, freshItems, scoringIssues, taskRefusal, totalOf, withFigures } from './checklist';

/* The S14 checklist as data (issue 15 point 3) and the accountability contract (point 4), without a database. */

const AT = '2031-03-01T00:00:00.000Z';
const figure = (code: keyof typeof FIGURES, value: number): PulledFigureV1 => ({ code, label: FIGURES[code].label, unit: FIGURES[code].unit, value });

describe('the checklist (S14: 建成情况, 功能区配备, 工作制度实施, 派驻人员, 实际成效)', () => {
  it('has the five sections of the standard, 20 marks each, 100 in all, unique codes, known figures', () => {
    expect(CHECKLIST_TOTAL).toBe(100);
    expect(REVIEW_SECTIONS.map((s) => s.name)).toEqual(['建成情况', '功能区配备', '工作制度实施', '派驻人员', '实际成效']);
    for (const s of REVIEW_SECTIONS) expect(CHECKLIST.filter((i) => i.section === s.code).reduce((n, i) => n + i.full, 0)).toBe(20);
    expect(new Set(CHECKLIST.map((i) => i.code)).size).toBe(CHECKLIST.length);
    for (const i of CHECKLIST) for (const f of i.figures) expect(FIGURES).toHaveProperty(f);
  });

  it('a fresh review carries each item’s pulled figures and nothing scored; pulling again keeps the scores', () => {
    const figures = new Map([['grids', figure('grids', 12)], ['gridders_full', figure('gridders_full', 10)]]);
    const items = freshItems(figures, AT);
    const grid = items.find((i) => i.code === 'staffing.grid')!;
    expect(grid.figures.map((f) => [f.code, f.value])).toEqual([['grids', 12], ['gridders_full', 10]]);
    expect(items.every((i) => i.score === null && i.photos.length === 0 && i.pulledAt === AT)).toBe(true);
    const scored = applyInputs(items, [{ code: 'staffing.grid', score: 6, finding: '两个网格无专职网格员' }]).items;
    const again = withFigures(scored, new Map([['grids', figure('grids', 13)]]), '2031-04-01T00:00:00.000Z');
    expect(again.find((i) => i.code === 'staffing.grid')).toMatchObject({ score: 6, finding: '两个网格无专职网格员', figures: [{ code: 'grids', value: 13 }] });
  });

  it('applying changes names the item at fault: not in the list, above full marks', () => {
    const items = freshItems(new Map(), AT);
    const { issues } = applyInputs(items, [{ code: 'built.units', score: 8 }, { code: 'nothing', score: 1 }, { code: 'built.site', score: 6.01 }]);
    expect(issues.map((i) => i.path)).toEqual(['body.items.1.code', 'body.items.2.score']);
    const { items: cleared } = applyInputs(applyInputs(items, [{ code: 'built.units', score: 8 }]).items, [{ code: 'built.units', score: null }]);
    expect(cleared[0].score).toBeNull();
  });

  it('is ready to score when every item is scored and each lost mark has a finding; totals in hundredths', () => {
    let items = freshItems(new Map(), AT);
    expect(scoringIssues(items)).toHaveLength(CHECKLIST.length);
    items = applyInputs(items, CHECKLIST.map((c) => ({ code: c.code, score: c.full }))).items;
    items = applyInputs(items, [{ code: 'results.on_time', score: 6.66 }, { code: 'results.satisfaction', score: 6.67 }]).items;
    expect(scoringIssues(items).map((i) => i.path)).toEqual(['items.13.finding', 'items.14.finding']);
    items = applyInputs(items, [{ code: 'results.on_time', finding: '按期办结率偏低' }, { code: 'results.satisfaction', finding: '满意率偏低' }]).items;
    expect(scoringIssues(items)).toEqual([]);
    expect(totalOf(items)).toEqual({ score: 99.33, max: 100 });
    expect(bySection(items).map((s) => [s.section, s.score])).toEqual([['built', 20], ['facilities', 20], ['rules', 20], ['staffing', 20], ['results', 19.33]]);
  });

  it('a follow-up task only for an item below full marks with a finding', () => {
    const items = applyInputs(freshItems(new Map(), AT), [{ code: 'built.site', score: 3 }, { code: 'built.units', score: 8 }]).items;
    expect(taskRefusal(items.find((i) => i.code === 'built.units'))).toMatch(/低于满分/);
    expect(taskRefusal(items.find((i) => i.code === 'built.site'))).toMatch(/存在的问题/);
    expect(taskRefusal(undefined)).not.toBeNull();
    const found = applyInputs(items, [{ code: 'built.site', finding: '无公示栏' }]).items;
    expect(taskRefusal(found.find((i) => i.code === 'built.site'))).toBeNull();
  });

  it('the inputs refuse duplicates, three decimals and impossible days, naming the field', () => {
    const save = ReviewSaveV1.safeParse({ requestKey: 'abcdefgh', items: [{ code: 'a', score: 1.234 }, { code: 'a' }] });
    expect(save.success).toBe(false);
    expect(save.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['items.0.score', 'items.1.code']);
    expect(ReviewTaskInputV1.safeParse({ itemCode: 'a', title: 't', dueOn: '2031-02-29' }).success).toBe(false);
    expect(ReviewTaskInputV1.safeParse({ itemCode: 'a', title: 't', dueOn: '2032-02-29' }).success).toBe(true);
  });
});

describe('the accountability contract (S13)', () => {
  const valid = { requestKey: 'abcdefgh', kind: 'notice', stationId: 1, source: 'manual', personIds: [1], title: 't', detail: 'd', decidedOn: '2026-11-30' };
  it('a manual record needs no events; one from a red card or an overdue list does; no one twice', () => {
    expect(AccountabilityInputV1.safeParse(valid).success).toBe(true);
    for (const source of ['red_card', 'overdue']) {
      const r = AccountabilityInputV1.safeParse({ ...valid, source });
      expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['eventIds']);
    }
    const twice = AccountabilityInputV1.safeParse({ ...valid, personIds: [1, 1], eventIds: [2, 2] });
    expect(twice.error?.issues.map((i) => i.path.join('.'))).toEqual(['personIds', 'eventIds']);
    expect(AccountabilityInputV1.safeParse({ ...valid, kind: 'warning' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['kind']);
  });
});
