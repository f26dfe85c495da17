import { z } from 'zod';
import { EVENT_ACTIONS, EVENT_STATES, type EventAction, type EventKind, type EventState } from '../events/machine';
import { IncidentSeverity } from './live';
import { BigId, SerialId } from './numeric';
import { Lat, Lon } from './place';

/** Where events come from (S9). External systems post with an API key of their source. */
export const SOURCE_LABEL = {
  field: '网格员上报',
  citizen: '群众上报',
  hotline_12345: '12345热线',
  police_110: '110双非警情',
  mediation: '矛调系统',
  sharp_eyes: '雪亮工程',
  city_mgmt: '数字城管',
  simulator: '模拟',
  // Issue 14: civic apps filing residents' requests over Open311 GeoReport v2; not an EXTERNAL_SOURCE (no key of theirs posts to /api/v1/events).
  open311: 'Open311 应用',
} as const;
export type EventSource = keyof typeof SOURCE_LABEL;
/** Sources that post through an API key rather than a staff session. */
export const EXTERNAL_SOURCES = ['hotline_12345', 'police_110', 'mediation', 'sharp_eyes', 'city_mgmt', 'simulator'] as const;
export const ExternalSource = z.enum(EXTERNAL_SOURCES);
export type ExternalSource = z.infer<typeof ExternalSource>;

export const PhotoId = z.string().regex(/^[0-9a-f]{64}$/, 'photo id is the 64-hex id returned by POST /api/v1/photos');
export const IdempotencyKey = z.string().min(8, 'at least 8 characters').max(128).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
export const CategoryCode = z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)?$/, 'a category code such as "hazard" or "hazard.fire"');
export const DepartmentCode = z.string().regex(/^[a-z0-9_]+$/).max(64);

/**
 * One reported event, version 1 (POST /api/v1/events). A place is required: a point, or else a
 * village code or an address naming the village, which places the event at the village (issue 4).
 */
export const EventReportV1 = z
  .object({
    v: z.literal(1),
    /** The same key again returns the first event, never a second one. */
    idempotencyKey: IdempotencyKey,
    category: CategoryCode,
    subcategory: CategoryCode.optional(),
    title: z.string().trim().min(1, '标题不能为空').max(200),
    description: z.string().max(5000).optional(),
    /** Defaults to the category's severity. */
    severity: IncidentSeverity.optional(),
    location: z.object({ lon: Lon, lat: Lat }).strict().optional(),
    address: z.string().trim().min(1).max(300).optional(),
    villageCode: z.string().regex(/^\d{12}$/, 'a 12-digit village code').optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    reporter: z.object({ name: z.string().max(50).optional(), phone: z.string().max(30).optional() }).strict().optional(),
    photos: z.array(PhotoId).max(9).default([]),
    /** The event's id in the reporting system, kept for cross-reference. */
    externalId: z.string().max(128).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!r.location && !r.villageCode && !r.address)
      ctx.addIssue({ code: 'custom', path: ['location'], message: '须提供位置（location）、村社代码（villageCode）或地址（address）之一' });
  });
export type EventReportV1 = z.infer<typeof EventReportV1>;

export const PLACEMENT_LABEL = { point: '定位', village: '按村社', none: '未定位' } as const;
export type Placement = keyof typeof PLACEMENT_LABEL;

/** What the ingest answers: 201 for a new event, 200 for a retry of one already recorded. */
export interface EventReceiptV1 {
  id: number;
  created: boolean;
  state: EventState;
  placement: Placement;
  gridCode: string | null;
  villageCode: string | null;
  townCode: string | null;
  stationId: number | null;
  duplicateOf: number | null;
  deadlineAt: string | null;
}

const Note = z.string().trim().max(2000);
const base = { requestKey: IdempotencyKey.optional(), note: Note.optional() };
const reason = { requestKey: IdempotencyKey.optional(), note: Note.min(1, '须填写原因') };

/** One step on an event (POST /api/v1/events/:id/actions); the server checks it with lib/events/machine. */
export const EventActionV1 = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), ...base }).strict(),
  z.object({ action: z.literal('return'), ...reason }).strict(),
  z.object({ action: z.literal('merge'), into: BigId, ...base }).strict(),
  z.object({
    action: z.literal('assign'),
    department: DepartmentCode,
    /** S12: general problems go to the stationed department AND the local village; true names the event's village as co-handler. */
    village: z.boolean().optional(),
    ...base,
  }).strict(),
  z.object({ action: z.literal('coordinate'), departments: z.array(DepartmentCode).max(14).default([]), ...base }).strict(),
  z.object({ action: z.literal('reroute'), department: DepartmentCode, ...reason }).strict(),
  z.object({ action: z.literal('start'), ...base }).strict(),
  z.object({ action: z.literal('handle'), photos: z.array(PhotoId).max(9).default([]), ...reason }).strict(),
  z.object({ action: z.literal('verify_pass'), photos: z.array(PhotoId).max(9).default([]), ...base }).strict(),
  z.object({ action: z.literal('verify_fail'), photos: z.array(PhotoId).max(9).default([]), ...reason }).strict(),
  // 答复 (issue 14): the note is the answer the resident reads when following the request.
  z.object({ action: z.literal('answer'), requestKey: IdempotencyKey.optional(), note: Note.min(1, '须填写答复内容') }).strict(),
]);
export type EventActionV1 = z.infer<typeof EventActionV1>;

export const EVENT_ACTION_LABEL: Record<EventAction, string> = {
  accept: '受理',
  return: '退回',
  merge: '合并',
  assign: '交办',
  coordinate: '站内统筹',
  reroute: '改派',
  start: '开始处置',
  handle: '处置反馈',
  verify_pass: '核查通过',
  verify_fail: '核查不通过',
  answer: '答复',
  rate: '评价',
};

export const CARDS = ['none', 'yellow', 'red'] as const;
export type Card = (typeof CARDS)[number];
export const CARD_LABEL: Record<Card, string> = { none: '', yellow: '黄牌', red: '红牌' };

export interface EventLogStep {
  at: string;
  action: EventAction | 'report' | 'supervise' | 'task_done' | 'mediation' | null;
  from: EventState | null;
  to: EventState;
  actorName: string | null;
  actorRole: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
}

export interface EventTask {
  id: number;
  department: string;
  departmentName: string;
  state: 'open' | 'done';
  doneAt: string | null;
}

export interface EventLock {
  accountId: number;
  name: string;
  at: string;
}

/** An event as the drawer and the field page show it (GET /api/v1/events/:id). */
export interface EventDetail {
  id: number;
  version: number;
  source: EventSource | string;
  sourceLabel: string;
  category: string;
  categoryLabel: string;
  subcategory: string | null;
  subcategoryLabel: string | null;
  title: string;
  description: string | null;
  severity: z.infer<typeof IncidentSeverity>;
  state: EventState;
  placement: Placement;
  address: string | null;
  lon: number | null;
  lat: number | null;
  gridCode: string | null;
  gridName: string | null;
  villageCode: string | null;
  villageName: string | null;
  townName: string | null;
  stationId: number | null;
  stationName: string | null;
  department: string | null;
  departmentName: string | null;
  reportedAt: string;
  /** A staff reporter's name; null for a resident's request (S14: their name leaves only through the audited contact read). */
  reporterName: string | null;
  /** '群众' for a resident's request, else null. */
  reporterLabel: string | null;
  reportedByCitizen: boolean;
  /** Issue 14: problem, mediation, question, complaint or suggestion. */
  kind: EventKind;
  /** A complaint's earlier event, whose handling it is about. */
  aboutEventId: number | null;
  photos: string[];
  deadlineAt: string | null;
  redAt: string | null;
  card: Card;
  duplicateOf: number | null;
  mergedInto: number | null;
  lock: EventLock | null;
  tasks: EventTask[];
  log: EventLogStep[];
  /** What the viewer may do now (lib/events/machine plus the viewer's scope). */
  actions: EventAction[];
}

export const LockRequest = z.object({ takeover: z.boolean().default(false) }).strict();

export const EventListQuery = z.object({
  scope: z.enum(['mine', 'station']).default('mine'),
  state: z.enum(EVENT_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export { EVENT_ACTIONS };

/** A notice to one staff account (S13 supervision cards; later tasks and invitations), on channel notices.v1. */
export const NoticeV1 = z.object({
  id: BigId,
  accountId: SerialId,
  kind: z.string(),
  eventId: BigId.nullable(),
  title: z.string(),
  body: z.string().nullable(),
  createdAt: z.string(),
});
export type NoticeV1 = z.infer<typeof NoticeV1>;
export const NOTICES_CHANNEL = 'notices.v1';

/**
 * One row of GET /api/v1/events (the field page's task list). States and cards stay plain strings:
 * a state added on the server must not make the list unreadable on a phone with an older page.
 */
export const EventSummaryV1 = z.object({
  id: BigId,
  title: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  state: z.string(),
  severity: z.string(),
  card: z.string(),
  reportedAt: z.string(),
  deadlineAt: z.string().nullable(),
  villageName: z.string().nullable(),
  department: z.string().nullable(),
  lon: Lon.nullable(),
  lat: Lat.nullable(),
});
export type EventSummaryV1 = z.infer<typeof EventSummaryV1>;
