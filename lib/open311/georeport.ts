import { createHash } from 'node:crypto';
import { EVENT_STATE_LABEL, type EventState } from '../events/machine';
import { xmlDocument, type ItemNames, type XmlValue } from './xml';

/**
 * Open311 GeoReport v2 (issue 14 point 2; S9's "report from anywhere", S14's "the public sees only
 * its own reports"): the pure parts of the adapter. Field names, formats and rules are those of
 * http://wiki.open311.org/GeoReport_v2; server/open311 loads and stores, this decides.
 */

export const GEOREPORT_SPEC = 'http://wiki.open311.org/GeoReport_v2';

export const FORMATS = ['json', 'xml'] as const;
export type Format = (typeof FORMATS)[number];
export const isFormat = (s: string): s is Format => (FORMATS as readonly string[]).includes(s);

/** The spec's media types ("Format Support"): XML is text/xml, JSON application/json, both UTF-8. */
export const MEDIA_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/** The singular element of each list, as the spec's XML examples name them. */
export const ITEM_NAMES: ItemNames = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

/** The one attribute we define: a category's sub-category, when it has any (a singlevaluelist). */
export const SUBCATEGORY_ATTRIBUTE = 'subcategory';

/**
 * The spec's two statuses: `closed` once resolved — closed, rated, and also returned (退回) or
 * merged into another event, which are final for this request; everything else is still `open`.
 */
export const CLOSED_STATES: readonly EventState[] = ['closed', 'rated', 'returned', 'merged'];
export const statusOf = (state: EventState): 'open' | 'closed' => (CLOSED_STATES.includes(state) ? 'closed' : 'open');

/** Our state in words, with its code for programs: `处置中 (in_progress)`. */
export const statusNotesOf = (state: EventState): string => `${EVENT_STATE_LABEL[state]} (${state})`;

/**
 * Digits that could reach a person, masked in any public text (S14: no phone in a public answer):
 * a run of groups of at least 3 digits (joined by a space or a dash) holding 7 digits or more — a
 * mobile, a landline, an ID number. A date (2026-03-01) has 2-digit groups and stays. Long runs
 * keep their first 3 and last 4 digits (138****5678), shorter ones are masked whole.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<!\d)\d{3,}(?:[ -]\d{3,})*(?!\d)/g, (run) => {
    const digits = run.replace(/\D/g, '');
    if (digits.length < 7) return run;
    return digits.length >= 11 ? `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}` : '*'.repeat(digits.length);
  });
}

/** Published requests are placed to about 100 m (3 decimals), as the public map of S14. */
export const roundCoord = (x: number): number => Math.round(x * 1000) / 1000;

/** The spec's date-time: the W3C profile of ISO 8601, with its time zone required (Z or ±HH:MM). */
const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export function parseW3cDateTime(s: string): Date | null {
  const m = W3C_DATETIME.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0'] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 59) return null;
  const t = Date.parse(s);
  if (Number.isNaN(t) || +y < 1970) return null;
  // Date.parse rolls 2026-02-30 over to March: a day the month lacks is refused.
  if (new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDate() !== +d) return null;
  return new Date(t);
}

const DAY_MS = 86_400_000;
/** "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest." */
export const MAX_SPAN_DAYS = 90;
export const MAX_RESULTS = 1000;

/**
 * The requested_datetime window of GET requests: both ends given, or one and 90 days from it, or
 * the last 90 days; a span past 90 days (or one that ends before it starts) names end_date.
 */
export function windowOf(start: Date | null, end: Date | null, now: Date): { from: Date; to: Date } | { error: string } {
  const span = MAX_SPAN_DAYS * DAY_MS;
  const from = start ?? new Date((end ?? now).getTime() - span);
  const to = end ?? (start ? new Date(start.getTime() + span) : now);
  if (to.getTime() < from.getTime()) return { error: 'end_date 早于 start_date' };
  if (to.getTime() - from.getTime() > span) return { error: `start_date 与 end_date 相距不得超过 ${MAX_SPAN_DAYS} 天` };
  return { from, to };
}

/** A comma list (`service_code=a,b` or the parameter repeated), trimmed, empties dropped. */
export function listOf(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/**
 * Open311 has no idempotency key, so one is derived: the client application's key id and every
 * field of the form but api_key, sorted. An identical retry (a timeout, a flaky uplink) files
 * nothing new and answers the first service_request_id; a different form is a different request.
 */
export function requestKeyOf(apiKeyId: number, form: Iterable<[string, string]>): string {
  const fields = [...form].filter(([k]) => k !== 'api_key').sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const hash = createHash('sha256').update(JSON.stringify([apiKeyId, fields])).digest('hex');
  return `open311-${hash.slice(0, 40)}`;
}

/**
 * A device id for the citizens' channel (its rate limit per device and its merging of repeats):
 * the client's own device_id, else its account_id, email or phone, else this request alone —
 * always within the client application, and hashed so nothing the client sent is kept in it.
 */
export function deviceIdOf(apiKeyId: number, who: { deviceId?: string; accountId?: string; email?: string; phone?: string }, requestKey: string): string {
  const basis = who.deviceId ? `d:${who.deviceId}` : who.accountId ? `a:${who.accountId}` : who.email ? `e:${who.email.toLowerCase()}` : who.phone ? `p:${who.phone}` : `r:${requestKey}`;
  return `open311-${createHash('sha256').update(`${apiKeyId}\n${basis}`).digest('hex').slice(0, 32)}`;
}

/** An Open311 error: the HTTP status as its code, and the field at fault in its description. */
// A type, not an interface: it must fit XmlValue's index signature.
export type Open311Error = { code: number; description: string };

/** Our validation paths (body.location, body.phone …) as the form fields an Open311 client sent. */
const FIELD_OF: Record<string, string> = {
  'body.location': 'lat/long',
  'body.location.lat': 'lat',
  'body.location.lon': 'long',
  'body.address': 'address_string',
  'body.villageCode': 'address_id',
  'body.phone': 'phone',
  'body.name': 'first_name/last_name',
  'body.description': 'description',
  'body.category': 'service_code',
  'body.subcategory': `attribute[${SUBCATEGORY_ATTRIBUTE}]`,
  'body.idempotencyKey': 'api_key',
  'body.deviceId': 'device_id',
};
export const open311FieldOf = (path: string): string => FIELD_OF[path] ?? path.replace(/^(body|query|params)\./, '');

/** One GeoReport document in the asked format: JSON as is (the Spark mapping), XML under `root`. */
export function renderDocument(format: Format, root: string, value: XmlValue): { type: string; text: string } {
  return { type: MEDIA_TYPE[format], text: format === 'json' ? JSON.stringify(value) : xmlDocument(root, value, ITEM_NAMES) };
}

/** The format a path asks for by its suffix (`/services.xml`); JSON when it names none we know. */
export const formatOfPath = (pathname: string): Format => (pathname.endsWith('.xml') ? 'xml' : 'json');

/**
 * The spec's error list for any refusal: one entry per field at fault, named as the Open311 client
 * sent it, each with the HTTP status as its code; else the one message.
 */
export function errorsOf(status: number, message: string, issues: readonly { path: string; message: string }[] = []): Open311Error[] {
  return issues.length ? issues.map((i) => ({ code: status, description: `${open311FieldOf(i.path)}: ${i.message}` })) : [{ code: status, description: message }];
}
