import { PLACE_CATEGORY_LABEL, PlaceInput, RISK_LEVEL_LABEL } from '@/lib/contracts/place';
import type { AppContext } from '../../context';
import { inTransaction } from '../../db/pool';
import { audit } from '../../repo/audit';
import { insertPlace, listPlaces } from '../../repo/places';
import { locate } from '../../repo/regions';
import { DomainError } from '../../errors';
import { readBody, type Router } from '../router';
import { maySeeStation } from '@/lib/access/scope';
import { reachOfSession } from '../../events/viewer';

export function placeRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/places', 'session', {
    doc: { summary: '可见的重点场所', description: '本站（区级角色为全区）的重点场所。', response: { type: 'array', items: { type: 'object' } } },
  }, async ({ session }) => ({ body: await listPlaces(app.db, await reachOfSession(app.db, session!)) }));

  router.add('POST', '/api/v1/places', 'editPlaces', {
    doc: {
      summary: '登记一处重点场所',
      description: `按点位落到网格；须在本站范围内（管理员不限）。类别：${Object.entries(PLACE_CATEGORY_LABEL).map(([k, v]) => `${k}（${v}）`).join('、')}；风险：${Object.entries(RISK_LEVEL_LABEL).map(([k, v]) => `${k}（${v}）`).join('、')}。`,
      body: PlaceInput,
      responses: { 201: { description: '已登记', schema: { type: 'object', properties: { id: { type: 'integer' }, gridCode: { type: 'string' } }, required: ['id', 'gridCode'] } } },
      errors: { 422: '位置不在本区任何网格内，或不在本站范围内' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, PlaceInput);
    const where = await locate(app.db, input.lon, input.lat);
    if (!where) throw new DomainError('unprocessable', 'outside_district', '位置不在本区任何网格内', [{ path: 'body.lon', message: '位置不在本区任何网格内' }]);
    // Base data of one's own station only (issue 10); the administrator keeps the district's.
    const reach = await reachOfSession(app.db, session!);
    const { rows } = await app.db.query<{ stationId: number | null }>(`SELECT station_id AS "stationId" FROM station_villages WHERE village_code = $1`, [where.village]);
    if (!maySeeStation(reach, rows[0]?.stationId ?? null))
      throw new DomainError('unprocessable', 'out_of_scope', '位置不在本站范围内', [{ path: 'body.lon', message: '位置不在本站范围内' }]);
    const id = await inTransaction(app.db, async (tx) => {
      const placeId = await insertPlace(tx, input, where.grid);
      await audit(tx, session, { action: 'place.create', target: `place:${placeId}`, detail: { ...input, gridCode: where.grid }, ip });
      return placeId;
    });
    return { status: 201, body: { id, gridCode: where.grid } };
  });
}
