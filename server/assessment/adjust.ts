import { reachOf } from '@/lib/access/scope';
import type { AdjustmentInputV1, AdjustmentV1, EventFlagsInputV1, EventFlagsV1, ScoreV1 } from '@/lib/contracts/scores';
import type { Session } from '../auth/session';
import { claimRequest, finishRequest } from '../command/requests';
import { inTransaction, type Db } from '../db/pool';
import { DomainError, forbidden } from '../errors';
import { audit } from '../repo/audit';
import { computePeriod, type ComputeResult } from './compute';
import { scoreOf } from './scores';

/*
 * What the district changes by hand (issue 15 point 2; S13): an adjustment of a score with its
 * reason (append-only, shown beside the computed score, allowed on a frozen period: that is what
 * it is for), scoring a period now, and the 越级信访 / 群体性事件 flags of an event. Each audited;
 * each retried by its request key answers as the first time and does nothing twice.
 */

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The permissions' roles are all the district's; held here too should one ever grow a station role. */
function checkDistrict(s: Session): void {
  if (reachOf({ role: s.role, stationId: s.stationId, department: null }).kind !== 'district') throw forbidden();
}

export async function addAdjustment(db: Db, s: Session, input: AdjustmentInputV1, ip?: string): Promise<{ adjustment: AdjustmentV1; score: ScoreV1; created: boolean }> {
  checkDistrict(s);
  return inTransaction(db, async (tx) => {
    const { rows: exists } = await tx.query(`SELECT 1 FROM assessment_scores WHERE period = $1 AND subject_key = $2`, [input.period, input.subjectKey]);
    if (!exists.length)
      throw new DomainError('not_found', 'not_found', `${input.period} 没有 ${input.subjectKey} 的考评得分`, [{ path: 'body.subjectKey', message: '该时段没有此考评对象的得分' }]);
    const { rows: made } = await tx.query<{ id: number }>(
      `INSERT INTO assessment_adjustments (period, subject_key, points, reason, by_account, by_name, request_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_key) DO NOTHING RETURNING id::int`,
      [input.period, input.subjectKey, input.points, input.reason, s.uid, s.name, input.requestKey],
    );
    const created = made.length > 0;
    const { rows } = await tx.query<AdjustmentV1 & { period: string; subjectKey: string; byAccount: number | null }>(
      `SELECT id::int, period, subject_key AS "subjectKey", points::float8 AS points, reason, by_name AS "byName", by_account AS "byAccount", ${ISO('at')} AS at
         FROM assessment_adjustments WHERE request_key = $1`,
      [input.requestKey],
    );
    const { period, subjectKey, byAccount, ...adjustment } = rows[0];
    if (!created && (byAccount !== s.uid || period !== input.period || subjectKey !== input.subjectKey))
      throw new DomainError('conflict', 'request_key_reused', '请求编号已用于另一项操作', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
    if (created)
      await audit(tx, s, {
        action: 'assessment.adjust', target: `assessment_score:${input.period}:${input.subjectKey}`,
        detail: { adjustmentId: adjustment.id, points: input.points, reason: input.reason }, ip,
      });
    return { adjustment, score: (await scoreOf(tx, input.period, input.subjectKey))!, created };
  });
}

/**
 * Scores a period now (after a correction of data, say); a frozen period answers as it stands. The
 * audit entry is written in the transaction that writes the scores: both or neither.
 */
export async function computeNow(db: Db, s: Session, period: string, ip?: string): Promise<ComputeResult> {
  checkDistrict(s);
  return computePeriod(db, period, {
    also: (tx, result) => audit(tx, s, { action: 'assessment.compute', target: `assessment_period:${period}`, detail: { ...result }, ip }),
  });
}

/**
 * 越级信访 / 群体性事件 on an event (S13 deductions), set by the district. Not a step of the event's
 * loop: no event_log entry and nothing pushed; the audit log keeps who, why, before and after.
 */
export async function setEventFlags(db: Db, s: Session, eventId: number, input: EventFlagsInputV1, ip?: string): Promise<{ flags: EventFlagsV1; replayed: boolean }> {
  checkDistrict(s);
  return inTransaction(db, async (tx) => {
    const { rows: before } = await tx.query<{ petitionSkip: boolean; groupIncident: boolean }>(
      `SELECT petition_skip AS "petitionSkip", group_incident AS "groupIncident" FROM events WHERE id = $1 FOR UPDATE`,
      [eventId],
    );
    if (!before[0]) throw new DomainError('not_found', 'not_found', `事件 ${eventId} 不存在`);
    const { replay } = await claimRequest<EventFlagsV1>(tx, input.requestKey, s.uid, 'event.flags');
    if (replay) {
      if (replay.eventId !== eventId)
        throw new DomainError('conflict', 'request_key_reused', '请求编号已用于另一事件', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
      return { flags: replay, replayed: true };
    }
    const flags: EventFlagsV1 = {
      eventId,
      petitionSkip: input.petitionSkip ?? before[0].petitionSkip,
      groupIncident: input.groupIncident ?? before[0].groupIncident,
    };
    await tx.query(`UPDATE events SET petition_skip = $2, group_incident = $3 WHERE id = $1`, [eventId, flags.petitionSkip, flags.groupIncident]);
    await audit(tx, s, { action: 'event.flags', target: `event:${eventId}`, detail: { before: before[0], after: { petitionSkip: flags.petitionSkip, groupIncident: flags.groupIncident }, reason: input.reason }, ip });
    await finishRequest(tx, input.requestKey, flags);
    return { flags, replayed: false };
  });
}
