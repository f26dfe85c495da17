import { maskName, seesKeyPersonInClear } from '@/lib/access/mask';
import { can } from '@/lib/roles';
import type { OwedItem } from '@/lib/coverage/contracts';
import { monthBounds } from '@/lib/coverage/month';
import type { Session } from '../auth/session';
import type { Db } from '../db/pool';
import { audit } from '../repo/audit';
import { maskViewerOf } from '../repo/keyPersons';

interface Raw extends Omit<OwedItem, 'masked' | 'distanceM' | 'lastVisitAt'> {
  stationId: number | null;
  lastVisitAt: Date | null;
}

/**
 * What is still owed this month in `grids` (S3: every place, and every key person as often as
 * their category asks): places with no visit, persons with fewer visit days than visits_per_month.
 */
export async function owedIn(db: Db, grids: readonly string[], month: string): Promise<Raw[]> {
  const { from, to } = monthBounds(month);
  const { rows } = await db.query<Raw>(
    `WITH g AS (SELECT g.code, sv.station_id FROM regions g LEFT JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.code = ANY($3::text[]))
     SELECT * FROM (
       SELECT 'place' AS kind, p.id, p.name, p.category, p.address, ST_X(ST_PointOnSurface(coalesce(p.outline::geometry, p.location::geometry))) AS lon,
              ST_Y(ST_PointOnSurface(coalesce(p.outline::geometry, p.location::geometry))) AS lat, p.grid_code AS "gridCode", g.station_id AS "stationId",
              1 AS owed, v.n AS made, v.last AS "lastVisitAt"
         FROM places p JOIN g ON g.code = p.grid_code
         CROSS JOIN LATERAL (SELECT count(*)::int AS n, max(started_at) AS last FROM visits WHERE place_id = p.id AND started_at >= $1 AND started_at < $2) v
        WHERE p.removed_at IS NULL AND p.created_at < $2
       UNION ALL
       SELECT 'person', k.id, k.name, k.category, k.address, ST_X(k.location), ST_Y(k.location), k.grid_code, g.station_id,
              k.visits_per_month, v.n, v.last
         FROM key_persons k JOIN g ON g.code = k.grid_code
         CROSS JOIN LATERAL (SELECT count(DISTINCT (started_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS n, max(started_at) AS last
                               FROM visits WHERE person_id = k.id AND started_at >= $1 AND started_at < $2) v
        WHERE k.removed_at IS NULL AND k.created_at < $2
     ) x WHERE made < owed ORDER BY "gridCode", kind DESC, id`,
    [from, to, grids],
  );
  return rows;
}

/**
 * Applies the mask rule (lib/access/mask) to the persons of a list, and records every read that
 * shows any (issue 12: every read of personal data audited, masked or not). Roles that may not
 * read the register (department staff, mediators, walls …) get the places only: a masked name
 * still came with the person's category and home.
 */
export async function shown(db: Db, session: Session, raw: Raw[], ip: string, via: string): Promise<OwedItem[]> {
  const viewer = await maskViewerOf(db, session);
  const clear: number[] = [];
  const persons: number[] = [];
  const readable = can(session.role, 'readKeyPersons');
  const items = raw.filter((r) => r.kind === 'place' || readable).map(({ stationId, lastVisitAt, ...r }): OwedItem => {
    const base = { ...r, lastVisitAt: lastVisitAt ? lastVisitAt.toISOString() : null };
    if (r.kind === 'place') return { ...base, masked: false };
    persons.push(r.id);
    if (seesKeyPersonInClear(viewer, { gridCode: r.gridCode, stationId })) {
      clear.push(r.id);
      return { ...base, masked: false };
    }
    return { ...base, name: maskName(r.name), masked: true };
  });
  if (persons.length) await audit(db, session, { action: 'key_person.read', target: `key_persons:${persons.length}`, detail: { via, ids: persons, clear }, ip });
  return items;
}
