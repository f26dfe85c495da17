import { z } from 'zod';
import { Count, SerialId } from './numeric';
import { Lat, Lon } from './place';

export const REGION_LEVELS = ['district', 'town', 'village', 'grid'] as const;
export const RegionLevel = z.enum(REGION_LEVELS);
export type RegionLevel = z.infer<typeof RegionLevel>;

export const REGION_LEVEL_LABEL: Record<RegionLevel, string> = {
  district: '区',
  town: '镇（街道）',
  village: '村（社区）',
  grid: '网格',
};

/** The level whose features contain features of `level`. */
export function parentLevel(level: RegionLevel): RegionLevel | null {
  const i = REGION_LEVELS.indexOf(level);
  return i > 0 ? REGION_LEVELS[i - 1] : null;
}

// Longitude and latitude (EPSG:4326), then an altitude or measure in metres that PostGIS keeps as a double: bounded only to the planet.
const Position = z.tuple([Lon, Lat]).rest(z.number().finite().min(-1e6).max(1e6));
const Ring = z.array(Position).min(4);
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) });
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(Ring).min(1)).min(1),
});
export const AreaGeometry = z.union([PolygonGeometry, MultiPolygonGeometry]);
export type AreaGeometry = z.infer<typeof AreaGeometry>;

export const RegionProperties = z.object({
  code: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/, '统计代码只能含字母、数字、-、_，最长 32 位'),
  name: z.string().trim().min(1).max(100),
  parentCode: z.string().min(1).max(32).nullable(),
  households: Count.default(0),
  population: Count.default(0),
});
export type RegionProperties = z.infer<typeof RegionProperties>;

export type Region = RegionProperties & { level: RegionLevel };

/** One feature of an imported or generated geography file. */
export const RegionFeature = z.object({
  type: z.literal('Feature'),
  geometry: AreaGeometry,
  properties: RegionProperties,
});
export type RegionFeature = z.infer<typeof RegionFeature>;

/** S5: every station holds these three units. */
export const STATION_UNIT_KINDS = ['grid_station', 'mediation_centre', 'police_station'] as const;
export const StationUnitKind = z.enum(STATION_UNIT_KINDS);
export const STATION_UNIT_LABEL: Record<z.infer<typeof StationUnitKind>, string> = {
  grid_station: '全科网格管理站',
  mediation_centre: '矛调微中心',
  police_station: '警务联勤站',
};

export const StationProperties = z.object({
  /** Database id; absent in the geography files, present in what the API serves. */
  id: SerialId.optional(),
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(100),
  townCode: z.string().min(1).max(32),
  villageCodes: z.array(z.string()).min(1),
  units: z.array(z.object({ kind: StationUnitKind, name: z.string() })),
});
export type StationProperties = z.infer<typeof StationProperties>;
