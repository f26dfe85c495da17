import type { TrackFix } from './tracker';

/*
 * The fixes waiting to be sent, as plain data and pure functions (issue 12). Kept on the phone
 * (localStorage) so a reload or a dead battery does not lose them; each keeps its own time, and
 * they leave in the order taken: the server checks a unit's speed from one fix to the next, and
 * a history out of order would draw a zig-zag.
 */

/** Fixes older than this are refused by the server (lib/live/validate AGE_LIMIT_MS): not worth keeping. */
export const MAX_AGE_MS = 24 * 3600_000;
/** A day at one fix per 5 s is ~17,000; a bound well above that keeps localStorage within its few MB. */
export const MAX_QUEUE = 20_000;
/** Fixes per message: a long outage drains in a few batches, each small enough for a weak cell. */
export const BATCH = 200;
/** A batch leaves after this, or as soon as BATCH_EARLY fixes wait: "about every 5 s". */
export const SEND_EVERY_MS = 5_000;
export const BATCH_EARLY = 10;

/** Appends a fix, newer than the newest queued; the oldest beyond the bound or the age limit go. */
export function push(queue: readonly TrackFix[], fix: TrackFix, now: number): TrackFix[] {
  const last = queue.at(-1);
  if (last && fix.t <= last.t) return [...queue];
  const next = [...queue, fix];
  const fresh = next.filter((f) => f.t >= now - MAX_AGE_MS);
  return fresh.length > MAX_QUEUE ? fresh.slice(fresh.length - MAX_QUEUE) : fresh;
}

/** The oldest fixes, up to a batch: what goes next. */
export function nextBatch(queue: readonly TrackFix[]): TrackFix[] {
  return queue.slice(0, BATCH);
}

/**
 * The queue once the server answered for `sent`: those it took and those it refused for good
 * (validation says why; sending them again would change nothing) leave. Fixes queued meanwhile stay.
 */
export function settleSent(queue: readonly TrackFix[], sent: readonly TrackFix[]): TrackFix[] {
  const gone = new Set(sent.map((f) => f.t));
  return queue.filter((f) => !gone.has(f.t));
}

/** Whether to send now: something waits, and it is time or enough has gathered. */
export function sendDue(queue: readonly TrackFix[], lastSentAt: number, now: number): boolean {
  return queue.length > 0 && (queue.length >= BATCH_EARLY || now - lastSentAt >= SEND_EVERY_MS);
}

/** What the /field socket's `pos` answered: counts and refusals, or an error to retry on. */
export type PosReply = { accepted: number; rejected: { index: number; reason: string; message: string }[] } | { error: string; retryAfter?: number };

/** Whether a reply settles the batch (taken, or refused for good) or the batch waits to be sent again. */
export function settles(reply: unknown): reply is Extract<PosReply, { accepted: number }> {
  return typeof reply === 'object' && reply !== null && typeof (reply as { accepted?: unknown }).accepted === 'number' && Array.isArray((reply as { rejected?: unknown }).rejected);
}

/** Reads a stored queue, keeping only well-formed fixes in time order. */
export function parseQueue(raw: unknown): TrackFix[] {
  if (!Array.isArray(raw)) return [];
  const out: TrackFix[] = [];
  for (const x of raw) {
    if (typeof x !== 'object' || x === null) continue;
    const f = x as Record<string, unknown>;
    if (![f.t, f.lon, f.lat].every((v) => typeof v === 'number' && Number.isFinite(v))) continue;
    const fix: TrackFix = { t: f.t as number, lon: f.lon as number, lat: f.lat as number };
    for (const k of ['speed', 'heading', 'accuracy'] as const) if (typeof f[k] === 'number' && Number.isFinite(f[k])) fix[k] = f[k];
    if (out.length === 0 || fix.t > out[out.length - 1].t) out.push(fix);
  }
  return out;
}
