/*
 * The outbox of the field page, as plain data and pure functions: what is waiting to be sent,
 * when each item is next due, and what one attempt's outcome does to it. A phone on a village
 * road loses the network for minutes at a time; every POST the page makes goes through here, and
 * its idempotency key or request key (made once per user intent, kept in the item) lets the
 * server recognise a retry of something it already recorded.
 */

/** A photo taken for an item: the blob's key in the phone's store, and its server id once uploaded. */
export interface PhotoRef {
  local: string;
  id: string | null;
}

export type OutboxPayload =
  | {
      kind: 'report';
      /** An EventReportV1 without its photos, which are filled in from `photos` when sent. */
      body: Record<string, unknown> & { idempotencyKey: string };
      photos: PhotoRef[];
      summary: string;
    }
  | {
      kind: 'action';
      eventId: number;
      /** An EventActionV1 without its photos. */
      body: Record<string, unknown> & { action: string; requestKey: string };
      photos: PhotoRef[];
      summary: string;
    }
  | {
      /** A dispatch step or an answer to an invitation (issue 5): a POST to one of our command routes. */
      kind: 'command';
      url: string;
      body: Record<string, unknown> & { requestKey: string };
      photos: PhotoRef[];
      summary: string;
    };

export interface OutboxItem {
  id: string;
  createdAt: number;
  attempts: number;
  /** Epoch ms before which the item is not tried again. */
  nextAt: number;
  /** Why the last attempt did not get through, for the pending list. */
  lastError: string | null;
  /** Set when the server refused the item for good: it waits for the user to fix or discard it. */
  failed: { message: string; status: number | null } | null;
  payload: OutboxPayload;
}

/** What one attempt came to. */
export type Outcome =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'retry'; status: number | null; message: string }
  | { kind: 'fail'; status: number | null; message: string; issues: { path: string; message: string }[] };

/**
 * Whether a status is worth trying again. No answer, a server fault, a gateway in the way, a rate
 * limit, a lapsed session (the user logs in again and the queue goes on): yes. Anything else the
 * server said about the request itself (400, 403, 404, 409, 413, 422 …) will not change by waiting.
 */
export function classify(status: number | null): 'ok' | 'retry' | 'fail' {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 500 || status === 401 || status === 408 || status === 425 || status === 429) return 'retry';
  return 'fail';
}

export const BACKOFF = { firstMs: 2_000, factor: 2, maxMs: 5 * 60_000 } as const;

/**
 * The wait after the n-th failed attempt (n ≥ 1): doubling from 2 s up to 5 min, drawn from the
 * upper half of that range so that phones which lost the same cell tower do not all come back in
 * the same second.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const full = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * BACKOFF.factor ** (n - 1));
  return Math.round(full * (0.5 + random() / 2));
}

export function enqueue(items: readonly OutboxItem[], payload: OutboxPayload, id: string, now: number): OutboxItem[] {
  return [...items, { id, createdAt: now, attempts: 0, nextAt: now, lastError: null, failed: null, payload }];
}

/** Items to try now, oldest first: reports and steps on one event go in the order they were made. */
export function dueItems(items: readonly OutboxItem[], now: number): OutboxItem[] {
  return items.filter((i) => !i.failed && i.nextAt <= now).sort((a, b) => a.createdAt - b.createdAt);
}

/** Ms until the next item falls due, or null when nothing is waiting. */
export function nextWakeMs(items: readonly OutboxItem[], now: number): number | null {
  const waiting = items.filter((i) => !i.failed);
  if (waiting.length === 0) return null;
  return Math.max(0, Math.min(...waiting.map((i) => i.nextAt)) - now);
}

/** The queue after one attempt of item `id`: delivered items leave, refused ones wait for the user. */
export function settle(
  items: readonly OutboxItem[],
  id: string,
  outcome: Outcome,
  now: number,
  random: () => number = Math.random,
): OutboxItem[] {
  if (outcome.kind === 'ok') return items.filter((i) => i.id !== id);
  return items.map((i) => {
    if (i.id !== id) return i;
    const attempts = i.attempts + 1;
    if (outcome.kind === 'fail') return { ...i, attempts, lastError: outcome.message, failed: { message: outcome.message, status: outcome.status } };
    return { ...i, attempts, lastError: outcome.message, nextAt: now + backoffMs(attempts, random) };
  });
}

/** The network is back (or the user asked): everything still waiting is due at once. */
export function retryAll(items: readonly OutboxItem[], now: number): OutboxItem[] {
  return items.map((i) => (i.failed || i.nextAt <= now ? i : { ...i, nextAt: now }));
}

/**
 * No network: the items due behind the one that just failed would fail the same way, so they wait
 * as long as it does, without counting an attempt they never made.
 */
export function deferDue(items: readonly OutboxItem[], until: number, now: number): OutboxItem[] {
  return items.map((i) => (i.failed || i.nextAt > now ? i : { ...i, nextAt: Math.max(i.nextAt, until) }));
}

/** The user wants one refused item tried again as it is (e.g. after logging in again). */
export function retryOne(items: readonly OutboxItem[], id: string, now: number): OutboxItem[] {
  return items.map((i) => (i.id === id ? { ...i, failed: null, nextAt: now } : i));
}

export function discard(items: readonly OutboxItem[], id: string): OutboxItem[] {
  return items.filter((i) => i.id !== id);
}

/** Records a photo's server id, so a later attempt does not upload it again. */
export function withPhotoId(items: readonly OutboxItem[], id: string, local: string, photoId: string): OutboxItem[] {
  return items.map((i) =>
    i.id !== id ? i : { ...i, payload: { ...i.payload, photos: i.payload.photos.map((p) => (p.local === local ? { ...p, id: photoId } : p)) } },
  );
}

export function pendingCount(items: readonly OutboxItem[]): number {
  return items.filter((i) => !i.failed).length;
}

/** The body to POST once every photo has its id. */
export function bodyOf(payload: OutboxPayload): Record<string, unknown> {
  const ids = payload.photos.map((p) => p.id).filter((id): id is string => id !== null);
  if (payload.kind === 'report') return { ...payload.body, photos: ids };
  if (payload.kind === 'command') return { ...payload.body };
  // `start` takes no photos; the strict contract would refuse an empty list there.
  return payload.photos.length ? { ...payload.body, photos: ids } : { ...payload.body };
}
