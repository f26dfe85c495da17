import type { Session } from '../auth/session';
import type { Db, Tx } from '../db/pool';
import { DomainError } from '../errors';

export const notFound = (what: string) => new DomainError('not_found', 'not_found', `${what}不存在`);
export const refused = (path: string, message: string) => new DomainError('unprocessable', 'invalid_reference', message, [{ path, message }]);

/**
 * Master data of a station is the administrator's, and its own chief's and deputy chief's (issue
 * 10). Anyone else, and a leader of another station, is told the station does not exist.
 */
export function mayManageStation(s: Session, stationId: number): void {
  if (s.role === 'admin') return;
  if ((s.role === 'station_chief' || s.role === 'deputy_chief') && s.stationId === stationId) return;
  throw notFound(`工作站 ${stationId} `);
}

/** A department's id by code, or a 422 naming the field. */
export async function departmentId(q: Db | Tx, code: string, path: string): Promise<number> {
  const { rows } = await q.query<{ id: number }>(`SELECT id FROM departments WHERE code = $1`, [code]);
  if (!rows[0]) throw refused(path, `部门 ${code} 不存在`);
  return rows[0].id;
}

/** The station a person belongs to (null: district staff); 404 if there is no such person. */
export async function stationOfPerson(q: Db | Tx, personId: number): Promise<number | null> {
  const { rows } = await q.query<{ stationId: number | null }>(`SELECT station_id AS "stationId" FROM people WHERE id = $1`, [personId]);
  if (!rows[0]) throw notFound(`人员 ${personId} `);
  return rows[0].stationId;
}
