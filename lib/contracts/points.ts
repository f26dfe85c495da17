import { z } from 'zod';
import { IdempotencyKey } from './events';

/*
 * Rewards (积分; issue 15 point 5, S14): marking an event found false, recording a redemption,
 * reading a ledger and a station's leaderboard. One contract for the routes and the tests.
 */

const Text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `最多 ${max} 字`);
/** A resident's tracking code (migration 019). */
const CitizenCode = z.string().trim().toUpperCase().regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, '须为 10 位查询码');

/** 查实虚假上报: the reason is required (S14: points taken back with a ledger entry). */
export const FalseReportV1 = z.object({
  eventId: z.number().int().positive('须为事件编号'),
  reason: Text(500, '请填写查实为虚假的理由'),
  requestKey: IdempotencyKey,
}).strict();
export type FalseReportV1 = z.infer<typeof FalseReportV1>;

/** 积分兑换: for a person, or for a resident by their request's code. */
export const RedemptionV1 = z.object({
  personId: z.number().int().positive('须为人员编号').optional(),
  citizenCode: CitizenCode.optional(),
  item: Text(100, '请填写兑换内容'),
  points: z.number().int('须为整数').positive('须大于 0').max(100_000, '最多 100000'),
  requestKey: IdempotencyKey,
}).strict().refine((v) => (v.personId === undefined) !== (v.citizenCode === undefined), {
  path: ['personId'], message: '须指定人员编号或群众查询码（二选一）',
});
export type RedemptionV1 = z.infer<typeof RedemptionV1>;

export const LEADERBOARD_PERIOD_LABEL = { month: '本月', year: '本年' } as const;
export const LeaderboardQuery = z.object({
  stationId: z.coerce.number().int().positive('须为工作站编号').optional(),
  period: z.enum(['month', 'year'], { error: '须为 month 或 year' }).default('month'),
});
export type LeaderboardQuery = z.infer<typeof LeaderboardQuery>;

export interface LedgerEntryV1 {
  id: number;
  at: string;
  points: number;
  ruleCode: string | null;
  ruleLabel: string | null;
  reason: string;
  eventId: number | null;
  inspectionId: number | null;
  redemptionId: number | null;
  stationId: number | null;
  /** A resident's entries: the request's tracking code. */
  citizenCode: string | null;
}

export interface LedgerV1 {
  holder: string;
  personId: number | null;
  name: string | null;
  balance: number;
  entries: LedgerEntryV1[];
}

export interface LeaderboardRowV1 {
  rank: number;
  personId: number;
  name: string;
  points: number;
}

/**
 * GET /api/v1/points/events/:id — an event's standing for assessment, for the console drawer's
 * 考评 section: the false mark, the district's flags (S13 deductions) and the points its reports
 * earned or lost. The station's leaders and the district.
 */
export interface EventPointsV1 {
  eventId: number;
  falseReport: { reason: string; markedAt: string; markedName: string | null } | null;
  petitionSkip: boolean;
  groupIncident: boolean;
  entries: { id: number; at: string; points: number; ruleLabel: string | null; reason: string; holderName: string }[];
}

/**
 * A resident's points on the /m tracking answer (their phone's, across requests): the balance and
 * the latest entries in plain words, with no phone number, no event numbers and no staff notes.
 */
export interface CitizenPointsV1 {
  balance: number;
  entries: { at: string; points: number; label: string }[];
}
