import { z } from 'zod';
import { PERIOD_PATTERN, parsePeriod } from '../assessment/periods';
import { DepartmentCode, IdempotencyKey } from './events';
import { Day } from './reviews';

/*
 * Accountability records (issue 15 point 4; S13: 对因推诿、懈怠、工作不力等原因导致问题未及时解决……
 * 予以通报批评，造成恶劣影响或严重后果的予以问责追责): made by the district from a red card, from a
 * station's overdue list or by hand, naming the people concerned and linked to their events;
 * revoked with a reason, never deleted. The `accountability` indicator counts them by weight.
 */

export const ACCOUNTABILITY_KINDS = ['notice', 'talk', 'accountability'] as const;
export type AccountabilityKind = (typeof ACCOUNTABILITY_KINDS)[number];
export const ACCOUNTABILITY_KIND_LABEL: Record<AccountabilityKind, string> = { notice: '通报批评', talk: '约谈', accountability: '问责' };
/** What one record counts in the `accountability` indicator (lib/assessment/indicators.ts): the heavier, the more. */
export const ACCOUNTABILITY_WEIGHT: Record<AccountabilityKind, number> = { notice: 1, talk: 2, accountability: 3 };

export const ACCOUNTABILITY_SOURCES = ['red_card', 'overdue', 'manual'] as const;
export type AccountabilitySource = (typeof ACCOUNTABILITY_SOURCES)[number];
export const ACCOUNTABILITY_SOURCE_LABEL: Record<AccountabilitySource, string> = { red_card: '红牌督办', overdue: '超期未办', manual: '手工登记' };

const Text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `最多 ${max} 字`);
const Id = (what: string) => z.number({ error: `须为${what}编号` }).int(`须为${what}编号`).positive(`须为${what}编号`);
const QueryId = (what: string) => z.coerce.number({ error: `须为${what}编号` }).int(`须为${what}编号`).positive(`须为${what}编号`);

/** POST /api/v1/accountability */
export const AccountabilityInputV1 = z.object({
  requestKey: IdempotencyKey,
  kind: z.enum(ACCOUNTABILITY_KINDS, { error: '须为 notice（通报批评）、talk（约谈）或 accountability（问责）' }),
  stationId: Id('工作站'),
  departmentCode: DepartmentCode.optional(),
  source: z.enum(ACCOUNTABILITY_SOURCES, { error: '须为 red_card、overdue 或 manual' }),
  personIds: z.array(Id('人员')).min(1, '请至少点名一人').max(50, '最多 50 人'),
  eventIds: z.array(Id('事件')).max(200, '最多 200 件').default([]),
  title: Text(200, '请填写标题'),
  detail: Text(4000, '请填写事由与处理意见'),
  decidedOn: Day,
}).strict().superRefine((v, ctx) => {
  if (v.source !== 'manual' && v.eventIds.length === 0)
    ctx.addIssue({ code: 'custom', path: ['eventIds'], message: v.source === 'red_card' ? '由红牌督办作出的，须关联被亮红牌的事件' : '由超期清单作出的，须关联超期事件' });
  if (new Set(v.personIds).size !== v.personIds.length) ctx.addIssue({ code: 'custom', path: ['personIds'], message: '同一人只能点名一次' });
  if (new Set(v.eventIds).size !== v.eventIds.length) ctx.addIssue({ code: 'custom', path: ['eventIds'], message: '同一事件只能关联一次' });
});
export type AccountabilityInputV1 = z.infer<typeof AccountabilityInputV1>;

/** POST /api/v1/accountability/:id/revoke */
export const AccountabilityRevokeV1 = z.object({
  requestKey: IdempotencyKey,
  reason: Text(1000, '请填写撤销理由'),
}).strict();
export type AccountabilityRevokeV1 = z.infer<typeof AccountabilityRevokeV1>;

export const AccountabilityListQuery = z.object({
  stationId: QueryId('工作站').optional(),
  kind: z.enum(ACCOUNTABILITY_KINDS, { error: '须为 notice、talk 或 accountability' }).optional(),
  source: z.enum(ACCOUNTABILITY_SOURCES, { error: '须为 red_card、overdue 或 manual' }).optional(),
  personId: QueryId('人员').optional(),
  from: Day.optional(),
  to: Day.optional(),
  revoked: z.enum(['include', 'exclude', 'only'], { error: '须为 include、exclude 或 only' }).default('include'),
}).strict();
export type AccountabilityListQuery = z.infer<typeof AccountabilityListQuery>;

/** GET /api/v1/accountability/prefill?event=: a draft from a red-carded event. */
export const RedCardPrefillQuery = z.object({ event: QueryId('事件') }).strict();

/** GET /api/v1/accountability/overdue?stationId=&period=: a draft from the station's overdue events of a period. */
export const OverduePrefillQuery = z.object({
  stationId: QueryId('工作站'),
  period: z.string({ error: '须为考评时段' }).refine((k) => PERIOD_PATTERN.test(k) && parsePeriod(k) !== null, '须为 YYYY-MM、YYYY-Qn 或 YYYY（年度 2000–2100）'),
}).strict();

export interface AccountabilityPersonV1 {
  id: number;
  name: string;
  /** In a draft: why the person is proposed (handled the event, dispatched to it …). */
  why?: string;
}

export interface AccountabilityEventV1 {
  id: number;
  title: string;
  state: string;
  card: 'none' | 'yellow' | 'red';
  reportedAt: string;
  departmentCode: string | null;
  /** Past a limit: accepted or handled late, or still open past its handling limit. */
  overdue: boolean;
  redCarded: boolean;
}

export interface AccountabilityRecordV1 {
  id: number;
  kind: AccountabilityKind;
  weight: number;
  stationId: number;
  stationName: string;
  departmentCode: string | null;
  departmentName: string | null;
  source: AccountabilitySource;
  title: string;
  detail: string;
  decidedOn: string;
  createdName: string | null;
  createdAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  people: AccountabilityPersonV1[];
  events: AccountabilityEventV1[];
}

/** What the create form starts from: a red card's or an overdue list's station, department, people and events. */
export interface AccountabilityDraftV1 {
  source: AccountabilitySource;
  stationId: number;
  stationName: string;
  departmentCode: string | null;
  people: AccountabilityPersonV1[];
  events: AccountabilityEventV1[];
  title: string;
  detail: string;
}
