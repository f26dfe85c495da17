import type { AgreementDocV1, AgreementV1, CaseDetailV1, CaseListQuery, CaseSummaryV1, Outcome, PartyV1, PendingDisputeV1, SessionV1 } from '@/lib/contracts/mediation';
import { can } from '@/lib/roles';
import { caseNumber, disputeLabel, maskParty, maskText, seesPartiesInClear, shanghaiDate } from '@/lib/mediation/rules';
import type { Db, Tx } from '../db/pool';
import { args, stationScopeSql } from '../db/scope';
import { HANDLED_SQL, isoSql } from '../db/sql';
import { audit } from '../repo/audit';
import { caseNotFound, caseScopeSql, type MediationViewer } from './viewer';

/*
 * Reading cases (issue 14): the station's list, a mediator's own list, one case, its agreement.
 * Every read goes through caseScopeSql (the one scope rule: a case belongs to its station), and
 * parties are masked unless the viewer is the case's mediator or one of the station's leaders.
 */

interface Row {
  id: number;
  stationId: number;
  stationName: string;
  disputeKind: string;
  summary: string;
  state: 'open' | 'closed';
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  mediatorId: number | null;
  mediatorName: string | null;
  mediatorPersonId: number | null;
  studioId: number | null;
  studioName: string | null;
  outcome: Outcome | null;
  closedAt: string | null;
  followupDueAt: string | null;
  followupAt: string | null;
  nextSession: { at: string; place: string } | null;
  parties: PartyV1[];
  eventId: number | null;
  citizenRequestId: number | null;
  referredTo: string | null;
  agreement: AgreementV1 | null;
  followupNote: string | null;
}

const SELECT = `
  SELECT m.id::int AS id, m.station_id AS "stationId", st.name AS "stationName", m.dispute_kind AS "disputeKind", m.summary, m.state,
         ${isoSql('m.opened_at')} AS "openedAt", ${isoSql('m.due_at')} AS "dueAt", (m.state = 'open' AND m.due_at < now()) AS overdue,
         m.mediator_id AS "mediatorId", d.name AS "mediatorName", d.person_id AS "mediatorPersonId",
         m.studio_id AS "studioId", s.name AS "studioName", m.outcome,
         ${isoSql('m.closed_at')} AS "closedAt", ${isoSql('m.followup_due_at')} AS "followupDueAt", ${isoSql('m.followup_at')} AS "followupAt",
         (SELECT json_build_object('at', ${isoSql('x.at')}, 'place', x.place) FROM mediation_sessions x
           WHERE x.case_id = m.id AND x.at > now() ORDER BY x.at LIMIT 1) AS "nextSession",
         m.parties, m.event_id::int AS "eventId", m.citizen_request_id::int AS "citizenRequestId", m.referred_to AS "referredTo",
         m.agreement, m.followup_note AS "followupNote"
    FROM mediation_cases m JOIN stations st ON st.id = m.station_id
    LEFT JOIN mediators d ON d.id = m.mediator_id LEFT JOIN mediation_studios s ON s.id = m.studio_id`;

function partiesFor(v: MediationViewer, r: Row): { parties: PartyV1[]; clear: boolean } {
  const clear = seesPartiesInClear(v, { stationId: r.stationId, mediatorPersonId: r.mediatorPersonId });
  return { parties: clear ? r.parties : r.parties.map(maskParty), clear };
}

function summaryOf(v: MediationViewer, r: Row): CaseSummaryV1 {
  const { parties, clear } = partiesFor(v, r);
  return {
    id: r.id, number: caseNumber(r.id, new Date(r.openedAt)), stationId: r.stationId, stationName: r.stationName,
    disputeKind: r.disputeKind, disputeKindLabel: disputeLabel(r.disputeKind),
    // The facts name the parties as the resident or the mediator wrote them (review M5).
    summary: clear ? r.summary : maskText(r.summary, r.parties), state: r.state,
    openedAt: r.openedAt, dueAt: r.dueAt, overdue: r.overdue, mediatorId: r.mediatorId, mediatorName: r.mediatorName,
    studioId: r.studioId, studioName: r.studioName, outcome: r.outcome, closedAt: r.closedAt,
    followupDueAt: r.followupDueAt, followupAt: r.followupAt, nextSession: r.nextSession, partyNames: parties.map((p) => p.name),
  };
}

export async function listCases(db: Db, v: MediationViewer, q: CaseListQuery): Promise<CaseSummaryV1[]> {
  const a = args();
  const filters = [caseScopeSql(v.reach, a.arg)];
  if (q.state === 'open' || q.state === 'closed') filters.push(`m.state = ${a.arg(q.state)}`);
  if (q.state === 'overdue') filters.push(`m.state = 'open' AND m.due_at < now()`);
  if (q.state === 'followup') filters.push(`m.state = 'closed' AND m.followup_at IS NULL`);
  if (q.mediatorId) filters.push(`m.mediator_id = ${a.arg(q.mediatorId)}`);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE ${filters.join(' AND ')} ORDER BY (m.state = 'open') DESC, m.due_at, m.id DESC LIMIT ${a.arg(q.limit)}`,
    a.args,
  );
  return rows.map((r) => summaryOf(v, r));
}

/** GET /api/v1/mediation/mine: the cases whose mediator is the session's person, open first. */
export async function myCases(db: Db, v: MediationViewer): Promise<CaseSummaryV1[]> {
  if (v.personId === null) return [];
  const a = args([v.personId]);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE d.person_id = $1 AND ${caseScopeSql(v.reach, a.arg)}
      ORDER BY (m.state = 'open') DESC, m.due_at, m.id DESC LIMIT 200`,
    a.args,
  );
  return rows.map((r) => summaryOf(v, r));
}

async function rowOf(db: Db | Tx, v: MediationViewer, id: number): Promise<Row> {
  const a = args([id]);
  const { rows } = await db.query<Row>(`${SELECT} WHERE m.id = $1 AND ${caseScopeSql(v.reach, a.arg)}`, a.args);
  if (!rows[0]) throw caseNotFound(id);
  return rows[0];
}

export async function caseDetail(db: Db | Tx, v: MediationViewer, id: number, ip?: string): Promise<CaseDetailV1> {
  const r = await rowOf(db, v, id);
  const { parties, clear } = partiesFor(v, r);
  const { rows: sessions } = await db.query<SessionV1>(
    `SELECT x.id::int AS id, ${isoSql('x.at')} AS at, x.place, x.participants, x.notes, a.display_name AS "recordedBy"
       FROM mediation_sessions x LEFT JOIN accounts a ON a.id = x.recorded_by WHERE x.case_id = $1 ORDER BY x.at, x.id`,
    [id],
  );
  // Parties' particulars read in clear leave a trace (issue 10: reads of personal data are audited).
  if (clear && ip !== undefined) await audit(db, { uid: v.uid, role: v.role }, { action: 'mediation.case.read', target: `mediation_case:${id}`, ip });
  const mediates = can(v.role, 'mediate');
  return {
    ...summaryOf(v, r),
    eventId: r.eventId, citizenRequestId: r.citizenRequestId, parties, partiesInClear: clear,
    // The agreement's terms and the follow-up's note are about the parties by name, phone and
    // money: withheld, not masked, from those who see the parties masked, as the 协议书 itself is
    // (review M5; free text about a person is withheld, lib/access/mask shownTo).
    referredTo: r.referredTo, agreement: clear ? r.agreement : null, followupNote: clear ? r.followupNote : null,
    // Session notes name the parties: only those who see them in clear read the notes.
    sessions: clear ? sessions : sessions.map((x) => ({ ...x, notes: null, participants: [] })),
    can: {
      assign: mediates && r.state === 'open',
      session: mediates && r.state === 'open',
      close: mediates && r.state === 'open',
      followup: mediates && r.state === 'closed' && r.followupAt === null,
    },
  };
}

/**
 * The 调解协议书 (人民调解协议书的通行格式): parties with their particulars, facts, terms,
 * performance. A paper the parties sign, so it is read only by those who see the parties in clear.
 */
export async function agreementDoc(db: Db, v: MediationViewer, id: number, ip: string): Promise<AgreementDocV1> {
  const r = await rowOf(db, v, id);
  const { clear } = partiesFor(v, r);
  if (!clear) throw caseNotFound(id);
  await audit(db, { uid: v.uid, role: v.role }, { action: 'mediation.agreement.read', target: `mediation_case:${id}`, ip });
  const signed = r.agreement?.signedAt ?? r.closedAt;
  return {
    number: caseNumber(r.id, new Date(r.openedAt)),
    committee: `${r.stationName}人民调解委员会`,
    studioName: r.studioName,
    parties: r.parties,
    disputeKindLabel: disputeLabel(r.disputeKind),
    facts: r.summary,
    terms: r.agreement?.terms ?? '',
    obligations: r.agreement?.obligations ?? null,
    performance: r.agreement?.performance ?? null,
    mediatorName: r.mediatorName,
    date: shanghaiDate(signed ? new Date(signed) : new Date()),
    outcome: r.outcome,
  };
}

/**
 * What waits to be opened as a case: residents' 调解申请 and dispute events of the viewer's stations,
 * not yet handled and without a case, oldest first (人民调解法: a request is answered promptly).
 */
export async function pendingDisputes(db: Db, v: MediationViewer): Promise<PendingDisputeV1[]> {
  const a = args();
  const scope = stationScopeSql(v.reach, 'e.station_id', a.arg);
  const { rows } = await db.query<PendingDisputeV1 & { kind: string | null }>(
    `SELECT e.id::int AS "eventId", r.id::int AS "citizenRequestId", e.title, ${isoSql('e.reported_at')} AS "reportedAt",
            r.id IS NOT NULL AS "fromCitizen",
            coalesce(r.details->>'disputeKind', CASE WHEN e.subcategory LIKE 'dispute.%' THEN substr(e.subcategory, 9) END) AS kind
       FROM events e LEFT JOIN LATERAL (SELECT id, details FROM citizen_requests c WHERE c.event_id = e.id AND c.kind = 'mediation' ORDER BY c.id LIMIT 1) r ON true
      WHERE (e.kind = 'mediation' OR e.category = 'dispute') AND e.state NOT IN ${HANDLED_SQL} AND e.station_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.event_id = e.id) AND ${scope}
      ORDER BY e.reported_at LIMIT 100`,
    a.args,
  );
  return rows.map(({ kind, ...r }) => ({ ...r, disputeKindLabel: kind ? disputeLabel(kind) : null }));
}
