import type { Datum } from '@/lib/contracts/master';
import { hashToken } from '../auth/token';
import type { Db } from '../db/pool';

/** A device token as the position routes use it: what it may report, and in which datum. */
export interface DeviceToken {
  id: number;
  unitId: number | null;
  stationId: number | null;
  datum: Datum;
}

/**
 * The live device token of this secret, or null. last_used_at is written at most once a minute
 * per device: a 1 Hz tracker must not cost a write per fix.
 */
export async function deviceByToken(db: Db, token: string | undefined | null): Promise<DeviceToken | null> {
  if (!token) return null;
  const { rows } = await db.query<DeviceToken>(
    `WITH t AS (SELECT id, unit_id, station_id, datum, last_used_at FROM device_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
          touched AS (UPDATE device_tokens d SET last_used_at = now() FROM t
                       WHERE d.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'))
     SELECT id, unit_id AS "unitId", station_id AS "stationId", datum FROM t`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}

/** What the ingest lets a token report: its unit, its station's units (a gateway), or any (a district gateway). */
export function onlyOf(t: DeviceToken): number | { station: number } | undefined {
  return t.unitId ?? (t.stationId !== null ? { station: t.stationId } : undefined);
}
