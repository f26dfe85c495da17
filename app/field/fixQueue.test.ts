import { describe, expect, it } from 'vitest';
import { BATCH, BATCH_EARLY, MAX_AGE_MS, MAX_QUEUE, nextBatch, parseQueue, push, sendDue, settles, settleSent, SEND_EVERY_MS } from './fixQueue';
import type { TrackFix } from './tracker';

const NOW = Date.UTC(2026, 4, 6, 2, 0, 0);
const fix = (t: number): TrackFix => ({ t, lon: 120.4, lat: 30.8 });

describe('the queue of fixes waiting to be sent (issue 12)', () => {
  it('keeps fixes in their order, each with its own time, and ignores one not newer than the last', () => {
    let q: TrackFix[] = [];
    for (const t of [NOW - 3000, NOW - 2000, NOW - 2000, NOW - 2500, NOW - 1000]) q = push(q, fix(t), NOW);
    expect(q.map((f) => f.t)).toEqual([NOW - 3000, NOW - 2000, NOW - 1000]);
  });

  it('drops what the server would refuse as too old, and the oldest beyond its bound', () => {
    expect(push([fix(NOW - MAX_AGE_MS - 1)], fix(NOW), NOW).map((f) => f.t)).toEqual([NOW]);
    const full = Array.from({ length: MAX_QUEUE }, (_, i) => fix(NOW - MAX_QUEUE + i));
    const q = push(full, fix(NOW), NOW);
    expect(q).toHaveLength(MAX_QUEUE);
    expect(q[0].t).toBe(NOW - MAX_QUEUE + 1);
    expect(q.at(-1)!.t).toBe(NOW);
  });

  it('sends the oldest first, a batch at a time, and keeps what was queued while a batch was out', () => {
    const q = Array.from({ length: BATCH + 5 }, (_, i) => fix(NOW - 10_000 + i));
    const sent = nextBatch(q);
    expect(sent.map((f) => f.t)).toEqual(q.slice(0, BATCH).map((f) => f.t));
    const after = settleSent(push(q, fix(NOW), NOW), sent);
    expect(after.map((f) => f.t)).toEqual([...q.slice(BATCH).map((f) => f.t), NOW]);
  });

  it('sends about every 5 s, or as soon as a handful gathered', () => {
    expect(sendDue([], 0, NOW)).toBe(false);
    expect(sendDue([fix(NOW)], NOW - SEND_EVERY_MS + 1, NOW)).toBe(false);
    expect(sendDue([fix(NOW)], NOW - SEND_EVERY_MS, NOW)).toBe(true);
    expect(sendDue(Array.from({ length: BATCH_EARLY }, (_, i) => fix(NOW + i)), NOW, NOW)).toBe(true);
  });

  it('settles a batch on a counted answer; an error or a timeout leaves it to be sent again', () => {
    expect(settles({ accepted: 3, rejected: [] })).toBe(true);
    expect(settles({ accepted: 0, rejected: [{ index: 0, reason: 'too_old', message: '' }] })).toBe(true);
    expect(settles({ error: 'unavailable', retryAfter: 5 })).toBe(false);
    expect(settles(undefined)).toBe(false);
  });

  it('reads back only well-formed fixes in order from storage', () => {
    expect(parseQueue([{ t: 2, lon: 1, lat: 1, speed: 1.2, heading: 'x' }, { t: 1, lon: 1, lat: 1 }, { t: 3, lon: 'a', lat: 1 }, null, { t: 4, lon: 1, lat: 1, accuracy: 5 }])).toEqual([
      { t: 2, lon: 1, lat: 1, speed: 1.2 },
      { t: 4, lon: 1, lat: 1, accuracy: 5 },
    ]);
    expect(parseQueue('junk')).toEqual([]);
  });
});
