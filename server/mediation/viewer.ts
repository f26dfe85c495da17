import { reachOf, type Reach } from '@/lib/access/scope';
import { readsMediation } from '@/lib/mediation/access';
import type { PartyViewer } from '@/lib/mediation/rules';
import type { Session } from '../auth/session';
import type { Db, Tx } from '../db/pool';
import type { Arg } from '../db/scope';
import { DomainError, forbidden } from '../errors';

/** Who asks about mediation: their reach (lib/access/scope), and their person (a mediator's own cases). */
export interface MediationViewer extends PartyViewer {
  uid: number;
  name: string;
  reach: Reach;
}

export async function mediationViewer(db: Db | Tx, s: Session): Promise<MediationViewer> {
  if (!readsMediation(s.role)) throw forbidden();
  const { rows } = await db.query<{ personId: number | null }>(`SELECT person_id AS "personId" FROM accounts WHERE id = $1`, [s.uid]);
  return { uid: s.uid, name: s.name, role: s.role, stationId: s.stationId, personId: rows[0]?.personId ?? null, reach: reachOf({ role: s.role, stationId: s.stationId, department: null }) };
}

/** The one scope rule over mediation_cases aliased `m` (a case belongs to its station). */
export function caseScopeSql(reach: Reach, arg: Arg): string {
  if (reach.kind === 'district') return 'true';
  if (reach.kind === 'station') return `m.station_id = ${arg(reach.stationId)}`;
  return 'false';
}

export function maySeeStationCase(reach: Reach, stationId: number): boolean {
  return reach.kind === 'district' || (reach.kind === 'station' && reach.stationId === stationId);
}

export const caseNotFound = (id: number) => new DomainError('not_found', 'not_found', `调解案件 ${id} 不存在`);
