import type { RuleItemV1, RuleSetV1 } from '../contracts/assessment';
import { DISTRICT_ROLES, type Role } from '../roles';
import { compile, evaluate, type FormulaNode, type FormulaValues } from './formula';
import { isIndicator } from './indicators';

/**
 * 考评细则 as data (issue 15 point 1; S13, S14): the default rule set a fresh district starts with,
 * who reads the rules, and what a rule set makes of an item's figures (the scoring job, next,
 * only gathers the figures and stores what these functions say).
 */

/** Who reads the rules (S13: the district assesses, the stations are assessed and may read by what): the district roles and the station's two leaders (S7). */
export const ASSESSMENT_READERS: readonly Role[] = [...DISTRICT_ROLES, 'station_chief', 'deputy_chief'];

/**
 * The default rules, seeded once for the current year (server/assessment/seed.ts) and edited by the
 * district from then on. Score items 100 points: closing the loop on time (S12) 40, supervision
 * (S13 cards) 10, the S11 consultations and S10 inspections 20, coverage (S10) 10, the public's
 * satisfaction and mediation (S8, S14) 15, the town's yearly review of the station (S14) 5.
 * Deductions (S13: 越级信访, 群体性事件, complaints, accountability records) up to 30.
 * Stars (S14): 60, 70, 80, 88 and 95 points for one to five.
 */
export function defaultRuleSet(year: number): RuleSetV1 {
  return {
    year,
    name: `${year} 年度联动站考评细则（默认）`,
    items: [
      { code: 'accept', name: '按时受理', kind: 'score', indicators: ['on_time_accept'], weight: 10, formula: '10 * on_time_accept' },
      { code: 'handle', name: '按期办结', kind: 'score', indicators: ['on_time'], weight: 20, formula: '20 * on_time' },
      { code: 'verify', name: '核查通过', kind: 'score', indicators: ['verify_pass'], weight: 10, formula: '10 * verify_pass' },
      {
        code: 'cards', name: '督办亮牌', kind: 'score', indicators: ['yellow_cards', 'red_cards'], weight: 10,
        formula: '10 - 1 * yellow_cards - 3 * red_cards', note: '每张黄牌扣 1 分、红牌扣 3 分，扣完为止',
      },
      { code: 'consult', name: '联勤会商', kind: 'score', indicators: ['consultations'], weight: 10, formula: '10 * min(consultations, 1)' },
      { code: 'inspect', name: '巡查联查', kind: 'score', indicators: ['inspections'], weight: 10, formula: '10 * min(inspections, 1)' },
      { code: 'coverage', name: '巡查覆盖', kind: 'score', indicators: ['coverage'], weight: 10, formula: '10 * coverage' },
      {
        code: 'satisfaction', name: '群众满意', kind: 'score', indicators: ['satisfaction'], weight: 10,
        formula: 'if(satisfaction >= 0.95, 10, 10 * satisfaction)', note: '满意率达 95% 即得满分',
      },
      { code: 'review', name: '建设验收', kind: 'score', indicators: ['review'], weight: 5, formula: '5 * review', note: '镇（街道）年度验收得分率；未验收不扣分' },
      { code: 'mediation', name: '调解成功', kind: 'score', indicators: ['mediation'], weight: 5, formula: '5 * mediation' },
      { code: 'complaints', name: '群众投诉', kind: 'deduction', indicators: ['complaints'], weight: 5, formula: '0.5 * complaints', note: '每件投诉扣 0.5 分' },
      { code: 'petitions', name: '越级信访', kind: 'deduction', indicators: ['petitions_skip'], weight: 10, formula: '5 * petitions_skip', note: '每件扣 5 分' },
      { code: 'group_incidents', name: '群体性事件', kind: 'deduction', indicators: ['group_incidents'], weight: 20, formula: '10 * group_incidents', note: '每起扣 10 分' },
      { code: 'accountability', name: '追责问责', kind: 'deduction', indicators: ['accountability'], weight: 10, formula: '2 * accountability', note: '通报批评记 1、约谈记 2、问责记 3，每记 1 扣 2 分' },
    ],
    deductionCap: 30,
    stars: [
      { stars: 1, min: 60, max: 70 },
      { stars: 2, min: 70, max: 80 },
      { stars: 3, min: 80, max: 88 },
      { stars: 4, min: 88, max: 95 },
      { stars: 5, min: 95, max: 100 },
    ],
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Parsed formulas by text: a month's scoring applies the same dozen formulas to thousands of subjects. */
const compiled = new Map<string, FormulaNode>();
function formulaOf(src: string): FormulaNode {
  let node = compiled.get(src);
  if (!node) {
    if (compiled.size > 1000) compiled.clear();
    node = compile(src, isIndicator);
    compiled.set(src, node);
  }
  return node;
}

/**
 * An item's points from its figures: the formula's value clamped to 0..weight (issue 15: "result
 * clamped to 0..weight"), to hundredths. No data (null) scores a score item's full weight and takes
 * nothing off for a deduction: what cannot be measured is not held against the station; a rule
 * that wants otherwise says so with ifnull().
 */
export function itemPoints(item: RuleItemV1, values: FormulaValues): { points: number; noData: boolean } {
  const raw = evaluate(formulaOf(item.formula), values);
  if (raw === null) return { points: item.kind === 'score' ? item.weight : 0, noData: true };
  return { points: round2(Math.min(Math.max(raw, 0), item.weight)), noData: false };
}

export interface RuleSetScore {
  items: { code: string; kind: RuleItemV1['kind']; points: number; noData: boolean; notApplicable: boolean }[];
  /** Sum of the score items (0..100), scaled to 100 when some do not apply to the subject. */
  earned: number;
  /** Sum of the deductions, capped at deductionCap. */
  deducted: number;
  /** earned − deducted, not below 0. */
  total: number;
  /** 0 when below the lowest band. */
  stars: number;
}

/** The star band a total falls in: [min, max), the top band including its max. */
export function starsFor(rules: Pick<RuleSetV1, 'stars'>, total: number): number {
  const last = rules.stars.length - 1;
  const band = rules.stars.find((b, i) => total >= b.min && (total < b.max || (i === last && total <= b.max)));
  return band?.stars ?? 0;
}

/**
 * A whole rule set over one subject's figures (a station's month, say). `applies` says which
 * indicators are measured of the subject at all (lib/assessment/applicability.ts): an item none of
 * whose indicators applies is left out, and the score items that remain are scaled to 100 — a
 * handler is scored on the handling, verification, cards and ratings of their own events, not given
 * the station's consultations as free full marks (issue 15 point 2: star staff). Without `applies`
 * (a station) every item counts.
 */
export function scoreWith(rules: RuleSetV1, values: FormulaValues, applies?: (indicator: string) => boolean): RuleSetScore {
  const items = rules.items.map((item) => {
    const notApplicable = applies !== undefined && !item.indicators.some(applies);
    if (notApplicable) return { code: item.code, kind: item.kind, points: 0, noData: true, notApplicable };
    return { code: item.code, kind: item.kind, ...itemPoints(item, values), notApplicable };
  });
  const counted = items.filter((i) => !i.notApplicable);
  const sum = (kind: RuleItemV1['kind']) => round2(counted.filter((i) => i.kind === kind).reduce((s, i) => s + i.points, 0));
  const scoreWeight = rules.items.filter((it, n) => it.kind === 'score' && !items[n].notApplicable).reduce((s, it) => s + it.weight, 0);
  const earned = scoreWeight > 0 ? round2((sum('score') * 100) / scoreWeight) : 0;
  const deducted = Math.min(sum('deduction'), rules.deductionCap);
  const total = round2(Math.max(0, earned - deducted));
  return { items, earned, deducted, total, stars: starsFor(rules, total) };
}
