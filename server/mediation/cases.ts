import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DisputeKind } from '@/lib/contracts/citizen';
import { PartyV1, type CaseAssignV1, type CaseCloseV1, type CaseOpenV1, type FollowupV1, type SessionInputV1 } from '@/lib/contracts/mediation';
import { decide, isDone, type EventKind, type EventState } from '@/lib/events/machine';
import { closeIssues, DEFAULT_LIMIT_DAYS, dueAt, followupAtIssue, followupDueAt, PUBLIC_NOTE, sessionAtIssue, type Issue } from '@/lib/mediation/rules';
import type { AppContext } from '../context';
import { inTransaction, type Tx } from '../db/pool';
import { claimRequest, finishRequest } from '../command/requests';
import { DomainError, forbidden } from '../errors';
import { enqueue } from '../outbox/outbox';
import { audit } from '../repo/audit';
import { caseNotFound, maySeeStationCase, type MediationViewer } from './viewer';

/*
 * Changing a case (issue 14 point 5; S4, S8). Each step runs in one transaction with its audit row,
 * is safe to retry (the open's idempotency key, every other step's request key), and, when the case
 * came from an event, appends a public note to that event's log (action 'mediation', no change of
 * state) for the resident's tracking page: plain words, no one's name. Closing the case answers a
 * resident's 调解申请 (event kind 'mediation'): the event closes with the outcome as its answer, so the
 * resident reads 已答复 and may rate (review L4). A dispute reported as a problem keeps its own loop
 * (README: 调解结束后).
 */

type App = Pick<AppContext, 'db'>;
export interface Opened { id: number; created: boolean }

const Id = z.number().int().positive();
/** What a resident's 调解申请 carries in citizen_requests.details (lib/contracts/citizen.ts CitizenMediationV1). */
const RequestDetails = z.object({
  disputeKind: DisputeKind.optional(),
  otherParty: z.object({ name: z.string().min(1), phone: z.string().optional(), address: z.string().optional() }).passthrough().optional(),
}).passthrough();

interface Source {
  eventId: number;
  stationId: number | null;
  category: string;
  subcategory: string | null;
  kind: string;
  title: string;
  description: string | null;
  state: string;
  requestId: number | null;
  requestKind: string | null;
  name: string | null;
  phone: string | null;
  details: unknown;
}

const unprocessable = (path: string, message: string) => new DomainError('unprocessable', 'unprocessable', message, [{ path, message }]);
const refuse = (issue: Issue | null) => {
  if (issue) throw unprocessable(issue.path, issue.message);
};

/** Keys in order at every depth: the same request hashes the same however its JSON was written. */
function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, canonical((x as Record<string, unknown>)[k])]));
  return x;
}

/** What an open asked for, less its key: a key reused for another request is refused, not answered with the first case (review L3). */
export function requestHash(input: CaseOpenV1): string {
  return createHash('sha256').update(JSON.stringify(canonical({ ...input, idempotencyKey: undefined }))).digest('hex');
}

/** The event (locked: one case per event) and the resident's request behind it, if any. */
async function sourceOf(tx: Tx, input: CaseOpenV1): Promise<Source | null> {
  if (!input.eventId && !input.citizenRequestId) return null;
  const missing = () => new DomainError('not_found', 'not_found', input.citizenRequestId ? `群众申请 ${input.citizenRequestId} 不存在` : `事件 ${input.eventId} 不存在`);
  let eventId = input.eventId;
  if (input.citizenRequestId) {
    const { rows } = await tx.query<{ eventId: number }>(`SELECT event_id::int AS "eventId" FROM citizen_requests WHERE id = $1`, [input.citizenRequestId]);
    if (!rows[0]) throw missing();
    eventId = rows[0].eventId;
  }
  const { rows } = await tx.query<Source>(
    `SELECT e.id::int AS "eventId", e.station_id AS "stationId", e.category, e.subcategory, e.kind, e.title, e.description, e.state,
            r.id::int AS "requestId", r.kind AS "requestKind", r.name, r.phone, r.details
       FROM events e LEFT JOIN LATERAL (
              SELECT * FROM citizen_requests c WHERE c.event_id = e.id AND ($2::bigint IS NULL OR c.id = $2) ORDER BY c.id LIMIT 1) r ON true
      WHERE e.id = $1 FOR UPDATE OF e`,
    [eventId, input.citizenRequestId ?? null],
  );
  if (!rows[0]) throw missing();
  return rows[0];
}

function partiesFrom(s: Source | null, input: CaseOpenV1): PartyV1[] {
  if (input.parties) return input.parties;
  if (s?.requestId) {
    const d = RequestDetails.safeParse(s.details);
    const other = d.success ? d.data.otherParty : undefined;
    const parsed = z.array(PartyV1).safeParse([
      { name: s.name ?? '申请人', side: 'applicant', ...(s.phone ? { phone: s.phone } : {}) },
      { name: other?.name ?? '被申请人', side: 'respondent', ...(other?.phone ? { phone: other.phone } : {}), ...(other?.address ? { address: other.address } : {}) },
    ]);
    if (parsed.success) return parsed.data;
  }
  throw unprocessable('body.parties', '请填写当事人（至少两方）');
}

function disputeKindFrom(s: Source | null, input: CaseOpenV1): string {
  if (input.disputeKind) return input.disputeKind;
  const fromRequest = s?.requestId ? RequestDetails.safeParse(s.details) : null;
  if (fromRequest?.success && fromRequest.data.disputeKind) return fromRequest.data.disputeKind;
  const sub = DisputeKind.safeParse(s?.subcategory?.replace(/^dispute\./, ''));
  if (s?.category === 'dispute' && sub.success) return sub.data;
  throw unprocessable('body.disputeKind', '请选择纠纷类型');
}

/** A studio or mediator named must be of the case's station (and a mediator active). */
async function checkAssignees(tx: Tx, stationId: number, studioId: number | null | undefined, mediatorId: number | null | undefined): Promise<void> {
  if (studioId) {
    const { rowCount } = await tx.query(`SELECT 1 FROM mediation_studios WHERE id = $1 AND station_id = $2 AND active`, [studioId, stationId]);
    if (!rowCount) throw unprocessable('body.studioId', '调解工作室不属于本站或已停用');
  }
  if (mediatorId) {
    const { rowCount } = await tx.query(`SELECT 1 FROM mediators WHERE id = $1 AND station_id = $2 AND active`, [mediatorId, stationId]);
    if (!rowCount) throw unprocessable('body.mediatorId', '调解员不属于本站或已停用');
  }
}

async function studioName(tx: Tx, id: number | null | undefined): Promise<string | null> {
  if (!id) return null;
  const { rows } = await tx.query<{ name: string }>(`SELECT name FROM mediation_studios WHERE id = $1`, [id]);
  return rows[0]?.name ?? null;
}

/** A public note on the linked event's log: from_state = to_state, action 'mediation' (the resident's tracking page reads it). */
async function noteOnEvent(tx: Tx, v: MediationViewer, eventId: number | null, caseId: number, note: string, step: string): Promise<void> {
  if (!eventId) return;
  await tx.query(
    `INSERT INTO event_log (event_id, actor_id, actor_role, actor_name, from_state, to_state, action, note, data)
     SELECT id, $2, $3, $4, state, state, 'mediation', $5, $6 FROM events WHERE id = $1`,
    [eventId, v.uid, v.role, v.name, note, { caseId, step, public: true }],
  );
  await enqueue(tx, 'incident', [eventId]);
}

async function limitDays(tx: Tx, kind: string): Promise<number> {
  const { rows } = await tx.query<{ days: number }>(
    `SELECT days FROM mediation_limits WHERE dispute_kind = $1 OR dispute_kind IS NULL ORDER BY dispute_kind NULLS LAST LIMIT 1`,
    [kind],
  );
  return rows[0]?.days ?? DEFAULT_LIMIT_DAYS;
}

/** The case opened with this key, if any: the same request answers it, another is a conflict naming the key. */
async function byKey(tx: Tx, v: MediationViewer, input: CaseOpenV1, hash: string): Promise<Opened | null> {
  const { rows } = await tx.query<{ id: number; stationId: number; hash: string | null }>(
    `SELECT id::int, station_id AS "stationId", request_hash AS hash FROM mediation_cases WHERE idempotency_key = $1`,
    [input.idempotencyKey],
  );
  const c = rows[0];
  if (!c) return null;
  if (!maySeeStationCase(v.reach, c.stationId)) throw caseNotFound(c.id);
  if (c.hash !== null && c.hash !== hash) {
    const message = '此 idempotencyKey 已用于另一次立案，请换一个';
    throw new DomainError('conflict', 'idempotency_key_reused', message, [{ path: 'body.idempotencyKey', message }]);
  }
  return { id: c.id, created: false };
}

export async function openCase(app: App, v: MediationViewer, input: CaseOpenV1, ip: string): Promise<Opened> {
  const hash = requestHash(input);
  return inTransaction(app.db, async (tx) => {
    const again = await byKey(tx, v, input, hash);
    if (again) return again;
    const s = await sourceOf(tx, input);
    if (s) {
      if (s.stationId === null || !maySeeStationCase(v.reach, s.stationId))
        throw new DomainError('not_found', 'not_found', input.citizenRequestId ? `群众申请 ${input.citizenRequestId} 不存在` : `事件 ${input.eventId} 不存在`);
      if (s.kind !== 'mediation' && s.category !== 'dispute' && s.requestKind !== 'mediation')
        throw unprocessable(input.eventId ? 'body.eventId' : 'body.citizenRequestId', '只有矛盾纠纷类事件或调解申请可以立案调解');
      // The event's lock serialises opens of one event: a retry that waited on it is answered by its key.
      const waited = await byKey(tx, v, input, hash);
      if (waited) return waited;
      // One case per event: a second open (another click, another person) answers the first.
      const first = await tx.query<{ id: number }>(`SELECT id::int FROM mediation_cases WHERE event_id = $1`, [s.eventId]);
      if (first.rows[0]) return { id: first.rows[0].id, created: false };
    }
    const stationId = s?.stationId ?? v.stationId;
    if (stationId === null) throw forbidden();
    const kind = disputeKindFrom(s, input);
    const parties = partiesFrom(s, input);
    const summary = input.summary ?? s?.description ?? s?.title;
    if (!summary) throw unprocessable('body.summary', '请填写纠纷主要事实');
    await checkAssignees(tx, stationId, input.studioId, input.mediatorId);
    const openedAt = new Date();
    // Two opens with one key at once (no event to lock): the second waits on the first's row and
    // inserts nothing, then reads the first's case, committed by then (READ COMMITTED: a new snapshot per statement).
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO mediation_cases (station_id, studio_id, mediator_id, event_id, citizen_request_id, dispute_kind, parties, summary, opened_at, due_at, opened_by, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id::int`,
      [stationId, input.studioId ?? null, input.mediatorId ?? null, s?.eventId ?? null, s?.requestId ?? null, kind, JSON.stringify(parties), summary,
        openedAt, dueAt(openedAt, await limitDays(tx, kind)), v.uid, input.idempotencyKey, hash],
    );
    if (!rows[0]) {
      const raced = await byKey(tx, v, input, hash);
      if (!raced) throw new DomainError('conflict', 'conflict', '立案冲突，请重试');
      return raced;
    }
    const id = rows[0].id;
    await audit(tx, v, { action: 'mediation.case.open', target: `mediation_case:${id}`, detail: { stationId, eventId: s?.eventId ?? null, citizenRequestId: s?.requestId ?? null, disputeKind: kind }, ip });
    await noteOnEvent(tx, v, s?.eventId ?? null, id, PUBLIC_NOTE.opened(await studioName(tx, input.studioId)), 'open');
    return { id, created: true };
  });
}

interface Locked { id: number; stationId: number; eventId: number | null; state: 'open' | 'closed'; openedAt: Date; closedAt: Date | null; followupAt: Date | null; studioId: number | null }

/** The case, locked, within the viewer's reach; and the step's request key claimed (a retry replays). */
async function step<T>(app: App, v: MediationViewer, id: number, requestKey: string, kind: string, work: (tx: Tx, c: Locked) => Promise<T>): Promise<T | { replayed: true }> {
  return inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<Locked>(
      `SELECT id::int, station_id AS "stationId", event_id::int AS "eventId", state, opened_at AS "openedAt", closed_at AS "closedAt", followup_at AS "followupAt", studio_id AS "studioId"
         FROM mediation_cases WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const c = rows[0];
    if (!c || !maySeeStationCase(v.reach, c.stationId)) throw caseNotFound(id);
    const { replay } = await claimRequest<{ done: true }>(tx, requestKey, v.uid, `mediation.${kind}:${id}`);
    if (replay) return { replayed: true as const };
    const out = await work(tx, c);
    await finishRequest(tx, requestKey, { done: true });
    return out;
  });
}

const mustBeOpen = (c: Locked) => {
  if (c.state !== 'open') throw new DomainError('conflict', 'case_closed', '案件已结案');
};

export async function assignCase(app: App, v: MediationViewer, id: number, input: CaseAssignV1, ip: string) {
  return step(app, v, id, input.requestKey, 'assign', async (tx, c) => {
    mustBeOpen(c);
    await checkAssignees(tx, c.stationId, input.studioId, input.mediatorId);
    await tx.query(
      `UPDATE mediation_cases SET studio_id = CASE WHEN $2::boolean THEN $3::int ELSE studio_id END,
              mediator_id = CASE WHEN $4::boolean THEN $5::int ELSE mediator_id END WHERE id = $1`,
      [id, input.studioId !== undefined, input.studioId ?? null, input.mediatorId !== undefined, input.mediatorId ?? null],
    );
    await audit(tx, v, { action: 'mediation.case.assign', target: `mediation_case:${id}`, detail: { studioId: input.studioId, mediatorId: input.mediatorId }, ip });
    const studio = input.studioId !== undefined ? input.studioId : c.studioId;
    await noteOnEvent(tx, v, c.eventId, id, PUBLIC_NOTE.assigned(await studioName(tx, studio)), 'assign');
    return { replayed: false as const };
  });
}

export async function recordSession(app: App, v: MediationViewer, id: number, input: SessionInputV1, ip: string) {
  return step(app, v, id, input.requestKey, 'session', async (tx, c) => {
    mustBeOpen(c);
    const at = new Date(input.at);
    refuse(sessionAtIssue(at, c.openedAt, new Date()));
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO mediation_sessions (case_id, at, place, participants, notes, recorded_by, request_key) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int`,
      [id, at, input.place, input.participants, input.notes ?? null, v.uid, input.requestKey],
    );
    await audit(tx, v, { action: 'mediation.session.record', target: `mediation_case:${id}`, detail: { sessionId: rows[0].id, at: input.at }, ip });
    await noteOnEvent(tx, v, c.eventId, id, PUBLIC_NOTE.session(at, input.place, new Date()), 'session');
    return { replayed: false as const };
  });
}

export async function closeCase(app: App, v: MediationViewer, id: number, input: CaseCloseV1, ip: string) {
  const issues = closeIssues(input);
  if (issues.length) throw new DomainError('unprocessable', 'unprocessable', issues.map((i) => i.message).join('；'), issues);
  return step(app, v, id, input.requestKey, 'close', async (tx, c) => {
    mustBeOpen(c);
    const closedAt = new Date();
    const agreement = input.outcome === 'success' || input.agreement ? { ...input.agreement, signedAt: input.agreement?.signedAt ?? closedAt.toISOString() } : null;
    await tx.query(
      `UPDATE mediation_cases SET state = 'closed', outcome = $2, closed_at = $3, agreement = $4, referred_to = $5, followup_due_at = $6 WHERE id = $1`,
      [id, input.outcome, closedAt, agreement ? JSON.stringify(agreement) : null, input.outcome === 'referred' ? input.referredTo : null, followupDueAt(closedAt)],
    );
    await audit(tx, v, { action: 'mediation.case.close', target: `mediation_case:${id}`, detail: { outcome: input.outcome }, ip });
    if (!(await answerRequest(tx, v, c.eventId, id, input.outcome, ip))) await noteOnEvent(tx, v, c.eventId, id, PUBLIC_NOTE.closed(input.outcome), 'close');
    return { replayed: false as const };
  });
}

/**
 * A resident's 调解申请 (event kind 'mediation') is answered by the case's end (review L4): the
 * event goes to 办结 with an 'answer' step whose note is the outcome in plain words, as the machine
 * (lib/events/machine decide) allows the closing role, in the case's transaction, with the columns
 * server/events/act.ts sets on an answer. False when there is nothing to answer (no event, another
 * kind, already done, or a step the machine refuses): the close then leaves its public note only.
 */
async function answerRequest(tx: Tx, v: MediationViewer, eventId: number | null, caseId: number, outcome: CaseCloseV1['outcome'], ip: string): Promise<boolean> {
  if (!eventId) return false;
  const { rows } = await tx.query<{ state: EventState; kind: EventKind; reportedByCitizen: boolean }>(
    `SELECT state, kind, reported_by_citizen AS "reportedByCitizen" FROM events WHERE id = $1 FOR UPDATE`,
    [eventId],
  );
  const e = rows[0];
  if (!e || e.kind !== 'mediation' || isDone(e.state)) return false;
  const note = PUBLIC_NOTE.answered(outcome);
  const d = decide(e, 'answer', v.role, note);
  if (!d.ok) return false;
  await tx.query(
    `UPDATE events SET state = $2, version = version + 1, updated_at = now(), handled_at = now(), closed_at = now(),
            deadline_at = NULL, red_at = NULL, card = 'none', locked_by = NULL, locked_at = NULL,
            -- Answered straight from 上报: answering is accepting (as server/events/act.ts does).
            accepted_at = coalesce(accepted_at, now()),
            handle_due_at = CASE WHEN state = 'reported' THEN accept_due_at ELSE handle_due_at END,
            handle_red_at = CASE WHEN state = 'reported' THEN accept_red_at ELSE handle_red_at END
      WHERE id = $1`,
    [eventId, d.to],
  );
  await tx.query(
    `INSERT INTO event_log (event_id, actor_id, actor_role, actor_name, from_state, to_state, action, note, data)
     VALUES ($1, $2, $3, $4, $5, $6, 'answer', $7, $8)`,
    [eventId, v.uid, v.role, v.name, e.state, d.to, note, { caseId, step: 'close', outcome, public: true }],
  );
  await audit(tx, v, { action: 'event.answer', target: `event:${eventId}`, detail: { from: e.state, to: d.to, caseId, outcome }, ip });
  await enqueue(tx, 'incident', [eventId]);
  return true;
}

export async function recordFollowup(app: App, v: MediationViewer, id: number, input: FollowupV1, ip: string) {
  return step(app, v, id, input.requestKey, 'followup', async (tx, c) => {
    if (c.state !== 'closed') throw new DomainError('conflict', 'case_open', '案件结案后方可回访');
    if (c.followupAt) throw new DomainError('conflict', 'followed_up', '已回访');
    const at = input.at ? new Date(input.at) : new Date();
    refuse(followupAtIssue(at, c.closedAt ?? at, new Date()));
    await tx.query(`UPDATE mediation_cases SET followup_at = $2, followup_note = $3 WHERE id = $1`, [id, at, input.note]);
    await audit(tx, v, { action: 'mediation.case.followup', target: `mediation_case:${id}`, ip });
    await noteOnEvent(tx, v, c.eventId, id, PUBLIC_NOTE.followup(), 'followup');
    return { replayed: false as const };
  });
}

export const CaseId = Id;
