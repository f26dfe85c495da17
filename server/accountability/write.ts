import { reachOf } from '@/lib/access/scope';
import type { AccountabilityInputV1, AccountabilityRevokeV1 } from '@/lib/contracts/accountability';
import { shanghaiDay } from '@/lib/time/workdays';
import type { Session } from '../auth/session';
import { claimRequest, finishRequest } from '../command/requests';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DomainError, forbidden } from '../errors';
import { audit } from '../repo/audit';
import { eventFacts } from './events';
import { recordMissing } from './read';

/*
 * Making and revoking accountability records (issue 15 point 4, S13), by the district
 * (PERMISSIONS.manageAccountability). A record is made once per request key (the table's UNIQUE
 * request_key: a retry answers the first); revoking keeps the row with its reason, and from then
 * on the `accountability` indicator does not count it. Both audited.
 */

const reusedKey = () => new DomainError('conflict', 'request_key_reused', '请求编号已用于另一项操作', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);

/**
 * PERMISSIONS.manageAccountability names the roles (the router checks them); the reach is the
 * scope rule's (lib/access/scope, as server/assessment/rules.ts checkWriter): only the district's
 * reach makes, revokes or drafts records, whatever roles the permission may come to name.
 */
export function checkDistrict(s: Pick<Session, 'role' | 'stationId'>): void {
  if (reachOf({ role: s.role, stationId: s.stationId, department: null }).kind !== 'district') throw forbidden();
}

const unprocessable = (path: string, message: string) => new DomainError('unprocessable', 'unprocessable', message, [{ path, message }]);

/** What the record refers to must exist, belong to its station, and fit its source. */
async function checkReferences(tx: Tx, input: AccountabilityInputV1): Promise<void> {
  const { rows: st } = await tx.query(`SELECT 1 FROM stations WHERE id = $1`, [input.stationId]);
  if (!st[0]) throw unprocessable('body.stationId', `工作站 ${input.stationId} 不存在`);
  if (input.departmentCode !== undefined) {
    const { rows } = await tx.query(`SELECT 1 FROM departments WHERE code = $1`, [input.departmentCode]);
    if (!rows[0]) throw unprocessable('body.departmentCode', `部门 ${input.departmentCode} 不存在`);
  }
  // A person is of a station by a role there (person_roles) or by their account's station (as
  // server/assessment/figures.ts stationsOfPersons files them): a record names its own station's people.
  const { rows: people } = await tx.query<{ id: number; here: boolean }>(
    `SELECT p.id, (EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.station_id = $2)
                   OR EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND a.station_id = $2)) AS here
       FROM people p WHERE p.id = ANY($1::int[])`,
    [input.personIds, input.stationId],
  );
  const known = new Set(people.map((p) => p.id));
  const unknown = input.personIds.filter((id) => !known.has(id));
  if (unknown.length) throw unprocessable('body.personIds', `人员不存在：${unknown.join('、')}`);
  const elsewhere = people.filter((p) => !p.here).map((p) => p.id);
  if (elsewhere.length) throw unprocessable('body.personIds', `人员不属于该工作站：${elsewhere.join('、')}`);
  const events = await eventFacts(tx, input.eventIds);
  const missing = input.eventIds.filter((id) => !events.some((e) => e.id === id));
  if (missing.length) throw unprocessable('body.eventIds', `事件不存在：${missing.join('、')}`);
  const foreign = events.filter((e) => e.stationId !== input.stationId).map((e) => e.id);
  if (foreign.length) throw unprocessable('body.eventIds', `事件不属于该工作站：${foreign.join('、')}`);
  if (input.source === 'red_card') {
    const notRed = events.filter((e) => !e.redCarded).map((e) => e.id);
    if (notRed.length) throw unprocessable('body.eventIds', `事件未被亮红牌：${notRed.join('、')}`);
  }
  if (input.source === 'overdue') {
    const onTime = events.filter((e) => !e.overdue).map((e) => e.id);
    if (onTime.length) throw unprocessable('body.eventIds', `事件未超期：${onTime.join('、')}`);
  }
  if (input.decidedOn > shanghaiDay(new Date())) throw unprocessable('body.decidedOn', '作出日期不能晚于今天');
}

export async function createRecord(db: Db, s: Session, input: AccountabilityInputV1, ip: string): Promise<{ id: number; created: boolean }> {
  checkDistrict(s);
  return inTransaction(db, async (tx) => {
    const had = async () => {
      const { rows } = await tx.query<{ id: number; createdBy: number | null }>(
        `SELECT id::int, created_by AS "createdBy" FROM accountability_records WHERE request_key = $1`,
        [input.requestKey],
      );
      if (rows[0] && rows[0].createdBy !== s.uid)
        throw new DomainError('conflict', 'request_key_reused', '请求编号已用于另一项操作', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
      return rows[0] ? { id: rows[0].id, created: false } : null;
    };
    const first = await had();
    if (first) return first;
    await checkReferences(tx, input);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO accountability_records (kind, station_id, department_code, source, title, detail, decided_on, created_by, created_name, request_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (request_key) DO NOTHING RETURNING id::int`,
      [input.kind, input.stationId, input.departmentCode ?? null, input.source, input.title, input.detail, input.decidedOn, s.uid, s.name, input.requestKey],
    );
    // The same key committed by a concurrent retry: that one is the record.
    if (!rows[0]) return (await had())!;
    const id = rows[0].id;
    await tx.query(`INSERT INTO accountability_people (record_id, person_id) SELECT $1, unnest($2::int[])`, [id, input.personIds]);
    await tx.query(`INSERT INTO accountability_events (record_id, event_id) SELECT $1, unnest($2::bigint[])`, [id, input.eventIds]);
    await audit(tx, s, {
      action: 'accountability.create', target: `accountability:${id}`,
      detail: { kind: input.kind, source: input.source, stationId: input.stationId, departmentCode: input.departmentCode ?? null, personIds: input.personIds, eventIds: input.eventIds, decidedOn: input.decidedOn },
      ip,
    });
    return { id, created: true };
  });
}

export async function revokeRecord(db: Db, s: Session, id: number, input: AccountabilityRevokeV1, ip: string): Promise<{ replayed: boolean }> {
  checkDistrict(s);
  return inTransaction(db, async (tx) => {
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, s.uid, 'accountability-revoke');
    if (replay) {
      // The key of another record's revocation is not a retry of this one.
      if (replay.id !== id) throw reusedKey();
      return { replayed: true };
    }
    const { rows } = await tx.query<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM accountability_records WHERE id = $1 FOR UPDATE`, [id]);
    if (!rows[0]) throw recordMissing(id);
    if (rows[0].revoked) throw new DomainError('conflict', 'already_revoked', `追责问责记录 ${id} 已撤销`, [{ path: 'params.id', message: '已撤销' }]);
    await tx.query(`UPDATE accountability_records SET revoked_at = now(), revoked_reason = $2 WHERE id = $1`, [id, input.reason]);
    await audit(tx, s, { action: 'accountability.revoke', target: `accountability:${id}`, detail: { reason: input.reason }, ip });
    await finishRequest(tx, input.requestKey, { id });
    return { replayed: false };
  });
}
