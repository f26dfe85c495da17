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

export const Lon = z.number().finite().min(-180).max(180);
export const Lat = z.number().finite().min(-90).max(90);

export const PlaceInput = z.object({
  name: z.string().trim().min(1, '名称不能为空').max(100),
  category: PlaceCategory,
  riskLevel: RiskLevel,
  address: z.string().trim().max(200).optional(),
  lon: Lon,
  lat: Lat,
});
export type PlaceInput = z.infer<typeof PlaceInput>;

export interface Place extends PlaceInput {
  id: number;
  gridCode: string;
}
