import { KPI_CODES, type KpiCode } from '@/lib/contracts/kpi';
import { DISTRICT_ROLES, type Role } from '@/lib/roles';

/**
 * The leaders' indicators (issue 13; S9 early warning, S13 station assessment): name, unit, which
 * way is better, and the written 口径 shown on hover and copied into the README. One vocabulary:
 * the UI, the routes and the README all read this table. The SQL of each lives in
 * server/analytics/predicates.ts (and, for the rollup, migration 017) and must say what is written
 * here: the fixture-month test counts by hand what these sentences say.
 */
export type KpiUnit = 'count' | 'ratio' | 'hours' | 'days';

export interface KpiDefinition {
  code: KpiCode;
  name: string;
  unit: KpiUnit;
  better: 'up' | 'down';
  /** 口径: what is counted, from which time to which, which states. */
  definition: string;
  /** Whether the figure is counted of events (so it has a list behind it), and of which part. */
  events: 'numerator' | 'both' | 'none';
}

/** Common to every event figure: the cohort is the events REPORTED in the period, by Shanghai day. */
const COHORT = '按上报时间（北京时间自然日）归入时段';

export const KPIS: Record<KpiCode, KpiDefinition> = {
  reported: {
    code: 'reported', name: '上报件数', unit: 'count', better: 'up', events: 'numerator',
    definition: `时段内上报的全部事件件数（含已退回、已合并）；${COHORT}。`,
  },
  completion: {
    code: 'completion', name: '办结率', unit: 'ratio', better: 'up', events: 'both',
    definition: `时段内上报的事件中已办结（有办结时间：已办结或已评价）的件数 ÷ 时段内上报件数减去被退回、被合并的件数；${COHORT}。`,
  },
  on_time: {
    code: 'on_time', name: '按期办结率', unit: 'ratio', better: 'up', events: 'both',
    definition:
      `已办结事件中，处置完成时间不晚于处置时限的件数 ÷ 已办结件数（不含退回、合并）。处置时限在受理时按工作日设定，节假日与调休以节假日表为准（S12、S13）；${COHORT}。`,
  },
  overdue: {
    code: 'overdue', name: '超期件数', unit: 'count', better: 'down', events: 'numerator',
    definition: `时段内上报的事件中超过任一时限的件数：受理晚于受理时限，或处置完成晚于处置时限，或当前环节已亮黄牌、红牌（S13 督办）；${COHORT}。`,
  },
  accept_p50: {
    code: 'accept_p50', name: '受理用时中位数', unit: 'hours', better: 'down', events: 'numerator',
    definition: `已受理事件从上报到受理的小时数的中位数（精确分位数，连续插值），按自然时间计；${COHORT}。`,
  },
  accept_p90: {
    code: 'accept_p90', name: '受理用时90分位', unit: 'hours', better: 'down', events: 'numerator',
    definition: `已受理事件从上报到受理的小时数的第 90 百分位（精确分位数，连续插值），按自然时间计；${COHORT}。`,
  },
  handle_p50: {
    code: 'handle_p50', name: '处置用时中位数', unit: 'hours', better: 'down', events: 'numerator',
    definition: `已处置事件从受理到处置完成的小时数的中位数（精确分位数，连续插值），按自然时间计；${COHORT}。`,
  },
  handle_p90: {
    code: 'handle_p90', name: '处置用时90分位', unit: 'hours', better: 'down', events: 'numerator',
    definition: `已处置事件从受理到处置完成的小时数的第 90 百分位（精确分位数，连续插值），按自然时间计；${COHORT}。`,
  },
  satisfaction: {
    code: 'satisfaction', name: '群众满意率', unit: 'ratio', better: 'up', events: 'both',
    definition: `群众评价为 4 分或 5 分（满分 5 分）的件数 ÷ 已评价件数；无评价时为空；${COHORT}。`,
  },
  mediation: {
    code: 'mediation', name: '调解成功率', unit: 'ratio', better: 'up', events: 'none',
    definition: '时段内结案（按北京时间结案日）的调解案件中结果为“达成协议”的件数 ÷ 时段内结案的调解案件数（达成协议、未达成、转诉讼或其他机关均计入分母）；来源：调解案件台账（S4、S8）；无结案时为空；不按网格拆分。',
  },
  mediation_days: {
    code: 'mediation_days', name: '调解用时中位数', unit: 'days', better: 'down', events: 'none',
    definition: '时段内结案（按北京时间结案日）且达成协议的调解案件，从立案到结案的天数（自然时间，可含小数）的中位数（精确分位数，连续插值）；无此类案件时为空；不按网格拆分。',
  },
  repeat: {
    code: 'repeat', name: '重复事件率', unit: 'ratio', better: 'down', events: 'both',
    definition: `上报时被标为重复（同类别、100 米内、24 小时内已有未办结事件）的件数 ÷ 上报件数；${COHORT}。`,
  },
  online: {
    code: 'online', name: '在线率', unit: 'ratio', better: 'up', events: 'none',
    definition: '当前值：区域内近 5 分钟有定位上报的在岗力量数 ÷ 区域内在岗力量数（不含“下班”状态）；不随时段变化，无上期值。',
  },
  coverage: {
    code: 'coverage', name: '巡查覆盖率', unit: 'ratio', better: 'up', events: 'none',
    definition: '所选时段最后一天所在月份：本月已走访的重点场所数 ÷ 应走访的重点场所数（S10 场所清，巡查全覆盖模块）；按月计。',
  },
};

export const KPI_LIST: readonly KpiDefinition[] = KPI_CODES.map((c) => KPIS[c]);

/** The README table (## 指标（KPI）口径), generated from this file; a test holds the README to it. */
export function kpiMarkdownTable(): string {
  const unit: Record<KpiUnit, string> = { count: '件', ratio: '比率（0–1）', hours: '小时', days: '天' };
  const rows = KPI_LIST.map((k) => `| \`${k.code}\` | ${k.name} | ${unit[k.unit]} | ${k.better === 'up' ? '越高越好' : '越低越好'} | ${k.definition} |`);
  return ['| 代码 | 名称 | 单位 | 方向 | 口径 |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** Who reads the cockpit's figures (issue 13): the district roles, the station's two leaders (S7), and wall screens. */
export const KPI_READERS: readonly Role[] = [...DISTRICT_ROLES, 'station_chief', 'deputy_chief', 'display'];
