import { z } from 'zod';
import { PERIOD_PATTERN, parsePeriod } from '../assessment/periods';
import type { IndicatorCode } from '../assessment/indicators';
import type { ItemKind } from './assessment';
import { IdempotencyKey } from './events';

/*
 * Scores (issue 15 point 2; S13 assessment, S14 star stations and star staff): computed by the
 * scoring job for every station, department team and staff member, per month, quarter and year;
 * frozen when the period ends; adjusted by hand by the district with a reason. One contract for
 * the job, the routes, the console, the wall, the xlsx report and the tests (migration 023).
 */

export const SUBJECT_KINDS = ['station', 'team', 'person'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const SUBJECT_KIND_LABEL: Record<SubjectKind, string> = { station: '联动站', team: '入驻部门', person: '工作人员' };

/**
 * Who a score is of, as one string (assessment_scores.subject_key):
 * 's:<station id>', 't:<station id>:<department code>', 'p:<person id>'.
 */
export const SUBJECT_KEY_PATTERN = /^(s:[1-9]\d{0,9}|t:[1-9]\d{0,9}:[a-z][a-z0-9_]{0,39}|p:[1-9]\d{0,9})$/;
export const subjectKey = {
  station: (stationId: number) => `s:${stationId}`,
  team: (stationId: number, departmentCode: string) => `t:${stationId}:${departmentCode}`,
  person: (personId: number) => `p:${personId}`,
};

export const PeriodKey = z.string({ error: '须为考评时段' }).trim()
  .regex(PERIOD_PATTERN, '考评时段须为 YYYY-MM（月度）、YYYY-Qn（季度）或 YYYY（年度）')
  .refine((k) => !PERIOD_PATTERN.test(k) || parsePeriod(k) !== null, '年度须在 2000–2100 之间');
export const SubjectKey = z.string({ error: '须为考评对象' }).regex(SUBJECT_KEY_PATTERN, '考评对象须为 s:<工作站>、t:<工作站>:<部门代码> 或 p:<人员>');

/** GET /api/v1/assessment/scores */
export const ScoreListQuery = z.object({
  period: PeriodKey,
  subjectKind: z.enum(SUBJECT_KINDS, { error: '须为 station、team 或 person' }).default('station'),
  stationId: z.coerce.number().int().positive('须为工作站编号').optional(),
}).strict();
export type ScoreListQuery = z.infer<typeof ScoreListQuery>;

/** An indicator's figure with what it was made of (a ratio's numerator and denominator, a count's count). */
export interface FigureV1 {
  /** null: no data (an empty denominator). */
  value: number | null;
  num?: number;
  den?: number;
}
export type FiguresV1 = Partial<Record<IndicatorCode, FigureV1>>;

export interface ScoreItemV1 {
  code: string;
  name: string;
  kind: ItemKind;
  weight: number;
  points: number;
  noData: boolean;
  /** None of the item's indicators is measured of this kind of subject: left out, the rest scaled to 100 (lib/assessment/rules.ts scoreWith). Absent on scores computed before it existed. */
  notApplicable?: boolean;
}

export interface ScoreV1 {
  id: number;
  period: string;
  periodKind: 'month' | 'quarter' | 'year';
  subjectKind: SubjectKind;
  subjectKey: string;
  stationId: number;
  stationName: string;
  departmentCode: string | null;
  departmentName: string | null;
  personId: number | null;
  personName: string | null;
  ruleSetId: number;
  ruleVersion: number;
  /** Sum of the score items (0–100) and of the deductions (capped), as computed. */
  earned: number;
  deducted: number;
  computedTotal: number;
  /** Sum of the district's manual adjustments (may be negative). */
  adjustment: number;
  /** computedTotal + adjustment, within 0..100: what the ranking, the stars and the report use. */
  total: number;
  stars: number;
  /** Rank among the period's subjects of the same kind (and, for teams and people, the same station), 1 = best. */
  rank: number | null;
  /** Events the score counted (the subject's cohort of the period). */
  eventCount: number;
  frozen: boolean;
  frozenAt: string | null;
  computedAt: string;
}

export interface AdjustmentV1 {
  id: number;
  points: number;
  reason: string;
  byName: string | null;
  at: string;
}

/** One event behind a score, with what it counted for. */
export interface ScoreEventV1 {
  id: number;
  title: string;
  category: string;
  state: string;
  reportedAt: string;
  onTimeAccept: boolean | null;
  onTime: boolean | null;
  card: 'none' | 'yellow' | 'red';
  rating: number | null;
  petitionSkip: boolean;
  groupIncident: boolean;
}

/** GET /api/v1/assessment/scores/:id: the score, its items, figures, adjustments and the events behind it. */
export interface ScoreDetailV1 extends ScoreV1 {
  items: ScoreItemV1[];
  figures: FiguresV1;
  adjustments: AdjustmentV1[];
  /** The first 500 by report time; eventCount says how many there are. */
  events: ScoreEventV1[];
}

/** POST /api/v1/assessment/adjustments: the district's manual adjustment, with its reason (S13). */
export const AdjustmentInputV1 = z.object({
  period: PeriodKey,
  subjectKey: SubjectKey,
  points: z.number({ error: '调整分值须为数字' })
    .min(-100, '调整分值不小于 -100').max(100, '调整分值不大于 100')
    .refine((x) => x !== 0, '调整分值不能为 0')
    .refine((x) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6, '调整分值最多两位小数'),
  reason: z.string({ error: '请填写调整理由' }).trim().min(2, '请填写调整理由（至少 2 字）').max(500, '理由最多 500 字'),
  requestKey: IdempotencyKey,
}).strict();
export type AdjustmentInputV1 = z.infer<typeof AdjustmentInputV1>;

/** POST /api/v1/events/:id/flags: 越级信访 / 群体性事件, set by the district (S13 deductions). */
export const EventFlagsInputV1 = z.object({
  petitionSkip: z.boolean({ error: '须为 true 或 false' }).optional(),
  groupIncident: z.boolean({ error: '须为 true 或 false' }).optional(),
  reason: z.string({ error: '请填写理由' }).trim().min(2, '请填写理由（至少 2 字）').max(500, '理由最多 500 字'),
  requestKey: IdempotencyKey,
}).strict().refine((v) => v.petitionSkip !== undefined || v.groupIncident !== undefined, {
  path: ['petitionSkip'], message: '须指定越级信访或群体性事件标记',
});
export type EventFlagsInputV1 = z.infer<typeof EventFlagsInputV1>;

/** What the wall shows of a station's standing: the latest frozen month's stars (S14 星级联动站). */
export interface StationStarsV1 {
  stationId: number;
  period: string;
  stars: number;
  total: number;
}

/** POST /api/v1/assessment/compute: score a period now (the district, after a correction of data). */
export const ComputeInputV1 = z.object({ period: PeriodKey }).strict();
export type ComputeInputV1 = z.infer<typeof ComputeInputV1>;

/** The answer of POST /api/v1/events/:id/flags. */
export interface EventFlagsV1 {
  eventId: number;
  petitionSkip: boolean;
  groupIncident: boolean;
}
