import { RESPONSIBLE_GRID_ROLES } from '@/lib/roles';
import type { CheckInInput, CheckInReceipt } from '@/lib/coverage/contracts';
import { CHECKIN_MAX_M } from '@/lib/coverage/rules';
import type { Session } from '../auth/session';
import { inTransaction, type Db } from '../db/pool';
import { DomainError } from '../errors';
import { UPLOADED_BY } from '../photos/store';
import { audit } from '../repo/audit';

const refuse = (status: 'unprocessable' | 'forbidden' | 'not_found', code: string, path: string, message: string) =>
  new DomainError(status, code, message, [{ path, message }]);

/**
 * A manual check-in (手动签到), the fallback when the trace cannot show the visit (no signal, a
 * phone that slept): the responsible gridder, a photo they took, and where they stood, no farther
 * than CHECKIN_MAX_M from the place or the person's address. Stored as source 'manual' and shown
 * as such. A retry with the same requestKey answers the first check-in.
 */
export async function checkIn(db: Db, session: Session, input: CheckInInput, ip: string): Promise<{ status: number; body: CheckInReceipt }> {
  const targetPath = input.placeId !== undefined ? 'body.placeId' : 'body.personId';
  return inTransaction(db, async (tx) => {
    const again = await tx.query<{ id: number; createdBy: number }>(`SELECT id, created_by AS "createdBy" FROM visits WHERE request_key = $1`, [input.requestKey]);
    if (again.rows[0]) {
      if (again.rows[0].createdBy !== session.uid) throw refuse('unprocessable', 'request_key_taken', 'body.requestKey', 'requestKey 已被使用');
      return { status: 200, body: { id: again.rows[0].id, source: 'manual', duplicate: true } };
    }
    const { rows } = await tx.query<{ gridCode: string; distance: number }>(
      input.placeId !== undefined
        ? `SELECT grid_code AS "gridCode", ST_Distance(coalesce(outline::geometry, location::geometry)::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS distance
             FROM places WHERE id = $1 AND removed_at IS NULL`
        : `SELECT grid_code AS "gridCode", ST_Distance(location::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS distance
             FROM key_persons WHERE id = $1 AND removed_at IS NULL`,
      [input.placeId ?? input.personId, input.lon, input.lat],
    );
    const target = rows[0];
    // Not one of the caller's own: the same answer as a target that does not exist (nothing learnt of others' registers).
    const unit = target
      ? (await tx.query<{ id: number }>(
          `SELECT u.id FROM accounts a JOIN units u ON u.person_id = a.person_id
            WHERE a.id = $1 AND u.grid_code = $2 AND NOT u.is_team
              AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = a.person_id AND r.role = ANY($3::text[]))
            ORDER BY u.id LIMIT 1`,
          [session.uid, target.gridCode, RESPONSIBLE_GRID_ROLES],
        )).rows[0]
      : undefined;
    if (!target || !unit) throw refuse('not_found', 'not_yours', targetPath, input.placeId !== undefined ? '不是您负责网格的重点场所' : '不是您负责网格的重点人员');
    if (target.distance > CHECKIN_MAX_M)
      throw refuse('unprocessable', 'too_far', 'body.lon', `当前位置距${input.placeId !== undefined ? '场所' : '人员住址'} ${Math.round(target.distance)} 米，须在 ${CHECKIN_MAX_M} 米内签到`);
    const photo = await tx.query(`SELECT 1 FROM photos p WHERE p.id = $1 AND ${UPLOADED_BY('p.id', '$2', 'NULL')}`, [input.photoId, session.uid]);
    if (!photo.rows[0]) throw refuse('unprocessable', 'unknown_photo', 'body.photoId', '照片不存在或不是您上传的：请先拍照上传（POST /api/v1/photos）');
    const ins = await tx.query<{ id: number }>(
      `INSERT INTO visits (place_id, person_id, unit_id, started_at, ended_at, source, location, photo_id, note, created_by, request_key)
       VALUES ($1, $2, $3, now(), now(), 'manual', ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $8, $9) RETURNING id`,
      [input.placeId ?? null, input.personId ?? null, unit.id, input.lon, input.lat, input.photoId, input.note ?? null, session.uid, input.requestKey],
    );
    const id = ins.rows[0].id;
    await audit(tx, session, {
      action: 'visit.manual',
      target: input.placeId !== undefined ? `place:${input.placeId}` : `key_person:${input.personId}`,
      detail: { visitId: id, unitId: unit.id, lon: input.lon, lat: input.lat, distanceM: Math.round(target.distance), photoId: input.photoId },
      ip,
    });
    return { status: 201, body: { id, source: 'manual', duplicate: false } };
  });
}
