import { KPIS } from '../analytics/kpis';
import type { KpiCode } from '../contracts/kpi';

/**
 * The indicators an assessment rule (考评细则, issue 15 point 1; S13 assessment rules, S14 star
 * stations) may use in its formulas: one vocabulary, read by the rule contract
 * (lib/contracts/assessment.ts), the routes, the README and, next, the scoring job. Where the
 * cockpit already measures the same thing (lib/analytics/kpis.ts) the code and the 口径 are the
 * cockpit's, so a score and the cockpit never disagree about what "按期办结率" means.
 *
 * Units: `ratio` is 0–1 (a formula multiplies it by the points), `count` is a number of things in
 * the period. A ratio whose denominator is empty is null (no data); see lib/assessment/formula.ts
 * for how null flows through a formula.
 */
export type IndicatorUnit = 'ratio' | 'count';

export interface IndicatorDefinition {
  code: string;
  name: string;
  unit: IndicatorUnit;
  better: 'up' | 'down';
  /** 口径: what is counted and from where. */
  source: string;
  /** The cockpit KPI this is, when it is one (same code, same 口径). */
  kpi?: KpiCode;
  /** A deduction (扣分项, S13 accountability): counted from events flagged so. */
  deduction?: true;
}

const COHORT = '按上报时间（北京时间自然日）归入考评时段';

/** A cockpit KPI as an indicator: its code, name and 口径 (plus what the assessment adds). */
const fromKpi = <C extends KpiCode>(code: C, extra = '') => {
  const k = KPIS[code];
  if (k.unit !== 'ratio' && k.unit !== 'count') throw new Error(`KPI ${code} is not a ratio or a count`);
  return { code, name: k.name, unit: k.unit as IndicatorUnit, better: k.better, source: k.definition + extra, kpi: code };
};

export const INDICATORS = [
  {
    code: 'on_time_accept', name: '按时受理率', unit: 'ratio', better: 'up',
    source: `已受理事件中，受理时间不晚于受理时限（事件的 accept_due_at，受理时按工作日设定）的件数 ÷ 已受理件数（不含退回、合并）；来源：事件表（S12、S13）；${COHORT}。`,
  },
  fromKpi('on_time'),
  {
    code: 'verify_pass', name: '核查通过率', unit: 'ratio', better: 'up',
    source: '时段内专职网格员核查（S12 闭环）中“核查通过”的次数 ÷ 核查次数（通过与不通过之和）；来源：事件流转记录（event_log 的 verify_pass、verify_fail 动作），按核查时间（北京时间）归入时段。',
  },
  {
    code: 'red_cards', name: '红牌数', unit: 'count', better: 'down',
    source: '时段内亮出的红牌督办次数（S13）；来源：事件流转记录中督办（supervise）且 card 为 red 的条目，按亮牌时间（北京时间）归入时段。',
  },
  {
    code: 'yellow_cards', name: '黄牌数', unit: 'count', better: 'down',
    source: '时段内亮出的黄牌督办次数（S13）；来源：事件流转记录中督办（supervise）且 card 为 yellow 的条目，按亮牌时间（北京时间）归入时段。',
  },
  {
    code: 'consultations', name: '会商召开率', unit: 'ratio', better: 'up',
    source: '时段内已召开（已开始或已结束）的例行会商次数 ÷ 按 S11 应召开的次数（每周由常务副站长主持一次、每月由站长主持一次，周次按 lib/command/meetings 的周历，节假日整周休息不计）；来源：会商记录；可超过 1，公式中宜用 min(consultations, 1)。',
  },
  {
    code: 'inspections', name: '联查开展率', unit: 'ratio', better: 'up',
    source: '时段内已开展的联合巡查次数 ÷ 按 S10 应开展的次数（常驻部门每周牵头一次、工作站每月组织全体入驻部门一次，重点时段加密，按 lib/command/inspections 的要求逐项计，每项完成数不超过要求数）；来源：联查记录。',
  },
  fromKpi('coverage', '考评按时段内各月的平均值（issue 12）。'),
  fromKpi('satisfaction'),
  {
    code: 'complaints', name: '投诉件数', unit: 'count', better: 'down',
    source: `群众经群众端（/m）或 Open311 提交的“投诉”类诉求件数（类别 feedback.complaint，S14），不含建议、咨询；${COHORT}。`,
  },
  fromKpi('mediation'),
  {
    code: 'petitions_skip', name: '越级信访件数', unit: 'count', better: 'down', deduction: true,
    source: `标记为“越级信访”的事件件数（S13：推诿拖延致矛盾上行）；来源：事件表的越级信访标记，由区级录入，不含已退回、已合并的；${COHORT}。`,
  },
  {
    code: 'group_incidents', name: '群体性事件数', unit: 'count', better: 'down', deduction: true,
    source: `标记为“群体性事件”的事件件数（S13）；来源：事件表的群体性事件标记，由区级录入，不含已退回、已合并的；${COHORT}。`,
  },
  {
    code: 'review', name: '联动站建设验收得分率', unit: 'ratio', better: 'up',
    source: '镇（街道）对联动站的年度建设验收（S14：建成情况、功能区配备、工作制度实施、派驻人员、实际成效）由区级评定的得分 ÷ 满分；来源：验收清单（station_reviews，评定后才计），时段所在年度的一次验收用于该年度内每个时段；未评定为无数据。只对联动站计。',
  },
  {
    code: 'accountability', name: '追责问责记分', unit: 'count', better: 'down', deduction: true,
    source: '时段内作出的追责问责记录（S13）记分之和：通报批评 1、约谈 2、问责 3；来源：追责问责记录（accountability_records，撤销的不计），按作出时间（北京时间）归入时段；联动站计涉及本站的记录，部门计涉及本站该部门的，人员计点名该人员的。',
  },
] as const satisfies readonly IndicatorDefinition[];

export type IndicatorCode = (typeof INDICATORS)[number]['code'];
export const INDICATOR_CODES = INDICATORS.map((i) => i.code) as readonly IndicatorCode[];
export const INDICATOR_BY_CODE: ReadonlyMap<string, IndicatorDefinition> = new Map(INDICATORS.map((i): [string, IndicatorDefinition] => [i.code, i]));

export function isIndicator(code: string): code is IndicatorCode {
  return INDICATOR_BY_CODE.has(code);
}

/** The README table (## 考评细则), generated from this file. */
export function indicatorMarkdownTable(): string {
  const unit: Record<IndicatorUnit, string> = { ratio: '比率（0–1）', count: '件' };
  const rows = INDICATORS.map((i: IndicatorDefinition) =>
    `| \`${i.code}\` | ${i.name}${i.deduction ? '（扣分）' : ''} | ${unit[i.unit]} | ${i.better === 'up' ? '越高越好' : '越低越好'} | ${i.source} |`);
  return ['| 代码 | 名称 | 单位 | 方向 | 口径 |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
