import { z } from 'zod';
import { StatsDay } from './stats';
import { INT4_MAX } from './numeric';

/**
 * The leaders' indicators (issue 13; S9, S13, the design card's live KPIs), computed on the server
 * per area and period. Each has a code, a Chinese name and a written 口径 (lib/analytics/kpis.ts),
 * and one SQL query (server/analytics).
 */
export const KPI_CODES = [
  'reported', // 上报件数
  'completion', // 办结率
  'on_time', // 按期办结率
  'overdue', // 超期件数
  'accept_p50', // 受理用时中位数（小时）
  'accept_p90', // 受理用时 90 分位（小时）
  'handle_p50', // 处置用时中位数（小时）
  'handle_p90', // 处置用时 90 分位（小时）
  'satisfaction', // 群众满意率
  'mediation', // 调解成功率
  'mediation_days', // 调解用时中位数（天）
  'repeat', // 重复事件率
  'online', // 在线率
  'coverage', // 巡查覆盖率
] as const;
export const KpiCode = z.enum(KPI_CODES);
export type KpiCode = z.infer<typeof KpiCode>;

/**
 * An area of the district: `district`, `town:<code>`, `station:<id>` or `grid:<code>`.
 * A viewer bound to a station may ask for the station and its grids only.
 */
export const AreaRef = z
  .string()
  .max(60)
  .regex(/^(district|town:[0-9A-Za-z_-]{1,32}|station:[1-9][0-9]{0,9}|grid:[0-9A-Za-z_-]{1,32})$/, '须为 district、town:<代码>、station:<编号> 或 grid:<代码>')
  .refine((s) => !s.startsWith('station:') || Number(s.slice(8)) <= INT4_MAX, '工作站编号过大');
export type AreaRef = z.infer<typeof AreaRef>;

export type AreaKind = 'district' | 'town' | 'station' | 'grid';

/** today, this week (Monday first), this month (Asia/Shanghai), or `range` with from and to (days, inclusive). */
export const PeriodKind = z.enum(['today', 'week', 'month', 'range']);
export type PeriodKind = z.infer<typeof PeriodKind>;

/** Longest range a query may ask for: two years of days. */
export const MAX_KPI_RANGE_DAYS = 731;

export const KpiQuery = z
  .object({
    area: AreaRef.default('district'),
    period: PeriodKind.default('today'),
    from: StatsDay.optional(),
    to: StatsDay.optional(),
  })
  .refine((q) => q.period !== 'range' || (q.from !== undefined && q.to !== undefined), { message: '自定义时段须给出 from 与 to', path: ['from'] })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from 不能晚于 to', path: ['to'] });
export type KpiQuery = z.infer<typeof KpiQuery>;

/** Days, inclusive, Asia/Shanghai. */
export interface DayRange {
  from: string;
  to: string;
}

export interface KpiValue {
  code: KpiCode;
  /** null: nothing to measure (no events, no ratings, no mediation cases yet). Ratios are 0–1, times in hours. */
  value: number | null;
  /** The same figure over the previous period of the same length. */
  previous: number | null;
  /** Of a ratio: what was counted over what it was counted of; of a count: the count. */
  numerator: number | null;
  denominator: number | null;
}

export interface AreaInfo {
  ref: AreaRef;
  kind: AreaKind;
  name: string;
  /** The area one level up (drill back), null for the district. */
  parent: AreaRef | null;
}

export interface KpiAnswerV1 {
  area: AreaInfo;
  period: { kind: PeriodKind } & DayRange;
  previous: DayRange;
  values: KpiValue[];
  computedAt: string;
}

/** GET /api/v1/kpi/ranking: the areas one level below, side by side (互比互看). */
export interface KpiRankingV1 {
  area: AreaInfo;
  period: { kind: PeriodKind } & DayRange;
  rows: { area: AreaInfo; values: Partial<Record<KpiCode, number | null>> }[];
}

export const TrendQuery = z.object({
  area: AreaRef.default('district'),
  days: z.coerce.number().int().refine((n) => n === 7 || n === 30 || n === 90, '须为 7、30 或 90').default(30),
});

/** GET /api/v1/kpi/trend: daily lines, categories stacked. */
export interface KpiTrendV1 {
  area: AreaInfo;
  days: { day: string; reported: number; closed: number; overdue: number; byCategory: Record<string, number> }[];
  categories: { code: string; label: string }[];
}

/** Which side of a figure: the events counted (numerator) or those it was counted of (denominator). */
export const KpiPart = z.enum(['numerator', 'denominator']);

export const KpiEventsQuery = z
  .object({
    area: AreaRef.default('district'),
    period: PeriodKind.default('today'),
    from: StatsDay.optional(),
    to: StatsDay.optional(),
    kpi: KpiCode,
    part: KpiPart.default('numerator'),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => q.period !== 'range' || (q.from !== undefined && q.to !== undefined), { message: '自定义时段须给出 from 与 to', path: ['from'] });

/** GET /api/v1/kpi/events: the events behind a figure (every figure on screen can be traced to them). */
export interface KpiEventsV1 {
  kpi: KpiCode;
  part: 'numerator' | 'denominator';
  total: number;
  events: {
    id: number;
    title: string;
    category: string;
    categoryLabel: string;
    state: string;
    reportedAt: string;
    gridCode: string | null;
    stationId: number | null;
    /** The measured time of a duration figure, in hours. */
    hours: number | null;
  }[];
}
