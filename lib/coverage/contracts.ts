import { z } from 'zod';
import { Lat, Lon } from '../contracts/place';
import { INT4_MAX, SerialId } from '../contracts/numeric';
import type { Ratios, Tally } from './figures';
import { MONTH_RE } from './month';

export const CoverageLevel = z.enum(['grid', 'village', 'station', 'district']);
export type CoverageLevel = z.infer<typeof CoverageLevel>;

export const Month = z.string().regex(MONTH_RE, '须为 YYYY-MM').refine((m) => m >= '2000-01' && m <= '2099-12', '年份须在 2000–2099');

export const CoverageQuery = z.object({
  level: CoverageLevel.default('grid'),
  month: Month.optional(),
  station: z.coerce.number().int().positive().max(INT4_MAX).optional(),
});

export const OwedQuery = z.object({ grid: z.string().min(1).max(40), month: Month.optional() });

const coord = (s: z.ZodNumber) => z.coerce.number().pipe(s);
export const MineQuery = z.object({ lon: coord(Lon).optional(), lat: coord(Lat).optional() });

export const CoverageSettingsInput = z.object({
  visitMinutes: z.number().int().min(1).max(240),
  visitRadiusM: z.number().int().min(5).max(1000),
});

export const StationParam = z.coerce.number().int().positive().max(INT4_MAX);

export const PatrolMinimumInput = z.object({ patrolHoursMonth: z.number().int().min(0).max(744) });

export const CheckInInput = z
  .object({
    placeId: SerialId.optional(),
    personId: SerialId.optional(),
    lon: Lon,
    lat: Lat,
    photoId: z.string().regex(/^[0-9a-f]{64}$/, '须为上传照片返回的 id'),
    note: z.string().trim().max(500).optional(),
    requestKey: z.string().min(8).max(100),
  })
  .refine((v) => (v.placeId === undefined) !== (v.personId === undefined), { message: '须且只须给出 placeId 或 personId 之一', path: ['placeId'] });
export type CheckInInput = z.infer<typeof CheckInInput>;

export interface CoverageRow {
  level: CoverageLevel;
  /** Region code (grid, village), station id as text, or the district's code. */
  code: string;
  name: string;
  stationId: number | null;
  villageCode: string | null;
  tally: Tally;
  ratios: Ratios;
  lowest: number | null;
}

export interface CoverageAnswer {
  month: string;
  level: CoverageLevel;
  rows: CoverageRow[];
}

export interface OwedItem {
  kind: 'place' | 'person';
  id: number;
  name: string;
  /** Place: its kind (category); person: their category. */
  category: string;
  address: string | null;
  lon: number;
  lat: number;
  gridCode: string;
  /** Visits owed this month, made this month (places owe one). */
  owed: number;
  made: number;
  lastVisitAt: string | null;
  masked: boolean;
  distanceM?: number | null;
}

export interface OwedAnswer {
  month: string;
  gridCode: string;
  items: OwedItem[];
}

export interface MineAnswer {
  month: string;
  grids: string[];
  items: OwedItem[];
}

export interface CheckInReceipt {
  id: number;
  source: 'manual';
  duplicate: boolean;
}
