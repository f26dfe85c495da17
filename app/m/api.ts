/*
 * The resident's page talks to /api/v1/citizen/* only. Every call carries the phone's device id
 * (DEVICE_HEADER: the rate limits, and which uploads it may attach), and a failure is the same
 * HttpError the staff pages read, so the server's per-field issues reach the form.
 */
import { HttpError } from '@/app/http';
import {
  DEVICE_HEADER,
  type CitizenReceiptV1,
  type CitizenServicesV1,
  type CitizenTrackingV1,
  type PublishedReportV1,
} from '@/lib/contracts/citizen';
import { deviceId } from './store';

/** A slow 2G/3G cell: a JSON call is small, a photo is a few hundred kB. */
const CALL_TIMEOUT_MS = 20_000;
const UPLOAD_TIMEOUT_MS = 90_000;
/** Automatic retries of a submission whose answer did not come; the key makes them safe. */
const RETRY_DELAYS_MS = [1_000, 3_000, 8_000];

export const device = (): string => deviceId(window.localStorage);

async function exchange<T>(method: 'GET' | 'POST', url: string, payload: { json: unknown } | { blob: Blob } | null, timeoutMs = CALL_TIMEOUT_MS): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { [DEVICE_HEADER]: device() };
  let body: BodyInit | undefined;
  if (payload && 'json' in payload) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(payload.json);
  } else if (payload) {
    headers['content-type'] = payload.blob.type || 'application/octet-stream';
    body = payload.blob;
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new HttpError(0, null, error instanceof DOMException && error.name === 'TimeoutError' ? 'timeout' : 'network');
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    if (res.ok) throw new HttpError(res.status, null, 'unreadable');
  }
  if (!res.ok) throw new HttpError(res.status, data, 'refused', '提交');
  return { status: res.status, body: data as T };
}

/** Whether sending the same thing again may help: no answer, or the server was briefly unable. */
export const retryable = (e: unknown): boolean => e instanceof HttpError && (e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * POST /api/v1/citizen/requests. Retried on its own while no answer comes; every attempt carries the
 * body's one idempotency key, so the server makes one request of them all (201 first, 200 after).
 */
export async function submitRequest(body: Record<string, unknown>, onRetry?: (attempt: number) => void): Promise<CitizenReceiptV1> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await exchange<CitizenReceiptV1>('POST', '/api/v1/citizen/requests', { json: body })).body;
    } catch (e) {
      if (!retryable(e) || attempt >= RETRY_DELAYS_MS.length) throw e;
      onRetry?.(attempt + 1);
      await sleep(RETRY_DELAYS_MS[attempt]);
    }
  }
}

export async function uploadPhoto(blob: Blob): Promise<string> {
  const { body } = await exchange<{ id: string }>('POST', '/api/v1/citizen/photos', { blob }, UPLOAD_TIMEOUT_MS);
  return body.id;
}

export const loadServices = () => exchange<CitizenServicesV1>('GET', '/api/v1/citizen/services', null).then((r) => r.body);
export const loadTracking = (code: string) => exchange<CitizenTrackingV1>('GET', `/api/v1/citizen/requests/${encodeURIComponent(code)}`, null).then((r) => r.body);
export const lookup = (phone: string, pin: string) => exchange<CitizenTrackingV1>('POST', '/api/v1/citizen/lookup', { json: { phone, pin } }).then((r) => r.body);
/** Rated from the phone that sent it (its device id), or with the request's 查询密码 from any phone (review H3): both are sent when known. */
export const rate = (code: string, rating: string, comment: string | undefined, pin: string | null) =>
  exchange<CitizenTrackingV1 | Record<string, unknown>>('POST', `/api/v1/citizen/requests/${encodeURIComponent(code)}/rating`, {
    json: { deviceId: device(), rating, ...(comment ? { comment } : {}), ...(pin ? { pin } : {}) },
  }).then((r) => r.body);

export type PublishedCollection = { type: 'FeatureCollection'; features: { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: PublishedReportV1 }[] };
export const loadPublished = () => exchange<PublishedCollection>('GET', '/api/v1/citizen/published', null).then((r) => r.body);

/** The message for a field, or for any part of it (`photos` also takes `photos.0`). */
export function fieldError(fields: Record<string, string>, name: string): string | undefined {
  return fields[name] ?? Object.entries(fields).find(([path]) => path.startsWith(`${name}.`))?.[1];
}

/** The issues of a refusal by field (`body.description` → `description`), and the rest as one line. */
export function issuesByField(e: unknown): { fields: Record<string, string>; general: string | null } {
  if (!(e instanceof HttpError)) return { fields: {}, general: e instanceof Error ? e.message : '提交失败' };
  const fields: Record<string, string> = {};
  const loose: string[] = [];
  for (const i of e.issues) {
    const path = i.path.replace(/^body\./, '');
    if (path && path !== 'body' && !fields[path]) fields[path] = i.message;
    else if (!path || path === 'body') loose.push(i.message);
  }
  const general = Object.keys(fields).length && !loose.length ? null : (loose.length ? loose.join('；') : e.message);
  return { fields, general };
}
