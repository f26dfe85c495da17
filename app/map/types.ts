import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Region, StationProperties } from '@/lib/contracts/geo';

/** GET /api/v1/regions?level=… */
export type RegionCollection = FeatureCollection<MultiPolygon | Polygon, Region>;
/** GET /api/v1/stations */
export type StationCollection = FeatureCollection<Point, StationProperties>;
