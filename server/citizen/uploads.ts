import type { Db } from '../db/pool';
import { DomainError } from '../errors';

/**
 * The disk the public may fill (review L6). A resident's photo waits for the report that names it;
 * the orphan sweep (server/photos/orphans.ts) removes it a day later if none does. Until then the
 * residents' uploads no report names are capped all together, whatever addresses and device ids
 * they come from: past the cap, uploads wait (507) while reports with photos already sent go on.
 */
export const PUBLIC_UNATTACHED_MAX_BYTES = 2 * 1024 ** 3;

/** 507 when `bytes` more would take the residents' unattached uploads past the cap. */
export async function checkPublicUploadRoom(db: Db, bytes: number, max = PUBLIC_UNATTACHED_MAX_BYTES): Promise<void> {
  // Not yet marked kept by the sweep, and named by no event: the index of migration 009 on each side.
  const { rows } = await db.query<{ total: number }>(
    `SELECT coalesce(sum(p.bytes), 0)::bigint AS total FROM photos p
      WHERE NOT p.kept AND p.device_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM events e WHERE e.photos <> '{}' AND e.photos @> ARRAY[p.id])`,
  );
  if (rows[0].total + bytes > max)
    throw new DomainError('insufficient_storage', 'public_uploads_full', '群众上传的照片暂存空间已满，请稍后再试，或先不带照片提交');
}
