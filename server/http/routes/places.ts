import { PlaceInput } from '@/lib/contracts/place';
import type { AppContext } from '../../context';
import { inTransaction } from '../../db/pool';
import { audit } from '../../repo/audit';
import { insertPlace, listPlaces } from '../../repo/places';
import { locate } from '../../repo/regions';
import { HttpError } from '../errors';
import { readBody, type Router } from '../router';

export function placeRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/places', 'session', async () => ({ body: await listPlaces(app.db) }));

  router.add('POST', '/api/v1/places', 'editPlaces', async ({ req, session, ip }) => {
    const input = await readBody(req, PlaceInput);
    const where = await locate(app.db, input.lon, input.lat);
    if (!where) throw new HttpError(422, 'outside_district', '位置不在本区任何网格内', [{ path: 'body.lon', message: '位置不在本区任何网格内' }]);
    const id = await inTransaction(app.db, async (tx) => {
      const placeId = await insertPlace(tx, input, where.grid);
      await audit(tx, session, { action: 'place.create', target: `place:${placeId}`, detail: { ...input, gridCode: where.grid }, ip });
      return placeId;
    });
    return { status: 201, body: { id, gridCode: where.grid } };
  });
}
