import { z } from 'zod';

/** Key places a gridder patrols monthly (S3) and departments inspect (S10). */
export const PLACE_CATEGORY_LABEL = {
  school: '学校',
  hospital: '医疗机构',
  elder_care: '养老机构',
  market: '农贸市场',
  fuel_station: '加油站',
  hazchem: '危化品企业',
  factory: '生产企业',
  construction: '建筑工地',
  small_venue: '九小场所',
  rental_housing: '出租房集中区',
  entertainment: '娱乐场所',
  religious: '宗教场所',
  waterside: '重点水域',
} as const;
export const PlaceCategory = z.enum(Object.keys(PLACE_CATEGORY_LABEL) as [keyof typeof PLACE_CATEGORY_LABEL]);
export type PlaceCategory = z.infer<typeof PlaceCategory>;

export const RISK_LEVEL_LABEL = { low: '低', medium: '中', high: '高', major: '重大' } as const;
export const RiskLevel = z.enum(['low', 'medium', 'high', 'major']);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const Lon = z.number({ error: '经度须为数字' }).finite().min(-180, '经度须在 -180 到 180 之间').max(180, '经度须在 -180 到 180 之间');
export const Lat = z.number({ error: '纬度须为数字' }).finite().min(-90, '纬度须在 -90 到 90 之间').max(90, '纬度须在 -90 到 90 之间');

/** A grid, village or town code as regions keep it. */
export const RegionCode = z.string().regex(/^[0-9A-Za-z_-]{1,32}$/, '区划代码只能含字母、数字、-、_，最长 32 位');

// Checked here rather than left to PostGIS: an open or too short ring is a failed statement there, not a named field.
const Position = z.tuple([Lon, Lat]);
const Ring = z
  .array(Position)
  .min(4, '每个环至少 4 个点')
  .max(5000, '每个环最多 5000 个点')
  .refine((r) => r[0][0] === r.at(-1)![0] && r[0][1] === r.at(-1)![1], '环须闭合（首尾点相同）');
const Rings = z.array(Ring).min(1).max(20);

/** The outline of a large place (a market, a construction site): WGS-84 GeoJSON, kept as a MultiPolygon. */
export const PlaceOutline = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: Rings }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(Rings).min(1).max(50) }),
]);
export type PlaceOutline = z.infer<typeof PlaceOutline>;

const PlaceFields = z.object({
  name: z.string().trim().min(1, '名称不能为空').max(100),
  category: PlaceCategory,
  riskLevel: RiskLevel,
  address: z.string().trim().max(200).optional(),
  /** The point (WGS-84); or give `outline` instead, whose point is then a point on its surface. */
  lon: Lon.optional(),
  lat: Lat.optional(),
  outline: PlaceOutline.optional(),
});

/** Where a place is: a point, or an outline. Both at once would be two answers to one question. */
function oneLocation(p: { lon?: number; lat?: number; outline?: unknown }, ctx: z.RefinementCtx, required: boolean): void {
  const point = p.lon !== undefined || p.lat !== undefined;
  if (point && (p.lon === undefined || p.lat === undefined))
    ctx.addIssue({ code: 'custom', path: [p.lon === undefined ? 'lon' : 'lat'], message: '经度和纬度须同时填写' });
  else if (point && p.outline !== undefined) ctx.addIssue({ code: 'custom', path: ['outline'], message: '填经纬度或轮廓，二选一' });
  else if (required && !point && p.outline === undefined) ctx.addIssue({ code: 'custom', path: ['lon'], message: '须填经纬度或轮廓' });
}

export const PlaceInput = PlaceFields.superRefine((p, ctx) => oneLocation(p, ctx, true));
export type PlaceInput = z.infer<typeof PlaceInput>;

/** An edit: only the fields given change; a new point drops the outline, a new outline moves the point. */
export const PlacePatch = PlaceFields.extend({ address: z.string().trim().max(200).nullable().optional() })
  .partial()
  .superRefine((p, ctx) => {
    if (Object.values(p).every((v) => v === undefined)) ctx.addIssue({ code: 'custom', path: [], message: '没有要修改的内容' });
    oneLocation(p, ctx, false);
  });
export type PlacePatch = z.infer<typeof PlacePatch>;

export const PlaceQuery = z.object({
  grid: RegionCode.optional(),
  category: PlaceCategory.optional(),
  risk: RiskLevel.optional(),
});
export type PlaceQuery = z.infer<typeof PlaceQuery>;

export interface Place {
  id: number;
  name: string;
  category: PlaceCategory;
  riskLevel: RiskLevel;
  address?: string;
  lon: number;
  lat: number;
  gridCode: string;
  /** Present for places registered by outline (always a MultiPolygon). */
  outline?: { type: 'MultiPolygon'; coordinates: [number, number][][][] };
  updatedAt: string;
}
