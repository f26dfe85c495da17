import type { Reach } from '@/lib/access/scope';
import { ACCOUNTABILITY_WEIGHT, type AccountabilityListQuery, type AccountabilityRecordV1 } from '@/lib/contracts/accountability';
import { DISTRICT_ROLES } from '@/lib/roles';
import type { Session } from '../auth/session';
import type { Db, Tx } from '../db/pool';
import { args, stationScopeSql } from '../db/scope';
import { DomainError, forbidden } from '../errors';
import { EVENT_FIELDS } from './events';

/*
 * Reading accountability records (issue 15 point 4, S13). The district roles read all; a
 * station's two leaders their station's; everyone reads the records that name them ("visible in
 * their record": GET /api/v1/accountability/mine). Revoked records stay readable, marked so.
 */

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const LEADERS = ['station_chief', 'deputy_chief'];

/** Who reads records: their reach (null: only the records naming them) and their person. */
export interface AccountabilityViewer {
  reach: Reach | null;
  personId: number | null;
}

export async function accountabilityViewer(db: Db, s: Session): Promise<AccountabilityViewer> {
  // A wall screen is nobody: it names no person and reads no one's record.
  if (s.role === 'display') throw forbidden();
  const { rows } = await db.query<{ personId: number | null }>(`SELECT person_id AS "personId" FROM accounts WHERE id = $1`, [s.uid]);
  const reach: Reach | null = DISTRICT_ROLES.includes(s.role) ? { kind: 'district' }
    : LEADERS.includes(s.role) && s.stationId !== null ? { kind: 'station', stationId: s.stationId } : null;
  return { reach, personId: rows[0]?.personId ?? null };
}

export const recordMissing = (id: number) => new DomainError('not_found', 'not_found', `追责问责记录 ${id} 不存在或不在职责范围内`);

const RECORD = `r.id::int, r.kind, r.station_id AS "stationId", s.name AS "stationName", r.department_code AS "departmentCode",
  d.name AS "departmentName", r.source, r.title, r.detail, to_char(r.decided_on, 'YYYY-MM-DD') AS "decidedOn",
  r.created_name AS "createdName", ${ISO('r.created_at')} AS "createdAt", ${ISO('r.revoked_at')} AS "revokedAt", r.revoked_reason AS "revokedReason",
  coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY p.id)
              FROM accountability_people ap JOIN people p ON p.id = ap.person_id WHERE ap.record_id = r.id), '[]') AS people,
  coalesce((SELECT json_agg(x ORDER BY x."reportedAt", x.id) FROM (SELECT ${EVENT_FIELDS}
              FROM accountability_events ae JOIN events e ON e.id = ae.event_id WHERE ae.record_id = r.id) x), '[]') AS events`;
const FROM = `accountability_records r JOIN stations s ON s.id = r.station_id LEFT JOIN departments d ON d.code = r.department_code`;

type Row = Omit<AccountabilityRecordV1, 'weight'>;
const withWeight = (r: Row): AccountabilityRecordV1 => ({ ...r, weight: ACCOUNTABILITY_WEIGHT[r.kind] });

/** Records within the reader's reach, newest decision first, filtered. */
export async function listRecords(db: Db, v: AccountabilityViewer, q: AccountabilityListQuery): Promise<AccountabilityRecordV1[]> {
  if (!v.reach) throw forbidden();
  const a = args();
  const where = [stationScopeSql(v.reach, 'r.station_id', a.arg)];
  if (q.stationId !== undefined) where.push(`r.station_id = ${a.arg(q.stationId)}`);
  if (q.kind) where.push(`r.kind = ${a.arg(q.kind)}`);
  if (q.source) where.push(`r.source = ${a.arg(q.source)}`);
  if (q.personId !== undefined) where.push(`EXISTS (SELECT 1 FROM accountability_people ap WHERE ap.record_id = r.id AND ap.person_id = ${a.arg(q.personId)})`);
  if (q.from) where.push(`r.decided_on >= ${a.arg(q.from)}::date`);
  if (q.to) where.push(`r.decided_on <= ${a.arg(q.to)}::date`);
  if (q.revoked === 'exclude') where.push('r.revoked_at IS NULL');
  if (q.revoked === 'only') where.push('r.revoked_at IS NOT NULL');
  const { rows } = await db.query<Row>(`SELECT ${RECORD} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY r.decided_on DESC, r.id DESC LIMIT 500`, a.args);
  return rows.map(withWeight);
}

/** The records naming the reader's person (none for an account without one). */
export async function myRecords(db: Db, v: AccountabilityViewer): Promise<AccountabilityRecordV1[]> {
  if (v.personId === null) return [];
  const { rows } = await db.query<Row>(
    `SELECT ${RECORD} FROM ${FROM} WHERE EXISTS (SELECT 1 FROM accountability_people ap WHERE ap.record_id = r.id AND ap.person_id = $1)
      ORDER BY r.decided_on DESC, r.id DESC LIMIT 500`,
    [v.personId],
  );
  return rows.map(withWeight);
}

/** One record: within the reader's reach, or naming them. */
export async function recordById(db: Db | Tx, v: AccountabilityViewer, id: number): Promise<AccountabilityRecordV1> {
  const a = args([id]);
  const scope = v.reach ? stationScopeSql(v.reach, 'r.station_id', a.arg) : 'false';
  const named = v.personId !== null ? `EXISTS (SELECT 1 FROM accountability_people ap WHERE ap.record_id = r.id AND ap.person_id = ${a.arg(v.personId)})` : 'false';
  const { rows } = await db.query<Row>(`SELECT ${RECORD} FROM ${FROM} WHERE r.id = $1 AND (${scope} OR ${named})`, a.args);
  if (!rows[0]) throw recordMissing(id);
  return withWeight(rows[0]);
}
