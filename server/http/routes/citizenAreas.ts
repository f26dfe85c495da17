import type { AppContext } from '../../context';
import type { Db } from '../../db/pool';
import type { Router } from '../router';

/*
 * The district's towns for the residents' map on /m (issue 14; S9): a resident has no session, and
 * GET /api/v1/regions needs one. Only what a printed map shows — outline, code, name — simplified
 * to about 20 m, which is plenty for tapping where a problem is (the server places the event by
 * the point, not by these outlines), and small over a slow cell.
 */
const TOLERANCE_DEG = 0.0002;
/** Regions change only by an import; a public page must not make every visit a PostGIS query. */
const FRESH_MS = 10 * 60_000;

const cache = new WeakMap<Db, { at: number; body: Promise<string> }>();

function townOutlines(db: Db): Promise<string> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.body;
  const body = db
    .query<{ fc: string }>(
      `SELECT json_build_object(
         'type', 'FeatureCollection',
         'features', coalesce(json_agg(json_build_object(
           'type', 'Feature',
           'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $1), 5)::json,
           'properties', json_build_object('code', code, 'name', name)
         ) ORDER BY code), '[]'::json)
       )::text AS fc
       FROM regions WHERE level = 'town'`,
      [TOLERANCE_DEG],
    )
    .then((r) => r.rows[0].fc);
  cache.set(db, { at: Date.now(), body });
  // A failed query is not kept: the next visit asks again.
  body.catch(() => cache.delete(db));
  return body;
}

export function citizenAreaRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/citizen/areas', 'public', {
    doc: {
      summary: '群众端地图：镇（街道）边界',
      description: '供群众服务页（/m）在地图上选点：各镇（街道）的简化边界、代码与名称，无需登录。',
      responses: { 200: { description: '镇（街道）', types: ['application/geo+json'], schema: { type: 'object', properties: { type: { const: 'FeatureCollection' }, features: { type: 'array' } }, required: ['type', 'features'] } } },
    },
  }, async ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/geo+json; charset=utf-8', 'cache-control': 'public, max-age=3600' }).end(await townOutlines(app.db));
  });
}
