import { z } from 'zod';
import { CategoryCode, ExternalSource } from './events';
import { INT4_MAX } from './numeric';

/**
 * Periodic statistics of systems not yet integrated (S9), version 1: a UTF-8 CSV posted to
 * POST /api/v1/stats with the source's API key, one row per day, category and region.
 */
export const STATS_COLUMNS = ['date', 'category', 'region_code', 'count'] as const;
export type StatsColumn = (typeof STATS_COLUMNS)[number];

export const MAX_STATS_ROWS = 10_000;
export const MAX_STATS_BYTES = 2 * 1024 * 1024;
/** A typo such as 0226 for 2026 must not slip in as a real day. */
export const EARLIEST_STATS_DAY = '2000-01-01';

function isCalendarDay(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const StatsDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD，例如 2026-03-01')
  .refine(isCalendarDay, '不是存在的日期');

/** One CSV row as text (the parser trims each field), checked for shape; existence is the server's. */
export const StatsCsvRow = z.object({
  date: StatsDay.refine((d) => d >= EARLIEST_STATS_DAY, `日期不能早于 ${EARLIEST_STATS_DAY}`),
  category: z.string().min(1, '分类代码不能为空').pipe(CategoryCode),
  region_code: z
    .string()
    .min(1, '区划代码不能为空')
    .regex(/^[0-9A-Za-z_-]{1,32}$/, '区划代码只能含字母、数字、-、_，最长 32 位'),
  count: z
    .string()
    .regex(/^\d+$/, '数量须为不小于 0 的整数')
    .transform(Number)
    .pipe(z.number().max(INT4_MAX, `数量不能超过 ${INT4_MAX}`)),
});

export interface StatsRowV1 {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  day: string;
  category: string;
  regionCode: string;
  count: number;
}

/** Where a row went wrong: a column name, or `row` (wrong number of fields), `header`, `body`. */
export type StatsField = StatsColumn | 'row' | 'header' | 'body';

export type StatsRowReport = { row: number; ok: true } | { row: number; ok: false; field: StatsField; message: string };

/**
 * The answer to an upload, row by row. All or nothing: 200 with every row ok and `accepted` the
 * number written, or 422 with `accepted: 0` and the rows at fault (error and message as every error).
 */
export interface StatsUploadReceiptV1 {
  accepted: number;
  rows: StatsRowReport[];
  error?: string;
  message?: string;
}

/** GET /api/v1/stats: days inclusive, Asia/Shanghai; by default the last 30 days. */
export const StatsQuery = z.object({
  from: StatsDay.optional(),
  to: StatsDay.optional(),
  source: ExternalSource.optional(),
});
export const MAX_STATS_QUERY_DAYS = 366;

export interface StatsSumRow {
  source: string;
  sourceLabel: string;
  category: string;
  categoryLabel: string;
  regionCode: string;
  regionName: string;
  regionLevel: string;
  /** The sum over the days of the range. */
  count: number;
  /** How many days of the range the source reported for this category and region. */
  days: number;
}

export interface StatsSummaryV1 {
  from: string;
  to: string;
  source: ExternalSource | null;
  total: number;
  rows: StatsSumRow[];
}
