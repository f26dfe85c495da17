import { z } from 'zod';
import { DisputeKind } from './citizen';
import { IdempotencyKey } from './events';
import { Phone } from './keyPerson';

/*
 * Mediation (issue 14 point 5; S4 branded mediation studios and people's, professional mediators;
 * S8 mediation of family, neighbour, homestead and compensation disputes): studios and mediators
 * per station, cases with their parties, sessions, outcome, agreement and follow-up visit.
 * One contract for the routes, the console, the phone and the tests.
 */

export const MEDIATOR_KIND_LABEL = {
  people: '人民调解员',
  lawyer: '律师',
  xiangxian: '乡贤',
  specialised: '专业调解员',
  other: '其他',
} as const;
export type MediatorKind = keyof typeof MEDIATOR_KIND_LABEL;
export const MediatorKind = z.enum(Object.keys(MEDIATOR_KIND_LABEL) as [MediatorKind, ...MediatorKind[]]);

/** 'success' exactly: the cockpit's 调解成功率 counts it (server/analytics/figures.ts mediation()). */
export const OUTCOME_LABEL = {
  success: '达成协议',
  failed: '未达成协议',
  referred: '转诉讼或其他机关',
} as const;
export type Outcome = keyof typeof OUTCOME_LABEL;
export const Outcome = z.enum(Object.keys(OUTCOME_LABEL) as [Outcome, ...Outcome[]]);

export const SIDE_LABEL = { applicant: '申请人', respondent: '被申请人' } as const;
export type Side = keyof typeof SIDE_LABEL;

const Instant = z.iso.datetime({ offset: true, error: '须为带时区的 ISO 8601 时间，如 2026-12-08T14:00:00+08:00' });
const Text = (max: number, empty = '请填写内容') => z.string().trim().min(1, empty).max(max, `最多 ${max} 字`);
const Id = z.number().int().positive();

export const PartyV1 = z.object({
  name: Text(50, '请填写当事人姓名'),
  side: z.enum(['applicant', 'respondent']),
  phone: Phone.optional(),
  address: z.string().trim().max(300).optional(),
  /** 身份证号等身份信息（协议书上写明），可不填。 */
  idNumber: z.string().trim().max(30).optional(),
}).strict();
export type PartyV1 = z.infer<typeof PartyV1>;

export const StudioInputV1 = z.object({
  stationId: Id.optional(),
  name: Text(100, '请填写工作室名称'),
  address: z.string().trim().max(300).optional(),
  kinds: z.array(DisputeKind).max(20).default([]),
  active: z.boolean().default(true),
}).strict();
export type StudioInputV1 = z.infer<typeof StudioInputV1>;

export const MediatorInputV1 = z.object({
  stationId: Id.optional(),
  studioId: Id.nullable().optional(),
  personId: Id.nullable().optional(),
  name: Text(50, '请填写调解员姓名'),
  kind: MediatorKind,
  kinds: z.array(DisputeKind).max(20).default([]),
  phone: Phone.optional(),
  active: z.boolean().default(true),
}).strict();
export type MediatorInputV1 = z.infer<typeof MediatorInputV1>;

/**
 * POST /api/v1/mediation/cases: from an event, from a resident's 调解申请 (its parties and dispute
 * kind come from the request when not given), or by hand (parties, dispute kind, summary required).
 */
export const CaseOpenV1 = z.object({
  idempotencyKey: IdempotencyKey,
  eventId: Id.optional(),
  citizenRequestId: Id.optional(),
  /** Needed only for a case opened by hand by a district role (a station account opens in its own station). */
  stationId: Id.optional(),
  disputeKind: DisputeKind.optional(),
  parties: z.array(PartyV1).min(2, '至少两方当事人').max(20).optional(),
  summary: Text(2000).optional(),
  studioId: Id.optional(),
  mediatorId: Id.optional(),
}).strict().refine((c) => !(c.eventId && c.citizenRequestId), { message: '事件与群众申请只能给一个', path: ['citizenRequestId'] });
export type CaseOpenV1 = z.infer<typeof CaseOpenV1>;

export const CaseAssignV1 = z.object({
  requestKey: IdempotencyKey,
  studioId: Id.nullable().optional(),
  mediatorId: Id.nullable().optional(),
}).strict();
export type CaseAssignV1 = z.infer<typeof CaseAssignV1>;

export const SessionInputV1 = z.object({
  requestKey: IdempotencyKey,
  at: Instant,
  place: Text(200, '请填写调解地点'),
  participants: z.array(Text(50)).max(50).default([]),
  notes: z.string().trim().max(4000).optional(),
}).strict();
export type SessionInputV1 = z.infer<typeof SessionInputV1>;

export const AgreementV1 = z.object({
  /** 协议内容. */
  terms: Text(4000, '达成协议须填写协议内容'),
  /** 各方的义务. */
  obligations: z.string().trim().max(4000).optional(),
  /** 履行方式、时限. */
  performance: z.string().trim().max(2000).optional(),
  signedAt: Instant.optional(),
}).strict();
export type AgreementV1 = z.infer<typeof AgreementV1>;

export const CaseCloseV1 = z.object({
  requestKey: IdempotencyKey,
  outcome: Outcome,
  agreement: AgreementV1.partial({ terms: true }).optional(),
  referredTo: z.string().trim().min(1).max(200).optional(),
}).strict();
export type CaseCloseV1 = z.infer<typeof CaseCloseV1>;

export const FollowupV1 = z.object({
  requestKey: IdempotencyKey,
  note: Text(2000, '请填写回访情况'),
  at: Instant.optional(),
}).strict();
export type FollowupV1 = z.infer<typeof FollowupV1>;

export const CaseListQuery = z.object({
  state: z.enum(['open', 'closed', 'overdue', 'followup']).optional(),
  mediatorId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export interface StudioV1 {
  id: number;
  stationId: number;
  name: string;
  address: string | null;
  kinds: string[];
  active: boolean;
}

export interface MediatorV1 {
  id: number;
  stationId: number;
  studioId: number | null;
  studioName: string | null;
  personId: number | null;
  name: string;
  kind: MediatorKind;
  kinds: string[];
  /** Masked except to the station's leaders. */
  phone: string | null;
  active: boolean;
}

export interface SessionV1 {
  id: number;
  at: string;
  place: string;
  participants: string[];
  notes: string | null;
  recordedBy: string | null;
}

export interface CaseSummaryV1 {
  id: number;
  /** 调解案件编号, e.g. 调〔2026〕12 号. */
  number: string;
  stationId: number;
  stationName: string;
  disputeKind: string;
  disputeKindLabel: string;
  /** 纠纷主要事实; names, phones and ID numbers masked when the viewer sees the parties masked. */
  summary: string;
  state: 'open' | 'closed';
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  mediatorId: number | null;
  mediatorName: string | null;
  studioId: number | null;
  studioName: string | null;
  outcome: Outcome | null;
  closedAt: string | null;
  followupDueAt: string | null;
  followupAt: string | null;
  /** The next session planned (at in the future), if any. */
  nextSession: { at: string; place: string } | null;
  /** Names only ("张三 诉 李四"), masked as the parties are. */
  partyNames: string[];
}

export interface CaseDetailV1 extends CaseSummaryV1 {
  eventId: number | null;
  citizenRequestId: number | null;
  parties: PartyV1[];
  /** Whether phones and addresses are shown in clear (the case's mediator, the station's leaders). */
  partiesInClear: boolean;
  referredTo: string | null;
  /** Null also when the parties are masked for the viewer (partiesInClear false): it names them. */
  agreement: AgreementV1 | null;
  /** Null also when the parties are masked for the viewer (partiesInClear false). */
  followupNote: string | null;
  sessions: SessionV1[];
  /** What the viewer may do now. */
  can: { assign: boolean; session: boolean; close: boolean; followup: boolean };
}

/** GET /api/v1/mediation/cases/:id/agreement: what the printed 调解协议书 shows. */
export interface AgreementDocV1 {
  number: string;
  committee: string;
  studioName: string | null;
  parties: PartyV1[];
  disputeKindLabel: string;
  facts: string;
  terms: string;
  obligations: string | null;
  performance: string | null;
  mediatorName: string | null;
  /** YYYY年M月D日, Asia/Shanghai. */
  date: string;
  outcome: Outcome | null;
}

/** GET /api/v1/mediation/pending: a resident's 调解申请 or a dispute event of the station with no case yet. */
export interface PendingDisputeV1 {
  eventId: number;
  citizenRequestId: number | null;
  title: string;
  disputeKindLabel: string | null;
  reportedAt: string;
  fromCitizen: boolean;
}
