import type { InspectionCompliance, KeyPeriod } from '../command/inspections';
import { z } from 'zod';
import { DISPATCH_STATES, DISPATCH_STEPS } from '../command/dispatch';
import { IdempotencyKey } from './events';
import { BigId, Count, INT4_MAX, Int4, SerialId } from './numeric';
import { Lat, Lon } from './place';

/**
 * Command actions, version 1 (issue 5; S10, S11, S12): joint dispatch of units, emergency and
 * regular consultations, and their live messages. One contract for server, console, field and wall.
 */
/** Events, dispatches, consultations and their invitees and decisions have bigserial ids. */
const Id = BigId;
const Point = z.object({ lon: Lon, lat: Lat });

/** POST /api/v1/dispatches: one click dispatches the chosen units to an event. */
export const DispatchRequestV1 = z
  .object({
    eventId: Id,
    unitIds: z.array(SerialId).min(1, '至少选择一个单位').max(20),
    /** Made once per click: a retry or a double click returns the first answer. */
    requestKey: IdempotencyKey,
    /** Set when a consultation's decision spawns the dispatch. */
    decisionId: Id.optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export type DispatchRequestV1 = z.infer<typeof DispatchRequestV1>;

/** POST /api/v1/dispatches/:id/steps */
export const DispatchStepV1 = z
  .object({ step: z.enum(DISPATCH_STEPS), requestKey: IdempotencyKey, note: z.string().max(500).optional() })
  .strict();
export type DispatchStepV1 = z.infer<typeof DispatchStepV1>;

/** A dispatch as every screen sees it. */
export const DispatchV1 = z.object({
  id: Id,
  eventId: Id,
  eventTitle: z.string(),
  stationId: SerialId.nullable(),
  unitId: SerialId,
  unitCode: z.string(),
  unitName: z.string(),
  unitKind: z.string(),
  department: z.string().nullable(),
  state: z.enum(DISPATCH_STATES),
  /** Where the unit was when dispatched, and the event's place. */
  origin: Point.nullable(),
  target: Point,
  distanceM: Count.nullable(),
  etaS: Count.nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  ackDueAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  enRouteAt: z.string().nullable(),
  onSceneAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Not acknowledged in time: flagged, with the next nearest available unit proposed. */
  flaggedAt: z.string().nullable(),
  replacement: z.object({ unitId: SerialId, name: z.string(), distanceM: z.number().nonnegative().max(INT4_MAX), etaS: z.number().nonnegative().max(INT4_MAX) }).nullable(),
  decisionId: BigId.nullable(),
  version: Int4,
});
export type DispatchV1 = z.infer<typeof DispatchV1>;

export interface DispatchCandidate {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  department: string | null;
  lon: number;
  lat: number;
  distanceM: number;
  etaS: number;
  /** The position is a live fix (true) or the unit's home point (false). */
  live: boolean;
}

/** GET /api/v1/dispatches/proposal?event=: for each force the event needs, the nearest available units. */
export interface DispatchProposalV1 {
  eventId: number;
  stationId: number | null;
  target: { lon: number; lat: number };
  detourFactor: number;
  forces: { force: string; label: string; candidates: DispatchCandidate[] }[];
  /** Units already on this event, active. */
  active: number[];
}

export const INVITE_RESPONSES = ['invited', 'accepted', 'declined', 'attended', 'absent'] as const;
export type InviteResponse = (typeof INVITE_RESPONSES)[number];
export const INVITE_RESPONSE_LABEL: Record<InviteResponse, string> = {
  invited: '待回复', accepted: '已加入', declined: '已谢绝', attended: '出席', absent: '缺席',
};

export const CONSULTATION_KINDS = ['emergency', 'weekly', 'monthly'] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];
export const CONSULTATION_KIND_LABEL: Record<ConsultationKind, string> = { emergency: '紧急会商', weekly: '周联勤会商', monthly: '月度联勤会商' };
export const CONSULTATION_STATES = ['scheduled', 'open', 'closed'] as const;

/** POST /api/v1/consultations: the one-click emergency consultation on one or more incidents (S11). */
export const ConsultationCallV1 = z
  .object({
    eventIds: z.array(Id).min(1, '至少关联一个事件').max(20),
    /** Also invite the departments on call for the station (联驻, S5/S11). */
    includeOnCall: z.boolean().default(false),
    requestKey: IdempotencyKey,
  })
  .strict();
export type ConsultationCallV1 = z.infer<typeof ConsultationCallV1>;

export const InvitationReplyV1 = z.object({ accept: z.boolean(), requestKey: IdempotencyKey }).strict();

export const DecisionSpawn = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('dispatch'), eventId: Id, unitIds: z.array(SerialId).min(1).max(20) }).strict(),
  z.object({ kind: z.literal('task'), eventId: Id, department: z.string().regex(/^[a-z0-9_]+$/).max(64) }).strict(),
]);

/** POST /api/v1/consultations/:id/decisions: a structured decision with an owner and a due time. */
export const DecisionV1Input = z
  .object({
    text: z.string().trim().min(1, '决定内容不能为空').max(1000),
    owner: z.string().trim().min(1, '须指定责任人').max(100),
    dueAt: z.iso.datetime({ offset: true }),
    spawn: DecisionSpawn.default({ kind: 'none' }),
    requestKey: IdempotencyKey,
  })
  .strict();
export type DecisionV1Input = z.infer<typeof DecisionV1Input>;

/** POST /api/v1/consultations/:id/attendance: who was there at a regular meeting. */
export const AttendanceV1 = z
  .object({ present: z.array(Id).max(500), requestKey: IdempotencyKey })
  .strict();

export const CloseConsultationV1 = z.object({ summary: z.string().max(5000).optional(), requestKey: IdempotencyKey }).strict();

export const InviteeV1 = z.object({
  id: Id,
  accountId: SerialId.nullable(),
  name: z.string(),
  role: z.string(),
  reason: z.string(),
  department: z.string().nullable(),
  response: z.enum(INVITE_RESPONSES),
  respondedAt: z.string().nullable(),
});
export type InviteeV1 = z.infer<typeof InviteeV1>;

export const DecisionV1 = z.object({
  id: Id,
  text: z.string(),
  owner: z.string(),
  dueAt: z.string(),
  spawn: z.string(),
  dispatchIds: z.array(BigId),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type DecisionV1 = z.infer<typeof DecisionV1>;

export const ConsultationV1 = z.object({
  id: Id,
  kind: z.enum(CONSULTATION_KINDS),
  stationId: SerialId,
  title: z.string(),
  state: z.enum(CONSULTATION_STATES),
  calledBy: z.string().nullable(),
  scheduledAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  events: z.array(z.object({ id: Id, title: z.string(), lon: Lon.nullable(), lat: Lat.nullable() })),
  invitees: z.array(InviteeV1),
  decisions: z.array(DecisionV1),
  agenda: z.array(z.object({ kind: z.string(), label: z.string(), eventId: BigId.nullable() })),
  summary: z.string().nullable(),
  version: Int4,
});
export type ConsultationV1 = z.infer<typeof ConsultationV1>;

/** What a screen receives on the socket event `command`: a dispatch or a consultation as it now stands. */
export const CommandPushV1 = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dispatch'), dispatch: DispatchV1 }),
  z.object({ type: z.literal('consultation'), consultation: ConsultationV1 }),
]);
export type CommandPushV1 = z.infer<typeof CommandPushV1>;

/**
 * One message on the command channel (pub/sub `command.v1`): the push, and the accounts whose
 * phones (/field) also get it — the dispatched unit, the invitees. Every wall and console gets it.
 */
export const CommandMessageV1 = z.intersection(CommandPushV1, z.object({ accounts: z.array(SerialId) }));
export type CommandMessageV1 = z.infer<typeof CommandMessageV1>;
export const COMMAND_CHANNEL = 'command.v1';

/** GET /api/v1/command/live: what the wall and console show, fetched on (re)connect. */
export interface CommandLiveV1 {
  dispatches: DispatchV1[];
  consultations: ConsultationV1[];
  keyPeriods: { id: number; name: string; startsOn: string; endsOn: string; stationId: number | null }[];
}

/** GET /api/v1/command/mine: the field phone's active dispatches and open invitations. */
export interface CommandMineV1 {
  dispatches: DispatchV1[];
  invitations: ConsultationV1[];
}

export const KeyPeriodInput = z
  .object({
    name: z.string().trim().min(1, '名称不能为空').max(100),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    requestKey: IdempotencyKey,
  })
  .strict()
  .refine((k) => k.endsOn >= k.startsOn, { path: ['endsOn'], message: '结束日期不能早于开始日期' });

export const InspectionInput = z
  .object({
    kind: z.enum(['department_weekly', 'station_monthly']),
    department: z.string().regex(/^[a-z0-9_]+$/).max(64).nullable(),
    day: z.iso.date(),
    area: z.string().trim().min(1, '须填写巡查路线或区域').max(500),
    participants: z.array(z.string().trim().min(1).max(50)).min(1, '至少一名参加人员').max(50),
    requestKey: IdempotencyKey,
  })
  .strict()
  .refine((i) => (i.kind === 'department_weekly') === (i.department !== null), { path: ['department'], message: '部门联查须指定部门，全站联查不指定部门' });

/** GET /api/v1/inspections/plan: a month's joint inspections required and done (S10). */
export interface InspectionRow {
  id: number;
  kind: 'department_weekly' | 'station_monthly';
  department: string | null;
  day: string;
  area: string;
  participants: string[];
  findings: number[];
}

export interface InspectionPlanV1 {
  month: string;
  keyPeriods: (KeyPeriod & { id: number })[];
  requirements: InspectionCompliance[];
  inspections: InspectionRow[];
}
