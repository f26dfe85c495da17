import { z } from 'zod';
import { RegionLevel } from '@/lib/contracts/geo';
import type { AppContext } from '../../context';
import { regionsGeoJson } from '../../repo/regions';
import { stationsGeoJson } from '../../repo/stations';
import { readQuery, type Router } from '../router';

const GEOJSON = { 'content-type': 'application/geo+json; charset=utf-8' };
const RegionsQuery = z.object({ level: RegionLevel });
const FEATURES = { types: ['application/geo+json'], schema: { type: 'object', properties: { type: { const: 'FeatureCollection' }, features: { type: 'array' } }, required: ['type', 'features'] } };

export function geoRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/regions', 'session', {
    doc: { summary: '一个层级的区划边界', description: '区、镇（街道）、村（社区）或网格的 GeoJSON FeatureCollection。', query: RegionsQuery, responses: { 200: { description: '区划', ...FEATURES } } },
  }, async ({ url, res }) => {
    const { level } = readQuery(url, RegionsQuery);
    res.writeHead(200, { ...GEOJSON, 'cache-control': 'no-store' }).end(await regionsGeoJson(app.db, level));
  });

  router.add('GET', '/api/v1/stations', 'session', {
    doc: { summary: '全部工作站的位置', description: '工作站点位及其覆盖的村（社区）的 GeoJSON FeatureCollection。', responses: { 200: { description: '工作站', ...FEATURES } } },
  }, async ({ res }) => {
    res.writeHead(200, { ...GEOJSON, 'cache-control': 'no-store' }).end(await stationsGeoJson(app.db));
  });
}
