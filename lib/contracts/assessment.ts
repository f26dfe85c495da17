import { z } from 'zod';
import { compile, FormulaError, MAX_FORMULA_LENGTH, references } from '../assessment/formula';
import { INDICATOR_BY_CODE, isIndicator } from '../assessment/indicators';
import { IdempotencyKey } from './events';

/*
 * 考评细则 (issue 15 point 1; S13 assessment rules, S14 star-rated stations): a rule set per year
 * and version, edited by the district as data. Items with a weight in points and a formula over
 * the indicators of lib/assessment/indicators.ts; 'score' items make up exactly 100 points,
 * 'deduction' items (越级信访, 群体性事件 …) take points off up to a cap; star bands map the total
 * to one to five stars. One contract for the routes, the scoring job and the tests. A refusal
 * names the field: items.3.formula, stars.2, items (issue 15 acceptance: bad input).
 */

export const RULE_SET_STATES = ['draft', 'active', 'retired'] as const;
export type RuleSetState = (typeof RULE_SET_STATES)[number];
export const RULE_SET_STATE_LABEL: Record<RuleSetState, string> = { draft: '草稿', active: '生效', retired: '已停用' };

export const ITEM_KINDS = ['score', 'deduction'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_KIND_LABEL: Record<ItemKind, string> = { score: '计分项', deduction: '扣分项' };

/** Points are kept to hundredths: a weight sum is compared in whole hundredths, never as floats. */
const Points = (what: string) =>
  z.number({ error: `${what}须为数字` })
    .min(0, `${what}不能小于 0`)
    .max(100, `${what}不能大于 100`)
    .refine((x) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6, `${what}最多两位小数`);
const hundredths = (x: number) => Math.round(x * 100);

export const AssessmentYear = z.number({ error: '年度须为数字' }).int('年度须为整数').min(2000, '年度不早于 2000').max(2100, '年度不晚于 2100');

export const RuleItemV1 = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '编码须为小写字母开头的字母、数字或下划线，最多 40 个字符'),
  name: z.string().trim().min(1, '请填写考评项名称').max(50, '名称最多 50 字'),
  kind: z.enum(ITEM_KINDS, { error: '类型须为 score（计分项）或 deduction（扣分项）' }),
  /** The indicators the formula uses (lib/assessment/indicators.ts); the formula may name no other, and names each. */
  indicators: z.array(z.string(), { error: '须为指标代码的数组' }).min(1, '至少使用一个指标').max(10, '最多 10 个指标'),
  /** Points: a score item's full marks, a deduction item's most it takes off. */
  weight: Points('分值'),
  /** lib/assessment/formula.ts; the result is clamped to 0..weight (for a deduction: the points taken off). */
  formula: z.string().trim().min(1, '请填写计分公式').max(MAX_FORMULA_LENGTH, `公式最多 ${MAX_FORMULA_LENGTH} 个字符`),
  note: z.string().trim().max(300, '说明最多 300 字').optional(),
}).strict();
export type RuleItemV1 = z.infer<typeof RuleItemV1>;

/** A star band: a total in [min, max) earns `stars`; the top band includes its max (100). */
export const StarBandV1 = z.object({
  stars: z.number({ error: '星级须为数字' }).int('星级须为整数').min(1, '星级为 1–5').max(5, '星级为 1–5'),
  min: Points('下限'),
  max: Points('上限'),
}).strict();
export type StarBandV1 = z.infer<typeof StarBandV1>;

const ruleSetShape = {
  year: AssessmentYear,
  name: z.string().trim().min(1, '请填写细则名称').max(100, '名称最多 100 字'),
  items: z.array(RuleItemV1, { error: '须为考评项的数组' }).min(1, '至少一个考评项').max(60, '最多 60 个考评项'),
  /** The most all deduction items together take off a total. */
  deductionCap: Points('扣分上限'),
  stars: z.array(StarBandV1, { error: '须为星级区间的数组' }).min(1, '至少一个星级区间').max(5, '最多 5 个星级区间'),
};

const RuleSetShape = z.object(ruleSetShape).strict();
type RuleSetDraft = z.infer<typeof RuleSetShape>;
type Issue = { path: (string | number)[]; message: string };

/**
 * What a well-formed rule set must also satisfy, each refusal with its field: duplicate codes,
 * indicators that are not in the catalogue or not used, formulas that cannot be read or name an
 * unknown (or unlisted) indicator, a score weight sum other than 100, star bands that overlap,
 * leave a gap, skip a star or do not reach 100. Exported for the lib tests and the scoring job.
 */
export function ruleSetIssues(r: RuleSetDraft): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  r.items.forEach((item, i) => {
    const first = seen.get(item.code);
    if (first !== undefined) issues.push({ path: ['items', i, 'code'], message: `编码“${item.code}”与第 ${first + 1} 项重复` });
    else seen.set(item.code, i);
    item.indicators.forEach((code, j) => {
      if (!isIndicator(code)) issues.push({ path: ['items', i, 'indicators', j], message: `未知的指标“${code}”` });
      else if (item.indicators.indexOf(code) !== j) issues.push({ path: ['items', i, 'indicators', j], message: `指标“${code}”重复列出` });
    });
    try {
      // Unknown to the catalogue first (with its position), then known but not listed for this item.
      const ast = compile(item.formula, isIndicator);
      const listed = new Set(item.indicators);
      const named = references(ast);
      const unlisted = named.find((n) => !listed.has(n.name));
      if (unlisted)
        issues.push({ path: ['items', i, 'formula'], message: `第 ${unlisted.pos + 1} 个字符：指标“${unlisted.name}”（${INDICATOR_BY_CODE.get(unlisted.name)!.name}）未列入本项的 indicators` });
      const used = new Set(named.map((n) => n.name));
      item.indicators.forEach((code, j) => {
        if (isIndicator(code) && !used.has(code)) issues.push({ path: ['items', i, 'indicators', j], message: `指标“${code}”未在公式中使用` });
      });
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
      issues.push({ path: ['items', i, 'formula'], message: err.message });
    }
  });

  const scoreSum = r.items.filter((it) => it.kind === 'score').reduce((s, it) => s + hundredths(it.weight), 0);
  if (scoreSum !== 100_00)
    issues.push({ path: ['items'], message: `计分项分值之和须为 100，现为 ${scoreSum / 100}` });

  r.stars.forEach((band, i) => {
    if (band.stars !== i + 1) issues.push({ path: ['stars', i, 'stars'], message: `星级区间须从 1 星起按星级递增排列，此处应为 ${i + 1} 星` });
    if (hundredths(band.min) >= hundredths(band.max)) issues.push({ path: ['stars', i], message: `${band.stars} 星区间的下限须小于上限` });
    const prev = r.stars[i - 1];
    if (prev && hundredths(band.min) !== hundredths(prev.max))
      issues.push({
        path: ['stars', i],
        message: hundredths(band.min) < hundredths(prev.max)
          ? `${band.stars} 星区间与 ${prev.stars} 星区间重叠：下限 ${band.min} 小于上一区间的上限 ${prev.max}`
          : `${band.stars} 星区间与 ${prev.stars} 星区间之间有空档：下限 ${band.min} 大于上一区间的上限 ${prev.max}`,
      });
  });
  const top = r.stars.at(-1);
  if (top && hundredths(top.max) !== 100_00)
    issues.push({ path: ['stars', r.stars.length - 1, 'max'], message: `最高星级区间的上限须为 100（总分满分），现为 ${top.max}` });
  return issues;
}

const refine = (r: RuleSetDraft, ctx: z.RefinementCtx) => {
  for (const issue of ruleSetIssues(r)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
};

/** The rule set as stored (assessment_rule_sets.body) and as the scoring job reads it. */
export const RuleSetV1 = RuleSetShape.superRefine(refine);
export type RuleSetV1 = z.infer<typeof RuleSetV1>;

/** POST /api/v1/assessment/rules: a new version (a draft) of the year's rules; the same requestKey again answers as the first time. */
export const RuleSetInputV1 = z.object({ ...ruleSetShape, requestKey: IdempotencyKey }).strict().superRefine(refine);
export type RuleSetInputV1 = z.infer<typeof RuleSetInputV1>;

/** POST /api/v1/assessment/rules/:id/activate. */
export const ActivateInputV1 = z.object({ requestKey: IdempotencyKey }).strict();
export type ActivateInputV1 = z.infer<typeof ActivateInputV1>;

export const RuleListQuery = z.object({ year: z.coerce.number().pipe(AssessmentYear).optional() }).strict();

/** One version of a year's rules, as the routes answer. */
export interface RuleSetRecordV1 {
  id: number;
  year: number;
  version: number;
  name: string;
  state: RuleSetState;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  activatedAt: string | null;
  /** Left out of the list; present in GET one and the answers of POST. */
  body?: RuleSetV1;
}
