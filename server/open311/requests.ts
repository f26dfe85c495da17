import { KIND_CATEGORY, normalizeCode } from '@/lib/contracts/citizen';
import type { EventState } from '@/lib/events/machine';
import { CLOSED_STATES, MAX_RESULTS, maskPhonesIn, roundCoord, statusNotesOf, statusOf } from '@/lib/open311/georeport';
import type { XmlValue } from '@/lib/open311/xml';
import type { AppContext } from '../context';
import { args } from '../db/scope';
import type { Reference } from '../events/reference';

/**
 * GET requests.{format} and requests/{id}.{format} (issue 14 point 2). Scope (S14: the public sees
 * only its own reports): a client application sees the requests it filed, under their tracking
 * codes; and anyone sees the closed problem reports (events.kind 'problem') of the stations that
 * chose to publish them (stations.publish_closed_reports) — as the published map shows them: the
 * category's name for words, the village's name, placed to about 100 m, and an opaque public id
 * `P<event id>`, never a tracking code (a code is all the rating route asks for; review H1).
 * Complaints, questions and mediation requests are never anyone's but their client's. No name,
 * phone or email is ever selected; phone-like digits in the words are masked.
 */

/** The public id of a published event, `P<event id>` (the event is published anyway; S14). */
const PUBLIC_ID = /^P(\d{1,15})$/i;

export interface RequestFilter {
  /** The client application asking (its api_key), or null for anyone. */
  clientId: number | null;
  /** Tracking codes or public ids: overrides every other filter (spec). */
  ids?: string[];
  serviceCodes?: string[];
  statuses?: ('open' | 'closed')[];
  from?: Date;
  to?: Date;
}

export interface Row {
  /** The tracking code of the client's own request, or the public id of a published event. */
  id: string;
  own: boolean;
  /**
   * The client's own request on its own event: its words, address and exact point. A request merged
   * into another resident's event is own for its status only (review M1): that event's words,
   * address and point are the first reporter's.
   */
  exact: boolean;
  service_code: string;
  state: EventState;
  words: string | null;
  agency: string | null;
  requested: string;
  updated: string;
  expected: string | null;
  address: string | null;
  village_code: string | null;
  place: string | null;
  lon: number | null;
  lat: number | null;
  media_url: string | null;
}

const w3c = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`;

/** The service a request was filed under: its category, or for words-only kinds the category of the kind. */
function serviceCodeSql(arg: (v: unknown) => string): string {
  const cases = Object.entries(KIND_CATEGORY).map(([kind, code]) => `WHEN ${arg(kind)} THEN ${arg(code)}`).join(' ');
  return `(CASE r.kind ${cases} ELSE e.category END)`;
}

const PLACE_JOINS = `LEFT JOIN departments d ON d.code = e.department_code
       LEFT JOIN regions v ON v.code = e.village_code
       LEFT JOIN regions t ON t.code = e.town_code`;

export async function findRequests(app: AppContext, f: RequestFilter): Promise<Row[]> {
  const { args: list, arg } = args();
  // Placed only when a part uses them: PostgreSQL refuses a parameter that no part reads.
  const client = f.clientId === null ? null : arg(f.clientId);
  const codes = f.ids?.map(normalizeCode);
  const eventIds = f.ids?.flatMap((id) => PUBLIC_ID.exec(id.trim())?.[1] ?? []);
  const state = !f.ids && f.statuses?.length === 1 ? `e.state ${f.statuses[0] === 'closed' ? '' : 'NOT '}IN (${CLOSED_STATES.map((s) => arg(s)).join(', ')})` : null;
  /** The spec's filters on each part: its service, its time, its state. */
  const filters = (serviceSql: string, at: string): string[] => {
    if (f.ids) return [];
    const w: string[] = [];
    if (f.serviceCodes?.length) w.push(`${serviceSql} = ANY(${arg(f.serviceCodes)}::text[])`);
    if (state) w.push(state);
    if (f.from) w.push(`${at} >= ${arg(f.from)}`);
    if (f.to) w.push(`${at} <= ${arg(f.to)}`);
    return w;
  };
  const parts: string[] = [];
  if (client !== null) {
    const service = serviceCodeSql(arg);
    const where = [`r.api_key_id = ${client}`, ...(codes ? [`r.code = ANY(${arg(codes)}::text[])`] : []), ...filters(service, 'r.created_at')];
    parts.push(`SELECT r.code AS id, true AS own, NOT r.merged AS exact, ${service} AS service_code, e.state,
            CASE WHEN r.merged THEN NULL ELSE coalesce(e.description, e.title) END AS words, coalesce(d.name, s.name) AS agency,
            r.created_at AS at, greatest(e.updated_at, r.created_at) AS changed, coalesce(e.deadline_at, e.accept_due_at) AS due,
            CASE WHEN r.merged THEN NULL ELSE e.address END AS address, e.village_code, coalesce(v.name, t.name) AS place,
            ST_X(e.location) AS lon, ST_Y(e.location) AS lat, r.details->'open311'->>'media_url' AS media_url
       FROM citizen_requests r
       JOIN events e ON e.id = r.event_id
       LEFT JOIN stations s ON s.id = e.station_id
       ${PLACE_JOINS}
      WHERE ${where.join(' AND ')}`);
  }
  if (!f.ids || eventIds?.length) {
    const where = [
      `e.reported_by_citizen`, `e.kind = 'problem'`, `e.state IN ('closed', 'rated')`,
      ...(eventIds ? [`e.id = ANY(${arg(eventIds)}::bigint[])`] : []),
      // Listed once: as the client's own request when it has one on this event.
      ...(client !== null && !f.ids ? [`NOT EXISTS (SELECT 1 FROM citizen_requests o WHERE o.event_id = e.id AND o.api_key_id = ${client})`] : []),
      ...filters('e.category', 'e.reported_at'),
    ];
    parts.push(`SELECT 'P' || e.id AS id, false AS own, false AS exact, e.category AS service_code, e.state,
            NULL::text AS words, coalesce(d.name, s.name) AS agency,
            e.reported_at AS at, e.updated_at AS changed, coalesce(e.deadline_at, e.accept_due_at) AS due,
            NULL::text AS address, e.village_code, coalesce(v.name, t.name) AS place,
            ST_X(e.location) AS lon, ST_Y(e.location) AS lat, NULL::text AS media_url
       FROM events e
       JOIN stations s ON s.id = e.station_id AND s.publish_closed_reports
       ${PLACE_JOINS}
      WHERE ${where.join(' AND ')}`);
  }
  if (parts.length === 0) return [];
  const { rows } = await app.db.query<Row>(
    `SELECT id, own, exact, service_code, state, words, agency, ${w3c('at')} AS requested, ${w3c('changed')} AS updated,
            ${w3c('due')} AS expected, address, village_code, place, lon, lat, media_url
       FROM (${parts.join('\n      UNION ALL\n      ')}) x
      ORDER BY at DESC, id DESC
      LIMIT ${MAX_RESULTS}`,
    list,
  );
  return rows;
}

/** One request as the spec's GET requests answers it, every field present (null when we have none). */
export function requestEntry(r: Row, ref: Reference): Record<string, XmlValue> {
  const place = (x: number | null) => (x === null ? null : r.exact ? x : roundCoord(x));
  const serviceName = ref.categories.get(r.service_code)?.label ?? r.service_code;
  return {
    service_request_id: r.id,
    status: statusOf(r.state),
    status_notes: statusNotesOf(r.state),
    service_name: serviceName,
    service_code: r.service_code,
    // Only the client's own words back to it; anyone else's request is named by its service (H1, M1).
    description: r.exact && r.words ? maskPhonesIn(r.words) : serviceName,
    agency_responsible: r.agency,
    service_notice: null,
    requested_datetime: r.requested,
    updated_datetime: r.updated,
    expected_datetime: r.expected,
    // The client's own address text back to it; anyone else's is the village's name only.
    address: r.exact && r.address ? maskPhonesIn(r.address) : r.place,
    address_id: r.village_code,
    zipcode: null,
    lat: place(r.lat),
    long: place(r.lon),
    media_url: r.own ? r.media_url : null,
  };
}
