import type { CitizenTrackingV1 } from '@/lib/contracts/citizen';
import type { CitizenPointsV1 } from '@/lib/contracts/points';
import { citizenHolder } from '@/lib/points/rules';
import { citizenEntryLabel } from '@/lib/points/view';
import { trackingView, type ProgressEvent, type ProgressRequest } from '@/lib/citizen/progress';
import type { AppContext } from '../context';
import type { Db, Tx } from '../db/pool';
import { isoSql } from '../db/sql';
import { DomainError } from '../errors';

/*
 * Following a request by its code, or by phone and PIN (issue 14, S14). An unknown code and one
 * that never existed answer the same 404 after the same single query; the reads are rate-limited
 * per address in the route (server/citizen/limits.ts).
 */

export interface RequestRecord extends ProgressRequest {
  id: number;
  eventId: number;
  stationId: number | null;
  deviceId: string | null;
}

const RECORD = `cr.id, cr.code, cr.kind, ${isoSql('cr.created_at')} AS "createdAt", e.description, cr.phone, cr.merged,
  cr.rating, cr.rating_comment AS "ratingComment", ${isoSql('cr.rated_at')} AS "ratedAt", cr.event_id AS "eventId",
  cr.station_id AS "stationId", cr.device_id AS "deviceId"`;

export const notFound = () => new DomainError('not_found', 'not_found', '未找到该诉求，请核对查询码');

export async function requestByCode(q: Db | Tx, code: string, forUpdate = false): Promise<RequestRecord | null> {
  const { rows } = await q.query<RequestRecord>(
    `SELECT ${RECORD} FROM citizen_requests cr JOIN events e ON e.id = cr.event_id WHERE cr.code = $1 ${forUpdate ? 'FOR UPDATE OF cr' : ''}`,
    [code],
  );
  return rows[0] ?? null;
}

/** The most recent request with this phone number and PIN. */
export async function requestByPhone(q: Db | Tx, phone: string, pin: string): Promise<RequestRecord | null> {
  const { rows } = await q.query<RequestRecord>(
    `SELECT ${RECORD} FROM citizen_requests cr JOIN events e ON e.id = cr.event_id
      WHERE cr.phone = $1 AND cr.pin = $2 ORDER BY cr.created_at DESC LIMIT 1`,
    [phone, pin],
  );
  return rows[0] ?? null;
}

interface EventRow {
  id: number;
  state: ProgressEvent['state'];
  categoryLabel: string;
  placeLabel: string | null;
  mergedInto: number | null;
}

/** The request's event and the events it was merged into (a chain of at most a few). */
export async function followedEvents(q: Db | Tx, eventId: number): Promise<(ProgressEvent & { id: number })[]> {
  const out: (ProgressEvent & { id: number })[] = [];
  let next: number | null = eventId;
  while (next !== null && out.length < 5 && !out.some((e) => e.id === next)) {
    const found: { rows: EventRow[] } = await q.query<EventRow>(
      `SELECT e.id, e.state, coalesce(sc.label, c.label, e.category) AS "categoryLabel",
              coalesce(v.name, t.name) AS "placeLabel", e.merged_into AS "mergedInto"
         FROM events e LEFT JOIN categories c ON c.code = e.category LEFT JOIN categories sc ON sc.code = e.subcategory
         LEFT JOIN regions v ON v.code = e.village_code LEFT JOIN regions t ON t.code = e.town_code
        WHERE e.id = $1`,
      [next],
    );
    const e: EventRow | undefined = found.rows[0];
    if (!e) break;
    const log = await q.query<ProgressEvent['log'][number]>(
      `SELECT ${isoSql('at')} AS at, action, to_state AS "to", note, data FROM event_log WHERE event_id = $1 ORDER BY at, id`,
      [e.id],
    );
    out.push({ id: e.id, state: e.state, categoryLabel: e.categoryLabel, placeLabel: e.placeLabel, log: log.rows });
    next = e.state === 'merged' ? e.mergedInto : null;
  }
  return out;
}

/** Entries a resident sees on /m: the latest, which is what a phone screen holds. */
const CITIZEN_ENTRIES = 20;

/**
 * The points of the request's holder (issue 15 point 5, S14: valid public tips): the phone's,
 * across its requests (lib/points/rules citizenHolder), or the one request's without a phone. The
 * code (or phone and PIN) that opened the request is what opens its points; the answer carries no
 * phone number and no words of the staff (lib/points/view citizenEntryLabel).
 */
export async function citizenPoints(q: Db | Tx, r: Pick<RequestRecord, 'id' | 'phone'>): Promise<CitizenPointsV1 | undefined> {
  const holder = citizenHolder(r.id, r.phone).key;
  const { rows } = await q.query<{ at: string; points: number; ruleLabel: string | null; redemptionId: number | null; reason: string; balance: number }>(
    `SELECT ${isoSql('l.at')} AS at, l.points, ru.label AS "ruleLabel", l.redemption_id::int AS "redemptionId", l.reason,
            -- The window is summed before LIMIT applies: the balance of every entry, not of those shown.
            (sum(l.points) OVER ())::int AS balance
       FROM points_ledger l LEFT JOIN points_rules ru ON ru.code = l.rule_code
      WHERE l.holder = $1 ORDER BY l.at DESC, l.id DESC LIMIT ${CITIZEN_ENTRIES}`,
    [holder],
  );
  if (!rows.length) return undefined;
  return { balance: rows[0].balance, entries: rows.map((e) => ({ at: e.at, points: e.points, label: citizenEntryLabel(e) })) };
}

export async function trackingOf(app: Pick<AppContext, 'db' | 'reference'>, r: RequestRecord, q: Db | Tx = app.db): Promise<CitizenTrackingV1> {
  const [events, ref, points] = await Promise.all([followedEvents(q, r.eventId), app.reference.get(), citizenPoints(q, r)]);
  const view = trackingView(r, events, ref.departments);
  return points ? { ...view, points } : view;
}
