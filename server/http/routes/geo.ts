import { z } from 'zod';
import { RegionLevel } from '@/lib/contracts/geo';
import type { AppContext } from '../../context';
import { regionsGeoJson } from '../../repo/regions';
import { stationsGeoJson } from '../../repo/stations';
import { readQuery, type Router } from '../router';

const GEOJSON = { 'content-type': 'application/geo+json; charset=utf-8' };

export function geoRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/regions', 'session', async ({ url, res }) => {
    const { level } = readQuery(url, z.object({ level: RegionLevel }));
    res.writeHead(200, { ...GEOJSON, 'cache-control': 'no-store' }).end(await regionsGeoJson(app.db, level));
  });

  router.add('GET', '/api/v1/stations', 'session', async ({ res }) => {
    res.writeHead(200, { ...GEOJSON, 'cache-control': 'no-store' }).end(await stationsGeoJson(app.db));
  });
}
