import { maySeeStation, reachOf, type Reach } from '@/lib/access/scope';
import type { LeaderboardQuery, LeaderboardRowV1, LedgerEntryV1, LedgerV1 } from '@/lib/contracts/points';
import type { PointsRule } from '@/lib/points/rules';
import { can, DISTRICT_ROLES } from '@/lib/roles';
import type { Session } from '../auth/session';
import type { Db } from '../db/pool';
import { DomainError, forbidden } from '../errors';

/*
 * Reading points (issue 15 point 5, S14). A ledger: one's own, or — for PERMISSIONS.managePoints —
 * a person of their station (the district roles: anyone), or a resident by their request's code.
 * A station's leaderboard: for those who work at the station and the district. Residents are not
 * on the leaderboard: they are known by a phone number, which is not for a notice board.
 */

const reachOfSession = (s: Session): Reach => reachOf({ role: s.role, stationId: s.stationId, department: null });
const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const LEDGER_LIMIT = 500;

export async function listRules(db: Db): Promise<PointsRule[]> {
  const { rows } = await db.query<PointsRule>(`SELECT code, label, points, who, active FROM points_rules ORDER BY code`);
  return rows;
}

async function ledgerOf(db: Db, holder: string): Promise<{ balance: number; entries: LedgerEntryV1[] }> {
  const { rows: bal } = await db.query<{ balance: number }>(`SELECT coalesce(sum(points), 0)::int AS balance FROM points_ledger WHERE holder = $1`, [holder]);
  const { rows } = await db.query<LedgerEntryV1>(
    `SELECT l.id::int, ${ISO('l.at')} AS at, l.points, l.rule_code AS "ruleCode", r.label AS "ruleLabel", l.reason, l.event_id::int AS "eventId",
            l.inspection_id::int AS "inspectionId", l.redemption_id::int AS "redemptionId", l.station_id AS "stationId", c.code AS "citizenCode"
       FROM points_ledger l LEFT JOIN points_rules r ON r.code = l.rule_code LEFT JOIN citizen_requests c ON c.id = l.citizen_request_id
      WHERE l.holder = $1 ORDER BY l.at DESC, l.id DESC LIMIT ${LEDGER_LIMIT}`,
    [holder],
  );
  return { balance: bal[0].balance, entries: rows };
}

const personMissing = (id: number) => new DomainError('not_found', 'not_found', `人员 ${id} 不存在或不在职责范围内`);

/** A person's ledger: their own; a station leader's for people of their station; the district's for anyone. */
export async function personLedger(db: Db, s: Session, personId: number): Promise<LedgerV1> {
  const { rows } = await db.query<{ name: string; own: boolean; stations: number[] }>(
    `SELECT p.name, EXISTS (SELECT 1 FROM accounts a WHERE a.id = $2 AND a.person_id = p.id) AS own,
            ARRAY(SELECT r.station_id FROM person_roles r WHERE r.person_id = p.id AND r.station_id IS NOT NULL
                  UNION SELECT a.station_id FROM accounts a WHERE a.person_id = p.id AND a.station_id IS NOT NULL) AS stations
       FROM people p WHERE p.id = $1`,
    [personId, s.uid],
  );
  const p = rows[0];
  if (!p) throw personMissing(personId);
  const reach = reachOfSession(s);
  const allowed = p.own || (can(s.role, 'managePoints') && (reach.kind === 'district' || p.stations.some((st) => maySeeStation(reach, st))));
  if (!allowed) throw personMissing(personId);
  return { holder: `p:${personId}`, personId, name: p.name, ...(await ledgerOf(db, `p:${personId}`)) };
}

/** The caller's own ledger (their account's person). */
export async function myLedger(db: Db, s: Session): Promise<LedgerV1> {
  const { rows } = await db.query<{ personId: number | null }>(`SELECT person_id AS "personId" FROM accounts WHERE id = $1`, [s.uid]);
  const personId = rows[0]?.personId ?? null;
  if (personId === null) return { holder: '', personId: null, name: s.name, balance: 0, entries: [] };
  return personLedger(db, s, personId);
}

/** A resident's points (by their phone, across requests) from one request's code; the phone itself is not shown. */
export async function citizenLedger(db: Db, s: Session, code: string): Promise<LedgerV1> {
  if (!can(s.role, 'managePoints')) throw forbidden();
  const { rows } = await db.query<{ id: number; phone: string | null; stationId: number | null }>(
    `SELECT id::int, phone, station_id AS "stationId" FROM citizen_requests WHERE code = $1`,
    [code.toUpperCase()],
  );
  const r = rows[0];
  if (!r || !maySeeStation(reachOfSession(s), r.stationId)) throw new DomainError('not_found', 'not_found', '查询码不存在或不在本站');
  const holder = r.phone ? `c:${r.phone.replace(/\D/g, '') || r.phone}` : `r:${r.id}`;
  return { holder: holder.startsWith('c:') ? `c:${'*'.repeat(Math.max(0, holder.length - 6))}${holder.slice(-4)}` : holder, personId: null, name: null, ...(await ledgerOf(db, holder)) };
}

/** Points earned (clawbacks included, redemptions not) in the station this month or year, Asia/Shanghai; top 50 people. */
export async function leaderboard(db: Db, s: Session, q: LeaderboardQuery): Promise<{ stationId: number; period: string; from: string; rows: LeaderboardRowV1[] }> {
  const stationId = q.stationId ?? s.stationId;
  if (stationId === null) throw new DomainError('invalid', 'invalid', '请指定工作站', [{ path: 'query.stationId', message: '请指定工作站' }]);
  const district = DISTRICT_ROLES.includes(s.role) || (s.role === 'display' && s.stationId === null);
  if (!district && s.stationId !== stationId) throw new DomainError('not_found', 'not_found', `工作站 ${stationId} 不在职责范围内`);
  const { rows: from } = await db.query<{ from: string }>(
    `SELECT to_char(date_trunc($1, now() AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS "from"`,
    [q.period],
  );
  const { rows } = await db.query<LeaderboardRowV1>(
    `SELECT (rank() OVER (ORDER BY sum(l.points) DESC))::int AS rank, l.person_id AS "personId", p.name, sum(l.points)::int AS points
       FROM points_ledger l JOIN people p ON p.id = l.person_id
      WHERE l.station_id = $1 AND l.rule_code IS NOT NULL AND l.person_id IS NOT NULL
        AND l.at >= (date_trunc($2, now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')
      GROUP BY l.person_id, p.name
      ORDER BY points DESC, p.name LIMIT 50`,
    [stationId, q.period],
  );
  return { stationId, period: q.period, from: from[0].from, rows };
}
