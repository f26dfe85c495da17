import { z } from 'zod';
import { PLACE_CATEGORY_LABEL, PlaceInput, PlacePatch, PlaceQuery, RISK_LEVEL_LABEL } from '@/lib/contracts/place';
import type { AppContext } from '../../context';
import { inTransaction } from '../../db/pool';
import { audit } from '../../repo/audit';
import { gridInReach, insertPlace, listPlaces, outlinePoint, placeForChange, removePlace, updatePlace } from '../../repo/places';
import { DomainError } from '../../errors';
import { readBody, readQuery, type Ctx, type Router } from '../router';
import { reachOfSession } from '../../events/viewer';

// Serial (int4) ids: a larger one reached PostgreSQL as an out-of-range error (issue 11 fuzzing).
const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);
export function registerId(ctx: Ctx, what: string): number {
  const parsed = Id.safeParse(ctx.params.id);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', `${what}编号无效`, [{ path: 'params.id', message: '须为正整数' }]);
  return parsed.data;
}
export const Empty = z.object({}).strict();
const gone = () => new DomainError('not_found', 'not_found', '重点场所不存在');

const CATEGORIES = Object.entries(PLACE_CATEGORY_LABEL).map(([k, v]) => `${k}（${v}）`).join('、');
const RISKS = Object.entries(RISK_LEVEL_LABEL).map(([k, v]) => `${k}（${v}）`).join('、');
const WHERE = '位置填经纬度（WGS-84）或轮廓（GeoJSON Polygon/MultiPolygon，存为 MultiPolygon，点取其面上一点），二选一；按点落到网格，须在本站范围内（区级角色与管理员不限）。';
const PLACE = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, name: { type: 'string' }, category: { type: 'string' }, riskLevel: { type: 'string' }, address: { type: 'string' },
    lon: { type: 'number' }, lat: { type: 'number' }, gridCode: { type: 'string' }, outline: { type: 'object', description: 'GeoJSON MultiPolygon' }, updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'category', 'riskLevel', 'lon', 'lat', 'gridCode', 'updatedAt'],
};
const OK = { type: 'object', properties: { id: { type: 'integer' }, gridCode: { type: 'string' } }, required: ['id', 'gridCode'] };

/** Key places (重点场所, S3, S10): a register per grid, so per village and station; removed, never deleted (their visits stay). */
export function placeRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/places', 'session', {
    doc: { summary: '可见的重点场所', description: '本站（区级角色为全区）在册的重点场所，可按网格、类别、风险筛选，最多 5000 处。', query: PlaceQuery, response: { type: 'array', items: PLACE } },
  }, async ({ session, url }) => ({ body: await listPlaces(app.db, await reachOfSession(app.db, session!), readQuery(url, PlaceQuery)) }));

  router.add('POST', '/api/v1/places', 'editPlaces', {
    doc: {
      summary: '登记一处重点场所',
      description: `${WHERE}类别：${CATEGORIES}；风险：${RISKS}。`,
      body: PlaceInput,
      responses: { 201: { description: '已登记', schema: OK } },
      errors: { 422: '位置不在本区任何网格内，或不在本站范围内，或轮廓无效' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, PlaceInput);
    const reach = await reachOfSession(app.db, session!);
    const point = input.outline ? await outlinePoint(app.db, input.outline) : { lon: input.lon!, lat: input.lat! };
    const grid = await gridInReach(app.db, reach, point.lon, point.lat, input.outline ? 'body.outline' : 'body.lon');
    const id = await inTransaction(app.db, async (tx) => {
      const placeId = await insertPlace(tx, { ...input, ...point }, grid);
      await audit(tx, session, { action: 'place.create', target: `place:${placeId}`, detail: { ...input, ...point, gridCode: grid }, ip });
      return placeId;
    });
    return { status: 201, body: { id, gridCode: grid } };
  });

  router.add('PATCH', '/api/v1/places/:id', 'editPlaces', {
    doc: {
      summary: '修改重点场所',
      description: `只改所给字段。新的经纬度去掉轮廓，新的轮廓连同点位一起改。${WHERE}`,
      body: PlacePatch,
      response: OK,
      errors: { 404: '无此场所，已移除，或不在本站', 422: '新位置不在本区任何网格内，或不在本站范围内，或轮廓无效' },
    },
  }, async (ctx) => {
    const id = registerId(ctx, '场所');
    const patch = await readBody(ctx.req, PlacePatch);
    const reach = await reachOfSession(app.db, ctx.session!);
    const moved = patch.outline ? await outlinePoint(app.db, patch.outline) : patch.lon !== undefined ? { lon: patch.lon, lat: patch.lat! } : null;
    const at = moved && { ...moved, grid: await gridInReach(app.db, reach, moved.lon, moved.lat, patch.outline ? 'body.outline' : 'body.lon') };
    const gridCode = await inTransaction(app.db, async (tx) => {
      const before = await placeForChange(tx, reach, id);
      if (!before) throw gone();
      await updatePlace(tx, id, patch, at);
      await audit(tx, ctx.session, { action: 'place.update', target: `place:${id}`, detail: { ...patch, ...(at ?? {}), from: before.gridCode }, ip: ctx.ip });
      return at?.grid ?? before.gridCode;
    });
    return { body: { id, gridCode } };
  });

  router.add('DELETE', '/api/v1/places/:id', 'editPlaces', {
    doc: {
      summary: '移除重点场所',
      description: '移出名册（不再计入应巡场所），记录与既往走访保留。',
      body: Empty,
      response: OK,
      errors: { 404: '无此场所，已移除，或不在本站' },
    },
  }, async (ctx) => {
    const id = registerId(ctx, '场所');
    await readBody(ctx.req, Empty);
    const reach = await reachOfSession(app.db, ctx.session!);
    const gridCode = await inTransaction(app.db, async (tx) => {
      const before = await placeForChange(tx, reach, id);
      if (!before) throw gone();
      await removePlace(tx, id);
      await audit(tx, ctx.session, { action: 'place.remove', target: `place:${id}`, detail: { gridCode: before.gridCode }, ip: ctx.ip });
      return before.gridCode;
    });
    return { body: { id, gridCode } };
  });
}
