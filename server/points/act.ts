import { reachOf, maySeeStation, type Reach } from '@/lib/access/scope';
import type { FalseReportV1, RedemptionV1 } from '@/lib/contracts/points';
import { citizenHolder, personHolder, type Holder } from '@/lib/points/rules';
import type { Session } from '../auth/session';
import { claimRequest, finishRequest } from '../command/requests';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { settleEvents } from './settle';

/*
 * Changing points (issue 15 point 5, S14), by PERMISSIONS.managePoints within the scope rule
 * (lib/access/scope.ts: a station's leaders their station, the district roles all): marking an
 * event found false, which takes its report points back in the same transaction, and recording a
 * redemption. Each is audited and safe to retry with its request key (server/command/requests.ts).
 */

const unprocessable = (path: string, message: string) => new DomainError('unprocessable', 'unprocessable', message, [{ path, message }]);
const reachOfSession = (s: Session): Reach => reachOf({ role: s.role, stationId: s.stationId, department: null });

export interface FalseMarkAnswer {
  eventId: number;
  reason: string;
  markedAt: string;
  /** The clawbacks written by this mark (none when nothing had been paid yet). */
  clawbacks: { holder: string; points: number; ruleCode: string }[];
}

export async function markFalse(db: Db, s: Session, input: FalseReportV1, ip: string): Promise<{ answer: FalseMarkAnswer; replayed: boolean }> {
  return inTransaction(db, async (tx) => {
    const { replay } = await claimRequest<FalseMarkAnswer>(tx, input.requestKey, s.uid, 'points-false');
    if (replay) return { answer: replay, replayed: true };
    const { rows } = await tx.query<{ stationId: number | null }>(`SELECT station_id AS "stationId" FROM events WHERE id = $1 FOR UPDATE`, [input.eventId]);
    if (!rows[0] || !maySeeStation(reachOfSession(s), rows[0].stationId))
      throw new DomainError('not_found', 'not_found', `事件 ${input.eventId} 不存在或不在职责范围内`, [{ path: 'body.eventId', message: '事件不存在或不在职责范围内' }]);
    const { rowCount } = await tx.query(
      `INSERT INTO event_false_reports (event_id, reason, marked_by, marked_name) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING`,
      [input.eventId, input.reason, s.uid, s.name],
    );
    if (!rowCount) throw new DomainError('conflict', 'already_marked', `事件 ${input.eventId} 已被查实为虚假上报`, [{ path: 'body.eventId', message: '已标记过' }]);
    const owed = await settleEvents(tx, [input.eventId]);
    const clawbacks = owed.filter((e) => e.points < 0).map((e) => ({ holder: e.holder.key, points: e.points, ruleCode: e.ruleCode }));
    const { rows: at } = await tx.query<{ markedAt: string }>(`SELECT to_char(marked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "markedAt" FROM event_false_reports WHERE event_id = $1`, [input.eventId]);
    const answer: FalseMarkAnswer = { eventId: input.eventId, reason: input.reason, markedAt: at[0].markedAt, clawbacks };
    await audit(tx, s, { action: 'points.false_report', target: `event:${input.eventId}`, detail: { reason: input.reason, clawbacks }, ip });
    await finishRequest(tx, input.requestKey, answer);
    return { answer, replayed: false };
  });
}

export interface RedemptionAnswer {
  id: number;
  holder: string;
  personId: number | null;
  citizenCode: string | null;
  item: string;
  points: number;
  balance: number;
  at: string;
}

/** Whose points, and the station they belong to: a person of the viewer's station, or a resident's request there. */
async function holderFor(tx: Tx, s: Session, input: RedemptionV1): Promise<{ holder: Holder; stationId: number | null; code: string | null }> {
  const reach = reachOfSession(s);
  if (input.personId !== undefined) {
    const { rows } = await tx.query<{ stations: number[] }>(
      `SELECT ARRAY(SELECT DISTINCT r.station_id FROM person_roles r WHERE r.person_id = p.id AND r.station_id IS NOT NULL
                    UNION SELECT DISTINCT a.station_id FROM accounts a WHERE a.person_id = p.id AND a.station_id IS NOT NULL) AS stations
         FROM people p WHERE p.id = $1`,
      [input.personId],
    );
    const stations = rows[0]?.stations ?? [];
    const own = reach.kind === 'district' ? (stations[0] ?? null) : stations.find((st) => maySeeStation(reach, st));
    if (!rows[0] || own === undefined) throw new DomainError('not_found', 'not_found', `人员 ${input.personId} 不存在或不在本站`, [{ path: 'body.personId', message: '人员不存在或不在本站' }]);
    return { holder: personHolder(input.personId), stationId: reach.kind === 'station' ? reach.stationId : own, code: null };
  }
  const { rows } = await tx.query<{ id: number; phone: string | null; stationId: number | null; code: string }>(
    `SELECT id::int, phone, station_id AS "stationId", code FROM citizen_requests WHERE code = $1`,
    [input.citizenCode],
  );
  if (!rows[0] || !maySeeStation(reach, rows[0].stationId))
    throw new DomainError('not_found', 'not_found', '查询码不存在或不在本站', [{ path: 'body.citizenCode', message: '查询码不存在或不在本站' }]);
  return { holder: citizenHolder(rows[0].id, rows[0].phone), stationId: rows[0].stationId, code: rows[0].code };
}

export async function redeem(db: Db, s: Session, input: RedemptionV1, ip: string): Promise<{ answer: RedemptionAnswer; replayed: boolean }> {
  return inTransaction(db, async (tx) => {
    const { replay } = await claimRequest<RedemptionAnswer>(tx, input.requestKey, s.uid, 'points-redeem');
    if (replay) return { answer: replay, replayed: true };
    const { holder, stationId, code } = await holderFor(tx, s, input);
    // One redemption of a holder at a time: the balance read below is the one the entry is made against.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('points:' || $1))`, [holder.key]);
    const { rows: bal } = await tx.query<{ balance: number }>(`SELECT coalesce(sum(points), 0)::int AS balance FROM points_ledger WHERE holder = $1`, [holder.key]);
    const balance = bal[0].balance;
    if (balance < input.points) throw unprocessable('body.points', `积分不足：余额 ${balance}，兑换需 ${input.points}`);
    const { rows } = await tx.query<{ id: number; at: string }>(
      `INSERT INTO points_redemptions (holder, person_id, citizen_request_id, station_id, item, points, recorded_by, recorded_name, request_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id::int, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at`,
      [holder.key, holder.personId, holder.citizenRequestId, stationId, input.item, input.points, s.uid, s.name, input.requestKey],
    );
    const r = rows[0];
    await tx.query(
      `INSERT INTO points_ledger (holder, person_id, citizen_request_id, station_id, points, redemption_id, ref, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [holder.key, holder.personId, holder.citizenRequestId, stationId, -input.points, r.id, `redeem:${r.id}`, `积分兑换：${input.item}`],
    );
    const answer: RedemptionAnswer = {
      id: r.id, holder: holder.key, personId: holder.personId, citizenCode: code, item: input.item, points: input.points, balance: balance - input.points, at: r.at,
    };
    await audit(tx, s, { action: 'points.redeem', target: holder.personId ? `person:${holder.personId}` : `citizen:${code}`, detail: { item: input.item, points: input.points, redemption: r.id }, ip });
    await finishRequest(tx, input.requestKey, answer);
    return { answer, replayed: false };
  });
}
