import { z } from 'zod';
import { BigId } from './numeric';

/**
 * Early warning (issue 13; S9 item 4): emerging hotspots, high-frequency events, high-risk places
 * and rising needs. Raised by a job (server/warnings), pushed to the wall and the console, and
 * turned by the deputy chief into an agenda item or a joint inspection task.
 */
export const WARNING_KINDS = ['hotspot', 'surge', 'place', 'need'] as const;
export const WarningKind = z.enum(WARNING_KINDS);
export type WarningKind = z.infer<typeof WarningKind>;
export const WARNING_KIND_LABEL: Record<WarningKind, string> = {
  hotspot: '新兴热点',
  surge: '高频事件',
  place: '高风险场所',
  need: '高频诉求',
};

export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export const WarningLevel = z.enum(WARNING_LEVELS);
export type WarningLevel = z.infer<typeof WarningLevel>;
export const WARNING_LEVEL_LABEL: Record<WarningLevel, string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };

/** ArcGIS Emerging Hot Spot Analysis's classes of a hot location (cold ones raise no warning). */
export const HOTSPOT_CLASSES = ['new', 'consecutive', 'intensifying', 'persistent', 'diminishing', 'sporadic', 'oscillating', 'historical'] as const;
export const HotspotClass = z.enum(HOTSPOT_CLASSES);
export type HotspotClass = z.infer<typeof HotspotClass>;
export const HOTSPOT_CLASS_LABEL: Record<HotspotClass, string> = {
  new: '新增热点',
  consecutive: '连续热点',
  intensifying: '加剧热点',
  persistent: '持续热点',
  diminishing: '减弱热点',
  sporadic: '零星热点',
  oscillating: '振荡热点',
  historical: '历史热点',
};

/** open → acknowledged (签收) → converted (转会商议题 / 转联合巡查); cleared: no longer detected before anyone acted. */
export const WARNING_STATES = ['open', 'acknowledged', 'converted', 'cleared'] as const;
export type WarningState = (typeof WARNING_STATES)[number];
export const WARNING_STATE_LABEL: Record<WarningState, string> = { open: '待签收', acknowledged: '已签收', converted: '已转办', cleared: '已消除' };

export const WarningV1 = z.object({
  v: z.literal(1),
  id: BigId,
  kind: WarningKind,
  level: WarningLevel,
  hotspotClass: HotspotClass.nullable(),
  title: z.string(),
  /** A plain sentence with its numbers, e.g. "近7天 12 起，基线 3.1 起/周，显著性 p<0.01". */
  explanation: z.string(),
  /** The figures behind the sentence, by name (count, baseline, p, z, score …). */
  numbers: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  stationId: z.number().int().nullable(),
  gridCode: z.string().nullable(),
  category: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  /** The events behind it (at most 200, newest first). */
  eventIds: z.array(BigId),
  state: z.enum(WARNING_STATES),
  raisedAt: z.string(),
  updatedAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  convertedTo: z.object({ kind: z.enum(['consultation', 'inspection']), id: BigId }).nullable(),
  version: z.number().int(),
});
export type WarningV1 = z.infer<typeof WarningV1>;

/** Socket event `warning` on /live (rooms: the district and the warning's station): a warning as it now stands. */
export const WARNING_CHANNEL = 'liandong.warnings.v1';

export const WarningListQuery = z.object({
  state: z.enum(['active', 'all']).default('active'),
  kind: WarningKind.optional(),
});

export const AcknowledgeInput = z.object({ requestKey: z.string().min(8).max(100) }).strict();
export type AcknowledgeInput = z.infer<typeof AcknowledgeInput>;

/** One more click: an agenda item of the station's next consultation, or a joint inspection task. */
export const ConvertInput = z
  .object({
    to: z.enum(['consultation', 'inspection']),
    requestKey: z.string().min(8).max(100),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type ConvertInput = z.infer<typeof ConvertInput>;

/** Thresholds, an admin setting (one row for the district). */
export const WarningSettings = z
  .object({
    /** Minutes between runs of the job. */
    everyMinutes: z.number().int().min(5).max(1440),
    /** Emerging hotspots: days of the cube and the bin length. */
    hotspotDays: z.number().int().min(28).max(365),
    hotspotStep: z.enum(['day', 'week']),
    /** Significance of a Gi* bin, after the false-discovery-rate correction over all bins. */
    hotspotAlpha: z.number().min(0.001).max(0.1),
    /** High-frequency: recent window, baseline weeks, Benjamini–Hochberg q, least count worth a warning. */
    surgeDays: z.number().int().min(1).max(30),
    surgeBaselineWeeks: z.number().int().min(2).max(52),
    surgeQ: z.number().min(0.001).max(0.2),
    surgeMinCount: z.number().int().min(2).max(100),
    /** High-risk places: radius, look-back, and the scores at which yellow, orange and red begin. */
    placeRadiusM: z.number().int().min(20).max(2000),
    placeDays: z.number().int().min(7).max(365),
    placeYellow: z.number().min(1),
    placeOrange: z.number().min(1),
    placeRed: z.number().min(1),
  })
  .strict()
  .refine((s) => s.placeYellow <= s.placeOrange && s.placeOrange <= s.placeRed, { message: '黄、橙、红的分值须依次不减', path: ['placeOrange'] });
export type WarningSettings = z.infer<typeof WarningSettings>;

/** GET /api/v1/warnings. */
export const WarningListV1 = z.object({ warnings: z.array(WarningV1) });
export type WarningListV1 = z.infer<typeof WarningListV1>;

/** GET /api/v1/warnings/:id: the warning and the summaries of its events the viewer may see. */
export const WarningDetailV1 = z.object({
  warning: WarningV1,
  events: z.array(
    z.object({
      id: BigId,
      title: z.string(),
      category: z.string(),
      state: z.string(),
      reportedAt: z.string(),
      gridCode: z.string().nullable(),
      lon: z.number().nullable(),
      lat: z.number().nullable(),
    }),
  ),
});
export type WarningDetailV1 = z.infer<typeof WarningDetailV1>;
