import { z } from 'zod';
import { CategoryCode, IdempotencyKey, PhotoId } from './events';
import { Phone } from './keyPerson';
import { Lat, Lon } from './place';
import type { CitizenPointsV1 } from './points';

/*
 * The citizens' channel (issue 14; S9, S14): what a resident sends from /m, what they get back,
 * and what they see when they follow a request. One contract for the public page, the server,
 * the Open311 adapter (which maps its form fields onto CitizenSubmissionV1) and bench:citizen.
 * Nothing here carries a resident's name or phone back out, except to the resident who typed it
 * (masked) and to the station's leaders through the audited contact read.
 */

export const CITIZEN_KIND_LABEL = {
  report: '问题上报',
  mediation: '调解申请',
  question: '政策咨询',
  complaint: '投诉',
  suggestion: '建议',
} as const;
export type CitizenKind = keyof typeof CITIZEN_KIND_LABEL;
export const CitizenKind = z.enum(Object.keys(CITIZEN_KIND_LABEL) as [CitizenKind, ...CitizenKind[]]);

/** The category each kind files its event under (questions: 政策咨询; complaints and suggestions: 投诉建议). */
export const KIND_CATEGORY: Record<Exclude<CitizenKind, 'report' | 'mediation'>, string> = {
  question: 'policy',
  complaint: 'feedback.complaint',
  suggestion: 'feedback.suggestion',
};

/** S8: the disputes a station mediates; each is the sub-category `dispute.<kind>` of the taxonomy. */
export const DISPUTE_KIND_LABEL = {
  family: '婚姻家庭',
  neighbour: '邻里纠纷',
  homestead: '宅基地/房屋',
  compensation: '损害赔偿',
  labour: '劳资纠纷',
  property: '物业纠纷',
  land: '土地纠纷',
} as const;
export type DisputeKind = keyof typeof DISPUTE_KIND_LABEL;
export const DisputeKind = z.enum(Object.keys(DISPUTE_KIND_LABEL) as [DisputeKind, ...DisputeKind[]]);

/**
 * A tracking code: 10 characters of Crockford's base 32 (no I, L, O, U), shown as XXXXX-XXXXX.
 * Typed back by people reading it off a screen or a slip, so input is forgiving (normalizeCode).
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TrackingCode = z
  .string()
  .transform((s) => normalizeCode(s))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, '查询码为 10 位字母数字（如 7K3M9-QX2HD）'));

/** Upper case, dashes and spaces dropped, and the letters people misread as digits read as digits. */
export function normalizeCode(s: string): string {
  return s.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

export const formatCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** The phone's random id, kept in its localStorage: rate limits and which uploads it may attach. */
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '设备标识为 16–64 位字母、数字、_ 或 -');
/** Sent by /m with every request (also the photo upload, which has no JSON body). */
export const DEVICE_HEADER = 'x-device-id';

const Words = (max: number) => z.string().trim().min(1, '请填写内容').max(max, `最多 ${max} 字`);

/** Where: a point on the map, or an address, or the resident's village picked from the list. One is required. */
const where = {
  location: z.object({ lon: Lon, lat: Lat }).strict().optional(),
  address: z.string().trim().min(1).max(300).optional(),
  villageCode: z.string().regex(/^\d{12}$/, '村社代码为 12 位数字').optional(),
};

const common = {
  v: z.literal(1),
  /** The same key again from the same phone returns the first receipt, never a second request. */
  idempotencyKey: IdempotencyKey,
  deviceId: DeviceId,
  /** Optional: never shown on a wall or in any public answer. */
  name: z.string().trim().min(1).max(50).optional(),
  phone: Phone.optional(),
  ...where,
};

export const CitizenReportV1 = z.object({
  ...common,
  kind: z.literal('report'),
  category: CategoryCode,
  subcategory: CategoryCode.optional(),
  description: Words(2000),
  photos: z.array(PhotoId).max(3, '最多 3 张照片').default([]),
}).strict();

export const CitizenMediationV1 = z.object({
  ...common,
  kind: z.literal('mediation'),
  disputeKind: DisputeKind,
  otherParty: z.object({
    name: z.string().trim().min(1, '请填写对方姓名或称呼').max(50),
    phone: Phone.optional(),
    address: z.string().trim().max(300).optional(),
  }).strict(),
  description: Words(2000),
  /** In the resident's words ("工作日晚上", "周六上午"). */
  preferredTime: z.string().trim().max(100).optional(),
}).strict();

export const CitizenQuestionV1 = z.object({
  ...common,
  kind: z.literal('question'),
  description: Words(2000),
}).strict();

export const CitizenFeedbackV1 = z.object({
  ...common,
  kind: z.enum(['complaint', 'suggestion']),
  description: Words(2000),
  /** A complaint about how an earlier request was handled: its tracking code (S14: supervision reopens). */
  about: TrackingCode.optional(),
}).strict();

const placed = (r: { location?: unknown; address?: string; villageCode?: string }) => Boolean(r.location || r.address || r.villageCode);
const PLACE_MESSAGE = '请在地图上选点，或填写地址，或选择所在村（社区）';

/** POST /api/v1/citizen/requests. */
export const CitizenSubmissionV1 = z
  .union([CitizenReportV1, CitizenMediationV1, CitizenQuestionV1, CitizenFeedbackV1])
  .superRefine((r, ctx) => {
    if (!placed(r)) ctx.addIssue({ code: 'custom', path: ['location'], message: PLACE_MESSAGE });
  });
export type CitizenSubmissionV1 = z.infer<typeof CitizenSubmissionV1>;

/** 201 for a new request, 200 for a retry (same key) or an identical report merged into the first. */
export interface CitizenReceiptV1 {
  code: string;
  pin: string;
  kind: CitizenKind;
  createdAt: string;
  /** This phone had already sent the same thing today: the first request's code is the answer. */
  merged: boolean;
}

/** Where a request stands, in the resident's words (lib/citizen/progress.ts maps event states onto these). */
export const CITIZEN_STATUS_LABEL = {
  received: '已收到',
  accepted: '已受理',
  handling: '处理中',
  handled: '已处理，待核查',
  closed: '已办结',
  answered: '已答复',
  rated: '已评价',
  returned: '未予受理',
  merged: '已合并处理',
} as const;
export type CitizenStatus = keyof typeof CITIZEN_STATUS_LABEL;

/** 满意 / 基本满意 / 不满意, kept on the 1–5 scale of events.rating (satisfaction counts 4 and 5). */
export const RATING_VALUE = { satisfied: 5, basically: 4, dissatisfied: 1 } as const;
export const RATING_LABEL = { satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' } as const;
export type RatingChoice = keyof typeof RATING_VALUE;
export const RatingChoice = z.enum(['satisfied', 'basically', 'dissatisfied']);

/** POST /api/v1/citizen/requests/:code/rating — once the event is closed (已办结 / 已答复). */
export const CitizenRatingV1 = z.object({
  /** The phone rating: a web request is rated from the phone that sent it, or with its PIN (review H3). */
  deviceId: DeviceId,
  /** The request's 6-digit 查询密码: how a request is rated from another phone, and the only way for an Open311 one. */
  pin: z.string().regex(/^\d{6}$/, '查询密码为 6 位数字').optional(),
  rating: RatingChoice,
  comment: z.string().trim().max(500).optional(),
}).strict();
export type CitizenRatingV1 = z.infer<typeof CitizenRatingV1>;

/** POST /api/v1/citizen/lookup — the phone number and the 6-digit code the station gave (a POST: no phone in a URL or a log). */
export const CitizenLookupV1 = z.object({
  phone: Phone,
  pin: z.string().regex(/^\d{6}$/, '查询密码为 6 位数字'),
}).strict();
export type CitizenLookupV1 = z.infer<typeof CitizenLookupV1>;

export interface CitizenStepV1 {
  at: string;
  /** In plain words: 已收到, 已受理, 已交由××处理, 已处理, 核查通过, 答复, 已安排调解 … */
  label: string;
  /** Only what is meant for the resident: a handling result, an answer, a return's reason, a mediation's plan. */
  note: string | null;
}

/** GET /api/v1/citizen/requests/:code — what the resident sees; never another resident's data. */
export interface CitizenTrackingV1 {
  code: string;
  kind: CitizenKind;
  kindLabel: string;
  createdAt: string;
  categoryLabel: string;
  /** The resident's own words. */
  description: string;
  /** Village or town name; no coordinates. */
  placeLabel: string | null;
  status: CitizenStatus;
  statusLabel: string;
  steps: CitizenStepV1[];
  /** A question's or complaint's answer, when given. */
  answer: string | null;
  /** The phone number the resident gave, masked (138****1234). */
  phoneMasked: string | null;
  canRate: boolean;
  rating: { choice: RatingChoice; label: string; comment: string | null; at: string } | null;
  /** Issue 15 (S14, valid public tips): the points of this request's phone; absent when none were ever written. */
  points?: CitizenPointsV1;
}

/** GET /api/v1/citizen/services — what /m offers: the categories a resident may report under, and the dispute kinds. */
export interface CitizenServicesV1 {
  categories: { code: string; label: string; subcategories: { code: string; label: string }[] }[];
  disputeKinds: { code: DisputeKind; label: string }[];
  /** The district's towns and their villages, for residents who pick rather than point. */
  towns: { code: string; name: string; villages: { code: string; name: string }[] }[];
}

/**
 * GET /api/v1/citizen/published — closed citizens' reports of the stations that opted in (S14),
 * anonymised: category and month only, the point rounded to about 100 m, no words, no people.
 */
export interface PublishedReportV1 {
  category: string;
  categoryLabel: string;
  /** 'YYYY-MM', Asia/Shanghai. */
  closedMonth: string;
  lon: number;
  lat: number;
}

/** POST /api/v1/events/:id/contact's answer: the reporter's name and phone, for the station's leaders; every read audited. */
export interface EventContactV1 {
  name: string | null;
  phone: string | null;
  pin: string | null;
  code: string | null;
}

/** PUT /api/v1/stations/:id/publishing. */
export const StationPublishingV1 = z.object({ publishClosedReports: z.boolean() }).strict();
