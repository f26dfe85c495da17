import { forcesFor, GRID_FORCE, GRID_FORCE_LABEL } from '@/lib/command/joint';
import { DETOUR_FACTOR, rankByEta } from '@/lib/command/nearest';
import type { DispatchCandidate, DispatchProposalV1 } from '@/lib/contracts/command';
import type { AppContext } from '../context';
import type { Db, Tx } from '../db/pool';
import { DomainError } from '../errors';
import { onDutySql } from './duty';
import { ACTIVE_DISPATCH_SQL } from './dispatch-read';

/** A live fix older than this no longer says where a unit is; its home point is as good a guess. */
const FRESH_FIX_MS = 15 * 60_000;
const PER_FORCE = 3;

export interface EventPlace {
  id: number;
  stationId: number | null;
  category: string;
  subcategory: string | null;
  department: string | null;
  lon: number;
  lat: number;
}

interface UnitRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  department: string | null;
  lon: number | null;
  lat: number | null;
}

export type Positions = (unitId: number) => { lon: number; lat: number; t: number } | undefined;

export const livePositions = (app: Pick<AppContext, 'live'>): Positions => (id) => app.live?.latest.get(id);

/** Where a unit is taken to be: its live fix when fresh, else its home point; null when neither is known. */
export function positionOf(positions: Positions, unitId: number, home: { lon: number | null; lat: number | null }, now = Date.now()): { lon: number; lat: number; live: boolean } | null {
  const fix = positions(unitId);
  if (fix && now - fix.t < FRESH_FIX_MS) return { lon: fix.lon, lat: fix.lat, live: true };
  return home.lon === null || home.lat === null ? null : { lon: home.lon, lat: home.lat, live: false };
}

export async function eventPlace(db: Db | Tx, id: number): Promise<EventPlace> {
  const { rows } = await db.query<EventPlace>(
    `SELECT id, station_id AS "stationId", category, subcategory, department_code AS department,
            ST_X(location) AS lon, ST_Y(location) AS lat
       FROM events WHERE id = $1`,
    [id],
  );
  const e = rows[0];
  if (!e) throw new DomainError('not_found', 'not_found', `事件 ${id} 不存在`);
  if (e.lon === null) throw new DomainError('unprocessable', 'no_location', '事件没有位置，无法计算最近单位', [{ path: 'eventId', message: '事件未定位' }]);
  return e;
}

/**
 * Available units of the event's station for one force: a department's units, or the gridders
 * for `grid`. Available: status available, no active dispatch, on duty where the department has a
 * duty roster today. Positioned by the live fix when
 * fresh, else by the unit's home point.
 */
export async function availableUnits(db: Db | Tx, stationId: number | null, force: string, positions: Positions, now = Date.now()): Promise<(DispatchCandidate & { live: boolean })[]> {
  const { rows } = await db.query<UnitRow>(
    `SELECT u.id AS "unitId", u.code, u.name, u.kind, d.code AS department, ST_X(u.last_position) AS lon, ST_Y(u.last_position) AS lat
       FROM units u LEFT JOIN departments d ON d.id = u.department_id
      WHERE u.station_id = $1 AND u.status = 'available'
        AND (CASE WHEN $2 = '${GRID_FORCE}' THEN u.kind = 'gridder' ELSE d.code = $2 END)
        AND NOT EXISTS (SELECT 1 FROM dispatches x WHERE x.unit_id = u.id AND x.state IN ${ACTIVE_DISPATCH_SQL})
        -- A department's officer is available on a rostered day only if on duty (a team always is: its crew is whoever is).
        AND (u.person_id IS NULL OR u.department_id IS NULL OR ${onDutySql('u.station_id', 'u.department_id', 'u.person_id')})`,
    [stationId, force],
  );
  return rows.flatMap((u) => {
    const at = positionOf(positions, u.unitId, u, now);
    return at ? [{ ...u, ...at, distanceM: 0, etaS: 0 }] : [];
  });
}

export async function rankedFor(db: Db | Tx, e: EventPlace, force: string, positions: Positions): Promise<DispatchCandidate[]> {
  const units = await availableUnits(db, e.stationId, force, positions);
  return rankByEta(units, e).map((r) => ({ ...r.unit, distanceM: r.distanceM, etaS: r.etaS }));
}

/** For each force the event's joint-handling rule names, the nearest available units (S12). */
export async function proposal(app: Pick<AppContext, 'db' | 'reference' | 'live'>, eventId: number): Promise<DispatchProposalV1> {
  const ref = await app.reference.get();
  const e = await eventPlace(app.db, eventId);
  const positions = livePositions(app);
  const forces = forcesFor(ref.jointRules, e);
  const out: DispatchProposalV1['forces'] = [];
  for (const force of forces) {
    const ranked = await rankedFor(app.db, e, force, positions);
    out.push({ force, label: force === GRID_FORCE ? GRID_FORCE_LABEL : (ref.departments.get(force) ?? force), candidates: ranked.slice(0, PER_FORCE) });
  }
  const { rows } = await app.db.query<{ unit_id: number }>(
    `SELECT unit_id FROM dispatches WHERE event_id = $1 AND state IN ${ACTIVE_DISPATCH_SQL}`,
    [eventId],
  );
  return { eventId, stationId: e.stationId, target: { lon: e.lon, lat: e.lat }, detourFactor: DETOUR_FACTOR, forces: out, active: rows.map((r) => r.unit_id) };
}
